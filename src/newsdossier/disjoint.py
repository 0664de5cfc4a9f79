"""Disjoint sets (union-find), the one grouping structure every stage uses.

``find`` halves paths as it walks, so a sequence of n operations costs O(n α(n)). A union keeps the
smaller root (by the items' own order), so the groups and their representatives do not depend on
the order in which unions were made.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    def __init__(self, items: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {x: x for x in items}

    def find(self, x: K) -> K:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: K, b: K) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
            self.parent[hi] = lo

    def groups(self) -> dict[K, list[K]]:
        """Representative -> members, each list in insertion order."""
        out: dict[K, list[K]] = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out
