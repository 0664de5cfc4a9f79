"""Bag-of-words vectors for stance: a vocabulary with idf weights that is fitted once and stored as plain
arrays, so the shipped model needs no pickled scikit-learn vectorizer."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class TermVectorizer:
    """The ``max_terms`` most frequent non-stop-words of the fitted texts, with smoothed idf.

    ``tf`` gives l2-normalised term frequencies, ``tfidf`` l2-normalised tf-idf (as scikit-learn's
    ``TfidfVectorizer`` defaults)."""

    def __init__(self, max_terms: int = 5000) -> None:
        self.max_terms = max_terms

    def fit(self, texts: Sequence[str]) -> TermVectorizer:
        counts: Counter[str] = Counter()
        doc_freq: Counter[str] = Counter()
        for text in texts:
            tokens = [t for t in tokenize(text) if t not in ENGLISH_STOP_WORDS]
            counts.update(tokens)
            doc_freq.update(set(tokens))
        # Ties broken alphabetically so the vocabulary is the same on every run.
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: self.max_terms]
        self.terms_ = [t for t, _ in ranked]
        n_docs = len(texts)
        self.idf_ = np.array([np.log((1 + n_docs) / (1 + doc_freq[t])) + 1.0 for t in self.terms_])
        self._index()
        return self

    @classmethod
    def from_arrays(cls, terms: Sequence[str], idf: np.ndarray) -> TermVectorizer:
        vec = cls(max_terms=len(terms))
        vec.terms_ = list(terms)
        vec.idf_ = np.asarray(idf, dtype=np.float64)
        vec._index()
        return vec

    def _index(self) -> None:
        self.vocabulary_ = {t: i for i, t in enumerate(self.terms_)}

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, text in enumerate(texts):
            c = Counter(i for i in map(self.vocabulary_.get, tokenize(text)) if i is not None)
            rows.extend([r] * len(c))
            cols.extend(c.keys())
            vals.extend(c.values())
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.terms_)), dtype=np.float64)

    def tf(self, texts: Sequence[str]) -> sp.csr_matrix:
        return _l2(self.counts(texts))

    def tfidf(self, texts: Sequence[str]) -> sp.csr_matrix:
        return _l2(self.counts(texts) @ sp.diags(self.idf_))


def _l2(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)
