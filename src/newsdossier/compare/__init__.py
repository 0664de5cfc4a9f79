"""Compare: claims, number conflicts, statements, entities, stance, summary and timeline per story.

Only reporting and reproduced text produces claims, numbers, timeline and summary; opinion, reader
comments and boilerplate never do. Each story is compared on its own articles (pairwise work stays
within a story). Missing annotations degrade gracefully: no sentences -> the project splitter, no
segments -> all reporting, no entity ids -> names compared as text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ..model import Article, Story
from .claims import StoryUnits, build_claims, draft_claims
from .confidence import confident_reporting
from .coverage import ArticleCoverage, coverage_matrix
from .entities import story_entities
from .independence import SourceCounter
from .numbers import number_groups, quantity_groups
from .statements import build_statements
from .summary import build_summary
from .text import Unit, fact_segments, fact_units
from .timeline import build_timeline
from .similarity import Similarity
from .vectors import tfidf_matrix, unit_features

__all__ = ["ArticleCoverage", "compare_stories", "compare_story", "coverage_matrix", "story_units"]

StanceFn = Callable[[Sequence[str], Sequence[str]], list[str]]


def _reading_order(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published.date or "9999-99-99", a.input, a.id))


def _quoted_share(a: Article, u: Unit) -> float:
    inside = sum(max(0, min(q.end, u.end) - max(q.start, u.start)) for q in a.quotes if q.direct)
    return min(1.0, inside / max(u.end - u.start, 1))


def story_units(members: Sequence[Article], groups: Mapping[str, str]) -> StoryUnits:
    units: list[Unit] = []
    feats = []
    quoted = []
    for a in members:
        for u in fact_units(a):
            units.append(u)
            feats.append(unit_features(a, u))
            quoted.append(_quoted_share(a, u))
    in_report, confident, subjective = confident_reporting({a.id: a for a in members}, units)
    return StoryUnits(
        tuple(units),
        tuple(feats),
        Similarity(tfidf_matrix(feats, with_slots=True)),
        Similarity(tfidf_matrix(feats, with_slots=False)),
        tuple(groups[u.article_id] for u in units),
        tuple(quoted),
        tuple(in_report),
        tuple(confident),
        tuple(subjective),
    )


def compare_story(story: Story, members: Sequence[Article]) -> Story:
    """Fill a story's claims, quantities, statements, entities, summary and timeline."""
    members = _reading_order(members)
    by_id = {a.id: a for a in members}
    sources = SourceCounter(members)
    groups = sources.groups
    su = story_units(members, groups)
    units_by_article: dict[str, list[Unit]] = {}
    for u in su.units:
        units_by_article.setdefault(u.article_id, []).append(u)
    numbers = number_groups(members, units_by_article, groups)
    claims = build_claims(su, draft_claims(su, numbers, by_id), sources)
    entities = story_entities(members)
    return replace(
        story,
        claims=tuple(c for c, _ in claims),
        quantities=quantity_groups(numbers),
        statements=build_statements(members, {e.id: e.name for e in entities}),
        entities=entities,
        summary=build_summary(su, claims, by_id),
        timeline=build_timeline(by_id, su.units, su.sim, su.in_report, story.event_date),
    )


def _stance_function() -> StanceFn | None:
    """The stance classifier when its module and shipped model exist, else None (stance stays unset)."""
    try:
        from .stance import article_stances
    except (ImportError, FileNotFoundError, OSError):
        return None
    return article_stances


def reporting_text(article: Article) -> str:
    return "\n\n".join(article.text[s.start : s.end] for s in fact_segments(article))


def _with_stance(articles: Sequence[Article], stories: Sequence[Story],
                 stanced: Mapping[str, str] | None = None) -> list[Article]:
    """``stanced``: article id -> the headline its current ``stance`` was given against (its text
    unchanged since); such an article whose story's headline is still that keeps its stance."""
    stance = _stance_function()
    if stance is None:
        return list(articles)
    headline = {aid: s.headline for s in stories for aid in s.article_ids}
    known = stanced or {}
    # One batch: the model vectorises each distinct headline and body once, not once per article.
    todo = [(k, a) for k, a in enumerate(articles) if a.id in headline and known.get(a.id) != headline[a.id]]
    bodies = [reporting_text(a) for _, a in todo]
    todo = [(k, a, b) for (k, a), b in zip(todo, bodies) if b.strip()]
    try:
        labels = stance([headline[a.id] for _, a, _ in todo], [b for _, _, b in todo])
    except (ImportError, FileNotFoundError, OSError):
        return list(articles)  # no shipped model: every article keeps stance=None
    out = list(articles)
    for (k, a, _), label in zip(todo, labels, strict=True):
        out[k] = replace(a, stance=label)
    return out


def compare_stories(articles: Sequence[Article], stories: Sequence[Story],
                    stanced: Mapping[str, str] | None = None) -> tuple[list[Article], list[Story]]:
    """Compare each story's articles; return the articles (with stance when available) and the stories.

    ``stanced``: articles whose stance is known against a headline (see :func:`_with_stance`)."""
    by_id = {a.id: a for a in articles}
    out_stories = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        out_stories.append(compare_story(story, members) if members else story)
    return _with_stance(articles, out_stories, stanced), out_stories
