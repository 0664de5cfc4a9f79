"""Publication date: from metadata, else from a byline or dateline, else inferred; never invented.

Order of evidence (the ``basis`` says which one decided):

1. ``metadata``: the reader found a date (HTML meta, feed) - kept as it is.
2. ``text``: a full date introduced by a byline or posting cue ("~ by X on March 17, 2016",
   "Posted on ...", "By X | 3 March 2022", "Published: ...", "Updated ..."), a date alone on one of the
   first lines, or an agency dateline "PARIS, March 3 (Agency) -" whose year is the latest year the text
   states.
3. ``inferred``: the latest full date the text states outside future-tense context (a report is
   written on or after the last day it reports about) - unless the text's own lower bound (below)
   lies after it, which shows the article was written later than that day.
4. ``unknown``: nothing above; the date stays ``None``.

Most scraped articles carry no date at all. For them :func:`earliest_possible_date` gives a defensible
LOWER BOUND instead of a guess: an article is written no earlier than the start of the latest period it
reports in the past tense ("made a similar statement in 2016" -> 2016-01-01, "began in September 2015"
-> 2015-09-01), nor earlier than a stated span after a dated start ("began in September 2015 ... in just
over two years" -> 2017-09-01). The link stage uses it to keep look-alike events a year apart from
merging; :func:`date_lower_bounds` lists every bound with the span it rests on.

Times need the anchor and the anchor needs the times: :func:`annotate_times` tags absolute dates
first, decides the date, then resolves relative expressions - only against a metadata or text date,
since resolving "Monday" against an inferred day would stack one guess on another.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Published, TimeMention
from . import time_calendar as cal
from .time_tense import PAST, cue_at
from .times import find_times, tense_at

_FULL_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
# Text just before a date that marks it as the article's own date.
_BYLINE_CUE = re.compile(
    r"(?i)(?:(?:^|\n)[ \t~•*-]*by\s+[^\n]{1,60}?(?:\s+on|\s*[|,·•—–-])"
    r"|\b(?:posted|published|updated|last\s+updated|first\s+published|dated?)(?:\s+on)?\s*:?)\s*$"
)
_DATE_LINE = re.compile(r"^[\W_]*$")  # nothing but punctuation left on the line around the date
_FIRST_LINES = 5
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
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
    # The latest year the text states outside future talk ("talks resume in 2024" says nothing of today).
    years = [int(t.value[:4]) for t in times if t.value[:4].isdigit() and cue_at(text, t.start, t.end) <= 0]
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
    floor = earliest_possible_date(text, times) if inferred else None
    if inferred and not (floor and inferred < floor):  # a date the text itself rules out is no inference
        return Published(inferred, "inferred")
    return Published(None, "unknown")


def annotate_times(text: str, metadata: Published) -> tuple[Published, list[TimeMention]]:
    """Publication date and time mentions together: absolute pass, date decision, anchored pass."""
    absolute = find_times(text, None)
    published = publication_date(text, metadata, absolute)
    if published.date and published.basis in ("metadata", "text"):
        return published, find_times(text, dt.date.fromisoformat(published.date))
    return published, absolute


# --- lower bound for undated articles ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateBound:
    """The article cannot be older than ``date``, because of ``text[start:end]`` (``reason`` says how)."""

    date: str  # YYYY-MM-DD
    start: int
    end: int
    reason: str  # "past_reference" | "elapsed_since_start"


_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|a couple of)"
# "in just over two years", "for nearly three months", "after 18 months", "over the past two years"
_ELAPSED = re.compile(
    rf"(?i)\b(?:in|after|for|over|within)\s+(?:the\s+(?:past|last)\s+)?"
    rf"(?P<q>just over|just under|more than|over|nearly|almost|about|around|roughly|some|less than|under)?\s*"
    rf"(?P<n>{_NUMBER})\s+(?P<unit>years?|months?|weeks?|days?)\b"
)
# The qualifier decides whether the stated span is a floor: "nearly two years" may be 23 months.
_UNDER = frozenset({"just under", "nearly", "almost", "about", "around", "roughly", "some", "less than", "under"})
_START_CUE = re.compile(
    r"(?i)\b(?:began|begun|begin|started|start|launched|since|beginning|commenced|opened|from|following|after)\b"
)
_START_REACH = 800  # how far from a span its dated start may be stated (about three sentences either side)


def _past_mention(text: str, t: TimeMention) -> bool:
    return cue_at(text, t.start, t.end) == PAST


def _dated_start(text: str, times: Sequence[TimeMention], start: int, end: int) -> TimeMention | None:
    """The time mention a span counts from: the nearest one introduced by 'began', 'since', 'following'.

    News states the start near the span, before it or in a background paragraph just after it
    ("In just over two years, ... The campaign began in September 2015"), so a few sentences either side.
    """
    best: tuple[int, TimeMention] | None = None
    for t in times:
        if not (start - _START_REACH <= t.start < end + _START_REACH) or start <= t.start < end:
            continue
        if cal.period_start(t.value) is None or not _START_CUE.search(text, max(0, t.start - 40), t.start):
            continue
        if cue_at(text, t.start, t.end) > 0:
            continue  # "will start in 2019"
        gap = abs(start - t.end) if t.end <= start else t.start - end
        if best is None or gap < best[0]:
            best = (gap, t)
    return best[1] if best else None


def date_lower_bounds(text: str, times: Sequence[TimeMention]) -> list[DateBound]:
    """Every lower bound on the article's date the text supports, in text order (see the module doc).

    ``times`` are the article's time mentions; absolute ones are enough (relative ones resolved against
    an unknown date would be circular). Only past-tense mentions count: "will meet in 2018" bounds nothing.
    """
    # Only what the text states absolutely: a relative date resolved against a guessed anchor is circular.
    absolute = {(t.start, t.end, t.value) for t in find_times(text, None)}
    times = [t for t in times if (t.start, t.end, t.value) in absolute]
    bounds: list[DateBound] = []
    for t in times:
        day = cal.period_start(t.value)
        if day is not None and _past_mention(text, t):
            bounds.append(DateBound(day.isoformat(), t.start, t.end, "past_reference"))
    for m in _ELAPSED.finditer(text):
        if cue_at(text, m.start(), m.end()) > 0:
            continue  # "will run for two years": a plan, no elapsed time
        n = cal.number_value(m["n"])
        started = _dated_start(text, times, m.start(), m.end())
        if n is None or started is None:
            continue
        first = cal.period_start(started.value)
        if first is None:
            continue
        floor = n - 1 if (m["q"] or "").lower() in _UNDER else n
        if floor <= 0:
            continue
        day = cal.add_units(first, floor, m["unit"])
        lo, hi = min(m.start(), started.start), max(m.end(), started.end)
        bounds.append(DateBound(day.isoformat(), lo, hi, "elapsed_since_start"))
    return sorted(bounds, key=lambda b: b.start)


def earliest_possible_date(text: str, times: Sequence[TimeMention]) -> str | None:
    """The latest of :func:`date_lower_bounds`: the article is no older than this day (None: no bound).

    A bound, not an estimate: the article may be much newer. Use it to keep apart events whose dates
    cannot overlap, never as the article's date.
    """
    bounds = date_lower_bounds(text, times)
    return max(b.date for b in bounds) if bounds else None
