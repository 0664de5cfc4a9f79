"""Which article pairs to compare, and the two stages of pair features the same-event model reads.

Stage 1 compares two articles directly (cosine per view). Stage 2 adds *second-order* similarity:
two articles of one event have the same nearest neighbours, while look-alike events (another
rehab, another earthquake) share words with each other but not neighbourhoods. On ECB+ this lifts
B-cubed F1 from ~0.89 (first-order views, learned weights) to ~0.95.

Blocking: only each article's ``per_row`` most similar articles (body + names cosine) become
candidate pairs, so the *pairs* the model scores grow as n × per_row. Up to EXACT_MAX articles they are
found exactly: each chunk of rows is compared with every article (sparse products into dense chunk × n
arrays; 5-10 s at 10k, quadratic). Above it, a shortlist of SHORTLIST × per_row per article comes from a
low-rank projection of the same views searched through k-means cells (:mod:`.nearest`: sub-quadratic;
57 s at 50k, where the exact search takes 336 s) and is re-scored exactly; an article's list can then miss a neighbour the projection
ranked too low (measured against the exact lists in docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from .features import FIRST_ORDER, ViewMatrices, day_gap, first_order
from .nearest import shortlist
from .row_dots import row_dots
from .sorted_keys import first_of_equal, take

CHUNK_ROWS = 512
# Exact candidate search up to this many articles (its cost grows as n²: 5-10 s at 10k, ~14 min at
# 100k; the shortlist path has a fixed cost of ~10-20 s, so it pays only above a few tens of thousands).
EXACT_MAX = 20_000
SHORTLIST = 6  # 3 found 0.906 of the exact neighbours at 50k, 6 finds 0.967 (benchmarks.md)
SCORED_PAIRS = 32_768
# A time penalty only where both articles are dated: within WINDOW_DAYS nothing, then decaying with
# TAU_DAYS. Not learned (ECB+ has no dates); set so a week apart halves and a month apart all but
# forbids a join: a later development is a follow-up story, not the same event.
WINDOW_DAYS = 3.0
TAU_DAYS = 10.0
# Further apart than this, two articles' possible event days make them a cannot-link (the time factor is
# below 1 % here already): average linkage would otherwise still join groups whose other pairs are strong.
# Only when one of the two has a publication date that is a fact: inferred dates and the dates a text
# mentions are often background (a birth date, a precedent), and one wrong hard link splits a story
# (on ECB+, where no date is a fact, a third of such pairs were one event).
CONFLICT_DAYS = 60.0
# Neighbours weaker than this do not count for second-order similarity (see ``neighbourhoods``).
P1_FLOOR = 0.1
MIX_FLOOR = 0.1


def time_factor(gap: np.ndarray, window: float = WINDOW_DAYS, tau: float = TAU_DAYS) -> np.ndarray:
    """1 within the window or when a date is unknown, then exp(-(gap - window) / tau)."""
    over = np.nan_to_num(gap - window, nan=0.0)
    return np.exp(-np.clip(over, 0.0, None) / tau)


def candidate_pairs(m: ViewMatrices, per_row: int = 50, only: np.ndarray | None = None,
                    floors: np.ndarray | None = None, exact_max: int | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Unique pairs ``rows[i] < cols[i]``: each article with its ``per_row`` nearest by body+names cosine;
    their first-order cosines (columns in FIRST_ORDER order), computed on the way; and per article the
    weakest similarity in its own list (-1 when the list holds everyone: any newcomer would join it).

    ``only``: the articles whose lists to compute (an incremental add: the new ones); then ``floors`` (per
    article, stored from earlier runs) also pairs an older article with a newcomer at least as similar
    as the weakest in its list, as a full run would have; the returned floors are those of ``only``.
    ``exact_max``: above this many articles (default EXACT_MAX) a whole-collection search is shortlisted.
    """
    n = len(m)
    todo = np.arange(n) if only is None else np.asarray(only, dtype=np.int64)
    if n < 2 or len(todo) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros((0, len(FIRST_ORDER)), dtype=np.float32), np.full(len(todo), -1.0)
    k = min(per_row, n - 1)
    if only is None and n > (EXACT_MAX if exact_max is None else exact_max) and SHORTLIST * k < n - 1:
        return _shortlisted_pairs(m, k)
    found_r, found_c, found_f, found_floor = [], [], [], []
    views = [m.body, m.names, m.title, m.numbers]  # FIRST_ORDER order
    few = only is not None and len(todo) <= CHUNK_ROWS  # a few rows: no need to transpose everything
    transposed = [] if few else [x.T.tocsc() for x in views]
    for start in range(0, len(todo), CHUNK_ROWS):
        chunk = todo[start : start + CHUNK_ROWS]
        if few:
            sims = [(x @ x[chunk].T).T.toarray() for x in views]
        else:
            sims = [(x[chunk] @ t).toarray() for x, t in zip(views, transposed)]
        sim = sims[0] + sims[1]
        sim[np.arange(len(chunk)), chunk] = -np.inf  # not itself
        if k < n - 1:
            top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
            found_floor.append(sim[np.arange(len(chunk))[:, None], top].min(axis=1))
        else:
            top = np.tile(np.arange(n), (len(chunk), 1))
            found_floor.append(np.full(len(chunk), -1.0))
        local = np.repeat(np.arange(len(chunk)), top.shape[1])
        cols = top.ravel()
        if floors is not None:  # older articles that would take this newcomer into their own list
            extra_l, extra_c = np.nonzero(sim >= floors[None, :])
            local, cols = np.concatenate([local, extra_l]), np.concatenate([cols, extra_c])
        keep = chunk[local] != cols
        local, cols = local[keep], cols[keep]
        found_r.append(chunk[local])
        found_c.append(cols)
        found_f.append(np.stack([v[local, cols] for v in sims], axis=1).astype(np.float32))
    return _unique_pairs(n, found_r, found_c, found_f, found_floor)


def _unique_pairs(n: int, found_r: list, found_c: list, found_f: list, found_floor: list) -> tuple:
    """The found pairs once each (the first found), rows < cols. Takes the lists over: each is emptied
    once concatenated (at 100k articles the lists, their copies and the keys were each ~0.1 GB)."""
    key, f = first_of_equal(_pair_keys(n, take(found_r), take(found_c)), take(found_f))
    return key // n, key % n, f, np.concatenate(found_floor).astype(float)


def _pair_keys(n: int, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``min * n + max`` of each pair, built in place."""
    key = np.minimum(r, c).astype(np.int64)
    key *= n
    key += np.maximum(r, c)
    return key


def _shortlisted_pairs(m: ViewMatrices, k: int) -> tuple:
    """:func:`candidate_pairs` for a whole large collection: each article's ``k`` best by exact body + names
    cosine among its SHORTLIST × k best by projected similarity."""
    n = len(m)
    short = shortlist([m.body, m.names], SHORTLIST * k)
    found_r, found_c, found_f, found_floor = [], [], [], []
    step = max(1, SCORED_PAIRS // short.shape[1])  # memory: the row copies of this many pairs at once
    for start in range(0, n, step):
        chunk = np.arange(start, min(n, start + step))
        rows, cols = np.repeat(chunk, short.shape[1]), short[chunk].ravel()
        reached = cols >= 0  # -1: fewer rows were in reach than the shortlist holds
        body, names = np.zeros(len(rows), np.float32), np.zeros(len(rows), np.float32)
        body[reached] = row_dots(m.body, rows[reached], cols[reached])
        names[reached] = row_dots(m.names, rows[reached], cols[reached])
        sim = np.where(reached, body + names, -np.inf).reshape(len(chunk), -1)
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        weakest = sim[np.arange(len(chunk))[:, None], top].min(axis=1)
        found_floor.append(np.where(np.isfinite(weakest), weakest, -1.0))  # a list not full takes anyone
        at = (top + (np.arange(len(chunk)) * short.shape[1])[:, None]).ravel()  # flat index into rows/cols
        at = at[reached[at]]
        r, c = rows[at], cols[at]
        f = np.stack([body[at], names[at], row_dots(m.title, r, c), row_dots(m.numbers, r, c)], axis=1)
        found_r.append(r)
        found_c.append(c)
        found_f.append(f.astype(np.float32))
    del short  # not held while the pairs are made unique (0.12 GB at 100k articles)
    return _unique_pairs(n, found_r, found_c, found_f, found_floor)


def neighbourhoods(n: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, k: int,
                   floor: float = 0.0) -> sparse.csr_matrix:
    """Each article's row of its own weight 1 and its ``k - 1`` strongest pairs of weight >= ``floor``,
    symmetrised, L2-normalised. The dot product of two rows is the second-order similarity.

    The floor keeps a small collection honest: there every article is among everyone's k nearest, and
    without it weak neighbours would make unrelated articles look like one neighbourhood.
    """
    if n == 0:
        return sparse.csr_matrix((0, 0))
    full = _pair_graph(n, rows, cols, weight, floor)
    row = np.repeat(np.arange(n, dtype=np.int32), np.diff(full.indptr))
    sel = full.data >= _kth_largest(full, k)[row]  # ties at the k-th value all stay: no dependence on order
    knn = sparse.csr_matrix((full.data[sel], (row[sel], full.indices[sel])), shape=(n, n))
    return normalize(knn.maximum(knn.T).tocsr())


def _pair_graph(n: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, floor: float
                ) -> sparse.csr_matrix:
    """The pairs of weight >= ``floor`` both ways, and each article with itself at weight 1, as a CSR
    matrix with sorted indices (its coordinates int32 and filled in place: at 100k articles concatenated
    int64 copies made each call's peak)."""
    strong = weight >= floor
    s = int(strong.sum())
    r, c = np.empty(2 * s + n, dtype=np.int32), np.empty(2 * s + n, dtype=np.int32)
    w = np.empty(2 * s + n, dtype=np.float64)
    r[:s] = c[s : 2 * s] = rows[strong]
    c[:s] = r[s : 2 * s] = cols[strong]
    r[2 * s :] = c[2 * s :] = np.arange(n)
    w[:s] = w[s : 2 * s] = weight[strong]
    w[2 * s :] = 1.0
    full = sparse.csr_matrix((w, (r, c)), shape=(n, n))
    full.sort_indices()
    return full


KTH_BLOCK = 1 << 20  # entries ranked at once by :func:`_kth_largest`


def _kth_largest(m: sparse.csr_matrix, k: int) -> np.ndarray:
    """Per row, its ``k``-th largest stored value; -inf for a row of ``k`` entries or fewer. Ranked in
    blocks of whole rows of about KTH_BLOCK entries (a sort of all entries at once was ~0.2 GB at 100k)."""
    n = m.shape[0]
    length = np.diff(m.indptr)
    kth = np.full(n, -np.inf)
    start = 0
    while start < n:
        stop = max(start + 1, int(np.searchsorted(m.indptr, m.indptr[start] + KTH_BLOCK, side="right")) - 1)
        stop = min(stop, n)
        lo, hi = m.indptr[start], m.indptr[stop]
        seg_row = np.repeat(np.arange(stop - start), length[start:stop])
        order = np.lexsort((-m.data[lo:hi], seg_row))  # within each row, largest first
        long_rows = np.flatnonzero(length[start:stop] > k)
        kth[start + long_rows] = m.data[lo + order[m.indptr[start + long_rows] - lo + k - 1]]
        start = stop
    return kth


def second_order(nb: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per pair, the dot product of the two neighbourhood rows (:func:`row_dots`: in blocks of pairs; the
    rows of every candidate pair at once were ~1 GB at 100k articles)."""
    return row_dots(nb, rows, cols)


def logistic(x: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))


class PairScorer:
    """Scores any pair of articles in one collection with given stage weights (see :mod:`.learned`).

    Built once per collection: the candidate graph, stage-1 probabilities on it, and the
    neighbourhoods the stage-2 features need; then :meth:`stage2_features` / :meth:`probability`
    work for arbitrary pairs (the clusterer also scores pairs inside a block that were not candidates).
    """

    def __init__(self, m: ViewMatrices, coef1: np.ndarray, intercept1: float, per_row: int = 50,
                 must_link: tuple[np.ndarray, np.ndarray] | None = None,
                 candidates: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
        """``candidates``: the candidate pairs (``rows < cols``, sorted by ``rows * n + cols``) and their
        first-order cosines, when known (an incremental add); else computed here (``floors`` kept)."""
        self.m = m
        self.coef1, self.intercept1 = np.asarray(coef1, dtype=float), float(intercept1)
        n = len(m)
        if candidates is None:
            rows, cols, fo, self.floors = candidate_pairs(m, per_row)
        else:
            rows, cols, fo = candidates
            self.floors = None
        # sorted keys: the first-order cosines to reuse, and the candidates (see :attr:`candidates`)
        self._known_keys, self._known_fo = rows * n + cols, fo
        if must_link is not None and len(must_link[0]):
            lo = np.minimum(must_link[0], must_link[1])
            hi = np.maximum(must_link[0], must_link[1])
            key = np.unique(np.concatenate([self._known_keys, lo * n + hi]))
            rows, cols = key // n, key % n
        self.rows, self.cols = rows, cols
        p1 = self.stage1(rows, cols)
        mix = self.first_order(rows, cols)[:, :2].mean(axis=1)
        self.nb_p1_5 = neighbourhoods(n, rows, cols, p1, 5, P1_FLOOR)
        self.nb_p1_10 = neighbourhoods(n, rows, cols, p1, 10, P1_FLOOR)
        self.nb_mix_5 = neighbourhoods(n, rows, cols, mix, 5, MIX_FLOOR)
        self.nb_mix_10 = neighbourhoods(n, rows, cols, mix, 10, MIX_FLOOR)

    @property
    def candidates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The candidate pairs (``rows < cols``, by ``rows * n + cols``) and their first-order cosines, as
        found or given; made from the keys when asked (the link records, at the end), not held beside
        :attr:`rows` and :attr:`cols` through clustering (at 100k articles ~0.06 GB)."""
        n = max(1, len(self.m))
        return self._known_keys // n, self._known_keys % n, self._known_fo

    def first_order(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """First-order cosines per pair: looked up for candidate pairs, computed for the others."""
        n = len(self.m)
        key = np.minimum(rows, cols).astype(np.int64) * n + np.maximum(rows, cols)
        at = np.clip(np.searchsorted(self._known_keys, key), 0, max(len(self._known_keys) - 1, 0))
        known = (self._known_keys[at] == key) if len(self._known_keys) else np.zeros(len(key), dtype=bool)
        out = np.empty((len(key), len(FIRST_ORDER)), dtype=np.float32)
        out[known] = self._known_fo[at[known]]
        if not known.all():
            out[~known] = first_order(self.m, rows[~known], cols[~known])
        return out

    def stage1(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        p = logistic(self.first_order(rows, cols).astype(float), self.coef1, self.intercept1)
        return p * time_factor(day_gap(self.m, rows, cols))

    def stage2_features(self, rows: np.ndarray, cols: np.ndarray, timeless: bool = False) -> np.ndarray:
        """Columns: the 4 first-order cosines, p1, mix, snn_p1_5, snn_mix_5, snn_mix_10, snn_p1_10.

        ``timeless``: p1 without the time penalty (what the content alone says).
        """
        fo = self.first_order(rows, cols).astype(float)
        p1 = logistic(fo, self.coef1, self.intercept1)
        if not timeless:
            p1 = p1 * time_factor(day_gap(self.m, rows, cols))
        extra = np.stack(
            [p1, fo[:, :2].mean(axis=1), second_order(self.nb_p1_5, rows, cols),
             second_order(self.nb_mix_5, rows, cols), second_order(self.nb_mix_10, rows, cols),
             second_order(self.nb_p1_10, rows, cols)],
            axis=1,
        )
        return np.concatenate([fo, extra], axis=1)

    def conflict(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """True where the two articles' possible event days lie more than CONFLICT_DAYS apart and one of
        them has a publication date that is a fact."""
        far = np.nan_to_num(day_gap(self.m, rows, cols), nan=0.0) > CONFLICT_DAYS
        if self.m.anchored is None:
            return far
        return far & (self.m.anchored[rows] | self.m.anchored[cols])

    def contrast(self, x: int, core_a: Sequence[int], core_b: Sequence[int]) -> float:
        """How much more article ``x`` shares the *distinctive* terms of ``core_a`` than of ``core_b``.

        Distinctive: in one core's body or names centroid and absent from the other's. Two look-alike
        events share the vocabulary of their kind (actors, action); what tells them apart is the rest -
        the other people, places, figures and details of each.
        """
        score = 0.0
        for mat in (self.m.body, self.m.names):
            # unit-length centroids: a core's size must not dilute its terms against a smaller core's
            ca = _unit(np.asarray(mat[list(core_a)].mean(axis=0)).ravel())
            cb = _unit(np.asarray(mat[list(core_b)].mean(axis=0)).ravel())
            v = mat[x].toarray().ravel()
            score += float(v @ np.where(cb == 0, ca, 0.0)) - float(v @ np.where(ca == 0, cb, 0.0))
        return round(score, 9)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


STAGE2_FEATURES: tuple[str, ...] = (
    "cos_body", "cos_names", "cos_title", "cos_numbers",
    "p1", "mix", "snn_p1_5", "snn_mix_5", "snn_mix_10", "snn_p1_10",
)
