"""Training time only (needs torch + transformers, never imported by the product): a fine-tuned
sentence encoder as the teacher whose probabilities on unlabelled news sentences the shipped
TF-IDF model learns from (distillation; scripts/train_subjectivity.py --teacher-from).

Why: CheckThat has ~1,300 labelled sentences, too few for n-grams to cover the ways authors
evaluate; the encoder generalises from them, and thousands of its soft labels on news text show
the small model many more contexts of the same cues.
"""

from __future__ import annotations

import csv
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MAX_TOKENS = 64  # CheckThat sentences are ~25 words; longer ones are truncated


def unlabelled_news_sentences(data: Path, limit: int, seed: int = 0) -> list[str]:
    """Distinct sentences (20-400 characters) of the news texts in ``data`` (the shared data
    folder): ECB+ documents (CC BY 3.0) and FNC-1 article bodies; shuffled, the first ``limit``."""
    from . import split_sentences

    texts: list[str] = []
    ecb = data / "ecbplus" / "ecbplus_dev.jsonl"
    if ecb.is_file():
        texts += [json.loads(line)["text"] for line in ecb.open(encoding="utf-8")]
    fnc = data / "fnc1" / "train_bodies.csv"
    if fnc.is_file():
        csv.field_size_limit(1 << 27)
        with fnc.open(encoding="utf-8", newline="") as f:
            texts += [r["articleBody"] for r in csv.DictReader(f)]
    seen: dict[str, None] = {}
    for t in texts:
        for s in split_sentences(t):
            x = " ".join(t[s.start : s.end].split())
            if 20 <= len(x) <= 400:
                seen.setdefault(x)
    out = list(seen)
    random.Random(seed).shuffle(out)
    return out[:limit]


class Teacher:
    """Mean-pooled encoder + linear head, fine-tuned with class-balanced cross-entropy."""

    def __init__(self, model_dir: Path, epochs: int = 3, lr: float = 5e-5, batch: int = 16, seed: int = 0):
        self.model_dir, self.epochs, self.lr, self.batch, self.seed = model_dir, epochs, lr, batch, seed

    def _net(self):
        import torch
        from transformers import AutoModel

        enc = AutoModel.from_pretrained(str(self.model_dir))

        class Net(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.enc = enc
                self.head = torch.nn.Linear(enc.config.hidden_size, 2)

            def forward(self, b):
                h = self.enc(input_ids=b["input_ids"], attention_mask=b["attention_mask"]).last_hidden_state
                m = b["attention_mask"].unsqueeze(-1).float()
                return self.head((h * m).sum(1) / m.sum(1))

        return Net()

    def fit(self, sentences: Sequence[str], labels: Sequence[str], positive: str = "SUBJ") -> Teacher:
        import torch
        from transformers import AutoTokenizer

        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        self.tok_ = AutoTokenizer.from_pretrained(str(self.model_dir))
        net = self._net()
        net.train()
        y = np.array([int(lab == positive) for lab in labels])
        counts = np.bincount(y, minlength=2)
        w = torch.tensor(len(y) / (2.0 * np.maximum(counts, 1)), dtype=torch.float)
        opt = torch.optim.AdamW(
            [
                {"params": net.enc.parameters(), "lr": self.lr},
                {"params": net.head.parameters(), "lr": self.lr * 20},
            ],
            weight_decay=0.01,
        )
        steps = self.epochs * -(-len(y) // self.batch)
        warm = max(1, int(0.1 * steps))
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / warm) * max(0.0, 1 - s / steps))
        loss_of = torch.nn.CrossEntropyLoss(weight=w)
        for ep in range(self.epochs):
            order, t0, total = rng.permutation(len(y)), time.time(), 0.0
            for i in range(0, len(y), self.batch):
                idx = order[i : i + self.batch]
                b = self._tokens([sentences[j] for j in idx])
                loss = loss_of(net(b), torch.tensor(y[idx]))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total += loss.item() * len(idx)
            print(
                f"teacher epoch {ep + 1}/{self.epochs}: loss {total / len(y):.4f} ({time.time() - t0:.0f}s)"
            )
        net.eval()
        self.net_ = net
        return self

    def _tokens(self, sentences: Sequence[str]):
        return self.tok_(
            list(sentences), padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )

    def subjective_probability(self, sentences: Sequence[str], batch: int = 64) -> np.ndarray:
        """P(positive) per sentence; batches of similar length (less padding)."""
        import torch

        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        out = np.zeros(len(sentences))
        with torch.no_grad():
            for k in range(0, len(order), batch):
                idx = order[k : k + batch]
                logits = self.net_(self._tokens([sentences[i] for i in idx]))
                out[idx] = torch.softmax(logits, -1)[:, 1].numpy()
        return out
