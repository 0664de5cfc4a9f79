"""End-to-end incremental add: ``analyze`` M new articles into a store that already holds N analysed ones.

    nice -n 10 python benchmarks/bench_incremental.py [--size 10000] [--add 100] [--work /tmp/bench-incremental]

The corpus comes from ``benchmarks/corpus.py`` (synthesised at run time; nothing is written into the
repo): N + M articles as JSONL lines, the first N in one folder, the last M in another. The store of the
N is built once with ``newsdossier.analyze`` (several minutes for 10,000; kept in ``--work`` and reused
by later runs with the same size) and copied; then the M are added with ``analyze`` - read, clean,
annotate, link, compare, store, as the CLI does it - timed: wall, CPU seconds (this process), the load
average (``os.getloadavg``) before and after. A second ``analyze`` with nothing new is timed as well.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
FILE_LINES = 200


def split_corpus(size: int, add: int, work: Path) -> tuple[Path, Path]:
    from corpus import synthesise

    base, extra = work / f"base-{size}", work / f"extra-{size}-{add}"
    if base.is_dir() and extra.is_dir():
        return base, extra
    files = synthesise(size + add, work / f"corpus-{size + add}")
    lines = [ln for f in files for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for folder, part in ((base, lines[:size]), (extra, lines[size : size + add])):
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(0, len(part), FILE_LINES):  # files under the reader's size limit
            (folder / f"part-{k // FILE_LINES:04d}.jsonl").write_text(
                "\n".join(part[k : k + FILE_LINES]) + "\n", encoding="utf-8")
    return base, extra


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-incremental"))
    ap.add_argument("--engine", default="local")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    from newsdossier import analyze

    base, extra = split_corpus(args.size, args.add, args.work)
    built = args.work / f"store-{args.size}.db"
    if not built.is_file():
        tmp = args.work / "building.db"
        tmp.unlink(missing_ok=True)
        d, wall, cpu = timed(lambda: analyze([base], db=tmp, engine=args.engine))
        if len(d.articles) != args.size or d.rejected:
            raise SystemExit(f"the store holds {len(d.articles)} articles, not {args.size}: {d.rejected[:3]}")
        print(f"built the {len(d.articles)}-article store ({len(d.stories)} stories) in {wall:.0f} s wall, "
              f"{cpu:.0f} CPU-s (once; cached in {built})")
        tmp.rename(built)
    db = args.work / "run.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    shutil.copyfile(built, db)

    from newsdossier.engine.progress import Reporter

    rep = Reporter(quiet=True)
    load_before = os.getloadavg()
    d, wall, cpu = timed(lambda: analyze([extra], db=db, engine=args.engine, reporter=rep))
    load_after = os.getloadavg()
    print(f"add {args.add} to {args.size} with analyze (engine {args.engine}): {wall:.1f} s wall, {cpu:.1f} CPU-s; "
          f"{len(d.articles)} articles, {len(d.stories)} stories; "
          f"load before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print("  stages (wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in rep.timings.items()))
    d, wall, cpu = timed(lambda: analyze([extra], db=db, engine=args.engine))
    print(f"again with nothing new: {wall:.1f} s wall, {cpu:.1f} CPU-s")


if __name__ == "__main__":
    main()
