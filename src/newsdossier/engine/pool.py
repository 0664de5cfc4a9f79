"""The process-pool engine: the per-article work of clean and annotate on every core, the rest as local.

Articles go out in chunks (one spaCy ``pipe`` batch each) with the clean stage's batch evidence for
their sources; results come back in order, so the entity merge, link and compare see exactly what the
local engine would (see :mod:`.split`). At most a few chunks per worker are in flight, so memory does
not grow with a second copy of the whole corpus in the pipes.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from ..model import Article, Story
from .progress import Reporter
from .split import RepeatedLines, batch_evidence, chunked, evidence_for, process_chunk, run_batch_stages

CHUNK_SIZE = 32  # one NER batch; small enough to balance two workers on a few hundred articles
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
) -> list[Article]:
    """clean + annotate (per-article parts) of ``articles`` on ``workers`` processes, in input order."""
    rep = reporter or Reporter(quiet=True)
    workers = workers or available_cpus()
    repeated = batch_evidence(articles)
    chunks = chunked(articles, chunk_size)
    out: list[Article] = []
    if workers <= 1 or len(chunks) <= 1:
        results = _in_process(chunks, repeated)
    else:
        results = _in_pool(chunks, repeated, workers)
    for done in results:
        out.extend(done)
        rep.advance(len(done))
    return out


def _in_process(chunks: list[list[Article]], repeated: RepeatedLines) -> Iterator[list[Article]]:
    for chunk in chunks:
        yield process_chunk(chunk, repeated)


def _in_pool(chunks: list[list[Article]], repeated: RepeatedLines, workers: int) -> Iterator[list[Article]]:
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=_context()) as pool:
        pending: deque[Future[list[Article]]] = deque()
        todo = iter(chunks)
        for chunk in todo:
            pending.append(pool.submit(process_chunk, chunk, evidence_for(chunk, repeated)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                break
        try:
            while pending:
                done = pending.popleft().result()
                nxt = next(todo, None)
                if nxt is not None:
                    pending.append(pool.submit(process_chunk, nxt, evidence_for(nxt, repeated)))
                yield done
        except BaseException:  # an error or Ctrl-C: do not wait for the chunks still queued
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def run_stages_pool(
    articles: Sequence[Article],
    existing: Sequence[Story] = (),
    reporter: Reporter | None = None,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> tuple[list[Article], list[Story]]:
    """:func:`newsdossier.engine.local.run_stages`, with the per-article work on ``workers`` processes."""
    rep = reporter or Reporter(quiet=True)
    with rep.stage("clean+annotate", len(articles)):
        annotated = process_articles(articles, workers=workers, chunk_size=chunk_size, reporter=rep)
    return run_batch_stages(annotated, existing, rep)
