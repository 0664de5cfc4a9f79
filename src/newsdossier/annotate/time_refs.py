"""Resolvers for references that are no calendar value of their own: vague ones (TimeML's PRESENT_REF,
PAST_REF, FUTURE_REF: "now", "recently", "in coming months") and ones relative to another date of the text
("that year", "the following day", "the previous Friday", "to end the day").

The latter return a placeholder (``@day+1``, ``@wd4-1``; a trailing ``~`` falls back to the anchor) that
:func:`times.tag_times` resolves against the nearest preceding date it found.
"""

from __future__ import annotations

import re

from . import time_calendar as cal
from .time_resolve import Ctx

# What must come before "the day" for it to be the day reported on: "to end the day", "for the day",
# "the start of the day" (but "at the end of the day" is an idiom: in the end).
_REPORT_DAY_BEFORE = re.compile(
    r"(?i)(?:\b(?:end|ended|ending|ends|finish|finished|finishing|close|closed|closing|start|started|for|during|"
    r"throughout)|(?<!\bat )\bthe\s+(?:start|end|rest|remainder)\s+of)\s+$"
)


def report_day(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'to end the day', 'late in the day': the last day the text named, else the day of writing."""
    if m.group()[:3].lower() == "the" and not _REPORT_DAY_BEFORE.search(ctx.text, max(0, m.start() - 20), m.start()):
        return None
    return "DATE", "@day+0~"


_DISCOURSE = {"that same": 0, "that": 0, "the same": 0, "the following": 1, "the next": 1, "the previous": -1, "the preceding": -1}


def discourse(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'that year', 'the following day', 'the next morning': relative to the last date in the text."""
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    if unit in ("morning", "afternoon", "evening", "night"):
        unit = "day"
    return "DATE", f"@{unit}{_DISCOURSE.get(rel, 0):+d}"


def discourse_weekday(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'the previous Friday', 'the following Monday': that weekday before/after the last day in the text."""
    sign = "+" if m["rel"].lower() == "following" else "-"
    return "DATE", f"@wd{cal.WEEKDAYS[m['wd'].lower()]}{sign}1"


_VAGUE_SIGN = {"recent": "PAST_REF", "past": "PAST_REF", "last": "PAST_REF", "coming": "FUTURE_REF",
               "upcoming": "FUTURE_REF", "next": "FUTURE_REF"}


def vague_period(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    """'in recent years', 'coming months', 'the last few weeks', 'these days': TimeML's vague references."""
    if m["these"]:
        return "DATE", "PRESENT_REF"
    return "DATE", _VAGUE_SIGN[(m["rel"] or m["rel2"]).lower()]


_AS_SOON = re.compile(r"(?i)\s+as\b")
_AS_BEFORE = re.compile(r"(?i)\bas\s+$")
REFS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "right now": "PRESENT_REF", "current": "PRESENT_REF",
        "recently": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
        "the past": "PAST_REF", "recent": "PAST_REF", "soon": "FUTURE_REF", "future": "FUTURE_REF"}


# "was soon released", "soon became", "soon after the vote": soon after a past event, no future reference
_PAST_NEIGHBOUR_BEFORE = re.compile(r"(?i)\b(?:was|were|had|did|[a-z]{3,}ed)\s+$")
_PAST_NEIGHBOUR_AFTER = re.compile(r"(?i)\s+(?:after|afterwards?|thereafter|became|began|came|went|took|made|left|"
                                   r"fell|rose|found|turned|grew|spread|[a-z]{3,}ed)\b")


_THEN_BEFORE = re.compile(r"(?i)\bthen[\s-]+$")


def ref(m: re.Match[str], ctx: Ctx) -> tuple[str, str] | None:
    if _THEN_BEFORE.search(ctx.text, max(0, m.start() - 6), m.start()):
        return "DATE", "PAST_REF"  # "the then current price": current at a past time
    if m.group().lower() == "soon":
        if _AS_SOON.match(ctx.text, m.end()) and _AS_BEFORE.search(ctx.text, max(0, m.start() - 6), m.start()):
            return None  # "as soon as": a conjunction, no time reference
        if (_PAST_NEIGHBOUR_BEFORE.search(ctx.text, max(0, m.start() - 20), m.start())
                or _PAST_NEIGHBOUR_AFTER.match(ctx.text, m.end())):
            return None
    return "DATE", REFS[" ".join(m.group().lower().split())]
