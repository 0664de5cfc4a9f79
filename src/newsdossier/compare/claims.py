"""Claims: the story's fact sentences grouped into propositions, each with its evidence, its support in
independent sources and a status.

Sentences that say the same thing (TF-IDF cosine over content stems, entity ids and numbers,
average-link clustering) form one claim. Conflicts (number groups that disagree, venue/actor/date slot
conflicts, explicit denials) merge the claims on either side into one ``contested`` claim whose
minority-side evidence has ``agrees=False``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article, Claim, Evidence
from .conflicts import Conflict, denial_conflicts, masked_conflicts, story_slots, venue_conflicts
from .independence import SourceCounter
from .numbers import NumberGroup
from .similarity import Similarity
from .text import Unit, is_question
from .vectors import UnitFeatures

CLAIM_SIMILARITY = 0.4  # average cosine within a claim; below it sentences say different things
MIN_SINGLE_TERMS = 5  # a one-article claim needs some substance ...
STATUS_ORDER = {"contested": 0, "corroborated": 1, "single_source": 2}


@dataclass(frozen=True, slots=True)
class StoryUnits:
    """A story's fact sentences in reading order, with their features and similarities."""

    units: tuple[Unit, ...]
    features: tuple[UnitFeatures, ...]
    sim: Similarity  # with entities and numbers
    frame_sim: Similarity  # words only
    source_of: tuple[str, ...]  # independence group of each sentence's article
    quoted: tuple[float, ...] = ()  # share of each sentence inside a direct quote
    in_report: tuple[bool, ...] = ()  # outside opinion sections, not an intro line (confidence.py)
    confident: tuple[bool, ...] = ()  # ... and not reading as opinion
    subjective: tuple[float, ...] = ()  # P(opinion) of each sentence

    def is_confident(self, i: int) -> bool:
        return self.confident[i] if self.confident else True

    def is_in_report(self, i: int) -> bool:
        return self.in_report[i] if self.in_report else True


@dataclass(frozen=True, slots=True)
class ClaimDraft:
    members: tuple[int, ...]  # unit indices
    agrees: tuple[bool, ...]
    representative: int


SYMMETRIC_BLOCK = 1 << 22  # entries averaged at once by symmetric_distance


def symmetric_distance(sim: np.ndarray, overwrite: bool = False) -> np.ndarray:
    """``(d + d.T) / 2`` of ``d = max(1 - s, 0)`` with a zero diagonal, made in one n x n array (in
    ``sim`` itself when ``overwrite``): the expression's temporaries were four more, which made a
    large story's memory. A block of rows at a time; each entry is the same as the expression's."""
    dist = sim if overwrite else np.array(sim)
    n = dist.shape[0]
    np.subtract(1.0, dist, out=dist)
    np.clip(dist, 0.0, None, out=dist)
    np.fill_diagonal(dist, 0.0)
    step = max(1, SYMMETRIC_BLOCK // max(1, n))
    for a in range(0, n, step):
        b = min(n, a + step)
        # rows a:b from column a on, and their mirror: later blocks read only rows and columns >= b
        both = dist[a:b, a:] + dist[a:, a:b].T
        both /= 2
        dist[a:b, a:] = both
        dist[a:, a:b] = both.T
    return dist


LINK_SLACK = 1e-9  # pairs this far under the threshold still link parts: the distances are averaged
BATCH_UNITS = 2048  # parts are clustered together up to this many units (one linkage call, 16 MB)


def _linked_parts(sim: Similarity, rows: np.ndarray, threshold: float) -> list[np.ndarray]:
    """The positions in ``rows`` split into the connected parts of the graph whose edges are the pairs
    at least ``threshold`` similar, each part in ascending order."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    a, b = sim.pairs_at_least(threshold - LINK_SLACK, rows)
    n = len(rows)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)


def _batches(parts: list[np.ndarray], size: int) -> list[np.ndarray]:
    """The positions of ``parts`` in ascending batches of whole parts, each of at most ``size`` positions
    unless one part is larger."""
    out, batch, count = [], [], 0
    for part in sorted(parts, key=len):
        if batch and count + len(part) > size:
            out.append(np.sort(np.concatenate(batch)))
            batch, count = [], 0
        batch.append(part)
        count += len(part)
    out.append(np.sort(np.concatenate(batch)))
    return out


def cluster_units(sim: Similarity, threshold: float = CLAIM_SIMILARITY, rows: Sequence[int] | None = None
                  ) -> list[list[int]]:
    """Groups of units (positions in ``rows``, default all) whose average-linkage distance stays under
    ``1 - threshold``.

    Without the n x n distances of a large story: a merge at average distance <= 1 - threshold needs
    a pair of the two clusters at least ``threshold`` similar, so no flat cluster spans two connected
    parts of the graph of such pairs, and a part's merges depend on its own distances only. Batches
    of whole parts are clustered one at a time (memory: the square of the batch, at most
    BATCH_UNITS or the largest part); the groups are those of one clustering of all the units (up to
    the order of merges at exactly tied distances, which average linkage leaves open)."""
    rows = np.arange(len(sim), dtype=np.intp) if rows is None else np.asarray(rows, dtype=np.intp)
    if len(rows) == 0:
        return []
    if len(rows) == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage  # imported on first use: ~0.3 s
    from scipy.spatial.distance import squareform

    # a small story in one batch: its parts are not worth finding
    batches = ([np.arange(len(rows))] if len(rows) <= BATCH_UNITS
               else _batches(_linked_parts(sim, rows, threshold), BATCH_UNITS))
    groups: list[list[int]] = []
    for batch in batches:
        if len(batch) == 1:
            groups.append([int(batch[0])])
            continue
        condensed = squareform(symmetric_distance(sim.block(rows[batch], rows[batch]), overwrite=True),
                               checks=False)
        labels = fcluster(linkage(condensed, "average"), t=1.0 - threshold, criterion="distance")
        by_label: dict[int, list[int]] = {}
        for position, label in zip(batch.tolist(), labels.tolist()):
            by_label.setdefault(label, []).append(position)
        groups.extend(by_label.values())
    return sorted(groups, key=lambda g: g[0])


def number_conflicts(units: Sequence[Unit], groups: Sequence[NumberGroup]) -> list[Conflict]:
    index = {(u.article_id, u.start): i for i, u in enumerate(units)}
    out = []
    for g in groups:
        if not g.conflict:
            continue
        c: Conflict = {}
        for m, ok in zip(g.mentions, g.agrees):
            i = index.get((m.article_id, m.unit.start))
            if i is not None and c.get(i) != "minority":
                c[i] = "majority" if ok else "minority"
        if len(set(c.values())) == 2:
            out.append(c)
    return out


def _minority_units(conflicts: Sequence[Conflict], source_of: Sequence[str]) -> set[int]:
    """Units on a side backed by fewer independent sources than the best side of their conflict."""
    out: set[int] = set()
    for c in conflicts:
        sides: dict[str, set[str]] = {}
        for i, side in c.items():
            sides.setdefault(side, set()).add(source_of[i])
        best = max(sides, key=lambda s: (len(sides[s]), s == "majority", s == "states", -min(i for i, x in c.items() if x == s)))
        out |= {i for i, side in c.items() if side != best}
    return out


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _merge_overlapping(conflicts: Sequence[Conflict]) -> list[list[Conflict]]:
    """Conflicts sharing a sentence are about one point; each other conflict stands alone."""
    parent = list(range(len(conflicts)))
    owner: dict[int, int] = {}
    for k, c in enumerate(conflicts):
        for i in c:
            if i in owner:
                parent[_find(parent, k)] = _find(parent, owner[i])
            else:
                owner[i] = k
    out: dict[int, list[Conflict]] = {}
    for k, c in enumerate(conflicts):
        out.setdefault(_find(parent, k), []).append(c)
    return list(out.values())


def draft_claims(su: StoryUnits, number_groups: Sequence[NumberGroup], articles: Mapping[str, Article]) -> list[ClaimDraft]:
    """Contested points first take their sentences (and verbatim copies of them); the remaining sentences
    are clustered into agreeing claims. Keeping contested claims to the sentences that state the slot
    stops one conflict from dragging whole neighbouring claims along."""
    slots = story_slots(su.features, su.frame_sim)  # the setting and co-named entities, for both finders
    conflicts = (
        number_conflicts(su.units, number_groups)
        + venue_conflicts(articles, su.units, su.features, slots)
        + masked_conflicts(su.features, su.frame_sim, su.source_of, slots)
        + denial_conflicts(su.units, su.sim, su.source_of)
    )
    by_text: dict[str, list[int]] = {}
    for i, u in enumerate(su.units):
        by_text.setdefault(u.text, []).append(i)
    taken: set[int] = set()
    drafts = []
    for group in _merge_overlapping(conflicts):
        minority = _minority_units(group, su.source_of)
        sided = {i for c in group for i in c}
        members: dict[int, bool] = {}
        for i in sorted(sided):
            for j in by_text[su.units[i].text]:  # verbatim copies say the same
                members[j] = members.get(j, True) and i not in minority
        if not members or all(members.values()):
            continue
        idx = sorted(members)
        agrees = [members[i] for i in idx]
        taken |= set(idx)
        drafts.append(ClaimDraft(tuple(idx), tuple(agrees), _representative(su, idx, agrees)))
    rest = [i for i in range(len(su.units)) if i not in taken]
    if rest:
        for cluster in cluster_units(su.sim, rows=rest):
            idx = [rest[k] for k in cluster]
            drafts.append(ClaimDraft(tuple(idx), tuple(True for _ in idx), _representative(su, idx, [True] * len(idx))))
    return drafts


QUOTED_PENALTY = 0.5  # a sentence that is mostly someone's quoted words states a claim less plainly
SUBJECTIVE_PENALTY = 0.5  # ... and so does one that reads as opinion


def _representative(su: StoryUnits, members: Sequence[int], agrees: Sequence[bool]) -> int:
    """The agreeing sentence that best stands for the claim: central among the agreeing sentences
    (mean similarity to them) and, in a contested claim, relevant to the contested slot (mean frame
    similarity to the disagreeing sentences: it tells the same happening with the other value).
    Confident reporting sentences come first; sentences that are mostly a direct quote or read as
    opinion rank lower; ties go to the first in reading order."""
    pool = [i for i, ok in zip(members, agrees) if ok] or list(members)
    against = [i for i, ok in zip(members, agrees) if not ok]
    pool = [i for i in pool if su.is_confident(i)] or pool
    if len(pool) == 1:
        return pool[0]

    # mean similarity to the other agreeing sentences, and to the disagreeing ones; a block of rows at a
    # time (a claim may hold thousands of copies of one sentence)
    central: list[float] = []
    for a0, blk in su.sim.row_blocks(pool, pool):
        central.extend(float(np.mean(np.delete(r, a0 + k))) for k, r in enumerate(blk))
    slot = [0.0] * len(pool)
    if against:
        slot = [float(np.mean(r)) for _, blk in su.frame_sim.row_blocks(pool, against) for r in blk]

    def score(k: int) -> float:
        i = pool[k]
        quoted = su.quoted[i] if su.quoted else 0.0
        opinion = su.subjective[i] if su.subjective else 0.0
        return central[k] + slot[k] - QUOTED_PENALTY * quoted - SUBJECTIVE_PENALTY * opinion

    return pool[max(range(len(pool)), key=lambda k: (round(score(k), 9), -pool[k]))]


def _substantial(su: StoryUnits, i: int) -> bool:
    f = su.features[i]
    return bool(f.entities or f.numbers or f.dates) and len(set(f.terms)) >= MIN_SINGLE_TERMS


def _asserts(su: StoryUnits, i: int) -> bool:
    """Whether a sentence states something a source can be held to: not a question, not a line that only
    introduces what follows ("The Herald reports:"), not in an opinion section."""
    return su.is_in_report(i) and not is_question(su.units[i].text)


def claim_status(evidence: Sequence[Evidence], sources: SourceCounter) -> tuple[str, int]:
    support = sources.count(e.article_id for e in evidence if e.agrees)
    if any(not e.agrees for e in evidence):
        return "contested", support
    return ("corroborated" if support >= 2 else "single_source"), support


def build_claims(
    su: StoryUnits, drafts: Sequence[ClaimDraft], sources: SourceCounter
) -> list[tuple[Claim, ClaimDraft]]:
    """Claims (with the draft each came from), best supported first."""
    out = []
    for d in drafts:
        articles = {su.units[i].article_id for i in d.members}
        if len(articles) == 1 and all(d.agrees) and not any(_substantial(su, i) for i in d.members):
            continue
        if not any(_asserts(su, i) for i in d.members):
            continue
        evidence = tuple(
            Evidence(su.units[i].article_id, su.units[i].start, su.units[i].end, ok) for i, ok in zip(d.members, d.agrees)
        )
        status, support = claim_status(evidence, sources)
        out.append((Claim(su.units[d.representative].text, status, support, evidence), d))
    out.sort(key=lambda cd: (-cd[0].independent_sources, STATUS_ORDER[cd[0].status], cd[1].members[0]))
    return out
