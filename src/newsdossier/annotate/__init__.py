"""Annotate: sentences, entities, times, publication dates, quantities and quotes, as spans.

Baseline (until the extractors land): no annotations; the publication date from metadata is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article


def annotate_articles(articles: Sequence[Article]) -> list[Article]:
    return list(articles)
