"""Story pages rendered by forked worker processes and the caller, once it has written the other outputs.

A large dossier's story pages are most of the time its outputs take (~8 ms a page), and pages are
independent: the workers and then the caller take the next page to render from one shared counter
until none is left. The workers are forked after the analysis, so they read the parent's dossier as it
is in memory; nothing is pickled. The caller renders too (``workers - 1`` are forked): a forked process
pays for every page of the parent's memory it touches (copy on write), ~1.4x the caller's time a page
here, and the caller has nothing else left to do. Forking is only safe from a single-threaded process
(the web app is not one) and only pays off for enough pages: otherwise pages are rendered in the
calling process, with the same result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..processes import available_cpus, can_fork

MIN_PAGES = 64  # below this, forking costs more than it saves

# What the forked workers render: set in the parent just before the fork, read by the children.
_JOB: tuple[Any, Callable[[Any, int], None], Sequence[int], Any] | None = None


def _render_from(job: tuple[Any, Callable[[Any, int], None], Sequence[int], Any]) -> None:
    """Render the pages of ``todo`` whose turn the shared counter gives this process, until none is left."""
    state, render_one, todo, counter = job
    while True:
        with counter.get_lock():
            k = counter.value
            counter.value = k + 1
        if k >= len(todo):
            return
        render_one(state, todo[k])


def _render_share() -> None:
    assert _JOB is not None
    _render_from(_JOB)


class PageJob:
    """``render_one(state, i)`` for each story ``i`` in ``todo``, started on ``workers - 1`` forked
    processes, with this one joining in :meth:`wait` (or, when forking does not pay, all in :meth:`wait`)."""

    def __init__(self, state: Any, render_one: Callable[[Any, int], None], todo: Sequence[int],
                 workers: int | None = None) -> None:
        self.state, self.render_one, self.todo = state, render_one, list(todo)
        self.workers = min(workers or available_cpus(), len(self.todo))
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[None]] = []
        self._job: tuple[Any, Callable[[Any, int], None], Sequence[int], Any] | None = None
        if self.workers > 1 and len(self.todo) >= MIN_PAGES and can_fork():
            global _JOB
            fork = multiprocessing.get_context("fork")
            self._job = _JOB = (state, render_one, self.todo, fork.Value("q", 0))
            self._pool = ProcessPoolExecutor(self.workers - 1, mp_context=fork)
            self._futures = [self._pool.submit(_render_share) for _ in range(self.workers - 1)]

    def wait(self) -> None:
        """Render the pages still left here, then return once every page of ``todo`` is written."""
        global _JOB
        if self._pool is None or self._job is None:
            for i in self.todo:
                self.render_one(self.state, i)
            return
        try:
            _render_from(self._job)
            for f in self._futures:
                f.result()
        finally:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            _JOB = None
