"""What this process may start: how many cores it has, and whether forking it is safe.

Shared by the pool engine and the render stage's page workers (neither imports the other).
"""

from __future__ import annotations

import ctypes
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork is fastest (children inherit what is loaded), but forking a multi-threaded process (the
    web app) can deadlock."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


_last_trim = [0.0]


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def return_freed_memory(at_most_every: float = 0.0) -> None:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``). A process keeps the
    pages of a large working set it has freed (link's) for its own later use; when other processes
    (the compare workers) need memory meanwhile, handing them back lowers the run's footprint. A no-op
    where the C library has no ``malloc_trim``, and within ``at_most_every`` seconds of the last trim
    (a trim takes ~10 ms: a worker calls this after every task)."""
    now = time.monotonic()
    if at_most_every and now - _last_trim[0] < at_most_every:
        return
    _last_trim[0] = now
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
