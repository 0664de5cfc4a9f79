"""Link's steps one by one on N cleaned articles: wall seconds and peak RSS of each (where time and memory go).

    nice -n 10 python benchmarks/link_steps.py [--size 50000] [--work /tmp/bench-link] [--annotated]

The corpus is ``bench_link.cleaned_corpus``'s (synthesised, cleaned once, cached in ``--work``), as
``bench_candidates.py --cleaned-only`` uses it. With ``--annotated`` the articles are what link gets in a
run: annotated by the pool engine's workers, their entities merged, quotes and quantities set aside (as
the engines do); made once (at 100k ~40 min on 2 cores) and cached in ``--work``.
The steps are those of :func:`newsdossier.link.link_articles` for a first run (no stored stories), called
in the same order; peak RSS per step is the kernel's high-water mark (``VmHWM``), reset before each step.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def memory() -> dict[str, float]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def step(name: str, fn, *args):
    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark
    t = time.perf_counter()
    out = fn(*args)
    mem = memory()
    print(f"{name:<14} {time.perf_counter() - t:7.1f} s  peak RSS {mem['VmHWM']:7.0f} MB  "
          f"after {mem['VmRSS']:7.0f} MB", flush=True)
    return out


def linked_input(n: int, work: Path) -> list:
    """``cleaned_corpus(n)`` annotated on the pool engine's workers, entities merged (what the engines
    hand to link), cached in ``work``."""
    cache = work / f"merged-{n}-seed0.pkl"
    if cache.is_file():
        return pickle.loads(cache.read_bytes())
    from bench_link import cleaned_corpus

    from newsdossier.engine.pool import process_articles
    from newsdossier.engine.split import merge_entities

    arts = merge_entities(process_articles(cleaned_corpus(n, work)))
    cache.write_bytes(pickle.dumps(arts))
    return arts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=50_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-link"))
    ap.add_argument("--annotated", action="store_true", help="annotated, merged articles (as a run links)")
    ap.add_argument("--digest", action="store_true", help="print a digest of the stories' members and headlines "
                    "(to check that a change keeps link's output)")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    from bench_link import cleaned_corpus

    from newsdossier.link import initial_groups
    from newsdossier.link.assemble import ReuseOfArticles, apply_links, build_stories, records_for, story_ids
    from newsdossier.link.duplicates import find_duplicates
    from newsdossier.link.features import build_matrices, build_view
    from newsdossier.link.learned import default_model
    from newsdossier.link.reuse import RecordShingles, find_reuse

    if args.annotated:
        from newsdossier.engine.split import set_aside

        arts, _ = set_aside(linked_input(args.size, args.work))
        gc.collect()
    else:
        arts = cleaned_corpus(args.size, args.work)
    arts = sorted({a.id: a for a in arts}.values(), key=lambda a: a.id)
    kind = "annotated" if args.annotated else "cleaned"
    print(f"{len(arts)} {kind} articles loaded; RSS {memory()['VmRSS']:.0f} MB", flush=True)
    t = time.perf_counter()
    dup_of = step("duplicates", find_duplicates, arts)
    shingles = RecordShingles({a.id: a for a in arts})
    links = step("reuse", find_reuse, arts)
    arts = step("apply links", apply_links, arts, dup_of, links)
    reuse = ReuseOfArticles(arts, links)  # as link_articles: the links are not held past this
    del links
    views = step("views", lambda: [build_view(a) for a in arts])
    m = step("matrices", build_matrices, views)
    initial = initial_groups(arts, (), dup_of)
    model = default_model()
    scorer = step("pair scorer", model.scorer, m, initial)
    groups = step("clustering", model.cluster_scored, scorer, initial)
    ids = story_ids(groups, arts, ())
    stories, _ = step("stories", build_stories, groups, ids, arts, views, m)
    step("records", lambda *args: dict(records_for(*args)), arts, views, scorer.candidates, scorer.floors, np.arange(len(arts)), dup_of,
         reuse, shingles)
    print(f"link: {time.perf_counter() - t:.1f} s, {len(stories)} stories")
    if args.digest:
        import hashlib

        members = sorted((s.id, s.headline, tuple(sorted(s.article_ids))) for s in stories)
        print("digest", hashlib.sha256(repr(members).encode()).hexdigest())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
