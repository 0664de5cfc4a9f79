"""The compare stage in story chunks (pool or Dask) gives exactly the sequential compare's results."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsdossier.annotate import annotate_articles
from newsdossier.api import example_corpus
from newsdossier.clean import clean_articles
from newsdossier.compare import compare_stories
from newsdossier.engine.compare_split import compare_in_chunks, story_chunks
from newsdossier.engine.pool import pool_compare
from newsdossier.ingest import read_inputs
from newsdossier.link import link_articles
from newsdossier.model import Article


@pytest.fixture(scope="module")
def linked():
    raw = [x for x in read_inputs([str(example_corpus())]) if isinstance(x, Article)]
    return link_articles(annotate_articles(clean_articles(raw)))


def _loop(fn, calls):
    return (fn(*args) for args in calls)


@pytest.mark.parametrize("n_chunks", [1, 2, 3, 50])
def test_chunks_in_one_process_match_sequential(linked, n_chunks: int) -> None:
    arts, stories = linked
    assert len(stories) >= 2  # several chunks really form
    assert compare_in_chunks(arts, stories, _loop, n_chunks) == compare_stories(arts, stories)


def test_chunks_cover_each_story_once_in_order(linked) -> None:
    arts, stories = linked
    chunks = story_chunks(arts, stories, 3)
    assert [s for c in chunks for s in c[0]] == list(stories)
    owned = [a.id for c in chunks for a in c[2]]
    assert sorted(owned) == sorted({aid for s in stories for aid in s.article_ids})


def test_an_article_in_two_stories_takes_the_last_ones_headline(linked) -> None:
    arts, stories = linked
    shared = stories[0].article_ids[0]
    # The same article named by a later story too: sequential compare stances it toward the later one.
    twisted = [*stories[:-1], replace(stories[-1], article_ids=(*stories[-1].article_ids, shared))]
    expected = compare_stories(arts, twisted)
    for n_chunks in (1, 2, len(twisted)):
        assert compare_in_chunks(arts, twisted, _loop, n_chunks) == expected


def test_pool_compare_matches_sequential(linked) -> None:
    arts, stories = linked
    assert pool_compare(workers=2, min_stories=1)(arts, stories) == compare_stories(arts, stories)


def test_few_stories_stay_in_process(linked, monkeypatch) -> None:
    from newsdossier.engine import pool

    arts, stories = linked

    def no_pool(*a, **kw):
        raise AssertionError("a pool was started for a few stories")

    monkeypatch.setattr(pool, "worker_pool", no_pool)
    assert pool_compare(workers=2, min_stories=len(stories) + 1)(arts, stories) == compare_stories(arts, stories)


def test_chunks_keep_known_stances_as_the_sequential_compare_does(linked, monkeypatch) -> None:
    import newsdossier.compare as compare

    arts, stories = linked
    asked: list[str] = []

    def fake(headlines, bodies):
        asked.extend(headlines)
        return ["discuss"] * len(headlines)

    monkeypatch.setattr(compare, "_stance_function", lambda: fake)
    owner = {aid: s.headline for s in stories for aid in s.article_ids}
    stanced = {aid: owner[aid] for aid in list(owner)[::2]}  # every other article's stance is known
    expected = compare_stories(arts, stories, stanced)
    n_asked = len(asked)
    assert n_asked < len(owner)
    for n_chunks in (1, 3):
        asked.clear()
        assert compare_in_chunks(arts, stories, _loop, n_chunks, stanced) == expected
        assert len(asked) == n_asked


def test_chunks_stay_small_however_many_articles(monkeypatch) -> None:
    """A chunk is pickled and unpickled whole: many articles make more chunks, not larger ones."""
    from newsdossier.engine import compare_split
    from newsdossier.model import Story

    monkeypatch.setattr(compare_split, "CHUNK_MEMBERS", 10)
    stories = [Story(id=f"s{k}", headline="h", article_ids=tuple(f"a{k}-{i}" for i in range(3))) for k in range(40)]
    assert compare_split.chunk_count(stories[:4], workers=2) == 8  # a few per worker (load balance)
    n = compare_split.chunk_count(stories, workers=2)  # 120 articles
    assert n == 12
    arts = [Article(id=aid, input=aid, text="x") for s in stories for aid in s.article_ids]
    assert max(sum(len(s.article_ids) for s in c[0]) for c in story_chunks(arts, stories, n)) <= 10 + 3
