"""Speakers of quotes: the noun phrase next to a cue verb, resolved through pronouns and titles.

Without entity mentions a capitalised-name heuristic stands in, so quotes work before the NER lands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import EntityMention
from .entity_spread import surname_mentions

CUE_VERBS = (
    "said|says|say|told|tells|added|adds|stated|announced|announces|declared|claimed|argued|argues|"
    "warned|warns|noted|explained|explains|insisted|insists|suggested|suggests|stressed|emphasized|"
    "emphasised|acknowledged|admitted|asserted|contended|maintained|reported|reports|wrote|writes|tweeted|"
    "confirmed|denied|predicted|conceded|recalled|replied|responded|continued|cautioned|complained|observed|"
    "pointed out|believes|believed|thinks|thought|hoped|feared|estimated|alleged|"
    "alleges|agreed|agrees|revealed|quoted|asked|promised|vowed|pledged|urged|concluded|indicated|remarked"
)
PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "they": "ANY", "it": "ORG", "we": "ANY",
            "i": "ANY"}
TITLES = (
    "president|prime minister|minister|chancellor|secretary|spokesman|spokeswoman|spokesperson|senator|"
    "governor|mayor|leader|chief|director|chairman|ambassador|general|commander|candidate|nominee|king|queen|"
    "pope|premier|official|representative|rep\\.|sen\\.|gov\\."
)
_TITLE_NP = re.compile(rf"(?i)^(?:the|a|an|this|that)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<title>{TITLES})$")
_TITLED_NAME = re.compile(
    rf"(?i:\b(?P<title>{TITLES}))\s+(?P<name>(?:[A-Z][\w'’.-]+\s+){{0,2}}[A-Z][\w'’-]+)"
)
# A run of capitalised words not at a sentence start: a person or organisation name.
_NAME = re.compile(r"\b(?:[A-Z][\w'’-]+\s+(?:of\s+(?:the\s+)?)?){0,3}[A-Z][\w'’-]{2,}(?!\w)")
_STOP = frozenset(
    "that and but or which who whom because when while as if than so then after before since where whether "
    "although though however also to in on at for from with by of about over into said says told".split()
)
_SKIP_BEFORE_CUE = re.compile(
    r"(?i)(?:\s*(?:,|on|last|this|early|late|also|later|previously|repeatedly|has|had|have|had|once|again|then|"
    r"recently|further|(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday|in\s+a\s+statement))+\s*$"
)
# Capitalised words that name nobody, so a later pronoun must not resolve to them.
_NOT_NAMES = frozenset([*PRONOUNS, "his", "its", "their", "our", "my", "your", "you", "who", "which", "this", "that",
                        "these", "those", "some", "many", "others", "one"])
_CALENDAR_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December".split()
)
_WORD_BACK = re.compile(r"([\w'’.-]+)\s*$")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that"})
_NOT_NAME_WORDS = frozenset("The A An This That These Those It He She They We I In On At But And Or If When".split())


@dataclass(frozen=True, slots=True)
class Speaker:
    start: int
    end: int
    text: str


def phrase_before(text: str, end: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase ending at ``end`` (after skipping 'on Monday', 'also', 'has'): up to six words."""
    skip = _SKIP_BEFORE_CUE.search(text, max(limit, end - 40), end)
    if skip:
        end = skip.start()
    while end > limit and text[end - 1].isspace():
        end -= 1
    start, words = end, 0
    while words < 6:
        m = _WORD_BACK.search(text, max(limit, start - 40), start)
        if not m or m.end() != start and text[m.end() : start].strip():
            break
        word = m.group(1)
        if word.lower() in _STOP or word.endswith(","):
            break
        start, words = m.start(1), words + 1
        gap = text[max(limit, start - 2) : start]
        if "," in gap or "“" in gap or '"' in gap or "\n" in gap:
            break
        while start > limit and text[start - 1] in " \t":
            start -= 1
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if words else None


def phrase_after(text: str, start: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase starting at ``start`` ('said Putin', 'said the ministry'): up to the next comma or stop."""
    m = re.compile(r"\s*((?:[\w'’.-]+\s+){0,5}?[\w'’-]+)(?=\s*(?:[,.;:!?]|$|\s(?:on|in|at|during|after|who|which|"
                   r"when|to|that|adding|according)\b))").match(text, start, limit)
    return (m.start(1), m.end(1)) if m else None


class SpeakerResolver:
    """Resolves a speaker phrase to the nearest fitting named speaker before it in the text."""

    def __init__(self, text: str, entities: Sequence[EntityMention]):
        self.text = text
        if entities:  # 'said Lind' after 'Mara Lind': the bare surname names the speaker too
            entities = [*entities, *surname_mentions(text, entities)]
        self.entities = sorted((e for e in entities if e.type in ("PERSON", "ORG")), key=lambda e: e.start)
        self.named: list[tuple[Speaker, str]] = []  # (speaker, PERSON|ORG|ANY) as quotes are found

    def _named_in(self, start: int, end: int) -> Speaker | None:
        for e in reversed(self.entities):
            if start <= e.start and e.end <= end:
                return Speaker(e.start, e.end, self.text[e.start : e.end])
        if self.entities:
            return None
        last = None
        for m in _NAME.finditer(self.text, start, end):
            words = m.group().split()
            while words and words[0] in _NOT_NAME_WORDS:
                words = words[1:]
            if words and not all(w in _CALENDAR_WORDS for w in words):  # 'The Times on Saturday'
                s = m.end() - len(" ".join(words))
                last = Speaker(s, m.end(), self.text[s : m.end()])
        return last

    def _antecedent(self, before: int, kind: str) -> Speaker | None:
        for e in reversed(self.entities):
            if e.end <= before and (kind == "ANY" or e.type == kind):
                return Speaker(e.start, e.end, self.text[e.start : e.end])
        for spk, k in reversed(self.named):
            if spk.end <= before and (kind == "ANY" or k in (kind, "ANY")):
                return spk
        if self.entities:
            return None
        return self._named_in(max(0, before - 1500), before) if kind == "PERSON" else None

    def _by_title(self, title: str, before: int, phrase: str = "") -> Speaker | None:
        """The last name that followed ``title`` before ``before``. A capitalised word before the title in
        ``phrase`` ("the Vellmar president") must not contradict the one before it there ("Tosk President")."""
        wanted = {w.lower() for w in phrase.split()[:-1] if w[:1].isupper()} - _DETERMINERS
        found = None
        for m in _TITLED_NAME.finditer(self.text, max(0, before - 4000), before):
            if m.group("title").lower() != title.lower():
                continue
            prev = _WORD_BACK.search(self.text, max(0, m.start() - 40), m.start())
            word = re.sub(r"['’]s$", "", prev.group(1)) if prev else ""  # "Vellmar's President"
            if wanted and word[:1].isupper() and word.lower() not in _DETERMINERS and word.lower() not in wanted:
                continue
            found = Speaker(m.start("name"), m.end("name"), m.group("name"))
        return found

    def resolve(self, start: int, end: int) -> Speaker:
        phrase = self.text[start:end]
        low = phrase.lower().strip()
        if low in PRONOUNS:
            found = self._last_named(start) or self._antecedent(start, PRONOUNS[low])
            return found or Speaker(start, end, phrase)
        title = _TITLE_NP.match(phrase)
        if title:
            found = self._by_title(title.group("title"), start, phrase)
            if found:
                return found
        named = self._named_in(start, end)
        if named and (phrase.rstrip()[-1:].isupper() or phrase.split()[-1][:1].isupper()):
            return self.remember(named, "PERSON" if len(named.text.split()) >= 2 else "ANY")
        return self.remember(Speaker(start, end, phrase), "ORG" if phrase[:1].isupper() else "ANY")

    def remember(self, speaker: Speaker, kind: str) -> Speaker:
        if speaker.text[:1].isupper() and speaker.text.lower() not in _NOT_NAMES:
            self.named.append((speaker, kind))
        return speaker

    def resolve_source(self, start: int, end: int) -> Speaker | None:
        """A tagged source phrase to its speaker: a pronoun to the last named source before it (else, when
        entities are known, to the last fitting entity), 'the director' to the name that followed the title
        earlier, a named phrase to the entity inside it. An unresolved phrase stays itself; one of
        function words only ('rather than') is no speaker (None)."""
        start, end = trim_source(self.text, start, end)
        head = _HEAD_NOUNS.match(self.text, end)
        if head:
            end = head.end(1)
        phrase = self.text[start:end]
        if all(w.lower() in _FUNCTION_WORDS for w in _CONTENT_WORD.findall(phrase)):
            return None
        low = phrase.lower().strip()
        if low in _RELATIVES:  # 'Mara Lind, who chairs the board, said': the name just before
            return self._before_relative(start) or Speaker(start, end, phrase)
        if low in PRONOUNS and low not in ("i", "we"):
            # the last named source first: a pronoun source mostly continues the previous speaker
            # else the last entity of the pronoun's kind; "they" are never one person and rarely one
            # organisation named in passing, so they stay unresolved
            fallback = self.entities and low != "they"
            found = self._last_named(start) or (self._antecedent(start, PRONOUNS[low]) if fallback else None)
            return found or Speaker(start, end, phrase)
        title = _TITLE_NP.match(phrase)
        if title:
            return self._by_title(title.group("title"), start, phrase) or Speaker(start, end, phrase)
        if not _UNNAMED.match(phrase):
            if self.entities:  # the name that heads the phrase, else the phrase ('Vellmar opposition sources')
                named = self._head_entity(start, end)
            else:
                named = self._named_in(start, end)  # the name closing 'Union leader Mara Lind'
                if named is not None and named.end != end:
                    named = None
            return self.remember(named or Speaker(start, end, phrase), "ANY")
        return Speaker(start, end, phrase)

    def _head_entity(self, start: int, end: int) -> Speaker | None:
        """The person heading the phrase text[start:end], else the last organisation heading it."""
        inside = [e for e in self.entities if start <= e.start and e.end <= end and heads_phrase(self.text, start, end, e)]
        e = next((e for e in inside if e.type == "PERSON"), inside[-1] if inside else None)
        return Speaker(e.start, e.end, self.text[e.start : e.end]) if e else None

    def _before_relative(self, start: int) -> Speaker | None:
        """The person or organisation named right before a relative pronoun at ``start``."""
        before = _RELATIVE_ANTECEDENT.search(self.text, max(0, start - 3), start)
        e = next((e for e in reversed(self.entities) if before and e.end == before.start()), None)
        return Speaker(e.start, e.end, self.text[e.start : e.end]) if e else None

    def _last_named(self, before: int) -> Speaker | None:
        for spk, _ in reversed(self.named):
            if spk.end <= before and before - spk.end < _PRONOUN_REACH:
                return spk
        return None


# Words that cannot make a speaker on their own ('rather than', 'last year', 'for example'); pronouns and
# relatives can (they are resolved or kept).
_FUNCTION_WORDS = frozenset(
    "a an the rather than and or but as of to in on at by for from with about then so what when where while "
    "also even only just not no more most since before after likewise however meanwhile example instance "
    "last next year years week month day today yesterday start".split())
# Lower-case words between a tagged source and its cue verb finish the source's noun phrase ("Vellmar
# [opposition sources] said"); adverbs do not ("Lind also said").
_HEAD_NOUNS = re.compile(r"((?:[ \t]+(?!(?:also|again|then|later|now|still|previously|reportedly|had|has|have|was|is)\b)"
                         r"[a-z]+(?<!ly)){1,3})(?=[ \t]+(?:" + CUE_VERBS + r")\b)")
_RELATIVES = frozenset({"who", "which", "that"})
_RELATIVE_ANTECEDENT = re.compile(r"[’']?s?,?\s*$")
_CONTENT_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_TRAILING_RELATIVE = re.compile(r"(?:[\s,;:]+(?:which|who|whom|whose|that|where|when))+[\s,;:]*$", re.IGNORECASE)


def trim_source(text: str, start: int, end: int) -> tuple[int, int]:
    """A source span without a dangling relative pronoun or punctuation ('the harbour board, which'
    -> 'the harbour board')."""
    m = _TRAILING_RELATIVE.search(text, start, end)
    if m and m.start() > start:
        end = m.start()
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-?!"):
        end -= 1
    return start, end


def heads_phrase(text: str, start: int, end: int, mention: EntityMention) -> bool:
    """Whether ``mention`` is the head of the phrase text[start:end] (who the phrase is), not a modifier
    ('the Tosk army', 'Lind's aide') or a complement ('aides to Mara Lind'): nothing but an apposition or
    a prepositional phrase follows it ('Mara Lind, director of ...', 'Lind during an interview with ...'),
    and no preposition comes before it."""
    before = text[start : max(start, mention.start)]
    after = text[min(mention.end, end) : end]
    return bool(_HEAD_AFTER.match(after)) and not _COMPLEMENT_BEFORE.search(before)


_HEAD_AFTER = re.compile(r"\s*$|\s*[,(—–]|\s+(?:of|in|at|on|during|after|before|from|for|with|to|who|when|while|"
                         r"according|as|[a-z]+ing)\b")  # '..., Lind speaking in Tosk'

# a preposition right before the name ('aides to Mr. Lind', 'a spokesman for the Tosk ministry'), not one
# inside a title before it ('Secretary of State Mara Lind')
_COMPLEMENT_BEFORE = re.compile(r"\b(?:of|to|for|with|at|from|by|near|behind)\s+(?:the\s+)?(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?$",
                                re.IGNORECASE)


_UNNAMED = re.compile(r"^(?:[A-Z][a-z]*\s)?[^A-Z]*$")  # 'the official', 'A spokesman for the ministry'
_PRONOUN_REACH = 3000  # characters back to look for a pronoun's named antecedent
