"""Independence groups: which articles count as one source.

The rule is Link's (:func:`newsdossier.link.stories.independent_sources`): articles that share reported
text (``reuse``, ``duplicate_of``) or come from one outlet (:func:`newsdossier.link.stories.outlet`)
count once, transitively. Compare reuses Link's functions rather than keeping its own copy, so a
claim's ``independent_sources`` and the story's are counted the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..link.stories import independence_groups
from ..model import Article


class SourceCounter:
    """Counts the independent sources among some of a story's articles.

    Groups are made once over the whole story: a claim cited by two wire copies whose shared original
    is not cited still counts once, and counting a subset is counting the story-level groups it meets
    (the same number Link's function gives on the subset when each article shares text with the rest
    of its group).
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.groups = independence_groups(articles)

    def count(self, article_ids: Iterable[str]) -> int:
        return len({self.groups[i] for i in article_ids if i in self.groups})


def count_groups(article_ids: Iterable[str], groups: Mapping[str, str]) -> int:
    """How many independent sources the given articles represent, from precomputed groups."""
    return len({groups.get(i, i) for i in article_ids})
