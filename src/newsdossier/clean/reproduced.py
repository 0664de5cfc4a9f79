"""Reposted blocks: text a blogger copies from another outlet, introduced by a line such as
"The Daily Planet reports:", "The Herald quotes officials as saying:", "According to Wire News:",
or marked as a block quote ("> ..."). The introduced block runs over the following paragraphs
until the next introducing line or site furniture; then its end is placed where the text stops
reading as the outlet's reporting: among the block's paragraphs after the first, the suffix with
the largest positive opinion evidence (summed log-likelihood ratios of its sentences, attributed
sentences counting as reporting) goes back to the author. One change point, maximum likelihood:
a blogger reposts a block and then comments on it, not the other way round within one block.

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


def is_intro(line: Line) -> bool:
    return line.text.endswith(":") and line.words <= 40 and bool(_INTRO_VERB.search(line.text))


def reproduced_lines(
    lines: Sequence[Line], content: Sequence[int], paragraph_evidence: Callable[[int], float]
) -> set[int]:
    """Indexes (into ``lines``) of reproduced lines among the ``content`` lines (sorted indexes).

    ``paragraph_evidence(i)`` is the opinion log-likelihood ratio (summed over its sentences) of
    the paragraph starting at line ``i``: > 0 reads as the author's own voice.
    """
    out: set[int] = set()
    for idx in content:
        if lines[idx].text.startswith(">"):
            out.add(idx)
    for k, idx in enumerate(content):
        if not is_intro(lines[idx]):
            continue
        block: list[int] = []
        j = k + 1
        while j < len(content):
            nxt = content[j]
            if nxt != content[j - 1] + 1 and j > k + 1:
                break  # furniture or another region in between
            if is_intro(lines[nxt]):
                break
            block.append(nxt)
            j += 1
        out.update(block[: _block_end(lines, block, paragraph_evidence)])
    return out


def _block_end(lines: Sequence[Line], block: Sequence[int], paragraph_evidence) -> int:
    """How many of ``block``'s lines are reproduced: all but the best opinion-reading suffix of
    whole paragraphs (never the first paragraph), if that suffix has positive evidence."""
    starts = [p for p, i in enumerate(block) if p > 0 and lines[i].blank_before]
    best, end, tail = 0.0, len(block), 0.0
    for p in reversed(starts):
        tail += paragraph_evidence(block[p])
        if tail > best:
            best, end = tail, p
    return end
