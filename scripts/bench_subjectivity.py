"""Throughput of the shipped subjectivity model (sentences/s), one process and N worker processes.

    nice -n 10 python scripts/bench_subjectivity.py [--data ../shared/data/subjectivity] [--workers 2]

Sentences are the CheckThat TSVs' (any CheckThat-format TSVs in --data), repeated to --n. Each
worker loads the model first (loading is not timed) and then classifies its share in batches of
--batch, as clean/ does per article run. Wall-clock rates depend on the machine's load: the line
also prints CPU-seconds, so a rate per CPU-second is comparable across runs.
"""

from __future__ import annotations

import argparse
import time
from multiprocessing import get_context
from pathlib import Path


def _work(args: tuple[list[str], int]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, sentences) of predicting ``sentences`` in batches."""
    from newsdossier.clean.subjectivity import load

    sentences, batch = args
    model = load()
    model.subjective_probability(sentences[:batch])  # warm the per-word memo like a running process
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(0, len(sentences), batch):
        model.subjective_probability(sentences[i : i + batch])
    return time.perf_counter() - t0, time.process_time() - c0, len(sentences)


def main() -> None:
    from newsdossier.evaluate.subjectivity import read_tsv

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/subjectivity"
    )
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    sents: list[str] = []
    for p in sorted(args.data.glob("*_en.tsv")):
        sents += read_tsv(p)[1]
    if not sents:
        raise SystemExit(f"{args.data}: no CheckThat *_en.tsv files")
    sents = (sents * (args.n // len(sents) + 1))[: args.n]

    wall, cpu, n = _work((sents, args.batch))
    print(f"1 process: {n / wall:,.0f} sentences/s wall, {n / cpu:,.0f} per CPU-second")
    k = args.workers
    shares = [(sents[i::k], args.batch) for i in range(k)]
    with get_context("spawn").Pool(k) as pool:
        t0 = time.perf_counter()
        results = pool.map(_work, shares)
    # The pool's own wall time includes start-up and model loading; the rate counts the slowest
    # worker's classifying time (all run at once).
    slowest = max(w for w, _, _ in results)
    total_cpu = sum(c for _, c, _ in results)
    print(
        f"{k} processes: {n / slowest:,.0f} sentences/s wall (slowest worker), "
        f"{n / total_cpu:,.0f} per CPU-second; pool incl. start-up {time.perf_counter() - t0:.1f}s"
    )


if __name__ == "__main__":
    main()
