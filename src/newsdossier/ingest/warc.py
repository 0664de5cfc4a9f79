"""WARC crawls (.warc, .warc.gz): every successful HTML response becomes an article.

Requests, metadata, revisits, non-HTML responses and error pages are not articles: they are skipped
and counted in ``IngestStats.skipped``, not rejected.
"""

from __future__ import annotations

import gzip
import io
import re

from ..model import Rejected
from .base import Context, Items, too_big_reason
from .html import read_html

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES


def _starts_like_warc(data: bytes) -> bool:
    head = data[:16]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(data)).read(16)
        except (OSError, EOFError):
            return False
    return head.startswith((b"WARC/", b"filedesc://"))  # filedesc:// opens the older ARC format


def read_warc(name: str, data: bytes, ctx: Context) -> Items:
    from warcio.archiveiterator import ArchiveIterator

    if not _starts_like_warc(data):
        # warcio would read almost any text as a one-record ARC file; refuse instead.
        yield Rejected(name, "not a WARC file (it does not start with a WARC/1.x record header)")
        return
    number = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            number += 1
            uri = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{name}#{uri or number}"
            if record.rec_type == "response" and record.http_headers is not None:
                content_type = record.http_headers.get_header("Content-Type")
                status = record.http_headers.get_statuscode() or ""
                if not _is_html(content_type):
                    ctx.stats.skipped["WARC record: non-HTML response"] += 1
                    continue
                if not status.startswith("2"):
                    ctx.stats.skipped[f"WARC record: HTTP {status or 'status missing'}"] += 1
                    continue
            elif record.rec_type == "resource":
                content_type = record.rec_headers.get_header("Content-Type")
                if not _is_html(content_type):
                    ctx.stats.skipped["WARC record: non-HTML resource"] += 1
                    continue
            else:
                ctx.stats.skipped[f"WARC record: {record.rec_type}"] += 1
                continue
            # content_stream() undoes chunked transfer and gzip/deflate content encoding.
            body = record.content_stream().read(ctx.max_bytes + 1)
            if len(body) > ctx.max_bytes:
                yield Rejected(where, too_big_reason(len(body), ctx.max_bytes, "WARC record") + " (or more)")
                continue
            m = _CHARSET.search(content_type or "")
            yield from read_html(where, body, url=uri, charset=m[1] if m else None)
    except Exception as err:  # noqa: BLE001 -- warcio raises various errors on damaged files; keep what was read
        where = "" if number == 0 else f" after record {number}"
        yield Rejected(name, f"not a valid WARC file{where}: {err}")
        return
    if number == 0:
        yield Rejected(name, "WARC file holds no records")
