"""What every reader shares: limits, counters, text decoding, metadata dates, building an Article.

Text is normalised only by stripping a BOM and turning CRLF/CR into LF; everything else is kept
exactly, because later stages take character spans into it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..model import Article, Published, Rejected, Segment, article_id

Item = Article | Rejected
Items = Iterator[Item]

BINARY_REASON = "not UTF-8 or any detectable text encoding (binary file?)"
MAX_ARCHIVE_DEPTH = 3  # archives inside archives inside archives, no deeper
MAX_ARCHIVE_MEMBERS = 10_000
ARCHIVE_TOTAL_FACTOR = 10  # an archive may expand to at most this many times --max-bytes in total


@dataclass
class IngestStats:
    """Counts of what a run read; ``skipped`` holds things that are neither articles nor errors."""

    articles: int = 0
    rejected: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class ArchiveBudget:
    """Shared by an archive and everything nested in it, so nesting cannot multiply the limits."""

    bytes_left: int
    members_left: int = MAX_ARCHIVE_MEMBERS


@dataclass
class Context:
    max_bytes: int
    stats: IngestStats
    depth: int = 0  # archive nesting level of the blob being read
    budget: ArchiveBudget | None = None


def too_big_reason(size: int, max_bytes: int, what: str = "file") -> str:
    return f"{what} is {size} bytes, over --max-bytes {max_bytes}"


# -- decoding -------------------------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = set("\t\n\r\f\v\x1b")


def looks_like_text(text: str) -> bool:
    """No NULs, and almost no other control characters (binary decoded as a legacy codepage has many)."""
    if "\x00" in text:
        return False
    sample = text[:200_000]
    if not sample:
        return True
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    bad = controls + sample.count("\ufffd")
    return bad / len(sample) < 0.005


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NULs in every other byte (for mostly-Latin text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0) / (len(data) / 2)
    odd_nuls = data[1::2].count(0) / (len(data) / 2)
    encoding = "utf-16-le" if odd_nuls > 0.3 and even_nuls < 0.05 else None
    if even_nuls > 0.3 and odd_nuls < 0.05:
        encoding = "utf-16-be"
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _legacy_bytes(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode handler: a stray byte inside UTF-8 text is read as cp1252 (latin-1 where cp1252 has a gap)."""
    chunk = err.object[err.start : err.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk), err.end


codecs.register_error("newsdossier-legacy-bytes", _legacy_bytes)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray legacy bytes (pasted-in snippets): keep it UTF-8, repair the strays.

    Decoding the whole file as a legacy codepage instead would garble every real UTF-8 character.
    """
    lenient = data.decode("utf-8", errors="replace")
    strays = lenient.count("\ufffd")
    valid_non_ascii = sum(1 for ch in lenient if ord(ch) > 127) - strays
    if strays and valid_non_ascii >= 2 * strays:  # legacy text has almost no valid multibyte sequences
        return data.decode("utf-8", errors="newsdossier-legacy-bytes")
    return None


def decode_text(data: bytes, declared: str | None = None) -> str | None:
    """Decode bytes to text: BOM, then strict UTF-8, then a declared charset, then charset-normalizer.

    Returns None when the bytes are not text in any detectable encoding (a binary file).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return text.lstrip("\ufeff") if looks_like_text(text) else None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        return text if text is not None and looks_like_text(text) else None
    try:
        text = data.decode("utf-8")
        return text if looks_like_text(text) else None
    except UnicodeDecodeError:
        pass
    text = _mostly_utf8(data)
    if text is not None:
        return text if looks_like_text(text) else None
    if declared:
        try:
            text = data.decode(declared)
            if looks_like_text(text):
                return text
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detection below decides
    from charset_normalizer import from_bytes

    best = _preferred_match(from_bytes(data))
    if best is None:
        # Last resort for text no detector can place (mixed encodings): UTF-8 where valid, cp1252
        # elsewhere. Binary data still fails looks_like_text on its control bytes.
        text = data.decode("utf-8", errors="newsdossier-legacy-bytes")
        return text if looks_like_text(text) else None
    text = str(best)
    return text if looks_like_text(text) else None


# When charset-normalizer scores several legacy encodings the same (short Western text often fits
# cp1250, cp1252 and cp1257 equally), take the one most used on the web, as browsers do.
_WEB_ENCODING_ORDER = (
    "cp1252",
    "iso8859_1",
    "iso8859_15",
    "cp1251",
    "cp1250",
    "iso8859_2",
    "koi8_r",
    "gb18030",
    "gb2312",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp874",
)


def _preferred_match(matches: Any) -> Any:
    best = matches.best()
    if best is None:
        return None
    tied = [
        m for m in matches if abs(m.chaos - best.chaos) < 0.01 and abs(m.coherence - best.coherence) < 0.01
    ]

    def rank(match: Any) -> int:
        names = [match.encoding, *match.could_be_from_charset]
        return min((_WEB_ENCODING_ORDER.index(n) for n in names if n in _WEB_ENCODING_ORDER), default=99)

    return min(tied, key=rank) if tied else best


def normalise_newlines(text: str) -> str:
    """The only change made to input text: no BOM, LF line ends."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- metadata -------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])")
_MIN_YEAR, _MAX_YEAR = 1800, 2200


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d.isoformat() if _MIN_YEAR <= d.year <= _MAX_YEAR else None


def normalise_date(value: Any) -> str | None:
    """A metadata date as ``YYYY-MM-DD``, or None when it is not a full, absolute date (never invent)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds are common in exports
        if not 1e8 < seconds < 1e10:
            return None
        return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    m = _ISO_DATE.match(value)
    if m:
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    import dateparser  # slow to import; only needed for free-form dates

    try:
        parsed = dateparser.parse(
            value.strip(),
            settings={
                "REQUIRE_PARTS": ["day", "month", "year"],
                "PARSERS": ["custom-formats", "absolute-time"],  # no "yesterday": it would invent a date
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
    except Exception:  # noqa: BLE001 -- dateparser raises assorted errors on odd strings; a bad date is just dropped
        return None
    return _valid(parsed.year, parsed.month, parsed.day) if parsed else None


def clean_field(value: Any) -> str | None:
    """A metadata value as a stripped string, or None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def make_article(
    input_name: str,
    text: str,
    *,
    external_id: Any = None,
    source: Any = None,
    url: Any = None,
    title: Any = None,
    published: Any = None,
    segments: tuple[Segment, ...] = (),
) -> Item:
    """Build an Article (id from its text) or reject text that is empty or binary."""
    if "\x00" in text:
        return Rejected(input_name, BINARY_REASON)
    text = normalise_newlines(text)
    if not text.strip():
        return Rejected(input_name, "no text (empty or only whitespace)")
    day = normalise_date(published)
    return Article(
        id=article_id(text),
        input=input_name,
        text=text,
        external_id=clean_field(external_id),
        source=clean_field(source),
        url=clean_field(url),
        title=clean_field(title),
        published=Published(day, "metadata") if day else Published(),
        segments=segments,
    )
