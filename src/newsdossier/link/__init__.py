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

Story ids: minted from the sorted ids of a story's first members, then kept (see :mod:`.stories`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from ..disjoint import DisjointSets
from ..model import Article, Reuse, Story
from .duplicates import find_duplicates
from .features import build_matrices, build_view
from .learned import default_model
from .related import relate
from .reuse import find_reuse, mark_reproduced
from .stories import event_date, headlines, independent_sources, outlet, story_id_for, why

__all__ = ["link_articles", "story_id_for"]
log = logging.getLogger(__name__)


def _with_reuse(arts: list[Article]) -> tuple[list[Article], dict[str, set[str]]]:
    """Articles with ``duplicate_of``, ``reuse`` and reproduced passages; and who shares text with whom."""
    dup_of = find_duplicates(arts)
    links = find_reuse(arts)
    shares: dict[str, set[str]] = {}
    reuse: dict[str, list[Reuse]] = {}
    passages: dict[str, list[tuple[int, int]]] = {}
    for link in sorted(links, key=lambda l: (l.later, l.earlier)):
        reuse.setdefault(link.later, []).append(Reuse(link.earlier, link.chars))
        passages.setdefault(link.later, []).extend(link.passages)
        shares.setdefault(link.later, set()).add(link.earlier)
        shares.setdefault(link.earlier, set()).add(link.later)
    for dup, orig in dup_of.items():
        shares.setdefault(dup, set()).add(orig)
        shares.setdefault(orig, set()).add(dup)
    out = []
    for a in arts:
        segments = mark_reproduced(a, passages[a.id]) if a.id in passages else a.segments
        out.append(replace(a, duplicate_of=dup_of.get(a.id), reuse=tuple(reuse.get(a.id, ())), segments=segments))
    return out, shares


def _initial_groups(arts: list[Article], existing: Sequence[Story], dup_of: dict[str, str]) -> list[list[int]]:
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
    (the larger keeps its id; logged).
    """
    unique: dict[str, Article] = {}
    for a in articles:
        unique.setdefault(a.id, a)
    arts = sorted(unique.values(), key=lambda a: a.id)
    if not arts:
        return [], []
    arts, shares = _with_reuse(arts)
    dup_of = {a.id: a.duplicate_of for a in arts if a.duplicate_of}
    views = [build_view(a) for a in arts]
    m = build_matrices(views)
    initial = _initial_groups(arts, existing, dup_of)
    groups = default_model().cluster_matrices(m, initial)

    old_story = {aid: s for s in existing for aid in s.article_ids}
    ids: list[str] = []
    for g in groups:
        members = [arts[i].id for i in g]
        olds = sorted({old_story[x].id: len(old_story[x].article_ids) for x in members if x in old_story}.items(),
                      key=lambda kv: (-kv[1], kv[0]))
        if not olds:
            ids.append(story_id_for(members))
            continue
        ids.append(olds[0][0])
        if len(olds) > 1:
            log.info("stories %s merged into %s: new articles bridge them", [o for o, _ in olds[1:]], olds[0][0])
    dates = [event_date([arts[i] for i in g]) for g in groups]
    related, evidence = relate(groups, ids, [d for d, _ in dates], arts, views, m)

    stories = []
    story_of: dict[str, str] = {}
    lines = headlines([[arts[i] for i in g] for g in groups], groups, m)
    for g, sid, (date, support), rel, ev, line in zip(groups, ids, dates, related, evidence, lines):
        members = [arts[i] for i in g]
        for a in members:
            story_of[a.id] = sid
        stories.append(Story(
            id=sid,
            headline=line,
            article_ids=tuple(sorted(a.id for a in members)),
            event_date=date,
            sources=len({outlet(a) for a in members}),
            independent_sources=independent_sources(members, shares),
            why=why(members, [views[i] for i in g], g, m, date, support) + tuple(ev),
            related=tuple(rel),
        ))
    by_id = {a.id: replace(a, story_id=story_of[a.id]) for a in arts}
    stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    return [by_id[a.id] for a in articles], stories
