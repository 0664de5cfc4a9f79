"""Passage-level text reuse: runs of shared word shingles of at least ``RUN_WORDS`` words.

A reposted wire report inside a blog post, or three outlets carrying the same agency copy, share
long verbatim runs; two independent reports of one event do not (they share names and short
phrases). Only text that is not boilerplate or a reader comment counts, so a site's shared footer
is not "reuse". The article that came later (see :func:`duplicates.first_key`; when neither is
dated, the one the passage is a smaller part of, as a post wraps the report it quotes) reproduces
the other: it gets a :class:`Reuse` and its passages become ``reproduced`` segments.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article, Segment, shared_int
from .duplicates import first_key
from .shingles import shingles, word_hashes, word_positions
from .shingle_pairs import Postings, pair_counts, postings
from .sorted_keys import run_starts

SHINGLE_WORDS = 8
RUN_WORDS = 40
NOT_TEXT = frozenset({"boilerplate", "reader_comment"})


@dataclass(frozen=True, slots=True)
class ReuseLink:
    later: str
    earlier: str
    chars: int
    passages: tuple[tuple[int, int], ...]  # spans in the later article


def _text_spans(a: Article) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in a.segments if s.kind not in NOT_TEXT] or [(0, len(a.text))]


def _runs(starts: np.ndarray, ends: np.ndarray, matched: np.ndarray) -> list[tuple[int, int]]:
    """Char spans of maximal runs of consecutive matched shingle starts covering >= RUN_WORDS words."""
    if not matched.any():
        return []
    edges = np.diff(np.concatenate([[0], matched.astype(np.int8), [0]]))
    first, stop = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # run = first .. stop - 1
    keep = stop - first - 1 + SHINGLE_WORDS >= RUN_WORDS
    begin, end = starts[first[keep]].tolist(), ends[stop[keep] + SHINGLE_WORDS - 2].tolist()
    return [(shared_int(b), shared_int(e)) for b, e in zip(begin, end)]


def text_shingles(a: Article) -> np.ndarray:
    """The article's reuse shingles in text order (what a link record keeps, see :func:`find_reuse_between`)."""
    return shingles(word_hashes(a.text, _text_spans(a)), SHINGLE_WORDS)


def low_bits(shingles: np.ndarray) -> np.ndarray:
    """Shingles as link records keep them: their low 32 bits."""
    return (shingles & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def record_shingles(a: Article) -> np.ndarray:
    """:func:`text_shingles` as a link record keeps them (:func:`low_bits`)."""
    return low_bits(text_shingles(a))


class RecordShingles:
    """Article id -> :func:`record_shingles`, made when the link records ask for them (at the end of a
    run) rather than held from the reuse search on (0.15 GB at 100k articles)."""

    def __init__(self, articles: Mapping[str, Article]) -> None:
        self._articles = articles

    def get(self, aid: str) -> np.ndarray | None:
        a = self._articles.get(aid)
        return None if a is None else record_shingles(a)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_set)`` for a sorted, unique ``sorted_set``, by binary search: no sort
    of both arrays on every call (this runs once per article pair that shares a passage)."""
    if len(sorted_set) == 0:
        return np.zeros(len(values), dtype=bool)
    idx = np.searchsorted(sorted_set, values)
    idx[idx == len(sorted_set)] = 0
    return sorted_set[idx] == values


def find_reuse(articles: Sequence[Article]) -> list[ReuseLink]:
    """Reuse links among ``articles``.

    Shingles are compared by their low 32 bits (:func:`low_bits`), as link records keep them and
    :func:`find_reuse_between` compares them: a run needs RUN_WORDS - SHINGLE_WORDS + 1 consecutive
    matches, and two different shingles collide by chance once in 2**32 pairs (at 100k articles the
    links are the same as with 64 bits). Each article's shingles in text order are made once and held
    until its runs are found: at 32 bits they cost what one 64-bit set per article did, and making them
    again took ~15% of the step."""
    arts = sorted(articles, key=lambda a: a.id)
    spans = [_text_spans(a) for a in arts]
    listed: list[np.ndarray | None] = [low_bits(shingles(word_hashes(a.text, s), SHINGLE_WORDS))
                                       for a, s in zip(arts, spans)]
    need = RUN_WORDS - SHINGLE_WORDS + 1
    post = postings([np.unique(x) for x in listed])
    rows, cols, counts = pair_counts(post, len(arts))
    xs, los, his, ys_of = _partners(rows[counts >= need], cols[counts >= need])
    del rows, cols, counts
    # (x, y): runs of x's text found in y, held only until y's own runs are found; then the pair's link
    # is made at once (holding both directions of every pair was the step's memory peak)
    runs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    done = bytearray(len(arts))
    facts = [_facts(a) for a in arts]
    links: list[ReuseLink] = []
    keys = array("q")  # each link's pair key, to return them in pair order
    row_of = np.full(len(arts), -1, dtype=np.int32)
    n = len(arts)
    for x, lo, hi in zip(xs.tolist(), los.tolist(), his.tolist()):
        # (word positions only for articles that share a passage)
        ys = ys_of[lo:hi]
        found = _runs_with_partners(listed[x], ys, post, row_of, *word_positions(arts[x].text, spans[x]))
        listed[x] = None
        for y, r in zip(ys.tolist(), found):
            if not done[y]:
                if r:
                    runs[(x, y)] = r
                continue
            other = runs.pop((y, x), None)
            if r and other:
                i, j = min(x, y), max(x, y)
                runs_i, runs_j = (r, other) if x == i else (other, r)
                links.append(_direct(facts[i], runs_i, facts[j], runs_j))
                keys.append(i * n + j)
        done[x] = 1
    del post
    return [links[k] for k in np.argsort(np.frombuffer(keys, dtype=np.int64), kind="stable").tolist()]


def _partners(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, ...]:
    """The pairs ``(rows[i], cols[i])`` (ascending by row, then column) as each article's partners: the
    articles ``xs`` and ``x = xs[k]``'s partners ``ys[los[k]:his[k]]``, ascending (arrays: as Python
    lists, the millions of pairs at 100k articles were the reuse step's memory peak).

    ``xs`` come in the order the pairs first name them (in pair ``(i, j)``, ``i`` before ``j``), so an
    article's partners follow it closely and the runs held for a pair until its second article is
    visited are soon released. In ascending order every pair spanning the current index was held: at
    100k articles reuse took 195 s rather than 164 s, with the same links."""
    x = np.concatenate([rows, cols]).astype(np.int32)
    y = np.concatenate([cols, rows]).astype(np.int32)
    order = np.lexsort((y, x))
    x, y = x[order], y[order]
    first = run_starts(x)
    xs, lowest = x[first].astype(np.int64), y[first].astype(np.int64)
    # x's first pair is (min(x, lowest), max(x, lowest)); its position in pair order is that key
    n = int(max(xs.max(), lowest.max())) + 1 if len(xs) else 1
    visit = np.lexsort((lowest < xs, np.minimum(xs, lowest) * n + np.maximum(xs, lowest)))
    bounds = np.append(first, len(x))
    return xs[visit], bounds[:-1][visit], bounds[1:][visit], y


PARTNER_BLOCK = 256  # partners matched against one article at once (a partners x words matrix)
# Holders of a shingle looked up one by one in its posting (binary search) rather than all gathered:
# a stock phrase held by thousands of articles would otherwise be gathered by each of them.
BIG_POSTING = 2048


def _runs_with_partners(listed: np.ndarray, partners: np.ndarray, post: Postings, row_of: np.ndarray,
                        starts: np.ndarray, ends: np.ndarray) -> list[tuple[tuple[int, int], ...]]:
    """Per partner (article index): :func:`_runs` of ``listed`` (one article's shingles in text order)
    against the partner's shingles. ``row_of``: scratch, -1 for every article, and left so.

    All partners of an article at once, from the postings of its shingles (no per-article merge of
    the partners' sets): a partners x shingles matrix of matches, whose run edges are found row by row
    with one ``diff`` (per pair, :func:`_runs` and :func:`_member` cost a dozen numpy calls each)."""
    m, k = len(listed), len(partners)
    if m == 0 or k == 0 or len(post.values) == 0:
        return [()] * k
    runs: list[list[tuple[int, int]]] = [[] for _ in range(k)]
    # A passage copied by many outlets is the same span of this article against each of them, and often
    # the same runs: one tuple per distinct span and per distinct run list (millions of links at 100k
    # articles, most of their memory these tuples).
    same: dict[tuple, tuple] = {}
    at = np.minimum(np.searchsorted(post.values, listed), len(post.values) - 1)
    lo = post.first[at]
    count = np.where(post.values[at] == listed, post.first[at + 1] - lo, 0)  # 0: held by this article only
    gathered = np.where(count <= BIG_POSTING, count, 0)
    total = int(gathered.sum())
    # every (position, partner) whose partner holds the shingle at that position
    row_of[partners] = np.arange(k, dtype=np.int32)
    try:
        position = np.repeat(np.arange(m), gathered)
        offset = np.arange(total) - np.repeat(np.cumsum(gathered) - gathered, gathered)
        row = row_of[post.holders[np.repeat(lo, gathered) + offset]]
        hit = row >= 0
        position, row = position[hit], row[hit]
        big = np.flatnonzero(count > BIG_POSTING)
        if len(big):
            by_index = np.sort(partners)
            more_pos, more_row = [position], [row]
            for p in big.tolist():
                holders = post.holders[lo[p] : lo[p] + count[p]]
                j = np.minimum(np.searchsorted(holders, by_index), len(holders) - 1)
                held = by_index[holders[j] == by_index]
                more_pos.append(np.full(len(held), p))
                more_row.append(row_of[held])
            position, row = np.concatenate(more_pos), np.concatenate(more_row)
    finally:
        row_of[partners] = -1
    for first_row in range(0, k, PARTNER_BLOCK):
        rows = min(PARTNER_BLOCK, k - first_row)
        sel = (row >= first_row) & (row < first_row + rows) if k > PARTNER_BLOCK else slice(None)
        matched = np.zeros(rows * (m + 2), dtype=np.int8)  # (a flat index: 2-d fancy indexing is ~4x slower)
        matched[(row[sel] - first_row).astype(np.int64) * (m + 2) + position[sel] + 1] = 1
        matched = matched.reshape(rows, m + 2)
        # row-major, a row's run starts (+1) and stops (-1) alternate, and every row ends stopped
        edge = np.flatnonzero(np.diff(matched, axis=1))
        r, first = np.divmod(edge[0::2], m + 1)
        stop = edge[1::2] % (m + 1)
        keep = stop - first - 1 + SHINGLE_WORDS >= RUN_WORDS
        begin, end = starts[first[keep]].tolist(), ends[stop[keep] + SHINGLE_WORDS - 2].tolist()
        for r, b, e in zip((r[keep] + first_row).tolist(), begin, end):
            # offsets as the shared int objects: millions of passages are held at 100k articles
            span = (shared_int(b), shared_int(e))
            runs[r].append(same.setdefault(span, span))
    return [same.setdefault(t, t) for t in map(tuple, runs)]


_Facts = tuple  # (publication date or None, text length >= 1, first_key, id): what orders a pair


def _facts(a: Article) -> _Facts:
    return a.published.date, max(1, len(a.text)), first_key(a), a.id


def _direct(a: _Facts, runs_a, b: _Facts, runs_b) -> ReuseLink:
    """The link from the later of the two (see the module doc) to the earlier, with its runs."""
    # the shared int objects: millions of links (and the articles' Reuse entries) hold these counts
    chars_a = shared_int(sum(e - s for s, e in runs_a))
    chars_b = shared_int(sum(e - s for s, e in runs_b))
    da, db = a[0], b[0]
    if da and db and da != db:
        a_later = da > db
    else:
        share_a, share_b = chars_a / a[1], chars_b / b[1]
        a_later = share_a < share_b if abs(share_a - share_b) > 0.05 else a[2] > b[2]
    if a_later:
        return ReuseLink(a[3], b[3], chars_a, tuple(runs_a))
    return ReuseLink(b[3], a[3], chars_b, tuple(runs_b))


def mark_reproduced(a: Article, passages: Sequence[tuple[int, int]]) -> tuple[Segment, ...]:
    """``a.segments`` with ``passages`` re-marked ``reproduced``; still a partition of the text."""
    segs = list(a.segments) or ([Segment("reporting", 0, len(a.text))] if a.text else [])
    spans = _union(passages)
    out: list[Segment] = []
    for seg in segs:
        if seg.kind in NOT_TEXT or seg.kind == "reproduced":
            out.append(seg)
            continue
        pos = seg.start
        for s, e in spans:
            s, e = max(s, seg.start), min(e, seg.end)
            if s >= e or e <= pos:
                continue
            s = max(s, pos)
            if s > pos:
                out.append(Segment(seg.kind, pos, s))
            out.append(Segment("reproduced", s, e))
            pos = e
        if pos < seg.end:
            out.append(Segment(seg.kind, pos, seg.end))
    merged: list[Segment] = []
    for seg in out:  # adjacent reproduced pieces (from neighbouring segments or sources) become one
        if merged and merged[-1].kind == seg.kind == "reproduced" and merged[-1].end == seg.start:
            merged[-1] = Segment("reproduced", merged[-1].start, seg.end)
        else:
            merged.append(seg)
    return tuple(merged)


def _union(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-empty spans merged where they overlap or touch, sorted (an article copied by dozens of
    outlets has a passage per copy, mostly the same text)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def find_reuse_between(articles: Sequence[Article], pairs: Sequence[tuple[int, int]],
                       known: dict[int, np.ndarray] | None = None) -> list[ReuseLink]:
    """Reuse links for the given pairs of indices into ``articles`` only (an incremental add: the new
    articles against their candidates). ``known``: stored shingle lists by index (compared as their low
    32 bits, as records keep them); the others are computed. Unlike :func:`find_reuse` no shingle is
    skipped as a stock phrase, since how many articles share it is not known here; a pair still needs a
    run of RUN_WORDS words."""
    known = known or {}
    listed: dict[int, np.ndarray] = {}
    sets: dict[int, np.ndarray] = {}

    def get(i: int) -> tuple[np.ndarray, np.ndarray]:
        if i not in listed:
            raw = known.get(i)
            listed[i] = record_shingles(articles[i]) if raw is None else low_bits(raw)
            sets[i] = np.unique(listed[i])
        return listed[i], sets[i]

    positions: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def where(i: int) -> tuple[np.ndarray, np.ndarray]:
        if i not in positions:
            positions[i] = word_positions(articles[i].text, _text_spans(articles[i]))
        return positions[i]

    need = RUN_WORDS - SHINGLE_WORDS + 1
    links = []
    for i, j in sorted({(min(p), max(p)) for p in pairs}):
        li, si = get(i)
        lj, sj = get(j)
        if len(si) < need or len(sj) < need or len(np.intersect1d(si, sj, assume_unique=True)) < need:
            continue
        runs_i = _runs(*where(i), _member(li, sj))
        runs_j = _runs(*where(j), _member(lj, si))
        if runs_i and runs_j:
            links.append(_direct(_facts(articles[i]), runs_i, _facts(articles[j]), runs_j))
    return links
