"""Link-stage speed: clustering N annotated articles, and an incremental add of M to an N-article store.

    nice -n 10 python benchmarks/bench_link.py [--size 10000] [--add 100] [--work /tmp/bench-link]

The corpus comes from ``benchmarks/corpus.py`` (synthesised at run time from the example corpus and,
when present, the dev corpora in ``../shared/data``; nothing is written into the repo). It is cleaned
and annotated once and cached in ``--work`` (pickle), because the target is the link stage *after*
annotation; the first run therefore takes a while longer. Reported: wall and CPU seconds of
``link_articles`` on the N articles, then of the incremental add as ``newsdossier analyze`` does it on a
store: the link records of the N articles are written to an SQLite store, read back and decoded, M
articles are linked against them (``StoredStories``), and the new records are written - all timed
together; with the story counts and a check that every existing story kept its id. ``--check`` also
relinks all N + M in full from the same stories and counts the new articles assigned differently.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def cleaned_corpus(n: int, work: Path, seed: int = 0) -> list:
    """N synthetic articles (``corpus.synthesise``), read and cleaned once, cached in ``work`` (pickle)."""
    cache = work / f"cleaned-{n}-seed{seed}.pkl"
    if cache.is_file():
        return pickle.loads(cache.read_bytes())
    from corpus import synthesise

    from newsdossier.clean import clean_articles
    from newsdossier.ingest import read_inputs
    from newsdossier.model import Article

    files = synthesise(n, work / f"corpus-{n}-seed{seed}", seed=seed)
    arts = clean_articles([a for a in read_inputs([str(f) for f in files]) if isinstance(a, Article)])
    cache.write_bytes(pickle.dumps(arts))
    return arts


def annotated_corpus(n: int, work: Path, seed: int = 0) -> list:
    """:func:`cleaned_corpus`, annotated once and cached too."""
    cache = work / f"annotated-{n}-seed{seed}.pkl"
    if cache.is_file():
        return pickle.loads(cache.read_bytes())
    from newsdossier.annotate import annotate_articles

    cleaned = cleaned_corpus(n, work, seed)
    t = time.perf_counter()
    arts = []
    for k in range(0, len(cleaned), 500):
        chunk = cleaned[k : k + 500]
        try:
            arts.extend(annotate_articles(chunk))
        except Exception:  # noqa: BLE001 - an annotator bug must not sink the link benchmark
            for a in chunk:
                try:
                    arts.extend(annotate_articles([a]))
                except Exception as exc:  # noqa: BLE001
                    print(f"warning: {a.input}: not annotated ({exc!r}); linked as cleaned", file=sys.stderr)
                    arts.append(a)
    print(f"(annotated {len(arts)} articles once in {time.perf_counter() - t:.0f} s; cached in {cache})")
    cache.write_bytes(pickle.dumps(arts))
    return arts


def timed(fn, *args):
    w, c = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-link"))
    ap.add_argument("--check", action="store_true", help="compare with a full relink (slow)")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    from newsdossier.link import link_articles
    from newsdossier.link.learned import default_model

    arts = annotated_corpus(args.size + args.add, args.work)
    base, extra = arts[: args.size], arts[args.size : args.size + args.add]
    default_model()  # loading the model is not clustering
    link_articles(base[:20])  # imports and first-call set-up

    from newsdossier.link import StoredStories
    from newsdossier.link.records import LinkRecord
    from newsdossier.store import Store

    memory = StoredStories()
    (linked, stories), wall, cpu = timed(link_articles, base, memory)
    print(f"cluster {len(base)} articles: {wall:.1f} s wall, {cpu:.1f} s CPU -> {len(stories)} stories")
    db = args.work / "bench-store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with Store(db) as store:
        store.add_articles(base + extra)
        store.save_link_records((aid, r.to_bytes()) for aid, r in sorted(memory.fresh.items()))

    def incremental_add():
        with Store(db) as store:
            records = {aid: LinkRecord.from_bytes(b) for aid, b in store.link_records().items()}
            existing = StoredStories(stories, records)
            out = link_articles(linked + extra, existing)
            store.save_link_records((aid, r.to_bytes()) for aid, r in sorted(existing.fresh.items()))
        return out

    (linked2, stories2), wall2, cpu2 = timed(incremental_add)
    kept = {s.id for s in stories2}
    lost = [s.id for s in stories if s.id not in kept]
    print(f"incremental add of {len(extra)} to {len(base)} (store read + link + store write): {wall2:.1f} s wall, "
          f"{cpu2:.1f} s CPU -> {len(stories2)} stories; existing ids lost: {len(lost)}")
    if args.check:
        (full, _), wall3, _ = timed(link_articles, linked + extra, tuple(stories))
        story_inc = {a.id: a.story_id for a in linked2}
        story_full = {a.id: a.story_id for a in full}
        differ = [a.id for a in extra if story_inc[a.id] != story_full[a.id]]
        print(f"full relink of {len(base) + len(extra)} from the same stories: {wall3:.1f} s; "
              f"new articles assigned differently: {len(differ)} of {len(extra)}")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
