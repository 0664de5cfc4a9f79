"""Pick an engine by name: ``local`` (one process), ``pool`` (every core), ``dask`` (a Dask cluster).

All three give identical articles and stories; they differ only in where the per-article work runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..model import Article, Story
from .progress import Reporter

ENGINES = ("local", "pool", "dask")


def run_engine(
    engine: str,
    articles: Sequence[Article],
    existing: Sequence[Story] = (),
    *,
    reporter: Reporter | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    analysed: Sequence[Article] = (),
    pool: Any = None,
    head: Any = None,
) -> tuple[list[Article], list[Story]]:
    """Run the stages on ``engine``. ``workers``: processes (pool) or local Dask workers (default: the
    cores); ``scheduler``: a Dask scheduler address (dask only; default: a local cluster).
    ``analysed``: articles analysed by an earlier run (as stored), reused as they are: only
    ``articles`` are cleaned and annotated, only changed stories compared (see :mod:`.incremental`).
    ``pool``: the pool engine's workers when :func:`engine_workers` started them; ``head``: what
    :func:`start_first_round` submitted to them."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise ValueError("a scheduler address needs the dask engine (--engine dask)")
    if engine == "local":
        from .local import run_stages

        return run_stages(articles, existing, reporter=reporter, analysed=analysed)
    if engine == "pool":
        from .pool import run_stages_pool

        return run_stages_pool(articles, existing, reporter=reporter, workers=workers, analysed=analysed,
                               pool=pool, head=head)
    from .dask_engine import run_stages_dask
    from ..processes import available_cpus

    return run_stages_dask(articles, existing, scheduler=scheduler, workers=workers or available_cpus(),
                           reporter=reporter, analysed=analysed)


@contextmanager
def engine_workers(engine: str, workers: int | None, expected: int) -> Iterator[Any]:
    """For the pool engine, when about ``expected`` articles will need analysing: workers started
    now, so they load their models while the caller reads the store (pass them to :func:`run_engine`).
    None otherwise."""
    if engine != "pool":
        yield None
        return
    from .pool import early_workers

    with early_workers(workers, expected) as pool:
        yield pool


def start_first_round(pool: Any, articles: Sequence[Article], context: Sequence[Article]) -> Any:
    """With the pool engine's workers: the clean + NER round of ``articles`` (as read) submitted now,
    ``context`` being the stored analysed articles of their sources (as read), so it runs while the
    caller loads the stored analyses; pass the result to :func:`run_engine` (which uses it only if
    it is the round it would submit itself). None without workers."""
    if pool is None:
        return None
    from .pool import head_start

    return head_start(articles, context, pool)
