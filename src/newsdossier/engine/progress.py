"""What a run tells the person at the terminal: a progress bar, stage timings, warnings.

Everything goes to stderr, so ``--json -`` keeps stdout clean. The bar appears only on a terminal,
only without ``--quiet``, and only once a run has lasted ~2 s (short runs stay silent).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

SHOW_AFTER_SECONDS = 2.0


class Reporter:
    def __init__(self, quiet: bool = False, verbose: int = 0, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.stream = stream or sys.stderr
        self.timings: dict[str, float] = {}  # wall seconds per stage
        self.cpu_timings: dict[str, float] = {}  # this process's CPU seconds per stage (not pool/Dask workers')
        self.peak_rss_mb: dict[str, float] = {}  # this process's peak RSS so far, at the end of each stage
        self._started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None
        self._console: Any = None

    @property
    def _interactive(self) -> bool:
        return not self.quiet and hasattr(self.stream, "isatty") and self.stream.isatty()

    def _console_(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.stream, highlight=False)
        return self._console

    def info(self, message: str) -> None:
        if not self.quiet:
            self._console_().print(message, markup=False)

    def warn(self, message: str) -> None:
        # Rejections are always shown: a user must learn that an input was skipped.
        self._console_().print(f"warning: {message}", markup=False, style="yellow")

    def debug(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self._console_().print(message, markup=False, style="dim")

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[None]:
        """Time a stage; drive the bar's description and total while it runs."""
        t0, c0 = time.perf_counter(), time.process_time()
        self._update(description=name, total=total, completed=0)
        try:
            yield
        finally:
            dt = time.perf_counter() - t0
            self.timings[name] = self.timings.get(name, 0.0) + dt
            self.cpu_timings[name] = self.cpu_timings.get(name, 0.0) + time.process_time() - c0
            if resource is not None:  # kilobytes on Linux
                self.peak_rss_mb[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.debug(f"{name}: {dt:.2f} s")

    def advance(self, n: int = 1) -> None:
        self._update(advance=n)

    def _update(self, **kw: Any) -> None:
        if not self._interactive:
            return
        if self._progress is None:
            if time.monotonic() - self._started < SHOW_AFTER_SECONDS:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._console_(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("newsdossier", total=None)
        kw = {k: v for k, v in kw.items() if v is not None or k == "total"}
        self._progress.update(self._task, **kw)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
