"""Quantities: numbers with their unit and what they count ("more than 9,000 sorties", "$5 million").

Conventions (what ``Quantity.value`` carries):

- an exact number: the number (``800.0``); scales applied ("2 billion" -> 2e9);
- a range "3,000 to 6,000", "between 3,000 and 6,000", "1-2 billion": ``(low, high)``;
- a bound: "more than / over / at least N" -> ``(N, inf)``; "up to / less than / under N" -> ``(0, N)``;
  "nearly / almost N" -> ``(0.9 N, N)`` (JSON writers write ``inf`` as null: an open end);
- an approximation "around / about / roughly / some / an estimated N" -> ``(0.9 N, 1.1 N)`` (+-10%).

``unit``: ISO currency code (USD, EUR, GBP, ...), "%", or a measure ("sq km", "km", "t"), with
"/year" etc. appended for rates ("1-2 billion USD per year" -> "USD/year"). ``counts``: the singular
lower-case lemma of the counted noun - the head of the noun phrase after the number, adjectives and
noun modifiers skipped ("30 combat aircraft" -> aircraft, "800 Russian troops" -> troop); for
measures, the noun after "of" ("10,000 sq km of territory" -> territory); for a bare number, the noun
of a preceding "number of ..." ("the number of Russian personnel ... vary from 3,000 to 6,000").

Not quantities: years, days of months, clock times, ordinals ("3rd"), list numbering ("1." at a line
start), model names ("S-400", "MiG 21"), and spelled-out numbers that count nothing ("one of them").
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator

from ..model import Quantity
from . import quantity_words as qw

_NUMERIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = "|".join(sorted(list(qw.SMALL) + list(qw.TENS), key=len, reverse=True))
_SPELLED = rf"(?:{_WORD_NUM})(?:-(?:{_WORD_NUM}))?(?:[\s-]+(?:and\s+)?(?:{_WORD_NUM}|hundred|thousand|million|billion))*"
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:bn|mn|tn|[kmb])\b)"
_CUR_SYM = r"(?:US\$|\$|€|£|¥|₽)"
_MOD = (
    r"more than|over|at least|upwards of|in excess of|as many as|up to|less than|fewer than|under|at most|"
    r"nearly|almost|around|about|approximately|roughly|some|an estimated|estimated|from"
)
_UNIT_WORDS = sorted(list(qw.CURRENCY_WORDS) + list(qw.MEASURE_UNITS), key=len, reverse=True)
_UNIT = "|".join(re.escape(u) for u in _UNIT_WORDS)

_QUANTITY = re.compile(
    rf"(?:\b(?P<btw>between)\s+|\b(?P<mod>{_MOD})\s+)?(?:(?P<a>a)\s+)?"
    rf"(?P<cur>{_CUR_SYM})?\s?(?P<n1>{_NUMERIC}|\b{_SPELLED}\b)(?P<sc1>{_SCALE})?"
    rf"(?:\s*(?P<sep>-|–|—|to|(?(btw)and|(?!x)x))\s*(?P<cur2>{_CUR_SYM})?\s?(?P<n2>{_NUMERIC}|\b{_SPELLED}\b)(?P<sc2>{_SCALE})?)?"
    rf"(?:\s*(?P<unit>(?<=\d)%|\b(?:{_UNIT})\b))?"
    rf"(?:\s+(?:per|a|an|each)\s+(?P<per>year|month|week|day|hour|capita|person|head)\b)?",
    re.I,
)
_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'-]*)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONTH_BEFORE = re.compile(rf"(?i)\b{_MONTH}\s*$")
_MONTH_AFTER = re.compile(rf"(?i)^\s*(?:{_MONTH})(?:\s|,|$)")
_LIST_START = re.compile(r"(?:^|\n)[ \t•*-]*$")
_NUMBER_OF = re.compile(r"(?i)\b(?:number|total|count|tally|strength)s?\s+of\s+(?:the\s+|its\s+|their\s+)?")
_APPROX = {"around", "about", "approximately", "roughly", "some", "an estimated", "estimated"}
_LOWER = {"more than", "over", "at least", "upwards of", "in excess of", "as many as"}
_UPPER = {"up to", "less than", "fewer than", "under", "at most"}
_SPELLED_RE = re.compile(rf"(?i)^{_SPELLED}$")


def _number(token: str, scale: str | None) -> float | None:
    if token[0].isdigit():
        value = float(token.replace(",", ""))
    else:
        spelled = qw.spelled_value(re.split(r"\s+", token.strip()))
        if spelled is None:
            return None
        value = spelled
    if scale:
        value *= qw.SCALES[scale.strip().lower()]
    return value


def _counted(text: str, pos: int) -> tuple[str | None, int]:
    """Head noun of the phrase after ``pos`` and where it ends; adjectives and modifiers are skipped."""
    head, end = None, pos
    for _ in range(4):
        m = _WORD.match(text, end)
        if not m or m.group(1).lower() in qw.STOP_WORDS:
            break
        word = m.group(1)
        if word.lower() in qw.TIME_NOUNS and head is None:
            return word, m.end()
        head, end = word, m.end()
        # A plural noun closes the phrase ("224 passengers died"); a singular may be a modifier.
        if _plural(word):
            break
    # Coordinated modifiers share the head: "48 road and rail crossings" -> crossings.
    if head is not None and not _plural(head):
        conj = re.match(r"\s+(?:and|or)\b", text[end : end + 5])
        if conj:
            later, later_end = _counted(text, end + conj.end())
            if later is not None and _plural(later):
                return later, later_end
    return head, end


def _plural(word: str) -> bool:
    low = word.lower()
    return (low.endswith("s") and not low.endswith("ss")) or low in qw.SAME_PLURAL


def _is_not_a_quantity(text: str, m: re.Match[str]) -> bool:
    s, e, n1 = m.start("n1"), m.end(), m.group("n1")
    before, after = text[max(0, s - 12) : s], text[e : e + 12]
    if not n1[0].isdigit():
        return False
    if before.endswith(("-", "#")) or re.search(r"[A-Za-z]$", before) or re.search(r"\b[A-Z]{2,5}\s$", before):
        return True  # S-400, F16, MIG 21, #5
    if re.match(r"(?:st|nd|rd|th)\b|:\d|/\d|\.\d|\s*(?:a\.m|p\.m|am\b|pm\b)", text[m.end("n1") : m.end("n1") + 5], re.I):
        return True  # ordinals, clock times, dates
    if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, m.end("n1")) or _MONTH_AFTER.match(after):
        return True  # "March 17", "17 March"
    if re.match(r"[.)]\s", text[m.end("n1") : m.end("n1") + 2]) and _LIST_START.search(text, max(0, s - 10), s):
        return True  # "1. ..." list numbering
    if re.fullmatch(r"1[89]\d\d|20\d\d", n1) and not (m.group("cur") or m.group("unit") or m.group("sc1")):
        return not re.match(r"\s+(?:[A-Z][a-z]+\s+)?[a-z]{2,}s\b", text[e : e + 40])  # a year, unless it counts
    return False


def _value(m: re.Match[str], n1: float, n2: float | None) -> float | tuple[float, float]:
    mod = (m.group("mod") or "").lower()
    if n2 is not None:
        # "1-2 billion": a scale written once applies to both ends
        low = _number(m.group("n1"), m.group("sc2")) if not m.group("sc1") and m.group("sc2") else n1
        return (min(low, n2), max(low, n2))
    if mod in _LOWER:
        return (n1, math.inf)
    if mod in _UPPER:
        return (0.0, n1)
    if mod in ("nearly", "almost"):
        return (round(0.9 * n1, 6), n1)
    if mod in _APPROX:
        return (round(0.9 * n1, 6), round(1.1 * n1, 6))
    return n1


# Speed: ``_QUANTITY`` opens with optional words, so a plain scan tries the whole pattern at every
# character. Every match holds a number (``n1``: a digit or a number word) at most this many non-space
# characters after its start ("approximately a US$ 5"), so :func:`_matches` searches only from there.
_PREFIX_CHARS = max(map(len, [*_MOD.split("|"), "between"])) + len("a") + max(map(len, qw.CURRENCY_SYMBOLS))
_DIGIT = re.compile(r"\d")
_NUMBER_WORD_AT = re.compile(rf"\b(?:{_WORD_NUM})\b", re.I)
_NUMBER_WORDS = sorted({*qw.SMALL, *qw.TENS})
_WORD_ROOTS = [w for w in _NUMBER_WORDS if not any(o != w and w.startswith(o) for o in _NUMBER_WORDS)]
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # keeps offsets
# The only non-ASCII letters that re.I matches to the letters of number words ("ſix"); rare enough that
# a text with one takes the plain scan.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f]")


def _number_word_starts(text: str) -> list[int]:
    lower = text.translate(_ASCII_LOWER)
    out = []
    for root in _WORD_ROOTS:  # every number word starts with one of these ("seventy": "seven")
        k = lower.find(root)
        while k >= 0:
            if _NUMBER_WORD_AT.match(text, k):
                out.append(k)
            k = lower.find(root, k + 1)
    return sorted(out)


def _earliest_start(text: str, number: int) -> int:
    """No match with its number at ``number`` starts before this: _PREFIX_CHARS non-space characters back."""
    k, seen = number, 0
    while k > 0:
        if not text[k - 1].isspace():
            if seen == _PREFIX_CHARS:
                break
            seen += 1
        k -= 1
    return k


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_QUANTITY.finditer(text)``; the search starts only near the next number."""
    if _FOLDS_TO_ASCII.search(text):
        yield from _QUANTITY.finditer(text)
        return
    words = _number_word_starts(text)
    pos, end = 0, len(text)
    while True:
        digit = _DIGIT.search(text, pos)
        number = digit.start() if digit else end
        k = bisect.bisect_left(words, pos)
        if k < len(words) and words[k] < number:
            number = words[k]
        if number == end:
            return
        m = _QUANTITY.search(text, max(pos, _earliest_start(text, number)))
        if m is None:
            return
        yield m
        pos = m.end()


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` as a span with value, unit and counted noun (conventions above)."""
    out: list[Quantity] = []
    for m in _matches(text):
        if _is_not_a_quantity(text, m):
            continue
        n1 = _number(m.group("n1"), m.group("sc1"))
        n2 = _number(m.group("n2"), m.group("sc2")) if m.group("n2") else None
        if n1 is None or (m.group("n2") and n2 is None):
            continue
        end = m.end()
        unit = _unit(m)
        head, _ = _counted(text, end)
        if head is not None and head.lower() in qw.TIME_NOUNS and not unit:
            continue  # "five years", "six months": a duration, which the time tagger owns
        if unit and head is None and re.match(r"\s+of\s+", text[end : end + 6]):
            head, _ = _counted(text, end + text[end : end + 6].index("of") + 2)  # "10,000 sq km of territory"
        elif unit and unit.split("/")[0] in (*qw.CURRENCY_WORDS.values(), "%"):
            head = None  # money and shares count no noun ("a $5 million deal")
        elif head is None and not unit:
            head = _number_of_noun(text, m.start())
        counts = qw.lemma(head) if head else None
        if not m.group("n1")[0].isdigit() and counts is None and not unit and not m.group("sc1"):
            continue  # "one of them", "the five": a spelled number counting nothing
        if m.group("mod") or m.group("btw"):
            start = m.start("mod") if m.group("mod") else m.start("btw")
        else:
            start = m.start("cur") if m.group("cur") else m.start("n1")
        out.append(Quantity(start, end, _value(m, n1, n2), unit, counts))
    return out


def _unit(m: re.Match[str]) -> str | None:
    unit = None
    if m.group("cur") or m.group("cur2"):
        unit = qw.CURRENCY_SYMBOLS[(m.group("cur") or m.group("cur2")).upper()]
    if m.group("unit"):
        word = m.group("unit").lower()
        unit = qw.CURRENCY_WORDS.get(word) or qw.MEASURE_UNITS.get(word, word)
    if unit and m.group("per"):
        unit = f"{unit}/{m.group('per').lower()}"
    return unit


def _number_of_noun(text: str, start: int) -> str | None:
    """'the number of Russian military personnel in Syria ... 3,000 to 6,000' -> personnel."""
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    found = None
    for m in _NUMBER_OF.finditer(text, left, start):
        found = _counted(text, m.end())[0] or found
    return found
