"""Clean: find the main text's parts and label each passage (reporting, opinion, reproduced,
reader_comment, boilerplate).

Baseline (until the segmenter lands): the whole text is one ``reporting`` segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..model import Article, Segment


def clean_articles(articles: Sequence[Article]) -> list[Article]:
    """Segment each article; segments partition ``text`` with no gaps or overlaps."""
    out = []
    for a in articles:
        segs = (Segment("reporting", 0, len(a.text)),) if a.text else ()
        out.append(replace(a, segments=segs, opinion_share=0.0))
    return out
