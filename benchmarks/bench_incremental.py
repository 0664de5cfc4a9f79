"""End-to-end incremental add: ``analyze`` M new articles into a store that already holds N analysed ones.

    nice -n 10 python benchmarks/bench_incremental.py [--size 10000] [--add 100] [--work /tmp/bench-incremental]

The corpus comes from ``benchmarks/corpus.py`` (synthesised at run time; nothing is written into the
repo): N + M articles as JSONL lines, the first N in one folder, the last M in another. The store of the
N is built once with ``newsdossier.analyze`` (several minutes for 10,000; kept in ``--work`` and reused
by later runs with the same size) and copied; then the M are added with ``analyze`` - read, clean,
annotate, link, compare, store, as the CLI does it - and the outputs of ``--render`` (default json,html) are
written into the report the store had before the add (HTML: only the story pages that changed are
rendered again), timed: wall, CPU seconds (this process), the load average (``os.getloadavg``) before
and after. A second ``analyze`` with nothing new is timed as well.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
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


def current(db: Path, size: int) -> bool:
    """Whether every article of the cached store has a current analysis."""
    from newsdossier.engine.incremental import ANALYSIS_VERSION
    from newsdossier.store import Store

    with Store(db) as store:
        return store.count_analysed(ANALYSIS_VERSION) == size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-incremental"))
    ap.add_argument("--engine", default="local")
    ap.add_argument("--render", default="json,html",
                    help="outputs re-rendered after the add, into the report of the store before it "
                         "(comma-separated json,html,md; '' for none)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    from newsdossier import analyze

    base, extra = split_corpus(args.size, args.add, args.work)
    built = args.work / f"store-{args.size}.db"
    if built.is_file() and not current(built, args.size):
        # analysed by another ANALYSIS_VERSION: the "add" would re-analyse every stored article
        print(f"{built} was analysed by another analysis version: building it again")
        built.unlink()
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
    from newsdossier.render import write_outputs

    formats = [f for f in args.render.split(",") if f]
    out = args.work / "out"
    if formats:  # the report of the store as it was, as a user's earlier run left it (not timed)
        shutil.rmtree(out, ignore_errors=True)
        # in its own process, as that earlier run was: rendering 10k articles here first would leave
        # this process's heap grown and fragmented, which a CLI run adding articles never sees
        code = ("import sys; from pathlib import Path; from newsdossier import analyze; "
                "from newsdossier.render import write_outputs; "
                "write_outputs(analyze([], db=sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(','))")
        _, wall, _ = timed(lambda: subprocess.run([sys.executable, "-c", code, str(db), str(out), ",".join(formats)],
                                                  check=True))
        print(f"rendered the {args.size}-article store ({','.join(formats)}) in {wall:.1f} s (not timed below)")
    rep = Reporter(quiet=True)
    load_before = os.getloadavg()
    d, wall, cpu = timed(lambda: analyze([extra], db=db, engine=args.engine, reporter=rep))
    if formats:
        _, r_wall, r_cpu = timed(lambda: write_outputs(d, out, formats))
        wall, cpu = wall + r_wall, cpu + r_cpu
        rep.timings["render " + ",".join(formats)] = r_wall
    load_after = os.getloadavg()
    print(f"add {args.add} to {args.size} with analyze (engine {args.engine}) and render {args.render or 'nothing'}: "
          f"{wall:.1f} s wall, {cpu:.1f} CPU-s; "
          f"{len(d.articles)} articles, {len(d.stories)} stories; "
          f"load before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print("  stages (wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in rep.timings.items()))
    d, wall, cpu = timed(lambda: analyze([extra], db=db, engine=args.engine))
    print(f"again with nothing new: {wall:.1f} s wall, {cpu:.1f} CPU-s")


if __name__ == "__main__":
    main()
