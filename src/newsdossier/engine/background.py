"""A round of worker tasks driven from a thread, so that the calling process can work meanwhile.

The pool engine's workers find quotes and quantities while the calling process links: the results are
needed only after linking. :class:`Background` submits the tasks and gathers their results on a thread
of the caller (which mostly waits on the workers' pipes). While the caller is busy it keeps fewer tasks
in flight than there are workers (``busy_in_flight``: one core stays the caller's, whose work is the
run's critical path); after :meth:`hurry` (or once :meth:`result` is asked for) it keeps every worker
busy.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")
Submit = Callable[..., "Future[Mapping[K, V]]"]


class Background(Generic[K, V]):
    """``fn(*args)`` for each of ``calls`` through ``submit`` (an executor's), their dict results merged.
    Started at once; :meth:`result` waits for them and raises what a task raised."""

    def __init__(self, submit: Submit, fn: Callable[..., Mapping[K, V]], calls: Sequence[tuple[Any, ...]],
                 busy_in_flight: int, in_flight: int) -> None:
        self._limits = (max(1, busy_in_flight), max(1, in_flight))
        self._hurry = threading.Event()
        self._results: dict[K, V] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(submit, fn, list(calls)), daemon=True,
                                        name="newsdossier-background-round")
        self._thread.start()

    def _run(self, submit: Submit, fn: Callable[..., Mapping[K, V]], calls: list[tuple[Any, ...]]) -> None:
        pending: deque[Future[Mapping[K, V]]] = deque()
        todo = iter(calls)
        try:
            while True:
                limit = self._limits[1] if self._hurry.is_set() else self._limits[0]
                while len(pending) < limit and (args := next(todo, None)) is not None:
                    pending.append(submit(fn, *args))
                if not pending:
                    return
                self._results.update(pending.popleft().result())
        except BaseException as e:  # noqa: BLE001 - raised again in the caller's thread by result()
            self._error = e
            for f in pending:
                f.cancel()

    def hurry(self) -> None:
        """The caller is free: every worker may take a task now."""
        self._hurry.set()

    def result(self) -> dict[K, V]:
        self.hurry()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._results


def run_here(fn: Callable[..., V], *args: Any) -> Future[V]:
    """An executor's ``submit`` that runs ``fn(*args)`` at once in the calling thread (no workers)."""
    done: Future[V] = Future()
    try:
        done.set_result(fn(*args))
    except Exception as e:  # noqa: BLE001 - met in result(), as a worker's would be
        done.set_exception(e)
    return done
