"""Story pages rendered by forked worker processes while the caller writes the other outputs.

A large dossier's story pages are most of the time its outputs take (~8 ms a page), and pages are
independent: each worker takes every k-th of the stories to render and writes their pages. The
workers are forked after the analysis, so they read the parent's dossier as it is in memory; nothing
is pickled but story numbers. Forking is only safe from a single-threaded process (the web app is not
one) and only pays off for enough pages: otherwise pages are rendered in the calling process, with
the same result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..processes import available_cpus, can_fork

MIN_PAGES = 64  # below this, forking costs more than it saves

# What the forked workers render: set in the parent just before the fork, read by the children.
_JOB: tuple[Any, Callable[[Any, int], None], Sequence[int]] | None = None


def _render_share(k: int, workers: int) -> None:
    assert _JOB is not None
    state, render_one, todo = _JOB
    for i in todo[k::workers]:
        render_one(state, i)


class PageJob:
    """``render_one(state, i)`` for each story ``i`` in ``todo``, started on ``workers`` forked
    processes (or, when that does not pay, run by :meth:`wait` in this process)."""

    def __init__(self, state: Any, render_one: Callable[[Any, int], None], todo: Sequence[int],
                 workers: int | None = None) -> None:
        self.state, self.render_one, self.todo = state, render_one, list(todo)
        self.workers = min(workers or available_cpus(), len(self.todo))
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[None]] = []
        if self.workers > 1 and len(self.todo) >= MIN_PAGES and can_fork():
            global _JOB
            _JOB = (state, render_one, self.todo)
            fork = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=fork)
            self._futures = [self._pool.submit(_render_share, k, self.workers) for k in range(self.workers)]

    def wait(self) -> None:
        """Return once every page of ``todo`` is written."""
        global _JOB
        if self._pool is None:
            for i in self.todo:
                self.render_one(self.state, i)
            return
        try:
            for f in self._futures:
                f.result()
        finally:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            _JOB = None
