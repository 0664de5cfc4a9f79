"""Plain-text files: UTF-8, or whatever encoding charset-normalizer detects."""

from __future__ import annotations

from ..model import Rejected
from .base import BINARY_REASON, Items, decode_text, make_article


def read_text(name: str, data: bytes) -> Items:
    if not data:
        yield Rejected(name, "empty file")
        return
    text = decode_text(data)
    if text is None:
        yield Rejected(name, BINARY_REASON)
        return
    yield make_article(name, text)
