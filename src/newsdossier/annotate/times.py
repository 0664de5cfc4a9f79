"""Temporal expressions: find dates and periods and normalise them against an anchor date.

A rule tagger in the manner of HeidelTime: precompiled patterns propose candidate spans with a
resolver each; the longest non-overlapping candidates win. Values follow TimeML: ISO dates and partials
(``2016-03-14``, ``2015-09``, ``2016-W11``, ``2016-Q3``, ``2016-SU``, ``2015``, decade ``199``), clock
times ``2016-03-14T10:30``, parts of days ``2016-03-14TNI``. Relative expressions need the anchor
(publication date); without one they are left out, never guessed.

Tense rule for bare weekdays, bare months and quarters (documented in ``docs``): the tense cue nearest to
the expression in its sentence decides - a past cue (was, said, -ed, ago) picks the latest such day
on or before the anchor, a future cue (will, would, next, scheduled) the coming one; with no cue the
past one - news mostly reports what happened (on TimeBank this beat "the coming one" by ~2 points of
value F1).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import TimeMention
from . import time_calendar as cal


@dataclass(frozen=True, slots=True)
class Timex:
    """A tagged expression with its TimeML type (DATE, TIME); what :func:`find_times` builds on."""

    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class _Ctx:
    text: str
    anchor: dt.date | None


Resolver = Callable[[re.Match[str], _Ctx], "tuple[str, str] | None"]

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June?\.?|July?\.?|Aug(?:ust|\.)?"
    r"|Sep(?:tember|t\.|t|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
# Alone (no day or year after it) a month must be spelled out or dotted: "Jan Kavan" is a name.
_MONTH_ALONE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUM = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine)|a few|several|a couple of)"
)
_PART = r"(?:morning|afternoon|evening|night)"
_AMPM = r"(?i:[ap]\.m\.|[ap]\.m\b|[ap]m\b)"

_FUTURE = re.compile(
    r"\b(?:will|won't|shall|'ll|would|going to|plans? to|scheduled|expected to|expects? to|due to|"
    r"next|upcoming|coming|is to|are to|to be held|to begin|to start)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|says|told|ago|last|earlier|yesterday|[a-z]{3,}ed|began|came|went|took|made|"
    r"saw|left|fell|rose|spoke|met|gave|got|held|won|lost|sold|bought|paid|led|ran|sent|put|set|hit|cut|quit|"
    r"struck|brought|thought|found|became|began|began|flew|fought|knew|meant|told|wrote|broke|chose|drove|"
    r"grew|shot|spent|stood|threw|woke|wore|kept|felt|heard|sought|caught|taught|dealt|drew|fled|swore|"
    r"built|lent|dug|hung|slid|spun|stuck|swept|withdrew|overtook|undertook|began)\b",
    re.I
)
_NO_CUE = -1
_CLAUSE_END = re.compile(r"[.!?](?=\s)|[\n;]")  # not the point in "$1.5"


def _direction(ctx: _Ctx, start: int, end: int) -> int:
    """-1 past / +1 future, from the tense cue nearest to the span within its sentence (see module doc)."""
    text = ctx.text
    left = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 300), start)), default=max(0, start - 300))
    right_m = _CLAUSE_END.search(text, end, end + 300)
    right = right_m.start() if right_m else min(len(text), end + 300)
    best: tuple[int, int] | None = None
    for pattern, sign in ((_PAST, -1), (_FUTURE, 1)):
        for m in pattern.finditer(text, left, right):
            if start <= m.start() < end:
                continue
            gap = start - m.end() if m.end() <= start else m.start() - end
            if best is None or gap < best[0] or (gap == best[0] and sign > 0):
                best = (gap, sign)
    return best[1] if best else _NO_CUE


def tense_at(text: str, start: int, end: int) -> int:
    """-1 if the span sits in past-tense context, +1 if future (the rule the resolver uses)."""
    return _direction(_Ctx(text, None), start, end)


def _month(word: str) -> int:
    return cal.MONTHS[word.lower().rstrip(".")]


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _date(value: str | None) -> tuple[str, str] | None:
    return ("DATE", value) if value else None


# --- resolvers -------------------------------------------------------------------------------------------


def _iso(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return _date(_ymd(int(m["y"]), int(m["m"]), int(m["d"])))


def _us_numeric(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    y = int(m["y"])
    y = y + (1900 if y >= 50 else 2000) if y < 100 else y
    return _date(_ymd(y, int(m["m"]), int(m["d"])))


def _month_day(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    month, day = _month(m["mon"]), int(re.sub(r"\D", "", m["day"]))
    if m["year"]:
        return _date(_ymd(int(m["year"]), month, day))
    if ctx.anchor is None:
        return None
    year = cal.day_year(ctx.anchor, month, day)
    return _date(_ymd(year, month, day)) if year else None


def _month_year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return _date(f"{int(m['year']):04d}-{_month(m['mon']):02d}")


def _bare_month(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    month, rel = _month(m["mon"]), (m["rel"] or "").lower()
    if rel == "last":
        year = ctx.anchor.year - (month >= ctx.anchor.month)
    elif rel == "next":
        year = ctx.anchor.year + (month <= ctx.anchor.month)
    elif rel == "this":
        year = ctx.anchor.year
    else:
        year = cal.month_year(ctx.anchor, month, _direction(ctx, m.start(), m.end()))
    return _date(f"{year:04d}-{month:02d}")


def _weekday(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    wd, rel = cal.WEEKDAYS[m["wd"].lower()], (m["rel"] or "").lower()
    if rel == "last":
        day = cal.weekday_near(ctx.anchor - dt.timedelta(days=1), wd, -1)
    elif rel == "next":
        day = cal.weekday_near(ctx.anchor, wd, 1)
    elif rel == "this":
        day = ctx.anchor + dt.timedelta(days=wd - ctx.anchor.weekday())
    else:
        day = cal.weekday_near(ctx.anchor, wd, _direction(ctx, m.start(), m.end()))
    return ("TIME" if m["part"] else "DATE"), day.isoformat()


_DAY_OFFSET = {"last": -1, "today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}


def _relative_day(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    word = m["word"].lower()
    day = ctx.anchor + dt.timedelta(days=_DAY_OFFSET.get(word, 0))
    return ("TIME" if m["part"] or word == "tonight" else "DATE"), day.isoformat()


_REL_SHIFT = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}


def _relative_unit(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    a, n, unit = ctx.anchor, _REL_SHIFT[m["rel"].lower()], m["unit"].lower()
    if unit == "week":
        return _date(cal.iso_week(a + dt.timedelta(weeks=n)))
    if unit == "weekend":
        return _date(cal.iso_week(a + dt.timedelta(weeks=n)) + "-WE")
    if unit == "month":
        d = cal.add_months(a, n)
        return _date(f"{d.year:04d}-{d.month:02d}")
    if unit == "year":
        return _date(f"{a.year + n:04d}")
    if unit == "quarter":
        q = a.year * 4 + cal.quarter(a) - 1 + n
        return _date(f"{q // 4:04d}-Q{q % 4 + 1}")
    if unit == "decade":
        return _date(str(a.year // 10 + n))
    return _date(cal.nearest_season(a, cal.SEASONS[unit], n))


def _the_weekend(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    saturday = cal.weekday_near(ctx.anchor, 5, _direction(ctx, m.start(), m.end()))
    return _date(cal.iso_week(saturday) + "-WE")


def _ago(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    n = cal.number_value(m["n"])
    if ctx.anchor is None or n is None:
        return None
    sign = -1 if m["dir"].lower() in ("ago", "earlier", "before") else 1
    unit, a = m["unit"].lower().rstrip("s"), ctx.anchor
    if unit == "year" and n == 1 and _in_quarter_talk(ctx, m):  # "profit fell from a year earlier"
        return _date(_completed_quarter(a, -4))
    if unit == "day":
        return _date((a + dt.timedelta(days=sign * n)).isoformat())
    if unit == "week":
        return _date(cal.iso_week(a + dt.timedelta(weeks=sign * n)))
    if unit == "month":
        d = cal.add_months(a, sign * n)
        return _date(f"{d.year:04d}-{d.month:02d}")
    if unit == "decade":
        return _date(str(a.year // 10 + sign * n))
    return _date(f"{a.year + sign * n:04d}")


_QUARTER_TALK = re.compile(r"(?i)\bquarter|-quarter\b")


def _in_quarter_talk(ctx: _Ctx, m: re.Match[str]) -> bool:
    """Financial reports compare quarters: near talk of one, 'a year ago' or 'the period' means a quarter."""
    right_m = _CLAUSE_END.search(ctx.text, m.end())
    return bool(_QUARTER_TALK.search(ctx.text, max(0, m.start() - 600), right_m.start() if right_m else len(ctx.text)))


def _completed_quarter(anchor: dt.date, shift: int = 0) -> str:
    """The last quarter completed before the anchor, shifted by ``shift`` quarters."""
    q = anchor.year * 4 + cal.quarter(anchor) - 2 + shift
    return f"{q // 4:04d}-Q{q % 4 + 1}"


def _fiscal_quarter(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    words = m.group().lower()
    if "period" in words and not _in_quarter_talk(ctx, m):
        return None
    if "current" in words or "this" in words:
        q = ctx.anchor.year * 4 + cal.quarter(ctx.anchor) - 1
        return _date(f"{q // 4:04d}-Q{q % 4 + 1}")
    return _date(_completed_quarter(ctx.anchor, -4 if "year-" in words or "same" in words else 0))


def _year(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return _date(m["year"])


def _decade(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if m["dec"]:
        return _date(m["dec"][:3])
    short = int(m["short"])
    century = 19 if ctx.anchor is None or short > ctx.anchor.year % 100 else ctx.anchor.year // 100
    return _date(f"{century:02d}{short // 10}")


def _season(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    code = cal.SEASONS[m["season"].lower()]
    if m["year"]:
        return _date(f"{m['year']}-{code}")
    if ctx.anchor is None:
        return None
    rel = (m["rel"] or "this").lower()
    return _date(cal.nearest_season(ctx.anchor, code, _REL_SHIFT.get(rel, 0)))


def _quarter(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    q = cal.ORDINALS[m["ord"].lower()]
    half = m["unit"].lower() == "half"
    if half and q > 2:
        return None
    if m["year"]:
        year = int(m["year"])
    elif ctx.anchor is None:
        return None
    else:
        cur = (ctx.anchor.month - 1) // 6 + 1 if half else cal.quarter(ctx.anchor)
        year = ctx.anchor.year
        if q > cur and _direction(ctx, m.start(), m.end()) < 0:
            year -= 1
    return _date(f"{year:04d}-{'H' if half else 'Q'}{q}")


def _clock(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    if m["noon"]:
        hh, mm = (12, 0) if m["noon"].lower() == "noon" else (24, 0)
    else:
        hh, mm = int(m["h"]), int(m["min"] or 0)
        if hh > 12 or mm > 59:
            return None
        pm = m["ampm"].lower().startswith("p")
        hh = (hh % 12) + (12 if pm else 0)
    if ctx.anchor is None:
        return None
    return "TIME", f"{ctx.anchor.isoformat()}T{hh:02d}:{mm:02d}"


_REFS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "right now": "PRESENT_REF", "current": "PRESENT_REF",
         "recently": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF"}


def _ref(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    return "DATE", _REFS[m.group().lower()]


_MAY_CONTEXT = re.compile(r"(?i)\b(?:in|of|since|until|by|from|through|early|late|mid|last|next|this)\s$")


def _may(m: re.Match[str], ctx: _Ctx) -> tuple[str, str] | None:
    """'May' is a month only after a preposition or qualifier (else it is the modal verb)."""
    if not _MAY_CONTEXT.search(ctx.text, max(0, m.start() - 12), m.start()):
        return None
    return _bare_month(m, ctx)


def _rule(pattern: str, resolver: Resolver) -> tuple[re.Pattern[str], Resolver]:
    return re.compile(pattern), resolver


_I = "(?i:{})".format
# "2000 Russian soldiers": a number followed by a plural noun counts things, it is no year.
_COUNTED_AFTER = r"(?:\s+[A-Z][a-z]+)?\s+(?!(?:was|has|is|does|says|marks|sees|remains|its|this|his|as|plus)\b)[a-z]{2,}s\b"
_FISCAL_QUAL = "(?i:latest|last|past|previous|most recent|recent|year-earlier|year-ago|comparable|same|current|this)"
_RULES: tuple[tuple[re.Pattern[str], Resolver], ...] = (
    _rule(r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b", _iso),
    _rule(r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>\d{4}|\d\d)(?![\d/])", _us_numeric),
    _rule(rf"\b(?P<mon>{_MONTH})\s+(?P<day>{_DAY})\b(?!:)(?:,?\s+(?P<year>{_YEAR})\b)?", _month_day),
    _rule(rf"\b(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<year>{_YEAR})\b)?", _month_day),
    _rule(rf"\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR})\b", _month_year),
    _rule(rf"(?:\b(?P<rel>{_I('last|next|this')})\s+)?\b(?P<mon>(?!May\b){_MONTH_ALONE})(?!\s+\d)", _bare_month),
    _rule(r"\b(?P<rel>)(?P<mon>May)\b(?!\s+\d)", _may),
    _rule(rf"(?:\b(?P<rel>{_I('last|next|this')})\s+)?\b(?P<wd>{_WEEKDAY})(?:\s+(?P<part>{_I(_PART)}))?\b", _weekday),
    _rule(rf"\b(?P<word>{_I('today|yesterday|tomorrow|tonight')})(?:\s+(?P<part>{_I(_PART)}))?\b", _relative_day),
    _rule(rf"\b(?P<word>{_I('this')})\s+(?P<part>{_I('morning|afternoon|evening')})\b", _relative_day),
    _rule(rf"\b(?P<word>{_I('last')})\s+(?P<part>{_I('night')})\b", _relative_day),
    _rule(rf"\b(?:{_I('the')}\s+)?(?P<rel>{_I('this|last|next|past|previous|coming|current')})\s+"
          rf"(?P<unit>{_I('week|weekend|month|year|quarter|decade|spring|summer|fall|autumn|winter')})\b",
          _relative_unit),
    _rule(rf"\b{_I('the')}\s+(?P<unit>{_I('weekend')})\b", _the_weekend),
    _rule(rf"\b(?P<n>{_I(_NUM)})\s+(?P<unit>{_I('days?|weeks?|months?|years?|decades?')})\s+"
          rf"(?P<dir>{_I('ago|earlier|before|from now|hence|later')})\b", _ago),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:{_FISCAL_QUAL}\s+)+(?:{_I('fiscal')}\s+)?(?P<unit>{_I('quarter|period')})\b"
          rf"|\b{_I('year-earlier|year-ago')}\b|\b(?:{_I('the')}\s+)?{_I('quarter')}\b", _fiscal_quarter),
    _rule(rf"\b(?:{_I('fiscal')}\s+)?(?<![$£€#\d,.])(?P<year>{_YEAR})\b(?![,.]?\d|%|\s*(?i:percent|per cent)|{_COUNTED_AFTER})", _year),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:(?:{_I('early|late|mid')})-?\s*)?(?:(?P<dec>(?:1[89]|20)\d0)s|'(?P<short>\d0)s)\b",
          _decade),
    _rule(rf"\b(?:(?P<rel>{_I('last|this|next|early|late')})\s+)?(?P<season>{_I('spring|summer|autumn|winter|fall')})"
          rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?\b", _season),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:{_I('fiscal|calendar')}\s+)?(?P<ord>{_I('first|second|third|fourth|1st|2nd|3rd|4th')})"
          rf"[-\s](?P<unit>{_I('quarter|half')})\b(?:\s+(?:of\s+)?(?:{_I('fiscal')}\s+)?(?P<year>{_YEAR})\b)?", _quarter),
    _rule(rf"\b(?:(?P<h>1[0-2]|0?\d)(?::(?P<min>[0-5]\d))?\s*(?P<ampm>{_AMPM})"
          rf"|(?P<noon>{_I('noon|midnight')})\b)", _clock),
    _rule(rf"\b(?:{_I('right now|now|currently|current|recently')}|{_I('the near future|the future')})\b(?!-)", _ref),
)

# Seasons need a qualifier or a year ("fall" alone is a verb); the lookbehind above cannot say that, so:
_SEASON_OK = re.compile(r"(?i)^(?:last|this|next|early|late)\s|\d{4}$")
_MODIFIER = re.compile(
    r"(?i)(?:\b(?:the\s+)?(?:end|beginning|start|middle|close|first\s+half|second\s+half)\s+of\s+(?:the\s+)?"
    r"|\b(?:early|late|mid)-?\s*|\b(?:earlier|later)\s+)$"
)
_ATTACH = re.compile(r"^(?:\s*,\s*|\s+(?:on\s+|at\s+)?)$")


# Every rule's match contains one of these; the rules run only in windows around them (speed).
_TRIGGER = re.compile(
    r"\b(?:\d{4}|\d{1,2}[:/]|\d{1,2}\s*[ap]\.?m|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|"
    r"thu|fri|sat|sun|today|yesterday|tomorrow|tonight|week|month|year|quarter|decade|spring|summer|fall|autumn|"
    r"winter|half|period|now|current|recent|future|noon|midnight|night|morning|evening|days?\b|ago)"
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # keeps offsets
_WINDOW = 60  # longer than the context any rule reads around its trigger


def _windows(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _TRIGGER.finditer(text.translate(_ASCII_LOWER)):
        s, e = max(0, m.start() - _WINDOW), min(len(text), m.end() + _WINDOW)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _candidates(ctx: _Ctx) -> list[tuple[int, int, int, tuple[str, str] | None]]:
    out = []
    seen: set[tuple[int, int, int]] = set()
    windows = _windows(ctx.text)
    for priority, (pattern, resolver) in enumerate(_RULES):
        for ws, we in windows:
            for m in pattern.finditer(ctx.text, ws, we):
                key = (m.start(), m.end(), priority)
                if key in seen:
                    continue
                seen.add(key)
                if not m.group().strip() or (resolver is _season and not _SEASON_OK.search(m.group())):
                    continue
                out.append((m.start(), m.end(), priority, resolver(m, ctx)))
    return out


def _select(cands: list[tuple[int, int, int, tuple[str, str] | None]]) -> list[tuple[int, int, tuple[str, str] | None]]:
    """Longest match first, then earliest rule; a chosen span blocks every overlapping one."""
    chosen: list[tuple[int, int, tuple[str, str] | None]] = []
    taken: list[tuple[int, int]] = []
    for s, e, _, res in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append((s, e, res))
    return sorted(chosen, key=lambda c: c[0])


def _attach_clock_times(text: str, spans: list[Timex]) -> list[Timex]:
    """'9 a.m. Tuesday', 'Friday at 10 p.m.': one TIME on that day."""
    out: list[Timex] = []
    for t in spans:
        if out:
            prev = out[-1]
            gap = text[prev.end : t.start]
            clock, day = (prev, t) if "T" in prev.value and ":" in prev.value else (t, prev)
            if (
                _ATTACH.match(gap)
                and clock is not day
                and ":" in clock.value
                and re.fullmatch(r"\d{4}-\d\d-\d\d", day.value)
            ):
                out[-1] = Timex(prev.start, t.end, "TIME", day.value + clock.value[10:])
                continue
        out.append(t)
    return out


def tag_times(text: str, anchor: dt.date | None) -> list[Timex]:
    """Every temporal expression the rules resolve, TimeML-typed, in text order."""
    ctx = _Ctx(text, anchor)
    spans: list[Timex] = []
    for s, e, res in _select(_candidates(ctx)):
        if res is None:
            continue
        mod = _MODIFIER.search(text, max(0, s - 40), s)
        if mod and res[1][:1].isdigit():
            s = mod.start()
        spans.append(Timex(s, e, res[0], res[1]))
    return _attach_clock_times(text, spans)


def find_times(text: str, anchor: dt.date | None) -> list[TimeMention]:
    """Dates and periods with calendar values (ISO or partial); relative ones only when ``anchor`` is known.

    Vague references ("now", "recently": TimeML's PRESENT_REF/PAST_REF) are not calendar values and are
    left out here; :func:`tag_times` keeps them for scoring.
    """
    return [TimeMention(t.start, t.end, t.value) for t in tag_times(text, anchor) if t.value[:1].isdigit()]
