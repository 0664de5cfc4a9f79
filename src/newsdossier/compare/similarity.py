"""Cosine similarities between a story's sentence vectors, computed when asked for.

The rows of ``X`` are L2-normalised TF-IDF vectors, so ``X @ X.T`` holds every pair's cosine. A story of
n sentences would hold that n x n matrix (8 n^2 bytes: 800 MB at 10,000 sentences, and compare used
two of them); here only the parts a step asks for are made: a block of rows against some columns, or
the pairs at or above a threshold, found a block of rows at a time (at most ``BLOCK_ENTRIES`` dense
entries at once). Entry (i, j) of a block is computed exactly as in the full product (the sum over row
i's stored terms in their stored order), so every value is bit for bit the full matrix's. A small
story (n^2 <= ``DENSE_ENTRIES``) keeps its full matrix: blocks are then cut from it, which is faster
than many small sparse products.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from scipy import sparse

BLOCK_ENTRIES = 1 << 22  # dense entries per block of rows (32 MB of float64)
DENSE_ENTRIES = 1 << 20  # a story with at most this many pairs (1,024 sentences) keeps them all (8 MB)


class Similarity:
    """``sim.block(rows, cols)[a, b]`` is the cosine of sentences ``rows[a]`` and ``cols[b]``."""

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        self.matrix = sparse.csr_matrix(matrix)
        self._columns = self.matrix.T.tocsr()  # every row as a column, made once
        n = self.matrix.shape[0]
        self._dense = np.asarray((self.matrix @ self._columns).todense()) if n * n <= DENSE_ENTRIES else None

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def block(self, rows: Sequence[int] | np.ndarray, cols: Sequence[int] | np.ndarray | None = None
              ) -> np.ndarray:
        """Dense ``len(rows) x len(cols)`` cosines (``cols`` default: every sentence)."""
        if self._dense is not None:
            picked = self._dense[np.asarray(rows, dtype=np.intp)]
            return picked if cols is None else picked[:, np.asarray(cols, dtype=np.intp)]
        right = self._columns if cols is None else self.matrix[np.asarray(cols, dtype=np.intp)].T
        left = self.matrix[np.asarray(rows, dtype=np.intp)]
        return np.asarray((left @ right).todense())

    def row(self, i: int) -> np.ndarray:
        return self.block([i])[0]

    def row_blocks(self, rows: Sequence[int] | np.ndarray, cols: Sequence[int] | np.ndarray | None = None
                   ) -> Iterator[tuple[int, np.ndarray]]:
        """(first position in ``rows``, the block of the next rows against ``cols``), in order."""
        rows = np.asarray(rows, dtype=np.intp)
        width = len(self) if cols is None else len(cols)
        step = max(1, BLOCK_ENTRIES // max(1, width))
        for a in range(0, len(rows), step):
            yield a, self.block(rows[a : a + step], cols)

    def pairs_at_least(self, threshold: float, rows: Sequence[int] | np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Positions (a, b), a < b, in ``rows`` (default: all) of the pairs whose cosine is at least
        ``threshold``, in row-major order: for a positive threshold, those of
        ``np.nonzero(np.triu(S, 1) >= threshold)`` over the ``rows`` x ``rows`` part S."""
        rows = np.arange(len(self)) if rows is None else np.asarray(rows, dtype=np.intp)
        found_a, found_b = [], []
        for a0, blk in self.row_blocks(rows, rows):
            hit = blk >= threshold
            hit[np.arange(blk.shape[0])[:, None] + a0 >= np.arange(blk.shape[1])[None, :]] = False
            a, b = np.nonzero(hit)
            found_a.append(a + a0)
            found_b.append(b)
        if not found_a:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        return np.concatenate(found_a), np.concatenate(found_b)

    def mean_off_diagonal(self, rows: Sequence[int]) -> float:
        """Mean cosine over the ordered pairs of distinct sentences in ``rows`` (at least two)."""
        total, diagonal = 0.0, 0.0
        for a0, blk in self.row_blocks(rows, rows):
            total += blk.sum()
            diagonal += np.trace(blk, offset=a0)
        return float((total - diagonal) / (len(rows) * (len(rows) - 1)))
