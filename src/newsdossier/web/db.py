"""Read access to the store for the web app: a small pool of SQLite connections and targeted queries.

The app never loads the whole store per request: a story page reads one story row and the articles
it cites; lists page with LIMIT/OFFSET. Every connection waits on a busy writer (``busy_timeout``)
instead of failing with "database is locked", and WAL mode lets readers run beside the one writer.
"""

from __future__ import annotations

import json
import queue
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..codec import article_from_dict, story_from_dict
from ..model import Article, Story
from ..store.sqlite import RAW_COLUMNS_OF_A, article_from_row

BUSY_TIMEOUT_MS = 30_000
_CHUNK = 500  # stay far below SQLite's bound-parameter limit


def connect(path: str) -> sqlite3.Connection:
    """A connection usable from any thread (the pool hands it to one thread at a time)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class ConnectionPool:
    """At most ``size`` open connections; a request borrows one and gives it back."""

    def __init__(self, path: str, size: int = 8) -> None:
        self.path = path
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._slots = queue.Queue[None]()
        for _ in range(size):
            self._slots.put(None)
        self._all: list[sqlite3.Connection] = []

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        self._slots.get()  # blocks when `size` connections are in use
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = connect(self.path)
                self._all.append(conn)
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.rollback()
                self._idle.put(conn)
        finally:
            self._slots.put(None)

    def close(self) -> None:
        for conn in self._all:
            conn.close()
        self._all.clear()


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def load_story(conn: sqlite3.Connection, story_id: str) -> Story | None:
    row = conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
    return story_from_dict(json.loads(row[0])) if row else None


def load_stories(conn: sqlite3.Connection, ids: Iterable[str]) -> list[Story]:
    wanted = list(dict.fromkeys(ids))
    out: list[Story] = []
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        out += [
            story_from_dict(json.loads(d))
            for (d,) in conn.execute(f"SELECT data FROM stories WHERE id IN ({marks})", chunk)
        ]
    return out


_RAW_COLUMNS = RAW_COLUMNS_OF_A + ", an.data"


def _article_row(row: tuple[Any, ...]) -> Article:
    if row[11] is not None:  # analysed: the stored newsdossier/1 article
        return article_from_dict(json.loads(row[11]))
    return article_from_row(row)


def load_articles(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Article]:
    """The analysed form of each article when there is one, else the article as read."""
    return {i: article for i, (article, _) in load_articles_with_analysis(conn, ids).items()}


def load_articles_with_analysis(
    conn: sqlite3.Connection, ids: Iterable[str]
) -> dict[str, tuple[Article, str | None]]:
    """Each stored article with the stored analysis text it was decoded from (None: not analysed)."""
    wanted = list(dict.fromkeys(ids))
    out: dict[str, tuple[Article, str | None]] = {}
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {_RAW_COLUMNS} FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE a.id IN ({marks})"
        for row in conn.execute(sql, chunk):
            out[row[0]] = (_article_row(row), row[11])
    return out


def load_story_rows(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """Stored story text (newsdossier/1 JSON) by id, undecoded."""
    wanted = list(dict.fromkeys(ids))
    out: dict[str, str] = {}
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        out.update(conn.execute(f"SELECT id, data FROM stories WHERE id IN ({marks})", chunk).fetchall())
    return out


def load_article(conn: sqlite3.Connection, article_id: str) -> Article | None:
    return load_articles(conn, [article_id]).get(article_id)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What an article list shows: metadata only, never the text."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    input: str
    story_id: str | None
    chars: int
    added_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
            "input": self.input,
            "story_id": self.story_id,
            "chars": self.chars,
            "added_at": self.added_at,
        }


def list_articles(
    conn: sqlite3.Connection,
    *,
    limit: int,
    offset: int,
    source: str | None = None,
    story_id: str | None = None,
    ids: Sequence[str] | None = None,
) -> tuple[int, list[ArticleRow]]:
    """(total matching, one page) in the order articles were stored, newest first."""
    where, params = [], []
    if source:
        where.append("a.source = ? COLLATE NOCASE")
        params.append(source)
    if story_id:
        where.append("an.story_id = ?")
        params.append(story_id)
    if ids is not None:
        where.append(f"a.id IN ({','.join('?' * len(ids))})" if ids else "0")
        params.extend(ids)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    base = f"FROM articles a LEFT JOIN analyses an ON an.article_id = a.id {clause}"
    (total,) = conn.execute(f"SELECT count(*) {base}", params).fetchone()
    rows = conn.execute(
        "SELECT a.id, a.title, a.source, a.url, a.published_date, a.input, an.story_id, length(a.text),"
        f" a.added_at {base} ORDER BY a.seq DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return total, [ArticleRow(*r) for r in rows]


def articles_pointing_at(
    conn: sqlite3.Connection, article_id: str
) -> tuple[list[str], list[tuple[str, int]]]:
    """(duplicates of this article, (article, chars) that reuse its text): the reverse links."""
    dups = [
        r[0]
        for r in conn.execute(
            "SELECT article_id FROM analyses WHERE json_extract(data, '$.duplicate_of') = ?", (article_id,)
        )
    ]
    reuse = [
        (r[0], int(r[1]))
        for r in conn.execute(
            "SELECT an.article_id, json_extract(j.value, '$.chars') FROM analyses an, json_each(an.data, '$.reuse') j"
            " WHERE json_extract(j.value, '$.article_id') = ?",
            (article_id,),
        )
    ]
    return dups, reuse
