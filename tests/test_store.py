from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsdossier.model import Article, Published, Segment, Story, article_id
from newsdossier.store import SCHEMA_VERSION, Store, StoreError


def make(text: str, name: str = "x.txt", **kw) -> Article:
    return Article(id=article_id(text), input=name, text=text, **kw)


def test_add_is_idempotent_and_keeps_first_input(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        a = make("One article.", "a.txt")
        same = make("One   article.\n", "copy.txt")  # same normalised text, so the same id
        assert a.id == same.id
        assert store.add_articles([a]) == 1
        assert store.add_articles([same, make("Another.", "b.txt")]) == 1
        assert store.count_articles() == 2
        assert [x.input for x in store.raw_articles()] == ["a.txt", "b.txt"]


def test_round_trip_of_metadata_and_reader_segments(tmp_path: Path) -> None:
    text = "Main text.\n\nA reader comment."
    a = make(
        text,
        source="The Courier",
        url="https://example.org/x",
        title="T",
        external_id="42",
        published=Published("2020-01-02", "metadata"),
        segments=(Segment("reader_comment", 12, len(text)),),
    )
    with Store(tmp_path / "s.db") as store:
        store.add_articles([a])
    with Store(tmp_path / "s.db") as store:
        (b,) = store.raw_articles()
    assert b == a


def test_analysis_and_stories_are_replaced_not_duplicated(tmp_path: Path) -> None:
    a = make("Some text here.")
    story = Story(id="s_1", headline="H", article_ids=(a.id,))
    with Store(tmp_path / "s.db") as store:
        store.add_articles([a])
        for _ in range(2):
            store.save_analysis([a], [story])
        assert store.stories() == [story]
        assert store.analysed_articles() == [a]


def test_wal_mode_and_schema_version(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="s.db"):
        Store(path)


def test_failed_batch_leaves_nothing_half_written(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        good = make("Good text.")
        bad = Article(id="z", input="bad", text=None)  # type: ignore[arg-type]  # NOT NULL violation
        with pytest.raises(sqlite3.IntegrityError):
            store.add_articles([good, bad])
        assert store.count_articles() == 0
        assert store.add_articles([good]) == 1


def test_a_version_1_store_is_upgraded_in_place(tmp_path: Path) -> None:
    from newsdossier.store.sqlite import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    conn.execute("INSERT INTO articles (id, input, text) VALUES ('a1', 'x.txt', 'Some text.')")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.count_articles() == 1
        assert store.link_records() == {}
        store.save_link_records([("a1", b"record")])
        assert store.link_records() == {"a1": b"record"}


def test_a_version_2_store_keeps_its_analyses_stamped_as_unknown(tmp_path: Path) -> None:
    """Analyses written before version stamps open fine and read as version 0: analysed again once."""
    from newsdossier.store.sqlite import MIGRATIONS

    a = make("Some text here.")
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version = 2;")
    conn.commit()
    conn.close()
    with Store(path) as store:
        store.add_articles([a])
        store.conn.execute("INSERT INTO analyses (article_id, story_id, data) SELECT id, NULL, '{}' FROM articles")
        store.conn.commit()
    with Store(path) as store:
        assert store.conn.execute("SELECT analysis_version FROM analyses").fetchall() == [(0,)]
        assert store.analysed_articles(analysis_version=3) == []
        store.save_analysis([a], [], analysis_version=3)
        assert store.analysed_articles(analysis_version=3) == [a]


def test_unchanged_analyses_are_not_rewritten(tmp_path: Path) -> None:
    a, b = make("First text here.", "a.txt"), make("Second text here.", "b.txt")
    with Store(tmp_path / "s.db") as store:
        store.add_articles([a, b])
        store.save_analysis([a, b], [], analysis_version=1)
        store.save_analysis([a, b], [], analysis_version=2, unchanged=[a.id])
        rows = dict(store.conn.execute("SELECT article_id, analysis_version FROM analyses"))
        assert rows == {a.id: 1, b.id: 2}


def test_unchanged_stories_are_kept_gone_ones_deleted(tmp_path: Path) -> None:
    a, b, c = make("First text here."), make("Second text here."), make("Third text here.")
    s1, s2 = Story(id="s_1", headline="One", article_ids=(a.id,)), Story(id="s_2", headline="Two", article_ids=(b.id,))
    with Store(tmp_path / "s.db") as store:
        store.add_articles([a, b, c])
        store.save_analysis([a, b, c], [s1, s2])
        # s_1 is declared unchanged: its stored row stays even though this object says otherwise
        # (the caller's promise is what saves the write); s_2 is gone, s_3 is new.
        s3 = Story(id="s_3", headline="Three", article_ids=(c.id,))
        store.save_analysis([a, b, c], [Story(id="s_1", headline="Other", article_ids=(a.id,)), s3],
                            unchanged=[a.id, b.id, c.id], unchanged_stories=["s_1"])
        assert store.stories() == [s1, s3]
        store.save_analysis([a, b, c], [Story(id="s_1", headline="New", article_ids=(a.id,))])
        assert [s.headline for s in store.stories()] == ["New"]


def test_staged_link_records_commit_with_the_analysis_and_vanish_without_it(tmp_path: Path) -> None:
    """Records staged during a run are stored only by the save that follows (one transaction)."""
    a = make("An article to link.")
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.add_articles([a])
        store.stage_link_records([(a.id, b"record")])
    with Store(path) as store:  # closed without a save: nothing was stored
        assert store.link_records() == {}
        store.stage_link_records([(a.id, b"record")])
        store.save_analysis([a], [])
    with Store(path) as store:
        assert store.link_records() == {a.id: b"record"}
        assert [x.id for x in store.analysed_articles()] == [a.id]
