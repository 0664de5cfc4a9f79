"""Dense style features of a sentence that separate the author's own voice from reported fact.

CheckThat's annotation guideline marks as subjective the author's evaluation, exhortation,
rhetorical questions, sarcasm and intensifiers, and as objective reported facts (even with
evaluative quotes). These features measure those cues with closed classes of general English
words (pronouns, modals, hedges, boosters) and with shape (questions, exclamations, quotation
marks, attribution verbs, digits, capitalised names, length). They are dense and few, so the
logistic regression can weigh them beside the sparse n-grams; they are standardised with the
training set's mean and deviation, which the model stores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w[\w'’]*\b")
_FIRST = frozenset(
    [
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "we",
        "us",
        "our",
        "ours",
        "ourselves",
        "i'm",
        "i’m",
        "we're",
        "we’re",
        "let's",
        "let’s",
    ]
)
_SECOND = frozenset(["you", "your", "yours", "yourself", "yourselves", "you're", "you’re"])
_MODAL = frozenset(
    ["should", "must", "ought", "shouldn't", "shouldn’t", "mustn't", "mustn’t", "need", "needs"]
)
_HEDGE = frozenset(
    [
        "perhaps",
        "maybe",
        "probably",
        "seems",
        "seem",
        "seemed",
        "apparently",
        "arguably",
        "likely",
        "might",
        "may",
        "could",
        "possibly",
        "presumably",
        "suggests",
        "supposedly",
        "allegedly",
    ]
)
_BOOST = frozenset(
    [
        "very",
        "really",
        "truly",
        "clearly",
        "obviously",
        "certainly",
        "definitely",
        "absolutely",
        "totally",
        "completely",
        "utterly",
        "extremely",
        "indeed",
        "simply",
        "just",
        "never",
        "always",
        "nothing",
        "everything",
        "everyone",
        "nobody",
        "so",
        "such",
        "even",
    ]
)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|added|adds|announced|reported|reports|according to|"
    r"claimed|claims|insisted|argued|warned|explained|noted|declared|confirmed|denied|asked|replied|"
    r"wrote|writes|tweeted|admitted)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_IMPERATIVE_OPENING = re.compile(
    r"^\W*(?:let|don't|don’t|do|imagine|consider|think|remember|look|stop|note|ask|forget)\b", re.IGNORECASE
)

NAMES = (
    "log_length",
    "first_person",
    "second_person",
    "modal",
    "hedge",
    "booster",
    "question",
    "exclamation",
    "quotation",
    "attribution_verb",
    "digit_density",
    "capitalised_words",
    "year",
    "ends_with_question",
    "imperative_opening",
)


_CLASS_OF = {
    w: k for k, words in enumerate((_FIRST, _SECOND, _MODAL, _HEDGE, _BOOST)) for w in words
}  # one dict lookup per token instead of one set lookup per class
_DIGIT = re.compile(r"\d")
_CAPITALISED = re.compile(r"(?<!^)\b[A-Z]")  # capitalised words after the first


def style_features(sentence: str) -> list[float]:
    """The NAMES features of one sentence (rates are per token, scaled to about 0..1)."""
    toks = _TOKEN.findall(sentence.lower())
    n = max(len(toks), 1)
    counts = [0, 0, 0, 0, 0]
    get = _CLASS_OF.get
    for t in toks:
        k = get(t)
        if k is not None:
            counts[k] += 1
    return [
        math.log1p(len(toks)),
        5.0 * counts[0] / n,
        5.0 * counts[1] / n,
        5.0 * counts[2] / n,
        5.0 * counts[3] / n,
        5.0 * counts[4] / n,
        float("?" in sentence),
        float("!" in sentence),
        float('"' in sentence or "“" in sentence or "”" in sentence),
        float(_ATTRIBUTION.search(sentence) is not None),
        10.0 * len(_DIGIT.findall(sentence)) / max(len(sentence), 1),
        3.0 * len(_CAPITALISED.findall(sentence.lstrip())) / n,
        float(_YEAR.search(sentence) is not None),
        float(sentence.rstrip().endswith("?")),
        float(_IMPERATIVE_OPENING.match(sentence) is not None),
    ]


def style_matrix(sentences: Sequence[str]) -> np.ndarray:
    """(len(sentences), len(NAMES)) array of style features."""
    if not len(sentences):
        return np.zeros((0, len(NAMES)))
    return np.array([style_features(s) for s in sentences], dtype=np.float64)
