"""Exact and near-duplicate articles: MinHash LSH over word shingles, confirmed by exact Jaccard.

The copy that came first (earliest publication date, then smallest id) is the original; the others
get ``duplicate_of`` pointing at it, whatever order the articles arrive in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..disjoint import DisjointSets
from ..model import Article
from .shingles import shingles as shingle_hashes
from .shingles import word_hashes

SHINGLE_WORDS = 5
NUM_PERM = 128
# Jaccard of 5-word shingles: a re-post with a changed byline or footer stays above this; two
# reports of one event by different writers are far below it.
DUPLICATE_JACCARD = 0.8


def shingles(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """The sorted distinct hashes of the text's ``k``-word shingles (a shorter text is one shingle)."""
    hashes = word_hashes(text)
    if len(hashes) == 0:
        return hashes
    return np.unique(shingle_hashes(hashes, min(k, len(hashes))))


def first_key(a: Article) -> tuple[str, str]:
    """Sort key: who came first. Undated articles count as later than dated ones."""
    return (a.published.date or "9999-99-99", a.id)


def find_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """``{duplicate id: original id}`` for every article that near-duplicates an earlier one."""
    from datasketch import MinHash, MinHashLSH

    sets = {a.id: shingles(a.text) for a in articles}
    lsh = MinHashLSH(threshold=DUPLICATE_JACCARD * 0.8, num_perm=NUM_PERM)  # a margin: Jaccard decides
    hashes = {}
    template = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int)
    same_kind = {"scheme": template.scheme} if hasattr(template, "scheme") else {}  # datasketch >= 2 asks
    for a in sorted(articles, key=lambda a: a.id):
        if not len(sets[a.id]):
            continue
        mh = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int, permutations=template.permutations,
                       **same_kind)
        mh.update_batch((sets[a.id] & np.uint64(0xFFFFFFFF)).tolist())  # the 32-bit hashes MinHash expects
        hashes[a.id] = mh
        lsh.insert(a.id, mh)
    # Only the duplicate *groups* matter (duplicate_roots points each member at its group's first copy),
    # so a candidate already in the article's group is not checked again: a text copied by thousands of
    # outlets costs one check per copy, not one per pair of copies (and no list of all pairs is held).
    groups: DisjointSets[str] = DisjointSets(hashes)
    edges = []
    for aid in sorted(hashes):
        for other in lsh.query(hashes[aid]):
            if other > aid and groups.find(aid) != groups.find(other) and near_copies(sets[aid], sets[other]):
                groups.union(aid, other)
                edges.append((aid, other))
    return duplicate_roots(articles, edges)


def confirmed_pairs(sets: dict[str, np.ndarray], pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs whose shingle sets have Jaccard >= DUPLICATE_JACCARD."""
    return [(aid, other) for aid, other in pairs if near_copies(sets[aid], sets[other])]


def near_copies(s: np.ndarray, t: np.ndarray) -> bool:
    """Jaccard of two sorted distinct shingle sets >= DUPLICATE_JACCARD (never for an empty set)."""
    if not len(s) or not len(t):
        return False
    common = len(np.intersect1d(s, t, assume_unique=True))
    return common / (len(s) + len(t) - common) >= DUPLICATE_JACCARD


def duplicate_roots(articles: Sequence[Article], pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """``{duplicate id: original id}`` from confirmed duplicate pairs: each copy points at the first copy."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    by_id = {a.id: a for a in articles}
    for aid, other in sorted(pairs):
        ra, rb = root(aid), root(other)
        if ra != rb:
            first, second = sorted((ra, rb), key=lambda x: first_key(by_id[x]))
            parent[second] = first
    return {aid: root(aid) for aid in parent if root(aid) != aid}

