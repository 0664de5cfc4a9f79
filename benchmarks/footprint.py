"""The memory a run takes on the machine: a process and all its descendants (pool or Dask workers).

Each process's own peak RSS says little about the run: workers' peaks come at other times than the
caller's, and a forked worker's RSS counts pages it shares with its parent. So a thread samples, every
``interval`` seconds, the sum over the process tree of the proportional set size (PSS: a shared page
counts 1/k in each of the k processes mapping it, so the sum is the tree's real footprint) and the
sum of RSS (an upper bound), and keeps the largest sums and when they came. Linux only (PSS comes
from ``/proc/PID/smaps_rollup``, through psutil); elsewhere the watch records nothing. Watch a run
from outside (another process): a watching thread inside it would change the run, as the pool engine
forks its workers only from a single-threaded process.
"""

from __future__ import annotations

import threading
import time


class Footprint:
    """``with Footprint(pid) as fp: ...`` (while process ``pid`` runs); then ``fp.result()``."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.series: list[tuple[float, float, float, int]] = []  # (time.time(), PSS MiB, RSS MiB, processes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="footprint", daemon=True)

    def _sample(self, psutil) -> None:  # noqa: ANN001 - the module
        root = psutil.Process(self.pid)
        pss = rss = 0
        procs = [root, *root.children(recursive=True)]
        for p in procs:
            try:
                info = p.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            pss += getattr(info, "pss", 0)
            rss += info.rss
        self.series.append((time.time(), pss / 2**20, rss / 2**20, len(procs)))

    def _watch(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        while not self._stop.is_set():
            try:
                self._sample(psutil)
            except Exception:  # noqa: BLE001 - a failed sample must not stop the run being measured
                pass
            self._stop.wait(self.interval)

    def __enter__(self) -> Footprint:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peaks_between(self, bounds: list[tuple[str, float, float]]) -> dict[str, float]:
        """The largest PSS sum sampled in each named window (start, end) of ``bounds``."""
        out = {}
        for name, start, end in bounds:
            inside = [pss for t, pss, _, _ in self.series if start <= t <= end]
            if inside:
                out[name] = max(inside)
        return out

    @property
    def samples(self) -> int:
        return len(self.series)

    def result(self) -> dict:
        """The largest PSS sum (MiB), when it came and over how many processes; the largest RSS sum."""
        if not self.series:
            return {"tree_samples": 0}
        when, pss, _, procs = max(self.series, key=lambda x: x[1])
        return {"tree_pss_mb": pss, "tree_rss_mb": max(x[2] for x in self.series), "tree_peak_time": when,
                "tree_processes": procs, "tree_samples": self.samples, "tree_interval_s": self.interval}


if __name__ == "__main__":  # a quick look: a process that fills 200 MiB and forks two workers
    import subprocess
    import sys

    script = ("import multiprocessing as mp, time; b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); "
              "mp.get_context('fork').Pool(2).map(time.sleep, [1, 1])")
    proc = subprocess.Popen([sys.executable, "-c", script])
    with Footprint(proc.pid, interval=0.1) as fp:
        proc.wait()
    print(fp.result())
