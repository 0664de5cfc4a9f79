"""Annotate: entities, times, publication dates, quantities and quotes, as spans into the text.

Per article: entities (the project's spaCy model), times and the publication date (decided together,
since relative dates need the anchor), quantities, quotes (speakers resolved against the entities).
Across the batch: names the tagger found are looked for where it missed them (:mod:`entity_spread`),
entity mentions are merged into entities (aliases, transliterations, misspellings)
and each quote's speaker takes the id of the entity it names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from ..clean.sentences import split_sentences
from ..model import Article, EntityMention, Quote
from .aliases import link_entities
from .entity_spread import add_missed_mentions
from .published import annotate_times
from .quantities import find_quantities
from .quote_speakers import heads_phrase
from .quotes import find_quotes

log = logging.getLogger(__name__)
T = TypeVar("T")


def _entities(texts: Sequence[str]) -> list[list[EntityMention]]:
    from .entities import find_entities_batch

    try:
        return find_entities_batch(texts)
    except FileNotFoundError as e:  # a source checkout without the trained model: run on, say why
        log.warning("no entities: %s", e)
        return [[] for _ in texts]


def _speaker_entity(q: Quote, entities: Sequence[EntityMention], text: str) -> str | None:
    """The entity id of the person or organisation the quote's speaker phrase is: a mention that heads
    the phrase, not a modifier ('the Tosk army') or a complement ('aides to Mara Lind')."""
    if q.speaker_start is None or q.speaker_end is None:
        return None
    for e in entities:
        if (e.start < q.speaker_end and q.speaker_start < e.end and e.type in ("PERSON", "ORG")
                and heads_phrase(text, q.speaker_start, q.speaker_end, e)):
            return e.entity_id
    return None


def _guarded(what: str, article: Article, fn: Callable[[], T], empty: T) -> T:
    """Run one annotator; a failure on one article is logged with its input and the run goes on."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - an annotator bug must not cost the user the whole run
        log.warning("%s: %s failed (%s: %s); left empty", article.input, what, type(e).__name__, e)
        return empty


def annotate_dates(article: Article) -> Article:
    """The per-article annotations that need no entities and that linking reads: sentences (when clean
    left none), times and the publication date."""
    text = article.text
    published, times = _guarded(
        "times", article, lambda: annotate_times(text, article.published), (article.published, [])
    )
    return replace(article, sentences=tuple(article.sentences) or tuple(split_sentences(text)),
                   published=published, times=tuple(times))


def annotate_attributions(article: Article, entities: Sequence[EntityMention]) -> Article:
    """The per-article annotations linking never reads, after :func:`annotate_dates` (which leaves the
    sentences set): the entities given, quantities, and quotes with speakers resolved against those
    entities."""
    text = article.text
    quantities = _guarded("quantities", article, lambda: find_quantities(text), [])
    quotes = _guarded("quotes", article, lambda: find_quotes(text, article.sentences, entities), [])
    return replace(article, entities=tuple(entities), quantities=tuple(quantities), quotes=tuple(quotes))


def annotate_article(article: Article, entities: Sequence[EntityMention]) -> Article:
    """Everything but the cross-article entity merge, for one article."""
    return annotate_attributions(annotate_dates(article), entities)


def annotate_articles(articles: Sequence[Article]) -> list[Article]:
    if not articles:
        return []
    texts = [a.text for a in articles]
    mentions = add_missed_mentions(texts, _entities(texts))
    annotated = [annotate_article(a, ents) for a, ents in zip(articles, mentions)]
    linked, _ = link_entities(annotated)
    return [
        replace(a, quotes=tuple(replace(q, entity_id=_speaker_entity(q, a.entities, a.text)) for q in a.quotes))
        for a in linked
    ]
