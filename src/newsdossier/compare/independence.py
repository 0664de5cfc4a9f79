"""Independence groups: which articles count as one source.

Articles that share reported text (``reuse``), duplicates (``duplicate_of``) and articles from the same
outlet (``source``, else the URL host) are one source, transitively: three wire copies and the wire
report itself add up to one independent source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..disjoint import DisjointSets
from ..model import Article
from .text import fold, url_host


def outlet_key(article: Article) -> str | None:
    """The outlet an article belongs to, normalised; None when unknown."""
    if article.source and article.source.strip():
        return "src:" + " ".join(fold(article.source).split())
    host = url_host(article.url)
    return "host:" + host if host else None


def independence_groups(articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> group id (the smallest article id in its group)."""
    uf: DisjointSets[str] = DisjointSets()
    by_outlet: dict[str, str] = {}
    for a in sorted(articles, key=lambda x: x.id):
        uf.find(a.id)
        if a.duplicate_of:
            uf.union(a.id, a.duplicate_of)
        for r in a.reuse:
            uf.union(a.id, r.article_id)
        key = outlet_key(a)
        if key is not None:
            if key in by_outlet:
                uf.union(a.id, by_outlet[key])
            else:
                by_outlet[key] = a.id
    # Group ids are computed over articles only (a reuse partner outside the story still joins its
    # members, but is not itself returned).
    return {a.id: uf.find(a.id) for a in articles}


def count_groups(article_ids: Iterable[str], groups: Mapping[str, str]) -> int:
    """How many independent sources the given articles represent."""
    return len({groups.get(i, i) for i in article_ids})
