"""The compare stage cut into independent story chunks, for engines that farm work out.

:func:`newsdossier.compare.compare_stories` compares each story on its own articles, then gives every
article in a story its stance toward that story's headline (the last story naming it, as in a dict
built over the stories in order). Both parts are independent across stories, so an engine can run
them chunk by chunk anywhere: :func:`compare_chunk` compares a run of consecutive stories and stances
the articles those stories own; :func:`compare_in_chunks` cuts the work, runs the chunks through the
engine's ordered map and puts the results back in the sequential order, so they are identical
(``tests/test_engine_compare.py`` checks it).

Uses the compare stage's private ``_with_stance`` (the stance step over some articles and their
stories); when compare makes it public only this module changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace

from .. import compare as _compare
from ..model import Article, Story
from ..processes import return_freed_memory
from .incremental import CompareFn

# stories, their members, articles to stance, and those of them whose stance is known (see compare_stories)
StoryChunk = tuple[list[Story], list[list[Article]], list[Article], dict[str, str]]
StanceUpdate = tuple[int, "str | None"]  # (position in the chunk's owned articles, its new stance)
ChunkResult = tuple[list[Story], list[StanceUpdate]]
OrderedMap = Callable[[Callable[..., ChunkResult], Sequence[tuple]], Iterable[ChunkResult]]

MIN_STORIES = 16  # below this one process compares faster than shipping the stories to workers
CHUNKS_PER_WORKER = 4  # stories vary a lot in size: several chunks per worker even the load out
CHUNK_MEMBERS = 1000  # articles per chunk at most (but a larger story is one chunk): each chunk is
# pickled whole by the caller and unpickled whole by a worker, so its size sets the stage's memory


def warm_up_compare() -> None:
    """Import what the compare stage imports on its first story (scipy's hierarchical clustering,
    ~0.3 s): a worker does it while its parent links, not in its first chunk."""
    for name in ("scipy.cluster.hierarchy", "scipy.spatial.distance"):
        importlib.import_module(name)


def compare_chunk(stories: Sequence[Story], members: Sequence[Sequence[Article]],
                  owned: Sequence[Article], stanced: Mapping[str, str] | None = None
                  ) -> ChunkResult:
    """Compare ``stories`` (each on its ``members``) and stance ``owned``, the articles whose last
    story is among them. Returns the compared stories and the stances the stance step set, by position
    in ``owned``: only the stance changes, so the articles themselves are not sent back (each would
    come back as a second copy of its text and annotations)."""
    compared = [_compare.compare_story(s, m) if m else s for s, m in zip(stories, members)]
    stanced_owned = _compare._with_stance(owned, compared, stanced)
    result = compared, [(k, b.stance) for k, (a, b) in enumerate(zip(owned, stanced_owned)) if b is not a]
    return_freed_memory()  # a large story's working set, while the other workers compare theirs
    return result


def story_chunks(articles: Sequence[Article], stories: Sequence[Story], n_chunks: int,
                 stanced: Mapping[str, str] | None = None) -> list[StoryChunk]:
    """Consecutive runs of ``stories`` of about equal member count, with what each chunk needs."""
    by_id = {a.id: a for a in articles}
    owner: dict[str, int] = {}
    for k, s in enumerate(stories):
        for aid in s.article_ids:
            owner[aid] = k  # the last story naming an article gives its stance headline
    members = [[by_id[i] for i in s.article_ids if i in by_id] for s in stories]
    budget = max(1, -(-sum(len(m) + 1 for m in members) // max(1, n_chunks)))
    bounds, start, load = [], 0, 0
    for k, m in enumerate(members):
        load += len(m) + 1
        if load >= budget:
            bounds.append((start, k + 1))
            start, load = k + 1, 0
    if start < len(stories):
        bounds.append((start, len(stories)))
    owned: list[list[Article]] = [[] for _ in bounds]
    chunk_of = {k: c for c, (lo, hi) in enumerate(bounds) for k in range(lo, hi)}
    for a in articles:
        k = owner.get(a.id)
        if k is not None:
            owned[chunk_of[k]].append(a)
    known = stanced or {}
    return [(list(stories[lo:hi]), members[lo:hi], owned[c], {a.id: known[a.id] for a in owned[c] if a.id in known})
            for c, (lo, hi) in enumerate(bounds)]


def chunk_count(stories: Sequence[Story], workers: int) -> int:
    """Several chunks per worker, and more when that would make chunks of over CHUNK_MEMBERS articles."""
    members = sum(len(s.article_ids) for s in stories)
    return max(max(1, workers) * CHUNKS_PER_WORKER, -(-members // CHUNK_MEMBERS))


def compare_in_chunks(articles: Sequence[Article], stories: Sequence[Story], run: OrderedMap,
                      n_chunks: int, stanced: Mapping[str, str] | None = None) -> tuple[list[Article], list[Story]]:
    """:func:`newsdossier.compare.compare_stories` with the story chunks run through ``run`` (an ordered
    map of a function over argument tuples: a pool's, a Dask client's, or a plain loop)."""
    out_stories: list[Story] = []
    with_stance: dict[str, Article] = {}
    chunks = story_chunks(articles, stories, n_chunks, stanced)
    for (_, _, owned, _), (compared, updates) in zip(chunks, run(compare_chunk, chunks)):
        out_stories.extend(compared)
        # as compare_stories has them: a new article object exactly where the stance step made one
        with_stance.update((owned[k].id, replace(owned[k], stance=label)) for k, label in updates)
    return [with_stance.get(a.id, a) for a in articles], out_stories


def chunked_compare(open_map: Callable[[int], AbstractContextManager[OrderedMap]], workers: int,
                    min_stories: float = MIN_STORIES) -> CompareFn:
    """An engine's compare stage: below ``min_stories`` stories in this process (shipping them costs more),
    else :func:`chunk_count` story chunks through the ordered map ``open_map(n_chunks)`` opens."""
    def compare(articles: Sequence[Article], stories: Sequence[Story],
                stanced: Mapping[str, str] | None = None) -> tuple[list[Article], list[Story]]:
        if len(stories) < min_stories:
            return _compare.compare_stories(articles, stories, stanced)
        n_chunks = chunk_count(stories, workers)
        with open_map(n_chunks) as run:
            return compare_in_chunks(articles, stories, run, n_chunks, stanced)
    return compare
