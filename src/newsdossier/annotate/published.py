"""Publication date: from metadata, else from a byline or dateline, else inferred; never invented.

Order of evidence (the ``basis`` says which one decided):

1. ``metadata``: the reader found a date (HTML meta, feed) - kept as it is.
2. ``text``: a full date introduced by a byline or posting cue ("~ by X on March 17, 2016",
   "Posted on ...", "By X | 3 March 2022", "Published: ...", "Updated ..."), a date alone on one of the
   first lines, or an agency dateline "PARIS, March 3 (Agency) -" whose year is the latest year the text
   states.
3. ``inferred``: the latest full date the text states outside future-tense context (a report is
   written on or after the last day it reports about).
4. ``unknown``: nothing above; the date stays ``None``.

Times need the anchor and the anchor needs the times: :func:`annotate_times` tags absolute dates
first, decides the date, then resolves relative expressions - only against a metadata or text date,
since resolving "Monday" against an inferred day would stack one guess on another.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..model import Published, TimeMention
from .times import find_times, tense_at

_FULL_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
# Text just before a date that marks it as the article's own date.
_BYLINE_CUE = re.compile(
    r"(?i)(?:(?:^|\n)[ \t~•*-]*by\s+[^\n]{1,60}?(?:\s+on|\s*[|,·•—–-])"
    r"|\b(?:posted|published|updated|last\s+updated|first\s+published|dated?)(?:\s+on)?\s*:?)\s*$"
)
_DATE_LINE = re.compile(r"^[\W_]*$")  # nothing but punctuation left on the line around the date
_FIRST_LINES = 5
_MONTHS = {m: i for i, m in enumerate(("jan feb mar apr may jun jul aug sep oct nov dec").split(), start=1)}
_DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Za-z .'-]{1,40},(?:\s+[A-Z][A-Za-z.]+,)?\s+(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\.?\s+(?P<day>[0-3]?\d)\s*\([^()\n]{2,40}\)\s*(?:-|--|—|–|_)"
)


def _full(t: TimeMention) -> bool:
    return bool(_FULL_DATE.match(t.value))


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right


def _from_byline(text: str, times: Sequence[TimeMention]) -> str | None:
    for t in times:
        if not _full(t):
            continue
        left, right = _line_bounds(text, t.start, t.end)
        before = text[max(left, t.start - 80) : t.start]
        if _BYLINE_CUE.search(before):
            return t.value
        rest = text[left : t.start] + text[t.end : right]
        line_no = sum(1 for line in text[:left].splitlines() if line.strip())
        if _DATE_LINE.match(rest) and line_no < _FIRST_LINES:
            return t.value
    return None


def _from_dateline(text: str, times: Sequence[TimeMention]) -> str | None:
    m = _DATELINE.search(text[:2000])
    if not m:
        return None
    years = [int(t.value[:4]) for t in times if t.value[:4].isdigit()]
    if not years:
        return None  # a dateline without a year anywhere: the year would be invented
    try:
        return dt.date(max(years), _MONTHS[m["mon"].lower()], int(m["day"])).isoformat()
    except ValueError:
        return None


def _inferred(text: str, times: Sequence[TimeMention]) -> str | None:
    past = [t.value for t in times if _full(t) and tense_at(text, t.start, t.end) < 0]
    return max(past) if past else None


def publication_date(text: str, metadata: Published, times: Sequence[TimeMention]) -> Published:
    """The article's publication date and how it was found (see the module doc for the order)."""
    if metadata.date:
        return Published(metadata.date, "metadata")
    found = _from_byline(text, times) or _from_dateline(text, times)
    if found:
        return Published(found, "text")
    inferred = _inferred(text, times)
    if inferred:
        return Published(inferred, "inferred")
    return Published(None, "unknown")


def annotate_times(text: str, metadata: Published) -> tuple[Published, list[TimeMention]]:
    """Publication date and time mentions together: absolute pass, date decision, anchored pass."""
    absolute = find_times(text, None)
    published = publication_date(text, metadata, absolute)
    if published.date and published.basis in ("metadata", "text"):
        return published, find_times(text, dt.date.fromisoformat(published.date))
    return published, absolute
