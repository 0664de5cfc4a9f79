"""Approximate nearest rows of a large sparse matrix, for link's candidate pairs.

Exact search multiplies each row with every other row of the sparse TF-IDF matrix: n² sparse products
into dense n-wide rows, about 14 minutes and most of link's memory at 100k articles. Here:

1. The rows are projected onto their ``dims`` leading singular directions (latent semantic analysis:
   for X ≈ U Σ Vᵀ, the row dot products X Xᵀ ≈ (XV)(XV)ᵀ, the best rank-``dims`` approximation in the
   Frobenius norm), fitted on a sample of rows.
2. The projected rows are partitioned by k-means into about √n cells (an inverted-file index, as in
   FAISS's IVF). The rows of one cell are compared only with the rows of the ``probes`` cells whose
   centres lie nearest to their own centre: n · probes · √n · dims multiply-adds instead of n² · dims,
   done as dense block products.
3. Each row keeps its ``k`` best by projected dot product; the caller re-scores that shortlist exactly,
   so a neighbour the projection ranks a little low is still found when the shortlist is a few times
   longer than the list finally kept.

Deterministic for a given ``seed``: the sample, the SVD and k-means are seeded, the rest is arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD

QUERY_ROWS = 1024  # rows of one cell scored at once (memory: QUERY_ROWS × candidates floats)
Matrix = sparse.csr_matrix | Sequence[sparse.csr_matrix]
PROJECT_ROWS = 8192  # rows projected at once (the float64 product of all rows is 0.2 GB at 100k articles)


def _sample_rows(n: int, size: int, seed: int) -> np.ndarray:
    """``size`` distinct rows of ``n`` (all when fewer), ascending, the same for the same seed."""
    return np.sort(np.random.default_rng(seed).choice(n, size=min(n, size), replace=False))


def projected_rows(x: Matrix, dims: int = 256, sample: int = 20_000, seed: int = 0) -> np.ndarray:
    """Rows of ``x`` projected onto the leading ``dims`` right singular vectors of a row sample.

    ``x``: a sparse matrix, or its column blocks (their side-by-side copy is never made whole: at 100k
    articles the copy and its shared columns were ~0.25 GB)."""
    blocks = [x] if sparse.issparse(x) else list(x)
    # A column set in one row only adds nothing to any dot product between rows: leave it out of the fit.
    shared = [np.flatnonzero(np.bincount(b.indices, minlength=b.shape[1]) >= 2) for b in blocks]
    if not sum(len(c) for c in shared):
        shared = [np.arange(b.shape[1]) for b in blocks]

    def rows(which: np.ndarray | slice) -> sparse.csr_matrix:
        return sparse.hstack([b[which][:, c] for b, c in zip(blocks, shared)], format="csr")

    n, width = blocks[0].shape[0], sum(len(c) for c in shared)
    dims = max(1, min(dims, width - 1, n - 1))
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=4, random_state=seed)
    svd.fit(rows(_sample_rows(n, sample, seed)))
    basis = svd.components_.T
    out = np.empty((n, basis.shape[1]), dtype=np.float32)
    for start in range(0, n, PROJECT_ROWS):
        out[start : start + PROJECT_ROWS] = rows(slice(start, start + PROJECT_ROWS)) @ basis
    return out


def cells(vecs: np.ndarray, sample: int = 20_000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """k-means cells of the rows (about √n of them, fitted on a sample): each row's cell, the centres."""
    n = len(vecs)
    count = max(1, min(n, round(np.sqrt(n))))
    fit = vecs[_sample_rows(n, max(sample, count), seed)]
    km = KMeans(n_clusters=count, n_init=1, max_iter=50, random_state=seed).fit(fit)
    return km.predict(vecs), km.cluster_centers_.astype(np.float32)


def shortlist(x: Matrix, k: int, dims: int = 256, probes: int = 10, sample: int = 20_000,
              seed: int = 0) -> np.ndarray:
    """Per row of ``x`` (a sparse matrix or its column blocks), its ``k`` best other rows by projected dot
    product among the rows of the ``probes`` cells nearest its own: shape (n, k), padded with -1 where fewer rows were in reach; int32 when the
    rows fit (at 100k articles and k = 300 the list is 0.12 GB smaller)."""
    n = x.shape[0] if sparse.issparse(x) else x[0].shape[0]
    k = min(k, n - 1)
    out = np.full((n, max(k, 0)), -1, dtype=np.int32 if n < 2**31 else np.int64)
    if k <= 0:
        return out
    vecs = projected_rows(x, dims, sample, seed)
    cell, centres = cells(vecs, sample, seed)
    members = [np.flatnonzero(cell == c) for c in range(len(centres))]
    sq = (centres**2).sum(axis=1)
    gap = sq[:, None] + sq[None, :] - 2 * centres @ centres.T  # squared distances between centres
    np.fill_diagonal(gap, -np.inf)
    near = np.argsort(gap, axis=1, kind="stable")[:, :probes]  # its own cell first
    for c, rows_c in enumerate(members):
        if len(rows_c) == 0:
            continue
        reach = np.concatenate([members[d] for d in near[c]])
        for start in range(0, len(rows_c), QUERY_ROWS):
            query = rows_c[start : start + QUERY_ROWS]
            scores = vecs[query] @ vecs[reach].T
            scores[reach[None, :] == query[:, None]] = -np.inf  # not itself
            take = min(k, len(reach) - 1)
            if take <= 0:
                continue
            top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
            out[query, :take] = reach[top]
    return out
