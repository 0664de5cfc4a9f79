"""Slot conflicts between fact sentences: the same happening told with a different place, actor or date,
or one source explicitly denying what another reports.

Two routes, both conservative:

- *venue frames*: a place named after a locative preposition ("talks ... in X") has a frame, the content
  words around it. Two places conflict when their frames share event words (and, for a single shared
  word, the sentences share another entity), and the two places are never named together anywhere in
  the story (places named together are both real: the old and the new terminal).
- *masked frames*: two sentences from different sources that read alike once entity names, numbers
  and dates are blanked out, but each carry an entity of the same type (or a date) the other lacks.

Each conflict is a mapping sentence index -> side label; the caller decides which side is the majority.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np

from ..model import Article
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
SLOT_TYPES = ("PLACE", "PERSON", "ORG")
_DENIAL = frozenset(stem(w) for w in ("denied", "denies", "deny", "denial", "untrue", "false", "refuted", "dismissed"))
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def cooccurring(features: Sequence[UnitFeatures]) -> set[frozenset[str]]:
    """Pairs of entity keys named in one sentence somewhere in the story."""
    pairs: set[frozenset[str]] = set()
    for f in features:
        for a, b in combinations(sorted(f.entities), 2):
            pairs.add(frozenset((a, b)))
    return pairs


def _place_frames(article: Article, u: Unit) -> list[tuple[str, frozenset[str]]]:
    """(place key, frame stems) for each place in ``u`` that follows a locative preposition."""
    ents = [m for m in article.entities if u.start <= m.start and m.end <= u.end]
    out = []
    for m in ents:
        if m.type != "PLACE":
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
        left = _WORD.findall(masked[: m.start - u.start])[-FRAME_BEFORE:]
        right = _WORD.findall(masked[m.end - u.start :])[:FRAME_AFTER]
        # Lowercase words only: capitalised ones are names or nationalities, not the happening.
        frame = frozenset(content_terms(" ".join(w for w in left + right if not w[:1].isupper())))
        if frame:
            out.append((entity_key(article, m), frame))
    return out


def venue_conflicts(
    articles: Mapping[str, Article], units: Sequence[Unit], features: Sequence[UnitFeatures]
) -> list[Conflict]:
    together = cooccurring(features)
    # An entity named in a third or more of the story's sentences (the story's main actor or country)
    # says nothing about two sentences being about the same happening.
    counts: dict[str, int] = {}
    for f in features:
        for e in f.entities:
            counts[e] = counts.get(e, 0) + 1
    ubiquitous = {e for e, c in counts.items() if c * UBIQUITOUS_SHARE >= len(features)}
    frames = [(i, key, fr) for i, u in enumerate(units) for key, fr in _place_frames(articles[u.article_id], u)]
    keyed: dict[frozenset[str], set[str]] = {}  # place pair -> shared event stems
    for (i, a, fa), (j, b, fb) in combinations(frames, 2):
        if a == b or frozenset((a, b)) in together or units[i].text == units[j].text:
            continue
        shared = fa & fb
        others = (set(features[i].entities) & set(features[j].entities)) - {a, b} - ubiquitous
        if len(shared) >= 2 or (shared and others):
            keyed.setdefault(frozenset((a, b)), set()).update(shared)
    out = []
    for pair, stems in keyed.items():
        conflict = {i: key for i, key, fr in frames if key in pair and fr & stems}
        if len(set(conflict.values())) == 2:
            out.append(conflict)
    return out


def masked_conflicts(
    features: Sequence[UnitFeatures], frame_sim: np.ndarray, source_of: Sequence[str]
) -> list[Conflict]:
    together = cooccurring(features)
    out: list[Conflict] = []
    rows, cols = np.nonzero(np.triu(frame_sim, 1) >= MASKED_SIMILARITY)
    for i, j in zip(rows.tolist(), cols.tolist()):
        fi, fj = features[i], features[j]
        if source_of[i] == source_of[j] or min(len(set(fi.terms)), len(set(fj.terms))) < MIN_FRAME_TERMS:
            continue
        shared = set(fi.entities) & set(fj.entities)
        for t in SLOT_TYPES:
            a = {e for e, ty in fi.entities.items() if ty == t} - set(fj.entities)
            b = {e for e, ty in fj.entities.items() if ty == t} - set(fi.entities)
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


def denial_conflicts(units: Sequence[Unit], sim: np.ndarray, source_of: Sequence[str]) -> list[Conflict]:
    """A sentence that denies (denied, untrue, false ...) what a sentence from another source states."""
    deniers = [i for i, u in enumerate(units) if _has_denial(u)]
    out = []
    for i in deniers:
        for j in range(len(units)):
            if source_of[j] != source_of[i] and j not in deniers and sim[i, j] >= DENIAL_SIMILARITY:
                out.append({i: "denies", j: "states"})
    return out
