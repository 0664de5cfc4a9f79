"""When an article's event can have happened: a window of days, and the periods it cannot be in.

Most scraped articles carry no date, yet their text often rules dates out (see
:func:`newsdossier.annotate.published.earliest_possible_date`): an article that tells in the past tense
what happened in 2016, or that a campaign "began in September 2015 ... just over two years" ago, is
not about an event of early 2016. Two views of that evidence:

- **window** ``[lo, hi]``: a dated article's event day is the window; an undated one runs from its text's
  lower bound (less the reporting lag: an event is reported within ``REPORTING_LAG_DAYS``) to open end;
  without any evidence the window is unbounded (no time penalty, as before);
- **recurrence periods**: a back-reference to a look-alike event ("made a similar statement in 2016",
  "again, as in March 2015", "for the first time since 2016") names a period whose same-kind event is
  *another* event, so the article cannot share an event with an article dated inside that period.

The pair gap is the distance between the two windows (0 when they overlap), and infinite when one
article's date lies in a recurrence period of the other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..model import Article, TimeMention

# An event is reported within weeks: a lower bound on the writing is one on the event less this lag.
REPORTING_LAG_DAYS = 45
# Words that make a past reference a reference to an earlier look-alike event.
_RECURRENCE_CUE = re.compile(
    r"(?i)\b(?:similar(?:ly)?|likewise|previous(?:ly)?|again|once before|last time|first time since|"
    r"repeat(?:ed|ing)?|same thing)\b"
)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

Period = tuple[int, int]  # inclusive ordinal days


def _period(value: str) -> Period | None:
    """A year or month as (first day, last day) ordinals; other granularities are no back-reference."""
    if m := _YEAR.match(value):
        y = int(m[1])
        return dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()
    if m := _MONTH.match(value):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            return None
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return dt.date(y, mo, 1).toordinal(), nxt.toordinal() - 1
    return None


def recurrence_periods(a: Article) -> tuple[Period, ...]:
    """Periods of earlier look-alike events the article refers back to (see the module doc)."""
    from ..annotate.time_tense import PAST, clause_bounds, cue_at

    cues = [m.start() for m in _RECURRENCE_CUE.finditer(a.text)] if a.times else []
    out = []
    for t in a.times:
        if not any(c < t.start for c in cues):
            continue
        period = _period(t.value)
        if period is None:
            continue
        left, _ = clause_bounds(a.text, t.start, t.end)
        if any(left <= c < t.start for c in cues) and cue_at(a.text, t.start, t.end) == PAST:
            out.append(period)
    return tuple(sorted(set(out)))


def not_before(a: Article) -> dt.date | None:
    """The earliest day the article's event can be, from its text's lower bound on its writing."""
    return _not_before(a.text, a.times)


@lru_cache(maxsize=4096)  # views, event dates and relations all ask; the bound re-reads the text (~10 ms)
def _not_before(text: str, times: tuple[TimeMention, ...]) -> dt.date | None:
    from ..annotate.published import earliest_possible_date

    bound = earliest_possible_date(text, times)
    if not bound:
        return None
    try:
        return dt.date.fromisoformat(bound) - dt.timedelta(days=REPORTING_LAG_DAYS)
    except ValueError:
        return None


def windows(days: Sequence[dt.date | None], floors: Sequence[dt.date | None]) -> tuple[np.ndarray, np.ndarray]:
    """Per article ``(lo, hi)`` ordinals: the day itself when dated, else ``[floor, inf)`` or unbounded."""
    lo = np.full(len(days), -np.inf)
    hi = np.full(len(days), np.inf)
    for i, (d, f) in enumerate(zip(days, floors)):
        if d is not None:
            lo[i] = hi[i] = d.toordinal()
        elif f is not None:
            lo[i] = f.toordinal()
    return lo, hi


def recurring_mask(periods: dict[int, tuple[Period, ...]], n: int) -> np.ndarray:
    """Per article ``0 .. n - 1``: whether it has recurrence periods."""
    mask = np.zeros(n, dtype=bool)
    mask[np.fromiter(periods, dtype=np.int64, count=len(periods))] = True
    return mask


def window_gap(lo: np.ndarray, hi: np.ndarray, periods: dict[int, tuple[Period, ...]],
               rows: np.ndarray, cols: np.ndarray, recurring: np.ndarray | None = None) -> np.ndarray:
    """Days between the two windows per pair (0 when they overlap; inf when a recurrence period rules
    the pair out); NaN when neither article has any time evidence. ``recurring``: per article, whether
    ``periods`` has it (:func:`recurring_mask`; made here when not given)."""
    with np.errstate(invalid="ignore"):
        gap = np.maximum(np.maximum(lo[rows] - hi[cols], lo[cols] - hi[rows]), 0.0)
    unknown = (np.isinf(lo[rows]) & np.isinf(hi[rows])) | (np.isinf(lo[cols]) & np.isinf(hi[cols]))
    gap[unknown] = np.nan
    if periods:
        recurring = recurring_mask(periods, len(lo)) if recurring is None else recurring
        # a period can only rule out an article whose day is known
        check = (recurring[rows] & (lo[cols] == hi[cols])) | (recurring[cols] & (lo[rows] == hi[rows]))
        for k in np.flatnonzero(check):
            for x, y in ((rows[k], cols[k]), (cols[k], rows[k])):
                if lo[y] == hi[y] and any(s <= lo[y] <= e for s, e in periods.get(int(x), ())):
                    gap[k] = np.inf
    return gap
