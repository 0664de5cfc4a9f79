"""Compare: claims, number conflicts, statements, stance, summary and timeline per story.

Baseline (until the comparison stage lands): stories pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, Story


def compare_stories(articles: Sequence[Article], stories: Sequence[Story]) -> tuple[list[Article], list[Story]]:
    return list(articles), list(stories)
