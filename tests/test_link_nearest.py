"""Link's shortlisted candidate search (link.nearest, pairs.candidate_pairs above EXACT_MAX)."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from newsdossier.link.features import ViewMatrices, first_order
from newsdossier.link.nearest import projected_rows, shortlist
from newsdossier.link.pairs import candidate_pairs


def planted(groups: int = 12, size: int = 5, own: int = 12, seed: int = 0
            ) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Rows in groups: each group draws most terms from its own small vocabulary, some from a common one."""
    rng = np.random.default_rng(seed)
    rows, cols, label = [], [], []
    vocab = own * (groups + 1)
    for g in range(groups):
        for _ in range(size):
            i = len(label)
            terms = np.concatenate([rng.choice(own, 8, replace=False) + g * own,
                                    rng.choice(own, 3, replace=False) + groups * own])  # common words
            rows += [i] * len(terms)
            cols += terms.tolist()
            label.append(g)
    x = sparse.csr_matrix((rng.uniform(0.5, 1.5, len(rows)), (rows, cols)), shape=(len(label), vocab))
    return normalize(x), np.array(label)


def views(x: sparse.csr_matrix) -> ViewMatrices:
    n = x.shape[0]
    empty = sparse.csr_matrix((n, 3))
    return ViewMatrices(body=x, title=empty, names=x[:, ::-1].tocsr(), numbers=empty, day=np.full(n, np.nan))


def test_shortlist_finds_group_mates_and_never_itself() -> None:
    x, label = planted()
    short = shortlist(x, 4, dims=16)
    assert short.shape == (len(label), 4)
    assert not (short == np.arange(len(label))[:, None]).any()
    assert (label[short] == label[:, None]).mean() > 0.95
    assert np.array_equal(short, shortlist(x, 4, dims=16))  # deterministic


def test_shortlisted_pairs_match_the_exact_search_on_clear_structure() -> None:
    x, label = planted()
    m = views(x)
    n = len(label)
    er, ec, ef, efloor = candidate_pairs(m, per_row=4, exact_max=n)
    sr, sc, sf, sfloor = candidate_pairs(m, per_row=4, exact_max=0)
    assert set(zip(er.tolist(), ec.tolist())) == set(zip(sr.tolist(), sc.tolist()))
    assert (sr < sc).all()
    np.testing.assert_allclose(sf, first_order(m, sr, sc), atol=1e-6)  # exact cosines, not projected ones
    np.testing.assert_allclose(sfloor, efloor, atol=1e-6)


def test_small_collections_and_incremental_adds_stay_exact() -> None:
    x, _ = planted(groups=3, size=4)
    m = views(x)
    # a shortlist as long as the collection is the exact search
    a = candidate_pairs(m, per_row=50, exact_max=0)
    b = candidate_pairs(m, per_row=50, exact_max=10**9)
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v)
    one = candidate_pairs(m, per_row=2, only=np.array([0]), exact_max=0)
    assert set(one[0].tolist()) | set(one[1].tolist()) >= {0}


def test_rows_out_of_reach_are_padded_and_never_paired(monkeypatch) -> None:
    x, label = planted()
    short = shortlist(x, 20, dims=16, probes=1)  # one cell of ~5 rows each: most of the 20 out of reach
    assert (short == -1).any()
    reached = short[short >= 0]
    assert reached.min() >= 0 and reached.max() < len(label)

    import newsdossier.link.pairs as pairs

    monkeypatch.setattr(pairs, "shortlist", lambda m, k: shortlist(m, k, dims=16, probes=1))
    r, c, f, floors = candidate_pairs(views(x), per_row=10, exact_max=0)
    assert (r >= 0).all() and (c >= 0).all() and (r < c).all()
    assert np.isfinite(floors).all()


def test_projection_of_column_blocks_is_that_of_the_whole_matrix() -> None:
    # the blocks are never copied side by side: the same rows, projected the same way, bit for bit
    x, _ = planted()
    names = x[:, ::-1].tocsr()
    whole = projected_rows(sparse.hstack([x, names], format="csr"), dims=16)
    assert np.array_equal(projected_rows([x, names], dims=16), whole)
    assert np.array_equal(shortlist([x, names], 4, dims=16), shortlist(sparse.hstack([x, names], format="csr"), 4,
                                                                        dims=16))
