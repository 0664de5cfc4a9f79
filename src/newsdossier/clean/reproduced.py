"""Reposted blocks: text a blogger copies from another outlet, introduced by a line such as
"The Daily Planet reports:", "The Herald quotes officials as saying:", "According to Wire News:",
or marked as a block quote ("> ..."). The introduced block runs over the following paragraphs
until the next introducing line or site furniture; then its end is placed where the text stops
reading as the outlet's text: among the block's paragraphs after the first, the suffix with the
largest positive evidence of being the author's goes back to the author. One change point, maximum
likelihood: a blogger reposts a block and then comments on it, not the other way round within one
block. The evidence for a suffix is its opinion evidence (summed log-likelihood ratios of its
sentences, attributed sentences counting as reporting) plus a style test on attribution: the
suffix's attributed / unattributed sentences are scored under the commentary rate against the rate
the block's head shows. A reposted news excerpt keeps citing sources ("officials said"); when a
block that did so runs on into paragraphs that cite nobody, the author is talking again, even if
the classifier finds those paragraphs only mildly subjective.

Speech ("Putin said:") introduces a quotation of a person, not a repost: that stays reporting.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from .lines import Line
from .passages import ATTRIBUTED_RATE_OPINION, ATTRIBUTED_RATE_REPORTING

_HEAD_PRIOR_SENTENCES = 2.0  # the head's attribution rate is shrunk toward a report's rate by this many

_INTRO_VERB = re.compile(
    r"\b(?:reports?|reported|writes|wrote|quotes?|quoted|publish(?:es|ed)|posted|carries|carried|"
    r"according to|via|excerpts?|reprinted|republished)\b",
    re.IGNORECASE,
)


def is_intro(line: Line) -> bool:
    return line.text.endswith(":") and line.words <= 40 and bool(_INTRO_VERB.search(line.text))


def reproduced_lines(
    lines: Sequence[Line],
    content: Sequence[int],
    paragraph_evidence: Callable[[int], float],
    paragraph_attribution: Callable[[int], tuple[int, int]] | None = None,
) -> set[int]:
    """Indexes (into ``lines``) of reproduced lines among the ``content`` lines (sorted indexes).

    ``paragraph_evidence(i)`` is the opinion log-likelihood ratio (summed over its sentences) of
    the paragraph starting at line ``i``: > 0 reads as the author's own voice.
    ``paragraph_attribution(i)`` is (attributed sentences, sentences) of that paragraph; without
    it only the opinion evidence places the block's end.
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
        out.update(block[: _block_end(lines, block, paragraph_evidence, paragraph_attribution)])
    return out


def _block_end(lines: Sequence[Line], block: Sequence[int], paragraph_evidence, paragraph_attribution) -> int:
    """How many of ``block``'s lines are reproduced: all but the best author-reading suffix of
    whole paragraphs (never the first paragraph), if that suffix has positive evidence."""
    paragraphs = [p for p, i in enumerate(block) if p == 0 or lines[i].blank_before]
    counts = [paragraph_attribution(block[p]) if paragraph_attribution else (0, 0) for p in paragraphs]
    total_attr, total_n = sum(c[0] for c in counts), sum(c[1] for c in counts)
    best, end, tail, tail_attr, tail_n = 0.0, len(block), 0.0, 0, 0
    for k in range(len(paragraphs) - 1, 0, -1):
        tail += paragraph_evidence(block[paragraphs[k]])
        tail_attr, tail_n = tail_attr + counts[k][0], tail_n + counts[k][1]
        score = tail + _attribution_style_llr(total_attr - tail_attr, total_n - tail_n, tail_attr, tail_n)
        if score > best:
            best, end = score, paragraphs[k]
    return end


def _attribution_style_llr(head_attr: int, head_n: int, tail_attr: int, tail_n: int) -> float:
    """log P(tail's attribution | commentary) / P(tail's attribution | the head's source style)."""
    if not tail_n:
        return 0.0
    prior = _HEAD_PRIOR_SENTENCES
    head_rate = (head_attr + prior * ATTRIBUTED_RATE_REPORTING) / (head_n + prior)
    author_rate = ATTRIBUTED_RATE_OPINION
    return tail_attr * math.log(author_rate / head_rate) + (tail_n - tail_attr) * math.log(
        (1 - author_rate) / (1 - head_rate)
    )
