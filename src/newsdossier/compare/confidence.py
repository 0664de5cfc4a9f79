"""How sure we are that a fact sentence is reporting, for the parts of a dossier a reader takes as the
story's facts (summary, timeline, the sentence that stands for a claim).

Clean's segments decide what may produce claims at all; here two extra checks keep the showcase
parts away from text whose segment label is doubtful:

- *opinion sections*: when an article has visible section breaks (two or more blank lines), a section
  in which clean found opinion or reader comments is an opinion section; reporting-labelled sentences
  inside it sit at a passage boundary clean may have put too late.
- *sentence subjectivity*: clean's shipped subjectivity model (calibrated P(opinion)); a sentence at or
  above the model's class-balanced boundary reads as opinion. Without the model every sentence passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..model import Article
from .text import Unit

OPINION_KINDS = frozenset({"opinion", "reader_comment"})
_SECTION_BREAK = re.compile(r"\n[ \t\xa0]*\n(?:[ \t\xa0]*\n)+")


def _sections(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SECTION_BREAK.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def opinion_sections(article: Article) -> list[tuple[int, int]]:
    """Sections of the article (between multi-blank-line breaks) that hold opinion or comments;
    none when the article has no section breaks (then a section is the whole article)."""
    sections = _sections(article.text)
    if len(sections) < 2:
        return []
    marked = [s for s in article.segments if s.kind in OPINION_KINDS]
    return [(a, b) for a, b in sections if any(s.start < b and a < s.end for s in marked)]


def subjectivity(texts: Sequence[str], known: Mapping[str, float] | None = None) -> tuple[list[float], float]:
    """P(opinion) per sentence and the model's neutral point; zeros when the model is unavailable.
    ``known``: P(opinion) of texts already scored (by clean, with the same model), not scored again."""
    if not texts:
        return [], 1.0
    known = known or {}
    try:
        from ..clean.subjectivity import load

        model = load()
        # wire copies repeat sentences verbatim: score each once
        unique = [t for t in dict.fromkeys(texts) if t not in known]
        probs = dict(zip(unique, (float(p) for p in model.subjective_probability(unique)))) if unique else {}
        return [probs[t] if t in probs else known[t] for t in texts], float(model.threshold_)
    except (ImportError, FileNotFoundError, OSError, ValueError):
        return [0.0] * len(texts), 1.0


def clean_scores(articles: Iterable[Article]) -> dict[str, float]:
    """The sentences clean scored in ``articles``, by text: their P(opinion)."""
    return {a.text[s.start : s.end]: p for a in articles for s, p in zip(a.sentences, a.sentence_opinion)
            if p is not None}


def confident_reporting(
    articles: dict[str, Article], units: Sequence[Unit]
) -> tuple[list[bool], list[bool], list[float]]:
    """Per unit: is it outside opinion sections (and not a colon intro line such as "X reports:");
    is it, besides, below the subjectivity boundary; and its P(opinion)."""
    probs, neutral = subjectivity([u.text for u in units], clean_scores(articles.values()))
    sections = {aid: opinion_sections(a) for aid, a in articles.items()}
    structural, confident = [], []
    for u, p in zip(units, probs):
        in_opinion_section = any(a <= u.start < b for a, b in sections.get(u.article_id, ()))
        ok = not in_opinion_section and not u.text.rstrip().endswith(":")
        structural.append(ok)
        confident.append(ok and p < neutral)
    return structural, confident, probs
