"""The FNC-1 official baseline approach, for comparison in ``newsdossier eval stance``.

Hand features as in FakeNewsChallenge/fnc-1-baseline ``feature_engineering.py`` (word overlap, refuting
words in the headline, refuting-word polarity, headline n-gram and char-gram hits in the body) fed to
scikit-learn's ``GradientBoostingClassifier(n_estimators=200)``. Re-implemented, not copied; one deviation:
no WordNet lemmatisation (NLTK is not a dependency), so tokens are only lower-cased. The original's quirks
are kept on purpose (char-grams are looked up with spaces between their characters; the "early" stop-word
count equals the full count), because the point is to score the approach a user would otherwise pick.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

REFUTING_WORDS = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "not", "despite",
    "nope", "doubt", "doubts", "bogus", "debunk", "pranks", "retract",
)
_REFUTING = frozenset(REFUTING_WORDS)
_WORD = re.compile(r"\w+")


def _clean(text: str) -> str:
    return " ".join(_WORD.findall(text)).lower()


def _no_stops(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t not in ENGLISH_STOP_WORDS]


def _gram_hits(grams: Sequence[str], texts: Sequence[str]) -> list[int]:
    """Per text (the body, then its opening), how many of ``grams`` occur in it."""
    return [sum(g in text for g in grams) for text in texts]


def _pair_features(headline: str, body: str) -> list[float]:
    head, text = _clean(headline), _clean(body)
    head_tokens, body_tokens = head.split(), text.split()
    union = set(head_tokens) | set(body_tokens)
    overlap = len(set(head_tokens) & set(body_tokens)) / len(union) if union else 0.0
    refuting = [float(w in head_tokens) for w in REFUTING_WORDS]
    polarity = [sum(t in _REFUTING for t in head_tokens) % 2, sum(t in _REFUTING for t in body_tokens) % 2]

    # "Binary co-occurrence": headline tokens found as substrings of the body, whole and first 255 chars.
    tokens = head.split(" ")
    co = _gram_hits(tokens, (text, text[:255]))
    stop_hits = sum(t in text for t in _no_stops(tokens))
    co_stops = [stop_hits, stop_hits]

    early, first = (text, text[:255]), (text, text[:255], text[:100])
    grams: list[float] = []
    head_no_stops = " ".join(_no_stops(head.split()))
    for size in (2, 8, 4, 16):
        chars = [" ".join(head_no_stops[i : i + size]) for i in range(len(head_no_stops) - size + 1)]
        grams += _gram_hits(chars, first)
    words = head.split(" ")
    for size in (2, 3, 4, 5, 6):
        ngrams = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
        grams += _gram_hits(ngrams, early)
    return [overlap, *refuting, *polarity, *co, *co_stops, *grams]


def baseline_features(headlines: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
    return np.array([_pair_features(h, b) for h, b in zip(headlines, bodies, strict=True)], dtype=np.float64)


class BaselineStanceClassifier:
    """Hand features + gradient boosting, the FNC-1 organisers' baseline (scored 79.53 on their dev split)."""

    def __init__(self, n_estimators: int = 200, random_state: int = 14128) -> None:
        self.n_estimators = n_estimators
        self.random_state = random_state

    def fit(
        self, headlines: Sequence[str], bodies: Sequence[str], labels: Sequence[str]
    ) -> BaselineStanceClassifier:
        from sklearn.ensemble import GradientBoostingClassifier

        self.model_ = GradientBoostingClassifier(
            n_estimators=self.n_estimators, random_state=self.random_state
        )
        self.model_.fit(baseline_features(headlines, bodies), list(labels))
        return self

    def predict(self, headlines: Sequence[str], bodies: Sequence[str]) -> list[str]:
        return [str(label) for label in self.model_.predict(baseline_features(headlines, bodies))]
