"""Link's candidate-pair search at N articles: the exact search against the shortlisted one.

    nice -n 10 python benchmarks/bench_candidates.py [--size 10000] [--cleaned-only] [--sample 2000]

Articles come from ``benchmarks/corpus.py``, cleaned and annotated once and cached in ``--work`` (see
``bench_link.py``); ``--cleaned-only`` skips annotation, so names come from the capitalised-word
fallback, which makes large N affordable. Reported per search: wall seconds, peak traced memory (numpy
and scipy arrays, via tracemalloc), and pairs. Against the exact lists of ``--sample`` random articles
(computed for those rows only): the share of their neighbours the shortlisted pairs hold (a lower
bound where near-copies tie), the similarity mass of each article's best ``per_row`` among the
shortlisted pairs relative to its exact list's, and how often its weakest listed neighbour is as
strong as the exact list's. ``--exact`` also times the full exact search (quadratic: ~14 min at 100k).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def best_lists(rows_of_interest: np.ndarray, r: np.ndarray, c: np.ndarray, f: np.ndarray,
               k: int) -> dict[int, dict[int, float]]:
    """Per article of interest, its ``k`` most similar partners (body + names cosine) among the pairs."""
    wanted = set(rows_of_interest.tolist())
    lists: dict[int, dict[int, float]] = {}
    for a, b, s in zip(r.tolist(), c.tolist(), (f[:, 0] + f[:, 1]).tolist()):
        for x, y in ((a, b), (b, a)):
            if x in wanted:
                lists.setdefault(x, {})[y] = s
    return {x: dict(sorted(p.items(), key=lambda kv: -kv[1])[:k]) for x, p in lists.items()}


def measured(fn, *args, **kwargs):
    tracemalloc.start()
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    wall = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, wall, peak / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--per-row", type=int, default=50)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--cleaned-only", action="store_true")
    ap.add_argument("--exact", action="store_true", help="also time the full exact search")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-link"))
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    from bench_link import annotated_corpus, cleaned_corpus

    from newsdossier.link.features import build_matrices, build_view
    from newsdossier.link.pairs import candidate_pairs

    size, work = args.size, args.work
    arts = cleaned_corpus(size, work) if args.cleaned_only else annotated_corpus(size, work)
    t = time.perf_counter()
    m = build_matrices([build_view(a) for a in arts])
    n = len(m)
    print(f"{n} articles ({'cleaned only' if args.cleaned_only else 'annotated'}); "
          f"view matrices {time.perf_counter() - t:.1f} s")

    (r, c, f, _), wall, peak = measured(candidate_pairs, m, args.per_row, exact_max=0)
    print(f"shortlisted search: {wall:.1f} s, peak traced {peak:.0f} MiB, {len(r)} pairs")

    rng = np.random.default_rng(1)
    sample = np.sort(rng.choice(n, size=min(args.sample, n), replace=False))
    er, ec, ef, _ = candidate_pairs(m, args.per_row, only=sample)
    exact, approx = best_lists(sample, er, ec, ef, args.per_row), best_lists(sample, r, c, f, args.per_row)
    found = np.mean([len(set(exact[i]) & set(approx.get(i, {}))) / max(len(exact[i]), 1) for i in exact])
    mass = np.mean([sum(approx.get(i, {}).values()) / max(sum(exact[i].values()), 1e-9) for i in exact])
    kth = np.mean([min(approx[i].values()) >= min(exact[i].values()) - 1e-6 for i in exact if approx.get(i)])
    print(f"against the exact lists of {len(sample)} articles: {found:.4f} of their neighbours found "
          f"(ties make this a lower bound), similarity mass {mass:.4f} of the exact lists', "
          f"weakest neighbour as strong as the exact list's in {kth:.4f} of lists")
    if args.exact:
        (r2, _, _, _), wall2, peak2 = measured(candidate_pairs, m, args.per_row, exact_max=n)
        print(f"exact search: {wall2:.1f} s, peak traced {peak2:.0f} MiB, {len(r2)} pairs")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
