"""Which articles share word shingles, and how many: the candidate pairs of :mod:`.reuse`.

Postings list the articles holding each shingle; :func:`pair_counts` turns them into pairs and shared
shingle counts without materialising every shingle's pairs (copied passages give many shingles with
the same holders, so each distinct holder list is expanded once, weighted).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .sorted_keys import merge_sorted, run_starts

# A shingle in more articles than this is a stock phrase or a mass-syndicated text; skipping it
# keeps the pair count bounded (a copy shared that widely is still caught through its other shingles).
MAX_POSTINGS = 200
PAIR_BLOCK = 1 << 22  # pair keys held at once before they are counted (8 bytes each)


@dataclass(frozen=True)
class Postings:
    """Who holds each shingle: articles ``holders[first[k]:first[k + 1]]`` (ascending) hold ``values[k]``."""

    values: np.ndarray  # the distinct shingles, sorted
    first: np.ndarray  # len(values) + 1 bounds into holders
    holders: np.ndarray  # article indices (int32)


def postings(shingle_sets: list[np.ndarray]) -> Postings:
    """The postings of the shingles two or more articles hold (one held by a single article matches no
    other). ``shingle_sets``: each article's distinct shingles, sorted; the list is taken over, each set
    freed once its holders are filled in.

    The distinct shared shingles come from one sorted copy of all sets; the holders are then filled
    a block of articles at a time (ascending), a counting sort: no argsort of every (shingle, article)
    entry at once (at 100k articles its int64 order and the article column beside the copy were ~0.5 GB)."""
    sh = np.concatenate(shingle_sets) if shingle_sets else np.zeros(0, dtype=np.uint64)
    sh.sort()
    starts = run_starts(sh)
    held = np.diff(np.append(starts, len(sh)))
    shared = held >= 2
    values = sh[starts[shared]]
    del sh, starts
    first = np.concatenate([[0], np.cumsum(held[shared])])
    del held, shared
    holders = np.empty(int(first[-1]), dtype=np.int32)
    fill = first[:-1].copy()  # the next free slot of each shared shingle
    last = len(values) - 1
    if last < 0:
        shingle_sets.clear()
        return Postings(values, first, holders)
    start = 0
    while start < len(shingle_sets):  # a block of articles at a time, ascending, each set freed once used
        stop, size = start, 0
        while stop < len(shingle_sets) and (stop == start or size < FILL_BLOCK):
            size += len(shingle_sets[stop])
            stop += 1
        block = shingle_sets[start:stop]
        sh = np.concatenate(block)
        doc = np.repeat(np.arange(start, stop, dtype=np.int32), [len(b) for b in block])
        shingle_sets[start:stop] = [_NO_SHINGLES] * (stop - start)
        del block
        order = np.argsort(sh, kind="stable")  # by shingle, then article: sorted keys search fast
        sh, doc = sh[order], doc[order]
        at = np.minimum(np.searchsorted(values, sh), last)
        hit = values[at] == sh
        at, doc = at[hit], doc[hit]
        run = run_starts(at)  # the entries of one shingle: its holders in this block, ascending
        count = np.diff(np.append(run, len(at)))
        holders[fill[at] + np.arange(len(at)) - np.repeat(run, count)] = doc
        fill[at[run]] += count
        start = stop
    shingle_sets.clear()
    return Postings(values, first, holders)


_NO_SHINGLES = np.zeros(0, dtype=np.uint64)
FILL_BLOCK = 1 << 21  # shingle entries placed at once


def pair_counts(post: Postings, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of the ``n`` articles and how many distinct shingles they share, skipping stock
    phrases.

    The shingles of one copied passage have the same holders, so shingles are first grouped by their
    holder list and each distinct list gives its pairs once, weighted by how many shingles have it (at
    100k synthetic articles, with copy groups of ~40 outlets, counting every shingle's pairs one by one
    sorted billions of keys). Identical lists are found by sorting a hash of each list and comparing
    neighbours, so a hash collision can only leave two equal lists apart, never join different ones."""
    starts, sizes = post.first[:-1], np.diff(post.first)
    counted = _PairCounter()
    for size in np.unique(sizes):
        if size < 2 or size > MAX_POSTINGS:
            continue
        first = starts[sizes == size]
        a, b = np.triu_indices(size, 1)
        mix = _column_mix(int(size))
        step = max(1, DEDUP_BLOCK // size)
        for at in range(0, len(first), step):
            # a row per shingle, its articles ascending
            members = post.holders[first[at : at + step, None] + np.arange(size)]
            with np.errstate(over="ignore"):
                h = (members.astype(np.uint64) * mix).sum(axis=1, dtype=np.uint64)
            order = np.argsort(h)
            members, h = members[order], h[order]
            new = np.ones(len(h), dtype=bool)
            new[1:] = (h[1:] != h[:-1]) | (members[1:] != members[:-1]).any(axis=1)
            begin = np.flatnonzero(new)
            weight = np.diff(np.append(begin, len(h)))
            distinct = members[begin].astype(np.int64)
            rows = max(1, PAIR_BLOCK // len(a))
            for k in range(0, len(distinct), rows):
                d = distinct[k : k + rows]
                counted.add((d[:, a] * n + d[:, b]).ravel(), np.repeat(weight[k : k + rows], len(a)))
    uniq, counts = counted.result()
    return uniq // n, uniq % n, counts


def _column_mix(size: int) -> np.ndarray:
    """Per column of a holder list of ``size``, an odd 64-bit multiplier: the list's hash is its weighted
    sum (wrapping)."""
    return np.random.default_rng(size).integers(1, 2**63, size=size, dtype=np.uint64) | np.uint64(1)


DEDUP_BLOCK = 1 << 23  # holder ids of the shingles grouped at once


class _PairCounter:
    """Summed weights per pair key, reduced block by block: a pair sharing hundreds of passages (a text
    syndicated to many outlets) would otherwise be materialised hundreds of times at once. Pending keys
    are folded into the counts whenever they outnumber both PAIR_BLOCK and the pairs counted so far, so
    each key is sorted O(log) times; the counts so far are sorted, so folding merges instead of sorting."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self.pending: list[tuple[np.ndarray, np.ndarray]] = []
        self.waiting = 0

    def add(self, keys: np.ndarray, weights: np.ndarray) -> None:
        self.pending.append((keys, weights))
        self.waiting += len(keys)
        if self.waiting >= max(PAIR_BLOCK, len(self.keys)):
            self._fold()

    def _fold(self) -> None:
        if not self.pending:
            return
        keys = np.concatenate([k for k, _ in self.pending])
        weights = np.concatenate([w for _, w in self.pending]).astype(np.int64)
        self.pending, self.waiting = [], 0
        if not len(keys):
            return
        order = np.argsort(keys)
        keys, weights = keys[order], weights[order]
        begin = run_starts(keys)
        new, new_counts = keys[begin], np.add.reduceat(weights, begin)
        at = np.searchsorted(self.keys, new)
        known = at < len(self.keys)
        known[known] = self.keys[at[known]] == new[known]
        self.counts[at[known]] += new_counts[known]
        self.keys, self.counts = merge_sorted(self.keys, self.counts, new[~known], new_counts[~known])

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        self._fold()
        return self.keys, self.counts
