"""Writing the outputs of a store's dossier, per format: what ``newsdossier analyze`` does after the analysis.

    nice -n 10 python benchmarks/bench_render.py --db /tmp/bench-incremental/store-10000.db [--out DIR]

The store comes from ``benchmarks/bench_incremental.py`` (its cached ``store-N.db``; any analysed store works).
The dossier is read from the store as it is (its stored analyses and stories, nothing analysed), then each format is
written into a fresh folder, timed (wall and CPU seconds of this process); html is written a second time
into the same folder, where every story page is unchanged and only the fingerprints are computed; last, all
three into a fresh folder as the CLI writes them (story pages on ``--workers`` processes, default every core:
this one joins the forked ones once json and md are written).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--workers", type=int, default=None,
                    help="processes for the story pages (default: every core; 1: all in this process)")
    args = ap.parse_args()
    if not args.db.is_file():
        raise SystemExit(f"{args.db}: no such store (build one with benchmarks/bench_incremental.py)")

    from newsdossier.model import Dossier, utc_now
    from newsdossier.render import write_outputs
    from newsdossier.store import Store

    out = args.out or Path(tempfile.mkdtemp(prefix="nd-render-"))
    shutil.rmtree(out, ignore_errors=True)
    with Store(args.db) as store:
        articles = sorted(store.analysed_articles(), key=lambda a: (a.input, a.id))  # as analyze orders them
        dossier = Dossier(articles=tuple(articles), stories=tuple(store.stories()), generated_at=utc_now())
    if not dossier.articles:
        raise SystemExit(f"{args.db}: no analysed articles (run newsdossier analyze on it first)")
    print(f"{len(dossier.articles)} articles, {len(dossier.stories)} stories")
    runs = [(["json"], "json"), (["html"], "html"), (["md"], "md"), (["html"], "html again, nothing changed")]
    runs.append((["json", "html", "md"], "json + html + md into a fresh folder, as the CLI writes them"))
    for formats, label in runs:
        if len(formats) > 1:
            shutil.rmtree(out, ignore_errors=True)
        wall, cpu = time.perf_counter(), time.process_time()
        write_outputs(dossier, out, formats, workers=args.workers)
        print(f"{label}: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} CPU-s "
              "(this process; it renders story pages too)")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
