"""The embedded store: one SQLite file (WAL mode) beside the pipeline.

Articles are keyed by their content hash (:func:`newsdossier.model.article_id`), so storing the same
text twice is a no-op and a run killed half-way and started again never duplicates anything: every
batch is one transaction, committed or not at all. Analysed articles and stories are kept as
``newsdossier/1`` JSON (see :mod:`newsdossier.codec`), so the store and the dossier cannot drift.

Schema versions are tracked with ``PRAGMA user_version``; :data:`MIGRATIONS` upgrades an older file
in place, and a newer file than this package knows is refused rather than damaged.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Container, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..codec import article_from_dict, article_to_dict, loads_json, story_from_dict, story_to_dict
from ..model import Article, Published, Segment, Story

MIGRATIONS: tuple[str, ...] = (
    # version 1: articles as read, their analysis, stories
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        input TEXT NOT NULL,
        external_id TEXT,
        source TEXT,
        url TEXT,
        title TEXT,
        published_date TEXT,
        published_basis TEXT NOT NULL DEFAULT 'unknown',
        language TEXT NOT NULL DEFAULT 'en',
        text TEXT NOT NULL,
        reader_segments TEXT NOT NULL DEFAULT '[]',
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_source ON articles(source);
    CREATE INDEX articles_published ON articles(published_date);
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX analyses_story ON analyses(story_id);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        event_date TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX stories_event_date ON stories(event_date);
    """,
    # version 2: what linking keeps per article, so an incremental add only computes the new articles
    """
    CREATE TABLE link_records (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        data BLOB NOT NULL
    );
    """,
    # version 3: which analysis version produced each stored analysis (0: unknown, so analysed again once)
    """
    ALTER TABLE analyses ADD COLUMN analysis_version INTEGER NOT NULL DEFAULT 0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


RAW_COLUMNS = (
    "id, input, external_id, source, url, title, published_date, published_basis, language, text, reader_segments"
)
# the same columns of the ``articles`` table aliased ``a`` (for joins with the analyses ``an``)
RAW_COLUMNS_OF_A = ", ".join(f"a.{c.strip()}" for c in RAW_COLUMNS.split(","))
_NOT_ANALYSED = ("FROM articles a LEFT JOIN analyses an ON an.article_id = a.id AND an.analysis_version = ? "
                 "WHERE an.article_id IS NULL")


def article_from_row(row: Sequence[Any]) -> Article:
    """An article as read, from the first 11 columns of a ``SELECT RAW_COLUMNS`` row."""
    return Article(
        id=row[0],
        input=row[1],
        external_id=row[2],
        source=row[3],
        url=row[4],
        title=row[5],
        published=Published(row[6], row[7]),
        language=row[8],
        text=row[9],
        segments=tuple(Segment(k, s, e) for k, s, e in json.loads(row[10])),
    )


class StoreError(Exception):
    """The store file cannot be used (not SQLite, from a newer version, unwritable)."""


class Store:
    """A newsdossier store. ``path`` is a file path or ``":memory:"``."""

    def __init__(self, path: str | Path = "newsdossier.db") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30.0)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable newsdossier store ({e})") from e

    def _migrate(self) -> None:
        (version,) = self.conn.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {version} is newer than this newsdossier "
                f"understands ({SCHEMA_VERSION}); upgrade newsdossier"
            )
        for v in range(version, SCHEMA_VERSION):
            with self.conn:
                self.conn.executescript("BEGIN;" + MIGRATIONS[v] + f"PRAGMA user_version = {v + 1};COMMIT;")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- articles as read -------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article]) -> int:
        """Store a batch in one transaction; return how many were new (the rest were already stored)."""
        rows = [
            (
                a.id,
                a.input,
                a.external_id,
                a.source,
                a.url,
                a.title,
                a.published.date,
                a.published.basis,
                a.language,
                a.text,
                json.dumps([[s.kind, s.start, s.end] for s in a.segments]),
            )
            for a in articles
        ]
        with self.conn:
            before = self.conn.total_changes
            self.conn.executemany(
                "INSERT INTO articles (id, input, external_id, source, url, title, published_date,"
                " published_basis, language, text, reader_segments) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(id) DO NOTHING",
                rows,
            )
            return self.conn.total_changes - before

    def count_articles(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def count_unanalysed(self, analysis_version: int) -> int:
        """How many stored articles have no analysis by ``analysis_version``."""
        return self.conn.execute(f"SELECT count(*) {_NOT_ANALYSED}", (analysis_version,)).fetchone()[0]

    def count_analysed(self, analysis_version: int) -> int:
        """How many stored articles have an analysis by ``analysis_version``."""
        return self.conn.execute(
            "SELECT count(*) FROM analyses WHERE analysis_version = ?", (analysis_version,)).fetchone()[0]

    def unanalysed_articles(self, analysis_version: int) -> list[Article]:
        """The stored articles (as read) with no analysis by ``analysis_version``, in storage order."""
        rows = self.conn.execute(f"SELECT {RAW_COLUMNS_OF_A} {_NOT_ANALYSED} ORDER BY a.seq", (analysis_version,))
        return [article_from_row(row) for row in rows]

    def analysed_articles_as_read(self, analysis_version: int, sources: Iterable[str]) -> list[Article]:
        """The stored articles (as read, no analysis) from ``sources`` that have an analysis by
        ``analysis_version``, in storage order."""
        rows = self.conn.execute(
            f"SELECT {RAW_COLUMNS_OF_A} FROM articles a JOIN analyses an ON an.article_id = a.id "
            "AND an.analysis_version = ? WHERE a.source IN (SELECT value FROM json_each(?)) ORDER BY a.seq",
            (analysis_version, json.dumps(sorted(set(sources)))))
        return [article_from_row(row) for row in rows]

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def raw_articles(self, skip: Container[str] = ()) -> list[Article]:
        """Every stored article as read (no analysis), in the order they were first stored; ``skip``:
        ids not to read (an incremental run needs only the articles it analyses)."""
        rows = self.conn.execute(f"SELECT {RAW_COLUMNS} FROM articles ORDER BY seq")
        return [article_from_row(row) for row in rows if row[0] not in skip]

    # --- analysis results -------------------------------------------------------------------
    def save_analysis(
        self,
        articles: Iterable[Article],
        stories: Iterable[Story],
        *,
        analysis_version: int = 0,
        unchanged: Iterable[str] = (),
        unchanged_stories: Iterable[str] = (),
    ) -> None:
        """Replace the stored analysis (annotated articles and stories) in one transaction.

        ``analysis_version``: stamped on every article row written (see
        :data:`newsdossier.engine.incremental.ANALYSIS_VERSION`; 0 = unknown, never reused).
        ``unchanged``: ids of articles whose stored row is already exactly this analysis (not rewritten);
        ``unchanged_stories`` the same for stories. Stored stories not in ``stories`` are deleted.
        """
        skip = set(unchanged)
        stories = list(stories)
        keep_story = set(unchanged_stories)
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO analyses (article_id, story_id, data, analysis_version) VALUES (?,?,?,?)",
                # a generator, encoded row by row as SQLite takes them: a list held every article's
                # JSON at once (~0.3 GB at 100k articles)
                (
                    (a.id, a.story_id, json.dumps(article_to_dict(a), ensure_ascii=False), analysis_version)
                    for a in articles
                    if a.id not in skip
                ),
            )
            current = {s.id for s in stories}
            gone = [(i,) for (i,) in self.conn.execute("SELECT id FROM stories") if i not in current]
            self.conn.executemany("DELETE FROM stories WHERE id = ?", gone)
            self.conn.executemany(
                "INSERT OR REPLACE INTO stories (id, event_date, data) VALUES (?,?,?)",
                ((s.id, s.event_date, json.dumps(story_to_dict(s), ensure_ascii=False))
                 for s in stories if s.id not in keep_story),
            )

    def save_link_records(self, records: Iterable[tuple[str, bytes]]) -> None:
        """Store (article id, encoded link record) pairs in one transaction, replacing older ones."""
        with self.conn:
            self.stage_link_records(records)

    def stage_link_records(self, records: Iterable[tuple[str, bytes]]) -> None:
        """Write (article id, encoded link record) pairs in the open transaction, not committed: the next
        :meth:`save_analysis` commits them with the analysis they belong to, and a run that fails before
        it leaves the store as it was. Until then this connection holds the store's write lock."""
        self.conn.executemany("INSERT OR REPLACE INTO link_records (article_id, data) VALUES (?,?)", records)

    def link_records(self) -> dict[str, bytes]:
        """Every stored link record (encoded; see :mod:`newsdossier.link.records`) by article id."""
        return dict(self.conn.execute("SELECT article_id, data FROM link_records"))

    def analysed_articles(self, analysis_version: int | None = None) -> list[Article]:
        """Stored analysed articles in storage order; with ``analysis_version``, only those it produced."""
        sql = "SELECT an.data FROM analyses an JOIN articles a ON a.id = an.article_id"
        args: tuple[int, ...] = ()
        if analysis_version is not None:
            sql += " WHERE an.analysis_version = ?"
            args = (analysis_version,)
        rows = self.conn.execute(sql + " ORDER BY a.seq", args)
        return [article_from_dict(loads_json(d)) for (d,) in rows]

    def stories(self) -> list[Story]:
        rows = self.conn.execute("SELECT data FROM stories ORDER BY id")
        return [story_from_dict(loads_json(d)) for (d,) in rows]
