"""What this process may start: how many cores it has, and whether forking it is safe.

Shared by the pool engine and the render stage's page workers (neither imports the other).
"""

from __future__ import annotations

import multiprocessing
import os
import threading


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork is fastest (children inherit what is loaded), but forking a multi-threaded process (the
    web app) can deadlock."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
