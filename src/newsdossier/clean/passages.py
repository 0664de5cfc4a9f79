"""Opinion vs reporting per sentence, then smoothed into passages.

The classifier gives each sentence P(subjective). Reported attribution is reporting whatever the
classifier says: a sentence with a reporting verb ("X said Y is Z", "according to X") or one that
is mostly inside quotation marks attributed to someone (in the sentence, a neighbour, or a line
introducing the quote with "X said:"). Then passages come out whole from a two-state HMM over
the sentences (opinion / reporting; the voice rarely changes inside a paragraph, sometimes between
paragraphs) whose emissions are the classifier's calibrated likelihood ratios; a strongly
subjective sentence inside a report keeps its own sentence-sized segment.

Pages that stack pieces (a report, then an op-ed after a wider gap; the author's text around a
reposted block) are cut into units at those structural boundaries, and each unit is first judged as
a whole: a unit whose summed evidence (subjectivity plus how rarely it attributes) reads as opinion
is the author's argument, so all its unattributed sentences are opinion; other units go to the HMM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|added|adds|announced|announces|reported|reports|"
    r"according to|claimed|claims|insisted|argued|warned|explained|noted|declared|confirmed|denied|"
    r"quoted|cited|acknowledged|estimated|estimates|asked|replied|wrote|writes|tweeted|admitted)\b",
    re.IGNORECASE,
)
_QUOTE_SPAN_MAX = 3000  # an unclosed curly quote stops counting after this many characters
STRONG = 0.75  # a sentence at least this subjective (calibrated) is opinion even inside a report
ATTRIBUTED_P = 0.1  # the evidence an attributed sentence gives: as if the classifier said 0.1
SWITCH_IN_PARAGRAPH = 0.02  # prior chance that the voice changes between sentences of a paragraph
SWITCH_AT_PARAGRAPH = 0.1  # ... and between paragraphs (passages run for several paragraphs)
_FULL_EVIDENCE_CHARS = 80  # shorter sentences (fragments, "It is."), weigh proportionally less
# Share of sentences ATTRIBUTION matches, by class, on the CheckThat 2025 English *training* split
# (532 OBJ, 298 SUBJ sentences): reports attribute about three times as often as commentary does.
ATTRIBUTED_RATE_REPORTING = 0.231
ATTRIBUTED_RATE_OPINION = 0.084


def quote_mask(text: str) -> np.ndarray:
    """Prefix sums of a 'character is inside quotation marks' mask (length len(text)+1).

    Curly quotes may span lines (multi-paragraph quotes); straight quotes pair within a line.
    """
    mask = np.zeros(len(text), dtype=np.int32)
    i, n = 0, len(text)
    while True:
        i = text.find("“", i)
        if i < 0:
            break
        j = text.find("”", i + 1, min(n, i + _QUOTE_SPAN_MAX))
        if j < 0:
            nl = text.find("\n", i)
            j = n if nl < 0 else nl
        mask[i : j + 1] = 1
        i = j + 1
    for m in re.finditer(r'"[^"\n]{1,2000}"', text):
        mask[m.start() : m.end()] = 1
    return np.concatenate([[0], np.cumsum(mask)])


def quoted_share(prefix: np.ndarray, start: int, end: int) -> float:
    return float(prefix[end] - prefix[start]) / max(end - start, 1)


def attributed(texts: Sequence[str], quoted: Sequence[float], intro_attributed: Sequence[bool]) -> list[bool]:
    """Which sentences are reported attribution (reporting regardless of their wording).

    ``quoted`` is each sentence's share of characters inside quotes; ``intro_attributed`` says the
    sentence sits in a quote introduced by an attributing line ("Putin said:").
    """
    verb = [bool(ATTRIBUTION.search(t)) for t in texts]
    out = []
    for i, t in enumerate(texts):
        near = any(verb[k] for k in range(max(0, i - 1), min(len(texts), i + 2)))
        out.append(verb[i] or (quoted[i] > 0.5 and (near or intro_attributed[i])))
    return out


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def evidence(
    probs: Sequence[float], is_attributed: Sequence[bool], lengths: Sequence[int], neutral: float
) -> np.ndarray:
    """Per-sentence log-likelihood ratio opinion : reporting.

    With calibrated P(subjective | sentence) and the class-balanced boundary ``neutral`` (where
    the classifier is indifferent), logit(P) - logit(neutral) is the log-likelihood ratio.
    Attributed sentences count as fixed reporting evidence; short ones count less.
    """
    p = np.array([ATTRIBUTED_P if a else x for x, a in zip(probs, is_attributed)], dtype=float)
    weight = np.minimum(1.0, np.array(lengths, dtype=float) / _FULL_EVIDENCE_CHARS)
    return weight * (_logit(p) - _logit(neutral))


def attribution_evidence(is_attributed: Sequence[bool], lengths: Sequence[int]) -> np.ndarray:
    """Per-sentence log-likelihood ratio opinion : reporting from attribution alone (whether the
    sentence cites a source), weighted by length like ``evidence``."""
    yes = np.log(ATTRIBUTED_RATE_OPINION / ATTRIBUTED_RATE_REPORTING)
    no = np.log((1 - ATTRIBUTED_RATE_OPINION) / (1 - ATTRIBUTED_RATE_REPORTING))
    weight = np.minimum(1.0, np.array(lengths, dtype=float) / _FULL_EVIDENCE_CHARS)
    return weight * np.where(np.asarray(is_attributed, dtype=bool), yes, no)


def unit_reads_as_opinion(
    probs: Sequence[float], is_attributed: Sequence[bool], lengths: Sequence[int], neutral: float
) -> bool:
    """Whether a structurally separate unit of text (a section, the author's text beside a reposted
    block) is, as a whole, commentary: its summed evidence favours opinion. Attributed sentences
    already count as fixed reporting evidence, so only the unattributed ones add attribution evidence."""
    if not len(probs):
        return False
    subj = evidence(probs, is_attributed, lengths, neutral)
    attr = attribution_evidence(is_attributed, lengths) * ~np.asarray(is_attributed, dtype=bool)
    return float(subj.sum() + attr.sum()) > 0.0


def section_breaks(gaps: Sequence[int]) -> list[bool]:
    """Which lines open a new section, from ``gaps`` (blank lines before each line; the first is
    ignored): a gap wider than the page's usual paragraph gap (its most common one) separates
    pieces stacked on one page, e.g. a report and an op-ed."""
    if len(gaps) < 2:
        return [False] * len(gaps)
    inner = list(gaps[1:])
    usual = max(set(inner), key=lambda g: (inner.count(g), g))  # ties: the wider gap is usual
    return [False] + [g > usual for g in inner]


def opinion_posterior(llr: np.ndarray, new_paragraph: Sequence[bool]) -> np.ndarray:
    """P(opinion) per sentence from a two-state HMM (forward-backward): sentences share their
    neighbours' voice, changing with SWITCH_* prior probability; uniform start."""
    n = len(llr)
    if n == 0:
        return np.zeros(0)
    ratio = np.exp(np.clip(np.asarray(llr, dtype=float), -30, 30)).tolist()  # opinion : reporting
    switch = [SWITCH_AT_PARAGRAPH if new_paragraph[i] else SWITCH_IN_PARAGRAPH for i in range(n)]
    # Plain floats: two states, so each step is a few multiplications (long texts stay fast).
    fwd = [0.0] * n  # P(opinion | sentences up to i)
    f = ratio[0] / (1.0 + ratio[0])
    fwd[0] = f
    for i in range(1, n):
        q = switch[i]
        prior = f * (1 - q) + (1 - f) * q
        f = prior * ratio[i] / (prior * ratio[i] + (1 - prior))
        fwd[i] = f
    post = [0.0] * n
    post[-1] = fwd[-1]
    b_rep, b_op = 1.0, 1.0  # backward messages (reporting, opinion), normalised
    for i in range(n - 2, -1, -1):
        q = switch[i + 1]
        nr, no = b_rep, b_op * ratio[i + 1]
        b_rep, b_op = (1 - q) * nr + q * no, q * nr + (1 - q) * no
        z = b_rep + b_op
        b_rep, b_op = b_rep / z, b_op / z
        op, rep = fwd[i] * b_op, (1 - fwd[i]) * b_rep
        post[i] = op / (op + rep)
    return np.array(post)


def smooth_labels(
    probs: Sequence[float],
    is_attributed: Sequence[bool],
    lengths: Sequence[int],
    new_paragraph: Sequence[bool] | None = None,
    neutral: float = 0.5,
) -> list[str]:
    """'opinion' or 'reporting' per sentence of one contiguous passage run.

    A sentence is opinion when the passage's posterior says so, or when it is strongly
    subjective on its own (an opinion sentence inside a report); attributed ones never are.
    """
    if new_paragraph is None:
        new_paragraph = [True] * len(probs)
    post = opinion_posterior(evidence(probs, is_attributed, lengths, neutral), new_paragraph)
    out = []
    for p, q, a in zip(probs, post, is_attributed):
        opinion = not a and (q >= 0.5 or p >= STRONG)
        out.append("opinion" if opinion else "reporting")
    return out
