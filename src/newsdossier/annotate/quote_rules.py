"""Rule-based quotes (the fallback when the learned tagger's model is absent): direct ("...", “...”, multi-paragraph, block quotes after "X said:") and indirect ones
("X said that ...", "..., a source said", "according to X, ...") with their speakers.

A quote's span is its content; for a direct quote it includes the quotation marks. Speakers come from
the phrase next to the cue verb, resolved by :class:`quote_speakers.SpeakerResolver` through pronouns
("he said" -> the last person named as a speaker) and titles ("the Russian president" -> the name that
followed "President" earlier). ``entity_id`` stays None; the entity merge fills it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..clean.sentences import split_sentences
from ..model import EntityMention, Quote, Sentence
from .quote_speakers import CUE_VERBS, SpeakerResolver, phrase_after, phrase_before

_OPEN, _CLOSE = "“«„", "”»"
_MIN_DIRECT_WORDS = 4  # shorter quoted bits are scare quotes or titles, not someone's words
_CUE = rf"(?:{CUE_VERBS})"
_CUE_AFTER_QUOTE = re.compile(rf"[\s,]*(?:(?P<cue1>{_CUE})\b|(?P<np>[^,.;:!?\n“”\"]{{1,80}}?)\s+(?P<cue2>{_CUE})\b)")
_CUE_BEFORE_QUOTE = re.compile(rf"\b(?P<cue>{_CUE})(?:\s+\w+){{0,4}}?\s*[:,]?\s*$")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_INDIRECT_CUE = re.compile(rf"\b(?P<cue>{_CUE}|told\s+(?:reporters|journalists|the\s+\w+|\w+))\b(?:\s+(?:on|last)\s+\w+)?"
                           r"(?:\s+(?:reporters|journalists|him|her|them|us|me))?(?:\s+that\b)?\s*")


_OPENING = re.compile(r'[“«„"]')
_IN_STRAIGHT = re.compile(r'["\n]')
_IN_CURLY = re.compile(r'[”»“«„\n]')


def _direct_spans(text: str) -> list[tuple[int, int]]:
    """Quotation-mark spans, joined across paragraphs as news writes long quotes.

    A quote still open at a paragraph end continues if the next paragraph opens with a quotation mark
    (the convention for multi-paragraph quotes) or, for curly quotes, if a closing mark comes before
    any new opening one within three paragraphs (block quotes closed only at their end).
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        m = _OPENING.search(text, i)  # only marks and line ends matter: jump from one to the next
        if m is None:
            break
        i = m.start()
        c = text[i]
        if c in _OPEN or c == '"':
            straight = c == '"'
            stop = _IN_STRAIGHT if straight else _IN_CURLY
            j, end = i + 1, None
            while j < n:
                m = stop.search(text, j)
                if m is None:
                    break
                j = m.start()
                d = text[j]
                if (straight and d == '"') or (not straight and d in _CLOSE):
                    end = j + 1
                    break
                if not straight and d in _OPEN and text[j - 1] not in "\n":
                    break  # a new opening before a close: unbalanced, give up on this one
                if d == "\n" and text.startswith("\n", j + 1) or d == "\n":
                    k = j
                    while k < n and text[k] in "\n \t":
                        k += 1
                    if k < n and text[k] in (_OPEN + '"'):
                        j = k + 1  # continuation paragraph opening again
                        continue
                    if straight or text.count("\n\n", j, _next_mark(text, j)) > 3 or _next_mark(text, j) >= n:
                        break
                    j = k
                    continue
                j += 1
            if end:
                spans.append((i, end))
                i = end
                continue
        i += 1
    return spans


def _next_mark(text: str, pos: int) -> int:
    best = len(text)
    for ch in _OPEN + _CLOSE:
        k = text.find(ch, pos)
        if 0 <= k < best:
            best = k
    return best


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


def _sentence_of(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    for s in sentences:
        if s.start <= pos < s.end:
            return s
    return None


def find_quotes_by_rules(text: str, sentences: Sequence[Sentence], entities: Sequence[EntityMention],
                         indirect: bool = True) -> list[Quote]:
    """Direct and indirect quotes in text order, each with its speaker when one is found (only the direct
    ones with ``indirect=False``)."""
    sentences = list(sentences) or split_sentences(text)
    resolver = SpeakerResolver(text, entities)
    direct = [(s, e) for s, e in _direct_spans(text) if _words(text[s:e]) >= _MIN_DIRECT_WORDS and not _partial(text, s)]
    events: list[tuple[int, str, tuple[int, int]]] = [(s, "direct", (s, e)) for s, e in direct]
    if indirect:
        events += [(s.start, "sentence", (s.start, s.end)) for s in sentences]
    out: list[Quote] = []
    for _, kind, (s, e) in sorted(events, key=lambda ev: (ev[0], ev[1] == "sentence")):
        if kind == "direct":
            phrase = _direct_speaker(text, s, e)
            out.append(_quote(resolver, text, s, e, True, phrase))
        else:
            inside = [(a, b) for a, b in direct if a < e and s < b]
            if inside and sum(min(b, e) - max(a, s) for a, b in inside) > 0.6 * (e - s):
                continue  # the sentence is a direct quote: done above
            for qs, qe, phrase in _indirect(text, s, e, inside):
                out.append(_quote(resolver, text, qs, qe, False, phrase))
    return _join_interrupted(text, sorted(out, key=lambda q: q.start))


_PARTIAL_BEFORE = re.compile(rf"(?:[A-Za-z]|-)\s*$")
_CUE_JUST_BEFORE = re.compile(rf"\b(?:{_CUE})(?:\s+\w+)?\s*$")


def _partial(text: str, start: int) -> bool:
    """A quoted fragment inside running text ('wanted to speak “directly to voters”') is part of an
    indirect quote, not a direct one; after a cue verb ('sources said “we will wait”') it is direct."""
    before = text[max(0, start - 40) : start]
    return bool(_PARTIAL_BEFORE.search(before)) and not _CUE_JUST_BEFORE.search(before)


_INTERRUPTION = re.compile(rf"^[\s,]*[^“”\"\n]{{0,80}}\b(?:{_CUE})\b[^“”\"\n]{{0,60}}[.,:]\s*$")


def _join_interrupted(text: str, quotes: list[Quote]) -> list[Quote]:
    """'“A,” he said. “B.”' is one quote interrupted by its attribution; a direct quote that opens the
    next paragraph without any attribution continues the previous speaker's words."""
    out: list[Quote] = []
    for q in quotes:
        prev = out[-1] if out else None
        if prev is not None and prev.direct and q.direct:
            gap = text[prev.end : q.start]
            if q.speaker is None and "\n" not in gap and _INTERRUPTION.match(gap):
                out[-1] = Quote(prev.start, q.end, True, prev.speaker, prev.speaker_start, prev.speaker_end)
                continue
            if q.speaker is None and not gap.strip() and prev.speaker is not None:
                q = Quote(q.start, q.end, True, prev.speaker, prev.speaker_start, prev.speaker_end)
        out.append(q)
    return out


def _quote(resolver: SpeakerResolver, text: str, s: int, e: int, direct: bool,
           phrase: tuple[int, int] | None) -> Quote:
    if phrase is None:
        return Quote(s, e, direct)
    spk = resolver.resolve(*phrase)
    return Quote(s, e, direct, spk.text, spk.start, spk.end)


def _direct_speaker(text: str, s: int, e: int) -> tuple[int, int] | None:
    """'..." Putin said', '..." said Putin', 'Putin said: "...' (also on the line before)."""
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    after = _CUE_AFTER_QUOTE.match(text, e, min(line_end, e + 160))
    if after:
        if after.group("cue1"):
            return phrase_after(text, after.end("cue1"), min(line_end, after.end("cue1") + 100))
        np = (after.start("np"), after.end("np"))
        return phrase_before(text, after.start("cue2"), np[0])
    left = text.rfind("\n", 0, max(0, s - 1))
    while left > 0 and not text[left + 1 : s].strip():  # block quote: the cue is on the line before
        left = text.rfind("\n", 0, left)
    limit = left + 1
    before = _CUE_BEFORE_QUOTE.search(text, max(limit, s - 120), s)
    if before:
        return phrase_before(text, before.start("cue"), max(limit, s - 200))
    acc = _ACCORDING.search(text, e, min(line_end, e + 40))
    if acc:
        return phrase_after(text, acc.end(), min(line_end, acc.end() + 80))
    return None


def _indirect(text: str, s: int, e: int, direct: list[tuple[int, int]]) -> list[tuple[int, int, tuple[int, int] | None]]:
    """Indirect quotes in one sentence: 'X said (that) C', 'C, X said', 'C, said X', 'according to X, C'."""
    out = []
    body_end = e - 1 if text[e - 1] in ".!?" else e
    acc = _ACCORDING.search(text, s, e)
    if acc:
        if acc.start() - s < 3:  # "According to X, C."
            comma = text.find(",", acc.end(), e)
            if comma > 0 and _words(text[comma:body_end]) >= 3:
                out.append((comma + 1 + (text[comma + 1] == " "), body_end, (acc.end(), comma)))
                return out
        elif _words(text[s : acc.start()]) >= 3:  # "C, according to X."
            content_end = acc.start() - 1 if text[acc.start() - 2] == "," else acc.start()
            return [(s, max(s, content_end - 1), phrase_after(text, acc.end(), body_end))]
    for m in _INDIRECT_CUE.finditer(text, s, e):
        if any(a <= m.start() < b for a, b in direct):
            continue
        head = text[s : m.start()]
        tail_start = m.end()
        # "C, X said." / "C, said X." : the cue closes the sentence
        tail = text[tail_start:body_end].strip()
        comma = head.rfind(",")
        if comma > 0 and _words(head[:comma]) >= 3 and _words(tail) <= 6:
            phrase = phrase_before(text, m.start(), s + comma + 1)
            if phrase is None or _words(text[phrase[0] : phrase[1]]) == 0:
                phrase = phrase_after(text, tail_start, body_end)
            return [(s, s + comma, phrase)]
        if _words(text[tail_start:body_end]) >= 3:
            phrase = phrase_before(text, m.start(), s)
            if phrase:
                return [(tail_start, body_end, phrase)]
    return out
