"""The process-pool engine: the per-article work of clean and annotate on every core, the rest as local.

Articles go out in chunks (one spaCy ``pipe`` batch each) with the clean stage's batch evidence for
their sources, twice (clean + NER + dates; then, once the entities are merged here, quantities and quotes,
found while this process links, which never reads them; see :mod:`.split`); results come back in order, so
the entity merge, link and compare see exactly what the local engine would. The compare stage's stories go
out in chunks too (see :mod:`.compare_split`). At most a few chunks per worker are in flight, so memory does
not grow with a second copy of the whole corpus in the pipes.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TypeVar

from ..annotate.entities import NER_BATCH
from ..link import link_articles
from ..model import Article, Story
from ..processes import available_cpus, can_fork, return_freed_memory
from .compare_split import MIN_STORIES, CompareFn, chunked_compare, warm_up_compare
from .background import Background, run_here
from .incremental import compare_changed, context_for_sources
from .progress import Reporter
from .split import (
    ATTRIBUTIONS,
    CLEAN_SCORES,
    Tagged,
    annotate_chunk,
    attribution_chunk,
    batch_evidence,
    chunked,
    evidence_for,
    named,
    put_back,
    set_aside,
    spread_mentions,
    tag_chunk,
    warm_up,
)

R = TypeVar("R")

CHUNK_SIZE = 32  # articles per task: small enough to balance two workers on a few hundred articles
CHUNKS_PER_WORKER = 4  # at least this many chunks per worker when the batch is small
IN_FLIGHT_PER_WORKER = 3


def _context() -> multiprocessing.context.BaseContext:
    # fork is fastest (workers inherit the loaded stages) and needs no `if __name__ == "__main__"` guard
    # in the caller's script, but forking a multi-threaded parent (the web app) can deadlock: there,
    # workers fork from a clean single-threaded forkserver that has imported the stages once.
    if can_fork():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["newsdossier.engine.split"])
        return ctx
    return multiprocessing.get_context("spawn")


def one_blas_thread() -> None:
    """A worker's set-up: its numpy products on one thread. The pool already runs a process per core;
    BLAS threads on top (OpenBLAS starts one per core for a large enough product, as the quote
    tagger's network makes) only fight the other workers for the cores: a 1k-article pool run's
    clean + annotate took 26.4 s with them, 15.0 s without."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


class WorkerPool:
    """Worker processes shared by every round of one run (clean + NER, annotate, compare), started
    on first use. ``workers <= 1``: everything runs in this process."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def start(self, warm: bool = False) -> None:
        """Start the workers; ``warm``: each loads the per-article models at once (while this
        process goes on with a batch step) instead of on its first chunk."""
        if self._pool is None and self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(),
                                             initializer=one_blas_thread)
            for _ in range(self.workers if warm else 0):
                self._pool.submit(warm_up)

    def prepare(self, fn: Callable[[], object]) -> None:
        """``fn()`` submitted once per worker, not waited for: a later round's set-up (imports) done while
        this process works alone. A worker that fails it meets the error again in that round."""
        if self._pool is not None:
            for _ in range(self.workers):
                self._pool.submit(fn)

    def map(self, fn: Callable[..., R], calls: Sequence[tuple], in_flight: int | None = None) -> Iterator[R]:
        """``fn(*args)`` for each call, results in order: on the workers when there is more than one call
        (the first ``in_flight`` submitted at once, default a few per worker)."""
        if self.workers <= 1 or len(calls) <= 1:
            return (fn(*args) for args in calls)
        self.start()
        assert self._pool is not None
        return _ordered(self._pool, fn, calls, in_flight or self.workers * IN_FLIGHT_PER_WORKER)

    def submit(self, fn: Callable[..., R], *args: object) -> Future[R]:
        """``fn(*args)`` on a worker (in this thread with one worker)."""
        if self.workers <= 1:
            return run_here(fn, *args)
        self.start()
        assert self._pool is not None
        return self._pool.submit(fn, *args)

    def close(self, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
            self._pool = None


@contextmanager
def worker_pool(workers: int) -> Iterator[WorkerPool]:
    pool = WorkerPool(workers)
    try:
        yield pool
    except BaseException:  # an error or Ctrl-C: do not wait for the chunks still queued
        pool.close(cancel=True)
        raise
    pool.close()


def process_articles(
    articles: Sequence[Article],
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    reporter: Reporter | None = None,
    context: Sequence[Article] = (),
    pool: WorkerPool | None = None,
    head: HeadStart | None = None,
) -> list[Article]:
    """clean + annotate (per-article parts) of ``articles`` on ``workers`` processes, in input order.

    Two rounds on the same pool (see :mod:`.split`): clean + NER + dates, then (after the batch's names
    are spread over every article, here) quantities and quotes. ``context``: already analysed
    articles for the batch steps (see :mod:`.incremental`). ``pool``: the run's workers (default: a
    pool of ``workers`` for this call). ``head``: the first round, already submitted (see
    :class:`HeadStart`; used only if it is the one this call would make).
    """
    if pool is None:
        with worker_pool(workers or available_cpus()) as own:
            return process_articles(articles, chunk_size=chunk_size, reporter=reporter, context=context, pool=own)
    rep = reporter or Reporter(quiet=True)
    tagged = first_round(articles, pool, chunk_size, rep, context, head)
    chunk_size = balanced_chunk_size(len(articles), pool.workers, chunk_size)
    out: list[Article] = []
    spread = chunked(spread_mentions(tagged, context), chunk_size)
    del tagged
    for chunk, done in zip(spread, pool.map(annotate_chunk, [(c,) for c in spread])):
        out.extend(_text_of(a, raw) for a, (raw, _) in zip(done, chunk))
    return out


def first_round(articles: Sequence[Article], pool: WorkerPool, chunk_size: int, rep: Reporter,
                context: Sequence[Article] = (), head: HeadStart | None = None) -> list[Tagged]:
    """The clean + NER + dates round of ``articles`` on ``pool``, in input order (``head``: see
    :func:`process_articles`)."""
    tagged: list[Tagged] = []
    if head is not None and not head.matches(articles, context, chunk_size):
        head.discard()
        head = None
    chunk_size = balanced_chunk_size(len(articles), pool.workers, chunk_size)
    if head is not None:
        tagged = [(_text_of(a, raw), m) for (a, m), raw in zip(head.tagged(), articles)]
        rep.advance(len(tagged))
        return tagged
    chunks = chunked(articles, chunk_size)
    if not chunks:
        return []
    if len(chunks) > 1:
        pool.start(warm=True)  # the workers load their models while the batch evidence is counted here
    repeated = batch_evidence(articles, context)
    calls = [(c, evidence_for(c, repeated)) for c in chunks]
    for (chunk, _), done in zip(calls, pool.map(tag_chunk, calls)):
        tagged.extend((_text_of(a, raw), m) for (a, m), raw in zip(done, chunk))
        rep.advance(len(done))
    return tagged


def _text_of(a: Article, sent: Article) -> Article:
    """``a`` as it came back from a worker, holding the text object of ``sent``, the article that went
    out (clean and annotate never change the text): one copy of each text in this process, not one per
    round trip (at 100k articles each copy is ~0.3 GB held until the end of the run)."""
    if a.text is sent.text or a.text != sent.text:
        return a
    return replace(a, text=sent.text)


def balanced_chunk_size(n: int, workers: int, largest: int = CHUNK_SIZE) -> int:
    """Articles per chunk: ``largest``, or less when that would leave a worker idle at the end (a
    small batch: 100 articles in chunks of 32 give one worker 64 and the other 36). A multiple of
    the NER batch (unless ``largest`` is smaller), so the chunks' spaCy batches are the ones the
    local engine makes."""
    if n <= largest:
        return largest  # one chunk: run in this process (see WorkerPool.map)
    per_worker = -(-n // max(1, workers * CHUNKS_PER_WORKER))
    return max(NER_BATCH, min(largest, -(-per_worker // NER_BATCH) * NER_BATCH))


def _ordered(pool: ProcessPoolExecutor, fn: Callable[..., R], calls: Sequence[tuple], in_flight: int) -> Iterator[R]:
    """``fn(*args)`` for each call on the pool, results in order, at most ``in_flight`` submitted at once
    (so the pipes never hold a second copy of the whole corpus). The first are submitted now, not when
    the results are first asked for (see :class:`HeadStart`)."""
    pending: deque[Future[R]] = deque()
    todo = iter(calls)
    for args in itertools.islice(todo, in_flight):
        pending.append(pool.submit(fn, *args))
    return _results(pool, fn, pending, todo)


def _results(pool: ProcessPoolExecutor, fn: Callable[..., R], pending: deque[Future[R]],
             todo: Iterator[tuple]) -> Iterator[R]:
    while pending:
        done = pending.popleft().result()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(pool.submit(fn, *nxt))
        yield done


@dataclass
class HeadStart:
    """The first per-article round (clean + NER) of an incremental run's new articles, on the workers
    while the caller loads the stored analyses (one process decoding the store would otherwise leave
    the other cores idle). :func:`process_articles` takes its results only when it is asked for exactly
    these articles (ids, order) with exactly this clean context (the stored articles of their sources),
    so the batch evidence and chunks are those it would make itself; otherwise they are thrown away."""

    ids: list[str]
    context_ids: frozenset[str]
    chunk_size: int
    results: Iterator[list[Tagged]]

    def matches(self, articles: Sequence[Article], context: Sequence[Article], chunk_size: int) -> bool:
        return (chunk_size == self.chunk_size and [a.id for a in articles] == self.ids
                and frozenset(a.id for a in context_for_sources(context, articles)) == self.context_ids)

    def tagged(self) -> list[Tagged]:
        return [t for done in self.results for t in done]

    def discard(self) -> None:
        """Wait for the submitted chunks and drop them (an error there is the caller's to meet again)."""
        try:
            for _ in self.results:
                pass
        except Exception:  # noqa: BLE001 - redone by the caller, which raises it then
            pass


HEAD_START_MAX = 2_000  # articles whose chunks are all submitted at once (more: a few per worker)


def head_start(articles: Sequence[Article], context: Sequence[Article], pool: WorkerPool | None,
               chunk_size: int = CHUNK_SIZE) -> HeadStart | None:
    """Submit the clean + NER round of ``articles`` (as read; ``context``: the stored articles their
    clean evidence is counted with, as read) to ``pool`` now; None when there is nothing to overlap."""
    if pool is None or pool.workers <= 1 or not articles:
        return None
    chunks = chunked(articles, balanced_chunk_size(len(articles), pool.workers, chunk_size))
    if len(chunks) <= 1:
        return None
    pool.start(warm=True)
    repeated = batch_evidence(articles, context)
    calls = [(c, evidence_for(c, repeated)) for c in chunks]
    results = pool.map(tag_chunk, calls, in_flight=len(calls) if len(articles) <= HEAD_START_MAX else None)
    return HeadStart([a.id for a in articles], frozenset(a.id for a in context_for_sources(context, articles)),
                     chunk_size, results)


def run_stages_pool(
    articles: Sequence[Article],
    existing: Sequence[Story] = (),
    reporter: Reporter | None = None,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    analysed: Sequence[Article] = (),
    min_stories: int = MIN_STORIES,
    pool: WorkerPool | None = None,
    head: HeadStart | None = None,
) -> tuple[list[Article], list[Story]]:
    """:func:`newsdossier.engine.local.run_stages`, with the per-article work and (from ``min_stories``
    stories) the compare stage's story chunks on ``workers`` processes (one pool for the whole run).
    ``pool``: workers the caller started (see :func:`early_workers`); they are left to it. ``head``: the
    first round of ``articles``, submitted by the caller (see :func:`head_start`)."""
    if pool is None:
        with worker_pool(workers or available_cpus()) as own:
            return run_stages_pool(articles, existing, reporter, workers, chunk_size, analysed, min_stories, own)
    rep = reporter or Reporter(quiet=True)
    n = len(articles)
    with rep.stage("clean+annotate", n):
        tagged = spread_mentions(first_round(articles, pool, chunk_size, rep, analysed, head), analysed)
    with rep.stage("annotate (merge)", n):
        arts, scores = set_aside(named(tagged, analysed), CLEAN_SCORES)  # linking never reads them
        del tagged
        # Linking never reads quantities or quotes: the workers find them while this process links, on
        # one core fewer than there are, which is this process's until it is done.
        calls = [(c,) for c in chunked(arts, balanced_chunk_size(n, pool.workers, chunk_size))]
        attributions = Background(pool.submit if len(calls) > 1 else run_here, attribution_chunk, calls,
                                  busy_in_flight=pool.workers - 1,
                                  in_flight=pool.workers * IN_FLIGHT_PER_WORKER)
        del calls
    pool.prepare(warm_up_compare)  # the compare stage's imports, on a worker with nothing else to do
    with rep.stage("link", n + len(analysed)):
        arts, stories = link_articles([*analysed, *arts], existing)
    return_freed_memory()  # link's working set: the workers need memory now, this process little
    attributions.hurry()
    with rep.stage("annotate (quotes)", n):  # what the workers have not finished while linking
        arts = put_back(put_back(arts, attributions.result(), ATTRIBUTIONS), scores, CLEAN_SCORES)
    with rep.stage("compare", len(stories)):
        return compare_changed(arts, stories, existing, {a.id: a for a in analysed},
                               pool_compare(pool.workers, min_stories, pool=pool))


@contextmanager
def early_workers(workers: int | None, expected: int) -> Iterator[WorkerPool | None]:
    """Workers started now, loading their models while the caller loads the store, when about
    ``expected`` articles will need cleaning and annotating (more than one chunk); else None."""
    if expected <= CHUNK_SIZE:
        yield None
        return
    with worker_pool(workers or available_cpus()) as pool:
        pool.start(warm=True)
        yield pool


def pool_compare(workers: int, min_stories: int = MIN_STORIES, pool: WorkerPool | None = None) -> CompareFn:
    """The compare stage with its story chunks on ``workers`` processes (see :mod:`.compare_split`);
    in this process when there are fewer than ``min_stories`` stories or one worker. ``pool``: the
    run's workers (default: a pool started for the stage)."""
    @contextmanager
    def open_map(n_chunks: int) -> Iterator[Callable]:
        if pool is not None:
            yield pool.map
        else:
            with worker_pool(min(workers, n_chunks)) as own:
                yield own.map

    return chunked_compare(open_map, workers, min_stories if workers > 1 else math.inf)
