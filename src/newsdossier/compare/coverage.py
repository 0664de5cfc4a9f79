"""Coverage: per article, the claims only it carries and the corroborated claims it omits, with its
opinion share and stance. Derived from the claims' evidence; the renderer may compute the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Article, Story


@dataclass(frozen=True, slots=True)
class ArticleCoverage:
    article_id: str
    only_here: tuple[int, ...]  # indices into story.claims supported by this article alone
    omitted_corroborated: tuple[int, ...]  # corroborated claims with no evidence from it
    opinion_share: float
    stance: str | None


def coverage_matrix(story: Story, articles: Sequence[Article]) -> list[ArticleCoverage]:
    by_id = {a.id: a for a in articles}
    out = []
    for aid in story.article_ids:
        a = by_id.get(aid)
        if a is None:
            continue
        only, omitted = [], []
        for k, claim in enumerate(story.claims):
            supporters = {e.article_id for e in claim.evidence if e.agrees}
            cited = {e.article_id for e in claim.evidence}
            if supporters == {aid}:
                only.append(k)
            if claim.status == "corroborated" and aid not in cited:
                omitted.append(k)
        out.append(ArticleCoverage(aid, tuple(only), tuple(omitted), a.opinion_share, a.stance))
    return out
