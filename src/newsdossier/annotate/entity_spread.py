"""Mentions the tagger missed: other spellings of a name it found elsewhere in the same batch.

A statistical tagger misses a rare spelling of a transliterated name ("its Hmeymim airbase") that it
tags elsewhere in another spelling ("Hmeimim"). After tagging, every capitalised word of an article
that is not inside a mention is checked against the one-word place, organisation and other names found
in the batch (an article, or the articles of one story). It becomes a mention of that type when

- it is a spelling the tagger never tagged (repeats of a tagged spelling are the tagger's call), and
- it has the same spelling-insensitive key (:func:`entity_names.fold_word`) as such a name, or a near
  spelling by the alias merger's own test (:func:`aliases.near_word`: same first letter and consonant
  skeleton, edit similarity >= 0.8, at least 5 letters).

People are left out (over-merging is worse than under-merging: "Obama" / "Osama"), as are words shaped
like nationality adjectives ("Syrian"), words at a sentence start (only a capital after a lower-case word
or a comma counts) and keys under 5 letters. ``entity_id`` is set later by the merge.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..model import EntityMention
from .aliases import display_name, name_key, near_word
from .entity_names import skeleton

MIN_KEY_LETTERS = 5
# Nationality adjectives ("Syrian", "Chinese", "British"); stricter than aliases.DEMONYM_SHAPE, since a
# place's own spelling may end in "-an" ("Teheran").
_ADJECTIVE_SHAPE = re.compile(r"^[A-Z][a-z]+(?:ian|ican|ese|ish)$")
# A capitalised word preceded by a lower-case word or a comma on the same line: not a sentence start.
_CANDIDATE = re.compile(r"(?<=[a-z,;]) (?P<word>[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)\b")


@functools.lru_cache(maxsize=65536)
def _key(word: str) -> str:
    key = name_key(word)
    return key[0] if len(key) == 1 else ""


def known_names(texts: Sequence[str], mentions: Sequence[Sequence[EntityMention]]) -> tuple[dict[str, str], set[str]]:
    """({folded one-word non-person name: its commonest type}, the lower-cased spellings of every
    tagged one-word name) over the batch."""
    types: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    for text, found in zip(texts, mentions):
        for m in found:
            name = display_name(text[m.start : m.end], m.type == "PERSON")
            key = name_key(name)
            if len(key) == 1:
                seen.add(name.lower())
                if len(key[0]) >= MIN_KEY_LETTERS:
                    types[key[0]][m.type] += 1
    known = {k: c.most_common(1)[0][0] for k, c in types.items()}
    return {k: t for k, t in known.items() if t != "PERSON"}, seen


def _near_block(key: str) -> tuple[str, str]:
    """Every known key ``near_word`` can accept for ``key`` other than itself shares this block:
    it needs the same first letter and the same consonant skeleton."""
    return key[0], skeleton(key)


def _match(key: str, known: dict[str, str], near: dict[tuple[str, str], list[str]]) -> str | None:
    if key in known:
        return known[key]
    # The block keeps the order of ``known``, so the first near match is the one a scan of all
    # known names would find.
    for other in near.get(_near_block(key), ()):
        if near_word(key, other):
            return known[other]
    return None


def surname_mentions(text: str, found: Sequence[EntityMention]) -> list[EntityMention]:
    """Later bare surnames of people the article names in full ("Mara Lind ... said Lind"), which a
    tagger often leaves untagged. Only the exact surname in the same article, and not where it is part
    of another name (a capitalised word right before or after it) or tagged as something else.

    Used for quote speakers only: as entity mentions they shift link's entity weights (ECB+ B3-F1
    0.9526 -> 0.9433 by topic-CV), so the article's entities stay the tagger's and the spread's."""
    people = {text[m.start : m.end].split()[-1] for m in found if m.type == "PERSON" and len(text[m.start : m.end].split()) >= 2}
    surnames = {w for w in people if len(w) >= 3 and w[:1].isupper() and w[1:].islower()}
    surnames -= {text[m.start : m.end] for m in found if m.type != "PERSON"}
    if not surnames:
        return []
    spans = sorted((m.start, m.end) for m in found)
    starts = [a for a, _ in spans]
    added = []
    pattern = re.compile(r"(?<![\w’'-])(?:" + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w-])")
    for m in pattern.finditer(text):
        s, e = m.span()
        k = bisect.bisect_left(starts, e) - 1
        if k >= 0 and spans[k][1] > s:
            continue  # inside a mention
        if _NEXT_CAPITAL.match(text, e) or _PREVIOUS_CAPITAL.search(text, max(0, s - 40), s):
            continue  # part of another name ("Lind Street", "Anna Lind")
        added.append(EntityMention(s, e, "PERSON"))
    return added


_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z]")
_PREVIOUS_CAPITAL = re.compile(r"[A-Z][\w’'.-]*[ \t]+$")


def add_missed_mentions(texts: Sequence[str], mentions: Sequence[Sequence[EntityMention]],
                        first: int = 0) -> list[list[EntityMention]]:
    """Each article's mentions plus the further occurrences of names found in the batch, in text order.

    ``first``: the names are gathered from every article, but only ``texts[first:]`` are searched and
    returned (the ones before are context already searched: an incremental run's stored articles)."""
    known, seen = known_names(texts, mentions)
    texts, mentions = texts[first:], mentions[first:]
    if not known:
        return [list(found) for found in mentions]
    near: dict[tuple[str, str], list[str]] = defaultdict(list)
    for k in known:
        near[_near_block(k)].append(k)
    matched: dict[str, str | None] = {}  # key -> type; the same words recur across the batch
    out = []
    for text, found in zip(texts, mentions):
        spans = sorted((m.start, m.end) for m in found)
        starts = [a for a, _ in spans]
        added = []
        for m in _CANDIDATE.finditer(text):
            word = m.group("word")
            if word.lower() in seen or _ADJECTIVE_SHAPE.match(word):
                continue
            s, e = m.span("word")
            k = bisect.bisect_left(starts, e) - 1  # the last mention starting before the word's end
            if k >= 0 and spans[k][1] > s:
                continue
            key = _key(word)
            if len(key) < MIN_KEY_LETTERS:
                continue
            if key not in matched:
                matched[key] = _match(key, known, near)
            entity_type = matched[key]
            if entity_type is not None:
                added.append(EntityMention(s, e, entity_type))
        out.append(sorted([*found, *added], key=lambda x: (x.start, x.end)) if added else list(found))
    return out
