"""Numbers: a story's quantities grouped by what they count and the situation they describe, with
conflicts between outlets flagged.

Only quantities inside reporting/reproduced sentences count (a reader's "3,000" is not a source). A
value is an interval: exact numbers are points, ranges are ranges, "around N" is N +/- 10%, "more than N"
is [N, inf). Two outlets conflict when none of one's values is compatible with any of the other's, so
"800" and "around 800" agree, 127 and 129 killed do not, and a value inside another's range agrees.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Article, Quantity, QuantityGroup, QuantityValue
from .text import Unit, fold, stem, words

Interval = tuple[float, float]

# Situation classes: the same count in different situations is a different number.
_SITUATION_CUES: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "dead", "died", "deaths", "fatalities"),
    "injured": ("injured", "wounded", "hurt", "hospitalised", "hospitalized"),
    "remaining": ("remain", "remaining", "keep", "kept", "stay", "maintain", "retain", "left"),
    "withdrawn": ("withdraw", "withdrawn", "pullout", "return", "returned"),
    "missing": ("missing",),
    "arrested": ("arrested", "detained", "custody"),
    "displaced": ("displaced", "evacuated", "fled", "homeless"),
}

_APPROX = re.compile(
    r"\b(?:about|around|some|roughly|approximately|approx\.?|an estimated|estimated|circa|ca\.|nearly|almost"
    r"|close to|more than|over|at least|upwards of|in excess of|up to|less than|fewer than|under|at most)\s*$"
    r"|~\s*$",
    re.IGNORECASE,
)
_LOWER_BOUND = ("more than", "over", "at least", "upwards of", "in excess of")
_UPPER_BOUND = ("up to", "less than", "fewer than", "under", "at most")
_BELOW = ("nearly", "almost")
APPROX_TOLERANCE = 0.10  # "around N": the customary +/-10% reading
CONVERSION_TOLERANCE = 0.03  # converted units are rounded by the writer (87 miles ~ 140 km)

_UNITS: dict[str, tuple[str, float]] = {
    "km": ("length", 1.0), "kilometre": ("length", 1.0), "kilometer": ("length", 1.0),
    "mile": ("length", 1.609344), "m": ("length", 0.001), "metre": ("length", 0.001), "meter": ("length", 0.001),
    "day": ("duration", 1.0), "week": ("duration", 7.0), "month": ("duration", 30.44), "year": ("duration", 365.25),
    "hour": ("duration", 1 / 24),
    "eur": ("money:EUR", 1.0), "euro": ("money:EUR", 1.0), "€": ("money:EUR", 1.0),
    "usd": ("money:USD", 1.0), "dollar": ("money:USD", 1.0), "$": ("money:USD", 1.0),
    "gbp": ("money:GBP", 1.0), "pound": ("money:GBP", 1.0), "£": ("money:GBP", 1.0),
    "%": ("percent", 1.0), "percent": ("percent", 1.0), "per cent": ("percent", 1.0),
}


@dataclass(frozen=True, slots=True)
class NumberMention:
    article_id: str
    quantity: Quantity
    unit: Unit  # the fact sentence holding it
    interval: Interval
    counts_text: str


@dataclass(frozen=True, slots=True)
class NumberGroup:
    key: tuple[str, str]  # (what is counted, situation)
    label: str
    mentions: tuple[NumberMention, ...]
    conflict: bool
    agrees: tuple[bool, ...]  # per mention: compatible with the best-supported reading


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _counts_form(counts: str) -> str:
    """Letters only, singular: 'dock workers' -> 'dockworker'."""
    return _singular("".join(c for c in fold(counts) if c.isalpha()))


def _unit_of(unit: str | None) -> tuple[str, float] | None:
    if not unit:
        return None
    u = fold(unit).strip().rstrip(".")
    return _UNITS.get(u) or _UNITS.get(_singular(u))


def _approx_cue(text: str, q: Quantity) -> str | None:
    before = text[max(0, q.start - 30) : q.start]
    inside = text[q.start : q.end]
    for piece in (before, re.sub(r"[\d.,\s–-]+.*$", "", inside)):
        m = _APPROX.search(piece.rstrip())
        if m:
            return " ".join(m.group().lower().split())
    return None


def value_interval(text: str, q: Quantity, factor: float = 1.0, converted: bool = False) -> Interval:
    """The values ``q`` is compatible with, in the group's base unit."""
    if isinstance(q.value, tuple):
        lo, hi = (float(q.value[0]) * factor, float(q.value[1]) * factor)
        if math.isnan(hi):
            hi = math.inf
    else:
        v = float(q.value) * factor
        lo = hi = v
        cue = _approx_cue(text, q)
        if cue in _LOWER_BOUND:
            hi = math.inf
        elif cue in _UPPER_BOUND:
            lo = 0.0
        elif cue in _BELOW:
            lo = v * (1 - APPROX_TOLERANCE)
        elif cue is not None:
            lo, hi = v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE)
    if converted:
        lo, hi = lo * (1 - CONVERSION_TOLERANCE), hi * (1 + CONVERSION_TOLERANCE)
    return (min(lo, hi), max(lo, hi))


def compatible(a: Interval, b: Interval) -> bool:
    eps = 1e-9 * max(1.0, abs(a[0]), abs(b[0]))
    return a[0] <= b[1] + eps and b[0] <= a[1] + eps


def _situation_stems() -> dict[str, frozenset[str]]:
    return {k: frozenset(stem(w) for w in ws) for k, ws in _SITUATION_CUES.items()}


def situation(sentence: Unit, q: Quantity) -> str:
    """The situation class whose cue word lies nearest the quantity in its sentence ('' if none)."""
    cues = _situation_stems()
    toks = [(m.start() + sentence.start, m.group()) for m in re.finditer(r"[^\W\d_]+", sentence.text)]
    best, best_dist = "", math.inf
    for pos, w in toks:
        if q.start <= pos < q.end:
            continue
        s = stem(fold(w))
        for cls, stems in cues.items():
            if s in stems:
                dist = abs(pos - q.start)
                if dist < best_dist:
                    best, best_dist = cls, dist
    return best


def _sentence_of(units: Sequence[Unit], q: Quantity) -> Unit | None:
    for u in units:
        if u.start <= q.start and q.end <= u.end:
            return u
    return None


def _head_map(forms: set[str]) -> dict[str, str]:
    """Compound nouns join their head when the story also uses it: dockworker -> worker."""
    out = {}
    for f in forms:
        heads = [h for h in forms if h != f and len(h) >= 4 and f.endswith(h)]
        out[f] = min(heads, key=len) if heads else f
    return out


def collect_mentions(
    articles: Sequence[Article], units: Mapping[str, Sequence[Unit]]
) -> list[tuple[NumberMention, tuple[str, str], float]]:
    raw: list[tuple[Article, Quantity, Unit]] = []
    for a in articles:
        for q in a.quantities:
            if not (0 <= q.start < q.end <= len(a.text)):
                continue
            u = _sentence_of(units.get(a.id, ()), q)
            if u is not None:
                raw.append((a, q, u))
    forms = {_counts_form(q.counts) for _, q, _ in raw if q.counts and _counts_form(q.counts)}
    heads = _head_map(forms)
    out = []
    for a, q, u in raw:
        unit = _unit_of(q.unit)
        form = _counts_form(q.counts) if q.counts else ""
        if form:
            what = "count:" + stem(heads[form])
            factor, converted = 1.0, False
            if unit is not None:
                what += "|" + unit[0]
                factor, converted = unit[1], unit[1] != 1.0
        elif unit is not None:
            what = "unit:" + unit[0]
            factor, converted = unit[1], unit[1] != 1.0
        else:
            continue  # neither counted noun nor unit: nothing to compare it with
        key = (what, situation(u, q))
        interval = value_interval(a.text, q, factor, converted)
        counts_text = q.counts or (q.unit or "")
        out.append((NumberMention(a.id, q, u, interval, counts_text), key, factor))
    return out


def _judge(mentions: Sequence[NumberMention], groups: Mapping[str, str]) -> tuple[bool, tuple[bool, ...]]:
    by_source: dict[str, list[Interval]] = {}
    for m in mentions:
        by_source.setdefault(groups.get(m.article_id, m.article_id), []).append(m.interval)
    sources = list(by_source)
    conflict = any(
        not any(compatible(x, y) for x in by_source[s1] for y in by_source[s2])
        for i, s1 in enumerate(sources)
        for s2 in sources[i + 1 :]
    )
    if not conflict:
        return False, tuple(True for _ in mentions)

    # The reading backed by most independent sources (ties: most mentions, then earliest).
    def support(iv: Interval) -> tuple[int, int]:
        srcs = {s for s, ivs in by_source.items() if any(compatible(iv, y) for y in ivs)}
        return len(srcs), sum(compatible(iv, m.interval) for m in mentions)

    best = max((m.interval for m in mentions), key=support)
    return True, tuple(compatible(best, m.interval) for m in mentions)


def number_groups(
    articles: Sequence[Article], units: Mapping[str, Sequence[Unit]], groups: Mapping[str, str]
) -> list[NumberGroup]:
    """Quantities of the story grouped by (counted thing, situation), conflicts judged by source."""
    buckets: dict[tuple[str, str], list[NumberMention]] = {}
    for mention, key, _ in collect_mentions(articles, units):
        buckets.setdefault(key, []).append(mention)
    out = []
    for key, ms in buckets.items():
        ms.sort(key=lambda m: (m.article_id, m.quantity.start))
        conflict, agrees = _judge(ms, groups)
        names = Counter(" ".join(words(m.counts_text)) for m in ms if m.counts_text)
        label = names.most_common(1)[0][0] if names else key[0]
        if key[1]:
            label = f"{label} ({key[1]})"
        out.append(NumberGroup(key, label, tuple(ms), conflict, agrees))
    out.sort(key=lambda g: (-g.conflict, -len(g.mentions), g.key))
    return out


def quantity_groups(number_groups_: Sequence[NumberGroup]) -> tuple[QuantityGroup, ...]:
    return tuple(
        QuantityGroup(
            g.label,
            g.conflict,
            tuple(
                QuantityValue(m.article_id, m.quantity.start, m.quantity.end, m.quantity.value, m.quantity.unit)
                for m in g.mentions
            ),
        )
        for g in number_groups_
    )
