"""Independence groups: which articles count as one source.

The rule is Link's (:func:`newsdossier.link.stories.independent_sources`): articles that share reported
text (``reuse``, ``duplicate_of``) or come from one outlet (:func:`newsdossier.link.stories.outlet`)
count once, transitively. Compare reuses Link's functions rather than keeping its own copy, so a
claim's ``independent_sources`` and the story's are counted the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..disjoint import DisjointSets
from ..link.stories import independent_sources, outlet
from ..model import Article


def shares_text(articles: Sequence[Article]) -> dict[str, set[str]]:
    """Who shares reported text with whom among ``articles`` (reuse and duplicates, both directions),
    the mapping Link's ``independent_sources`` reads."""
    present = {a.id for a in articles}
    out: dict[str, set[str]] = {a.id: set() for a in articles}
    for a in articles:
        partners = [r.article_id for r in a.reuse] + ([a.duplicate_of] if a.duplicate_of else [])
        for p in partners:
            if p in present and p != a.id:
                out[a.id].add(p)
                out[p].add(a.id)
    return out


def independence_groups(articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> group id (the smallest article id in its group): one outlet, or shared text,
    transitively (Link's rule)."""
    sets: DisjointSets[str] = DisjointSets(a.id for a in articles)
    by_outlet: dict[str, str] = {}
    shares = shares_text(articles)
    for a in sorted(articles, key=lambda x: x.id):
        key = outlet(a)
        if key in by_outlet:
            sets.union(a.id, by_outlet[key])
        else:
            by_outlet[key] = a.id
        for other in shares[a.id]:
            sets.union(a.id, other)
    return {a.id: sets.find(a.id) for a in articles}


class SourceCounter:
    """Counts the independent sources among some of a story's articles with Link's function.

    Link's function only joins articles inside the set it is given; a claim cited by two wire copies
    whose shared original is not cited must still count once, so each article is told it shares text
    with every other member of its story-level group.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.by_id = {a.id: a for a in articles}
        self.groups = independence_groups(articles)
        members: dict[str, set[str]] = {}
        for aid, g in self.groups.items():
            members.setdefault(g, set()).add(aid)
        self.shares = {aid: members[g] - {aid} for aid, g in self.groups.items()}

    def count(self, article_ids: Iterable[str]) -> int:
        arts = [self.by_id[i] for i in dict.fromkeys(article_ids) if i in self.by_id]
        return independent_sources(arts, self.shares) if arts else 0


def count_groups(article_ids: Iterable[str], groups: Mapping[str, str]) -> int:
    """How many independent sources the given articles represent, from precomputed groups."""
    return len({groups.get(i, i) for i in article_ids})
