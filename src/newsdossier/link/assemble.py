"""From links and groups to output: articles with duplicate/reuse fields, story ids, stories, records.

Shared by the full run (:func:`newsdossier.link.link_articles`) and the incremental add
(:mod:`.incremental`), so the two cannot drift apart in how a story is described.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import groupby
from operator import attrgetter

import numpy as np

from ..model import Article, Reuse, Story
from .features import ArticleView, ViewMatrices
from .records import LinkRecord, ReuseRecord
from .related import relate
from .reuse import RecordShingles, ReuseLink, mark_reproduced
from .stories import event_date, headlines, independent_sources, outlet, story_id_for, why

log = logging.getLogger("newsdossier.link")
_LINK_ORDER = attrgetter("later", "earlier")
_LATER = attrgetter("later")
RELATION_EVIDENCE = ("recurrence of ", "follow_up of ")


def links_by_later(links: Iterable[ReuseLink]) -> Iterator[tuple[str, list[ReuseLink]]]:
    """Each later article's id and its links, by earlier id (millions of links at 100k articles: one
    article's are listed at a time)."""
    for later, group in groupby(sorted(links, key=_LINK_ORDER), key=_LATER):
        yield later, list(group)


def apply_links(arts: Sequence[Article], dup_of: Mapping[str, str], links: Iterable[ReuseLink],
                only: set[str] | None = None) -> list[Article]:
    """Articles with ``duplicate_of``, ``reuse`` and reproduced passages (who shares text with whom is
    read off these fields later: see :func:`.stories.independence_groups`).

    ``only``: the ids whose fields to (re)write; the others are returned as they are.
    """
    reuse: dict[str, tuple[Reuse, ...]] = {}
    passages: dict[str, list[tuple[int, int]]] = {}
    for later, group in links_by_later(links):
        reuse[later] = tuple(Reuse(link.earlier, link.chars) for link in group)
        passages[later] = [p for link in group for p in link.passages]
    out = []
    for a in arts:
        if only is not None and a.id not in only:
            out.append(a)
            continue
        segments = mark_reproduced(a, passages[a.id]) if a.id in passages else a.segments
        out.append(replace(a, duplicate_of=dup_of.get(a.id), reuse=tuple(reuse.get(a.id, ())), segments=segments))
    return out


def story_ids(groups: Sequence[Sequence[int]], arts: Sequence[Article], existing: Sequence[Story]) -> list[str]:
    """Per group: the id of the largest existing story in it (ties: smaller id), else a new one; merges logged."""
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
    return ids


def build_stories(
    groups: Sequence[Sequence[int]], ids: Sequence[str], arts: Sequence[Article], views: Sequence[ArticleView],
    m: ViewMatrices, kept: Mapping[int, Story] | None = None,
    relate_only: Sequence[int] | None = None, refresh_named: bool = False,
) -> tuple[list[Story], dict[str, str]]:
    """The stories (largest first) and each article's story id.

    ``kept``: groups (by index) that are an existing story unchanged: that story is reused as it is,
    except that its related stories are recomputed when it is in ``relate_only`` (default: all groups)
    or, with ``refresh_named``, when one of those now names it as related.
    """
    kept = kept or {}
    todo = [k for k in range(len(groups)) if k not in kept]
    dates: list[str | None] = [None] * len(groups)
    supports = [0] * len(groups)
    bases = [""] * len(groups)
    for k in todo:
        dates[k], supports[k], bases[k] = event_date([arts[i] for i in groups[k]])
    for k, s in kept.items():
        dates[k] = s.event_date
    related, evidence = relate(groups, ids, dates, arts, views, m, only=relate_only)
    related_done = set(range(len(groups)) if relate_only is None else relate_only)
    if refresh_named and relate_only is not None:
        index = {sid: k for k, sid in enumerate(ids)}
        named = sorted({index[r.story_id] for k in relate_only for r in related[k]} - related_done)
        if named:
            more, more_evidence = relate(groups, ids, dates, arts, views, m, only=named)
            for k in named:
                related[k], evidence[k] = more[k], more_evidence[k]
            related_done |= set(named)
    lines = headlines([[arts[i] for i in groups[k]] for k in todo], [groups[k] for k in todo], m)
    line_of = dict(zip(todo, lines))

    stories = []
    story_of: dict[str, str] = {}
    for k, (g, sid) in enumerate(zip(groups, ids)):
        members = [arts[i] for i in g]
        for a in members:
            story_of[a.id] = sid
        if k in kept:
            s = kept[k]
            if k in related_done:
                base = tuple(w for w in s.why if not w.startswith(RELATION_EVIDENCE))
                s = replace(s, related=tuple(related[k]), why=base + tuple(evidence[k]))
            stories.append(s)
            continue
        stories.append(Story(
            id=sid,
            headline=line_of[k],
            article_ids=tuple(sorted(a.id for a in members)),
            event_date=dates[k],
            sources=len({outlet(a) for a in members}),
            independent_sources=independent_sources(members),
            why=why(members, [views[i] for i in g], g, m, dates[k], supports[k], bases[k]) + tuple(evidence[k]),
            related=tuple(related[k]),
        ))
    stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    return stories, story_of


def reuse_records(links: Iterable[ReuseLink]) -> dict[str, tuple[ReuseRecord, ...]]:
    """Per later article id, the link record's entries of its reuse links (by earlier id)."""
    return {later: tuple(ReuseRecord(link.earlier, link.chars, tuple(link.passages)) for link in group)
            for later, group in links_by_later(links)}


class ReuseOfArticles:
    """:func:`reuse_records` of a full run, made for one article when its record is: from the linked
    article's ``reuse`` entries (:func:`apply_links` made them from the same links, in the same order)
    and the links' passages. So the links themselves (~3M objects, ~0.23 GB at 100k articles) are not
    held from the reuse search through clustering to the records."""

    def __init__(self, linked: Sequence[Article], links: Iterable[ReuseLink]) -> None:
        self._articles = {a.id: a for a in linked}
        self._passages = {later: tuple(link.passages for link in group) for later, group in links_by_later(links)}

    def get(self, aid: str, default: tuple[ReuseRecord, ...] = ()) -> tuple[ReuseRecord, ...]:
        passages = self._passages.get(aid)
        if passages is None:
            return default
        return tuple(ReuseRecord(r.article_id, r.chars, tuple(p))
                     for r, p in zip(self._articles[aid].reuse, passages, strict=True))


def records_for(arts: Sequence[Article], views: Sequence[ArticleView],
                candidates: tuple[np.ndarray, np.ndarray, np.ndarray], floors: np.ndarray | None,
                which: np.ndarray, dup_of: Mapping[str, str],
                reuse: Mapping[str, tuple[ReuseRecord, ...]] | ReuseOfArticles,
                shingles: Mapping[str, np.ndarray] | RecordShingles) -> Iterator[tuple[str, LinkRecord]]:
    """(id, link record) of the articles at indices ``which``, one at a time (a caller may store each
    at once): each candidate pair goes to the record of its later-indexed end among ``which`` (a pair
    is stored once); ``floors`` aligned with ``which``; ``reuse``: each later article's entries (see
    :func:`reuse_records`)."""
    rows, cols, fo = candidates
    chosen = np.zeros(len(arts), dtype=bool)
    chosen[which] = True
    owner = np.where(chosen[cols], cols, rows)
    partner = np.where(chosen[cols], rows, cols)
    keep = chosen[owner]
    owner, partner, fo = owner[keep], partner[keep], fo[keep]
    order = np.argsort(owner, kind="stable")
    owner, partner, fo = owner[order], partner[order], fo[order]
    bounds = np.searchsorted(owner, np.asarray(which))
    ends = np.searchsorted(owner, np.asarray(which), side="right")
    for k, i in enumerate(np.asarray(which).tolist()):
        a = arts[i]
        lo, hi = bounds[k], ends[k]
        yield a.id, LinkRecord(
            view=views[i],
            pair_ids=tuple(arts[j].id for j in partner[lo:hi].tolist()),
            pair_cosines=fo[lo:hi],
            floor=float(floors[k]) if floors is not None else -1.0,
            duplicate_of=dup_of.get(a.id),
            reuse=tuple(reuse.get(a.id, ())),
            shingles=shingles.get(a.id),
        )
