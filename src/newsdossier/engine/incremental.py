"""Incremental analysis: stored analyses are reused, only new (or stale) articles go through the stages.

An article whose stored analysis was produced by :data:`ANALYSIS_VERSION` is neither cleaned nor
annotated again: it joins the run as it was stored (analysed, linked, compared) and serves as read-only
context for the batch steps of the new articles:

- clean: the lines repeated across a source's articles are counted over the stored articles of the new
  articles' sources plus the new ones (a source's evidence depends only on its own articles, so this is
  what a full run computes for the new articles);
- annotate, names spread: the names found in the stored articles (their stored mentions) plus the new
  ones are looked for in the new articles;
- annotate, entity merge: the new articles' mentions are merged together with every stored mention;
  a new mention that falls in an entity with stored mentions takes the stored entity id (the one most
  of those mentions carry), so ids stay consistent for linking and compare; otherwise the merged id.

Then link (incremental with the stored link records) and compare only the stories whose article set
changed or one of whose members changed (new, re-analysed, or re-marked by link); every other story
keeps its stored claims, summary, statements... and its articles their stance.

Where an incremental run can differ from a from-scratch run over the same articles, and why:

- stored articles are never re-analysed with the new articles as context: a name, a repeated footer
  line or an alias merge that only the new articles bring does not reach the stored ones (their
  mentions, segments and entity ids stay as stored);
- names spread: a stored article's spread mentions count as names "the tagger tagged" for the new
  articles (a full run only counts the tagger's own), so such a spelling is not spread again;
- entity ids: a merge that a full run would canonicalise under a fuller name (brought by a new
  article) keeps the stored id;
- stored ``opinion_share`` comes back rounded to the JSON codec's 4 digits (the dossier has the same);
- link: see :mod:`newsdossier.link.incremental`;
- compare: an unchanged story is not re-compared, so its stored output stays even if compare itself
  changed; bump :data:`ANALYSIS_VERSION` (which re-analyses, re-links the marks and re-compares all).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

from ..compare import compare_stories
from ..model import Article, Story

# (articles, stories, stanced) -> (articles, stories); see compare_stories
CompareFn = Callable[[Sequence[Article], Sequence[Story], Mapping[str, str]], tuple[list[Article], list[Story]]]

# Bump when clean, annotate or compare output changes: every stored analysis is then redone once.
ANALYSIS_VERSION = 10


def context_for_sources(context: Sequence[Article], articles: Sequence[Article]) -> list[Article]:
    """The context articles of the sources ``articles`` come from (clean's evidence is per source)."""
    sources = {a.source for a in articles if a.source}
    return [a for a in context if a.source in sources]


def stored_ids(merged_ids: Mapping[tuple[str, int, int], str], stored_context: Sequence[Article],
               wanted: Collection[str]) -> dict[str, str]:
    """``{merged entity id: stored entity id}`` for the ``wanted`` merged entities that the context's
    mentions fall in: the stored id most of those mentions have (the smallest id on a tie).

    ``merged_ids``: ``{(article id, start, end): entity id}`` of the context merged together with new
    articles; ``stored_context``: the context as stored."""
    get = merged_ids.get
    # one Counter over (merged, stored) pairs: it counts in C (a Counter per entity took twice as long)
    pairs = Counter((m, s.entity_id) for a in stored_context for s in a.entities
                    if s.entity_id and (m := get((a.id, s.start, s.end))) in wanted)
    best: dict[str, tuple[str, int]] = {}
    for (m, sid), n in pairs.items():
        held = best.get(m)
        if held is None or (-n, sid) < (-held[1], held[0]):
            best[m] = (sid, n)
    return {m: sid for m, (sid, _) in best.items()}


def changed_stories(
    stories: Sequence[Story],
    linked: Sequence[Article],
    existing: Sequence[Story],
    reused: dict[str, Article],
) -> set[str]:
    """Ids of the stories to compare: new or changed article set, or a member that is not its stored self."""
    before = {s.id: tuple(sorted(s.article_ids)) for s in existing}
    by_id = {a.id: a for a in linked}
    out = set()
    for s in stories:
        if before.get(s.id) != tuple(sorted(s.article_ids)):
            out.add(s.id)
            continue
        members = set(s.article_ids)
        for aid in s.article_ids:
            a, stored = by_id.get(aid), reused.get(aid)
            if stored is None or (a is not stored and a != stored and not _outside_reuse_only(a, stored, members)):
                out.add(s.id)
                break
    return out


def _outside_reuse_only(article: Article, stored: Article, members: set[str]) -> bool:
    """Does ``article`` differ from its stored self only in reuse links to articles outside its story?
    Compare reads reuse only to group a story's members into independent sources, so such a change
    (a new article elsewhere copied from this one) leaves the story's comparison as it was."""
    if article.reuse == stored.reuse or replace(stored, reuse=article.reuse) != article:
        return False
    changed = {r.article_id for r in article.reuse} ^ {r.article_id for r in stored.reuse}
    return not changed & members


def stored_stances(articles: Sequence[Article], existing: Sequence[Story], reused: Mapping[str, Article]
                   ) -> dict[str, str]:
    """Article id -> the stored headline its stored stance was given against, for the articles that
    are exactly as stored (stance depends only on the headline and the article's reporting text)."""
    headline = {aid: s.headline for s in existing for aid in s.article_ids}  # the last story naming it
    out = {}
    for a in articles:
        stored = reused.get(a.id)
        if stored is not None and a.id in headline and (a is stored or a == stored):
            out[a.id] = headline[a.id]
    return out


def compare_changed(
    linked: Sequence[Article],
    stories: Sequence[Story],
    existing: Sequence[Story],
    reused: dict[str, Article],
    compare: CompareFn | None = None,
) -> tuple[list[Article], list[Story]]:
    """:func:`compare_stories` on the changed stories only; the others (and their articles) as stored.

    ``reused``: the stored analysed articles that joined this run unchanged, by id. With none, every
    story is compared (a from-scratch run). ``compare``: :func:`compare_stories` or an engine's
    equivalent (same results, see :mod:`.compare_split`); default :func:`compare_stories`."""
    compare = compare or compare_stories
    if not reused:
        return compare(linked, stories, {})
    todo = changed_stories(stories, linked, existing, reused)
    todo_stories = [s for s in stories if s.id in todo]
    members = {aid for s in todo_stories for aid in s.article_ids}
    in_story = {aid for s in stories for aid in s.article_ids}
    # articles of changed stories, and any article in no story (as a full run passes them all)
    to_compare = [a for a in linked if a.id in members or a.id not in in_story]
    compared_arts, compared_stories = compare(to_compare, todo_stories, stored_stances(to_compare, existing, reused))
    arts_by_id = {a.id: a for a in compared_arts}
    story_by_id = {s.id: s for s in compared_stories}
    return ([arts_by_id.get(a.id, a) for a in linked], [story_by_id.get(s.id, s) for s in stories])
