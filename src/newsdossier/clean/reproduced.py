"""Reposted blocks: text a blogger copies from another outlet, introduced by a line such as
"The Daily Planet reports:", "The Herald quotes officials as saying:", "According to Wire News:",
or marked as a block quote ("> ..."). The introduced block runs over the following paragraphs
until the next introducing line, site furniture, or a paragraph that reads as the blogger's own
opinion (the classifier's judgement) — copied news text reads as reporting.

Speech ("Putin said:") introduces a quotation of a person, not a repost: that stays reporting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .lines import Line

_INTRO_VERB = re.compile(
    r"\b(?:reports?|reported|writes|wrote|quotes?|quoted|publish(?:es|ed)|posted|carries|carried|"
    r"according to|via|excerpts?|reprinted|republished)\b",
    re.IGNORECASE,
)
_OPINION_STOP = 0.5  # a paragraph this subjective (mean P(subjective)) ends the block


def is_intro(line: Line) -> bool:
    return line.text.endswith(":") and line.words <= 40 and bool(_INTRO_VERB.search(line.text))


def reproduced_lines(
    lines: Sequence[Line], content: Sequence[int], paragraph_opinion: Callable[[int], float]
) -> set[int]:
    """Indexes (into ``lines``) of reproduced lines among the ``content`` lines (sorted indexes).

    ``paragraph_opinion(i)`` is the opinion score of the paragraph starting at line ``i``.
    """
    out: set[int] = set()
    for idx in content:
        if lines[idx].text.startswith(">"):
            out.add(idx)
    for k, idx in enumerate(content):
        if not is_intro(lines[idx]):
            continue
        j = k + 1
        while j < len(content):
            nxt = content[j]
            if nxt != content[j - 1] + 1 and j > k + 1:
                break  # furniture or another region in between
            if is_intro(lines[nxt]):
                break
            if j > k + 1 and lines[nxt].blank_before and paragraph_opinion(nxt) >= _OPINION_STOP:
                break
            out.add(nxt)
            j += 1
    return out
