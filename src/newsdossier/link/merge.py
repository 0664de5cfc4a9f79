"""The second pass: a learned decision to merge two events the first pass left apart.

Average linkage cut at 0.5 is strict with small groups: a lone article whose report is terse or told
from another angle rarely reaches a mean of 0.5 with a large event, though its best match in that
event is certain. The merge decision looks at each pair of groups the candidate graph connects and
weighs the mean and best same-event probability between them and the size of the smaller group
(a monotone logistic regression, learned from the first pass's own mistakes on held-out topics, see
:meth:`.learned.SameEventModel.fit`). Each group merges at most once per pass, best pairs first; passes
repeat until none merges (the caller's loop); a pair with a cannot-link (see :mod:`.temporal`) never merges.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from .sorted_keys import first_of_equal, merge_sorted, take

MERGE_FEATURES: tuple[str, ...] = ("p_mean", "p_max", "inv_min_size")
# Group pairs whose best candidate pair is below this are not compared: no evidence to weigh.
PAIR_FLOOR = 0.1

PairFunction = Callable[[np.ndarray, np.ndarray], np.ndarray]


def group_pairs(groups: Sequence[Sequence[int]], rows: np.ndarray, cols: np.ndarray, p: np.ndarray,
                floor: float = PAIR_FLOOR) -> list[tuple[int, int]]:
    """Pairs ``a < b`` of group indices joined by a candidate pair of probability >= ``floor``, sorted."""
    n = int(max((max(g) for g in groups if g), default=-1)) + 1
    group_of = np.full(max(n, int(max(rows.max(initial=-1), cols.max(initial=-1))) + 1), -1, dtype=np.int64)
    for k, g in enumerate(groups):
        group_of[list(g)] = k
    ga, gb = group_of[rows], group_of[cols]
    keep = (ga != gb) & (ga >= 0) & (gb >= 0) & (p >= floor)
    lo, hi = np.minimum(ga[keep], gb[keep]), np.maximum(ga[keep], gb[keep])
    return sorted(set(zip(lo.tolist(), hi.tolist())))


# (key of group a, key of group b) -> (MERGE_FEATURES row, blocked). A group's key is (its first member, its
# size): within the merge passes groups only grow by merging, so a group with the same first member and size
# as in an earlier pass has the same members.
FeatureCache = dict


def pair_features(groups: Sequence[Sequence[int]], pairs: Sequence[tuple[int, int]], probability: PairFunction,
                  conflict: PairFunction | None, cache: FeatureCache | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per group pair: the MERGE_FEATURES, and whether a cannot-link blocks it. ``cache``: the values of
    group pairs weighed in an earlier pass; a pair of groups that did not change since is not weighed
    again (its features depend on the two member lists only)."""
    feats = np.zeros((len(pairs), len(MERGE_FEATURES)))
    blocked = np.zeros(len(pairs), dtype=bool)
    for k, (a, b) in enumerate(pairs):
        key = (groups[a][0], len(groups[a]), groups[b][0], len(groups[b]))
        known = cache.get(key) if cache is not None else None
        if known is None:
            ga, gb = np.asarray(groups[a]), np.asarray(groups[b])
            r, c = np.repeat(ga, len(gb)), np.tile(gb, len(ga))
            p = probability(r, c)
            known = ((p.mean(), p.max(), 1.0 / min(len(ga), len(gb))),
                     conflict is not None and bool(conflict(r, c).any()))
            if cache is not None:
                cache[key] = known
        feats[k], blocked[k] = known
    return feats, blocked


def merge_groups(groups: Sequence[Sequence[int]], rows: np.ndarray, cols: np.ndarray, p: np.ndarray,
                 probability: PairFunction, conflict: PairFunction | None, coef: np.ndarray, intercept: float,
                 threshold: float = 0.5, cache: FeatureCache | None = None) -> list[list[int]]:
    """One merge pass over ``groups`` (see the module doc); ``rows, cols, p``: the scored candidate pairs;
    ``cache``: see :func:`pair_features`."""
    groups = [sorted(g) for g in groups]
    pairs = group_pairs(groups, rows, cols, p)
    if not pairs:
        return groups
    feats, blocked = pair_features(groups, pairs, probability, conflict, cache)
    prob = 1.0 / (1.0 + np.exp(-(feats @ coef + intercept)))
    used: set[int] = set()
    parent = list(range(len(groups)))
    # best first; ties by the groups' first members, so the result depends only on the groups
    order = sorted(range(len(pairs)), key=lambda k: (-round(float(prob[k]), 9), groups[pairs[k][0]][0],
                                                      groups[pairs[k][1]][0]))
    for k in order:
        if prob[k] < threshold:
            break
        a, b = pairs[k]
        if blocked[k] or a in used or b in used:
            continue
        used.update((a, b))
        parent[b] = a
    out: dict[int, list[int]] = {}
    for k, g in enumerate(groups):
        out.setdefault(parent[k], []).extend(g)
    return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])


def merge_passes(groups: Sequence[Sequence[int]], rows: np.ndarray, cols: np.ndarray, p: np.ndarray,
                 probability: PairFunction, conflict: PairFunction | None, coef: np.ndarray, intercept: float,
                 threshold: float = 0.5) -> Iterator[list[list[int]]]:
    """The events after each :func:`merge_groups` pass that merged something; the last is the fixpoint
    (merged events are weighed again, since one pass merges a group at most once)."""
    cache: FeatureCache = {}  # a pass weighs again only the group pairs the last pass changed
    known = _KnownPairs(probability)  # and of those, scores only member pairs no earlier pass scored
    while True:
        merged = merge_groups(groups, rows, cols, p, known, conflict, coef, intercept, threshold, cache)
        known.fold()
        if len(merged) == len(groups):
            return
        groups = merged
        live = {(g[0], len(g)) for g in merged}  # the entries of merged-away groups are never asked again
        cache = {k: v for k, v in cache.items() if k[:2] in live and k[2:] in live}
        yield merged


class _KnownPairs:
    """``probability`` remembering the pairs it scored in earlier passes (call :meth:`fold` between passes).

    A merged group is weighed again against its neighbours, member pair by member pair, but most of
    those pairs were weighed in an earlier pass as members of the groups it merged: at 100k synthetic
    articles the first pass scored 6.6M member pairs and the later passes 6.2M, of which 0.15M were new.
    A pair's probability does not depend on the direction it is asked in."""

    def __init__(self, probability: PairFunction) -> None:
        self.probability = probability
        self.keys = np.zeros(0, dtype=np.int64)  # sorted: lower index << 32 | higher index
        self.values = np.zeros(0)
        self.pending: list[tuple[np.ndarray, np.ndarray]] = []

    def __call__(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        key = (np.minimum(rows, cols) << 32) | np.maximum(rows, cols)
        at = np.searchsorted(self.keys, key)
        known = at < len(self.keys)
        known[known] = self.keys[at[known]] == key[known]
        out = np.empty(len(key))
        out[known] = self.values[at[known]]
        todo = ~known
        if todo.any():
            out[todo] = self.probability(rows[todo], cols[todo])
            self.pending.append((key[todo], out[todo]))
        return out

    def fold(self) -> None:
        """Make this pass's pairs known to the next (kept apart until now: a pass asks each pair once)."""
        if not self.pending:
            return
        # each array is freed once copied (a first pass at 100k articles scores ~6.6M pairs: the pieces,
        # their concatenation and np.unique's copies of it at once were the clustering's memory peak)
        key_parts, value_parts = map(list, zip(*self.pending))
        self.pending = []
        key, value = first_of_equal(take(key_parts), take(value_parts))
        self.keys, self.values = merge_sorted(self.keys, self.values, key, value)


def group_folds(keys: Sequence[str], k: int) -> list[np.ndarray]:
    """Boolean masks of ``k`` held-out folds: the distinct keys (e.g. topics) sorted, numerically when they
    are numbers, and dealt round-robin, so look-alike events of one key stay in one fold."""
    uniq = sorted(set(keys), key=lambda t: (0, int(t), "") if t.isdigit() else (1, 0, t))
    fold_of = {t: i % k for i, t in enumerate(uniq)}
    arr = np.array([fold_of[t] for t in keys])
    return [arr == f for f in range(min(k, len(uniq)))]


def training_rows(groups: Sequence[Sequence[int]], labels: np.ndarray, held: np.ndarray, rows: np.ndarray,
                  cols: np.ndarray, p: np.ndarray, probability: PairFunction,
                  conflict: PairFunction | None) -> tuple[np.ndarray, np.ndarray]:
    """Features and targets (same majority label) of the group pairs that both hold ``held`` articles."""
    pairs = [(a, b) for a, b in group_pairs(groups, rows, cols, p)
             if held[list(groups[a])].any() and held[list(groups[b])].any()]
    feats, blocked = pair_features(groups, pairs, probability, conflict)
    major = [Counter(labels[list(g)].tolist()).most_common(1)[0][0] for g in groups]
    same = np.array([major[a] == major[b] for a, b in pairs], dtype=float)
    return feats[~blocked], same[~blocked]
