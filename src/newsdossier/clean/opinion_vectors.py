"""Static word vectors for the subjectivity model: the mean vector of a sentence's words.

The vectors are distilled once, offline, from the all-MiniLM-L6-v2 sentence encoder (Apache-2.0):
each lower-case whole word of its vocabulary is encoded alone, the outputs are centred and reduced
to 64 dimensions with PCA (``scripts/train_subjectivity.py --word-vectors-from``). Applying them
needs only numpy: a sentence is the L2-normalised mean of its known words' vectors. This gives the
linear model word similarity (so "dreadful" can borrow from "awful") without shipping torch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

FILE = "word_vectors.npz"
_WORD = re.compile(r"[a-z']+")


class WordVectors:
    """``vocab`` (list of words) and ``vectors`` (len(vocab) x dims); ``transform`` -> sentence rows."""

    def __init__(self, vocab: Sequence[str], vectors: np.ndarray) -> None:
        self.vocab = list(vocab)
        # C order: scipy's sparse @ dense flattens the dense side, which copies a Fortran-ordered
        # array (the shipped file's order) on every call: 5.6 MB per batch of sentences
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.index = {w: i for i, w in enumerate(self.vocab)}

    @classmethod
    def load(cls, path: Path) -> WordVectors:
        if not Path(path).is_file():
            raise FileNotFoundError(f"{path}: word vectors missing; see scripts/train_subjectivity.py")
        with np.load(path) as z:
            return cls([str(w) for w in z["vocab"]], z["vectors"])

    def save(self, path: Path) -> None:
        np.savez_compressed(path, vocab=np.array(self.vocab), vectors=self.vectors.astype(np.float16))

    def transform(self, sentences: Sequence[str]) -> np.ndarray:
        rows: list[int] = []
        cols: list[int] = []
        get = self.index.get
        for r, s in enumerate(sentences):
            c = [j for j in map(get, _WORD.findall(s.lower())) if j is not None]
            cols.extend(c)
            rows.extend([r] * len(c))
        counts = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(sentences), len(self.vocab))
        )
        out = np.asarray(counts @ self.vectors, dtype=np.float64)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def distil_from_sentence_encoder(model_dir: Path, dims: int = 64) -> WordVectors:
    """Training time only (needs torch + transformers): encode each whole lower-case word of the
    encoder's vocabulary alone, mean-pool its word-piece outputs, centre, PCA to ``dims``."""
    import torch
    from sklearn.decomposition import PCA
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    enc = AutoModel.from_pretrained(str(model_dir)).eval()
    vocab = sorted(w for w in tok.get_vocab() if re.fullmatch(r"[a-z][a-z']*", w))
    out = []
    with torch.no_grad():
        for i in range(0, len(vocab), 512):
            b = tok(vocab[i : i + 512], padding=True, return_tensors="pt")
            h = enc(**b).last_hidden_state
            m = b["attention_mask"].unsqueeze(-1).float()
            m[:, 0] = 0  # [CLS]
            for r, n in enumerate(b["attention_mask"].sum(1)):
                m[r, int(n) - 1] = 0  # [SEP]
            out.append(((h * m).sum(1) / m.sum(1).clamp(min=1)).numpy())
    emb = np.concatenate(out)
    emb -= emb.mean(axis=0)
    return WordVectors(vocab, PCA(dims, svd_solver="full").fit_transform(emb))
