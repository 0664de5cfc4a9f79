"""Passage-level text reuse: runs of shared word shingles of at least ``RUN_WORDS`` words.

A reposted wire report inside a blog post, or three outlets carrying the same agency copy, share
long verbatim runs; two independent reports of one event do not (they share names and short
phrases). Only text that is not boilerplate or a reader comment counts, so a site's shared footer
is not "reuse". The article that came later (see :func:`duplicates.first_key`; when neither is
dated, the one the passage is a smaller part of, as a post wraps the report it quotes) reproduces
the other: it gets a :class:`Reuse` and its passages become ``reproduced`` segments.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article, Reuse, Segment
from .duplicates import first_key

SHINGLE_WORDS = 8
RUN_WORDS = 40
# A shingle in more articles than this is a stock phrase or a mass-syndicated text; skipping it
# keeps the pair count bounded (a copy shared that widely is still caught through its other shingles).
MAX_POSTINGS = 200
NOT_TEXT = frozenset({"boilerplate", "reader_comment"})
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ReuseLink:
    later: str
    earlier: str
    chars: int
    passages: tuple[tuple[int, int], ...]  # spans in the later article


def _words(a: Article) -> list[tuple[str, int, int]]:
    segs = [(s.start, s.end) for s in a.segments if s.kind not in NOT_TEXT] or [(0, len(a.text))]
    return [(m.group().lower(), m.start(), m.end()) for s, e in segs for m in _WORD.finditer(a.text, s, e)]


def _runs(words: list[tuple[str, int, int]], matched: list[int]) -> list[tuple[int, int]]:
    """Char spans of maximal runs of consecutive matched shingle starts covering >= RUN_WORDS words."""
    spans, start, prev = [], None, None
    for pos in matched + [None]:
        if pos is not None and prev is not None and pos == prev + 1:
            prev = pos
            continue
        if start is not None and prev - start + SHINGLE_WORDS >= RUN_WORDS:
            spans.append((words[start][1], words[prev + SHINGLE_WORDS - 1][2]))
        start = prev = pos
    return spans


def find_reuse(articles: Sequence[Article]) -> list[ReuseLink]:
    arts = sorted(articles, key=lambda a: a.id)
    vocab: dict[str, int] = {}
    words = [_words(a) for a in arts]
    shingle_lists: list[list[tuple[int, ...]]] = []
    postings: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        ids = [vocab.setdefault(w, len(vocab)) for w, _, _ in ws]
        sh = [tuple(ids[p : p + SHINGLE_WORDS]) for p in range(len(ids) - SHINGLE_WORDS + 1)]
        shingle_lists.append(sh)
        for s in set(sh):
            postings[s].append(i)
    need = RUN_WORDS - SHINGLE_WORDS + 1
    links = []
    for i, sh in enumerate(shingle_lists):
        shared: Counter[int] = Counter()
        for s in set(sh):
            post = postings[s]
            if len(post) <= MAX_POSTINGS:
                shared.update(j for j in post if j > i)
        for j, count in sorted(shared.items()):
            if count < need:
                continue
            sj = set(shingle_lists[j])
            si = set(sh)
            runs_i = _runs(words[i], [p for p, s in enumerate(sh) if s in sj])
            runs_j = _runs(words[j], [p for p, s in enumerate(shingle_lists[j]) if s in si])
            if not runs_i or not runs_j:
                continue
            links.append(_direct(arts[i], runs_i, arts[j], runs_j))
    return links


def _direct(a: Article, runs_a, b: Article, runs_b) -> ReuseLink:
    chars_a = sum(e - s for s, e in runs_a)
    chars_b = sum(e - s for s, e in runs_b)
    da, db = a.published.date, b.published.date
    if da and db and da != db:
        a_later = da > db
    else:
        share_a, share_b = chars_a / max(1, len(a.text)), chars_b / max(1, len(b.text))
        a_later = share_a < share_b if abs(share_a - share_b) > 0.05 else first_key(a) > first_key(b)
    if a_later:
        return ReuseLink(a.id, b.id, chars_a, tuple(runs_a))
    return ReuseLink(b.id, a.id, chars_b, tuple(runs_b))


def mark_reproduced(a: Article, passages: Sequence[tuple[int, int]]) -> tuple[Segment, ...]:
    """``a.segments`` with ``passages`` re-marked ``reproduced``; still a partition of the text."""
    segs = list(a.segments) or ([Segment("reporting", 0, len(a.text))] if a.text else [])
    spans = sorted(passages)
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
