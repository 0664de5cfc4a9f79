"""The first-character guard (annotate.regex_guard) changes speed, never matches."""

from __future__ import annotations

import re
import sys

from newsdossier.annotate.regex_guard import FOLDS_TO_ASCII, first_chars, guarded


def test_the_fold_table_lists_every_non_ascii_letter_ignorecase_matches_to_ascii() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    ascii_letters = "abcdefghijklmnopqrstuvwxyz"
    folding = set(re.findall("(?i)[a-z]", every)) - set(ascii_letters + ascii_letters.upper())
    found: dict[str, str] = {}
    for ch in sorted(folding):
        for letter in ascii_letters:
            if re.fullmatch(letter, ch, re.I):
                found[letter] = found.get(letter, "") + ch
    assert found == FOLDS_TO_ASCII


def test_first_characters_are_read_off_the_pattern() -> None:
    assert first_chars(re.compile(r"(?:\b(?i:last|next)\s+)?\b(?P<mon>March|May)\b")) == set("LlNnM")
    assert first_chars(re.compile(r"(?i:spring)")) == set("sSſ")
    assert first_chars(re.compile(r"(?<=\s)['’](?P<short>\d\d)")) == set("'’")
    assert first_chars(re.compile(r"\b(?:\d+|(?i:a few)) days")) == {r"\d", "a", "A"}  # \d kept as a class
    assert first_chars(re.compile(r"[^a]x")) is None  # a negated class: left unguarded
    assert first_chars(re.compile(r"(?:the)?")) is None  # may match empty
    assert first_chars(re.compile(r"(?i:über)")) is None  # non-ASCII case folding is not worked out


_GUARD = re.compile(r"\(\?=\[(?:\\.|[^\]\\])*\]\)\(\?:(?P<pattern>.*)\)", re.S)


def _unguarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    m = _GUARD.fullmatch(pattern.pattern)
    return re.compile(m["pattern"], pattern.flags) if m else pattern


def test_guarded_patterns_find_the_same_matches() -> None:
    from newsdossier.annotate.time_rules import RULES, TRIGGER, TRIGGER_CASED

    texts = [
        "Last March the talks failed; next May they resume. On Monday, March 3, 2016 at 9 a.m. they met.",
        "THE LAST FEW DAYS of the 1990s and the early '80s: ſpring, İstanbul, Tonıght, 5 P.M. Tuesday.",
        "Christmas Eve, New Year's Day 2015, the third quarter of fiscal 2016, this week, the day before.",
        "at 10:30 GMT, 3/14/2016, 2016-03-14, two days ago, ٣ days later; 12 noon, the 1990s",
    ]
    month = re.compile(r"(?:\b(?P<rel>(?i:last|next|this))\s+)?\b(?P<mon>March|May)\b(?!\s+\d)")
    assert _unguarded(guarded(month)).pattern == month.pattern
    assert sum(_unguarded(p) is not p for p, _, _ in RULES) > 30  # most rules are guarded
    for pattern in [p for p, _, _ in RULES] + [TRIGGER, TRIGGER_CASED, guarded(month)]:
        original = _unguarded(pattern)
        for text in texts:
            want = [(m.span(), m.groupdict()) for m in original.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in pattern.finditer(text)] == want
