"""Story pages, rendered once per version of what they show, kept in memory and rendered ahead.

A story page is the costliest page (the report's templates over every article of the story). Its
*version* is a digest of exactly the stored data it shows: the story row, the stored analysis (or
the article as read) of every article it shows or cites, and the rows of its related stories. The
catalog computes every story's version whenever the store changes, and a request looks its page up
by (story, version): an ingest that changes a story gives it a new version, so its old page is never
served again, while pages of stories the ingest left alone stay cached.

A page is rendered from one read transaction and filed under the version computed from the rows it
was rendered from, so a cached page is always exactly the page of its version. After every change a
background thread renders the pages not cached yet, newest story first, until the byte budget is
full: the first visitor of a story does not pay for rendering it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from ..codec import story_from_dict
from ..model import Dossier, Story
from ..render.html_report import story_context
from . import db

DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024
# What stands for an article's analysis in a version when it has none yet, or is not stored at all.
NOT_ANALYSED = b"as-read"  # stored articles are immutable (their id is the hash of their text)
MISSING = b"missing"


def row_digest(data: str) -> bytes:
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).digest()


def shown_article_ids(story: Story) -> list[str]:
    """Every article a story page shows: the members and every article something cites."""
    ids = list(story.article_ids)
    ids += [c.article_id for s in story.summary for c in s.cites]
    ids += [e.article_id for c in story.claims for e in c.evidence]
    ids += [v.article_id for g in story.quantities for v in g.values]
    ids += [v.article_id for st in story.statements for v in st.variants]
    ids += [c.article_id for t in story.timeline for c in t.cites]
    return list(dict.fromkeys(ids))


def related_story_ids(story: Story) -> list[str]:
    return list(dict.fromkeys(r.story_id for r in story.related if r.story_id != story.id))


def page_version(
    story_row: bytes,
    story: Story,
    article_row: Callable[[str], bytes],
    related_row: Callable[[str], bytes],
) -> str:
    """The version of ``story``'s page from the digests of the rows it shows (see the module doc)."""
    h = hashlib.blake2b(story_row, digest_size=16)
    for i in sorted(shown_article_ids(story)):
        h.update(b"\x01" + i.encode() + b"\x00" + article_row(i))
    for i in sorted(related_story_ids(story)):
        h.update(b"\x02" + i.encode() + b"\x00" + related_row(i))
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class StoryData:
    """What one story page is rendered from, read in one transaction, and the version it makes."""

    story: Story
    dossier: Dossier
    version: str


def read_story(conn: sqlite3.Connection, story_id: str) -> StoryData | None:
    conn.execute("BEGIN")  # one read snapshot: the version describes exactly the rows rendered
    try:
        rows = db.load_story_rows(conn, [story_id])
        if story_id not in rows:
            return None
        story = story_from_dict(json.loads(rows[story_id]))
        articles = db.load_articles_with_analysis(conn, shown_article_ids(story))
        related = db.load_story_rows(conn, related_story_ids(story))
    finally:
        conn.rollback()

    def article_row(i: str) -> bytes:
        if i not in articles:
            return MISSING
        analysis = articles[i][1]
        return NOT_ANALYSED if analysis is None else row_digest(analysis)

    version = page_version(
        row_digest(rows[story_id]),
        story,
        article_row,
        lambda i: row_digest(related[i]) if i in related else MISSING,
    )
    dossier = Dossier(
        articles=tuple(a for a, _ in articles.values()),
        stories=(story, *(story_from_dict(json.loads(d)) for d in related.values())),
        generated_at="",
    )
    return StoryData(story, dossier, version)


def render_story_page(env: Environment, data: StoryData) -> str:
    context = story_context(data.dossier, data.story)
    return env.get_template("story_page.html.j2").render(**context)


@dataclass(frozen=True, slots=True)
class RenderedPage:
    version: str
    html: bytes  # UTF-8, encoded once


class StoryPages:
    """Rendered story pages by story id (one version each), least recently used dropped first
    once they take more than ``budget_bytes``."""

    def __init__(self, pool: db.ConnectionPool, env: Environment, budget_bytes: int = DEFAULT_BUDGET_BYTES):
        self.pool = pool
        self.env = env
        self.budget_bytes = budget_bytes
        self._pages: OrderedDict[str, RenderedPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._wanted: Sequence[tuple[str, str]] | None = None  # (story id, version), newest first
        self._warmer: threading.Thread | None = None
        self._closed = False
        self.rendered = 0  # pages rendered since start, by requests and by the warmer

    def cached(self, story_id: str, version: str) -> bytes | None:
        """The story's page at ``version`` if it is cached (never blocks on the store)."""
        with self._lock:
            cached = self._pages.get(story_id)
            if cached is None or cached.version != version:
                return None
            self._pages.move_to_end(story_id)
            return cached.html

    def page(self, story_id: str, version: str) -> bytes | None:
        """The story's page at ``version`` (or newer, when the store moved on); None: no such story."""
        html = self.cached(story_id, version)
        if html is not None:
            return html
        rendered = self._render(story_id)
        return rendered.html if rendered else None

    def _render(self, story_id: str) -> RenderedPage | None:
        with self.pool.connection() as conn:
            data = read_story(conn, story_id)
        if data is None:
            return None
        page = RenderedPage(data.version, render_story_page(self.env, data).encode("utf-8"))
        self._put(story_id, page)
        return page

    def _put(self, story_id: str, page: RenderedPage) -> None:
        with self._lock:
            self.rendered += 1
            old = self._pages.pop(story_id, None)
            if old is not None:
                self._bytes -= len(old.html)
            if len(page.html) > self.budget_bytes:
                return
            self._pages[story_id] = page
            self._bytes += len(page.html)
            while self._bytes > self.budget_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped.html)

    # --- rendering ahead --------------------------------------------------------------------
    def warm(self, stories: Sequence[tuple[str, str]]) -> None:
        """Render, in the background, the pages of ``stories`` (id, version; most wanted first) that
        are not cached, until the budget is full. A newer call replaces what is still to do."""
        with self._lock:
            if self._closed:
                return
            self._wanted = stories
            if self._warmer is None:
                self._warmer = threading.Thread(target=self._warm_loop, name="newsdossier-pages", daemon=True)
                self._warmer.start()

    def _warm_loop(self) -> None:
        while True:
            with self._lock:
                todo, self._wanted = self._wanted, None
                if todo is None or self._closed:
                    self._warmer = None
                    return
            for story_id, version in todo:
                with self._lock:
                    if self._closed or self._wanted is not None or self._bytes >= self.budget_bytes:
                        break  # closing, a newer list to work on, or no room left
                if self.cached(story_id, version) is not None:
                    continue
                try:
                    self._render(story_id)
                except sqlite3.Error:
                    break  # the store is busy or closing: requests render on demand meanwhile
                time.sleep(0)  # let request threads take the interpreter between pages

    def warming(self) -> bool:
        with self._lock:
            return self._warmer is not None

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "cached": len(self._pages),
                "bytes": self._bytes,
                "budget_bytes": self.budget_bytes,
                "rendered": self.rendered,
                "warming": self._warmer is not None,
            }

    def close(self, timeout: float = 10.0) -> None:
        with self._lock:
            self._closed = True
            warmer = self._warmer
        if warmer is not None:
            warmer.join(timeout)
