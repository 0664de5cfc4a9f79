"""The Dask engine (a LocalCluster of 2 worker processes) gives exactly the local engine's results."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")
pytest.importorskip("pyarrow", reason="the dask extra is not installed")

from newsdossier.api import example_corpus
from newsdossier.engine.dask_engine import (
    DaskEngineError,
    articles_from_table,
    partition_table,
    run_stages_dask,
)
from newsdossier.engine.local import run_stages
from newsdossier.engine.progress import Reporter
from newsdossier.ingest import read_inputs
from newsdossier.model import Article

TIMEOUT = 60.0  # seconds for the cluster to start or answer; a hung CI run fails instead of hanging


@pytest.fixture(scope="module")
def raw() -> list[Article]:
    return [x for x in read_inputs([str(example_corpus())]) if isinstance(x, Article)]


@pytest.fixture(scope="module")
def local(raw: list[Article]):
    return run_stages(raw)


def test_parquet_partition_round_trip_is_exact(local) -> None:
    arts, _ = local
    assert articles_from_table(partition_table(arts, 0)) == arts


def test_local_cluster_matches_local_engine(raw, local, tmp_path: Path) -> None:
    # The default cluster (2 worker processes); partitions of 3: several tasks per worker, results
    # reassembled in order. With a work_dir the Parquet files stay there.
    work = tmp_path / "parts"
    # min_stories=1: compare's story chunks run on the cluster too
    rep = Reporter(quiet=True)
    result = run_stages_dask(raw, workers=2, work_dir=str(work), partition_size=3, timeout=TIMEOUT, min_stories=1,
                             reporter=rep)
    assert result == local
    assert len(list(work.glob("part-*.parquet"))) == 4
    # the cluster starts and loads its models before the per-article work is timed
    assert list(rep.timings)[:2] == ["cluster start", "clean+annotate"]


def test_remote_scheduler_without_shared_folder(raw, local) -> None:
    from distributed import LocalCluster

    # Threads, not processes (fast to start): also checks that multi-threaded workers stay exact.
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        # A scheduler address, no work_dir: workers send the Parquet bytes back to the client.
        assert run_stages_dask(raw, scheduler=cluster.scheduler_address, partition_size=2, timeout=TIMEOUT) == local


def test_names_are_spread_over_the_whole_batch_not_each_partition(raw, monkeypatch) -> None:
    from distributed import LocalCluster

    from newsdossier import annotate
    from newsdossier.model import EntityMention

    def spread(texts, mentions):  # annotate's batch step, stood in by one that needs the whole batch
        if len(texts) < len(raw):
            return [list(m) for m in mentions]
        return [sorted([*m, EntityMention(0, 1, "LOC")], key=lambda x: (x.start, x.end)) for m in mentions]

    monkeypatch.setattr(annotate, "add_missed_mentions", spread)
    expected = run_stages(raw)
    assert all(any(e.start == 0 for e in a.entities) for a in expected[0])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert run_stages_dask(raw, scheduler=cluster.scheduler_address, partition_size=2, timeout=TIMEOUT) == expected


def test_unreachable_scheduler_is_a_clear_error(raw) -> None:
    with pytest.raises(DaskEngineError, match="tcp://127.0.0.1:9"):
        run_stages_dask(raw[:1], scheduler="tcp://127.0.0.1:9", timeout=2)
