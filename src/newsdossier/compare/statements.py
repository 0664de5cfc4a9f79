"""Statements: quotes grouped by speaker and content, so one statement reported in several translations
or paraphrases is one statement with a variant from each article.

Translations share few exact words, so content is compared on truncated stems with newswire synonyms,
entity ids and numbers, weighted by how rare each term is among the story's quotes (idf-weighted
overlap coefficient). Only quotes by the same speaker are compared, and quotes by one speaker in one
sentence are one utterance (a paraphrase often splits a quote in two).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..clean.sentences import split_sentences
from ..model import Article, Cite, Quote, Statement
from .text import content_terms, fold, is_question, segment_kind_at
from .vectors import entity_key

STATEMENT_SIMILARITY = 0.3  # average idf-weighted overlap for two utterances to be one statement
UBIQUITOUS_SHARE = 3  # an entity in >= 1/3 of the story's quotes is its main actor or country
UNKNOWN_SPEAKER_SIMILARITY = 0.6  # quotes with no speaker group only when nearly identical
QUOTE_KINDS = frozenset({"reporting", "reproduced", "opinion"})
_TITLES = frozenset(
    {"mr", "ms", "mrs", "dr", "sir", "president", "minister", "prime", "chief", "executive", "chairman",
     "chairwoman", "spokesman", "spokeswoman", "spokesperson", "general", "gen", "secretary", "prof", "professor"}
)


@dataclass(frozen=True, slots=True)
class Utterance:
    speaker_key: str
    speaker_text: str | None
    entity_id: str | None
    quotes: tuple[tuple[str, Quote], ...]  # (article id, quote)
    terms: frozenset[str]


def _surname(speaker: str) -> str:
    toks = [t for t in re.findall(r"[^\W\d_]+", fold(speaker)) if t not in _TITLES and len(t) > 1]
    return toks[-1] if toks else ""


def _person_ids(articles: Sequence[Article]) -> dict[str, set[str]]:
    """Surname -> entity ids of PERSON mentions ending with it, to resolve speakers given only as text."""
    out: dict[str, set[str]] = {}
    for a in articles:
        for m in a.entities:
            if m.type == "PERSON" and m.entity_id:
                s = _surname(a.text[m.start : m.end])
                if s:
                    out.setdefault(s, set()).add(m.entity_id)
    return out


_FIRST_PERSON = frozenset({"i", "we", "me", "us"})


def author_label(a: Article) -> str:
    """How a first-person speaker is named: the writer of the article, by outlet, title or file."""
    return a.source or a.title or a.input.rsplit("/", 1)[-1] or a.id


def _speaker_key(q: Quote, a: Article, surnames: Mapping[str, set[str]]) -> tuple[str, str | None]:
    if q.entity_id:
        return "E:" + q.entity_id, q.entity_id
    text = q.speaker or (a.text[q.speaker_start : q.speaker_end] if q.speaker_start is not None and q.speaker_end is not None else "")
    if text.strip().lower() in _FIRST_PERSON:  # the writer of this article: one speaker per article
        return "A:" + a.id, None
    s = _surname(text) if text else ""
    ids = surnames.get(s, set()) if s else set()
    if len(ids) == 1:
        eid = next(iter(ids))
        return "E:" + eid, eid
    return ("S:" + s, None) if s else ("?", None)


def _quote_terms(a: Article, q: Quote) -> set[str]:
    inside = [m for m in a.entities if q.start <= m.start and m.end <= q.end]
    # Names are compared as entity ids (aliases, transliterations), not again as words.
    chars = list(a.text[q.start : q.end])
    for m in inside:
        chars[m.start - q.start : m.end - q.start] = " " * (m.end - m.start)
    return set(content_terms("".join(chars))) | {"E:" + entity_key(a, m) for m in inside}


def utterances(articles: Sequence[Article]) -> list[Utterance]:
    surnames = _person_ids(articles)
    out = []
    for a in articles:
        sents = [(s.start, s.end) for s in (a.sentences or tuple(split_sentences(a.text)))]
        bucket: dict[tuple[str, int], list[Quote]] = {}
        info: dict[tuple[str, int], tuple[str | None, str | None]] = {}
        for q in sorted(a.quotes, key=lambda x: x.start):
            if not (0 <= q.start < q.end <= len(a.text)) or segment_kind_at(a, q.start, q.end) not in QUOTE_KINDS:
                continue
            sent = next((i for i, (s, e) in enumerate(sents) if s <= q.start < e), -1 - q.start)
            if not q.direct and sent >= 0 and is_question(a.text[slice(*sents[sent])]):
                continue  # 'What did the ministry achieve, according to X?': the writer asks, X has not said it
            key, eid = _speaker_key(q, a, surnames)
            if key == "?":
                sent = -1 - q.start  # an unattributed quote stands alone
            bucket.setdefault((key, sent), []).append(q)
            info.setdefault((key, sent), (q.speaker, eid))
        for (key, _), qs in bucket.items():
            terms: set[str] = set()
            for q in qs:
                terms |= _quote_terms(a, q)
            speaker, eid = info[(key, _)]
            if key.startswith("A:"):
                speaker = f"the author of {author_label(a)}"
            out.append(Utterance(key, speaker, eid, tuple((a.id, q) for q in qs), frozenset(terms)))
    return out


def _overlap(a: frozenset[str], b: frozenset[str], idf: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    # fsum: exact, so the result does not depend on the sets' iteration order (string hashing is
    # randomised per process), and neither do the clusters built on it.
    shared = math.fsum(idf[t] for t in a & b)
    smaller = min(math.fsum(idf[t] for t in a), math.fsum(idf[t] for t in b))
    return shared / smaller if smaller > 0 else 0.0


def _cluster(items: Sequence[Utterance], idf: Mapping[str, float], threshold: float) -> list[list[int]]:
    """Average-link clusters whose mean pairwise similarity stays at or above ``threshold``."""
    k = len(items)
    if k == 1:
        return [[0]]
    dist = np.zeros((k, k))
    for i in range(k):
        for j in range(i + 1, k):
            dist[i, j] = dist[j, i] = max(0.0, 1.0 - _overlap(items[i].terms, items[j].terms, idf))
    from scipy.cluster.hierarchy import fcluster, linkage  # imported on first use: ~0.3 s
    from scipy.spatial.distance import squareform

    labels = fcluster(linkage(squareform(dist, checks=False), "average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _speaker_name(members: Sequence[Utterance], names: Mapping[str, str]) -> str:
    eid = next((u.entity_id for u in members if u.entity_id), None)
    if eid and eid in names:
        return names[eid]
    texts = Counter(u.speaker_text for u in members if u.speaker_text)
    if texts:
        return max(texts, key=lambda t: (len(t), texts[t]))
    return "unattributed"


def build_statements(articles: Sequence[Article], entity_names: Mapping[str, str]) -> tuple[Statement, ...]:
    """``entity_names``: entity id -> display name (the story's merged entities)."""
    utts = utterances(articles)
    df = Counter(t for u in utts for t in u.terms)
    n = max(len(utts), 1)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    for t, c in df.items():
        if t.startswith("E:") and c * UBIQUITOUS_SHARE >= n:
            idf[t] = 0.0  # the story's main actor or country is in most quotes: it tells none apart
    by_speaker: dict[str, list[Utterance]] = {}
    for u in utts:
        by_speaker.setdefault(u.speaker_key, []).append(u)
    out = []
    for key, items in by_speaker.items():
        threshold = UNKNOWN_SPEAKER_SIMILARITY if key == "?" else STATEMENT_SIMILARITY
        for members in _cluster(items, idf, threshold):
            group = [items[i] for i in members]
            cites = tuple(Cite(aid, q.start, q.end) for u in group for aid, q in u.quotes)
            eid = next((u.entity_id for u in group if u.entity_id), None)
            out.append(Statement(_speaker_name(group, entity_names), eid, cites))
    out.sort(key=lambda s: (-len({c.article_id for c in s.variants}), s.speaker, s.variants[0].article_id))
    return tuple(out)
