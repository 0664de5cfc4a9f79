"""Link: duplicates, text reuse, and the grouping of articles into stories (one real-world event each).

Baseline (until the event clusterer lands): TF-IDF over the article text, cosine distance,
average-linkage agglomerative clustering cut at a fixed distance. Story ids are a hash of the
sorted member ids, so the same members always give the same id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from ..model import Article, Story

BASELINE_DISTANCE = 0.85


def story_id_for(article_ids: Sequence[str]) -> str:
    return "s_" + hashlib.sha256("\n".join(sorted(article_ids)).encode()).hexdigest()[:12]


def _clusters(articles: Sequence[Article]) -> list[list[int]]:
    if len(articles) == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [a.text for a in articles]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(texts).toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=BASELINE_DISTANCE
    ).fit_predict(x)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values())


def _outlet(a: Article) -> str:
    return a.source or a.url or a.id


def _headline(members: Sequence[Article]) -> str:
    for a in members:
        if a.title:
            return a.title
    first = members[0].text.strip().split("\n", 1)[0]
    return first[:160]


def link_articles(
    articles: Sequence[Article], existing: Sequence[Story] = ()
) -> tuple[list[Article], list[Story]]:
    """Group ``articles`` into stories; return the articles with ``story_id`` set, and the stories."""
    arts = sorted(articles, key=lambda a: a.id)
    if not arts:
        return [], []
    by_id: dict[str, Article] = {}
    stories: list[Story] = []
    for group in _clusters(arts):
        members = [arts[i] for i in group]
        ids = tuple(sorted(a.id for a in members))
        sid = story_id_for(ids)
        outlets = {_outlet(a) for a in members}
        stories.append(
            Story(
                id=sid,
                headline=_headline(members),
                article_ids=ids,
                sources=len(outlets),
                independent_sources=len(outlets),
            )
        )
        for a in members:
            by_id[a.id] = replace(a, story_id=sid)
    stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    return [by_id[a.id] for a in articles], stories
