"""Temporal expressions: find dates and periods and normalise them against an anchor date.

A rule tagger in the manner of HeidelTime: precompiled patterns (:mod:`time_rules`) propose candidate
spans with a resolver each (:mod:`time_resolve`); the longest non-overlapping candidates win. Values
follow TimeML: ISO dates and partials (``2016-03-14``, ``2015-09``, ``2016-W11``, ``2016-Q3``,
``2016-SU``, ``2015``, decade ``199``), clock times ``2016-03-14T10:30``, parts of days
``2016-03-14TNI``. Relative expressions need the anchor (publication date); without one they are left
out, never guessed. Expressions relative to another date of the text ("that year", "the following
day") take the nearest date before them that is at least as precise.

Tense rule for bare weekdays, bare months, holidays and quarters (:mod:`time_tense`): the tense cue
nearest to the expression in its clause decides - a past cue (was, said, -ed, ago) picks the latest such
day on or before the anchor, a future cue (will, would, next, scheduled, "until Tuesday") the coming
one; with no cue the past one - news mostly reports what happened (on TimeBank this beat "the coming
one" by ~2 points of value F1).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from ..model import TimeMention
from . import time_calendar as cal
from .time_resolve import Ctx
from .time_resolve import season as _season
from .time_rules import ATTACH, MODIFIER, RULES, SEASON_OK, TRIGGER, TRIGGER_CASED, Resolver
from .time_tense import tense_at

__all__ = ["Timex", "find_times", "tag_times", "tense_at"]


@dataclass(frozen=True, slots=True)
class Timex:
    """A tagged expression with its TimeML type (DATE, TIME); what :func:`find_times` builds on."""

    start: int
    end: int
    type: str
    value: str


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # keeps offsets
_WINDOW = 60  # longer than the context any rule reads around its trigger


def _windows(text: str, lower: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    hits = sorted([*((m.start(), m.end()) for m in TRIGGER.finditer(lower)),
                   *((m.start(), m.end()) for m in TRIGGER_CASED.finditer(text))])
    for start, end in hits:
        s, e = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


Candidate = tuple[int, int, int, "tuple[str, str] | None"]
Found = tuple[int, int, int, re.Match[str], Resolver]  # start, end, rule priority, match, its resolver


@functools.lru_cache(maxsize=4)
def _scan(text: str) -> tuple[Found, ...]:
    """Every rule's matches, before resolution: they do not depend on the anchor, and one text is tagged
    two or three times in a row (absolute pass, anchored pass, date bounds), so the scan is kept."""
    out = []
    seen: set[tuple[int, int, int]] = set()
    lower = text.translate(_ASCII_LOWER)
    windows = _windows(text, lower)
    for priority, (pattern, resolver, needs) in enumerate(RULES):
        if needs and not any(word in lower for word in needs):
            continue
        for ws, we in windows:
            if needs and not any(word in lower[ws:we] for word in needs):
                continue  # every match holds one of the words, and a match lies inside its window
            for m in pattern.finditer(text, ws, we):
                key = (m.start(), m.end(), priority)
                if key in seen:
                    continue
                seen.add(key)
                if not m.group().strip() or (resolver is _season and not SEASON_OK.search(m.group())):
                    continue
                out.append((key[0], key[1], priority, m, resolver))
    return tuple(out)


def _candidates(ctx: Ctx) -> list[Candidate]:
    return [(s, e, priority, resolver(m, ctx)) for s, e, priority, m, resolver in _scan(ctx.text)]


def _select(cands: list[Candidate]) -> list[tuple[int, int, tuple[str, str] | None]]:
    """Longest match first, then earliest rule; a chosen span blocks every overlapping one."""
    chosen: list[tuple[int, int, tuple[str, str] | None]] = []
    taken: list[tuple[int, int]] = []
    for s, e, _, res in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append((s, e, res))
    return sorted(chosen, key=lambda c: c[0])


_FULL_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def _attach_clock_times(text: str, spans: list[Timex]) -> list[Timex]:
    """'9 a.m. Tuesday', 'Friday at 10 p.m.', '5 p.m. EST Nov. 9': one TIME on that day."""
    out: list[Timex] = []
    for t in spans:
        if out:
            prev = out[-1]
            gap = text[prev.end : t.start]
            clock, day = (prev, t) if "T" in prev.value and ":" in prev.value else (t, prev)
            if ATTACH.match(gap) and clock is not day and ":" in clock.value and _FULL_DAY.match(day.value):
                out[-1] = Timex(prev.start, t.end, "TIME", day.value + clock.value[10:])
                continue
        out.append(t)
    return out


# "~": with no earlier date, fall back to the anchor (the day of writing)
# "wd4": a given weekday (0 Monday .. 6 Sunday), "the previous Friday"
_REF_VALUE = re.compile(r"^@(?P<unit>year|month|week|day|wd)(?P<wd>\d?)(?P<n>[+-]\d+)(?P<anchor>~?)$")
# What an earlier date must look like to anchor each unit: "2014-SU" or "2014-W07" can anchor a
# year but not a month, and a day needs a full calendar date.
_REF_PRECISE = {
    "year": re.compile(r"^\d{4}"),
    "month": re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])(?!\d)"),
    "week": re.compile(r"^\d{4}-\d\d-\d\d"),
    "day": re.compile(r"^\d{4}-\d\d-\d\d"),
    "wd": re.compile(r"^\d{4}-\d\d-\d\d"),
}


def _resolve_discourse(spans: list[Timex], anchor: dt.date | None) -> list[Timex]:
    """Replace '@year+1'-style placeholders by a value relative to the nearest earlier precise date."""
    out: list[Timex] = []
    for t in spans:
        m = _REF_VALUE.match(t.value)
        if not m:
            out.append(t)
            continue
        unit, n = m["unit"], int(m["n"])
        ref = next((p.value for p in reversed(out) if _REF_PRECISE[unit].match(p.value)), None)
        if ref is None and m["anchor"] and anchor is not None:
            ref = anchor.isoformat()
        if ref is None:
            continue
        if unit == "wd":  # the previous / following given weekday, strictly before / after the reference
            d = dt.date.fromisoformat(ref[:10])
            day = cal.weekday_near(d - dt.timedelta(days=1), int(m["wd"]), -1) if n < 0 \
                else cal.weekday_near(d, int(m["wd"]), 1)
            value = day.isoformat()
        elif unit == "year":
            value = f"{int(ref[:4]) + n:04d}"
        elif unit == "month":
            d = cal.add_months(dt.date(int(ref[:4]), int(ref[5:7]), 1), n)
            value = f"{d.year:04d}-{d.month:02d}"
        else:
            d = dt.date.fromisoformat(ref[:10])
            value = cal.iso_week(d + dt.timedelta(weeks=n)) if unit == "week" else (d + dt.timedelta(days=n)).isoformat()
        out.append(Timex(t.start, t.end, t.type, value))
    return out


# "the day before Christmas", "two days after March 3": a day counted from a stated day is one expression.
_DAY_SHIFT = re.compile(
    r"(?i)\b(?:the\s+)?(?:(?P<one>day)|(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+days)"
    r"\s+(?P<dir>before|after)\s+$"
)


def _shift_days(text: str, spans: list[Timex]) -> list[Timex]:
    out: list[Timex] = []
    for t in spans:
        m = _DAY_SHIFT.search(text, max(0, t.start - 30), t.start) if _FULL_DAY.match(t.value) else None
        if m and (not out or out[-1].end <= m.start()):
            n = 1 if m["one"] else cal.number_value(m["n"]) or 0
            day = dt.date.fromisoformat(t.value) + dt.timedelta(days=n if m["dir"].lower() == "after" else -n)
            t = Timex(m.start(), t.end, t.type, day.isoformat())
        out.append(t)
    return out


def tag_times(text: str, anchor: dt.date | None) -> list[Timex]:
    """Every temporal expression the rules resolve, TimeML-typed, in text order."""
    ctx = Ctx(text, anchor)
    spans: list[Timex] = []
    for s, e, res in _select(_candidates(ctx)):
        if res is None:
            continue
        mod = MODIFIER.search(text, max(0, s - 40), s)
        if mod and res[1][:1].isdigit():
            s = mod.start()
        spans.append(Timex(s, e, res[0], res[1]))
    return _shift_days(text, _resolve_discourse(_attach_clock_times(text, spans), anchor))


def find_times(text: str, anchor: dt.date | None) -> list[TimeMention]:
    """Dates and periods with calendar values (ISO or partial); relative ones only when ``anchor`` is known.

    Vague references ("now", "recently": TimeML's PRESENT_REF/PAST_REF) are not calendar values and are
    left out here; :func:`tag_times` keeps them for scoring.
    """
    return [TimeMention(t.start, t.end, t.value) for t in tag_times(text, anchor) if t.value[:1].isdigit()]
