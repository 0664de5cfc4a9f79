"""The local engine: run the stages in order, in this process.

ingest -> clean -> annotate -> link -> compare. Stage functions are pure; this module only sequences
them and reports timings.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..annotate import annotate_articles
from ..clean import clean_articles
from ..compare import compare_stories
from ..model import Article, Story
from .progress import Reporter
from .split import annotate_chunk, batch_evidence, link_aside, run_batch_stages, spread_mentions, tag_chunk


def run_stages(
    articles: Sequence[Article],
    existing: Sequence[Story] = (),
    reporter: Reporter | None = None,
    analysed: Sequence[Article] = (),
) -> tuple[list[Article], list[Story]]:
    """Analyse ``articles`` (as read) into annotated articles and stories.

    ``analysed``: articles already analysed in an earlier run (as stored): not cleaned or annotated
    again, context for the new ones' batch steps, and only the stories that change are compared
    (see :mod:`.incremental`)."""
    rep = reporter or Reporter(quiet=True)
    n = len(articles)
    if analysed:
        # the same per-article / batch split as the other engines, so all three stay identical
        with rep.stage("clean+annotate", n):
            repeated = batch_evidence(articles, analysed)
            tagged = tag_chunk(articles, repeated) if articles else []
            annotated = annotate_chunk(spread_mentions(tagged, analysed))
        return run_batch_stages(annotated, existing, rep, analysed)
    with rep.stage("clean", n):
        arts = clean_articles(articles)
    with rep.stage("annotate", n):
        arts = annotate_articles(arts)
    with rep.stage("link", n):
        arts, stories = link_aside(arts, existing)
    with rep.stage("compare", len(stories)):
        arts, stories = compare_stories(arts, stories)
    return arts, stories
