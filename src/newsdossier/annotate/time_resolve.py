"""Resolvers for the time rules: a regex match and its context to a TimeML (type, value), or None.

Each resolver reads the named groups of its rule (:mod:`time_rules`). Relative expressions need the
anchor (publication date) and return None without one. Expressions relative to another date in the text
("that year", "the following day") return a placeholder ``@year+1`` / ``@day+0`` that
:func:`times.tag_times` resolves against the nearest preceding date it found.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import time_calendar as cal
from .time_tense import CLAUSE_END, cue_at, direction

Result = "tuple[str, str] | None"


@dataclass(frozen=True, slots=True)
class Ctx:
    text: str
    anchor: dt.date | None


def _dir(ctx: Ctx, m: re.Match[str]) -> int:
    return direction(ctx.text, m.start(), m.end())


def _month(word: str) -> int:
    return cal.MONTHS[word.lower().rstrip(".")]


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _date(value: str | None) -> tuple[str, str] | None:
    return ("DATE", value) if value else None


_PART_CODE = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}


def _with_part(day: dt.date, part: str | None) -> tuple[str, str]:
    """A day, or a part of it ('Friday morning' -> 2016-03-18TMO) as TimeML writes it."""
    if part:
        return "TIME", day.isoformat() + _PART_CODE[part.lower()]
    return "DATE", day.isoformat()


def iso(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    return _date(_ymd(int(m["y"]), int(m["m"]), int(m["d"])))


def us_numeric(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    y = int(m["y"])
    y = y + (1900 if y >= 50 else 2000) if y < 100 else y
    return _date(_ymd(y, int(m["m"]), int(m["d"])))


def month_day(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    month, day = _month(m["mon"]), int(re.sub(r"\D", "", m["day"]))
    if m["year"]:
        return _date(_ymd(int(m["year"]), month, day))
    if ctx.anchor is None:
        return None
    year = cal.day_year(ctx.anchor, month, day)
    year = _tense_year(ctx, m, month, day, year)
    # "Friday, Oct. 13": the year in which that day is that weekday, if near
    if "wd" in m.re.groupindex and m["wd"] and year:
        wd = cal.WEEKDAYS[m["wd"].lower()]
        for y in (year, year - 1, year + 1):
            v = _ymd(y, month, day)
            if v and dt.date.fromisoformat(v).weekday() == wd:
                year = y
                break
    return _date(_ymd(year, month, day)) if year else None


# Beyond about a quarter of a year from the anchor, a tense cue outweighs nearness.
_TENSE_SWITCH_DAYS = 90


def _tense_year(ctx: Ctx, m: re.Match[str], month: int, day: int, year: int | None) -> int | None:
    """'was last seen Nov. 3' in May: the nearest Nov. 3 lies ahead, but the past tense says last year's."""
    if year is None or ctx.anchor is None:
        return year
    try:
        gap = (dt.date(year, month, day) - ctx.anchor).days
    except ValueError:
        return year
    if abs(gap) <= _TENSE_SWITCH_DAYS:
        return year
    cue = cue_at(ctx.text, m.start(), m.end())
    if cue < 0 and gap > 0:
        return year - 1
    if cue > 0 and gap < 0:
        return year + 1
    return year


def week_of(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    day = month_day(m, ctx)
    return None if day is None else _date(cal.iso_week(dt.date.fromisoformat(day[1])))


def month_year(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    return _date(f"{int(m['year']):04d}-{_month(m['mon']):02d}")


def bare_month(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    month, rel = _month(m["mon"]), (m["rel"] or "").lower()
    yrel = (m["yrel"] or "").lower() if "yrel" in m.re.groupindex else ""
    if yrel:  # "July last year", "April next year"
        year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[yrel]
    elif rel == "last":
        year = ctx.anchor.year - (month >= ctx.anchor.month)
    elif rel == "next":
        year = ctx.anchor.year + (month <= ctx.anchor.month)
    elif rel == "this":
        year = ctx.anchor.year
    else:
        year = cal.month_year(ctx.anchor, month, _dir(ctx, m))
    return _date(f"{year:04d}-{month:02d}")


_MAY_CONTEXT = re.compile(r"(?i)\b(?:in|of|since|until|by|from|through|early|late|mid|last|next|this)\s$")


def may(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'May' is a month only after a preposition or qualifier (else it is the modal verb)."""
    if not _MAY_CONTEXT.search(ctx.text, max(0, m.start() - 12), m.start()) and not m["yrel"]:
        return None
    return bare_month(m, ctx)


_CLOCK_BEFORE = re.compile(
    r"(?i)\b(?:\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?|noon|midnight|midday)(?:\s*\(?[ECMP][SD]T\)?)?,?\s+(?:on\s+)?$"
)


def weekday(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    wd, rel = cal.WEEKDAYS[m["wd"].lower()], (m["rel"] or "").lower()
    if rel == "last":
        day = cal.weekday_near(ctx.anchor - dt.timedelta(days=1), wd, -1)
    elif rel == "next":
        day = cal.weekday_near(ctx.anchor, wd, 1)
    elif rel == "this" or wd == ctx.anchor.weekday():
        # A bare weekday naming the anchor's own weekday is the day of writing ("said Friday" in Friday's paper)
        day = ctx.anchor + dt.timedelta(days=wd - ctx.anchor.weekday())
    else:
        # "until 9 a.m. Tuesday": the clock time belongs to the day, so tense cues count from its start
        clock = _CLOCK_BEFORE.search(ctx.text, max(0, m.start() - 30), m.start())
        day = cal.weekday_near(ctx.anchor, wd, direction(ctx.text, clock.start() if clock else m.start(), m.end()))
    # "Friday morning" -> 2016-03-18TMO as TimeML writes it; "Friday night" stays the day: it often runs
    # past midnight, and TimeBank mostly gives the day alone (or tags only "Friday").
    part = m["part"] if m["part"] and m["part"].lower() != "night" else None
    if m["part"] and not part:
        return "TIME", day.isoformat()
    return _with_part(day, part)


_DAY_OFFSET = {"last": -1, "today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "this": 0}


# A capitalised word right before "Today" makes it part of a name (a programme, a newspaper).
_NAME_BEFORE = re.compile(r"\b[A-Z][A-Za-z]*\s+$")


def relative_day(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    if m["word"][0].isupper() and _NAME_BEFORE.search(ctx.text, max(0, m.start() - 30), m.start()):
        return None
    word = m["word"].lower()
    day = ctx.anchor + dt.timedelta(days=_DAY_OFFSET.get(word, 0))
    if word == "tonight":
        return "TIME", day.isoformat()
    return _with_part(day, m["part"])


REL_SHIFT = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}


def relative_unit(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    a, n, unit = ctx.anchor, REL_SHIFT[m["rel"].lower()], m["unit"].lower()
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
    if unit == "century":
        return _date(f"{a.year // 100 + n:02d}")
    return _date(cal.nearest_season(a, cal.SEASONS[unit], n))


def the_year(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'the year', 'the full year', 'year-end': the anchor's year (news speaks of the current one)."""
    return None if ctx.anchor is None else _date(f"{ctx.anchor.year:04d}")


def the_weekend(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    saturday = cal.weekday_near(ctx.anchor, 5, _dir(ctx, m))
    return _date(cal.iso_week(saturday) + "-WE")


_QUARTER_TALK = re.compile(r"(?i)\bquarter|-quarter\b")


def in_quarter_talk(ctx: Ctx, m: re.Match[str]) -> bool:
    """Financial reports compare quarters: near talk of one, 'a year ago' or 'the period' means a quarter."""
    right_m = CLAUSE_END.search(ctx.text, m.end())
    return bool(_QUARTER_TALK.search(ctx.text, max(0, m.start() - 600), right_m.start() if right_m else len(ctx.text)))


def completed_quarter(anchor: dt.date, shift: int = 0) -> str:
    """The last quarter completed before the anchor, shifted by ``shift`` quarters."""
    q = anchor.year * 4 + cal.quarter(anchor) - 2 + shift
    return f"{q // 4:04d}-Q{q % 4 + 1}"


def ago(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    n = cal.number_value(m["n"])
    if ctx.anchor is None or n is None:
        return None
    sign = -1 if m["dir"].lower() in ("ago", "earlier", "before") else 1
    unit, a = m["unit"].lower().rstrip("s"), ctx.anchor
    if unit == "year" and n == 1 and in_quarter_talk(ctx, m):  # "profit fell from a year earlier"
        return _date(completed_quarter(a, -4))
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


def fiscal_quarter(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if ctx.anchor is None:
        return None
    words = m.group().lower()
    if "period" in words and not in_quarter_talk(ctx, m):
        return None
    if "current" in words or "this" in words:
        q = ctx.anchor.year * 4 + cal.quarter(ctx.anchor) - 1
        return _date(f"{q // 4:04d}-Q{q % 4 + 1}")
    return _date(completed_quarter(ctx.anchor, -4 if "year-" in words or "same" in words else 0))


def year(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    return _date(m["year"])


def spelled_year(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    y = cal.spelled_year(m["words"])
    return _date(f"{y:04d}") if y else None


DECADE_WORDS = {w: 10 * i for i, w in enumerate(
    ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"), start=2)}
CENTURY_WORDS = {w: i for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
     "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
     "twentieth", "twenty-first"], start=1)}


def _century_of(two_digits: int, anchor: dt.date | None) -> int:
    """The century of a year written with two digits ("'82", "the 70s"): the latest such year not after
    the anchor, the 1900s without one."""
    return 19 if anchor is None or two_digits > anchor.year % 100 else anchor.year // 100


def decade(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    g = m.groupdict()  # two rules share this resolver: "the 1980s" / "'80s", and "the 80s" / "the eighties"
    if g.get("dec"):
        return _date(g["dec"][:3])
    short = DECADE_WORDS[g["word"].lower()] if g.get("word") else int(g["short"])
    return _date(f"{_century_of(short, ctx.anchor):02d}{short // 10}")


def century(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'the 11th century' -> '10' (TimeML writes a century as its first two digits)."""
    word = m["ord"].lower()
    n = CENTURY_WORDS.get(word) or int(re.sub(r"\D", "", word))
    return _date(f"{n - 1:02d}")


def season(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    code = cal.SEASONS[m["season"].lower()]
    if m["year"]:
        return _date(f"{m['year']}-{code}")
    if ctx.anchor is None:
        return None
    rel = (m["rel"] or "this").lower()
    return _date(cal.nearest_season(ctx.anchor, code, REL_SHIFT.get(rel, 0)))


def quarter(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    half = m["unit"].lower() == "half"
    word = m["ord"].lower()
    q = (2 if half else 4) if word in cal.LAST_ORDINALS else cal.ORDINALS[word]
    if half and q > 2:
        return None
    if m["year"]:
        y = int(m["year"])
    elif ctx.anchor is None:
        return None
    else:
        cur = (ctx.anchor.month - 1) // 6 + 1 if half else cal.quarter(ctx.anchor)
        y = ctx.anchor.year
        if q > cur and _dir(ctx, m) < 0:
            y -= 1
    return _date(f"{y:04d}-{'H' if half else 'Q'}{q}")


_YREL_SHIFT = {"year-ago": -1, "year-earlier": -1, "last": -1, "next": 1, "this": 0}


def year_quarter(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """A quarter or half of a stated or relative year; without its number, the quarter being reported."""
    if m["year"]:
        y = int(m["year"])
    elif ctx.anchor is None:
        return None
    else:
        y = ctx.anchor.year + _YREL_SHIFT[m["yrel"].lower().split()[0].replace("’", "'").split("'")[0]]
    unit = m["unit"].lower()
    if m["ord"]:
        q = cal.ORDINALS[m["ord"].lower()]
        return None if unit == "half" and q > 2 else _date(f"{y:04d}-{'H' if unit == 'half' else 'Q'}{q}")
    if unit == "half" or ctx.anchor is None:
        return None
    return _date(f"{y:04d}-Q{completed_quarter(ctx.anchor)[-1]}")


def clock(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if m["noon"]:
        hh, mm = (12, 0) if m["noon"].lower() in ("noon", "midday") else (24, 0)
    else:
        hh, mm = int(m["h"]), int(m["min"] or 0)
        if hh > 12 or mm > 59:
            return None
        pm = m["ampm"].lower().startswith("p")
        hh = (hh % 12) + (12 if pm else 0)
    if ctx.anchor is None:
        return None
    return "TIME", f"{ctx.anchor.isoformat()}T{hh:02d}:{mm:02d}"


def clock_24(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'16:08 UTC' on the anchor's day, its zone kept as ISO's Z."""
    if ctx.anchor is None:
        return None
    return "TIME", f"{ctx.anchor.isoformat()}T{int(m['h']):02d}:{m['min']}Z"


_SHORT_YEAR_BEFORE = re.compile(r"(?i)\b(?:in|of|to|by|since|from|and|until)\s+$")


def short_year(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """"since '82": the latest such year not after the anchor (or the 1900s without one)."""
    if not _SHORT_YEAR_BEFORE.search(ctx.text, max(0, m.start() - 7), m.start()):
        return None
    yy = int(m["short"])
    return _date(f"{_century_of(yy, ctx.anchor) * 100 + yy:04d}")


def holiday(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'Thanksgiving', 'last Christmas', 'Easter 2016': the holiday's day, in the year tense points to."""
    name = m["name"]
    if m["year"]:
        day = cal.holiday(name, int(m["year"]))
        return _date(day.isoformat()) if day else None
    if ctx.anchor is None or cal.holiday(name, ctx.anchor.year) is None:
        return None
    a, rel = ctx.anchor, (m["rel"] or "").lower()
    sign = {"last": -1, "next": 1}.get(rel) or (0 if rel == "this" else _dir(ctx, m))
    days = [cal.holiday(name, y) for y in (a.year - 1, a.year, a.year + 1)]
    if sign == 0:
        day = days[1]
    elif sign < 0:
        day = max(d for d in days if d is not None and d <= a)
    else:
        day = min(d for d in days if d is not None and d > a)
    return _date(day.isoformat()) if day else None
