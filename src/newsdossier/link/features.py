"""The views of an article that the event clusterer compares, and the pairwise features built from them.

Views (each degrades gracefully when an earlier stage has not filled its annotations):

- body: the reported text (``reporting`` and ``reproduced`` segments; opinion, reader comments and
  boilerplate say little about *which* event happened and much about the outlet), TF-IDF weighted;
- title: the title, else the first reported sentence, TF-IDF weighted;
- names: the entity mentions from ``annotate``; when an article has none, capitalised words that
  do not start a sentence (a cheap stand-in: look-alike events differ mostly in who and where);
- numbers: years and other figures in the reported text (look-alike events differ in when and how many);
- date: the article's event date (see :func:`article_event_date`), else its publication date; for
  undated articles the earliest day their text allows, and the periods of earlier look-alike events
  they refer back to (see :mod:`.temporal`).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from ..annotate.entity_names import without_leading_determiners
from ..model import Article
from .row_dots import row_dots
from .temporal import not_before, recurrence_periods, recurring_mask, window_gap, windows
from .terms import TermCounts, TermMatrix, bag_terms, term_names, text_terms, tfidf_matrix

# Segments whose text tells which event happened; the rest is commentary, comments or site furniture.
REPORTED_KINDS = frozenset({"reporting", "reproduced"})
# With less reported text than this the article is probably mis-segmented: fall back to all but junk.
MIN_REPORTED_CHARS = 200
# Publication dates that are facts; an "inferred" one is the latest date the text states, a guess.
ANCHORED_BASES = frozenset({"metadata", "text"})
# An event is reported within days; a date mention further than this before publication is background.
MAX_EVENT_LOOKBACK_DAYS = 45

FIRST_ORDER: tuple[str, ...] = ("cos_body", "cos_names", "cos_title", "cos_numbers")

_CAP_WORD = re.compile(r"\b[A-Z][\w'’\-]*[A-Za-z]\b|\b[A-Z]{2,}\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"”’)]?\s+|\n\s*|[\"“(]\s*)$")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class ArticleView:
    """What the clusterer needs of one article; term counts (not text), so it can be stored and reused."""

    id: str
    body: TermCounts
    title: TermCounts
    names: tuple[str, ...]
    numbers: TermCounts
    date: dt.date | None
    not_before: dt.date | None = None
    recurrence: tuple[tuple[int, int], ...] = ()
    anchored: bool = False  # the publication date is a fact (metadata, byline), not an inference
    name_counts: TermCounts | None = None  # ``names`` counted (None: count when needed)


def reported_spans(a: Article) -> list[tuple[int, int]]:
    """The character ranges of ``a.text`` that report (see module doc); the whole text if unsegmented."""
    if not a.segments:
        return [(0, len(a.text))]
    spans = [(s.start, s.end) for s in a.segments if s.kind in REPORTED_KINDS]
    if sum(e - s for s, e in spans) < MIN_REPORTED_CHARS:
        spans = [(s.start, s.end) for s in a.segments if s.kind not in ("boilerplate", "reader_comment")]
    return spans or [(0, len(a.text))]


def reported_text(a: Article) -> str:
    return "\n".join(a.text[s:e] for s, e in reported_spans(a))


def parse_day(value: str | None) -> dt.date | None:
    """A full ``YYYY-MM-DD`` date, else ``None`` (partial dates such as 2016-03 are not a day)."""
    if not value:
        return None
    m = _DAY.match(value[:10])
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def dated_mentions(a: Article) -> list[dt.date]:
    """Full-day time mentions inside the reported text, in text order, that can be the event's day.

    A date after publication (plus a day for time zones) is a plan, and one long before is background.
    Without a publication date, a day the text itself rules out (before its lower bound, see
    :func:`.temporal.not_before`) is background too: a birth date, an anniversary, a precedent.
    """
    spans = reported_spans(a)
    published = parse_day(a.published.date)
    floor = not_before(a) if published is None and a.times else None
    out = []
    for t in sorted(a.times, key=lambda t: t.start):
        if not any(s <= t.start < e for s, e in spans):
            continue
        day = parse_day(t.value)
        if day is None:
            continue
        if published is not None:
            lag = (published - day).days
            if lag < -1 or lag > MAX_EVENT_LOOKBACK_DAYS:
                continue
        elif floor is not None and day < floor:
            continue
        out.append(day)
    return out


def article_event_date(a: Article) -> dt.date | None:
    """The day the article's event happened, by its own account.

    The first dated mention in the reported text (news leads state the day of the happening first),
    else the publication date (news is reported within a day or two), else ``None``.
    """
    mentions = dated_mentions(a)
    if mentions:
        return mentions[0]
    return parse_day(a.published.date)


def _fallback_names(text: str) -> list[str]:
    names = []
    for m in _CAP_WORD.finditer(text):
        if _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]) and not m.group().isupper():
            continue  # a capital that only starts a sentence says nothing
        names.append(sys.intern(m.group().lower().replace("’", "'")))
    return names


def article_names(a: Article) -> list[str]:
    """Name tokens of the article: annotated entities when there are any, else capitalised words.
    Interned: every view holds its names, and at 100k articles most are repeats of a few thousand."""
    spans = reported_spans(a)
    if a.entities:
        out = []
        for e in a.entities:
            if any(s <= e.start < end for s, end in spans):
                # a span may open with a capitalised "The" ("The New York Times"): not a word of the name
                words = without_leading_determiners(re.findall(r"\w+", a.text[e.start : e.end]))
                out.extend(sys.intern(w.lower()) for w in words)
                if e.entity_id:
                    out.append(sys.intern("id:" + e.entity_id))
        if out:
            return out
    return _fallback_names((a.title or "") + "\n" + reported_text(a))


def first_sentence(text: str) -> str:
    m = re.search(r"\S.*?(?:[.!?](?=\s)|\n|$)", text.strip(), re.S)
    return m.group().strip() if m else ""


def build_view(a: Article) -> ArticleView:
    body = reported_text(a)
    title = a.title or first_sentence(body)
    full = (a.title + "\n" + body) if a.title else body
    date = article_event_date(a)
    names = tuple(article_names(a))
    return ArticleView(
        id=a.id,
        body=text_terms(full),
        title=text_terms(title),
        names=names,
        numbers=bag_terms(_NUMBER.findall(full)),
        date=date,
        not_before=None if date else not_before(a),
        recurrence=recurrence_periods(a),
        anchored=a.published.basis in ANCHORED_BASES and parse_day(a.published.date) is not None,
        name_counts=bag_terms(names),
    )


@dataclass
class ViewMatrices:
    """Row-normalised TF-IDF matrices of all views, one row per article, plus dates as day numbers."""

    body: sparse.csr_matrix
    title: sparse.csr_matrix
    names: sparse.csr_matrix
    numbers: sparse.csr_matrix
    day: np.ndarray  # float days since epoch, NaN when unknown
    body_terms: TermMatrix | None = None  # the body view's columns and IDF, for "why" and headlines
    lo: np.ndarray | None = None  # the event's possible days per article (see .temporal); None: ``day``
    hi: np.ndarray | None = None
    recurrence: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    anchored: np.ndarray | None = None  # per article: its publication date is a fact

    def __len__(self) -> int:
        return self.body.shape[0]

    @cached_property
    def recurring(self) -> np.ndarray:
        """Per article: whether it has recurrence periods (made once: day gaps are asked for millions of
        pairs, a few thousand at a time)."""
        return recurring_mask(self.recurrence, len(self))


def build_matrices(views: Sequence[ArticleView]) -> ViewMatrices:
    body = tfidf_matrix([v.body for v in views])
    title = tfidf_matrix([v.title for v in views]).rows
    names = tfidf_matrix([v.name_counts if v.name_counts is not None else bag_terms(v.names) for v in views]).rows
    numbers = tfidf_matrix([v.numbers for v in views]).rows
    day = np.array([v.date.toordinal() if v.date else np.nan for v in views], dtype=float)
    lo, hi = windows([v.date for v in views], [v.not_before for v in views])
    recurrence = {i: v.recurrence for i, v in enumerate(views) if v.recurrence}
    anchored = np.array([v.anchored for v in views], dtype=bool)
    return ViewMatrices(body.rows, title, names, numbers, day, body, lo, hi, recurrence, anchored)


def first_order(m: ViewMatrices, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per pair: cosine of the body, names, title and numbers views (columns in FIRST_ORDER order)."""
    return np.stack(
        [row_dots(m.body, rows, cols), row_dots(m.names, rows, cols),
         row_dots(m.title, rows, cols), row_dots(m.numbers, rows, cols)],
        axis=1,
    )


def day_gap(m: ViewMatrices, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Days between the two articles' event days; when one has a publication date that is a fact, between
    their possible event days (see :func:`.temporal.window_gap`: inf when a back-reference rules the
    pair out). NaN when unknown."""
    point = np.abs(m.day[rows] - m.day[cols])
    if m.lo is None or m.hi is None or m.anchored is None:
        return point
    # Bounds and back-references count against a publication date that is a fact; between two guessed
    # dates or bounds only the dates do (on ECB+ the bounds of unanchored articles cost ~0.004 B-cubed F1).
    anchored = m.anchored[rows] | m.anchored[cols]
    if not anchored.any():
        return point
    out = point.copy()
    out[anchored] = window_gap(m.lo, m.hi, m.recurrence, rows[anchored], cols[anchored], m.recurring)
    return out


def top_terms(weights: np.ndarray, terms: TermMatrix, k: int, texts: Sequence[str] = ()) -> list[str]:
    """The ``k`` heaviest terms; ``texts`` name terms this process has not counted (stored articles)."""
    order = [i for i in np.argsort(-weights, kind="stable")[:k] if weights[i] > 0]
    names = term_names(terms.columns[order])
    for t in texts:  # count member texts until every top term has a name
        if None not in names:
            break
        text_terms(t)
        names = term_names(terms.columns[order])
    return [n for n in names if n is not None]


def common_names(views: Sequence[ArticleView], k: int = 5) -> list[str]:
    """The names most members mention (each article counts a name once; ties: the most mentioned)."""
    counts: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for v in views:
        names = [n for n in v.names if not n.startswith("id:")]
        counts.update(set(names))
        mentions.update(names)
    need = 2 if len(views) > 1 else 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -mentions[kv[0]], kv[0]))
    return [n for n, c in ranked if c >= need][:k]
