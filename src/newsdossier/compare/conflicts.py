"""Slot conflicts between fact sentences: the same happening told with a different place, actor or date,
or one source explicitly denying what another reports.

Two routes, both conservative:

- *venue frames*: a place named after a locative preposition ("talks ... in X") has a frame, the content
  words around it. Two places conflict when their frames share event words (and, for a single shared
  word, the sentences share another person, organisation or place), and the two places are never named
  together anywhere in the story (places named together are both real: the old and the new terminal,
  or one inside the other: "the port of X, Y"). A place named in a large share of the story's sentences
  is its setting (the country the story happens in); it contains the story's other places and is never
  a venue value, and neither is a place used as a modifier ("in X's coastal province": the venue is the
  province).
- *masked frames*: two sentences from different sources that read alike once entity names, numbers
  and dates are blanked out, but each carry an entity of the same type (or a date) the other lacks
  (the story's setting does not count: it contains the other places).

Each conflict is a mapping sentence index -> side label; the caller decides which side is the majority.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..model import Article
from .similarity import Similarity
from .text import Unit, content_terms, fold, stem
from .vectors import UnitFeatures, entity_key

Conflict = dict[int, str]

LOCATIVES = frozenset({"in", "at", "near", "outside", "inside"})
_SKIPPABLE = frozenset({"the", "a", "an", "its", "their", "his", "her"})
FRAME_BEFORE, FRAME_AFTER = 10, 6  # words of context around a place
MASKED_SIMILARITY = 0.6  # frames must read nearly alike once names are blanked
MIN_FRAME_TERMS = 5  # too few words left after blanking says nothing about the predicate
DENIAL_SIMILARITY = 0.35
UBIQUITOUS_SHARE = 3  # named in >= 1/3 of the story's sentences
MIN_SETTING = 4  # a setting recurs; a place in two or three sentences may be the venue they agree on
CLAIM_SIMILARITY = 0.4  # as in claims.py: sentences below it on average say different things
SLOT_TYPES = ("PLACE", "PERSON", "ORG")
_DENIAL = frozenset(stem(w) for w in ("denied", "denies", "deny", "denial", "untrue", "false", "refuted", "dismissed"))
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CONNECTORS = frozenset({"of", "on", "upon", "de", "del", "la", "le", "al", "el", "the", "and"})
_POSSESSIVE = re.compile(r"['’]s?\b")


def cooccurring(features: Sequence[UnitFeatures]) -> set[frozenset[str]]:
    """Pairs of entity keys named in one sentence somewhere in the story."""
    pairs: set[frozenset[str]] = set()
    for f in features:
        for a, b in combinations(sorted(f.entities), 2):
            pairs.add(frozenset((a, b)))
    return pairs


def _is_proper_name(name: str) -> bool:
    """Every word capitalised but the connectors (Port of Spain): a named place, not a description
    such as "the southern port" that a tagger may have taken for one."""
    return all(w[:1].isupper() or w.lower() in _CONNECTORS for w in _WORD.findall(name) if not w.isdigit())


def _is_modifier(text: str, end: int) -> bool:
    """A name followed by a possessive ("X's province") modifies the noun that follows it."""
    return bool(_POSSESSIVE.match(text, end))


def _place_frames(
    article: Article, u: Unit, setting: frozenset[str] = frozenset()
) -> list[tuple[str, frozenset[str]]]:
    """(place key, frame stems) for each place in ``u`` that is the object of a locative preposition
    (not a modifier, not the story's setting)."""
    ents = [m for m in article.entities if u.start <= m.start and m.end <= u.end]
    out = []
    for m in ents:
        if m.type != "PLACE" or entity_key(article, m) in setting or _is_modifier(article.text, m.end):
            continue
        if not _is_proper_name(article.text[m.start : m.end]):
            continue
        before = [w.lower() for w in _WORD.findall(article.text[u.start : m.start])]
        while before and before[-1] in _SKIPPABLE:
            before.pop()
        if not before or before[-1] not in LOCATIVES:
            continue
        # Frame words: the window around the place, with every entity name blanked out.
        text = list(article.text[u.start : u.end])
        for e in ents:
            for i in range(e.start - u.start, e.end - u.start):
                text[i] = " "
        masked = "".join(text)
        # Lowercase words only: capitalised ones are names or nationalities, not the happening (and
        # they must not use up the window).
        left = [w for w in _WORD.findall(masked[: m.start - u.start]) if not w[:1].isupper()][-FRAME_BEFORE:]
        right = [w for w in _WORD.findall(masked[m.end - u.start :]) if not w[:1].isupper()][:FRAME_AFTER]
        frame = frozenset(content_terms(" ".join(left + right)))
        if frame:
            out.append((entity_key(article, m), frame))
    return out


@dataclass(frozen=True, slots=True)
class StorySlots:
    """What the slot-conflict finders read of the whole story, made once for both."""

    together: set[frozenset[str]]  # entity pairs named in one sentence (see cooccurring)
    ubiquitous: set[str]  # see story_setting
    setting: frozenset[str]


def story_slots(features: Sequence[UnitFeatures], frame_sim: Similarity | None = None) -> StorySlots:
    return StorySlots(cooccurring(features), *story_setting(features, frame_sim))


def story_setting(
    features: Sequence[UnitFeatures], frame_sim: Similarity | None = None
) -> tuple[set[str], frozenset[str]]:
    """Entities named in a third or more of the story's sentences (its main actor or country: they say
    nothing about two sentences telling the same happening); and the story's setting: the places among
    them named in at least MIN_SETTING sentences that tell different things (mean frame similarity
    below CLAIM_SIMILARITY). The setting contains the story's other places; a place named only by
    the sentences of one happening is that happening's venue, not the setting."""
    counts: dict[str, list[int]] = {}
    for i, f in enumerate(features):
        for e in f.entities:
            counts.setdefault(e, []).append(i)
    ubiquitous = {e for e, rows in counts.items() if len(rows) * UBIQUITOUS_SHARE >= len(features)}
    setting = set()
    for e in ubiquitous:
        rows = counts[e]
        if len(rows) < MIN_SETTING or not any(features[i].entities.get(e) == "PLACE" for i in rows):
            continue
        if frame_sim is not None and frame_sim.mean_off_diagonal(rows) >= CLAIM_SIMILARITY:
            continue
        setting.add(e)
    return ubiquitous, frozenset(setting)


def venue_conflicts(
    articles: Mapping[str, Article],
    units: Sequence[Unit],
    features: Sequence[UnitFeatures],
    slots: StorySlots,
) -> list[Conflict]:
    together, ubiquitous, setting = slots.together, slots.ubiquitous, slots.setting
    frames = [
        (i, key, fr) for i, u in enumerate(units) for key, fr in _place_frames(articles[u.article_id], u, setting)
    ]
    keyed: dict[frozenset[str], set[str]] = {}  # place pair -> shared event stems
    for (i, a, fa), (j, b, fb) in combinations(frames, 2):
        if a == b or frozenset((a, b)) in together or units[i].text == units[j].text:
            continue
        shared = fa & fb
        # Another named actor or place in both; a nationality or other MISC name ("Russian") is no
        # sign of one happening.
        ei, ej = features[i].entities, features[j].entities
        others = {e for e in ei.keys() & ej.keys() if ei[e] in SLOT_TYPES} - {a, b} - ubiquitous
        if len(shared) >= 2 or (shared and others):
            keyed.setdefault(frozenset((a, b)), set()).update(shared)
    out = []
    for pair, stems in keyed.items():
        conflict = {i: key for i, key, fr in frames if key in pair and fr & stems}
        if len(set(conflict.values())) == 2:
            out.append(conflict)
    return out


def masked_conflicts(
    features: Sequence[UnitFeatures], frame_sim: Similarity, source_of: Sequence[str], slots: StorySlots
) -> list[Conflict]:
    together, setting = slots.together, slots.setting
    out: list[Conflict] = []
    rows, cols = frame_sim.pairs_at_least(MASKED_SIMILARITY)
    for i, j in zip(rows.tolist(), cols.tolist()):
        fi, fj = features[i], features[j]
        if source_of[i] == source_of[j] or min(len(set(fi.terms)), len(set(fj.terms))) < MIN_FRAME_TERMS:
            continue
        shared = set(fi.entities) & set(fj.entities)
        for t in SLOT_TYPES:
            a = {e for e, ty in fi.entities.items() if ty == t} - set(fj.entities) - setting
            b = {e for e, ty in fj.entities.items() if ty == t} - set(fi.entities) - setting
            if a and b and shared and not any(frozenset((x, y)) in together for x in a for y in b):
                out.append({i: "|".join(sorted(a)), j: "|".join(sorted(b))})
                break
        else:
            di = {d for d in fi.dates if len(d) == 10}
            dj = {d for d in fj.dates if len(d) == 10}
            if di and dj and not di & dj:
                out.append({i: "|".join(sorted(di)), j: "|".join(sorted(dj))})
    return out


def _has_denial(u: Unit) -> bool:
    return any(stem(fold(w)) in _DENIAL for w in _WORD.findall(u.text)) or " not true" in u.text.lower()


def denial_conflicts(units: Sequence[Unit], sim: Similarity, source_of: Sequence[str]) -> list[Conflict]:
    """A sentence that denies (denied, untrue, false ...) what a sentence from another source states."""
    deniers = [i for i, u in enumerate(units) if _has_denial(u)]
    denying = set(deniers)
    out = []
    for a0, blk in sim.row_blocks(deniers):
        for i, row in zip(deniers[a0 : a0 + len(blk)], blk):
            for j in np.flatnonzero(row >= DENIAL_SIMILARITY).tolist():
                if source_of[j] != source_of[i] and j not in denying:
                    out.append({i: "denies", j: "states"})
    return out
