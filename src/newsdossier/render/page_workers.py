"""Story pages rendered by forked worker processes while the caller writes the other outputs.

A large dossier's story pages are most of the time its outputs take (~16 ms a page), and pages are
independent: each worker takes every k-th story, computes its page fingerprint (see
:mod:`.page_manifest`), renders and writes the page when it changed, and returns the fingerprints.
The workers are forked after the analysis, so they read the parent's dossier as it is in memory;
nothing is pickled but story numbers and fingerprints. Forking is only safe from a single-threaded
process (the web app is not one) and only pays off for enough pages: otherwise pages are rendered
in the calling process, with the same result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..processes import available_cpus, can_fork

MIN_PAGES = 64  # below this, forking costs more than it saves

# What the forked workers render: set in the parent just before the fork, read by the children.
_JOB: tuple[Any, Callable[[Any, int], tuple[str, str]]] | None = None


def _render_share(k: int, workers: int, n: int) -> dict[str, str]:
    assert _JOB is not None
    state, render_one = _JOB
    return dict(render_one(state, i) for i in range(k, n, workers))


class PageJob:
    """``render_one(state, i) -> (page name, fingerprint)`` for story ``i`` in ``0..n-1``, started on
    ``workers`` forked processes (or, when that does not pay, run by :meth:`result` in this process)."""

    def __init__(self, state: Any, render_one: Callable[[Any, int], tuple[str, str]], n: int,
                 workers: int | None = None) -> None:
        self.state, self.render_one, self.n = state, render_one, n
        self.workers = min(workers or available_cpus(), n)
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[dict[str, str]]] = []
        if self.workers > 1 and n >= MIN_PAGES and can_fork():
            global _JOB
            _JOB = (state, render_one)
            fork = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=fork)
            self._futures = [self._pool.submit(_render_share, k, self.workers, n)
                             for k in range(self.workers)]

    def result(self) -> dict[str, str]:
        """Page name -> fingerprint for every story, once all pages are written."""
        global _JOB
        if self._pool is None:
            return dict(self.render_one(self.state, i) for i in range(self.n))
        try:
            out: dict[str, str] = {}
            for f in self._futures:
                out.update(f.result())
            return out
        finally:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            _JOB = None
