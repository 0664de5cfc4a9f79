"""Full-text search (SQLite FTS5) over articles, claims and story headlines.

The index lives in its own tables in the store file (``web_fts``, ``web_meta``), created here with
IF NOT EXISTS and kept in sync from what the store holds: articles are immutable (their id is the
hash of their text), so they are indexed incrementally by ``seq``; claims and headlines are
re-indexed whenever the stories change. Only :mod:`catalog` writes these tables.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..model import Story

SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS web_fts USING fts5(
    kind UNINDEXED, ref UNINDEXED, story_id UNINDEXED, title, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS web_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
KINDS = ("article", "claim", "headline")
# Private-use characters mark the hits in snippets; the text is escaped before they become <mark>.
_OPEN, _CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
# bm25 weights per column (kind, ref, story_id, title, body): a hit in a title counts four times.
RANKING = "bm25(0.0, 0.0, 0.0, 4.0, 1.0)"


class QueryError(ValueError):
    """The search text has nothing to search for."""


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def _meta(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM web_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO web_meta (key, value) VALUES (?, ?)", (key, value))


def sync_articles(conn: sqlite3.Connection) -> int:
    """Index articles stored since the last sync; a shrunken store is re-indexed from scratch."""
    last = int(_meta(conn, "articles_seq", "0"))
    indexed = int(_meta(conn, "articles_count", "0"))
    max_seq, count = conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM articles").fetchone()
    if max_seq == last and count == indexed:
        return 0
    with conn:
        if max_seq < last or count < indexed:
            conn.execute("DELETE FROM web_fts WHERE kind = 'article'")
            last = 0
        cur = conn.execute(
            "INSERT INTO web_fts (kind, ref, story_id, title, body)"
            " SELECT 'article', id, NULL, coalesce(title, ''), text FROM articles WHERE seq > ?",
            (last,),
        )
        _set_meta(conn, "articles_seq", str(max_seq))
        _set_meta(conn, "articles_count", str(count))
    return cur.rowcount


def sync_stories(conn: sqlite3.Connection, stories: Sequence[Story], fingerprint: str) -> bool:
    """Re-index headlines and claims when the stories' fingerprint changed."""
    if _meta(conn, "stories_fp") == fingerprint:
        return False
    rows = [("headline", s.id, s.id, s.headline, "") for s in stories]
    rows += [("claim", f"{s.id}#{i}", s.id, "", c.text) for s in stories for i, c in enumerate(s.claims, 1)]
    with conn:
        conn.execute("DELETE FROM web_fts WHERE kind IN ('claim', 'headline')")
        conn.executemany("INSERT INTO web_fts (kind, ref, story_id, title, body) VALUES (?,?,?,?,?)", rows)
        _set_meta(conn, "stories_fp", fingerprint)
    return True


def match_expression(q: str) -> str:
    """User text as an FTS5 query: every word must occur (quoted, so no operator can be injected)."""
    words = _WORD.findall(q)
    if not words:
        raise QueryError("the search text has no words to search for")
    return " ".join(f'"{w}"' for w in words[:20])


def snippet_html(raw: str) -> Markup:
    """Escape a snippet, then turn the hit markers into <mark> elements."""
    return Markup(str(escape(raw)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # article | claim | headline
    ref: str  # article id, story id, or story_id#claim-number
    story_id: str | None
    title: str
    snippet: Markup  # escaped, hits in <mark>
    snippet_text: str  # the same, as plain text

    def to_dict(self) -> dict[str, Any]:
        article_id = self.ref if self.kind == "article" else None
        return {
            "kind": self.kind,
            "article_id": article_id,
            "story_id": self.story_id,
            "title": self.title,
            "snippet_html": str(self.snippet),
            "snippet": self.snippet_text,
        }


def search(
    conn: sqlite3.Connection,
    q: str,
    *,
    kinds: Sequence[str] = KINDS,
    limit: int = 20,
    offset: int = 0,
    story_of: Mapping[str, str] | None = None,
) -> tuple[int, list[Hit]]:
    """(total hits, one page of hits best first). Article hits get their story from ``story_of``
    (article id -> story id, the catalog's current view) or, without it, from the analyses."""
    expr = match_expression(q)
    wanted = [k for k in KINDS if k in kinds]
    # Filtering on the unindexed kind column reads every matching row: do it only when asked.
    kind_filter = f" AND kind IN ({','.join('?' * len(wanted))})" if len(wanted) < len(KINDS) else ""
    kinds = wanted if kind_filter else []
    where = "web_fts MATCH ?" + kind_filter
    (total,) = conn.execute(f"SELECT count(*) FROM web_fts WHERE {where}", [expr, *kinds]).fetchone()
    # ORDER BY rank lets FTS5 rank inside the index and stop at the page, so snippet() (the costly
    # part) runs for the page's rows only. Equal scores keep one fixed order, so pages never overlap.
    rows = conn.execute(
        "SELECT rowid, kind, ref, story_id, title,"
        f" snippet(web_fts, 3, '{_OPEN}', '{_CLOSE}', '…', 10),"
        f" snippet(web_fts, 4, '{_OPEN}', '{_CLOSE}', '…', 16)"
        f" FROM web_fts WHERE {where} AND rank MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
        [expr, *kinds, RANKING, limit, offset],
    ).fetchall()
    if not rows:
        return total, []
    # Article hits get their story from the analyses (the index is not re-written when stories regroup).
    refs = [r[2] for r in rows if r[1] == "article"]
    story_of = story_of if story_of is not None else dict(
        conn.execute(
            f"SELECT article_id, story_id FROM analyses WHERE article_id IN ({','.join('?' * len(refs))})",
            refs,
        ).fetchall()
        if refs
        else []
    )
    hits = []
    for _, kind, ref, story_id, title, title_snip, body_snip in rows:
        story_id = story_of.get(ref) if kind == "article" else story_id
        # A headline hit is in the title; an article's hit may be in its title or its text.
        use_title = kind == "headline" or (
            kind == "article" and _OPEN not in body_snip and _OPEN in title_snip
        )
        raw = title_snip if use_title else body_snip
        plain = raw.replace(_OPEN, "").replace(_CLOSE, "")
        hits.append(Hit(kind, ref, story_id, title, snippet_html(raw), plain))
    return total, hits
