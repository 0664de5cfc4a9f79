"""Exact and near-duplicate articles: MinHash LSH over word shingles, confirmed by exact Jaccard.

The copy that came first (earliest publication date, then smallest id) is the original; the others
get ``duplicate_of`` pointing at it, whatever order the articles arrive in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Article

SHINGLE_WORDS = 5
NUM_PERM = 64
# Jaccard of 5-word shingles: a re-post with a changed byline or footer stays above this; two
# reports of one event by different writers are far below it.
DUPLICATE_JACCARD = 0.8
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def first_key(a: Article) -> tuple[str, str]:
    """Sort key: who came first. Undated articles count as later than dated ones."""
    return (a.published.date or "9999-99-99", a.id)


def find_duplicates(articles: Sequence[Article]) -> dict[str, str]:
    """``{duplicate id: original id}`` for every article that near-duplicates an earlier one."""
    from datasketch import MinHash, MinHashLSH

    sets = {a.id: shingles(a.text) for a in articles}
    lsh = MinHashLSH(threshold=DUPLICATE_JACCARD * 0.9, num_perm=NUM_PERM)  # a margin: Jaccard decides
    hashes = {}
    for a in sorted(articles, key=lambda a: a.id):
        if not sets[a.id]:
            continue
        mh = MinHash(num_perm=NUM_PERM, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sets[a.id]])
        hashes[a.id] = mh
        lsh.insert(a.id, mh)
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    by_id = {a.id: a for a in articles}
    for aid in sorted(hashes):
        for other in sorted(lsh.query(hashes[aid])):
            if other <= aid:
                continue
            s, t = sets[aid], sets[other]
            if len(s & t) / len(s | t) >= DUPLICATE_JACCARD:
                ra, rb = root(aid), root(other)
                if ra != rb:
                    first, second = sorted((ra, rb), key=lambda x: first_key(by_id[x]))
                    parent[second] = first
    return {aid: root(aid) for aid in parent if root(aid) != aid}
