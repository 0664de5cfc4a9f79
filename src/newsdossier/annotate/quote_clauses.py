"""Clause limits for an indirect quote's content: the tagger labels tokens one at a time, so a content it
starts after a cue can run on past the clause the cue governs. Two limits, both outside quotation marks:

- a fronted subordinate clause ('While critics argue that C, the president ...'): a content that starts
  inside a sentence-opening clause ends at the comma that closes that clause;
- the sentence: a content after its cue ends with the cue's sentence ('X said that C. Y ...'), and one
  before its cue starts with it ('... . C, X said').
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..model import Sentence

# Words that open a subordinate clause (or an adverbial phrase) put before the main clause.
_SUBORDINATORS = frozenset(
    "while although though whereas as after before since because if unless until when whenever once despite "
    "even".split())
_WORD = re.compile(r"[\w'’]+")
# A comma that only continues a list or a coordination: 'on taxes, health care, and ...'
_LIST_COMMA = re.compile(r",\s*(?:and|or|but|nor)\b|,\s*[\w'’-]+(?:\s+[\w'’-]+){0,2}\s*,")


def _clause_comma(text: str, inside: Sequence[int], s: int, e: int) -> int | None:
    """The comma closing a fronted subordinate clause of the sentence [s, e), or None."""
    m = _WORD.search(text, s, e)
    if m is None or m.group().lower() not in _SUBORDINATORS or text[s : m.start()].strip(" \t\"“'‘(["):
        return None
    pos = m.end()
    while True:
        k = text.find(",", pos, e)
        if k < 0:
            return None
        if not inside[k] and not _LIST_COMMA.match(text, k):
            return k
        pos = k + 1


def clip_content(text: str, inside: Sequence[int], sentences: Sequence[Sentence], starts: Sequence[int],
                 start: int, end: int, cue: tuple[int, int]) -> tuple[int, int]:
    """The indirect content [start, end) of the cue span ``cue`` held to that cue's clause and sentence
    (see the module); ``starts`` are the sentences' starts. Trailing punctuation goes with a cut."""
    k = bisect.bisect_right(starts, start) - 1
    if k < 0 or sentences[k].end <= start:
        return start, end
    sent = sentences[k]
    was = (start, end)
    comma = _clause_comma(text, inside, sent.start, sent.end)
    if comma is not None and cue[1] <= comma and start < comma < end:
        end = comma
    if cue[1] <= start and sent.end < end and not inside[sent.end] and text[sent.end : end].strip():
        end = sent.end  # the cue before the content: the content ends with the sentence
    elif end <= cue[0]:  # the cue after the content: the content starts with the cue's sentence
        j = bisect.bisect_right(starts, end - 1) - 1
        if j > k and not inside[starts[j] - 1] and text[start : starts[j]].strip():
            start = starts[j]
    if (start, end) != was:
        while end > start and text[end - 1] in " \t.,;:":
            end -= 1
        while start < end and text[start] in " \t":
            start += 1
    return start, end
