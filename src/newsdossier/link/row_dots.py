"""Dot products of chosen row pairs of one sparse matrix: the cosines the clusterer compares articles by.

A pair's value is the sum of its matching products in column order, ``sum_j x[r, j] * x[c, j]``, added
one at a time in ``x``'s dtype: the same value whichever way the pairs are grouped or blocked, and
whichever of the two ways below computes it.

- **Dense rows** serve a row with many pairs (an article against its shortlist, a group against
  another's members). Each row of a block is laid out dense once, at its own offset ``slot * width``;
  every partner row, its columns shifted to its row's offset, is then one row of a sparse matrix
  whose product with the laid-out rows is the block's dot products. A partner's entries missing from
  the row meet zeros, which leave a sum unchanged (all values here are finite).
- **Entry by entry** serves the rest (laying a row out costs its width): the two rows are gathered,
  multiplied where both hold a column, and summed.

At 100k articles the first is ~4x faster on the body view (27k columns, ~120 entries a row).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .sorted_keys import run_starts

# Matrix entries gathered at once: memory stays flat in the number of pairs and in the rows' length (a
# fixed 32k pairs of body rows, up to 870 entries each at 100k articles, made the copies ~0.35 GB).
ROW_DOT_ENTRIES = 1 << 22
ROW_DOT_MAX_PAIRS = 1 << 17  # pairs whose cost is summed at once (fewer: the per-call overhead shows)
DENSE_CELLS = 1 << 20  # cells of rows laid out dense at once (4 MB)
# A row is laid out dense when the entries its pairs would merge are at least its width / DENSE_GAIN
# (a merge step costs several times a dense cell).
DENSE_GAIN = 8


def row_dots(x: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``x[rows[i]] . x[cols[i]]`` for each pair i, as float32 (cosines when ``x``'s rows are unit length).
    ``x``: CSR with sorted column indices."""
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    out = np.zeros(len(rows), dtype=np.float32)
    if not len(rows):
        return out
    width = max(1, x.shape[1])
    length = np.diff(x.indptr)
    order = np.argsort(rows, kind="stable")
    r, c = rows[order], cols[order]
    first = run_starts(r)
    count = np.diff(np.append(first, len(r)))
    merged = np.add.reduceat(length[c], first) + count * length[r[first]]
    dense = np.repeat(merged * DENSE_GAIN >= width, count)
    at = np.flatnonzero(dense)
    if len(at):
        out[order[at]] = _dense_row_dots(x, r[at], c[at], width, length)
    at = np.flatnonzero(~dense)
    if len(at):
        out[order[at]] = _merged_row_dots(x, r[at], c[at], length)
    return out


def _dense_row_dots(x: sparse.csr_matrix, r: np.ndarray, c: np.ndarray, width: int, length: np.ndarray
                    ) -> np.ndarray:
    """Dot products of pairs grouped by row (``r`` ascending), each block of rows laid out dense."""
    out = np.empty(len(r), dtype=np.float32)
    first = run_starts(r)
    bounds = np.append(first, len(r))
    cost = np.cumsum(length[c])
    per_block = max(1, DENSE_CELLS // width)
    g = 0
    while g < len(first):
        lo = bounds[g]
        # whole rows: at most per_block of them, and about ROW_DOT_ENTRIES partner entries
        h = min(len(first), g + per_block)
        fits = int(np.searchsorted(cost, (cost[lo - 1] if lo else 0) + ROW_DOT_ENTRIES, side="right"))
        h = max(g + 1, min(h, int(np.searchsorted(bounds, fits, side="right")) - 1))
        hi = bounds[h]
        laid = x[r[bounds[g:h]]].toarray().ravel()
        partners = x[c[lo:hi]]
        shift = np.repeat(np.arange(h - g, dtype=np.int32) * np.int32(width), np.diff(bounds[g : h + 1]))
        shifted = partners.indices + np.repeat(shift, np.diff(partners.indptr))
        block = sparse.csr_matrix((partners.data, shifted, partners.indptr), shape=(hi - lo, len(laid)))
        out[lo:hi] = block @ laid
        g = h
    return out


def _merged_row_dots(x: sparse.csr_matrix, r: np.ndarray, c: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Dot products of any pairs, the two rows multiplied entry by entry."""
    out = np.empty(len(r), dtype=np.float32)
    at = 0
    while at < len(r):
        rr, cc = r[at : at + ROW_DOT_MAX_PAIRS], c[at : at + ROW_DOT_MAX_PAIRS]
        cost = np.cumsum(length[rr] + length[cc] + 1)
        take = max(1, int(np.searchsorted(cost, ROW_DOT_ENTRIES, side="right")))
        products = x[rr[:take]].multiply(x[cc[:take]])
        # a matrix-vector product adds each row's products one by one, in column order
        out[at : at + take] = products @ np.ones(products.shape[1], dtype=products.dtype)
        at += take
    return out
