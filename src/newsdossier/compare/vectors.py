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
from .text import Unit, content_terms, fold

ENTITY_WEIGHT = 2.0
NUMBER_WEIGHT = 1.5


@dataclass(frozen=True, slots=True)
class UnitFeatures:
    terms: tuple[str, ...]  # content stems (without the words of entity names)
    entities: Mapping[str, str]  # entity key -> type
    numbers: frozenset[str]
    dates: frozenset[str]  # full or partial ISO values of the time mentions inside


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
    return UnitFeatures(
        terms=tuple(content_terms(masked)),
        entities={entity_key(article, m): m.type for m in ents},
        numbers=nums,
        dates=frozenset(t.value for t in ts),
    )


def _tokens(f: UnitFeatures, with_slots: bool) -> list[tuple[str, float]]:
    toks = [(t, 1.0) for t in f.terms]
    if with_slots:
        toks += [("E:" + e, ENTITY_WEIGHT) for e in f.entities]
        toks += [("N:" + n, NUMBER_WEIGHT) for n in f.numbers]
    return toks


def tfidf_matrix(features: Sequence[UnitFeatures], with_slots: bool = True) -> sparse.csr_matrix:
    """Row-normalised TF-IDF (log tf) rows; with_slots=False leaves entities/numbers out, which
    gives the similarity of the sentence frames around the slot fillers."""
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
            weight[j] = w
        per_row.append(acc)
        for j in acc:
            df[j] = df.get(j, 0) + 1
    n = max(len(features), 1)
    for i, acc in enumerate(per_row):
        for j, tf in acc.items():
            rows.append(i)
            cols.append(j)
            vals.append(weight[j] * (1.0 + math.log(tf)) * (math.log((1 + n) / (1 + df[j])) + 1.0))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(features), max(len(vocab), 1)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


def similarity(matrix: sparse.csr_matrix) -> np.ndarray:
    """Dense cosine similarity between all rows (pairwise within one story only)."""
    return np.asarray((matrix @ matrix.T).todense())
