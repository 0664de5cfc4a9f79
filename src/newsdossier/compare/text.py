"""Shared text helpers for the compare stage: which sentences are reporting, and light term features.

Everything here is language-light on purpose: compare must work without pretrained models, so terms are
content words after suffix stripping and truncation (robust to spelling variants such as
defence/defense and to inflection), with a small general-purpose newswire synonym table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..clean.sentences import split_sentences
from ..model import Article, Segment

#: Segment kinds whose text may produce claims, numbers, timeline and summary sentences.
FACT_KINDS = frozenset({"reporting", "reproduced"})

_NEGATIONS = frozenset({"no", "not", "never", "nobody", "nothing", "none", "neither", "nor"})
# Reporting verbs and fillers carry no proposition of their own.
_EXTRA_STOP = frozenset({"said", "says", "say", "told", "tell", "according", "added", "also", "just", "like", "mr", "ms", "mrs"})
STOP_WORDS = (frozenset(ENGLISH_STOP_WORDS) - _NEGATIONS) | _EXTRA_STOP

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")
STEM_LEN = 5  # truncation length: collapses inflection and British/American spelling (defence/defense)

# General newswire near-synonyms (not corpus-specific): each class maps to its first word.
_SYNONYM_CLASSES: tuple[tuple[str, ...], ...] = (
    ("talks", "negotiations", "negotiate", "meeting", "meet", "summit"),
    ("troops", "soldiers", "personnel", "forces", "servicemen"),
    ("withdraw", "withdrawal", "pullout", "pullback", "drawdown", "retreat"),
    ("killed", "dead", "died", "deaths", "fatalities"),
    ("injured", "wounded", "hurt", "injuries"),
    ("begin", "start", "launch", "commence"),
    ("order", "instruct"),
    ("accomplish", "achieve", "fulfil", "fulfill", "complete"),
    ("task", "objective", "mission", "goal", "aim"),
    ("keep", "maintain", "retain", "remain", "stay", "continue"),
    ("naval", "sea", "maritime"),
    ("shut", "close", "closure"),
    ("large", "big", "major"),
)


def fold(text: str) -> str:
    """Lowercase, accents removed (Ščerbovec -> scerbovec), so variants compare equal."""
    if text.isascii():  # nothing to decompose: most text, and the hot path of compare
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_suffix(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


def _raw_stem(word: str) -> str:
    return _strip_suffix(word)[:STEM_LEN]


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for cls in _SYNONYM_CLASSES:
        head = _raw_stem(cls[0])
        for w in cls:
            table[_raw_stem(w)] = head
    return table


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The comparison form of one lowercase word."""
    s = _raw_stem(word)
    return _synonyms().get(s, s)


def words(text: str) -> list[str]:
    """Folded word tokens, apostrophe-s dropped (Putin's -> putin)."""
    out = []
    for w in _WORD.findall(fold(text)):
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        out.append(w.replace("’", "'"))
    return out


def content_terms(text: str) -> list[str]:
    """Stems of the content words of ``text`` in order, plus joined adjacent pairs as compounds
    (``air base`` also yields ``airba``, matching ``airbase``)."""
    terms, compounds = terms_and_compounds(text)
    return terms + compounds


def terms_and_compounds(text: str) -> tuple[list[str], list[str]]:
    """The stems of the content words, and the joined adjacent pairs (synthetic: they only serve to
    match a closed-up spelling elsewhere)."""
    toks = [w for w in words(text) if w not in STOP_WORDS and not w.isdigit() and (len(w) > 2 or w in _NEGATIONS)]
    out = [stem(w) for w in toks]
    return out, [stem(a + b) for a, b in pairwise(toks) if 2 < len(a) < STEM_LEN and len(b) > 2]


def is_question(sentence: str) -> bool:
    """A sentence that asks rather than states (closing quotes and brackets aside)."""
    return sentence.rstrip(" \"'”’)").endswith("?")


def is_fact_kind(kind: str) -> bool:
    return kind in FACT_KINDS


@dataclass(frozen=True, slots=True)
class Unit:
    """One reporting sentence of one article: the span cited for it, clipped to its segment."""

    article_id: str
    start: int
    end: int
    text: str
    index: int  # position among the article's fact sentences


def fact_segments(article: Article) -> list[Segment]:
    """Reporting/reproduced segments; an article with no segments counts as all reporting."""
    if not article.segments:
        return [Segment("reporting", 0, len(article.text))] if article.text else []
    return [s for s in article.segments if is_fact_kind(s.kind)]


def _sentences(article: Article) -> list[tuple[int, int]]:
    sents = article.sentences or tuple(split_sentences(article.text))
    return [(s.start, s.end) for s in sents if 0 <= s.start < s.end <= len(article.text)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


MIN_WORDS = 4  # shorter pieces (bylines, labels, "Share this:") are not propositions


def fact_units(article: Article) -> list[Unit]:
    """The article's sentences that lie in reporting/reproduced text, each clipped to the segment it
    overlaps most, so a cite never reaches into opinion, comments or boilerplate."""
    segs = fact_segments(article)
    out: list[Unit] = []
    for s_start, s_end in _sentences(article):
        best: tuple[int, int] | None = None
        best_len = 0
        for seg in segs:
            lo, hi = max(s_start, seg.start), min(s_end, seg.end)
            if hi - lo > best_len:
                best, best_len = (lo, hi), hi - lo
        if best is None or best_len < (s_end - s_start) / 2:
            continue  # mostly outside fact text
        lo, hi = _trim(article.text, *best)
        piece = article.text[lo:hi]
        if len(words(piece)) < MIN_WORDS:
            continue
        out.append(Unit(article.id, lo, hi, piece, len(out)))
    return out


def segment_kind_at(article: Article, start: int, end: int) -> str | None:
    """The kind of the segment containing ``[start, end)`` (reporting when unsegmented), else None."""
    if not article.segments:
        return "reporting"
    for seg in article.segments:
        if seg.start <= start and end <= seg.end:
            return seg.kind
    return None


def outlet_name(article: Article) -> str:
    """What a reader calls the article's outlet: source, else URL host, else its input."""
    if article.source:
        return article.source
    host = url_host(article.url)
    return host or article.title or input_label(article.input)


def input_label(name: str) -> str:
    """The last component of an input name: "dir/sub/a.txt" -> "a.txt", "x.zip!d/b.html" -> "b.html"."""
    return re.split(r"[/\\!]", name)[-1] or name


def url_host(url: str | None) -> str | None:
    if not url:
        return None
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", url.strip(), re.IGNORECASE)
    if not m:
        return None
    host = m.group(1).lower()
    return host.removeprefix("www.")
