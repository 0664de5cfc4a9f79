"""Link: duplicates, text reuse, and the grouping of articles into stories (one real-world event each).

Pipeline (all pure; articles are processed sorted by id, so input order never matters):

1. :mod:`.duplicates` — near-duplicate articles (MinHash LSH) → ``duplicate_of``;
2. :mod:`.reuse` — shared passages of >= 40 words → ``reuse`` and ``reproduced`` segments;
3. :mod:`.features` / :mod:`.pairs` / :mod:`.learned` — multi-view pair probabilities (body, title,
   names, numbers, second-order neighbourhoods; a time penalty when dates are known);
4. :mod:`.events` — average linkage cut at probability 0.5, starting from the stories already in the
   store (never split; joined only when the evidence says so, and logged); time evidence against a
   publication date that is a fact (dates, text lower bounds, "similar ... in 2016" back-references:
   :mod:`.temporal`) makes cannot-links, and the undated members of look-alike rivals are re-dealt by
   their distinctive terms;
5. :mod:`.stories` / :mod:`.related` — ids, headline, event date, sources, why, related stories.

When the stories come as :class:`.records.StoredStories` with the link records of their articles, only
the new articles are analysed and compared (:mod:`.incremental`); the records to store are left in
``existing.fresh``.

Story ids: minted from the sorted ids of a story's first members, then kept (see :mod:`.stories`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..disjoint import DisjointSets
from ..model import Article, Story
from .assemble import ReuseOfArticles, apply_links, build_stories, records_for, story_ids
from .duplicates import find_duplicates
from .features import build_matrices, build_view
from .learned import default_model
from .records import StoredStories
from .reuse import RecordShingles, find_reuse
from .stories import story_id_for

__all__ = ["StoredStories", "link_articles", "story_id_for"]
log = logging.getLogger(__name__)


def initial_groups(arts: list[Article], existing: Sequence[Story], dup_of: dict[str, str]) -> list[list[int]]:
    """Groups (index lists) that must stay together: each existing story's present members, and
    duplicates with their original."""
    index = {a.id: i for i, a in enumerate(arts)}
    sets = DisjointSets(range(len(arts)))
    for s in existing:
        present = [index[i] for i in s.article_ids if i in index]
        if not present:
            log.info("story %s dropped: none of its articles is present", s.id)
            continue
        for i in present[1:]:
            sets.union(present[0], i)
    for dup, orig in dup_of.items():
        sets.union(index[dup], index[orig])
    return sorted((g for g in sets.groups().values() if len(g) > 1), key=lambda g: g[0])


def link_articles(
    articles: Sequence[Article], existing: Sequence[Story] = ()
) -> tuple[list[Article], list[Story]]:
    """Group ``articles`` into stories; return them (input order) with ``story_id`` set, and the stories.

    ``existing``: the stories already in the store. Their articles stay together under their ids;
    new articles join them or open new stories; two stories merge only when the evidence says so
    (the larger keeps its id; logged). As :class:`StoredStories` with records, only new articles are
    analysed (see :mod:`.incremental`).
    """
    unique: dict[str, Article] = {}
    for a in articles:
        unique.setdefault(a.id, a)
    arts = sorted(unique.values(), key=lambda a: a.id)
    if not arts:
        return [], []
    if isinstance(existing, StoredStories) and existing.records:
        from .incremental import link_increment, usable

        if usable(arts, existing):
            linked, stories = link_increment(arts, existing)
            by_id = {a.id: a for a in linked}
            return [by_id[a.id] for a in articles], stories

    dup_of = find_duplicates(arts)
    links = find_reuse(arts)
    arts = apply_links(arts, dup_of, links)
    reuse = ReuseOfArticles(arts, links)  # what the records need of the links, not the links
    del links
    views = [build_view(a) for a in arts]
    m = build_matrices(views)
    initial = initial_groups(arts, existing, dup_of)
    model = default_model()
    scorer = model.scorer(m, initial)
    groups = model.cluster_scored(scorer, initial)
    ids = story_ids(groups, arts, existing)
    stories, story_of = build_stories(groups, ids, arts, views, m)
    if isinstance(existing, StoredStories):
        existing.fresh.update(records_for(arts, views, scorer.candidates, scorer.floors, np.arange(len(arts)),
                                          dup_of, reuse, RecordShingles(unique)))
    linked = {a.id: replace(a, story_id=story_of[a.id]) for a in arts}
    return [linked[a.id] for a in articles], stories
