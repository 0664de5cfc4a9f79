"""The per-article / batch split of the clean and annotate stages, for engines that farm out per-article work.

``clean_articles`` = a batch table (lines repeated across a source's articles) + one pass per article;
``annotate_articles`` = NER per article + the names spread across the batch (``add_missed_mentions``) +
:func:`annotate_article` per article + the entity merge over the batch. So an engine runs two per-article
rounds with a batch step before each: :func:`batch_evidence` (caller) -> :func:`tag_chunk` (clean + NER +
dates, anywhere) -> :func:`spread_mentions` (caller) -> :func:`annotate_chunk` (quantities and quotes,
anywhere) -> :func:`merge_entities` (caller). Linking never reads quantities or quotes, so the second round
may also come after the merge: :func:`named` (caller) -> :func:`attribution_chunk` (anywhere, while the
caller links). Same functions as the local engine, so the results are identical (``tests/test_engine_*.py``
check it).

The stages expose this split only through private names today (``clean._repeated_lines``,
``clean._clean_one``, ``clean._scorer``, ``annotate._entities``, ``annotate._speaker_entity``); they are
used here and nowhere else, so when the stages make the split public only this module changes.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TypeVar

from .. import annotate as _annotate
from .. import clean as _clean
from ..annotate import aliases
from ..link import link_articles
from ..model import Article, EntityMention, Story
from ..processes import return_freed_memory
from .incremental import CompareFn, compare_changed, context_for_sources, stored_ids
from .progress import Reporter

T = TypeVar("T")
RepeatedLines = Mapping[str, frozenset[str]]  # source -> normalised lines that are furniture there
_NONE: frozenset[str] = frozenset()


def batch_evidence(articles: Sequence[Article], context: Sequence[Article] = ()) -> dict[str, frozenset[str]]:
    """The clean stage's batch evidence: per source, the lines repeated across its articles (counted
    with the ``context`` articles of the same sources: already analysed, see :mod:`.incremental`)."""
    context = context_for_sources(context, articles)
    if not context:
        return dict(_clean._repeated_lines(articles))
    # only the lines these articles will ask about are counted: the context can be the whole store
    return dict(_clean._repeated_lines([*context, *articles], only=_clean._asked_lines(articles)))


def evidence_for(chunk: Sequence[Article], repeated: RepeatedLines) -> dict[str, frozenset[str]]:
    """Only the part of ``repeated`` a chunk needs (less to ship to a worker)."""
    return {s: repeated[s] for s in {a.source or "" for a in chunk} if s in repeated}


@lru_cache(maxsize=1)
def _scorer() -> Callable[[Sequence[str]], list[float]]:
    # Loaded once per worker process, not once per chunk.
    return _clean._scorer()


def clean_chunk(chunk: Sequence[Article], repeated: RepeatedLines) -> list[Article]:
    """The clean stage's per-article pass over ``chunk``, given the whole batch's evidence."""
    scorer = _scorer()
    return [_clean._clean_one(a, repeated.get(a.source or "", _NONE), scorer) for a in chunk]


# A worker hands its freed heap back at most this often: a chunk's temporaries stay otherwise, while
# the caller (which links meanwhile) needs the memory
TRIM_SECONDS = 5.0

Tagged = tuple[Article, Sequence[EntityMention]]  # a cleaned, dated article and its entity mentions


def tag_chunk(chunk: Sequence[Article], repeated: RepeatedLines) -> list[Tagged]:
    """First per-article round: clean, the NER model's mentions (one spaCy batch per chunk), and times
    and the publication date (they need no entities)."""
    cleaned = clean_chunk(chunk, repeated)
    if not cleaned:
        return []
    mentions = _annotate._entities([a.text for a in cleaned])
    out = [(_annotate.annotate_dates(a), m) for a, m in zip(cleaned, mentions)]
    return_freed_memory(at_most_every=TRIM_SECONDS)
    return out


def spread(
    texts: Sequence[str], mentions: Sequence[Sequence[EntityMention]], context: Sequence[Article] = ()
) -> list[list[EntityMention]]:
    """The annotate stage's first batch step: names found in one article looked for in all of them
    (and the names of the already analysed ``context`` articles looked for in these)."""
    if not context or not texts:
        return _annotate.add_missed_mentions(texts, mentions) if texts else []
    return _annotate.add_missed_mentions(
        [*(a.text for a in context), *texts], [*(list(a.entities) for a in context), *mentions], first=len(context)
    )


def spread_mentions(tagged: Sequence[Tagged], context: Sequence[Article] = ()) -> list[Tagged]:
    """:func:`spread` over (article, mentions) pairs."""
    found = spread([a.text for a, _ in tagged], [m for _, m in tagged], context)
    return [(a, m) for (a, _), m in zip(tagged, found)]


def annotate_chunk(chunk: Sequence[Tagged]) -> list[Article]:
    """Second per-article round: quantities and quotes, given the batch's names; no cross-article merge."""
    return [_annotate.annotate_attributions(a, ents) for a, ents in chunk]


def process_chunk(chunk: Sequence[Article], repeated: RepeatedLines) -> list[Article]:
    """Both per-article rounds for ``chunk`` alone, its mentions spread within it (tests, one-chunk runs)."""
    return annotate_chunk(spread_mentions(tag_chunk(chunk, repeated)))


_WARM_UP_TEXT = "A headline\n\nThe minister said on Monday that 30 aircraft would leave. \"We are done,\" she said."


def warm_up() -> None:
    """Load the per-article stages' models in this process (a worker's first task): one short made-up
    article through both rounds."""
    process_chunk([Article(id="warm-up", input="warm-up", text=_WARM_UP_TEXT)], {})


MentionKey = tuple[str, int, int]  # (article id, start, end)


def entity_ids(tagged: Sequence[Tagged], context: Sequence[Article] = ()) -> dict[MentionKey, str]:
    """The entity merge's ids of the mentions of ``tagged`` (names spread: see :func:`spread_mentions`),
    merged across them and the ``context``, whose entities keep their stored ids (see
    :mod:`.incremental`)."""
    merged = aliases.merge_entities({a.id: (a.text, a.entities) for a in context}
                                    | {a.id: (a.text, tuple(m)) for a, m in tagged})
    if not context:
        return merged
    new = {a.id for a, _ in tagged}
    ids = {k: v for k, v in merged.items() if k[0] in new}
    stored = stored_ids(merged, context, wanted=set(ids.values()))
    return {k: stored.get(v, v) for k, v in ids.items()}


def merge_entities(annotated: Sequence[Article], context: Sequence[Article] = ()) -> list[Article]:
    """The annotate stage's batch step: entity ids across articles, then each quote's speaker entity.

    ``context``: already analysed articles, merged with these but not changed; an entity shared with
    them keeps their id (see :mod:`.incremental`)."""
    if not annotated:
        return []
    ids = entity_ids([(a, a.entities) for a in annotated], context)
    return [with_speakers(aliases.with_entity_ids(a, ids)) for a in annotated]


def with_speakers(a: Article) -> Article:
    """``a`` (entity ids set) with each quote's speaker entity."""
    speaker = _annotate._speaker_entity
    return replace(a, quotes=tuple(replace(q, entity_id=speaker(q, a.entities, a.text)) for q in a.quotes))


def named(tagged: Sequence[Tagged], context: Sequence[Article] = ()) -> list[Article]:
    """The articles of ``tagged`` holding their mentions, with the entity merge's ids (see
    :func:`entity_ids`): what :func:`merge_entities` makes of them, but for quantities and quotes, which
    :func:`attribution_chunk` adds (an engine can have its workers find them while it links)."""
    ids = entity_ids(tagged, context)
    return [aliases.with_entity_ids(replace(a, entities=tuple(m)), ids) for a, m in tagged]


def attribution_chunk(chunk: Sequence[Article]) -> dict[str, bytes]:
    """Second per-article round after the merge, for :func:`named` articles: quantities, quotes and their
    speakers' entities (:data:`ATTRIBUTIONS`), set aside by article id (see :func:`set_aside`; :func:`put_back`
    with those fields adds them)."""
    out = {}
    for a in chunk:
        done = with_speakers(_annotate.annotate_attributions(a, a.entities))
        out[a.id] = pickle.dumps(tuple(getattr(done, f) for f in ATTRIBUTIONS), pickle.HIGHEST_PROTOCOL)
    return_freed_memory(at_most_every=TRIM_SECONDS)
    return out


# Fields the link stage never reads (tests/test_engine_pool.py checks it), held pickled while it runs:
# at 100k articles their objects are ~0.25 GB, their pickles a third of that. The first two are what
# :func:`attribution_chunk` finds.
ATTRIBUTIONS = ("quotes", "quantities")
CLEAN_SCORES = ("sentence_opinion",)
SET_ASIDE = (*ATTRIBUTIONS, *CLEAN_SCORES)


def set_aside(arts: Sequence[Article], fields: Sequence[str] = SET_ASIDE
              ) -> tuple[list[Article], dict[str, bytes]]:
    """``arts`` without the ``fields`` (default :data:`SET_ASIDE`), and those fields pickled by article id."""
    aside = {a.id: pickle.dumps(tuple(getattr(a, f) for f in fields), pickle.HIGHEST_PROTOCOL) for a in arts}
    empty = dict.fromkeys(fields, ())
    return [replace(a, **empty) for a in arts], aside


def put_back(arts: Sequence[Article], aside: Mapping[str, bytes], fields: Sequence[str] = SET_ASIDE
             ) -> list[Article]:
    """``arts`` with the ``fields`` :func:`set_aside` took from them (others as they are)."""
    return [replace(a, **dict(zip(fields, pickle.loads(aside[a.id])))) if a.id in aside else a for a in arts]


def link_aside(arts: Sequence[Article], existing: Sequence[Story], analysed: Sequence[Article] = ()
               ) -> tuple[list[Article], list[Story]]:
    """:func:`newsdossier.link.link_articles` of ``analysed`` + ``arts``, the :data:`SET_ASIDE` fields of
    ``arts`` held pickled meanwhile (``analysed`` stay the very objects given: the caller knows them so).
    A list ``arts`` is handed over and emptied, so the full articles are not held through link."""
    stripped, aside = set_aside(arts)
    if isinstance(arts, list):
        arts.clear()
    linked, stories = link_articles([*analysed, *stripped], existing)
    return put_back(linked, aside), stories


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), max(1, size))]


def run_batch_stages(
    annotated: Sequence[Article], existing: Sequence[Story], rep: Reporter, analysed: Sequence[Article] = (),
    compare: CompareFn | None = None,
) -> tuple[list[Article], list[Story]]:
    """What follows the per-article work, exactly as in the local engine: entity merge, link, compare.

    ``analysed``: stored analysed articles that join as they are (context for the merge; only the
    stories they and ``annotated`` change are compared, see :mod:`.incremental`). ``compare``: the
    engine's way to compare stories (in chunks on its workers, see :mod:`.compare_split`).

    A list ``annotated`` is handed over: it is emptied once merged, so the articles as they were before
    the merge (their entity and quote tuples) are not held through link and compare."""
    n = len(annotated)
    with rep.stage("annotate (merge)", n):
        arts = merge_entities(annotated, analysed)
    if isinstance(annotated, list):
        annotated.clear()
    with rep.stage("link", n + len(analysed)):
        arts, stories = link_aside(arts, existing, analysed)
    with rep.stage("compare", len(stories)):
        arts, stories = compare_changed(arts, stories, existing, {a.id: a for a in analysed}, compare)
    return arts, stories
