"""Related stories: ``recurrence`` (a look-alike event on another date) and ``follow_up``.

Two stories are related when their centroids (body and names views, averaged) are similar but the
clusterer kept them apart. A later story is a follow-up when it is close in time (within
``FOLLOW_UP_DAYS``) or its articles mention the earlier story's event date; otherwise, or when the
dates are unknown, the two are recurrences of one kind of event (the same actors and action again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from ..model import Article, RelatedStory
from .features import ArticleView, ViewMatrices, dated_mentions

# Centroid similarity above which two stories are about the same kind of event; chosen on ECB+ dev
# (the two look-alike events of a topic vs other topics' events: best F1 0.77, P 0.92 R 0.67).
RELATED_SIMILARITY = 0.175
FOLLOW_UP_DAYS = 30
MAX_RELATED = 5
# Stories whose similarity rows are made at once (all at once, the dense stories x stories array and the
# sparse products summed into it were ~0.5 GB at 100k articles: link's peak, at its very end).
RELATE_ROWS = 512


def relate(
    groups: Sequence[Sequence[int]], ids: Sequence[str], dates: Sequence[str | None],
    articles: Sequence[Article], views: Sequence[ArticleView], m: ViewMatrices,
    only: Sequence[int] | None = None,
) -> tuple[list[list[RelatedStory]], list[list[str]]]:
    """Per story: its related stories and the evidence strings for them (aligned with ``groups``).

    ``only``: the stories to relate (the others get empty lists); default all.
    """
    k = len(groups)
    related: list[list[RelatedStory]] = [[] for _ in range(k)]
    evidence: list[list[str]] = [[] for _ in range(k)]
    if k < 2:
        return related, evidence
    body, names = _centroids(groups, m)
    todo = list(range(k)) if only is None else sorted(only)
    name_counts: dict[int, dict[str, int]] = {}  # per story, computed once however often it is shown

    def counted(k: int) -> dict[str, int]:
        if k not in name_counts:
            name_counts[k] = _name_counts([views[i] for i in groups[k]])
        return name_counts[k]

    for start in range(0, len(todo), RELATE_ROWS):
        block = todo[start : start + RELATE_ROWS]
        # each row of a sparse product depends on its own row only: the same values as all rows at once
        sim = ((body[block] @ body.T) + (names[block] @ names.T)).toarray() / 2
        sim[np.arange(len(block)), block] = 0.0
        for row, a in enumerate(block):
            close = np.flatnonzero(sim[row] >= RELATED_SIMILARITY)
            order = sorted(close.tolist(), key=lambda b: (-sim[row, b], ids[b]))
            for b in order[:MAX_RELATED]:
                relation = _relation(groups[a], groups[b], dates[a], dates[b], articles)
                related[a].append(RelatedStory(ids[b], relation))
                shared = _shared_names(counted(a), counted(b), len(groups[a]), len(groups[b]))
                text = f"{relation} of {ids[b]}: similarity {sim[row, b]:.2f}"
                if shared:
                    text += "; shared " + ", ".join(shared)
                if dates[a] and dates[b]:
                    text += f"; event dates {dates[a]} vs {dates[b]}"
                evidence[a].append(text)
    return related, evidence


def _centroids(groups: Sequence[Sequence[int]], m: ViewMatrices) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    k = len(groups)
    member = sparse.csr_matrix(
        (np.concatenate([np.full(len(g), 1.0 / len(g)) for g in groups]),
         (np.concatenate([np.full(len(g), s) for s, g in enumerate(groups)]), np.concatenate(groups))),
        shape=(k, len(m)),
    )
    return normalize(member @ m.body), normalize(member @ m.names)


def _relation(ga: Sequence[int], gb: Sequence[int], da: str | None, db: str | None,
              articles: Sequence[Article]) -> str:
    if not (da and db) or da == db:
        return "recurrence" if not (da and db) else "follow_up"
    early, late = (dt.date.fromisoformat(da), dt.date.fromisoformat(db))
    later_group = gb if late > early else ga
    first_day = min(early, late)
    if abs((late - early).days) <= FOLLOW_UP_DAYS:
        return "follow_up"
    if any(first_day in dated_mentions(articles[i]) for i in later_group):
        return "follow_up"
    return "recurrence"


def _name_counts(vs: Sequence[ArticleView]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in vs:
        for n in set(v.names):
            if not n.startswith("id:"):
                out[n] = out.get(n, 0) + 1
    return out


def _shared_names(ca: dict[str, int], cb: dict[str, int], size_a: int, size_b: int, k: int = 4) -> list[str]:
    both = sorted(set(ca) & set(cb), key=lambda n: (-(ca[n] / size_a + cb[n] / size_b), n))
    return both[:k]
