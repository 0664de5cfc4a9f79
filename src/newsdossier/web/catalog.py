"""What the stories page lists, kept fresh cheaply: a snapshot of story summaries plus the FTS index.

``PRAGMA data_version`` on one dedicated connection changes only when another connection commits,
so each request pays one tiny query; the snapshot and the search index are rebuilt only after the
store really changed (an ingest, an analysis). The catalog's own index writes go through that same
connection, so they never count as a change. Each rebuild also gives every story its page version
(see :mod:`story_pages`) and tells ``on_change``, which renders changed pages ahead.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..codec import story_from_dict
from ..model import Story
from ..render.story_view import story_filename
from . import search
from .db import connect
from .story_pages import MISSING, NOT_ANALYSED, page_version, row_digest

WAIT_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    headline: str
    event_date: str | None
    articles: int
    sources: int
    independent_sources: int
    outlets: tuple[tuple[str, int], ...]  # (outlet, articles), most articles first
    entity_terms: tuple[str, ...]  # lower-cased names and aliases, for the entity filter
    entity_names: tuple[str, ...]
    filename: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "event_date": self.event_date,
            "articles": self.articles,
            "sources": self.sources,
            "independent_sources": self.independent_sources,
            "outlets": [{"name": n, "articles": c} for n, c in self.outlets],
            "entities": list(self.entity_names),
            "url": f"/stories/{self.filename}",
            "api_url": f"/api/v1/stories/{self.id}",
        }


@dataclass(frozen=True, slots=True)
class Snapshot:
    stories: tuple[StorySummary, ...] = ()  # newest event first, undated last
    by_id: dict[str, StorySummary] = field(default_factory=dict)
    by_filename: dict[str, str] = field(default_factory=dict)
    outlets: tuple[str, ...] = ()
    page_versions: dict[str, str] = field(default_factory=dict)  # story id -> version of its page
    story_of_article: dict[str, str] = field(default_factory=dict)  # article id -> its story id

    def filter(
        self,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
    ) -> list[StorySummary]:
        out = []
        outlet_l = outlet.strip().lower() if outlet else None
        entity_l = entity.strip().lower() if entity else None
        for s in self.stories:
            if (date_from or date_to) and not s.event_date:
                continue
            # ISO dates compare as strings; a partial date (2016-03) is compared on its prefix.
            if date_from and s.event_date and s.event_date < date_from[: len(s.event_date)]:
                continue
            if date_to and s.event_date and s.event_date[: len(date_to)] > date_to:
                continue
            if outlet_l and not any(n.lower() == outlet_l for n, _ in s.outlets):
                continue
            if entity_l and not any(entity_l in t for t in s.entity_terms):
                continue
            out.append(s)
        return out


def _summary(story: Story, sources: dict[str, str | None]) -> StorySummary:
    outlets = Counter(sources.get(a) or "unknown source" for a in story.article_ids if a in sources)
    terms = sorted({t.lower() for e in story.entities for t in (e.name, *e.aliases)})
    return StorySummary(
        id=story.id,
        headline=story.headline,
        event_date=story.event_date,
        articles=len(story.article_ids),
        sources=story.sources,
        independent_sources=story.independent_sources,
        outlets=tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        entity_terms=tuple(terms),
        entity_names=tuple(e.name for e in story.entities),
        filename=story_filename(story.id),
    )


def _newest_first(summaries: list[StorySummary]) -> list[StorySummary]:
    """Newest event first, undated last; the headline breaks ties (two stable sorts)."""
    by_headline = sorted(summaries, key=lambda s: (s.headline, s.id))
    dated = sorted((s for s in by_headline if s.event_date), key=lambda s: s.event_date or "", reverse=True)
    return dated + [s for s in by_headline if not s.event_date]


class Catalog:
    def __init__(self, db_path: str, on_change: Callable[[Snapshot], None] | None = None) -> None:
        self._conn = connect(db_path)
        # Index writes wait only briefly for the pipeline's write lock (see fresh()).
        self._conn.execute(f"PRAGMA busy_timeout = {int(WAIT_SECONDS * 1000)}")
        self._lock = threading.Lock()
        self._version: int | None = None
        self._fingerprint = ""
        self._stories: list[Story] = []
        self.snapshot = Snapshot()
        self.on_change = on_change
        with self._lock:
            search.ensure_schema(self._conn)

    def fresh(self) -> Snapshot:
        """The current snapshot, rebuilt first if anything was committed since the last look.

        Never waits long: while another request re-indexes, or while a long write holds the store,
        the previous snapshot is served and a later request re-indexes.
        """
        if not self._lock.acquire(timeout=WAIT_SECONDS):
            return self.snapshot
        try:
            (version,) = self._conn.execute("PRAGMA data_version").fetchone()
            if version != self._version:
                try:
                    self._rebuild()
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    return self.snapshot
                self._version = version
                if self.on_change is not None:
                    self.on_change(self.snapshot)
            return self.snapshot
        finally:
            self._lock.release()

    def current(self) -> Snapshot | None:
        """The snapshot if it is known to be current right now, without waiting or rebuilding
        (one tiny query); None when the store changed or another thread holds the catalog: then
        call :meth:`fresh` off the event loop."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            (version,) = self._conn.execute("PRAGMA data_version").fetchone()
            return self.snapshot if version == self._version else None
        finally:
            self._lock.release()

    def _rebuild(self) -> None:
        # One read transaction, so the stories, the analyses and the versions agree with each other.
        search.sync_articles(self._conn)
        self._conn.execute("BEGIN")
        try:
            rows = self._conn.execute("SELECT id, data FROM stories ORDER BY id").fetchall()
            analyses = {
                i: row_digest(d) for i, d in self._conn.execute("SELECT article_id, data FROM analyses")
            }
            sources = dict(self._conn.execute("SELECT id, source FROM articles").fetchall())
        finally:
            self._conn.rollback()
        digest = hashlib.sha256()
        for sid, data in rows:
            digest.update(sid.encode() + b"\0" + data.encode() + b"\0")
        fingerprint = digest.hexdigest()
        snapshot = self.snapshot
        if fingerprint != self._fingerprint or not snapshot.by_id:
            self._stories = [story_from_dict(json.loads(d)) for _, d in rows]
            search.sync_stories(self._conn, self._stories, fingerprint)
            summaries = _newest_first([_summary(s, sources) for s in self._stories])
            snapshot = Snapshot(
                stories=tuple(summaries),
                by_id={s.id: s for s in summaries},
                by_filename={s.filename: s.id for s in summaries},
                outlets=tuple(sorted({n for s in summaries for n, _ in s.outlets}, key=str.lower)),
                story_of_article={aid: s.id for s in self._stories for aid in s.article_ids},
            )
            self._fingerprint = fingerprint
        # Versions are recomputed on every change: an analysis can change without its story changing.
        story_rows = {sid: row_digest(data) for sid, data in rows}

        def article_row(i: str) -> bytes:
            return analyses.get(i) or (NOT_ANALYSED if i in sources else MISSING)

        versions = {
            s.id: page_version(story_rows[s.id], s, article_row, lambda i: story_rows.get(i, MISSING))
            for s in self._stories
        }
        self.snapshot = replace(snapshot, page_versions=versions)

    def close(self) -> None:
        self._conn.close()
