"""Summary: 3-8 extractive sentences from reporting text, each cited, ordered by independent support then
time, with no redundancy (a candidate too similar to one already chosen is skipped, as in MMR).
Contested points are stated as contested: "<Outlet A> says X; <Outlet B> says Y", citing both.

Only confident reporting sentences (confidence.py: outside opinion sections, not reading as opinion,
not an intro line) are quoted or cited, so a summary never rests on text whose reporting label is in
doubt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Article, Cite, CitedText, Claim
from .claims import ClaimDraft, StoryUnits
from .text import outlet_name

MIN_SENTENCES, MAX_SENTENCES = 3, 8
MAX_CONTESTED = 2
REDUNDANT = 0.35  # cosine to an already chosen sentence above which a candidate adds nothing new
MAX_CITES = 6


def _cite(su: StoryUnits, i: int) -> Cite:
    u = su.units[i]
    return Cite(u.article_id, u.start, u.end)


def _one_per_source(su: StoryUnits, members: Sequence[int], first: int) -> list[Cite]:
    """The first sentence, then one cite per further independent source (confident sentences only)."""
    cites, sources = [_cite(su, first)], {su.source_of[first]}
    for i in members:
        if su.is_confident(i) and su.source_of[i] not in sources and len(cites) < MAX_CITES:
            sources.add(su.source_of[i])
            cites.append(_cite(su, i))
    return cites


def _contested_text(su: StoryUnits, d: ClaimDraft, articles: Mapping[str, Article]) -> CitedText | None:
    yes = [i for i, ok in zip(d.members, d.agrees) if ok and su.is_confident(i)]
    no = [i for i, ok in zip(d.members, d.agrees) if not ok and su.is_confident(i)]
    if not yes or not no:
        return None
    b = no[0]
    # Side A from another source than side B when there is one: "A says X; B says Y" reads best
    # with two voices (the representative first, as it states the contested slot).
    ranked = sorted(yes, key=lambda i: (su.source_of[i] == su.source_of[b], i != d.representative))
    a = ranked[0]
    outlet_a, outlet_b = outlet_name(articles[su.units[a].article_id]), outlet_name(articles[su.units[b].article_id])
    others = len({su.source_of[i] for i in yes}) - 1
    also = f" (as {'do' if others > 1 else 'does'} {others} other source{'s' if others > 1 else ''})" if others > 0 else ""
    text = f"Sources disagree. {outlet_a} says: “{su.units[a].text}”{also}; {outlet_b} says: “{su.units[b].text}”"
    return CitedText(text, tuple(_one_per_source(su, yes, a)) + (_cite(su, b),))


def _time_key(su: StoryUnits, i: int, articles: Mapping[str, Article]) -> tuple[str, int]:
    u = su.units[i]
    return (articles[u.article_id].published.date or "9999-99-99", u.index)


def _redundant(su: StoryUnits, involved: Sequence[int], chosen: Sequence[tuple[CitedText, list[int]]]) -> bool:
    """Whether a sentence of ``involved`` is too similar to one behind a chosen summary sentence."""
    taken = [j for _, js in chosen for j in js]
    return bool(taken) and any(bool((blk >= REDUNDANT).any()) for _, blk in su.sim.row_blocks(involved, taken))


def build_summary(
    su: StoryUnits, claims: Sequence[tuple[Claim, ClaimDraft]], articles: Mapping[str, Article]
) -> tuple[CitedText, ...]:
    def rank(cd: tuple[Claim, ClaimDraft]) -> tuple:
        claim, d = cd
        support = len({su.source_of[i] for i in d.members}) if claim.status == "contested" else claim.independent_sources
        multi = claim.status == "contested" or support >= 2
        # Beyond corroborated and contested points, the leads of articles (news puts facts first).
        return (not multi, -support, _time_key(su, d.representative, articles) if multi else (su.units[d.representative].index, ""))

    chosen: list[tuple[CitedText, list[int]]] = []
    contested = 0
    for claim, d in sorted(claims, key=rank):
        if len(chosen) >= MAX_SENTENCES:
            break
        involved = list(d.members) if claim.status == "contested" else [d.representative]
        if _redundant(su, involved, chosen):
            continue
        if claim.status == "contested":
            if contested >= MAX_CONTESTED:
                continue
            item = _contested_text(su, d, articles)
            if item is None:
                continue
            contested += 1
        else:
            if not su.is_confident(d.representative):
                continue
            agreeing = [i for i, ok in zip(d.members, d.agrees) if ok]
            item = CitedText(su.units[d.representative].text, tuple(_one_per_source(su, agreeing, d.representative)))
        chosen.append((item, involved))
    if len(chosen) < MIN_SENTENCES:  # a thin story: fall back to the first article's lead
        taken = {i for _, js in chosen for i in js}
        for i in range(len(su.units)):
            if len(chosen) >= MIN_SENTENCES:
                break
            if su.is_confident(i) and i not in taken and not _redundant(su, [i], chosen):
                chosen.append((CitedText(su.units[i].text, (_cite(su, i),)), [i]))
    return tuple(item for item, _ in chosen)
