"""Tense around a time expression: does the sentence talk about the past or the future?

Bare weekdays, bare months and quarters are resolved by it (see :mod:`times`): the tense cue nearest to
the expression within its clause decides. A future cue after a past auxiliary ("had been due to
expire Friday", "was scheduled to start Monday", "as previously planned") describes a plan that lay in
the past when it was reported, so it counts as past.
"""

from __future__ import annotations

import re

PAST, FUTURE, NO_CUE = -1, 1, -1

FUTURE_CUES = re.compile(
    r"\b(?:will|won't|shall|'ll|would|going to|plan(?:s|ned|ning)?\s+(?:to|for|on)|scheduled|set to|set for|slated|expected|"
    r"expected to|expects? to|due to|due|next|upcoming|coming|is to|are to|to be held|to begin|to start|"
    r"as soon as|as early as|postponed until|until|by|through|before)\b",
    re.IGNORECASE,
)
# Words that make the cue right after them a past plan: "had been due to", "was expected to".
_PAST_PLAN = re.compile(r"(?i)\b(?:had(?:\s+been)?|was|were|previously|originally|initially)\s+(?:\w+\s+)?$")
# Cues that are only weakly future: they decide only when nothing else is close.
_WEAK_FUTURE = frozenset({"by", "through", "before", "until", "due"})
PAST_CUES = re.compile(
    r"\b(?:was|were|had|did|said|says|told|ago|last|earlier|yesterday|[a-z]{3,}ed|began|came|went|took|made|"
    r"saw|left|fell|rose|spoke|met|gave|got|held|won|lost|sold|bought|paid|led|ran|sent|put|set|hit|cut|quit|"
    r"struck|brought|thought|found|became|flew|fought|knew|meant|wrote|broke|chose|drove|"
    r"grew|shot|spent|stood|threw|woke|wore|kept|felt|heard|sought|caught|taught|dealt|drew|fled|swore|"
    r"built|lent|dug|hung|slid|spun|stuck|swept|withdrew|overtook|undertook|since)\b",
    re.IGNORECASE,
)
_NOT_PAST = frozenset({"need", "speed", "indeed", "seed", "feed", "bed", "red", "hundred", "shed", "breed", "proceed",
                       "succeed", "exceed", "weed", "steed", "creed", "greed", "bleed", "embed", "united", "limited",
                       "based", "related"})
_PERFECT = re.compile(r"(?i)\bhad\b")
# A participle right after a determiner is an adjective and carries no tense: "a still unspecified date",
# "the recently announced venture", "its planned merger".
_ATTRIBUTIVE_BEFORE = re.compile(
    r"(?i)\b(?:a|an|the|its|his|her|their|our|your|this|these|those|any|some|no|every|each)\s+"
    r"(?:(?:[a-z]+ly|still|not|yet|already)\s+)?$"
)
_REGULAR_PAST = re.compile(r"(?i)[a-z]{3,}ed")
# Between "until"/"by" and the expression, a period qualifier keeps the cue close: "until mid-November".
_QUALIFIER_GAP = re.compile(
    r"(?i)\s*(?:(?:the\s+)?(?:early|mid|late|end\s+of|beginning\s+of|start\s+of|middle\s+of)(?:\s+the)?\s*-?\s*)?"
)
_PASSIVE_AFTER = re.compile(r"(?i)\b(?:be|to)\s+$")
CLAUSE_END = re.compile(r"[.!?](?=\s)|[\n;]")  # not the point in "$1.5"
_REACH = 300


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - _REACH)
    left = max((m.end() for m in CLAUSE_END.finditer(text, lo, start)), default=lo)
    right_m = CLAUSE_END.search(text, end, end + _REACH)
    return left, (right_m.start() if right_m else min(len(text), end + _REACH))


# A cue across a comma belongs to another phrase more often than not ("a war that began in
# September, is due to end"): it counts as this many characters farther away.
_COMMA_PENALTY = 30


def _gap(text: str, cue_start: int, cue_end: int, start: int, end: int) -> int:
    """Distance in characters from a tense cue to the expression, a comma between them adding a penalty."""
    lo, hi = (cue_end, start) if cue_end <= start else (end, cue_start)
    return hi - lo + (_COMMA_PENALTY if "," in text[lo:hi] else 0)


def direction(text: str, start: int, end: int) -> int:
    """-1 past / +1 future, from the tense cue nearest to ``text[start:end]`` within its clause."""
    return cue_at(text, start, end) or NO_CUE


def cue_at(text: str, start: int, end: int) -> int:
    """-1 past cue / +1 future cue nearest to ``text[start:end]`` in its clause; 0 when there is none."""
    left, right = clause_bounds(text, start, end)
    best: tuple[int, int, int] | None = None  # (gap, weak, sign)
    has_perfect = _PERFECT.search(text, left, right) is not None
    for m in FUTURE_CUES.finditer(text, left, right):
        if start <= m.start() < end:
            continue
        word = m.group().lower()
        weak = word in _WEAK_FUTURE
        if weak and m.end() <= start and not _QUALIFIER_GAP.fullmatch(text, m.end(), start):
            continue  # "by", "until" count only right before the expression: "until Tuesday"
        if weak and (m.start() >= end or has_perfect):
            continue  # "Until Thursday, they had ...": a limit in the past
        sign = PAST if _PAST_PLAN.search(text, max(left, m.start() - 30), m.start()) else FUTURE
        gap = _gap(text, m.start(), m.end(), start, end)
        cand = (gap, 0, sign)
        if best is None or cand[:2] < best[:2]:
            best = cand
    for m in PAST_CUES.finditer(text, left, right):
        if start <= m.start() < end or m.group().lower() in _NOT_PAST:
            continue
        if _PASSIVE_AFTER.search(text, max(left, m.start() - 10), m.start()):
            continue  # "will be paid in January": a participle after "be" carries no tense
        if _REGULAR_PAST.fullmatch(m.group()) and _ATTRIBUTIVE_BEFORE.search(text, max(left, m.start() - 30), m.start()):
            continue
        gap = _gap(text, m.start(), m.end(), start, end)
        if best is None or gap < best[0]:
            best = (gap, 0, PAST)
    return best[2] if best else 0


def tense_at(text: str, start: int, end: int) -> int:
    """-1 if the span sits in past-tense context, +1 if future (the rule the resolvers use)."""
    return direction(text, start, end)
