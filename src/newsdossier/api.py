"""The public API: :func:`analyze`. The CLI is a thin layer over it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import BinaryIO, TypeVar

from .engine.choose import engine_workers, run_engine, start_first_round
from .collector import fewer_collections, frozen_heap, no_collections
from .engine.incremental import ANALYSIS_VERSION
from .engine.progress import Reporter
from .ingest import DEFAULT_MAX_BYTES, read_inputs
from .link.records import LinkRecord, StoredStories
from .model import Article, Dossier, Rejected, Story, utc_now
from .store import Store

T = TypeVar("T")
BATCH_SIZE = 200


def example_corpus() -> Path:
    """The folder of the example corpus shipped with the package (fictional, written by the project)."""
    return Path(str(resources.files("newsdossier") / "data" / "example"))


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    reporter: Reporter | None = None,
    batch_size: int = BATCH_SIZE,
) -> tuple[int, list[Rejected]]:
    """Read ``paths`` into ``store``, one transaction per batch. Returns (articles added, rejections)."""
    rep = reporter or Reporter(quiet=True)
    added = 0
    rejected: list[Rejected] = []
    with rep.stage("read"):
        for batch in _batched(read_inputs([os.fspath(p) for p in paths], max_bytes=max_bytes, stdin=stdin), batch_size):
            articles = [x for x in batch if isinstance(x, Article)]
            rejected.extend(x for x in batch if isinstance(x, Rejected))
            added += store.add_articles(articles)
            rep.advance(len(batch))
    return added, rejected


def _stored_stories(store: Store) -> StoredStories:
    """The store's stories with the link records of their articles, so linking only computes new ones.
    The records linking makes are written to the store as they come (committed with the analysis)."""
    records = {}
    for aid, blob in store.link_records().items():
        record = LinkRecord.from_bytes(blob)
        if record is not None:  # written by another record version: that article is linked afresh
            records[aid] = record
    return StoredStories(store.stories(), records, fresh=_RecordWriter(store))


class _RecordWriter:
    """Link records encoded and staged in the store as linking makes them (see :class:`StoredStories`)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def update(self, pairs: Iterable[tuple[str, LinkRecord]], /) -> None:
        self.store.stage_link_records((aid, record.to_bytes()) for aid, record in pairs)


def reusable_analyses(store: Store, existing: StoredStories) -> dict[str, Article]:
    """Stored analysed articles that need no new analysis: produced by :data:`ANALYSIS_VERSION`, with a
    link record, and a member of the stored story they name (else they are analysed again)."""
    story_of = {aid: s.id for s in existing for aid in s.article_ids}
    return {
        a.id: a
        for a in store.analysed_articles(ANALYSIS_VERSION)
        if a.id in existing.records and a.story_id is not None and story_of.get(a.id) == a.story_id
    }


def analyse_store(
    store: Store,
    *,
    reporter: Reporter | None = None,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
) -> tuple[list[Article], list[Story]]:
    """Analyse a store's articles and save the result; return every article and story.

    Incremental: articles whose stored analysis is current are reused, only the others are cleaned and
    annotated, and only the stories that change are compared (see :mod:`newsdossier.engine.incremental`).
    """
    rep = reporter or Reporter(quiet=True)
    # the pool engine's workers start before the store is read (they load their models meanwhile)
    with engine_workers(engine, workers, store.count_unanalysed(ANALYSIS_VERSION)) as pool:
        head, todo = None, None
        analysed = store.count_analysed(ANALYSIS_VERSION)
        if pool is not None and analysed:
            # an incremental run: the new articles' first round goes to the workers before the stored
            # analyses are decoded here (for that round, clean needs only their sources' texts)
            todo = store.unanalysed_articles(ANALYSIS_VERSION)
            head = start_first_round(
                pool, todo, store.analysed_articles_as_read(ANALYSIS_VERSION, {a.source for a in todo if a.source}))
        with frozen_heap():  # the stored analyses stay to the end of the run: never rescanned
            with rep.stage("load stored"), no_collections(freeze=True):
                existing = _stored_stories(store)
                reused = reusable_analyses(store, existing)  # in storage order
                # every current analysis reused: the articles to analyse are exactly the unanalysed ones
                all_reused = todo is not None and len(reused) == analysed
                raw = todo if all_reused else store.raw_articles(skip=reused)
            articles, stories = run_engine(
                engine,
                raw,
                existing,
                reporter=rep,
                workers=workers,
                scheduler=scheduler,
                analysed=list(reused.values()),
                pool=pool,
                head=head,
            )
    with rep.stage("store"):
        unchanged = [a.id for a in articles if reused.get(a.id) is a]
        stored = {s.id: s for s in existing}
        same = [s.id for s in stories if s.id in stored and (stored[s.id] is s or stored[s.id] == s)]
        store.save_analysis(articles, stories, analysis_version=ANALYSIS_VERSION, unchanged=unchanged,
                            unchanged_stories=same)
    return articles, stories


def analyze(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    db: str | os.PathLike[str] = ":memory:",
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    reporter: Reporter | None = None,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
) -> Dossier:
    """Read ``paths`` into the store at ``db``, analyse every stored article and return the dossier.

    ``paths``: files, folders, archives, or ``"-"`` for ``stdin`` (default: the process's stdin).
    ``db``: an SQLite file (created if missing; re-reading stored content adds nothing) or
    ``":memory:"`` (the default here; the CLI defaults to ``./newsdossier.db``).
    The dossier covers every article in the store, not only this call's inputs, so a store grows
    into one picture; ``rejected`` lists this call's inputs that could not be read.
    ``engine``: ``local`` (one process), ``pool`` (``workers`` processes, default every core) or
    ``dask`` (a local Dask cluster, or the one at ``scheduler``); all give identical results.
    Stored articles already analysed by this analysis version are not analysed again, and stories
    no new article changes keep their stored comparison (see :func:`analyse_store`).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    rep = reporter or Reporter(quiet=True)
    try:
        with Store(db) as store, fewer_collections():
            _, rejected = ingest(paths, store, max_bytes=max_bytes, stdin=stdin, reporter=rep)
            articles, stories = analyse_store(store, reporter=rep, engine=engine, workers=workers,
                                              scheduler=scheduler)
    finally:
        rep.close()
    articles.sort(key=lambda a: (a.input, a.id))
    return Dossier(
        articles=tuple(articles), stories=tuple(stories), rejected=tuple(rejected), generated_at=utc_now()
    )
