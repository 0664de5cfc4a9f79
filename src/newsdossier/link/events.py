"""The event clusterer: average linkage over same-event probabilities, cut at a calibrated 0.5.

Average linkage joins two groups only while the mean probability that their articles report the
same event is at least the threshold; such a join needs at least one pair at or above it, so the
connected components of the graph "pair probability >= threshold" are independent blocks and the
exact linkage runs inside each block only. Linkage may start from a given partition (the stories
already in the store): those groups are never split, only joined with others when the evidence
says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

PairProbability = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    g = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return connected_components(g, directed=False)[1]


def average_linkage(prob: np.ndarray, groups: Sequence[Sequence[int]], threshold: float) -> list[list[int]]:
    """Join ``groups`` (index lists into the square ``prob``) by average linkage while the best mean >= threshold.

    Ties go to the pair of groups that comes first in the given order, so the result depends only on
    the order of ``groups`` (callers sort them).
    """
    members = [list(g) for g in groups]
    k = len(members)
    if k < 2:
        return members
    sizes = np.array([len(g) for g in members], dtype=float)
    indicator = np.zeros((k, prob.shape[0]))
    for a, g in enumerate(members):
        indicator[a, g] = 1.0
    totals = indicator @ prob @ indicator.T
    alive = np.ones(k, dtype=bool)
    while True:
        mean = totals / np.outer(sizes, sizes)
        mean[~alive, :] = -1.0
        mean[:, ~alive] = -1.0
        np.fill_diagonal(mean, -1.0)
        flat = int(np.argmax(mean))
        a, b = divmod(flat, k)
        if mean[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        members[a].extend(members[b])
        members[b] = []
        totals[a, :] += totals[b, :]
        totals[:, a] += totals[:, b]
        sizes[a] += sizes[b]
        alive[b] = False
    return [sorted(g) for g in members if g]


def cluster_events(
    n: int,
    rows: np.ndarray,
    cols: np.ndarray,
    prob_of_candidates: np.ndarray,
    pair_probability: PairProbability,
    threshold: float = 0.5,
    initial: Sequence[Sequence[int]] = (),
) -> list[list[int]]:
    """Partition ``range(n)`` into events.

    ``rows, cols, prob_of_candidates``: the scored candidate pairs; ``pair_probability(r, c)`` scores any
    other pair inside a block; ``initial``: groups that must stay together (existing stories, duplicates).
    """
    strong = prob_of_candidates >= threshold
    link_r, link_c = [rows[strong]], [cols[strong]]
    for g in initial:
        g = list(g)
        if len(g) > 1:
            link_r.append(np.full(len(g) - 1, g[0]))
            link_c.append(np.array(g[1:]))
    block_of = _components(n, np.concatenate(link_r).astype(int), np.concatenate(link_c).astype(int))
    start_group = np.arange(n)
    for gi, g in enumerate(initial):
        for i in g:
            start_group[i] = n + gi
    out: list[list[int]] = []
    order = np.argsort(block_of, kind="stable")
    bounds = np.flatnonzero(np.diff(block_of[order])) + 1
    for block in np.split(order, bounds):
        block = np.sort(block)
        if len(block) == 1:
            out.append([int(block[0])])
            continue
        local = {int(i): j for j, i in enumerate(block)}
        groups: dict[int, list[int]] = {}
        for i in block:
            groups.setdefault(int(start_group[i]), []).append(local[int(i)])
        start = sorted(groups.values(), key=lambda g: min(g))
        r, c = np.triu_indices(len(block), 1)
        p = np.zeros((len(block), len(block)))
        p[r, c] = pair_probability(block[r], block[c])
        p = p + p.T
        for g in start:  # a kept group is one unit however its members score among themselves
            p[np.ix_(g, g)] = 1.0
        for g in average_linkage(p, start, threshold):
            out.append(sorted(int(block[j]) for j in g))
    return sorted(out, key=lambda g: g[0])
