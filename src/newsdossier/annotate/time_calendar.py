"""Calendar words and arithmetic for the time tagger: month/weekday names, number words, ISO partials.

Kept apart from the patterns in :mod:`times` so both stay small; everything here is pure.
"""

from __future__ import annotations

import datetime as dt

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "january jan", "february feb", "march mar", "april apr", "may", "june jun",
        "july jul", "august aug", "september sep sept", "october oct", "november nov", "december dec",
    ),
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

WEEKDAYS: dict[str, int] = {
    n: i for i, names in enumerate(
        ("monday mon", "tuesday tue tues", "wednesday wed", "thursday thu thurs", "friday fri", "saturday sat",
         "sunday sun")
    ) for n in names.split()
}

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
NUMBER_WORDS.update({"a": 1, "an": 1, "one": 1, "a couple of": 2, "a few": 3, "several": 3, "dozen": 12})
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
LAST_ORDINALS = frozenset({"last", "final", "latter"})  # "the last half of 1989": H2, "the final quarter": Q4
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}


def number_value(word: str) -> int | None:
    """'6' -> 6, 'six' -> 6, 'twenty-four' -> 24, 'a' -> 1; None if not a number."""
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w]
    parts = w.replace(" ", "-").split("-")
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS[1:10]:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def quarter(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def season_of(d: dt.date) -> tuple[int, str]:
    """The season a day falls in, as (year, code); winter belongs to the year it starts in."""
    if d.month == 12:
        return d.year, "WI"
    if d.month <= 2:
        return d.year - 1, "WI"
    return d.year, ("SP", "SU", "FA")[(d.month - 3) // 3]


def shift_season(year: int, code: str, direction: int) -> tuple[int, str]:
    order = ["SP", "SU", "FA", "WI"]
    i = order.index(code) + direction
    return year + i // 4, order[i % 4]


def nearest_season(anchor: dt.date, code: str, direction: int) -> str:
    """'last/next/this <season>': the closest instance before (-1), after (+1) or around (0) the anchor."""
    year, cur = season_of(anchor)
    if direction == 0:
        return f"{anchor.year - 1 if code == 'WI' and anchor.month <= 2 else anchor.year}-{code}"
    for _ in range(4):
        year, cur = shift_season(year, cur, direction)
        if cur == code:
            break
    return f"{year}-{code}"


def weekday_near(anchor: dt.date, weekday: int, direction: int) -> dt.date:
    """The weekday nearest the anchor in a direction: -1 the last one (today counts), +1 the coming one."""
    if direction < 0:
        return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)
    return anchor + dt.timedelta(days=((weekday - anchor.weekday()) % 7) or 7)


def month_year(anchor: dt.date, month: int, direction: int) -> int:
    """The year of a bare month name: the anchor's, unless tense pushes it over a year boundary."""
    if direction < 0 and month > anchor.month:
        return anchor.year - 1
    if direction > 0 and month < anchor.month:
        return anchor.year + 1
    return anchor.year


def day_year(anchor: dt.date, month: int, day: int) -> int | None:
    """The year of 'March 17' without one: the candidate year that puts the day nearest the anchor."""
    best: tuple[int, int] | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            gap = abs((dt.date(y, month, day) - anchor).days)
        except ValueError:
            continue
        if best is None or gap < best[0]:
            best = (gap, y)
    return None if best is None else best[1]


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 2 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 = last) given weekday of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


# Holidays with a fixed date or a rule; names lower-case, apostrophes dropped. US ones are the ones the
# English news corpora name; the list is about days, not countries.
_FIXED_HOLIDAYS = {
    "new years day": (1, 1), "new year": (1, 1), "new years eve": (12, 31), "valentines day": (2, 14),
    "st patricks day": (3, 17), "independence day": (7, 4), "fourth of july": (7, 4), "bastille day": (7, 14),
    "halloween": (10, 31), "veterans day": (11, 11), "armistice day": (11, 11), "remembrance day": (11, 11),
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25), "boxing day": (12, 26),
    "may day": (5, 1), "labour day": (5, 1),
}
_EASTER_OFFSETS = {"easter": 0, "easter sunday": 0, "easter monday": 1, "good friday": -2, "palm sunday": -7,
                   "ash wednesday": -46, "pentecost": 49, "whit sunday": 49}


def holiday(name: str, year: int) -> dt.date | None:
    """The day of a named holiday in a year, or None if the name is unknown."""
    key = name.lower().replace("'", "").replace("’", "").replace(".", "")
    key = " ".join(key.split())
    if key in _FIXED_HOLIDAYS:
        return dt.date(year, *_FIXED_HOLIDAYS[key])
    if key in _EASTER_OFFSETS:
        return easter(year) + dt.timedelta(days=_EASTER_OFFSETS[key])
    if key in ("thanksgiving", "thanksgiving day"):
        return nth_weekday(year, 11, 3, 4)
    if key == "memorial day":
        return nth_weekday(year, 5, 0, -1)
    if key == "labor day":
        return nth_weekday(year, 9, 0, 1)
    if key in ("martin luther king day", "martin luther king jr day", "mlk day"):
        return nth_weekday(year, 1, 0, 3)
    if key in ("presidents day", "washingtons birthday"):
        return nth_weekday(year, 2, 0, 3)
    if key == "columbus day":
        return nth_weekday(year, 10, 0, 2)
    if key == "election day":  # the Tuesday after the first Monday of November
        return nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
    return None


def spelled_year(words: str) -> int | None:
    """'nineteen ninety-one' -> 1991, 'two thousand' -> 2000, 'two thousand and five' -> 2005."""
    w = words.lower().replace("-", " ").split()
    w = [x for x in w if x != "and"]
    if w[:2] == ["two", "thousand"]:
        rest = w[2:]
        if not rest:
            return 2000
        n = number_value("-".join(rest)) if len(rest) <= 2 else None
        return 2000 + n if n is not None and n < 100 else None
    if len(w) >= 2 and w[0] in ("eighteen", "nineteen", "twenty"):
        century = NUMBER_WORDS[w[0]]
        rest = w[1:]
        if rest == ["hundred"]:
            return century * 100
        if rest[0] == "oh" and len(rest) == 2 and rest[1] in NUMBER_WORDS and NUMBER_WORDS[rest[1]] < 10:
            return century * 100 + NUMBER_WORDS[rest[1]]
        n = number_value("-".join(rest)) if len(rest) <= 2 else None
        if n is not None and 10 <= n < 100:
            return century * 100 + n
    return None


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def period_start(value: str) -> dt.date | None:
    """The first day of a TimeML calendar value (2015 -> 2015-01-01, 2015-W11 -> its Monday, 199 -> 1990-01-01,
    century 19 -> 1900-01-01).

    None for values that are no calendar period (PRESENT_REF) or that cannot be read.
    """
    try:
        if len(value) == 2 and value.isdigit():  # a century: "19" -> 1900-01-01
            return dt.date(max(1, int(value) * 100), 1, 1)
        if len(value) == 3 and value.isdigit():
            return dt.date(int(value) * 10, 1, 1)
        if not (value[:4].isdigit()):
            return None
        y, rest = int(value[:4]), value[4:]
        if not rest:
            return dt.date(y, 1, 1)
        if rest[:2] == "-W":
            return dt.date.fromisocalendar(y, int(rest[2:4]), 6 if rest.endswith("-WE") else 1)
        if rest[:2] == "-Q":
            return dt.date(y, 3 * int(rest[2]) - 2, 1)
        if rest[:2] == "-H":
            return dt.date(y, 6 * int(rest[2]) - 5, 1)
        if rest[1:3] in _SEASON_START:
            return dt.date(y, _SEASON_START[rest[1:3]], 1)
        if len(rest) == 3:
            return dt.date(y, int(rest[1:3]), 1)
        return dt.date(y, int(rest[1:3]), int(rest[4:6]))
    except (ValueError, IndexError):
        return None


def add_units(d: dt.date, n: int, unit: str) -> dt.date:
    """``d`` plus ``n`` days, weeks, months or years (month ends clamp: Jan 31 + 1 month = Feb 28/29)."""
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit == "week":
        return d + dt.timedelta(weeks=n)
    if unit == "month":
        return add_months(d, n)
    if unit == "decade":
        return add_months(d, 120 * n)
    return add_months(d, 12 * n)
