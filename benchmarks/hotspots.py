"""Where the time goes: ``python benchmarks/hotspots.py [--copies 20] [--top 25] [--stage clean]``.

Profiles ``newsdossier.analyze`` (cProfile, in-memory store) on the example corpus varied ``--copies``
times per article (see ``corpus.synthesise``; only the bundled fictional corpus, so it runs anywhere),
then prints the time per stage package and the top functions by own time and by cumulative time, as
``package.module:function`` so each hot spot can go to its stage's owner. ``--stage NAME`` profiles
one stage alone (clean, annotate, link or compare; the stages before it run unprofiled).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _where(key: tuple[str, int, str]) -> str:
    path, _, func = key
    p = path.replace("\\", "/")
    if "/newsdossier/" in p:
        mod = p.split("/newsdossier/", 1)[1].removesuffix(".py").replace("/", ".")
        return f"newsdossier.{mod}:{func}"
    if "site-packages/" in p:
        return f"{p.split('site-packages/', 1)[1].split('/', 1)[0]}:{func}"
    return f"{Path(p).name}:{func}" if p not in ("~", "") else func


STAGES = ("clean", "annotate", "link", "compare")


def _profile_stage(folder: Path, stage: str, prof: cProfile.Profile, rep) -> tuple[int, float]:
    """Run the local engine's stages in order on ``folder``, profiling only ``stage``."""
    from newsdossier.annotate import annotate_articles
    from newsdossier.clean import clean_articles
    from newsdossier.compare import compare_stories
    from newsdossier.ingest import read_inputs
    from newsdossier.link import link_articles
    from newsdossier.model import Article

    arts = [a for a in read_inputs([str(folder)]) if isinstance(a, Article)]
    stories: list = []
    steps = {
        "clean": lambda: (clean_articles(arts), stories),
        "annotate": lambda: (annotate_articles(arts), stories),
        "link": lambda: link_articles(arts),
        "compare": lambda: compare_stories(arts, stories),
    }
    for name in STAGES:
        profiled = name == stage
        t0 = time.perf_counter()
        if profiled:
            prof.enable()
        with rep.stage(name):
            arts, stories = steps[name]()
        if profiled:
            prof.disable()
            return len(arts), time.perf_counter() - t0
    raise ValueError(stage)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--dump", type=Path, help="also save the raw profile (for snakeviz / pstats)")
    ap.add_argument("--stage", choices=STAGES, help="profile this stage alone (the earlier ones run unprofiled)")
    args = ap.parse_args(argv)

    from corpus import synthesise

    from newsdossier.api import analyze
    from newsdossier.engine.progress import Reporter

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        # Only the bundled example corpus: no dev data needed.
        synthesise(11 * args.copies, folder, data=Path(tmp) / "no-dev-data")
        analyze(str(Path(__file__).resolve().parents[1] / "src/newsdossier/data/example"))  # warm: models, imports
        rep = Reporter(quiet=True)
        prof = cProfile.Profile(time.process_time)  # CPU time: robust to a loaded machine
        if args.stage:
            n, total = _profile_stage(folder, args.stage, prof, rep)
            print(f"{n} articles, stage {args.stage}: {total:.1f} s wall under cProfile ({n / total:.1f} articles/s)")
        else:
            t0 = time.perf_counter()
            prof.enable()
            dossier = analyze(folder, reporter=rep)
            prof.disable()
            total = time.perf_counter() - t0
            n = len(dossier.articles)
            print(f"{n} articles, {len(dossier.stories)} stories, {total:.1f} s wall under cProfile "
                  f"({n / total:.1f} articles/s)")
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in rep.timings.items()))
    stats = pstats.Stats(prof)
    if args.dump:
        stats.dump_stats(args.dump)
    own: dict[str, float] = defaultdict(float)
    cum: dict[str, float] = {}
    for key, (_, _, tt, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = _where(key)
        own[where] += tt
        cum[where] = max(cum.get(where, 0.0), ct)
    by_package: dict[str, float] = defaultdict(float)
    for where, tt in own.items():
        pkg = where.split(":")[0]
        pkg = ".".join(pkg.split(".")[:2]) if pkg.startswith("newsdossier.") else pkg
        by_package[pkg] += tt
    cpu = sum(own.values())
    print(f"\nown CPU time by package (of {cpu:.1f} s):")
    for pkg, tt in sorted(by_package.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {tt:7.2f} s  {100 * tt / cpu:5.1f} %  {pkg}")
    print("\ntop functions by own CPU time:")
    for where, tt in sorted(own.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {tt:7.2f} s  {where}")
    print("\ntop newsdossier functions by cumulative CPU time:")
    nd = [(w, c) for w, c in cum.items() if w.startswith("newsdossier.") and not w.startswith("newsdossier.api")]
    for where, ct in sorted(nd, key=lambda kv: -kv[1])[: args.top]:
        print(f"  {ct:7.2f} s  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
