"""Ensembles of trained quote taggers, and distillation for ``train_quotes_nn.py`` (its ``--teachers``).

    python scripts/quotes_nn_teachers.py --fold 9 DIR1 DIR2 DIR3   # score the ensemble of fold models

Several networks of the same configuration, trained with other random draws, averaged (their label scores
summed) are better than each alone, but cost a forward pass each at run time. The shipped network is trained
on its gold labels and, token by token, on the distribution softmax(scores / T) of the ensemble's mean
scores, so that one network learns what the ensemble knows. Label scores are unary CRF potentials: adding a
constant to a token's scores changes nothing, and softmax is blind to it too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class EnsembleTagger:
    """Several taggers of one configuration as one: their label scores and CRF transitions averaged (a
    forward pass each)."""

    def __init__(self, members: Sequence):
        self.members = list(members)
        self.labels_ = self.members[0].labels_
        self.transitions_ = np.mean([m.transitions_ for m in self.members], axis=0).astype(np.float32)
        self.source_bias = self.members[0].source_bias

    def decode(self, emissions: np.ndarray, lengths: Sequence[int]) -> list[list[str]]:
        from newsdossier.annotate.quote_tagger import QuoteTagger

        return QuoteTagger.decode(self, emissions, lengths)

    def article_scores(self, *inputs) -> np.ndarray:
        return np.mean([m.article_scores(*inputs) for m in self.members], axis=0)


def ensemble_targets(teachers: Sequence, rows: Sequence, temperature: float,
                     chunk: int = 256) -> list[np.ndarray]:
    """Per row (paragraph), softmax(mean teacher scores / temperature): tokens x labels, float32.

    ``teachers`` are :class:`NeuralQuoteTagger` models read with the same inputs as ``rows``
    (vector rows, vocabulary ids, dense features, labels), i.e. trained on the same articles."""
    out: list[np.ndarray] = []
    for a in range(0, len(rows), chunk):
        part = rows[a : a + chunk]
        lens = [len(r[3]) for r in part]
        v, w, d = (np.concatenate([r[k] for r in part]) for k in range(3))
        mean = sum(t.net.scores(v, w, d, lens) for t in teachers) / len(teachers)
        z = mean / temperature
        z = np.exp(z - z.max(axis=1, keepdims=True))
        z /= z.sum(axis=1, keepdims=True)
        out.extend(np.split(z.astype(np.float32), np.cumsum(lens)[:-1]))
    return out


def soft_batch(torch, targets: Sequence[np.ndarray], rows: Sequence, idx: Sequence[int], n_labels: int):
    """The targets of a batch, padded and ordered as ``train_quotes_nn.to_tensors`` orders its rows."""
    idx = sorted(idx, key=lambda i: -len(rows[i][3]))
    T = len(rows[idx[0]][3])
    soft = np.zeros((len(idx), T, n_labels), dtype=np.float32)
    for r, i in enumerate(idx):
        soft[r, : len(targets[i])] = targets[i]
    return torch.from_numpy(soft)


def distill_loss(torch, em, soft, mask, temperature: float):
    """Sum over tokens of KL(target || softmax(em / T)), times T^2 (its gradients' scale then matches)."""
    logq = torch.log_softmax(em / temperature, dim=-1)
    kl = (soft * (torch.log(soft.clamp_min(1e-12)) - logq)).sum(-1)
    return temperature * temperature * (kl * mask).sum()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fold", type=int, default=9, help="score the articles i of train with i %% 10 == FOLD")
    ap.add_argument("--sentence-cache", type=Path)
    ap.add_argument("models", nargs="+", type=Path, help="models fitted on the other folds (--select --keep)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import train_quotes as tq

    from newsdossier.annotate.quote_nn import NeuralQuoteTagger

    docs = tq.load_articles(tq.DATA, args.sentence_cache)
    held = [d for i, d in enumerate(docs) if i % 10 == args.fold]
    print(f"ensemble of {len(args.models)}, fold {args.fold}:")
    tq.score(EnsembleTagger([NeuralQuoteTagger.load(m) for m in args.models]), held)
    return 0


if __name__ == "__main__":
    sys.exit(main())
