"""The process-pool engine: the per-article work of clean and annotate on every core, the rest as local.

Articles go out in chunks (one spaCy ``pipe`` batch each) with the clean stage's batch evidence for
their sources, twice (clean + NER; then the rest of annotate, see :mod:`.split`); results come back in order, so the entity merge, link and compare see exactly what the
local engine would (see :mod:`.split`). The compare stage's stories go out in chunks too (see
:mod:`.compare_split`). At most a few chunks per worker are in flight, so memory does
not grow with a second copy of the whole corpus in the pipes.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from ..model import Article, Story
from .compare_split import MIN_STORIES, CompareFn, chunked_compare
from .progress import Reporter
from .split import (
    Tagged,
    annotate_chunk,
    batch_evidence,
    chunked,
    evidence_for,
    run_batch_stages,
    spread_mentions,
    tag_chunk,
)

R = TypeVar("R")

CHUNK_SIZE = 32  # articles per task: small enough to balance two workers on a few hundred articles
IN_FLIGHT_PER_WORKER = 3


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    # fork is fastest (workers inherit the loaded stages) and needs no `if __name__ == "__main__"` guard
    # in the caller's script, but forking a multi-threaded parent (the web app) can deadlock: there,
    # workers fork from a clean single-threaded forkserver that has imported the stages once.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["newsdossier.engine.split"])
        return ctx
    return multiprocessing.get_context("spawn")


def process_articles(
    articles: Sequence[Article],
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    reporter: Reporter | None = None,
    context: Sequence[Article] = (),
) -> list[Article]:
    """clean + annotate (per-article parts) of ``articles`` on ``workers`` processes, in input order.

    Two rounds on the same pool (see :mod:`.split`): clean + NER, then (after the batch's names are
    spread over every article, here) times, quantities and quotes. ``context``: already analysed
    articles for the batch steps (see :mod:`.incremental`).
    """
    rep = reporter or Reporter(quiet=True)
    workers = workers or available_cpus()
    repeated = batch_evidence(articles, context)
    chunks = chunked(articles, chunk_size)
    if not chunks:
        return []
    out: list[Article] = []
    with _runner(workers, len(chunks)) as run:
        tagged: list[Tagged] = []
        for done in run(tag_chunk, [(c, evidence_for(c, repeated)) for c in chunks]):
            tagged.extend(done)
        for done in run(annotate_chunk, [(c,) for c in chunked(spread_mentions(tagged, context), chunk_size)]):
            out.extend(done)
            rep.advance(len(done))
    return out


Run = Callable[[Callable[..., list[R]], Sequence[tuple]], Iterator[list[R]]]


@contextmanager
def _runner(workers: int, n_chunks: int) -> Iterator[Run]:
    """``run(fn, argument tuples)`` -> results in order: in this process, or on one pool for every round."""
    if workers <= 1 or n_chunks <= 1:
        yield lambda fn, calls: (fn(*args) for args in calls)
        return
    with ProcessPoolExecutor(max_workers=min(workers, n_chunks), mp_context=_context()) as pool:
        try:
            yield lambda fn, calls: _ordered(pool, fn, calls, workers * IN_FLIGHT_PER_WORKER)
        except BaseException:  # an error or Ctrl-C: do not wait for the chunks still queued
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _ordered(pool: ProcessPoolExecutor, fn: Callable[..., R], calls: Sequence[tuple], in_flight: int) -> Iterator[R]:
    """``fn(*args)`` for each call on the pool, results in order, at most ``in_flight`` submitted at once
    (so the pipes never hold a second copy of the whole corpus)."""
    pending: deque[Future[R]] = deque()
    todo = iter(calls)
    for args in itertools.islice(todo, in_flight):
        pending.append(pool.submit(fn, *args))
    while pending:
        done = pending.popleft().result()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(pool.submit(fn, *nxt))
        yield done


def run_stages_pool(
    articles: Sequence[Article],
    existing: Sequence[Story] = (),
    reporter: Reporter | None = None,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    analysed: Sequence[Article] = (),
    min_stories: int = MIN_STORIES,
) -> tuple[list[Article], list[Story]]:
    """:func:`newsdossier.engine.local.run_stages`, with the per-article work and (from ``min_stories``
    stories) the compare stage's story chunks on ``workers`` processes."""
    rep = reporter or Reporter(quiet=True)
    workers = workers or available_cpus()
    with rep.stage("clean+annotate", len(articles)):
        annotated = process_articles(articles, workers=workers, chunk_size=chunk_size, reporter=rep,
                                     context=analysed)
    return run_batch_stages(annotated, existing, rep, analysed, compare=pool_compare(workers, min_stories))


def pool_compare(workers: int, min_stories: int = MIN_STORIES) -> CompareFn:
    """The compare stage with its story chunks on ``workers`` processes (see :mod:`.compare_split`);
    in this process when there are fewer than ``min_stories`` stories or one worker."""
    return chunked_compare(lambda n_chunks: _runner(workers, n_chunks), workers,
                           min_stories if workers > 1 else math.inf)
