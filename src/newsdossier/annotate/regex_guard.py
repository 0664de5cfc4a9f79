"""A first-character guard for patterns that open with optional or case-insensitive words (speed only).

Python's ``re`` tries such a pattern in full at every character ("(?:(?i:last|next|this)\\s+)?\\b(?P<mon>
...)": three case-insensitive words, then a dozen months). :func:`guarded` prefixes a lookahead on the
characters a match can start with, read off the parsed pattern, so most positions fail in one step. The
matches are the same: the lookahead only skips positions where no match can start. When that set cannot
be read (a pattern that may start with any character or a negated class, an empty match) the pattern is
returned as it is.
"""

from __future__ import annotations

import re
from re import _constants as c  # the parser's op codes (CPython's sre)
from re import _parser

# Non-ASCII letters re.IGNORECASE matches to ASCII ones ("İ", "ı" ~ i, "ſ" ~ s, Kelvin sign ~ k);
# tests/test_regex_guard.py checks the table against every code point.
FOLDS_TO_ASCII = {"i": "İı", "s": "ſ", "k": "\u212a"}
_CLASSES = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_SPACE: r"\s", c.CATEGORY_WORD: r"\w"}
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)


class _Unknown(Exception):
    """The first characters cannot be told (the pattern is left unguarded)."""


def _chars(code: int, ignore_case: bool) -> set[str]:
    ch = chr(code)
    if not ignore_case:
        return {ch}
    if not ch.isascii():
        raise _Unknown  # which other characters fold onto it is not worth knowing here
    if not ch.isalpha():
        return {ch}
    low = ch.lower()
    return {low, ch.upper(), *FOLDS_TO_ASCII.get(low, "")}


def _first_of_item(op, av, ignore_case: bool) -> tuple[set[str], bool]:
    """(characters a match of this item can start with, can it match empty)."""
    if op is c.LITERAL:
        return _chars(av, ignore_case), False
    if op is c.IN:
        out: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                out |= _chars(value, ignore_case)
            elif kind is c.RANGE and value[1] - value[0] < 128:
                for code in range(value[0], value[1] + 1):
                    out |= _chars(code, ignore_case)
            elif kind is c.CATEGORY and value in _CLASSES:
                out.add(_CLASSES[value])  # kept as the class itself: "\\d" (case plays no part)
            else:  # NEGATE, other categories (\D, \S, \W), wide ranges
                raise _Unknown
        return out, False
    if op is c.SUBPATTERN:
        _, add, remove, sub = av
        case = (ignore_case or bool(add & c.SRE_FLAG_IGNORECASE)) and not remove & c.SRE_FLAG_IGNORECASE
        return _first(sub, case)
    if op is c.BRANCH:
        out, empty = set(), False
        for alternative in av[1]:
            first, may_be_empty = _first(alternative, ignore_case)
            out |= first
            empty = empty or may_be_empty
        return out, empty
    if op in _REPEATS:
        low, _, sub = av
        first, may_be_empty = _first(sub, ignore_case)
        return first, may_be_empty or low == 0
    if op is c.ATOMIC_GROUP:
        return _first(av, ignore_case)
    if op in _ZERO_WIDTH:
        return set(), True  # a boundary or a lookaround consumes nothing: what follows starts the match
    raise _Unknown  # ANY, NOT_LITERAL, back references, conditionals


def _first(items, ignore_case: bool) -> tuple[set[str], bool]:
    out: set[str] = set()
    for op, av in items:
        first, may_be_empty = _first_of_item(op, av, ignore_case)
        out |= first
        if not may_be_empty:
            return out, False
    return out, True


def first_chars(pattern: re.Pattern[str]) -> set[str] | None:
    """The characters every match of ``pattern`` starts with (single characters, and the classes
    "\\d", "\\s", "\\w" as such), or None when they cannot be told."""
    try:
        first, may_be_empty = _first(_parser.parse(pattern.pattern, pattern.flags),
                                     bool(pattern.flags & re.IGNORECASE))
    except _Unknown:
        return None
    return None if may_be_empty or not first else first


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a lookahead on its first characters (same matches), or as it is."""
    first = first_chars(pattern)
    if first is None:
        return pattern
    chars = "".join(ch if len(ch) > 1 else re.escape(ch) for ch in sorted(first))
    try:
        return re.compile(f"(?=[{chars}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # a global inline flag ("(?i)...") must stay at the start
        return pattern
