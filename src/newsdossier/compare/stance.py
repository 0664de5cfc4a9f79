"""Stance of an article toward a story's main claim (its headline): agree / disagree / discuss / unrelated.

The model follows UCL's "simple but tough-to-beat" FNC-1 system (Riedel et al., 2017): l2-normalised term
frequencies of headline and body over a 5,000-word vocabulary, plus the tf-idf cosine of the two, fed to a
one-hidden-layer perceptron; plus the FNC-1 baseline's hand features (word overlap, refuting words, n-gram
hits; log-scaled), which carry over to claims never seen in training better than the word vectors alone
(FNC score on a claim-disjoint split: 64.6 without them, 69.9 with). scikit-learn fits it; the fitted
vocabulary, idf and weights are stored as plain arrays (``models/stance/``) and applied here with numpy,
so the shipped model survives library upgrades.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .stance_baseline import baseline_features
from .stance_data import body_fingerprint
from .stance_text import TermVectorizer

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "stance"
_WEIGHTS = "model.npz"
_META = "meta.json"


def _unique_rows(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Distinct texts and, per input, its row: FNC pairs share bodies, so each is vectorised once."""
    index: dict[str, int] = {}
    rows = np.array([index.setdefault(t, len(index)) for t in texts], dtype=np.int64)
    return list(index), rows


class StanceClassifier:
    """Headline/body stance classifier with scikit-learn's fit/predict contract."""

    def __init__(
        self,
        max_terms: int = 5000,
        hidden_units: int = 100,
        alpha: float = 1e-4,
        learning_rate_init: float = 1e-3,
        batch_size: int = 500,
        max_iter: int = 30,
        random_state: int = 0,
        hand_features: bool = True,
    ) -> None:
        self.max_terms = max_terms
        self.hidden_units = hidden_units
        self.alpha = alpha
        self.learning_rate_init = learning_rate_init
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.random_state = random_state
        self.hand_features = hand_features

    # -- features -------------------------------------------------------------------------------------
    def _features(self, headlines: Sequence[str], bodies: Sequence[str]) -> sp.csr_matrix:
        if len(headlines) != len(bodies):
            raise ValueError(f"{len(headlines)} headlines but {len(bodies)} bodies")
        vec = self.vectorizer_
        heads, h_rows = _unique_rows(headlines)
        texts, b_rows = _unique_rows(bodies)
        tf_h, tf_b = vec.tf(heads)[h_rows], vec.tf(texts)[b_rows]
        cosine = np.asarray(vec.tfidf(heads)[h_rows].multiply(vec.tfidf(texts)[b_rows]).sum(axis=1))
        blocks = [tf_h, tf_b, sp.csr_matrix(cosine)]
        if self.hand_features:
            # Counts on a log scale, roughly in [0, 1] like the other inputs.
            blocks.append(sp.csr_matrix(np.log1p(np.abs(baseline_features(headlines, bodies))) / 4.0))
        return sp.hstack(blocks, format="csr")

    # -- scikit-learn contract ------------------------------------------------------------------------
    def fit(self, headlines: Sequence[str], bodies: Sequence[str], labels: Sequence[str]) -> StanceClassifier:
        # scikit-learn only for fitting: the shipped model is applied with numpy.
        from sklearn.neural_network import MLPClassifier

        # The vocabulary comes from distinct headlines and bodies, so long bodies paired with many
        # headlines do not count many times over.
        self.vectorizer_ = TermVectorizer(self.max_terms).fit(sorted(set(headlines)) + sorted(set(bodies)))
        X = self._features(headlines, bodies)
        mlp = MLPClassifier(
            hidden_layer_sizes=(self.hidden_units,),
            alpha=self.alpha,
            learning_rate_init=self.learning_rate_init,
            batch_size=self.batch_size,
            max_iter=self.max_iter,
            random_state=self.random_state,
        )
        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings():
            # A fixed epoch budget is the design (as in UCL's system), not a failure to converge.
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp.fit(X, list(labels))
        self.classes_ = [str(c) for c in mlp.classes_]
        self.weights_ = [w.astype(np.float32) for w in mlp.coefs_]
        self.biases_ = [b.astype(np.float32) for b in mlp.intercepts_]
        self.train_bodies_ = sorted({body_fingerprint(b) for b in set(bodies)})
        return self

    def predict_proba(self, headlines: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
        if not hasattr(self, "weights_"):
            raise RuntimeError("StanceClassifier is not fitted: call fit() or StanceClassifier.load()")
        if not headlines:
            return np.zeros((0, len(self.classes_)))
        X = self._features(headlines, bodies)
        if X.shape[1] != self.weights_[0].shape[0]:
            expected = self.weights_[0].shape[0]
            raise ValueError(f"stance model expects {expected} inputs, the features have {X.shape[1]}")
        hidden = X @ self.weights_[0] + self.biases_[0]
        np.maximum(hidden, 0, out=hidden)
        logits = hidden @ self.weights_[1] + self.biases_[1]
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    def predict(self, headlines: Sequence[str], bodies: Sequence[str]) -> list[str]:
        proba = self.predict_proba(headlines, bodies)
        return [self.classes_[i] for i in proba.argmax(axis=1)]

    def get_params(self, deep: bool = True) -> dict[str, object]:
        names = ("max_terms", "hidden_units", "alpha", "learning_rate_init", "batch_size", "max_iter",
                 "random_state", "hand_features")
        return {k: getattr(self, k) for k in names}

    # -- portable storage -----------------------------------------------------------------------------
    def save(self, folder: Path, data_note: str = "") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / _WEIGHTS,
            terms=np.array(self.vectorizer_.terms_),
            idf=self.vectorizer_.idf_,
            classes=np.array(self.classes_),
            w0=self.weights_[0], b0=self.biases_[0], w1=self.weights_[1], b1=self.biases_[1],
        )
        meta = {
            "format": "newsdossier-stance/1",
            "params": self.get_params(),
            "data": data_note,
            # Which bodies training saw (hashes, no text): the evaluation leaves them out.
            "train_body_fingerprints": self.train_bodies_,
        }
        (folder / _META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path | None = None) -> StanceClassifier:
        """The shipped model (or one saved with :meth:`save` in ``folder``)."""
        folder = folder or MODEL_DIR
        try:
            meta = json.loads((folder / _META).read_text(encoding="utf-8"))
            arrays = np.load(folder / _WEIGHTS, allow_pickle=False)
        except FileNotFoundError as exc:
            raise FileNotFoundError(
                f"stance model missing in {folder} ({exc.filename}); train it with scripts/train_stance.py"
            ) from None
        # Models saved before the hand features existed were trained without them.
        model = cls(**{"hand_features": False, **meta["params"]})
        model.vectorizer_ = TermVectorizer.from_arrays([str(t) for t in arrays["terms"]], arrays["idf"])
        model.classes_ = [str(c) for c in arrays["classes"]]
        model.weights_ = [arrays["w0"], arrays["w1"]]
        model.biases_ = [arrays["b0"], arrays["b1"]]
        model.train_bodies_ = list(meta.get("train_body_fingerprints", []))
        return model


@lru_cache(maxsize=1)
def _shipped() -> StanceClassifier:
    return StanceClassifier.load()


def article_stance(headline: str, body: str) -> str:
    """Stance of ``body`` toward ``headline`` (a story's main claim), with the shipped model, loaded once."""
    return article_stances([headline], [body])[0]


def article_stances(headlines: Sequence[str], bodies: Sequence[str]) -> list[str]:
    """:func:`article_stance` of each (headline, body) pair, in one batch."""
    return _shipped().predict(headlines, bodies) if headlines else []
