"""The local engine: run the stages in order, in this process.

ingest -> clean -> annotate -> link -> compare. Stage functions are pure; this module only sequences
them and reports timings.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..annotate import annotate_articles
from ..clean import clean_articles
from ..compare import compare_stories
from ..link import link_articles
from ..model import Article, Story
from .progress import Reporter


def run_stages(
    articles: Sequence[Article], existing: Sequence[Story] = (), reporter: Reporter | None = None
) -> tuple[list[Article], list[Story]]:
    """Analyse ``articles`` (as read) into annotated articles and stories."""
    rep = reporter or Reporter(quiet=True)
    n = len(articles)
    with rep.stage("clean", n):
        arts = clean_articles(articles)
    with rep.stage("annotate", n):
        arts = annotate_articles(arts)
    with rep.stage("link", n):
        arts, stories = link_articles(arts, existing)
    with rep.stage("compare", len(stories)):
        arts, stories = compare_stories(arts, stories)
    return arts, stories
