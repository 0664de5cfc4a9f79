"""Incremental add: link new articles to a store's stories using the stored link records.

Only the new articles are analysed: their views, their candidate pairs against everyone (each new
article's nearest ``per_row``, plus the older articles that would take it into their own lists: see
:func:`.pairs.candidate_pairs`), duplicate and reuse checks on those pairs, and the clustering of the
blocks they touch. Everything about the older articles comes from their records: views (the TF-IDF
matrices are rebuilt from stored term counts, so the IDF is that of the whole collection, as in a full
run), candidate pairs with their first-order cosines, duplicate and reuse links. Existing stories are
never split; they keep their ids and, when no new article joins them, their fields.

Where the result may differ from a full relink with the same stories (``link_articles(all, stories)``
without records), and why:

- stored first-order cosines of older pairs are those of the run that stored them (the IDF has moved a
  little since); a full relink recomputes them, which shifts second-order features slightly;
- two existing stories are only compared when a new article's block reaches both; a full relink also
  re-examines stories that no new article touches (and would join them only if the IDF drift now
  puts their mean above the threshold);
- an older article's candidate list is not trimmed when a newcomer displaces its weakest member;
- duplicates and reuse are searched among the new articles' candidate pairs (a copy or a reposted
  report is always among an article's nearest by body and names) above a body cosine of
  ``DUPLICATE_CHECK_COSINE`` / ``TEXT_CHECK_COSINE``, and no shingle is skipped as a stock phrase;
- an unchanged story's related stories are refreshed only when a changed story now names it (or it
  named a story that was merged away); a full relink re-relates every story.

On the fixtures in ``tests/test_link_incremental.py`` and on the 10,000 + 100 benchmark
(``benchmarks/bench_link.py --check``) every new article lands where a full relink puts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..model import Article, Story
from .assemble import apply_links, build_stories, records_for, reuse_records, story_ids
from .duplicates import confirmed_pairs, duplicate_roots, shingles
from .features import build_matrices, build_view, reported_spans
from .learned import default_model
from .pairs import candidate_pairs
from .records import LinkRecord, StoredStories
from .reuse import ReuseLink, find_reuse_between, text_shingles

# Pairs less alike than this (body TF-IDF cosine) are not checked for copied text: a near-duplicate is
# far above it, and a reused passage of >= 40 words in a long article still shares its rare words.
TEXT_CHECK_COSINE = 0.1
# Near-duplicates (Jaccard >= 0.8 of 5-word shingles) share nearly all their words: far above this cosine.
DUPLICATE_CHECK_COSINE = 0.5


def usable(arts: Sequence[Article], existing: StoredStories) -> bool:
    """Whether the records cover the present members of the existing stories (else: a full run)."""
    present = {a.id for a in arts}
    return all(i in existing.records for s in existing for i in s.article_ids if i in present)


def _stored_pairs(ids: Sequence[str], records: dict[str, LinkRecord], old: np.ndarray):
    """The candidate pairs the older articles' records hold, as index arrays (``ids`` sorted)."""
    owners = [i for i in np.flatnonzero(old).tolist() if records[ids[i]].pair_ids]
    if not owners:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 4), np.float32)
    partner_ids = np.array([p for i in owners for p in records[ids[i]].pair_ids])
    rows = np.repeat(np.array(owners, dtype=np.int64), [len(records[ids[i]].pair_ids) for i in owners])
    fos = np.concatenate([records[ids[i]].pair_cosines for i in owners])
    sorted_ids = np.array(ids)
    at = np.clip(np.searchsorted(sorted_ids, partner_ids), 0, len(ids) - 1)
    ok = sorted_ids[at] == partner_ids
    ok[ok] = old[at[ok]]  # a partner that is no longer an old article is re-examined afresh
    return rows[ok], at[ok].astype(np.int64), fos[ok]


def _merge_pairs(n: int, parts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of pair lists as sorted unique ``rows < cols``; a later part wins for the cosines."""
    r = np.concatenate([p[0] for p in parts])
    c = np.concatenate([p[1] for p in parts])
    f = np.concatenate([p[2] for p in parts]).astype(np.float32)
    key = np.minimum(r, c) * n + np.maximum(r, c)
    rev_key = key[::-1]
    uniq, first_rev = np.unique(rev_key, return_index=True)
    return uniq // n, uniq % n, f[::-1][first_rev]


def link_increment(arts: list[Article], existing: StoredStories) -> tuple[list[Article], list[Story]]:
    """``arts``: every article, unique and sorted by id; see the module doc."""
    from . import initial_groups

    records = existing.records
    in_story = {aid for s in existing for aid in s.article_ids}
    n = len(arts)
    ids = [a.id for a in arts]
    old = np.array([a.id in records and a.id in in_story for a in arts], dtype=bool)
    new_idx = np.flatnonzero(~old)
    views = [records[a.id].view if old[i] else build_view(a) for i, a in enumerate(arts)]
    m = build_matrices(views)
    model = default_model()

    # candidate pairs: stored among the older articles, computed for the new ones
    floors = np.array([records[a.id].floor if old[i] else np.inf for i, a in enumerate(arts)])
    nr, nc, nf, new_floors = candidate_pairs(m, model.per_row, only=new_idx, floors=floors)
    candidates = _merge_pairs(n, [_stored_pairs(ids, dict(records), old), (nr, nc, nf)])

    # duplicates and reuse: stored among the older articles, checked on the new articles' pairs
    text_pairs = [(int(r), int(c)) for r, c, f in zip(nr, nc, nf) if f[0] >= TEXT_CHECK_COSINE]
    dup_pairs = [(int(r), int(c)) for r, c, f in zip(nr, nc, nf) if f[0] >= DUPLICATE_CHECK_COSINE]
    sets = {ids[i]: shingles(arts[i].text) for i in sorted({i for p in dup_pairs for i in p})}
    dup_edges = confirmed_pairs(sets, [(ids[min(p)], ids[max(p)]) for p in dup_pairs])
    old_ids = [ids[i] for i in np.flatnonzero(old)]
    dup_edges += [(aid, records[aid].duplicate_of) for aid in old_ids if records[aid].duplicate_of in records]
    dup_of = duplicate_roots(arts, [tuple(sorted(e)) for e in dup_edges])
    stored_links = [ReuseLink(aid, r.earlier, r.chars, r.passages) for aid in old_ids for r in records[aid].reuse]
    known = {i: records[ids[i]].shingles for i in np.flatnonzero(old).tolist()
             if records[ids[i]].shingles is not None}
    new_shingles = {ids[i]: text_shingles(arts[i]) for i in new_idx.tolist()}
    known.update((int(i), new_shingles[ids[i]]) for i in new_idx.tolist())
    new_links = find_reuse_between(arts, text_pairs, known)
    links = stored_links + new_links
    changed = {ids[i] for i in new_idx} | {l.later for l in new_links}
    changed |= {aid for aid in old_ids if records[aid].duplicate_of != dup_of.get(aid)}
    # older articles that arrive without their stored links (re-read from the store, analysed afresh)
    needs_marks = {a.id for i, a in enumerate(arts) if old[i] and (
        a.duplicate_of != dup_of.get(a.id) or len(a.reuse) != len(records[a.id].reuse)
        or (records[a.id].reuse and not any(s.kind == "reproduced" for s in a.segments)))}
    before = {i: reported_spans(arts[i]) for i in new_idx.tolist()}
    arts = apply_links(arts, dup_of, links, only=changed | needs_marks)
    redo = [i for i, spans in before.items() if reported_spans(arts[i]) != spans]
    if redo:  # a new article's reported text changed with its reproduced passages: views as a full run has them
        for i in redo:
            views[i] = build_view(arts[i])
        m = build_matrices(views)

    # clustering: only pairs touching a new article can change the partition
    initial = initial_groups(arts, existing, dup_of)
    scorer = model.scorer(m, initial, candidates=candidates)
    is_new = ~old
    groups = model.cluster_scored(scorer, initial, pairs=is_new[scorer.rows] | is_new[scorer.cols])

    ids_out = story_ids(groups, arts, existing)
    by_id = {s.id: s for s in existing}
    kept: dict[int, Story] = {}
    for k, (g, sid) in enumerate(zip(groups, ids_out)):
        s = by_id.get(sid)
        if s is not None and tuple(sorted(ids[i] for i in g)) == tuple(sorted(s.article_ids)):
            kept[k] = s
    affected = [k for k in range(len(groups)) if k not in kept]
    gone = {s.id for s in existing} - set(ids_out)
    pointing = {k for k, s in kept.items() if any(r.story_id in gone for r in s.related)}
    stories, story_of = build_stories(groups, ids_out, arts, views, m, kept,
                                      relate_only=sorted(set(affected) | pointing), refresh_named=True)

    fresh = dict(records_for(arts, views, (nr, nc, nf), new_floors, new_idx, dup_of, reuse_records(new_links),
                                 new_shingles))
    reuse_of = reuse_records(links)
    for aid in sorted(changed - set(fresh)):  # older articles whose duplicate or reuse links changed
        fresh[aid] = replace(records[aid], duplicate_of=dup_of.get(aid), reuse=reuse_of.get(aid, ()))
    existing.fresh.update(fresh.items())
    return [a if a.story_id == story_of[a.id] else replace(a, story_id=story_of[a.id]) for a in arts], stories
