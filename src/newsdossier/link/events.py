"""The event clusterer: average linkage over same-event probabilities, cut at a calibrated 0.5.

Average linkage joins two groups only while the mean probability that their articles report the
same event is at least the threshold; such a join needs at least one pair at or above it, so the
connected components of the graph "pair probability >= threshold" are independent blocks and the
exact linkage runs inside each block only. Linkage may start from a given partition (the stories
already in the store): those groups are never split, only joined with others when the evidence
says so.

Time evidence adds *cannot-links* (pairs whose dates cannot overlap, see :mod:`.temporal`): two groups
holding such a pair never join, whatever their mean. Greedy linkage then hands the undated articles of
two look-alike events to whichever side they met first, so :func:`separate_rivals` re-deals them: for
two groups kept apart only by a cannot-link, each member without time evidence against either side
goes to the side whose core it shares more *distinctive* terms with. The cores start as the time-evidenced
members and grow as members are dealt, the clearest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

PairProbability = Callable[[np.ndarray, np.ndarray], np.ndarray]
PairConflict = Callable[[np.ndarray, np.ndarray], np.ndarray]  # True: the two cannot be one event
Contrast = Callable[[int, Sequence[int], Sequence[int]], float]  # > 0: the article sides with the first


def _components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    g = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return connected_components(g, directed=False)[1]


# Pairs of one block scored at once: a multiple of the scorer's own chunk (``learned.PROBABILITY_CHUNK``),
# so each pair is computed in the same chunk as when a block's pairs were scored in one call.
BLOCK_PAIRS = 1 << 20


def _upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.triu_indices(size, 1)`` as int32 (a block of thousands of articles has millions of pairs)."""
    r = np.repeat(np.arange(size, dtype=np.int32), np.arange(size - 1, -1, -1))
    c = np.concatenate([np.arange(i + 1, size, dtype=np.int32) for i in range(size)] or [np.zeros(0, np.int32)])
    return r, c


def _pair_matrix(block: np.ndarray, r: np.ndarray, c: np.ndarray, score: Callable, dtype: type) -> np.ndarray:
    """The symmetric matrix of ``score(block[r], block[c])`` over the pairs ``r < c`` (zero elsewhere),
    scored BLOCK_PAIRS at a time and written to both triangles (no copy of every pair's articles, no
    transposed copy of the matrix)."""
    out = np.zeros((len(block), len(block)), dtype=dtype)
    for at in range(0, len(r), BLOCK_PAIRS):
        rr, cc = r[at : at + BLOCK_PAIRS], c[at : at + BLOCK_PAIRS]
        values = score(block[rr], block[cc])
        out[rr, cc] = values
        out[cc, rr] = values
    return out


def average_linkage(prob: np.ndarray, groups: Sequence[Sequence[int]], threshold: float,
                    conflict: np.ndarray | None = None) -> list[list[int]]:
    """Join ``groups`` (index lists into the square ``prob``) by average linkage while the best mean >= threshold.

    ``conflict``: a symmetric boolean matrix like ``prob``; groups with a conflicting pair never join.
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
    blocked = np.zeros((k, k), dtype=bool)
    if conflict is not None:  # groups holding a conflicting pair (no float copy of the whole matrix)
        group_of = np.full(prob.shape[0], -1)
        for a, g in enumerate(members):
            group_of[g] = a
        x, y = np.nonzero(conflict)
        x, y = group_of[x], group_of[y]
        held = (x >= 0) & (y >= 0)
        blocked[x[held], y[held]] = True
    alive = np.ones(k, dtype=bool)
    while True:
        mean = totals / np.outer(sizes, sizes)
        mean[~alive, :] = -1.0
        mean[:, ~alive] = -1.0
        mean[blocked] = -1.0
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
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        sizes[a] += sizes[b]
        alive[b] = False
    return [sorted(g) for g in members if g]


def separate_rivals(groups: Sequence[Sequence[int]], conflict: np.ndarray, content: np.ndarray,
                    contrast: Contrast, threshold: float, fixed: frozenset[int] = frozenset()) -> list[list[int]]:
    """Re-deal the free members of rival groups (see the module doc); indices are local to the matrices.

    Rivals: two groups with a conflicting pair whose mean ``content`` probability (the same-event
    probability without the time penalty) still reaches ``threshold``. Their core: the members in
    conflict with the other group. Free: members in conflict with no one in either, and not ``fixed``
    (an existing story's members stay put). A tie leaves an article where it is.
    """
    out = [sorted(g) for g in groups]
    for a in range(len(out)):
        for b in range(a + 1, len(out)):
            ga, gb = out[a], out[b]
            if not ga or not gb or not conflict[np.ix_(ga, gb)].any():
                continue
            if content[np.ix_(ga, gb)].mean() < threshold:
                continue
            both = ga + gb
            core_a = [x for x in ga if conflict[x, gb].any()]
            core_b = [y for y in gb if conflict[y, ga].any()]
            side = {x: 0 for x in ga} | {y: 1 for y in gb}
            free = [x for x in both if x not in fixed and not conflict[x, both].any()]
            # Clearest first: each dealt article joins its side's core, so the later, less clear ones
            # are judged against the details of every article already placed, not only the dated few.
            first = {x: contrast(x, core_a, core_b) for x in free}
            cores = ([*core_a], [*core_b])
            for x in sorted(free, key=lambda y: (-abs(first[y]), y)):
                score = contrast(x, cores[0], cores[1])
                if score != 0:
                    side[x] = 0 if score > 0 else 1
                cores[side[x]].append(x)
            out[a] = sorted(x for x in both if side[x] == 0)
            out[b] = sorted(x for x in both if side[x] == 1)
    return [g for g in out if g]


def cluster_events(
    n: int,
    rows: np.ndarray,
    cols: np.ndarray,
    prob_of_candidates: np.ndarray,
    pair_probability: PairProbability,
    threshold: float = 0.5,
    initial: Sequence[Sequence[int]] = (),
    pair_conflict: PairConflict | None = None,
    content_probability: PairProbability | None = None,
    contrast: Contrast | None = None,
) -> list[list[int]]:
    """Partition ``range(n)`` into events.

    ``rows, cols, prob_of_candidates``: the scored candidate pairs; ``pair_probability(r, c)`` scores any
    other pair inside a block; ``initial``: groups that must stay together (existing stories, duplicates).
    ``pair_conflict``: cannot-links; with ``content_probability`` and ``contrast``, rival groups are
    re-dealt (see :func:`separate_rivals`).
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
        if len(start) == 1:  # one kept group (an existing story and nothing new): nothing to decide
            out.append(sorted(int(i) for i in block))
            continue
        # Only pairs across start groups are scored: a kept group is one unit whatever its members score.
        unit = np.empty(len(block), dtype=np.int64)
        for gi, g in enumerate(start):
            unit[g] = gi
        r, c = _upper_pairs(len(block))
        cross = unit[r] != unit[c]
        r, c = r[cross], c[cross]
        del cross
        p = _pair_matrix(block, r, c, pair_probability, np.float64)
        for g in start:  # a kept group is one unit however its members score among themselves
            p[np.ix_(g, g)] = 1.0
        conflict = None
        if pair_conflict is not None:
            conflict = _pair_matrix(block, r, c, pair_conflict, bool)
            if not conflict.any():
                conflict = None
        found = average_linkage(p, start, threshold, conflict)
        if conflict is not None and content_probability is not None and contrast is not None:
            del p
            q = _pair_matrix(block, r, c, content_probability, np.float64)
            fixed = frozenset(j for g in start if len(g) > 1 for j in g)
            found = separate_rivals(found, conflict, q, lambda x, ca, cb: contrast(
                int(block[x]), [int(block[j]) for j in ca], [int(block[j]) for j in cb]), threshold, fixed)
        for g in found:
            out.append(sorted(int(block[j]) for j in g))
    return sorted(out, key=lambda g: g[0])
