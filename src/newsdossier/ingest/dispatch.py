"""Pick the reader for a blob of bytes: by its name's extension, else by sniffing its content."""

from __future__ import annotations

import gzip
import io
import json
import re

from ..model import Rejected
from .archive import read_gzip, read_tar, read_zip
from .base import BINARY_REASON, Context, Items, decode_text
from .html import read_html
from .records import read_csv, read_json, read_jsonl
from .text import read_text
from .warc import read_warc

# Longest suffixes first, so "x.warc.gz" is a WARC and "x.tar.gz" a tar, not a plain gzip file.
_SUFFIX_KINDS = (
    (".warc.gz", "warc"),
    (".tar.gz", "tar"),
    (".tar.bz2", "tar"),
    (".tar.xz", "tar"),
    (".tgz", "tar"),
    (".tar", "tar"),
    (".zip", "zip"),
    (".gz", "gzip"),
    (".warc", "warc"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".csv", "csv"),
    (".tsv", "tsv"),
    (".txt", "text"),
    (".text", "text"),
    (".md", "text"),
)
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)\b",
    re.IGNORECASE | re.DOTALL,
)


def kind_of(name: str) -> str | None:
    """The reader kind for a file name, or None when the extension says nothing (then we sniff)."""
    lower = name.lower()
    for suffix, kind in _SUFFIX_KINDS:
        if lower.endswith(suffix):
            return kind
    return None


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_START.match(head)) or bool(re.search(r"<html\b|<body\b", head, re.IGNORECASE))


def _all_json_objects(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except json.JSONDecodeError:
            return False
    return True


def sniff_kind(data: bytes) -> str:
    """The kind of unnamed content (stdin, unknown extensions): magic bytes, then HTML / JSON lines / text."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"WARC/"):
        return "warc"
    if data[257:262] == b"ustar":
        return "tar"
    if data.startswith(b"\x1f\x8b"):
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(data)).read(512)
        except (OSError, EOFError):
            return "gzip"
        return "warc" if head.startswith(b"WARC/") else "tar" if head[257:262] == b"ustar" else "gzip"
    text = decode_text(data[:1_000_000])
    if text is None:
        return "binary"
    if looks_like_html(text):
        return "html"
    if _all_json_objects(text):
        return "jsonl"
    return "text"


def read_blob(name: str, data: bytes, ctx: Context, kind_name: str | None = None) -> Items:
    """Read one named blob (file, archive member, stdin) with the reader its name or content calls for."""
    if not data:
        yield Rejected(name, "empty file")
        return
    named = kind_of(kind_name or name)
    kind = named or sniff_kind(data)
    if kind == "binary":
        if name == "-":
            yield Rejected(name, BINARY_REASON)
        else:
            base = re.split(r"[/!#]", kind_name or name)[-1]
            shown = f"'.{base.rpartition('.')[2]}'" if "." in base else "(no extension)"
            yield Rejected(name, f"unsupported file type {shown}: not readable as text")
        return
    if kind == "text":
        yield from read_text(name, data)
    elif kind == "html":
        yield from read_html(name, data)
    elif kind == "jsonl":
        yield from read_jsonl(name, data)
    elif kind == "json":
        yield from read_json(name, data)
    elif kind in ("csv", "tsv"):
        yield from read_csv(name, data, delimiter="\t" if kind == "tsv" else ",")
    elif kind == "warc":
        yield from read_warc(name, data, ctx)
    elif kind == "zip":
        yield from read_zip(name, data, ctx, read_blob)
    elif kind == "tar":
        yield from read_tar(name, data, ctx, read_blob)
    elif kind == "gzip":
        yield from read_gzip(name, data, ctx, read_blob)
