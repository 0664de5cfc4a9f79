"""The Dask engine: the per-article work of clean and annotate on a Dask cluster, the rest as local.

The client computes the clean stage's batch evidence (cheap), cuts the articles into partitions and
ships each with the evidence for its sources. A worker cleans its partition and tags entity mentions;
the client gathers the partitions, spreads the names found over the whole batch (annotate's batch step,
see :mod:`.split`) and ships each cleaned partition out again with its mentions: a worker annotates it
and writes the result as one Parquet file (one row per article: position, id, source, opinion_share and the
article as ``newsdossier/1`` JSON). The client reads the files back in partition order and runs the
entity merge, link and compare exactly as the local engine does (see :mod:`.split`), so the results
are identical.

Where the files go: ``work_dir`` when given — it must be readable by the client and writable by every
worker (a local folder for a ``LocalCluster``, a shared mount or an fsspec URL such as ``s3://bucket/run``
for several machines). Without it, a temporary folder on the client: a ``LocalCluster``'s workers
write there directly; a remote cluster's workers send the Parquet bytes back and the client writes
them. Needs the ``dask`` extra: ``pip install 'newsdossier[dask]'``.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import math
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import Any

from ..codec import article_from_dict, article_to_dict
from ..collector import raise_young_threshold
from ..model import Article, EntityMention, Story
from .compare_split import MIN_STORIES, ChunkResult, CompareFn, chunked_compare, compare_chunk
from .progress import Reporter
from .split import (
    RepeatedLines,
    Tagged,
    annotate_chunk,
    batch_evidence,
    chunked,
    evidence_for,
    run_batch_stages,
    spread,
    tag_chunk,
)
from .split import warm_up as warm_stages  # this module's warm_up adds the worker's settings

MIN_PARTITION, MAX_PARTITION = 16, 500
PARTITIONS_PER_WORKER = 8  # enough to balance uneven partitions (two rounds, a barrier between), few enough to keep task overhead low
TASK_RETRIES = 2  # a partition whose worker died (killed, restarted by its nanny) runs again elsewhere
# The stages are not thread-safe (the sentence splitter shares one pysbd segmenter) and hold the GIL
# anyway: on a worker started with several threads, partitions take turns.
_STAGE_LOCK = threading.Lock()


class DaskEngineError(RuntimeError):
    """Dask is missing, or the cluster cannot be reached."""


def _distributed() -> Any:
    try:
        import distributed
        import pyarrow  # noqa: F401  (checked early: workers need it too)
    except ImportError as e:
        raise DaskEngineError(
            f"the dask engine needs dask.distributed and pyarrow ({e.name} is missing): "
            "pip install 'newsdossier[dask]'"
        ) from e
    return distributed


# --- Parquet, one file per partition ----------------------------------------------------------------

def partition_table(articles: Sequence[Article], first_position: int) -> Any:
    import pyarrow as pa

    return pa.table({
        "position": pa.array(range(first_position, first_position + len(articles)), pa.int64()),
        "id": pa.array([a.id for a in articles], pa.string()),
        "source": pa.array([a.source for a in articles], pa.string()),
        # The JSON codec rounds opinion_share for people; the exact float travels in its own column.
        "opinion_share": pa.array([a.opinion_share for a in articles], pa.float64()),
        "article": pa.array([json.dumps(article_to_dict(a), ensure_ascii=False) for a in articles], pa.string()),
    })


def articles_from_table(table: Any) -> list[Article]:
    cols = table.to_pydict()
    return [
        replace(article_from_dict(json.loads(doc)), opinion_share=share)
        for doc, share in zip(cols["article"], cols["opinion_share"])
    ]


def _write(table: Any, path: str) -> None:
    import fsspec
    import pyarrow.parquet as pq

    with fsspec.open(path, "wb") as f:
        pq.write_table(table, f)


def read_partition(path: str) -> list[Article]:
    import fsspec
    import pyarrow.parquet as pq

    with fsspec.open(path, "rb") as f:
        return articles_from_table(pq.read_table(f))


def tag_partition(chunk: Sequence[Article], repeated: RepeatedLines) -> list[Tagged]:
    """A worker's first task: clean one partition and tag its entity mentions (kept on the worker)."""
    with _STAGE_LOCK:
        return tag_chunk(chunk, repeated)


def run_partition(
    tagged: Sequence[Tagged], mentions: Sequence[Sequence[EntityMention]], first_position: int, path: str | None
) -> str | bytes:
    """A worker's second task: annotate one cleaned partition with the batch's mentions; write it to
    ``path``, or return the Parquet bytes."""
    import pyarrow.parquet as pq

    with _STAGE_LOCK:
        done = annotate_chunk([(a, m) for (a, _), m in zip(tagged, mentions)])
    table = partition_table(done, first_position)
    if path is not None:
        _write(table, path)
        return path
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def warm_up() -> None:
    """Load every stage's models on this worker (the first real partition would otherwise pay for it;
    see :func:`.split.warm_up`). Also sets the worker's young-generation GC
    threshold as an analysis run sets its own (see :mod:`newsdossier.collector`): a pool worker
    inherits it, a Dask worker starts with CPython's default."""
    raise_young_threshold()
    with _STAGE_LOCK:
        warm_stages()


# --- the cluster ---------------------------------------------------------------------------------------

@contextmanager
def _client(scheduler: str | None, workers: int, timeout: float) -> Iterator[Any]:
    distributed = _distributed()
    try:
        if scheduler:
            with distributed.Client(scheduler, timeout=timeout) as client:
                yield client
            return
        # One thread per worker process: the stages are pure Python and hold the GIL. The workers'
        # statistical profiler (a stack walk of the task thread every 10 ms, for the dashboard we do
        # not start) only takes the GIL from the stages. Dask starts workers with
        # MALLOC_TRIM_THRESHOLD_=65536, so glibc hands freed heap back to the system at once and the
        # next allocation faults fresh pages in again (the stages allocate and free arrays all the
        # time): 1,000 articles took ~10% longer with it. A remote cluster keeps its own settings.
        import dask

        environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
        environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        with dask.config.set({"distributed.worker.profile.enabled": False,
                              "distributed.nanny.pre-spawn-environ": environ}), distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR, timeout=timeout,
        ) as cluster, distributed.Client(cluster, timeout=timeout) as client:
            yield client
    except OSError as e:  # distributed raises OSError subclasses (TimeoutError) when it cannot connect
        raise DaskEngineError(f"dask scheduler {scheduler or '(local cluster)'}: {e}") from e


@contextmanager
def _work_dir(work_dir: str | None) -> Iterator[str]:
    if work_dir is not None:
        import fsspec

        fs, root = fsspec.core.url_to_fs(work_dir)
        fs.makedirs(root, exist_ok=True)
        yield work_dir.rstrip("/")
        return
    tmp = tempfile.mkdtemp(prefix="newsdossier-dask-")
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def partition_size_for(n: int, workers: int) -> int:
    return max(MIN_PARTITION, min(MAX_PARTITION, math.ceil(n / max(1, workers * PARTITIONS_PER_WORKER))))


def process_on_dask(
    articles: Sequence[Article],
    *,
    scheduler: str | None = None,
    workers: int = 2,
    work_dir: str | None = None,
    partition_size: int | None = None,
    timeout: float = 60.0,
    reporter: Reporter | None = None,
    context: Sequence[Article] = (),
) -> list[Article]:
    """clean + annotate (per-article parts) of ``articles`` on a Dask cluster, in input order.
    ``context``: already analysed articles for the batch steps (see :mod:`.incremental`)."""
    if not articles:
        return []
    with _client(scheduler, workers, timeout) as client:
        return _process_with_client(client, articles, scheduler=scheduler, workers=workers, work_dir=work_dir,
                                    partition_size=partition_size, reporter=reporter, context=context)


def _process_with_client(
    client: Any,
    articles: Sequence[Article],
    *,
    scheduler: str | None,
    workers: int,
    work_dir: str | None,
    partition_size: int | None,
    reporter: Reporter | None,
    context: Sequence[Article],
) -> list[Article]:
    """:func:`process_on_dask` on an open client (``articles`` not empty)."""
    rep = reporter or Reporter(quiet=True)
    # Workers of a remote cluster cannot see the client's temporary folder: they return bytes.
    shared = work_dir is not None or scheduler is None
    repeated = batch_evidence(articles, context)
    size = partition_size or partition_size_for(len(articles), workers)
    parts = chunked(articles, size)
    with _work_dir(work_dir) as wd:
        paths = [f"{wd}/part-{i:05d}.parquet" for i in range(len(parts))]
        run = uuid.uuid4().hex[:12]  # task keys unique across clients sharing a scheduler
        # Round 1: clean + NER + dates. The partition travels inside the task (at most MAX_PARTITION
        # articles, a few MB), not scattered: scattered data dies with its worker, a task can be rerun
        # elsewhere.
        first = [
            client.submit(tag_partition, part, evidence_for(part, repeated),
                          key=f"newsdossier-{run}-tag-{i}", pure=False, retries=TASK_RETRIES)
            for i, part in enumerate(parts)
        ]
        # The cleaned partitions come back for the batch step and go out again with round 2, so any
        # worker can take any partition: left on the worker that cleaned them, round 2 inherited
        # round 1's split of the work, and one worker sat idle while the other finished its share.
        tagged: list[Any] = []
        for i in range(len(first)):
            tagged.append(first[i].result())
            first[i] = None  # type: ignore[call-overload]
        spread_out = iter(spread([a.text for a in articles], [m for t in tagged for _, m in t], context))
        # Round 2: quantities and quotes (times came with round 1), then one Parquet file per partition.
        futures = [
            client.submit(
                run_partition, t, list(itertools.islice(spread_out, len(part))), i * size,
                paths[i] if shared else None, key=f"newsdossier-{run}-part-{i}", pure=False, retries=TASK_RETRIES,
            )
            for i, (t, part) in enumerate(zip(tagged, parts))
        ]
        out: list[Article] = []
        for i in range(len(futures)):  # in order: the batch stages see the local engine's order
            result = futures[i].result()
            # Dropping the futures lets the workers free the partition (cleaned and annotated) now.
            futures[i] = tagged[i] = None  # type: ignore[call-overload]
            if isinstance(result, bytes):
                with open(paths[i], "wb") as f:
                    f.write(result)
            out.extend(read_partition(paths[i]))
            rep.advance(len(parts[i]))
        return out


def run_stages_dask(
    articles: Sequence[Article],
    existing: Sequence[Story] = (),
    scheduler: str | None = None,
    workers: int = 2,
    *,
    work_dir: str | None = None,
    partition_size: int | None = None,
    timeout: float = 60.0,
    reporter: Reporter | None = None,
    analysed: Sequence[Article] = (),
    min_stories: int = MIN_STORIES,
) -> tuple[list[Article], list[Story]]:
    """:func:`newsdossier.engine.local.run_stages` with the per-article work and the compare stage's
    story chunks on Dask (``min_stories``: fewer stories are compared on the client).

    ``scheduler``: a scheduler address (``tcp://host:8786``); default: a ``LocalCluster`` of
    ``workers`` single-threaded processes, started and stopped here.
    """
    rep = reporter or Reporter(quiet=True)
    with ExitStack() as stack:
        opened: list[Any] = []

        def client() -> Any:  # the cluster starts only when there is work for it
            if not opened:
                opened.append(stack.enter_context(_client(scheduler, workers, timeout)))
            return opened[0]

        if articles:  # start the cluster and load the models on every worker before the work is timed
            with rep.stage("cluster start"):
                client().run(warm_up)
        with rep.stage("clean+annotate", len(articles)):
            annotated = _process_with_client(
                client(), articles, scheduler=scheduler, workers=workers, work_dir=work_dir,
                partition_size=partition_size, reporter=rep, context=analysed,
            ) if articles else []
        return run_batch_stages(annotated, existing, rep, analysed,
                                compare=dask_compare(client, workers, min_stories))


def compare_on_worker(stories: Sequence[Story], members: Sequence[Sequence[Article]],
                      owned: Sequence[Article], stanced: dict[str, str]) -> ChunkResult:
    with _STAGE_LOCK:
        return compare_chunk(stories, members, owned, stanced)


def dask_compare(client: Callable[[], Any], workers: int, min_stories: int = MIN_STORIES) -> CompareFn:
    """The compare stage with its story chunks as tasks on the cluster of ``client()`` (see
    :mod:`.compare_split`); on the client when there are fewer than ``min_stories`` stories."""
    @contextmanager
    def on_cluster(n_chunks: int) -> Iterator[Callable[..., Iterator[ChunkResult]]]:
        def ordered(fn: Any, calls: Sequence[tuple]) -> Iterator[ChunkResult]:
            run, c = uuid.uuid4().hex[:12], client()
            futures = [c.submit(compare_on_worker, *args, key=f"newsdossier-{run}-compare-{i}", pure=False,
                                retries=TASK_RETRIES) for i, args in enumerate(calls)]
            for i in range(len(futures)):
                yield futures[i].result()
                futures[i] = None  # let the cluster free the chunk now
        yield ordered

    return chunked_compare(on_cluster, workers, min_stories)
