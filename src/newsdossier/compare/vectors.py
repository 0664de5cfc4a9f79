"""Features of a story's fact sentences: content terms, entity ids, numbers and dates, as TF-IDF
vectors whose cosine is the "same statement" similarity used by claims, summary and timeline.

Entity ids (shared across aliases, transliterations and misspellings by annotate) weigh double: two
sentences naming the same rare entities are likely about the same thing even when worded differently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..model import Article, EntityMention
from .text import Unit, fold, terms_and_compounds

ENTITY_WEIGHT = 2.0
NUMBER_WEIGHT = 1.5
HAPAX_WEIGHT = 0.5
UBIQUITOUS_SHARE = 3  # an entity in >= 1/3 of the story's sentences is its main actor or country
COMPOUND = -1.0  # marker weight: a joined pair, counted only when another sentence has it


@dataclass(frozen=True, slots=True)
class UnitFeatures:
    terms: tuple[str, ...]  # content stems (without the words of entity names), compounds included
    entities: Mapping[str, str]  # entity key -> type
    numbers: frozenset[str]
    dates: frozenset[str]  # full or partial ISO values of the time mentions inside
    compounds: frozenset[str] = frozenset()  # the terms that are only joined word pairs


def entity_key(article: Article, m: EntityMention) -> str:
    return m.entity_id or "name:" + " ".join(fold(article.text[m.start : m.end]).split())


def _mask(text: str, offset: int, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(s - offset, 0), min(e - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _inside(start: int, end: int, u: Unit) -> bool:
    return u.start <= start and end <= u.end


def unit_features(article: Article, u: Unit) -> UnitFeatures:
    ents = [m for m in article.entities if _inside(m.start, m.end, u)]
    qs = [q for q in article.quantities if _inside(q.start, q.end, u)]
    ts = [t for t in article.times if _inside(t.start, t.end, u)]
    # Entity names, numbers and dates are compared as ids/values, not as words.
    masked = _mask(u.text, u.start, [(m.start, m.end) for m in ents] + [(q.start, q.end) for q in qs])
    nums = frozenset(
        f"{q.value[0]:g}-{q.value[1]:g}" if isinstance(q.value, tuple) else f"{q.value:g}" for q in qs
    )
    words_, joined = terms_and_compounds(masked)
    return UnitFeatures(
        terms=tuple(words_ + joined),
        compounds=frozenset(joined) - set(words_),
        entities={entity_key(article, m): m.type for m in ents},
        numbers=nums,
        dates=frozenset(t.value for t in ts),
    )


def _tokens(f: UnitFeatures, with_slots: bool) -> list[tuple[str, float]]:
    toks = [(t, COMPOUND if t in f.compounds else 1.0) for t in f.terms]
    if with_slots:
        toks += [("E:" + e, ENTITY_WEIGHT) for e in f.entities]
        toks += [("N:" + n, NUMBER_WEIGHT) for n in f.numbers]
    return toks


def tfidf_matrix(features: Sequence[UnitFeatures], with_slots: bool = True) -> sparse.csr_matrix:
    """Row-normalised TF-IDF (log tf) rows, tokens no other sentence of the story has at reduced
    weight; with_slots=False leaves entities/numbers out, which gives the similarity of the sentence
    frames around the slot fillers."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    df: dict[int, int] = {}
    per_row: list[dict[int, float]] = []
    weight: dict[int, float] = {}
    for f in features:
        acc: dict[int, float] = {}
        for tok, w in _tokens(f, with_slots):
            j = vocab.setdefault(tok, len(vocab))
            acc[j] = acc.get(j, 0.0) + 1.0
            weight[j] = max(weight.get(j, w), w)  # a compound that is a plain word elsewhere is a word
        per_row.append(acc)
        for j in acc:
            df[j] = df.get(j, 0) + 1
    n = max(len(features), 1)
    tokens = {j: tok for tok, j in vocab.items()}
    for i, acc in enumerate(per_row):
        for j, tf in acc.items():
            # A token no other sentence has cannot match; at full weight it would only dilute the
            # cosine of long sentences that bundle a shared fact with details of their own.
            hapax = HAPAX_WEIGHT if df[j] < 2 and n > 1 else 1.0
            if tokens[j].startswith("E:") and df[j] * UBIQUITOUS_SHARE >= n:
                # The story's main actor or country is named nearly everywhere: as telling as a word.
                hapax = 1.0 / ENTITY_WEIGHT
            if weight[j] == COMPOUND:
                if df[j] < 2:
                    continue  # a synthetic joined pair nothing else has: not a word of the sentence
                hapax = 1.0
            rows.append(i)
            cols.append(j)
            vals.append(hapax * abs(weight[j]) * (1.0 + math.log(tf)) * (math.log((1 + n) / (1 + df[j])) + 1.0))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(features), max(len(vocab), 1)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)
