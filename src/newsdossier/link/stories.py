"""A story's own fields: id, headline, event date, sources, independent sources, and why.

Id rule: a story id is minted from the sorted ids of its first members (``story_id_for``) and then
kept: later articles that join, or a merge with another story, never change it (a merge keeps the
id of the larger story, ties to the smaller id).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlparse

import numpy as np

from ..annotate.quote_speakers import CUE_VERBS
from ..disjoint import DisjointSets
from ..model import Article
from .features import (
    ArticleView,
    ViewMatrices,
    common_names,
    dated_mentions,
    parse_day,
    reported_text,
    top_terms,
)
from .terms import text_terms

HEADLINE_WORDS = (5, 40)  # shorter is a fragment or a kicker; longer is a paragraph
HEADLINE_SENTENCES_PER_ARTICLE = 3  # the lead states the event; later sentences wander
HEADLINE_LINES = 1 << 14  # candidate lines vectorised at once (see headlines)
REPORTED = ("reporting", "reproduced")
_QUOTE_OPEN = "\"“‘'«"
_WORDS = re.compile(r"\w+")


def story_id_for(article_ids: Sequence[str]) -> str:
    return "s_" + hashlib.sha256("\n".join(sorted(article_ids)).encode()).hexdigest()[:12]


def outlet(a: Article) -> str:
    """The outlet: the source name, else the URL's host, else the article itself."""
    if a.source and a.source.strip():
        return "source:" + a.source.strip().lower()
    if a.url:
        host = urlparse(a.url if "//" in a.url else "//" + a.url).hostname or ""
        host = host.removeprefix("www.")
        if host:
            return "host:" + host
    return "article:" + a.id


def _text_partners(a: Article) -> list[str]:
    """Who ``a`` shares reported text with, by its own fields: the articles it reuses, its original."""
    return [r.article_id for r in a.reuse] + ([a.duplicate_of] if a.duplicate_of else [])


def independence_groups(members: Sequence[Article]) -> dict[str, str]:
    """Article id -> its group (the smallest id in it): articles sharing reported text (their ``reuse``
    and ``duplicate_of``; one direction is enough to join) or one outlet are one source, transitively.
    Only ``members`` are joined."""
    sets = DisjointSets(a.id for a in members)
    by_outlet: dict[str, str] = {}
    for a in sorted(members, key=lambda a: a.id):
        o = outlet(a)
        if o in by_outlet:
            sets.union(a.id, by_outlet[o])
        else:
            by_outlet[o] = a.id
        for other in _text_partners(a):
            if other in sets.parent:
                sets.union(a.id, other)
    return {a.id: sets.find(a.id) for a in members}


def independent_sources(members: Sequence[Article]) -> int:
    """Independence groups × distinct outlets: articles sharing reported text, or one outlet, count once."""
    return len(set(independence_groups(members).values()))


def _sentences(a: Article) -> list[tuple[int, int]]:
    """Sentence spans inside reported segments (from ``clean`` when it ran, else split here)."""
    spans = [(s.start, s.end) for s in a.segments if s.kind in REPORTED] or (
        [] if a.segments else [(0, len(a.text))]
    )
    if a.sentences:
        sents = [(s.start, s.end) for s in a.sentences]
    else:
        from ..clean.sentences import split_sentences

        sents = [(s.start, s.end) for st, en in spans for s in split_sentences(a.text, st, en)]
    return [(s, e) for s, e in sents if any(st <= s and e <= en for st, en in spans)]


def _opinion_text(a: Article) -> str:
    return " ".join(a.text[s.start : s.end] for s in a.segments if s.kind == "opinion")


def _usable(line: str) -> bool:
    n = len(line.split())
    return HEADLINE_WORDS[0] <= n <= HEADLINE_WORDS[1] and not line.rstrip().endswith("?") and line[:1] not in _QUOTE_OPEN


def _headline_candidates(members: Sequence[Article]) -> list[tuple[str, str, int]]:
    """(text, article id, position) of each usable title or lead reporting sentence; -1 for a title."""
    candidates: list[tuple[str, str, int]] = []
    for a in members:
        opinion = _opinion_text(a)
        if a.title and _usable(a.title) and a.title.strip() not in opinion:
            candidates.append((a.title.strip(), a.id, -1))
        for k, (s, e) in enumerate(_sentences(a)[:HEADLINE_SENTENCES_PER_ARTICLE]):
            line = " ".join(a.text[s:e].split())
            if _usable(line):
                candidates.append((line, a.id, k))
    return candidates


def headlines(stories: Sequence[Sequence[Article]], rows: Sequence[Sequence[int]], m: ViewMatrices) -> list[str]:
    """Per story: the title or lead reporting sentence closest to its centroid; never an opinion line.

    The candidate lines of many stories go through the body vectoriser at once (one call per story
    costs a vocabulary lookup each time: minutes for thousands of stories), about HEADLINE_LINES at a
    time (all at once, their term counts and vectors were ~0.3 GB at 100k articles).
    """
    out: list[str] = []
    block: list[list[tuple[str, str, int]]] = []  # the candidates of stories[start:]
    start, lines = 0, 0
    for k, members in enumerate(stories):
        block.append(_headline_candidates(members))
        lines += len(block[-1])
        if lines >= HEADLINE_LINES or k == len(stories) - 1:
            out += _closest_lines(stories[start : k + 1], rows[start : k + 1], block, m)
            block, start, lines = [], k + 1, 0
    return out


def _closest_lines(stories: Sequence[Sequence[Article]], rows: Sequence[Sequence[int]],
                   cands: Sequence[Sequence[tuple[str, str, int]]], m: ViewMatrices) -> list[str]:
    """:func:`headlines` of ``stories``, given their candidate lines (each line's vector depends on it alone)."""
    out: list[str] = []
    if m.body_terms is None or not len(m.body_terms.columns) or not any(cands):
        vecs = None
    else:
        vecs = m.body_terms.transform([text_terms(c[0]) for cs in cands for c in cs])
        norms = np.sqrt(np.asarray(vecs.multiply(vecs).sum(axis=1)).ravel()) + 1e-9
    at = 0
    for members, g, candidates in zip(stories, rows, cands):
        if not candidates:
            a = min(members, key=lambda a: a.id)
            out.append(" ".join((a.title or a.text).split())[:160])
            continue
        if vecs is None:
            out.append(min(candidates, key=lambda c: (c[2], c[1]))[0])
            continue
        centroid = np.asarray(m.body[list(g)].mean(axis=0)).ravel()
        sims = (vecs[at : at + len(candidates)] @ centroid) / norms[at : at + len(candidates)]
        at += len(candidates)
        best = min(range(len(candidates)), key=lambda i: (-round(float(sims[i]), 6), candidates[i][2], candidates[i][1]))
        out.append(candidates[best][0])
    return out


def headline(members: Sequence[Article], rows: Sequence[int], m: ViewMatrices) -> str:
    """The title or lead reporting sentence closest to the story's centroid; never an opinion line."""
    return headlines([members], [rows], m)[0]


def event_date(members: Sequence[Article]) -> tuple[str | None, int, str]:
    """The day of the happening, how many members support it, and its basis.

    Each member votes for its dated mentions in the reported text (earlier mentions weigh more: a
    lead gives the day of the event first; relative days such as "on Monday" count once ``annotate``
    has resolved them against a publication date that is a fact); members without any vote with their
    publication date at half weight. Ties go to the earlier day. Basis: ``"reported text"`` when a
    member's reported text states the day, else ``"publication date"``.
    """
    votes: Counter = Counter()
    support: Counter = Counter()
    stated: set = set()
    for a in members:
        mentions = dated_mentions(a)
        if mentions:
            weights = [1.0 / (1 + r) for r in range(len(mentions))]
            total = sum(weights)
            for day, w in zip(mentions, weights):
                votes[day] += w / total
            for day in set(mentions):
                support[day] += 1
            stated.update(mentions)
        else:
            day = parse_day(a.published.date)
            if day is not None:
                votes[day] += 0.5
                support[day] += 1
    if not votes:
        return None, 0, ""
    day = min(votes, key=lambda d: (-round(votes[d], 9), d))
    return day.isoformat(), support[day], "reported text" if day in stated else "publication date"


# Words every report uses ("said"): true of the story, but they say nothing about what it is.
_REPORTING_VERBS = frozenset(CUE_VERBS.split("|")) | {"according", "statement"}


def _cased(members: Sequence[Article], names: Sequence[str]) -> dict[str, str]:
    """Lower-case name word -> the spelling the articles use most ("lind" -> "Lind")."""
    texts = [(a.title or "") + "\n" + a.text for a in members]
    found = {n: Counter() for n in names}
    words = [n for n in names if _WORDS.fullmatch(n)]
    if words:
        # A name of word characters between \b's only matches a whole word, so one alternation finds
        # every such name's matches in a single scan per text, in text order (a scan per name was a
        # third of the stories step); which name a matched word belongs to is decided per distinct word.
        either = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
        alone = [(n, re.compile(re.escape(n), re.IGNORECASE)) for n in words]
        owners: dict[str, list[str]] = {}
        for text in texts:
            for form in either.findall(text):
                if form not in owners:
                    owners[form] = [n for n, p in alone if p.fullmatch(form)]
                for n in owners[form]:
                    found[n][form] += 1
    for n in names:
        if n in words:
            continue
        pattern = re.compile(rf"\b{re.escape(n)}\b", re.IGNORECASE)
        found[n] = Counter(m.group() for text in texts for m in pattern.finditer(text))
    out = {}
    for n in names:
        forms = found[n]
        forms = Counter({f: c for f, c in forms.items() if not f.islower()}) or forms
        if forms:
            out[n] = forms.most_common(1)[0][0]
    return out


def why(members: Sequence[Article], views: Sequence[ArticleView], rows: Sequence[int], m: ViewMatrices,
        date: str | None, date_support: int, date_basis: str = "") -> tuple[str, ...]:
    out = []
    names = common_names(views)
    if names:
        shown = _cased(members, names)
        out.append(("shared entities: " if len(members) > 1 else "entities: ")
                   + ", ".join(shown.get(n, n) for n in names))
    if m.body_terms is not None and len(m.body_terms.columns):
        centroid = np.asarray(m.body[list(rows)].mean(axis=0)).ravel()
        texts = [(a.title or "") + "\n" + reported_text(a) for a in members]
        terms = [t for t in top_terms(centroid, m.body_terms, 8, texts)
                 if t not in names and t not in _REPORTING_VERBS][:5]
        if terms:
            out.append("key terms: " + ", ".join(terms))
    if date:
        basis = f"; from the {date_basis}" if date_basis else ""
        out.append(f"event date {date} ({date_support} of {len(members)} articles{basis})")
    return tuple(out)

