"""CPU time of a pretrained encoder's forward pass on ~600-word news texts (sizing issue #4's NER option).

    python scripts/encoder_speed.py --encoder PATH/all-MiniLM-L6-v2 [--data ../shared/data] [--words 600]

Needs the `semantic` extra (torch, transformers). One thread, 256-wordpiece windows, the first
PolNeAR dev texts joined and cut to ``--words`` words; prints the best of three runs. The annotate
stage's whole budget is 30 ms per 600-word article.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--encoder", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--words", type=int, default=600)
    args = ap.parse_args()
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(str(args.encoder))
    encoder = AutoModel.from_pretrained(str(args.encoder)).eval()
    texts = sorted((args.data / "polnear" / "dev" / "text").iterdir())
    words = " ".join(p.read_text(encoding="utf-8") for p in texts[:10]).split()[: args.words]
    ids = tokenizer(" ".join(words), return_tensors="pt")["input_ids"][0]
    windows = [ids[i : i + 256] for i in range(0, len(ids), 256)]
    best = float("inf")
    with torch.inference_mode():
        for _ in range(3):
            start = time.process_time()
            for w in windows:
                encoder(input_ids=w[None])
            best = min(best, time.process_time() - start)
    print(f"{len(words)} words, {len(ids)} wordpieces: forward {best * 1000:.0f} ms CPU (one thread)")


if __name__ == "__main__":
    main()
