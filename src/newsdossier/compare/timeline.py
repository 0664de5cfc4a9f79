"""Timeline: dated happenings of the story from the time mentions inside reporting sentences, each cited,
earliest first, partial dates included (a month: 2015-09). Sentences telling the same happening on the
same date are one entry. Sentences in opinion sections or intro lines (confidence.py) date nothing.

An undated article's relative expressions ("on Monday", "at the end of September") stay unresolved in
annotate, which never guesses an anchor. A story is about one happening, so its event date is the best
anchor such an article has: :func:`anchored_times` resolves them against it with annotate's own
resolver, and entries dated only that way say so in their text (:data:`INFERRED_NOTE`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from ..annotate.times import find_times
from ..model import Article, Cite, TimelineEntry, TimeMention
from .similarity import Similarity
from .text import Unit

SAME_HAPPENING = 0.3  # cosine above which two sentences on one date tell the same happening
MAX_TEXT = 240  # longer sentences are trimmed to the clause holding the date
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_CLAUSE_BREAK = re.compile(r"[;:—–]|,\s")
INFERRED_NOTE = " (undated article: date inferred from the story's date {anchor})"
_FULL_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def date_sort_key(value: str) -> tuple[int, int, int, int]:
    """Chronological order of ISO dates and partials (2015 < 2015-09 < 2015-09-30; weeks by Monday)."""
    m = re.fullmatch(r"(\d{4})-W(\d{2})", value)
    if m:
        try:
            d = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return (d.year, d.month, d.day, 1)
        except ValueError:
            pass
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)  # TimeML seasons: at their first month
    if m:
        return (int(m.group(1)), _SEASON_MONTH[m.group(2)], 0, 2)
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if m:
        return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0), 0)
    return (9999, 99, 99, 9)


def _clause(u: Unit, t_start: int, t_end: int) -> str:
    if len(u.text) <= MAX_TEXT:
        return u.text
    rel_s, rel_e = t_start - u.start, t_end - u.start
    lo = max((m.end() for m in _CLAUSE_BREAK.finditer(u.text, 0, rel_s)), default=0)
    hi = min((m.start() for m in _CLAUSE_BREAK.finditer(u.text, rel_e)), default=len(u.text))
    piece = u.text[lo:hi].strip()
    if len(piece.split()) < 4:
        return u.text
    if hi <= MAX_TEXT:
        # From the sentence's start when it fits: the first clause holds who did what.
        lo, piece = 0, u.text[:hi].strip()
    return ("… " if lo > 0 else "") + piece + (" …" if hi < len(u.text) else "")


def anchored_times(article: Article, event_date: str | None) -> tuple[TimeMention, ...]:
    """An undated article's time expressions that need an anchor, resolved against the story's event date.

    Empty when the article has a publication date (annotate resolved against it already) or the story
    has no full event day. Only expressions that overlap none of the article's own times are returned,
    so absolute dates keep annotate's values.
    """
    if article.published.date or not event_date or not _FULL_DAY.fullmatch(event_date):
        return ()
    try:
        anchor = dt.date.fromisoformat(event_date)
    except ValueError:
        return ()
    own = article.times
    return tuple(
        t for t in find_times(article.text, anchor) if not any(t.start < o.end and o.start < t.end for o in own)
    )


def build_timeline(
    articles: Mapping[str, Article],
    units: Sequence[Unit],
    sim: Similarity,
    usable: Sequence[bool] = (),
    event_date: str | None = None,
) -> tuple[TimelineEntry, ...]:
    """``usable``: per unit, may it date a happening (confidently reporting); all when empty.
    ``event_date``: the story's day, the anchor for undated articles' relative expressions."""
    inferred = {aid: anchored_times(a, event_date) for aid, a in articles.items()}
    found: list[tuple[str, int, str, bool]] = []  # (date, unit index, text, date inferred from the story's)
    for i, u in enumerate(units):
        if usable and not usable[i]:
            continue
        a = articles[u.article_id]
        mentions = [(t, False) for t in a.times] + [(t, True) for t in inferred.get(u.article_id, ())]
        for t, guessed in sorted(mentions, key=lambda x: x[0].start):
            if u.start <= t.start and t.end <= u.end and date_sort_key(t.value)[0] != 9999:
                found.append((t.value, i, _clause(u, t.start, t.end), guessed))
    entries: list[tuple[str, list[int], str, list[bool]]] = []
    row, row_of = None, -1
    for value, i, text, guessed in found:
        for date, members, _, flags in entries:
            if date != value:
                continue
            if i not in members and row_of != i:
                row, row_of = sim.row(i), i  # the unit's similarities, made once for its dates
            if i in members or row[members].max() >= SAME_HAPPENING:
                if i not in members:
                    members.append(i)
                flags.append(guessed)
                break
        else:
            entries.append((value, [i], text, [guessed]))
    out = []
    for date, members, text, flags in entries:
        cites, seen = [], set()
        for i in members:
            u = units[i]
            if u.article_id not in seen:
                seen.add(u.article_id)
                cites.append(Cite(u.article_id, u.start, u.end))
        if all(flags):  # no source states this date against a date of its own
            text += INFERRED_NOTE.format(anchor=event_date)
        out.append(TimelineEntry(date, text, tuple(cites)))
    out.sort(key=lambda e: (date_sort_key(e.date), -len(e.cites)))
    return tuple(out)
