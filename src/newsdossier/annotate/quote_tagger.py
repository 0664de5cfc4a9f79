"""A linear-chain CRF that tags tokens as attribution Source / Cue / Content (BIO), decoded here.

Training uses python-crfsuite (through sklearn-crfsuite, a training-time extra: ``scripts/train_quotes.py``);
the fitted weights are exported to ``model.json`` (labels, transitions, cue lexicon, feature names) and
``weights.npz`` (one row of per-label weights per feature), so tagging needs only numpy/scipy and no
pickle. Viterbi runs over all paragraphs of an article at once (padded), which keeps it to a few ms.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from ..model import Sentence
    from .quote_features import Token

LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "quotes"


class QuoteTagger:
    """scikit-learn style: parameters in ``__init__``, learned state set by ``fit`` (or ``load``)."""

    def __init__(self, c1: float = 0.2, c2: float = 0.01, max_iterations: int = 100, min_weight: float = 1e-3):
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.min_weight = min_weight

    def fit(self, X: Sequence[Sequence[Sequence[str]]], y: Sequence[Sequence[str]],
            cue_lexicon: dict[str, float] | None = None) -> QuoteTagger:
        import sklearn_crfsuite  # training-time only

        crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=self.c1, c2=self.c2, max_iterations=self.max_iterations,
                                   all_possible_transitions=True)
        crf.fit(X, y)
        labels = list(LABELS)
        index: dict[str, int] = {}
        rows: list[np.ndarray] = []
        for (attr, label), w in crf.state_features_.items():
            if abs(w) < self.min_weight or label not in labels:
                continue
            if attr not in index:
                index[attr] = len(rows)
                rows.append(np.zeros(len(labels), dtype=np.float32))
            rows[index[attr]][labels.index(label)] = w
        trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
        for (a, b), w in crf.transition_features_.items():
            if a in labels and b in labels:
                trans[labels.index(a), labels.index(b)] = w
        self.labels_ = labels
        self.features_ = index
        self.weights_ = np.vstack(rows) if rows else np.zeros((0, len(labels)), dtype=np.float32)
        self.transitions_ = trans
        self.cue_lexicon_ = dict(cue_lexicon or {})
        return self

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        names = sorted(self.features_, key=self.features_.get)
        meta = {"labels": self.labels_, "transitions": self.transitions_.round(5).tolist(),
                "params": {"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations},
                "cue_lexicon": {k: round(v, 4) for k, v in sorted(self.cue_lexicon_.items())}, "features": names}
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(folder / "weights.npz", weights=self.weights_.astype(np.float32))

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> QuoteTagger:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        tagger = cls(**meta["params"])
        tagger.labels_ = list(meta["labels"])
        tagger.features_ = {name: i for i, name in enumerate(meta["features"])}
        with np.load(folder / "weights.npz") as npz:
            tagger.weights_ = npz["weights"].astype(np.float32)
        tagger.transitions_ = np.asarray(meta["transitions"], dtype=np.float32)
        tagger.cue_lexicon_ = dict(meta["cue_lexicon"])
        return tagger

    def predict(self, X: Sequence[Sequence[Sequence]], encoded: bool = False) -> list[list[str]]:
        """Best label sequence per input sequence (Viterbi over all sequences at once). Features are
        strings, or with ``encoded`` indexes into ``features_`` (-1: unknown) as ``featurize`` makes them."""
        lengths = [len(x) for x in X]
        if not lengths or max(lengths) == 0:
            return [[] for _ in X]
        counts = [len(feats) for seq in X for feats in seq]
        flat = chain.from_iterable(chain.from_iterable(X))
        if not encoded:
            get = self.features_.get
            flat = (get(f, -1) for f in flat)
        return self.predict_flat(np.fromiter(flat, dtype=np.int64, count=sum(counts)), counts, lengths)

    def predict_flat(self, found: np.ndarray, counts: Sequence[int],
                     lengths: Sequence[int]) -> list[list[str]]:
        """:meth:`predict` on encoded features laid end to end: ``found`` holds the feature indexes of
        all tokens (-1: unknown), ``counts`` how many each token has, ``lengths`` how many tokens each
        sequence has."""
        if not lengths or max(lengths) == 0:
            return [[] for _ in lengths]
        indptr = np.concatenate(([0], np.cumsum(counts)))
        keep = found >= 0
        indptr = np.concatenate(([0], np.cumsum(keep)))[indptr]
        indices = found[keep]
        n_tok = len(indptr) - 1
        rows = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                                 shape=(n_tok, self.weights_.shape[0]))
        return self.decode(np.asarray(rows @ self.weights_), lengths)

    def article_scores(self, tokens: Sequence[Token], sizes: Sequence[int], sentences: Sequence[Sentence],
                       inside: bytearray) -> np.ndarray:
        """Label scores of the tokens of all paragraphs end to end (``sizes`` of them in each), as the
        network's :meth:`quote_nn.NeuralQuoteTagger.article_scores` gives them."""
        from .quote_encode import emissions, feature_matrix, padded_weights

        # Kept on the tagger, built once per model: encoded words and word pairs, the weights padded for -1.
        kept = self.__dict__
        if "padded_weights_" not in kept:
            kept["padded_weights_"] = padded_weights(self.weights_)
        features = feature_matrix(tokens, sizes, sentences, inside, self.cue_lexicon_, self.features_,
                                  kept.setdefault("word_rows_", {}), kept.setdefault("pair_cache_", {}))
        return emissions(features, kept["padded_weights_"])

    def decode(self, emissions: np.ndarray, lengths: Sequence[int]) -> list[list[str]]:
        """Best label sequence per sequence, given the per-token label scores of all sequences end to end
        (``lengths`` tokens each)."""
        if not lengths or max(lengths) == 0:
            return [[] for _ in lengths]
        B, T, L = len(lengths), max(lengths), len(self.labels_)
        # longest first, so the sequences still running at step t are rows [:live[t]]; a finished row's
        # score stays as it was and its back pointers are the identity
        order = sorted(range(B), key=lambda b: -lengths[b])
        starts = np.concatenate(([0], np.cumsum(lengths)))
        # Step-major (T, B, L), so that each step reads and writes contiguous rows; every step writes into
        # buffers made once (a step is a few small numpy calls: their count and allocations are the cost).
        em = np.zeros((T, B, L), dtype=np.float32)
        for r, b in enumerate(order):
            em[: lengths[b], r] = emissions[starts[b] : starts[b + 1]]
        by_len = np.array([lengths[b] for b in order])
        live = (by_len[None, :] > np.arange(T)[:, None]).sum(axis=1).tolist()
        score = em[0].copy()
        back = np.empty((T, B, L), dtype=np.intp)
        back[:] = np.arange(L)
        trans = np.ascontiguousarray(self.transitions_.T)[None]  # to x from: the max runs along the last axis
        cand = np.empty((B, L, L), dtype=np.float32)  # rows x to x from
        best = np.empty((B, L), dtype=np.float32)
        flat_from = np.arange(B * L) * L  # where each (row, to) pair's scores start in cand, flattened
        for t in range(1, T):
            n = live[t]
            np.add(score[:n, None, :], trans, out=cand[:n])
            cand[:n].argmax(axis=2, out=back[t, :n])
            # The values at the argmax: a gather takes a third of the time of a max over 7 values.
            cand[:n].reshape(-1).take(flat_from[: n * L] + back[t, :n].reshape(-1), out=best[:n].reshape(-1))
            np.add(best[:n], em[t, :n], out=score[:n])
        paths = np.empty((T, B), dtype=np.intp)
        k = score.argmax(axis=1)
        paths[T - 1] = k
        offsets = np.arange(B) * L  # back[t] flattened: row r's pointers start at r * L
        for t in range(T - 1, 0, -1):
            k = back[t].take(offsets + k)
            paths[t - 1] = k
        paths = paths.T
        names = self.labels_
        out: list[list[str]] = [[] for _ in lengths]
        for r, b in enumerate(order):
            n = lengths[b]
            if n:
                out[b] = [names[i] for i in paths[r, :n].tolist()]
        return out
