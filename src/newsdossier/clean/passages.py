"""Opinion vs reporting per sentence, then smoothed into passages.

The classifier gives each sentence P(subjective). Reported attribution is reporting whatever the
classifier says: a sentence with a reporting verb ("X said Y is Z", "according to X") or one that
is mostly inside quotation marks attributed to someone (in the sentence, a neighbour, or a line
introducing the quote with "X said:"). Then each sentence's score is averaged with its neighbours'
so passages come out whole; a strongly subjective sentence inside a report keeps its own
sentence-sized segment.
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
THRESHOLD = 0.5  # smoothed P(subjective) at or above which a sentence is opinion
STRONG = 0.75  # a sentence at least this subjective is opinion even inside a report
_WINDOW = (0.25, 0.5, 1.0, 0.5, 0.25)  # neighbour weights, centred on the sentence


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


def smooth_labels(probs: Sequence[float], is_attributed: Sequence[bool], lengths: Sequence[int]) -> list[str]:
    """'opinion' or 'reporting' per sentence of one contiguous passage run."""
    p = np.array([0.0 if a else float(x) for x, a in zip(probs, is_attributed)])
    w = np.sqrt(np.maximum(np.array(lengths, dtype=float), 1.0))  # long sentences weigh more, not linearly
    half = len(_WINDOW) // 2
    out = []
    for i in range(len(p)):
        lo, hi = max(0, i - half), min(len(p), i + half + 1)
        k = np.array(_WINDOW[lo - i + half : hi - i + half]) * w[lo:hi]
        q = float((k * p[lo:hi]).sum() / k.sum())
        opinion = not is_attributed[i] and (q >= THRESHOLD or p[i] >= STRONG)
        out.append("opinion" if opinion else "reporting")
    return out
