"""HTML for the web pages, built on the static report's renderer.

The story page is the report's own ``story.html.j2`` (via :func:`render.html_report.story_context`)
inside the app's layout: the web ``base.html.j2`` is found before the report's, so the report's
templates extend it. Story pages live at ``/stories/<story_filename>``, which keeps the report's
relative links (``../index.html``, related ``<file>.html``) working unchanged.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..model import Article, Dossier, Story
from ..render.highlight import highlight
from ..render.html_report import article_marks, coverage_cells
from ..render.story_view import StoryView, format_value, plural, safe_url, story_filename
from . import db

# Annotation layers an article page can switch on and off, and the mark classes each one owns.
LAYERS: dict[str, tuple[str, ...]] = {
    "segments": ("seg",),
    "entities": ("ent",),
    "times": ("time",),
    "quantities": ("qty",),
    "quotes": ("quote", "speaker"),
}


def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("newsdossier.web", "templates"), PackageLoader("newsdossier.render", "templates")]
        ),
        autoescape=True,  # all stored text may be hostile
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = plural
    env.filters["format_value"] = format_value
    env.globals["story_filename"] = story_filename
    env.globals["coverage_cells"] = coverage_cells  # the story page template (render) uses it
    return env


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article: Article
    html: Markup
    story: Story | None
    layers: dict[str, bool]
    url: str | None
    duplicates: list[Article]
    reused_by: list[tuple[Article, int]]
    reuses: list[tuple[Article | None, str, int]]
    duplicate_of: Article | None


def article_page(conn: sqlite3.Connection, article: Article, shown: set[str]) -> ArticlePage:
    story = db.load_story(conn, article.story_id) if article.story_id else None
    view_story = story or Story(id="", headline="", article_ids=(article.id,))
    view = StoryView(Dossier(articles=(article,), stories=(view_story,), generated_at=""), view_story)
    hidden = {cls for layer, classes in LAYERS.items() if layer not in shown for cls in classes}
    marks = [m for m in article_marks(article, view) if m.classes.split()[0] not in hidden]
    dup_ids, reuse_rows = db.articles_pointing_at(conn, article.id)
    others = db.load_articles(
        conn,
        [
            *dup_ids,
            *(i for i, _ in reuse_rows),
            *(r.article_id for r in article.reuse),
            article.duplicate_of or "",
        ],
    )
    return ArticlePage(
        article=article,
        html=highlight(article.text, marks).html,
        story=story,
        layers={name: name in shown for name in LAYERS},
        url=safe_url(article.url),
        duplicates=[others[i] for i in dup_ids if i in others],
        reused_by=[(others[i], chars) for i, chars in reuse_rows if i in others],
        reuses=[(others.get(r.article_id), r.article_id, r.chars) for r in article.reuse],
        duplicate_of=others.get(article.duplicate_of) if article.duplicate_of else None,
    )
