"""The process-pool engine gives exactly the local engine's articles and stories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsdossier.api import example_corpus
from newsdossier.clean import clean_articles
from newsdossier.codec import article_to_dict, story_to_dict
from newsdossier.engine.local import run_stages
from newsdossier.engine.pool import process_articles, run_stages_pool
from newsdossier.engine.split import batch_evidence
from newsdossier.ingest import read_inputs
from newsdossier.model import Article


def _read(paths: list[str]) -> list[Article]:
    return [x for x in read_inputs(paths) if isinstance(x, Article)]


def _as_dicts(result: tuple[list[Article], list]) -> tuple[list[dict], list[dict]]:
    arts, stories = result
    return [article_to_dict(a) for a in arts], [story_to_dict(s) for s in stories]


def test_pool_matches_local_on_the_example_corpus() -> None:
    raw = _read([str(example_corpus())])
    local = run_stages(raw)
    pooled = run_stages_pool(raw, workers=2, chunk_size=2)  # several chunks: the pool really runs
    assert pooled == local  # dataclass equality: every field, exact floats
    # compare's story chunks on the pool too (the example corpus has fewer stories than the default floor)
    assert run_stages_pool(raw, workers=2, chunk_size=2, min_stories=1) == local
    assert _as_dicts(pooled) == _as_dicts(local)


def _outlet_corpus(tmp_path: Path) -> list[Article]:
    """Three articles of one outlet sharing a footer line: evidence only the whole batch has."""
    footer = "The Ledger has covered the valley since 1921."  # furniture only by repetition
    bodies = [
        ("Ferry service to Brill Island resumed on Tuesday after the storm.\n\n"
         "The harbour master said the pier had been repaired overnight."),
        ("Ostheim council approved a new cycle lane along the river on Wednesday.\n\n"
         "Work will start in May and cost 2.4 million crowns, the council said."),
        ("The Ostheim bakery fair drew 3,000 visitors on Saturday.\n\n"
         "Organisers said it was the largest fair since it began in 2009."),
    ]
    path = tmp_path / "ledger.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": f"Headline {i}\n\n{b}\n\n{footer}", "source": "Ostheim Ledger"})
                  for i, b in enumerate(bodies)) + "\n",
        encoding="utf-8",
    )
    return _read([str(path)])


def test_batch_evidence_reaches_every_chunk(tmp_path: Path) -> None:
    raw = _outlet_corpus(tmp_path)
    assert batch_evidence(raw)["Ostheim Ledger"]  # the footer is repeated furniture for this outlet
    local = run_stages(raw)
    # The evidence matters: cleaning each article alone labels the footer differently.
    alone = [clean_articles([a])[0] for a in raw]
    assert [a.segments for a in alone] != [a.segments for a in clean_articles(raw)]
    # One article per chunk: no chunk alone could see the footer repeated.
    assert run_stages_pool(raw, workers=2, chunk_size=1) == local


def _batch_wide_spread(monkeypatch) -> None:
    """Stand in for annotate's batch step with one whose result depends on the whole batch: each
    article gets a mention over its first word only when the batch holds at least three articles."""
    from newsdossier import annotate
    from newsdossier.model import EntityMention

    def spread(texts, mentions):
        if len(texts) < 3:
            return [list(m) for m in mentions]
        return [sorted([*m, EntityMention(0, t.index(" "), "LOC")], key=lambda x: (x.start, x.end))
                for t, m in zip(texts, mentions)]

    monkeypatch.setattr(annotate, "add_missed_mentions", spread)


def test_names_are_spread_over_the_whole_batch_not_each_chunk(tmp_path: Path, monkeypatch) -> None:
    raw = _outlet_corpus(tmp_path)
    _batch_wide_spread(monkeypatch)
    local = run_stages(raw)
    assert all(any(e.start == 0 for e in a.entities) for a in local[0])  # the stand-in ran on the batch
    # One article per chunk: only the caller, where the batch step runs, sees all three.
    assert run_stages_pool(raw, workers=2, chunk_size=1) == local


def test_one_worker_runs_in_process_with_the_same_result(tmp_path: Path) -> None:
    raw = _outlet_corpus(tmp_path)
    assert process_articles(raw, workers=1, chunk_size=1) == process_articles(raw, workers=2, chunk_size=1)


def test_engine_names_are_checked() -> None:
    import pytest

    from newsdossier.engine.choose import run_engine

    with pytest.raises(ValueError, match="unknown engine"):
        run_engine("spark", [])
    with pytest.raises(ValueError, match="dask"):
        run_engine("pool", [], scheduler="tcp://127.0.0.1:8786")
    assert run_engine("pool", []) == ([], [])


def test_pool_matches_local_when_adding_to_analysed_articles() -> None:
    """The incremental case: the stored articles join as analysed, only the new ones go through the pool."""
    from newsdossier.link import StoredStories

    raw = _read([str(example_corpus())])
    first, later = raw[: len(raw) // 2], raw[len(raw) // 2 :]
    memory = StoredStories()
    analysed, stories = run_stages(first, memory)

    def add(run):
        return run(later, StoredStories(stories, memory.fresh), analysed=analysed)

    local = add(run_stages)
    pooled = add(lambda *a, **kw: run_stages_pool(*a, workers=2, chunk_size=1, min_stories=1, **kw))
    assert pooled == local
    assert {a.id for a in local[0]} == {a.id for a in raw}


@pytest.fixture
def pools_started(monkeypatch) -> list:
    """The worker counts of the process pools the pool engine starts (they still run)."""
    from newsdossier.engine import pool

    started = []
    real = pool.ProcessPoolExecutor

    def counting(*args, **kwargs):
        started.append(kwargs.get("max_workers"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", counting)
    return started


def test_one_pool_serves_every_round_of_a_run(pools_started) -> None:
    # clean + NER, annotate and the compare chunks share one set of workers (each start forks
    # processes that load the models again)
    started = pools_started
    raw = _read([str(example_corpus())])
    assert run_stages_pool(raw, workers=2, chunk_size=2, min_stories=1) == run_stages(raw)
    assert started == [2]


def test_a_small_batch_starts_no_workers(monkeypatch) -> None:
    from newsdossier.engine import pool

    def refuse(*args, **kwargs):
        raise AssertionError("workers started for one chunk and few stories")

    monkeypatch.setattr(pool, "ProcessPoolExecutor", refuse)
    raw = _read([str(example_corpus())])
    assert run_stages_pool(raw, workers=2) == run_stages(raw)  # one chunk, stories under the floor


def test_analyze_with_many_new_articles_starts_one_set_of_workers(tmp_path: Path, pools_started) -> None:
    # more than a chunk of new articles: the workers start early (they load their models while the
    # store is read) and the same workers serve every round
    from newsdossier.api import analyze
    from newsdossier.engine import pool

    started = pools_started
    folder = tmp_path / "in"
    folder.mkdir()
    towns = ["Vellmar", "Ostheim", "Lundholm", "Brask", "Tellby"]
    for k in range(pool.CHUNK_SIZE + 8):
        town = towns[k % len(towns)]
        (folder / f"{k:02d}.txt").write_text(
            f"Council of {town} meets, item {k}\n\nThe council of {town} met on Monday to discuss item {k}, "
            f"the mayor said. \"We agreed on {k + 3} points,\" she said.\n", encoding="utf-8")
    pooled = analyze([folder], engine="pool", workers=2)
    assert started == [2]
    local = analyze([folder], engine="local")
    assert [a.story_id for a in pooled.articles] == [a.story_id for a in local.articles]
    assert pooled.stories == local.stories


def test_a_head_start_is_used_when_it_is_the_round_the_run_would_make(monkeypatch) -> None:
    """The incremental case with the first round submitted before the stored analyses are loaded:
    taken as it is when it matches the run, thrown away (and redone) when it does not; the result
    is the local engine's either way."""
    from newsdossier.engine import pool as pool_mod
    from newsdossier.link import StoredStories

    raw = _read([str(example_corpus())])
    first, later = raw[: len(raw) // 2], raw[len(raw) // 2 :]
    memory = StoredStories()
    analysed, stories = run_stages(first, memory)
    local = run_stages(later, StoredStories(stories, memory.fresh), analysed=analysed)
    as_read = [a for a in first]  # the stored articles as read (clean needs their sources and texts)
    used = []
    monkeypatch.setattr(pool_mod.HeadStart, "tagged", lambda self, real=pool_mod.HeadStart.tagged: (
        used.append("tagged"), real(self))[1])
    monkeypatch.setattr(pool_mod.HeadStart, "discard", lambda self, real=pool_mod.HeadStart.discard: (
        used.append("discarded"), real(self))[1])

    for head_articles, expect in ((later, "tagged"), (later[1:], "discarded")):
        used.clear()
        with pool_mod.worker_pool(2) as workers:
            head = pool_mod.head_start(head_articles, as_read, workers, chunk_size=1)
            assert head is not None
            pooled = run_stages_pool(later, StoredStories(stories, memory.fresh), workers=2, chunk_size=1,
                                     analysed=analysed, pool=workers, head=head)
        assert used == [expect]
        assert pooled == local


def test_an_incremental_analyze_on_the_pool_starts_early_and_matches_local(tmp_path: Path, monkeypatch) -> None:
    """A store with analysed articles gets more than a chunk of new ones: the pool engine submits their
    first round before loading the stored analyses, and the dossier is the local engine's."""
    import shutil

    from newsdossier.api import analyze
    from newsdossier.engine import pool as pool_mod

    towns = ["Vellmar", "Ostheim", "Lundholm", "Brask", "Tellby"]

    def write(folder: Path, ks: range) -> Path:
        # one outlet per town, its footer line on every article: clean's evidence spans the store
        folder.mkdir()
        lines = []
        for k in ks:
            town = towns[k % len(towns)]
            lines.append(json.dumps({"source": f"{town} Courier", "text": (
                f"Council of {town} meets, item {k}\n\nThe council of {town} met on Monday to discuss item "
                f"{k}, the mayor said. \"We agreed on {k + 3} points,\" she said.\n\nRead the {town} "
                "Courier every morning.\n")}))
        (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return folder

    n = pool_mod.CHUNK_SIZE + 4
    first, more = write(tmp_path / "first", range(n)), write(tmp_path / "more", range(n, 2 * n))
    analyze([first], db=tmp_path / "a.db", engine="local")
    shutil.copyfile(tmp_path / "a.db", tmp_path / "b.db")
    used = []
    monkeypatch.setattr(pool_mod.HeadStart, "tagged", lambda self, real=pool_mod.HeadStart.tagged: (
        used.append(len(self.ids)), real(self))[1])
    pooled = analyze([more], db=tmp_path / "a.db", engine="pool", workers=2)
    local = analyze([more], db=tmp_path / "b.db", engine="local")
    assert used == [n]
    assert any(s.kind == "boilerplate" for a in pooled.articles for s in a.segments)
    assert pooled.articles == local.articles
    assert pooled.stories == local.stories


def test_link_never_reads_the_fields_set_aside_while_it_runs() -> None:
    """The engines hold quotes and quantities pickled during link (memory): linking without them gives
    the same stories and, once they are put back, the same articles."""
    from newsdossier.annotate import annotate_articles
    from newsdossier.engine.split import SET_ASIDE, put_back, set_aside
    from newsdossier.link import link_articles

    arts = annotate_articles(clean_articles(_read([str(example_corpus())])))
    assert all(any(getattr(a, f) for a in arts) for f in SET_ASIDE)
    stripped, aside = set_aside(arts)
    assert not any(getattr(a, f) for a in stripped for f in SET_ASIDE)
    assert put_back(stripped, aside) == arts
    full, bare = link_articles(arts), link_articles(stripped)
    assert bare[1] == full[1]
    assert put_back(bare[0], aside) == full[0]


def test_the_parent_of_the_pool_does_not_import_spacy() -> None:
    # Only the workers run the NER model; importing spaCy in the parent would delay every run's start
    # (~0.5-1.5 s) before the workers are even forked.
    code = ("import sys; import newsdossier.api, newsdossier.engine.pool, newsdossier.render.json_writer; "
            "print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [d["num_threads"] for d in threadpool_info()]


def test_pool_workers_run_blas_on_one_thread() -> None:
    # a process per core already; BLAS threads on top fought the other worker (1k pool run: 26 s vs 15 s)
    from newsdossier.engine.pool import WorkerPool

    pool = WorkerPool(2)
    pool.start()
    try:
        threads = [t for got in pool.map(_blas_threads, [(), ()]) for t in got]
    finally:
        pool.close()
    assert threads and all(t == 1 for t in threads)


def test_quotes_found_after_the_merge_are_the_ones_found_before_it() -> None:
    """The pool engine finds quantities and quotes after the entity merge (its workers do while it links):
    the articles are those of the order the local engine runs, round, then merge."""
    from newsdossier.engine.split import (
        annotate_chunk, attribution_chunk, merge_entities, named, put_back, spread_mentions, tag_chunk,
    )

    raw = _read([str(example_corpus())])
    tagged = spread_mentions(tag_chunk(raw, batch_evidence(raw)))
    before = merge_entities(annotate_chunk(tagged))
    bare = named(tagged)
    assert not any(a.quotes or a.quantities for a in bare)
    after = put_back(bare, attribution_chunk(bare))
    assert after == before
    assert any(q.entity_id for a in after for q in a.quotes)  # speakers' entities are set too


def test_a_background_round_returns_every_result_and_raises_a_tasks_error() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from newsdossier.engine.background import Background

    with ThreadPoolExecutor(2) as executor:
        calls = [(k,) for k in range(10)]
        slow = Background(executor.submit, lambda k: {k: k * k}, calls, busy_in_flight=1, in_flight=4)
        assert slow.result() == {k: k * k for k in range(10)}

        def fails(k):
            raise ValueError(f"chunk {k} failed")

        with pytest.raises(ValueError, match="chunk 1 failed"):
            Background(executor.submit, fails, [(1,)], busy_in_flight=1, in_flight=2).result()


def test_a_busy_caller_keeps_a_core_until_it_hurries_the_round() -> None:
    """While the caller works, the round keeps ``busy_in_flight`` tasks in flight; then more."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from newsdossier.engine.background import Background

    lock, running, most = threading.Lock(), [0], [0]
    release = threading.Event()

    def task(k):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(timeout=0.05)
        with lock:
            running[0] -= 1
        return {k: k}

    with ThreadPoolExecutor(4) as executor:
        round_ = Background(executor.submit, task, [(k,) for k in range(6)], busy_in_flight=1, in_flight=4)
        threading.Event().wait(0.2)  # the caller is busy meanwhile
        assert most[0] == 1
        assert round_.result() == {k: k for k in range(6)}
