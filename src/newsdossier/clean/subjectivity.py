"""Sentence subjectivity (SUBJ = opinion, OBJ = reporting): TF-IDF word and character n-grams plus
a few dense style features (clean/opinion_features.py) in one logistic regression, with Platt
calibration fitted on out-of-fold decisions, and the scikit-learn contract.

Calibration matters downstream: passages.py reads the probabilities as probabilities (a sentence
at P >= 0.75 is opinion even inside a report; passage smoothing weighs evidence by them), and the
raw scores of a strongly regularised TF-IDF model all sit near 0.5.

Why this model: on CheckThat 2025 English it scores within a few points of a MiniLM sentence
encoder + logistic regression (see docs/benchmarks.md) at a fraction of the size and with no torch.

``fit`` takes ``sample_weight``, so a sentence can be listed once per label with a teacher's
probabilities as weights (distillation, scripts/train_subjectivity.py); class balancing then evens
the classes' weighted masses.

The features are computed by this module (not by a pickled vectorizer), so the shipped model is
plain JSON + npz — vocabulary, idf, weights — and loads under any scikit-learn version.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin

from .opinion_features import NAMES as STYLE_NAMES
from .opinion_features import style_matrix
from .opinion_vectors import FILE as VECTORS_FILE
from .opinion_vectors import WordVectors

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "subjectivity"
FORMAT = "newsdossier-subjectivity/2"
_READABLE = {"newsdossier-subjectivity/1", FORMAT}
_WORD = re.compile(r"(?u)\b\w\w+\b")


def word_ngrams(sentence: str, n_max: int = 2) -> list[str]:
    """Lower-cased word 1..n_max-grams (scikit-learn's default token pattern)."""
    toks = _WORD.findall(sentence.lower())
    out = list(toks)
    for n in range(2, n_max + 1):
        out.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
    return out


def char_ngrams(sentence: str, n_min: int = 2, n_max: int = 5) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (scikit-learn's ``char_wb``)."""
    out: list[str] = []
    for w in sentence.lower().split():
        out.extend(_word_char_ngrams(w, n_min, n_max))
    return out


def _word_char_ngrams(word: str, n_min: int, n_max: int) -> list[str]:
    w = f" {word} "
    return [w[i : i + n] for n in range(n_min, n_max + 1) for i in range(len(w) - n + 1)]


class _Block:
    """One TF-IDF feature block: vocabulary -> column, idf, sublinear tf, L2-normalised rows.

    ``per_word`` blocks (character n-grams) memoise each word's columns: news repeats words, so
    this makes featurising cost about one dict lookup per word.
    """

    _MEMO_MAX = 200_000

    def __init__(self, analyzer, vocab: dict[str, int], idf: np.ndarray, per_word=None) -> None:
        self.analyzer, self.vocab, self.idf, self.per_word = analyzer, vocab, idf, per_word
        self._memo: dict[str, list[int]] = {}

    @classmethod
    def fit(cls, analyzer, docs: Sequence[str], min_df: int, per_word=None) -> _Block:
        docs = list(dict.fromkeys(docs))  # a sentence listed once per soft label counts once
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(analyzer(d)))
        terms = sorted(t for t, c in df.items() if c >= min_df)
        n = len(docs)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms])
        return cls(analyzer, {t: i for i, t in enumerate(terms)}, idf, per_word)

    def _columns(self, doc: str) -> list[int]:
        get = self.vocab.get
        if self.per_word is None:
            return [j for j in map(get, self.analyzer(doc)) if j is not None]
        cols: list[int] = []
        memo = self._memo
        for w in doc.lower().split():
            c = memo.get(w)
            if c is None:
                if len(memo) > self._MEMO_MAX:
                    memo.clear()
                c = memo[w] = [j for j in map(get, self.per_word(w)) if j is not None]
            cols.extend(c)
        return cols

    def transform(self, docs: Sequence[str]) -> sparse.csr_matrix:
        # Built straight in CSR form (entries sorted by row, then column: what scipy's COO route
        # made, at several times the cost per call; compare sends one batch per story).
        n, width = len(docs), len(self.vocab)
        per_doc = [self._columns(d) for d in docs]
        lengths = np.fromiter(map(len, per_doc), dtype=np.int64, count=n)
        cols = np.fromiter(itertools.chain.from_iterable(per_doc), dtype=np.int64, count=int(lengths.sum()))
        keys, counts = np.unique(np.repeat(np.arange(n, dtype=np.int64), lengths) * width + cols,
                                 return_counts=True)
        rows, cols = np.divmod(keys, width)
        data = (1.0 + np.log(counts.astype(np.float64))) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, data * data, minlength=n))
        norms[norms == 0] = 1.0
        data *= (1.0 / norms)[rows]  # rows of unit length
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return sparse.csr_matrix((data, cols, indptr), shape=(n, width))


class SubjectivityClassifier(ClassifierMixin, BaseEstimator):
    """SUBJ/OBJ sentence classifier. ``fit(sentences, labels)``, ``predict``, ``predict_proba``.

    ``classes_`` is sorted (``["OBJ", "SUBJ"]`` for CheckThat labels); ``predict_proba`` columns
    follow it, so ``subjective_probability`` is the column of ``positive``.

    ``style_weight`` scales the standardised dense style features against the L2-normalised
    TF-IDF blocks (0 switches them off); ``vector_weight`` likewise scales the mean static word
    vector (clean/opinion_vectors.py) read from ``word_vectors`` (an npz path; None: the shipped
    file). With ``calibration_folds`` >= 2, ``predict_proba`` is
    Platt-calibrated on out-of-fold decision values of the training data (so 0.75 means about
    3 in 4), and ``predict`` keeps the class-balanced decision boundary: it says ``positive``
    when the calibrated probability reaches ``threshold_`` (the probability at that boundary).
    """

    def __init__(
        self,
        C: float = 1.0,
        word_n_max: int = 2,
        char_n: tuple[int, int] = (2, 5),
        char_min_df: int = 2,
        class_weight: str | None = "balanced",
        positive: str = "SUBJ",
        style_weight: float = 0.1,
        vector_weight: float = 0.5,
        word_vectors: str | None = None,
        calibration_folds: int = 5,
    ) -> None:
        self.C = C
        self.word_n_max = word_n_max
        self.char_n = char_n
        self.char_min_df = char_min_df
        self.class_weight = class_weight
        self.positive = positive
        self.style_weight = style_weight
        self.vector_weight = vector_weight
        self.word_vectors = word_vectors
        self.calibration_folds = calibration_folds

    # -- features -------------------------------------------------------------------------
    def _analyzers(self):
        wn, (cmin, cmax) = self.word_n_max, self.char_n
        return (lambda s: word_ngrams(s, wn)), (lambda s: char_ngrams(s, cmin, cmax))

    def _per_word(self):
        cmin, cmax = self.char_n
        return lambda w: _word_char_ngrams(w, cmin, cmax)

    def _features(self, sentences: Sequence[str]) -> sparse.csr_matrix:
        blocks = [b.transform(sentences) for b in self.blocks_]
        if self.style_weight:
            z = (style_matrix(sentences) - self.style_mean_) / self.style_scale_
            blocks.append(sparse.csr_matrix(z * self.style_weight))
        if self.vector_weight:
            blocks.append(sparse.csr_matrix(self.vectors_.transform(sentences) * self.vector_weight))
        return sparse.hstack(blocks, format="csr")

    # -- scikit-learn contract ------------------------------------------------------------
    def fit(
        self, sentences: Sequence[str], labels: Sequence[str], sample_weight: Sequence[float] | None = None
    ) -> SubjectivityClassifier:
        """``sample_weight`` lets one sentence appear twice, once per label, weighted by a
        teacher's probabilities (distillation; see scripts/train_subjectivity.py)."""
        sentences, labels = list(sentences), np.asarray(labels)
        weights = np.ones(len(sentences)) if sample_weight is None else np.asarray(sample_weight, float)
        self._fit_linear(sentences, labels, weights)
        self.platt_ = (1.0, 0.0)  # identity: raw logistic probabilities
        if self.calibration_folds >= 2:
            self.platt_ = self._fit_platt(sentences, labels, weights)
        return self

    def _fit_linear(self, sentences: list[str], labels: np.ndarray, weights: np.ndarray) -> None:
        from sklearn.linear_model import LogisticRegression

        words, chars = self._analyzers()
        if self.vector_weight and not hasattr(self, "vectors_"):
            self.vectors_ = WordVectors.load(Path(self.word_vectors or SHIPPED / VECTORS_FILE))
        self.blocks_ = [
            _Block.fit(words, sentences, 1),
            _Block.fit(chars, sentences, self.char_min_df, self._per_word()),
        ]
        if self.style_weight:
            dense = style_matrix(sentences)
            self.style_mean_ = dense.mean(axis=0)
            self.style_scale_ = np.where(dense.std(axis=0) > 1e-9, dense.std(axis=0), 1.0)
        class_weight = self.class_weight
        if class_weight == "balanced":
            # Balance the weighted mass of each class (scikit-learn's "balanced" counts rows, and
            # a soft-labelled sentence is one row in each class).
            mass = {c: float(weights[labels == c].sum()) for c in np.unique(labels)}
            total = sum(mass.values())
            class_weight = {c: total / (len(mass) * m) for c, m in mass.items()}
        lr = LogisticRegression(C=self.C, class_weight=class_weight, max_iter=5000)
        lr.fit(self._features(sentences), list(labels), sample_weight=weights)
        self.classes_ = np.array(lr.classes_)
        self.coef_ = lr.coef_[0].astype(np.float64)
        self.intercept_ = float(lr.intercept_[0])

    def _fit_platt(
        self, sentences: list[str], labels: np.ndarray, weights: np.ndarray
    ) -> tuple[float, float]:
        """(a, b) of P = sigmoid(a * decision + b), fitted on out-of-fold decisions (weighted as in
        training, not class-balanced). Folds group copies of one sentence, so a sentence labelled
        twice (soft targets) never informs its own held-out decision."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedGroupKFold

        folds = StratifiedGroupKFold(self.calibration_folds, shuffle=True, random_state=0)
        oof = np.zeros(len(sentences))
        for tr, te in folds.split(np.zeros(len(labels)), labels, groups=sentences):
            part = clone_params(self).set_params(calibration_folds=0)
            if self.vector_weight:
                part.vectors_ = self.vectors_
            part._fit_linear([sentences[i] for i in tr], labels[tr], weights[tr])
            oof[te] = part.decision_function([sentences[i] for i in te])
        y = (labels == self.classes_[1]).astype(int)
        cal = LogisticRegression(C=1e4, max_iter=1000).fit(oof.reshape(-1, 1), y, sample_weight=weights)
        return float(cal.coef_[0, 0]), float(cal.intercept_[0])

    @property
    def threshold_(self) -> float:
        """Calibrated probability of ``classes_[1]`` at the class-balanced decision boundary."""
        return float(1.0 / (1.0 + math.exp(-self.platt_[1])))

    def decision_function(self, sentences: Sequence[str]) -> np.ndarray:
        if not len(sentences):
            return np.zeros(0)
        return self._features(sentences) @ self.coef_ + self.intercept_

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        a, b = self.platt_
        p1 = 1.0 / (1.0 + np.exp(-(a * self.decision_function(sentences) + b)))
        return np.column_stack([1.0 - p1, p1]) if len(p1) else np.zeros((0, 2))

    def predict(self, sentences: Sequence[str]) -> np.ndarray:
        return self.classes_[(self.decision_function(sentences) > 0).astype(int)]

    def subjective_probability(self, sentences: Sequence[str]) -> np.ndarray:
        col = int(np.flatnonzero(self.classes_ == self.positive)[0])
        return self.predict_proba(sentences)[:, col]

    # -- portable files -------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write ``model.json`` (parameters, classes, vocabularies, calibration) and ``weights.npz``
        (idf, coef, style standardisation)."""
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "params": {
                "C": self.C,
                "word_n_max": self.word_n_max,
                "char_n": list(self.char_n),
                "char_min_df": self.char_min_df,
                "class_weight": self.class_weight,
                "positive": self.positive,
                "style_weight": self.style_weight,
                "vector_weight": self.vector_weight,
                "calibration_folds": self.calibration_folds,
            },
            "classes": [str(c) for c in self.classes_],
            "intercept": self.intercept_,
            "platt": list(self.platt_),
            "style_features": list(STYLE_NAMES) if self.style_weight else [],
            "vocabularies": [sorted(b.vocab, key=b.vocab.__getitem__) for b in self.blocks_],
        }
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        arrays = {f"idf{i}": b.idf.astype(np.float32) for i, b in enumerate(self.blocks_)}
        if self.style_weight:
            arrays.update(style_mean=self.style_mean_, style_scale=self.style_scale_)
        np.savez_compressed(folder / "weights.npz", coef=self.coef_.astype(np.float32), **arrays)
        if self.vector_weight:
            self.vectors_.save(folder / VECTORS_FILE)

    @classmethod
    def from_files(cls, folder: Path) -> SubjectivityClassifier:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if meta.get("format") not in _READABLE:
            raise ValueError(f"{folder}: not a {FORMAT} model (format={meta.get('format')!r})")
        p = {"style_weight": 0.0, "vector_weight": 0.0, "calibration_folds": 0, **meta["params"]}
        clf = cls(**{**p, "char_n": tuple(p["char_n"])})
        if clf.style_weight and meta.get("style_features") != list(STYLE_NAMES):
            raise ValueError(f"{folder}: model's style features differ from this version's")
        with np.load(folder / "weights.npz") as w:
            clf.coef_ = w["coef"].astype(np.float64)
            idfs = [w[f"idf{i}"].astype(np.float64) for i in range(len(meta["vocabularies"]))]
            if clf.style_weight:
                clf.style_mean_, clf.style_scale_ = w["style_mean"], w["style_scale"]
        clf.blocks_ = [
            _Block(a, {t: i for i, t in enumerate(v)}, idf, pw)
            for a, v, idf, pw in zip(clf._analyzers(), meta["vocabularies"], idfs, (None, clf._per_word()))
        ]
        clf.classes_ = np.array(meta["classes"])
        clf.intercept_ = float(meta["intercept"])
        clf.platt_ = tuple(meta.get("platt", (1.0, 0.0)))
        if clf.vector_weight:
            clf.vectors_ = WordVectors.load(folder / VECTORS_FILE)
            clf.word_vectors = str(folder / VECTORS_FILE)
        return clf


def clone_params(est: SubjectivityClassifier) -> SubjectivityClassifier:
    """An unfitted copy with the same parameters."""
    return type(est)(**est.get_params())


@lru_cache(maxsize=1)
def load() -> SubjectivityClassifier:
    """The shipped model (trained by scripts/train_subjectivity.py), loaded once."""
    if not (SHIPPED / "model.json").is_file():
        raise FileNotFoundError(
            f"{SHIPPED}: shipped subjectivity model missing; run scripts/train_subjectivity.py"
        )
    return SubjectivityClassifier.from_files(SHIPPED)
