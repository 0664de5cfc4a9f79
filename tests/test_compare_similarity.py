"""The story similarities made on demand, and the claims clustering made part by part, against the full
n x n matrix and one clustering of all the units."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from newsdossier.compare import claims, similarity
from newsdossier.compare.similarity import Similarity


def _sentence_vectors(n: int, seed: int) -> sparse.csr_matrix:
    """Row-normalised sparse rows in topics (sentences of one topic share words), with exact copies."""
    rng = np.random.default_rng(seed)
    vocab, topics = 300, max(2, n // 8)
    rows, cols, vals = [], [], []
    for i in range(n):
        topic = rng.integers(topics)
        words = set(rng.choice(20, size=4, replace=False) + topic * 20 % vocab)
        words |= set(rng.integers(0, vocab, size=rng.integers(0, 5)).tolist())
        for w in sorted(words):
            rows.append(i)
            cols.append(int(w))
            vals.append(float(rng.random() + 0.1))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(n, vocab)).toarray()
    m[n // 2] = m[0]  # a verbatim copy: ties at distance 0
    m = sparse.csr_matrix(m)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


@pytest.mark.parametrize("dense_entries", [0, 1 << 20])
def test_blocks_pairs_and_means_are_the_full_matrix_bit_for_bit(monkeypatch, dense_entries: int) -> None:
    monkeypatch.setattr(similarity, "DENSE_ENTRIES", dense_entries)
    monkeypatch.setattr(similarity, "BLOCK_ENTRIES", 8)  # several blocks of rows
    m = _sentence_vectors(60, seed=1)
    full = np.asarray((m @ m.T).todense())
    sim = Similarity(m)
    rows, cols = [5, 0, 33, 59, 12], [7, 7, 1, 40]
    assert np.array_equal(sim.block(rows, cols), full[np.ix_(rows, cols)])
    assert np.array_equal(sim.block(rows), full[rows])
    assert np.array_equal(sim.row(9), full[9])
    blocks = list(sim.row_blocks(rows, cols))
    assert len(blocks) > 1 and np.array_equal(np.vstack([b for _, b in blocks]), full[np.ix_(rows, cols)])
    for threshold in (0.1, 0.3, 0.6):
        assert all(np.array_equal(x, y) for x, y in zip(sim.pairs_at_least(threshold),
                                                          np.nonzero(np.triu(full, 1) >= threshold)))
        part = [1, 4, 8, 20, 30, 31, 50]
        sub = full[np.ix_(part, part)]
        assert all(np.array_equal(x, y) for x, y in zip(sim.pairs_at_least(threshold, part),
                                                          np.nonzero(np.triu(sub, 1) >= threshold)))
    part = list(range(0, 60, 3))
    sub = full[np.ix_(part, part)]
    expected = (sub.sum() - np.trace(sub)) / (len(part) * (len(part) - 1))
    assert sim.mean_off_diagonal(part) == pytest.approx(expected, rel=1e-12)


def _one_clustering(full: np.ndarray, rows: list[int], threshold: float) -> list[list[int]]:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - full[np.ix_(rows, rows)], 0.0, None)
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform((dist + dist.T) / 2, checks=False), "average"),
                      t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clustering_part_by_part_gives_the_groups_of_one_clustering(monkeypatch, seed: int) -> None:
    monkeypatch.setattr(similarity, "DENSE_ENTRIES", 0)
    monkeypatch.setattr(similarity, "BLOCK_ENTRIES", 64)
    monkeypatch.setattr(claims, "BATCH_UNITS", 10)  # many batches of whole parts
    m = _sentence_vectors(120, seed)
    full = np.asarray((m @ m.T).todense())
    sim = Similarity(m)
    rest = [i for i in range(120) if i % 7]  # the units no contested claim took
    for threshold in (0.2, 0.4, 0.6):
        expected = _one_clustering(full, list(range(120)), threshold)
        assert len(expected) > 5 and any(len(g) > 1 for g in expected)  # the data has structure
        assert claims.cluster_units(sim, threshold) == expected
        assert claims.cluster_units(sim, threshold, rows=rest) == _one_clustering(full, rest, threshold)


def test_parts_are_the_connected_pieces_of_the_similar_pairs() -> None:
    m = sparse.csr_matrix(np.array([[1.0, 0, 0], [0.8, 0.6, 0], [0, 0, 1.0], [0, 1.0, 0]]))
    parts = claims._linked_parts(Similarity(m), np.arange(4), 0.5)
    assert sorted(p.tolist() for p in parts) == [[0, 1, 3], [2]]  # 0-1: 0.8, 1-3: 0.6, 0-3: 0
