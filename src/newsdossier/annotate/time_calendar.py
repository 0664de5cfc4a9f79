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

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
    "seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
NUMBER_WORDS.update({"a": 1, "an": 1, "one": 1, "a couple of": 2, "a few": 3, "several": 3, "dozen": 12})
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
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
