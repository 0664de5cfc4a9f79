"""HTML pages: main text and metadata through trafilatura, reader comments kept apart.

trafilatura's default extraction (with its own readability/jusText fallbacks) is the first choice.
When it returns nothing or too little (under MIN_MAIN_CHARS), we try its recall-oriented mode, then
its baseline extractor, then all visible text, and record which path produced the text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from ..model import Rejected, Segment
from .base import BINARY_REASON, Items, decode_text, make_article, normalise_newlines

# Below this many characters a main text is "too little" (trafilatura's own MIN_EXTRACTED_SIZE is 250).
MIN_MAIN_CHARS = 200

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)

_DOCUMENT_TAG = re.compile(r"<(?:html|body)\b", re.IGNORECASE)

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every odd page as an error
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    """What one HTML page yields: main text, reader comments apart, metadata, and the path used."""

    text: str
    comments: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    method: str = "none"  # trafilatura | trafilatura-recall | baseline | html2txt | none


def _bare(html: str, url: str | None, **options: Any) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(html, url=url, **options)
    except Exception:  # noqa: BLE001 -- trafilatura/lxml raise on some malformed pages; treat as "nothing extracted"
        return None


def _text_of(doc: Any) -> str:
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


def _visible_text(html: str) -> str:
    import trafilatura

    try:
        return trafilatura.html2txt(html) or ""
    except Exception:  # noqa: BLE001
        return ""


def _baseline_text(html: str) -> str:
    import trafilatura

    try:
        return (trafilatura.baseline(html)[1] or "").strip()
    except Exception:  # noqa: BLE001
        return ""


def _metadata(html: str, url: str | None) -> Any:
    import trafilatura

    try:
        return trafilatura.extract_metadata(html, default_url=url)
    except Exception:  # noqa: BLE001
        return None


def _comments_of(doc: Any) -> str:
    return (getattr(doc, "comments", None) or "").strip() if doc is not None else ""


def _drop_lines_in(comments: str, main: str) -> str:
    """Comment lines not already in the main text (so no passage is in both)."""
    kept = [line for line in comments.split("\n") if len(line.strip()) < 20 or line.strip() not in main]
    return "\n".join(kept).strip()


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Main text, comments and metadata of one page; never raises for bad HTML."""
    if not html.strip():
        return HtmlExtract(text="", url=url)
    if not _DOCUMENT_TAG.search(html[:8192]):
        html = f"<html><body>{html}</body></html>"  # trafilatura refuses bare fragments (stdin snippets)
    # Two passes: with comments on, trafilatura first cuts out what it takes for the comment section
    # and then looks for the main text, which changes (sometimes spoils) the main text. So the main
    # text comes from its canonical comment-free run and only the comments from the other.
    doc = _bare(html, url, with_metadata=True, include_comments=False)
    main, method = _text_of(doc), "trafilatura"
    comments = _comments_of(_bare(html, url, include_comments=True))
    if len(main) < MIN_MAIN_CHARS:
        # Too little: trafilatura's recall-oriented mode, then its baseline, then all visible text;
        # a later path is taken only when it yields more text.
        recall_doc = _bare(html, url, favor_recall=True, include_comments=True)
        if len(_text_of(recall_doc)) > len(main):
            main, method = _text_of(recall_doc), "trafilatura-recall"
            comments = comments or _comments_of(recall_doc)
        if len(main) < MIN_MAIN_CHARS:
            fallback = _baseline_text(html)
            if len(fallback) > len(main):
                main, method = fallback, "baseline"
        if not main:
            main, method = _visible_text(html).strip(), "html2txt"
    comments = _drop_lines_in(comments, main) if comments else ""
    meta = doc if doc is not None else _metadata(html, url)
    return HtmlExtract(
        text=main,
        comments=comments or None,
        title=getattr(meta, "title", None),
        date=getattr(meta, "date", None),
        author=getattr(meta, "author", None),
        sitename=getattr(meta, "sitename", None),
        url=getattr(meta, "url", None) or url,
        method=method if main else "none",
    )


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag, if any (used only when the bytes are not UTF-8)."""
    m = _META_CHARSET.search(data[:4096])
    return m[1].decode("ascii", "replace") if m else None


def decode_html(data: bytes, charset: str | None = None) -> str | None:
    """Decode a page; a few NUL bytes in an otherwise textual page are dropped, as browsers ignore them."""
    declared = charset or declared_charset(data)
    text = decode_text(data, declared)
    if text is None and 0 < data.count(0) <= len(data) // 1000:
        text = decode_text(data.replace(b"\x00", b""), declared)
    return text


def read_html(name: str, data: bytes, *, url: str | None = None, charset: str | None = None) -> Items:
    """One HTML page as an Article: main text, then (if any) a blank line and the reader comments."""
    if not data.strip():
        yield Rejected(name, "empty file")
        return
    html = decode_html(data, charset)
    if html is None:
        yield Rejected(name, BINARY_REASON)
        return
    page = extract_html(html, url)
    main = normalise_newlines(page.text).strip()
    if not main:
        yield Rejected(name, "no main text found in the HTML page")
        return
    text, segments = main, ()
    comments = normalise_newlines(page.comments or "").strip()
    if comments:
        text = f"{main}\n\n{comments}"
        # Only the comment tail is fixed here; the clean stage segments the rest around it.
        segments = (Segment("reader_comment", len(main) + 2, len(text)),)
    yield make_article(
        name,
        text,
        source=page.sitename,
        url=page.url,
        title=page.title,
        published=page.date,
        segments=segments,
    )
