"""A round of worker tasks driven from a thread, so that the calling process can work meanwhile.

The pool engine's workers find quotes and quantities while the calling process links: its results are
needed only after linking. :class:`Background` submits the tasks and gathers the results on a thread of
the caller (which mostly waits on the workers' pipes), keeping a few tasks in flight per worker as
:meth:`WorkerPool.map` does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Background:
    """``fn(*args)`` for each call through ``run_map`` (``WorkerPool.map``), its dict results merged.
    Started at once; :meth:`result` waits for them and raises what a task raised."""

    def __init__(self, run_map: Callable[..., Iterable[Mapping[K, V]]], fn: Callable[..., Mapping[K, V]],
                 calls: list[tuple[Any, ...]]) -> None:
        self._results: dict[K, V] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(run_map, fn, calls), daemon=True,
                                        name="newsdossier-background-round")
        self._thread.start()

    def _run(self, run_map: Callable[..., Iterable[Mapping[K, V]]], fn: Callable[..., Mapping[K, V]],
             calls: list[tuple[Any, ...]]) -> None:
        try:
            for done in run_map(fn, calls):
                self._results.update(done)
        except BaseException as e:  # noqa: BLE001 - raised again in the caller's thread by result()
            self._error = e

    def result(self) -> dict[K, V]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._results
