"""Ingest: turn files, folders, archives and stdin into :class:`~newsdossier.model.Article` objects.

One module per input kind; every reader yields ``Article`` or ``Rejected`` and never raises for
bad input, so one broken file never stops a run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from ..model import Article, Rejected

DEFAULT_MAX_BYTES = 20_000_000


def read_inputs(
    paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Article | Rejected]:
    """Read every input in ``paths`` (files, folders, archives, ``-`` for stdin) in a stable order."""
    raise NotImplementedError
