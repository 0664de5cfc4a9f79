"""The counting shortcuts of the link stage give what the plain definitions give."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from itertools import combinations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsdossier.link import reuse, shingle_pairs, sorted_keys
from newsdossier.link.shingles import word_hashes
from newsdossier.link.stories import _cased
from newsdossier.model import Article


def _plain_pair_counts(sets: list[set[int]], max_postings: int) -> dict[tuple[int, int], int]:
    holders: dict[int, list[int]] = {}
    for doc, s in enumerate(sets):
        for sh in s:
            holders.setdefault(sh, []).append(doc)
    out: Counter = Counter()
    for docs in holders.values():
        if 2 <= len(docs) <= max_postings:
            out.update(combinations(sorted(docs), 2))
    return dict(out)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sets(st.integers(0, 40), max_size=30), min_size=0, max_size=14),
    st.integers(2, 6),
    st.sampled_from([1, 3, 64]),
)
def test_pair_counts_equal_the_plain_count(sets, max_postings, block):
    # shingles 0-40 shared by many of up to 14 articles: many equal holder lists, several list sizes,
    # blocks and folds as small as a few keys
    sp = shingle_pairs
    saved = sp.MAX_POSTINGS, sp.DEDUP_BLOCK, sp.PAIR_BLOCK
    sp.MAX_POSTINGS, sp.DEDUP_BLOCK, sp.PAIR_BLOCK = max_postings, block, block
    try:
        post = sp.postings([np.array(sorted(s), dtype=np.uint64) for s in sets])
        rows, cols, counts = sp.pair_counts(post, len(sets))
    finally:
        sp.MAX_POSTINGS, sp.DEDUP_BLOCK, sp.PAIR_BLOCK = saved
    got = {(int(r), int(c)): int(k) for r, c, k in zip(rows, cols, counts)}
    assert got == _plain_pair_counts(sets, max_postings)
    keys = rows * max(len(sets), 1) + cols
    assert np.all(np.diff(keys) > 0)  # sorted, each pair once


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.integers(0, 40), max_size=30), min_size=0, max_size=14), st.sampled_from([1, 5, 1 << 21]))
def test_postings_list_each_shared_shingle_with_its_holders_ascending(sets, block):
    sp = shingle_pairs
    saved, sp.FILL_BLOCK = sp.FILL_BLOCK, block  # blocks of the fill as small as one entry
    try:
        post = sp.postings([np.array(sorted(s), dtype=np.uint64) for s in sets])
    finally:
        sp.FILL_BLOCK = saved
    holders: dict[int, list[int]] = {}
    for doc, s in enumerate(sets):
        for sh in s:
            holders.setdefault(sh, []).append(doc)
    shared = {sh: docs for sh, docs in sorted(holders.items()) if len(docs) >= 2}
    assert post.values.tolist() == list(shared)
    assert [post.holders[post.first[k] : post.first[k + 1]].tolist() for k in range(len(shared))] == list(
        shared.values())
    assert post.holders.dtype == np.int32 and post.first[0] == 0 and post.first[-1] == len(post.holders)


def test_pair_counts_merge_equal_holder_lists_without_joining_different_ones():
    sets = [set(range(50)), set(range(50)), set(range(25, 50)) | {99}, {99}]
    post = shingle_pairs.postings([np.array(sorted(s), dtype=np.uint64) for s in sets])
    rows, cols, counts = shingle_pairs.pair_counts(post, len(sets))
    assert {(int(r), int(c)): int(k) for r, c, k in zip(rows, cols, counts)} == {
        (0, 1): 50, (0, 2): 25, (1, 2): 25, (2, 3): 1}


_WORD = re.compile(r"\w+")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAbΣσςİıßẞ ΟΔ'’-.\nKſ5_") + ["\u0130", "\u212a"]), max_size=60))
def test_word_hashes_are_the_hashes_of_the_lowered_words(text):
    expected = [int.from_bytes(hashlib.blake2b(w.lower().encode(), digest_size=8).digest(), "little")
                for w in _WORD.findall(text)]
    assert word_hashes(text).tolist() == expected


def _cased_plain(members, names):
    out = {}
    for n in names:
        pattern = re.compile(rf"\b{re.escape(n)}\b", re.IGNORECASE)
        forms = Counter(m.group() for a in members for m in pattern.finditer((a.title or "") + "\n" + a.text))
        forms = Counter({f: c for f, c in forms.items() if not f.islower()}) or forms
        if forms:
            out[n] = forms.most_common(1)[0][0]
    return out


def test_name_spellings_match_a_scan_per_name():
    members = [
        Article(id="a", input="a.txt", text="Sergei Shoigu met al-Assad. SHOIGU spoke; shoigu left. O'Brien and o'brien.",
                title="Shoigu in Damascus"),
        Article(id="b", input="b.txt", text="Al-Assad and Shoigu, and Shoiguville. ſtop Stop stop. Kelvin \u212aelvin."),
    ]
    names = ["shoigu", "al-assad", "o'brien", "stop", "kelvin", "damascus", "absent"]
    assert _cased(members, names) == _cased_plain(members, names)
    assert _cased(members, names)["shoigu"] == "Shoigu"


def test_merge_passes_score_each_member_pair_once():
    from newsdossier.link.merge import merge_passes

    rng = np.random.default_rng(3)
    n = 24
    table = rng.random((n, n))
    table = (table + table.T) / 2
    asked: Counter = Counter()

    def probability(r, c):
        asked.update(zip(np.minimum(r, c).tolist(), np.maximum(r, c).tolist()))
        return table[r, c]

    def plain(r, c):
        return table[r, c]

    rows, cols = np.triu_indices(n, 1)
    p = table[rows, cols]
    groups = [[i] for i in range(n)]
    coef, intercept = np.array([4.0, 4.0, 1.0]), -4.0
    remembered = list(merge_passes(groups, rows, cols, p, probability, None, coef, intercept))
    assert list(merge_passes(groups, rows, cols, p, plain, None, coef, intercept)) == remembered
    assert len(remembered) > 1  # several passes, so later passes had pairs to remember
    assert max(asked.values()) == 1


@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=200).map(
    lambda xs: xs + xs[: len(xs) // 3]))
def test_unique_inverse_is_numpys(values: list[int]) -> None:
    from newsdossier.link.terms import _unique_inverse

    arr = np.array(values, dtype=np.uint64)
    columns, inverse = _unique_inverse(arr)
    want_columns, want_inverse = np.unique(arr, return_inverse=True)
    assert np.array_equal(columns, want_columns) and np.array_equal(inverse, want_inverse.ravel())
    assert np.array_equal(columns[inverse], arr)


_WEIGHTED_PAIRS = st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29), st.sampled_from([0.05, 0.2, 0.5, 0.9])),
                           max_size=120)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), _WEIGHTED_PAIRS, st.integers(1, 6), st.integers(1, 40))
def test_neighbourhoods_keep_each_rows_k_strongest_as_plainly_defined(n, triples, k, block) -> None:
    from newsdossier.link import pairs

    found = {}
    for a, b, w in triples:
        if a < n and b < n and a != b:
            found.setdefault((min(a, b), max(a, b)), w)
    keys = sorted(found)
    rows = np.array([a for a, _ in keys], dtype=np.int64)
    cols = np.array([b for _, b in keys], dtype=np.int64)
    weight = np.array([found[p] for p in keys])
    pairs.KTH_BLOCK, kept = block, pairs.KTH_BLOCK  # rows ranked a few at a time, as at scale
    try:
        nb = pairs.neighbourhoods(n, rows, cols, weight, k, floor=0.1).toarray()
    finally:
        pairs.KTH_BLOCK = kept
    full = np.eye(n)
    for (a, b), w in found.items():
        if w >= 0.1:
            full[a, b] = full[b, a] = w
    knn = np.zeros((n, n))
    for i in range(n):
        values = full[i][full[i] > 0]
        kth = np.sort(values)[::-1][k - 1] if len(values) > k else -np.inf  # ties at the k-th all stay
        knn[i] = np.where((full[i] > 0) & (full[i] >= kth), full[i], 0.0)
    knn = np.maximum(knn, knn.T)
    assert np.allclose(nb, knn / np.linalg.norm(knn, axis=1, keepdims=True))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 1000)), max_size=40))
def test_first_of_equal_keys_is_numpys_unique_with_first_index(pairs):
    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    values = np.array([v for _, v in pairs], dtype=np.int64)
    expect_keys, first = np.unique(keys, return_index=True)
    got_keys, got_values = sorted_keys.first_of_equal(keys.copy(), values.copy())
    assert got_keys.tolist() == expect_keys.tolist()
    assert got_values.tolist() == values[first].tolist()
    assert sorted_keys.run_starts(np.sort(keys)).tolist() == np.unique(np.sort(keys), return_index=True)[1].tolist()


def _plain_gap(lo, hi, periods, r, c):
    # a recurrence period that holds the other article's known day rules the pair out, even when the
    # article with the period has no window of its own (as window_gap has always done)
    for x, y in ((r, c), (c, r)):
        if lo[y] == hi[y] and any(s <= lo[y] <= e for s, e in periods.get(x, ())):
            return np.inf
    if (np.isinf(lo[r]) and np.isinf(hi[r])) or (np.isinf(lo[c]) and np.isinf(hi[c])):
        return np.nan
    with np.errstate(invalid="ignore"):
        return max(lo[r] - hi[c], lo[c] - hi[r], 0.0)


@settings(max_examples=80, deadline=None)
@example(bounds=[(0.0, "day"), (-np.inf, "open")], periods={1: [(0, 0)]}, pairs=[(0, 1)])
@given(
    st.lists(st.tuples(st.sampled_from([-np.inf, 0.0, 3.0, 5.0, 9.0]), st.sampled_from(["day", "short", "open"])),
             min_size=1, max_size=8),
    st.dictionaries(st.integers(0, 7), st.lists(st.tuples(st.integers(-2, 6), st.integers(0, 9)), max_size=2)),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20),
)
def test_window_gap_is_the_plain_gap(bounds, periods, pairs):
    # day windows (a known day, two days, or open-ended), recurrence periods, pairs in any order
    from newsdossier.link.temporal import recurring_mask, window_gap

    lo = np.array([b[0] for b in bounds])
    hi = np.array([{"day": x, "short": x + 2, "open": np.inf}[kind] for x, kind in bounds])
    n = len(lo)
    periods = {k: tuple(v) for k, v in periods.items() if k < n and v}
    pairs = [(r, c) for r, c in pairs if r < n and c < n]
    rows = np.array([r for r, _ in pairs], dtype=np.int64)
    cols = np.array([c for _, c in pairs], dtype=np.int64)
    expect = [_plain_gap(lo, hi, periods, r, c) for r, c in pairs]
    for mask in (None, recurring_mask(periods, n)):
        got = window_gap(lo, hi, periods, rows, cols, mask)
        np.testing.assert_array_equal(got, np.array(expect, dtype=float))


def _plain_row_dot(x, r: int, c: int):
    """The matching products of rows r and c added one at a time in column order, in x's dtype."""
    a, b = x[r], x[c]
    vals_b = dict(zip(b.indices.tolist(), b.data.tolist()))
    total = x.dtype.type(0)
    for j, v in zip(a.indices.tolist(), a.data.tolist()):
        if j in vals_b:
            total = x.dtype.type(total + x.dtype.type(x.dtype.type(v) * x.dtype.type(vals_b[j])))
    return total


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 300), st.floats(0.01, 0.6), st.integers(0, 600),
       st.sampled_from([np.float32, np.float64]), st.integers(0, 2**31))
def test_row_dots_are_each_pairs_plain_sum_however_grouped(n, width, density, pairs, dtype, seed):
    """Every pair's value is its products summed in column order, whether its row is laid out dense or
    multiplied entry by entry, and whatever other pairs come with it (blocks forced small too)."""
    from scipy import sparse

    from newsdossier.link import row_dots as rd

    rng = np.random.default_rng(seed)
    x = sparse.random(n, width, density=density, format="csr", dtype=dtype, random_state=rng)
    x.sort_indices()
    rows = rng.integers(0, n, pairs)
    rows[: pairs // 2] = rows[0] if pairs else 0  # one row with many pairs: laid out dense
    cols = rng.integers(0, n, pairs)
    got = rd.row_dots(x, rows, cols)
    assert got.dtype == np.float32
    want = np.array([_plain_row_dot(x, r, c) for r, c in zip(rows.tolist(), cols.tolist())]).astype(np.float32)
    assert np.array_equal(got, want)
    for i in range(min(pairs, 5)):
        assert rd.row_dots(x, rows[i : i + 1], cols[i : i + 1])[0] == got[i]
    old = rd.DENSE_CELLS, rd.ROW_DOT_ENTRIES, rd.ROW_DOT_MAX_PAIRS
    try:
        rd.DENSE_CELLS, rd.ROW_DOT_ENTRIES, rd.ROW_DOT_MAX_PAIRS = 1, 7, 3
        assert np.array_equal(rd.row_dots(x, rows, cols), want)
    finally:
        rd.DENSE_CELLS, rd.ROW_DOT_ENTRIES, rd.ROW_DOT_MAX_PAIRS = old
