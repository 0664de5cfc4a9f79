"""The learned same-event model: two logistic regressions (non-negative weights) over pair features, shipped as JSON.

Stage 1 weighs the first-order view cosines into p1; stage 2 adds second-order (neighbourhood)
similarities built on p1 and on the raw views. The calibrated stage-2 probability, cut at 0.5, is the
join decision (Miranda et al. 2018: a learned decision beats a tuned cosine threshold). A third
regression decides which of the resulting events to merge (see :mod:`.merge`).
Follows scikit-learn's contract: parameters in ``__init__``, learned state in ``*_`` attributes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin

from ..model import Article
from .events import cluster_events
from .features import FIRST_ORDER, ViewMatrices, build_matrices, build_view, day_gap, first_order
from .merge import MERGE_FEATURES, group_folds, merge_passes, training_rows
from .pairs import STAGE2_FEATURES, PairScorer, logistic, time_factor

MODEL_RESOURCE = "models/link/same_event.json"
FORMAT = "newsdossier.same_event/2"
PROBABILITY_CHUNK = 1 << 18  # pairs scored at once


def fit_monotone_logistic(x: np.ndarray, y: np.ndarray, C: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression whose feature weights are >= 0.

    Every feature is a similarity, so more similarity must never lower the probability; free weights
    learn collinearity artefacts (a negative weight on p1) that break on unseen shapes of data, e.g. a
    burst of twenty near-identical reports split in two.
    """
    from scipy.optimize import minimize

    x = np.asarray(x, dtype=float)
    t = np.asarray(y, dtype=float)
    d = x.shape[1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w[:d] + w[d]
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(np.logaddexp(0.0, z) - t * z) + 0.5 / C * w[:d] @ w[:d])
        g = x.T @ (p - t) + w[:d] / C
        return value, np.append(g, np.sum(p - t))

    res = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                   bounds=[(0.0, None)] * d + [(None, None)], options={"maxiter": 2000})
    return res.x[:d], float(res.x[d])


class SameEventModel(BaseEstimator, ClusterMixin):
    """Clusters articles into events; ``fit`` learns the pair weights from event labels."""

    def __init__(self, per_row: int = 50, C: float = 1.0, threshold: float = 0.5, monotone: bool = True,
                 direct_floor: float = 1.0, merge_folds: int = 3, merge_C: float = 3.0) -> None:
        self.per_row = per_row
        self.C = C
        self.threshold = threshold
        self.monotone = monotone
        self.direct_floor = direct_floor
        self.merge_folds = merge_folds
        self.merge_C = merge_C

    # -- learning ------------------------------------------------------------------------------
    def fit(self, X: Sequence[Article], y: Sequence[object], groups: Sequence[object] | None = None) -> SameEventModel:
        """``groups``: what held-out folds are dealt by when learning the merge decision (e.g. topics:
        look-alike events of one topic fall in one fold); default the labels themselves."""
        views = [build_view(a) for a in X]
        labels = np.asarray([str(v) for v in y])
        m = build_matrices(views)
        self._fit_pairs(m, labels)
        self.merge_coef_, self.merge_intercept_ = self._fit_merge(views, m, labels, groups)
        return self

    def _fit_pairs(self, m: ViewMatrices, labels: np.ndarray) -> None:
        n = len(m)
        rows, cols = np.triu_indices(n, 1)  # stage 1 sees every pair: it also scores non-candidates
        same = labels[rows] == labels[cols]
        self.coef1_, self.intercept1_ = fit_monotone_logistic(first_order(m, rows, cols), same, self.C)
        scorer = PairScorer(m, self.coef1_, self.intercept1_, self.per_row)
        feats = scorer.stage2_features(rows, cols)
        if self.monotone:
            self.coef2_, self.intercept2_ = fit_monotone_logistic(feats, same, self.C)
        else:
            from sklearn.linear_model import LogisticRegression

            lr2 = LogisticRegression(C=self.C, max_iter=5000).fit(feats, same)
            self.coef2_, self.intercept2_ = lr2.coef_[0].astype(float), float(lr2.intercept_[0])

    def _fit_merge(self, views: Sequence, m: ViewMatrices, labels: np.ndarray, groups: Sequence[object] | None
                   ) -> tuple[np.ndarray, float]:
        """The merge decision, learned from the first pass's events on held-out folds: for each fold a
        pair model is fitted on the other folds, the whole set is clustered with it, and the pairs of
        events holding held-out articles become examples (merge: their majority labels agree). Then one
        refit adds the events that later passes weigh (merged as the first decision merges them), so
        training sees what use sees."""
        if self.merge_folds < 2:
            return np.zeros(len(MERGE_FEATURES)), -np.inf
        xs, ys, runs = [], [], []
        for held in group_folds([str(g) for g in (labels if groups is None else groups)], self.merge_folds):
            inner = SameEventModel(**{**self.get_params(), "merge_folds": 0})
            inner._fit_pairs(build_matrices([v for v, h in zip(views, held) if not h]), labels[~held])
            scorer = inner.scorer(m)
            p = inner.probability(scorer, scorer.rows, scorer.cols)
            found = inner.cluster_scored(scorer, merge=False)

            def prob(r, c, inner=inner, scorer=scorer):
                return inner.probability(scorer, r, c)
            x, t = training_rows(found, labels, held, scorer.rows, scorer.cols, p, prob, scorer.conflict)
            xs.append(x)
            ys.append(t)
            runs.append((scorer, p, prob, found, held))
        if len(set(np.concatenate(ys).tolist())) < 2:
            return np.zeros(len(MERGE_FEATURES)), -np.inf
        coef, intercept = fit_monotone_logistic(np.concatenate(xs), np.concatenate(ys), self.merge_C)
        for scorer, p, prob, found, held in runs:
            for merged in merge_passes(found, scorer.rows, scorer.cols, p, prob, scorer.conflict, coef, intercept,
                                       self.threshold):
                x, t = training_rows(merged, labels, held, scorer.rows, scorer.cols, p, prob, scorer.conflict)
                xs.append(x)
                ys.append(t)
        return fit_monotone_logistic(np.concatenate(xs), np.concatenate(ys), self.merge_C)

    # -- use -----------------------------------------------------------------------------------
    def probability(self, scorer: PairScorer, rows: np.ndarray, cols: np.ndarray,
                    timeless: bool = False) -> np.ndarray:
        """Same-event probability per pair; ``timeless``: what the content alone says (no time penalty).

        In chunks of PROBABILITY_CHUNK pairs: each pair's value depends on that pair only, and the
        features of every candidate pair at once (millions at 100k articles) were the clustering's
        memory peak."""
        if len(rows) <= PROBABILITY_CHUNK:
            return self._probability(scorer, rows, cols, timeless)
        return np.concatenate([self._probability(scorer, rows[at : at + PROBABILITY_CHUNK],
                                                 cols[at : at + PROBABILITY_CHUNK], timeless)
                               for at in range(0, len(rows), PROBABILITY_CHUNK)])

    def _probability(self, scorer: PairScorer, rows: np.ndarray, cols: np.ndarray, timeless: bool) -> np.ndarray:
        feats = scorer.stage2_features(rows, cols, timeless)
        p = logistic(feats, self.coef2_, self.intercept2_)
        p1 = feats[:, STAGE2_FEATURES.index("p1")]  # already time-penalised
        p = np.where(p1 >= self.direct_floor, np.maximum(p, p1), p)
        return p if timeless else p * time_factor(day_gap(scorer.m, rows, cols))

    def scorer(self, m: ViewMatrices, initial: Sequence[Sequence[int]] = (),
               candidates: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> PairScorer:
        """The pair scorer for ``m``; ``initial`` groups' pairs join the candidates (see :class:`PairScorer`)."""
        ml_r = [g[0] for g in initial for _ in g[1:]]
        ml_c = [i for g in initial for i in g[1:]]
        return PairScorer(
            m, self.coef1_, self.intercept1_, self.per_row,
            must_link=(np.asarray(ml_r, dtype=np.int64), np.asarray(ml_c, dtype=np.int64)),
            candidates=candidates,
        )

    def cluster_scored(self, scorer: PairScorer, initial: Sequence[Sequence[int]] = (),
                       pairs: np.ndarray | None = None, merge: bool = True) -> list[list[int]]:
        """Events as sorted index lists; ``pairs``: a mask of the scorer's pairs that may join groups
        (an incremental add: those touching a new article), default all; ``merge``: run the second pass."""
        rows, cols = scorer.rows, scorer.cols
        if pairs is not None:
            rows, cols = rows[pairs], cols[pairs]
        p = self.probability(scorer, rows, cols)
        found = cluster_events(
            len(scorer.m), rows, cols, p,
            lambda r, c: self.probability(scorer, r, c), self.threshold, initial,
            pair_conflict=scorer.conflict,
            content_probability=lambda r, c: self.probability(scorer, r, c, timeless=True),
            contrast=scorer.contrast,
        )
        if not merge or not np.isfinite(getattr(self, "merge_intercept_", -np.inf)):
            return found
        for found in merge_passes(found, rows, cols, p, lambda r, c: self.probability(scorer, r, c),  # noqa: B007
                                  scorer.conflict, self.merge_coef_, self.merge_intercept_, self.threshold):
            pass  # the last pass is the fixpoint
        return found

    def cluster_matrices(
        self, m: ViewMatrices, initial: Sequence[Sequence[int]] = ()
    ) -> list[list[int]]:
        """Events as sorted index lists into ``m``; ``initial`` groups stay together."""
        return self.cluster_scored(self.scorer(m, initial), initial)

    def fit_predict(self, X: Sequence[Article], y: Sequence[object] | None = None) -> np.ndarray:
        if y is not None:
            self.fit(X, y)
        return self.predict(X)

    def predict(self, X: Sequence[Article]) -> np.ndarray:
        """One event label per article (the index of its event; events ordered by first member)."""
        m = build_matrices([build_view(a) for a in X])
        labels = np.zeros(len(m), dtype=int)
        for k, g in enumerate(self.cluster_matrices(m)):
            labels[g] = k
        return labels

    # -- portable weights ----------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "params": self.get_params(),
            "stage1": {"features": list(FIRST_ORDER), "coef": list(self.coef1_), "intercept": self.intercept1_},
            "stage2": {"features": list(STAGE2_FEATURES), "coef": list(self.coef2_), "intercept": self.intercept2_},
            "merge": {"features": list(MERGE_FEATURES), "coef": list(self.merge_coef_),
                      "intercept": float(self.merge_intercept_) if np.isfinite(self.merge_intercept_) else None},
        }

    @classmethod
    def from_dict(cls, data: dict) -> SameEventModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a same-event model of this version: format {data.get('format')!r}; "
                             "retrain with scripts/train_link.py")
        if (list(data["stage2"]["features"]) != list(STAGE2_FEATURES)
                or list(data["merge"]["features"]) != list(MERGE_FEATURES)):
            raise ValueError("same-event model was trained on other features; retrain with scripts/train_link.py")
        model = cls(**data["params"])
        model.coef1_ = np.asarray(data["stage1"]["coef"], dtype=float)
        model.intercept1_ = float(data["stage1"]["intercept"])
        model.coef2_ = np.asarray(data["stage2"]["coef"], dtype=float)
        model.intercept2_ = float(data["stage2"]["intercept"])
        model.merge_coef_ = np.asarray(data["merge"]["coef"], dtype=float)
        intercept = data["merge"]["intercept"]
        model.merge_intercept_ = -np.inf if intercept is None else float(intercept)
        return model

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


_DEFAULT: SameEventModel | None = None


def default_model() -> SameEventModel:
    """The shipped model (trained on ECB+ dev by scripts/train_link.py), loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        text = (resources.files("newsdossier") / MODEL_RESOURCE).read_text(encoding="utf-8")
        _DEFAULT = SameEventModel.from_dict(json.loads(text))
    return _DEFAULT
