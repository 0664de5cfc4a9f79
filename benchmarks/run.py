"""Speed and memory benchmark: ``python benchmarks/run.py --size 1k,10k [--out docs/benchmarks-scale.md]``.

For each size: synthesise a corpus (see ``corpus.py``; scratch folder, never the repo), then in a fresh
subprocess per engine run the whole analysis as ``newsdossier.analyze`` does (ingest into an SQLite
file, clean, annotate, link, compare, save) and record articles/s end to end and per stage (stages run
one after the other, so each stage's time is that stage alone), peak RSS, the run's footprint (PSS
summed over the process and its workers, see ``footprint.py``) and store size. In the same
run, the references a user would otherwise pick: plain ``trafilatura.extract`` on real HTML pages
(against newsdossier's HTML reader) and BERTopic embedding + fit on the same corpus (from a separate
environment, ``--bertopic-python``; "not installed" when absent). Prints Markdown rows for
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from footprint import Footprint  # noqa: E402 - a sibling of this script
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
DEFAULT_BERTOPIC_PYTHON = "/tmp/bench-venv/bin/python"


def _size(label: str) -> int:
    label = label.strip().lower()
    return SIZES.get(label) or int(float(label.rstrip("k")) * 1000 if label.endswith("k") else label)


def _label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


# --- measured in a child process (fresh memory, one engine) ----------------------------------------------

def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (pool or Dask workers): robust to a loaded box."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure(corpus: Path, engine: str, workers: int) -> dict:
    """One engine on ``corpus`` as ``newsdossier analyze`` runs it: ingest into a fresh store, then
    :func:`newsdossier.api.analyse_store` (every stage, the link records and the save included)."""
    from newsdossier.api import analyse_store, ingest
    from newsdossier.collector import fewer_collections
    from newsdossier.engine.choose import ENGINES
    from newsdossier.engine.progress import Reporter
    from newsdossier.store import Store

    if engine not in ENGINES:
        raise SystemExit(f"unknown engine {engine}")
    scratch = Path(tempfile.mkdtemp(prefix="nd-bench-"))
    db = scratch / "bench.db"
    rep = Reporter(quiet=True)
    load_start = os.getloadavg()[0]
    t0, cpu0, started = time.perf_counter(), _cpu_seconds(), time.time()
    with Store(db) as store, fewer_collections():  # as newsdossier.analyze
        _, rejected = ingest([corpus], store, reporter=rep)
        arts, stories = analyse_store(store, reporter=rep, engine=engine, workers=workers)
    total, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
    store_bytes = sum(p.stat().st_size for p in scratch.iterdir())
    shutil.rmtree(scratch, ignore_errors=True)
    return {
        "engine": engine, "articles": len(arts), "stories": len(stories), "rejected": len(rejected),
        "seconds": total, "cpu_s": cpu, "load_start": load_start, "load_end": os.getloadavg()[0],
        "stages": rep.timings, "stages_cpu": rep.cpu_timings, "rss_after": rep.peak_rss_mb, "store_mb": store_bytes / 1e6,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "started": started,  # epoch seconds: when the stages began (for the footprint's peak)
    }


def measure_html(pages: Path) -> dict:
    """Plain trafilatura.extract vs newsdossier's HTML reader (trafilatura + metadata + comments)."""
    import trafilatura

    from newsdossier.ingest import read_inputs

    files = sorted(pages.glob("*.html"))
    htmls = [p.read_bytes() for p in files]
    t0, c0 = time.perf_counter(), time.process_time()
    for h in htmls:
        trafilatura.extract(h)
    plain, plain_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    read = sum(1 for _ in read_inputs([str(p) for p in files]))
    ours, ours_cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"pages": len(files), "read": read, "trafilatura_s": plain, "newsdossier_s": ours,
            "trafilatura_cpu": plain_cpu, "newsdossier_cpu": ours_cpu}


def _stage_windows(r: dict) -> list[tuple[str, float, float]]:
    """(stage, start, end) in epoch seconds (stages are timed one after the other; the rest is the save)."""
    out, start = [], r.get("started", 0.0)
    for name, seconds in r.get("stages", {}).items():
        out.append((name, start, start + seconds))
        start += seconds
    return [*out, ("the save", start, float("inf"))]


def _stage_at(r: dict, when: float) -> str:
    return next((name for name, start, end in _stage_windows(r) if when <= end), "the save")


def _child(args: list[str], timeout: float) -> dict:
    """One measurement in a fresh process, its footprint (with its workers) watched from here."""
    cmd = ["nice", "-n", "10", sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Footprint(proc.pid) as tree:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return {"error": f"did not finish in {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {proc.returncode}"}
    result = json.loads(out.strip().splitlines()[-1])
    if tree.samples:
        result.update(tree.result())
        result.update(tree_stage=_stage_at(result, result["tree_peak_time"]),
                      tree_stage_pss=tree.peaks_between(_stage_windows(result)))
    return result


def bertopic(python: str, corpus: Path, timeout: float) -> dict:
    if not Path(python).exists():
        return {"error": "not installed"}
    cmd = ["nice", "-n", "10", python, str(HERE / "bertopic_ref.py"), str(corpus)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()
        return {"error": tail[-1] if tail else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- rows ------------------------------------------------------------------------------------------------

def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:.1f} articles/s" if seconds > 0 else "n/a"


def _load(r: dict) -> str:
    """The 1-minute load average at the start and end of a measurement (2 cores: above ~2 means shared)."""
    return f"load {r['load_start']:.1f}-{r['load_end']:.1f}" if "load_start" in r else f"load {r.get('load', 0):.1f}"


def _stage_rates(n: int, timings: dict[str, float], unit: str) -> str:
    return " · ".join(
        f"{k} {v:.1f} s" if k == "compare" else (f"{k} {n / v:.0f}/{unit}" if v > 0 else f"{k} -")
        for k, v in timings.items()
    )


def rows_for(size: int, results: dict[str, dict], bt: dict, command: str) -> list[str]:
    lab, rows = _label(size), []
    local = results.get("local")
    for engine, r in results.items():
        if "error" in r:
            rows.append(f"| end to end, {engine} engine | {lab} | failed: {r['error']} | `{command}` |")
            continue
        n, st = r["articles"], r["stages"]
        # ru_maxrss is in KiB: these are MiB (4 GB = 3815 MiB)
        # ru_maxrss of the children is not the workers' peak: a child forked (and exec'd) late counts
        # the RSS of the parent it was forked from. The footprint below is the run's memory.
        rss = f"peak RSS of the calling process {r['rss_mb']:.0f} MiB"
        if r.get("tree_samples"):  # the run's real footprint: every process, shared pages counted once
            rss += (f"; run footprint {r['tree_pss_mb']:.0f} MiB PSS summed over {r['tree_processes']} processes "
                    f"(sampled every {r['tree_interval_s']:g} s; in {r['tree_stage']}; summed RSS peak "
                    f"{r['tree_rss_mb']:.0f} MiB)")
        rows.append(
            f"| end to end, {engine} engine (text input, all stages) | {lab} | {_rate(n, r['seconds'])} "
            f"({r['seconds']:.1f} s wall, {r['cpu_s']:.1f} CPU-s, {_load(r)}; {r['stories']} stories); "
            f"{rss}; store {r['store_mb']:.1f} MB | `{command}` |"
        )
        cpu = ""
        if engine == "local" and r.get("stages_cpu"):  # CPU rates hold on a loaded machine; wall rates do not
            cpu = f"; per CPU-second: {_stage_rates(n, r['stages_cpu'], 'CPU-s')}"
        rss_steps = ""
        if r.get("rss_after"):  # which stage raised the peak (memory flat in n or not)
            rss_steps = "; peak RSS after " + " · ".join(f"{k} {v:.0f} MiB" for k, v in r["rss_after"].items())
        if r.get("tree_stage_pss"):  # the footprint (every process) in each stage
            rss_steps += "; footprint (PSS summed over the processes) during " + " · ".join(
                f"{k} {v:.0f} MiB" for k, v in r["tree_stage_pss"].items())
        rows.append(
            f"| stages, {engine} engine (articles/s, each stage alone) | {lab} | {_stage_rates(n, st, 's')}{cpu}"
            f"{rss_steps}; {_load(r)} | `{command}` |"
        )
        if engine != "local" and local and "error" not in local:
            per_local = local["stages"].get("clean", 0) + local["stages"].get("annotate", 0)
            per_here = st.get("clean+annotate", 0) + st.get("annotate (merge)", 0)
            if per_here:
                rows.append(
                    f"| per-article stages (clean + annotate), {engine} vs local | {lab} | "
                    f"{per_local / per_here:.2f}x ({_rate(n, per_here)} vs {_rate(n, per_local)}; "
                    f"{engine} {_load(r)}, local {_load(local)}) | `{command}` |"
                )
    if "error" in bt:
        rows.append(f"| reference: BERTopic embedding + fit | {lab} | {bt['error']} | `{command}` |")
    else:
        bsec = bt["embed_s"] + bt["fit_s"]
        ratio = ""
        if local and "error" not in local:
            ratio = (f"; newsdossier's full analysis (local engine) is {bsec / local['seconds']:.2f}x BERTopic's "
                     f"speed in wall time, {bt['cpu_s'] / local['cpu_s']:.2f}x in CPU time")
        rows.append(
            f"| reference: BERTopic embedding + fit (MiniLM, CPU) | {lab} | {_rate(bt['docs'], bsec)} "
            f"(embed {bt['embed_s']:.1f} s + fit {bt['fit_s']:.1f} s wall, {bt['cpu_s']:.0f} CPU-s"
            + (f", {_load(bt)}" if "load_start" in bt else "") + f"){ratio} | `{command}` |"
        )
    return rows


def html_row(h: dict, command: str) -> str:
    if "error" in h or not h.get("pages"):
        return f"| reference: trafilatura.extract on HTML | - | {h.get('error', 'no HTML pages available')} | `{command}` |"
    return (
        f"| HTML reading vs plain trafilatura.extract | {h['pages']} pages | newsdossier "
        f"{h['pages'] / h['newsdossier_s']:.1f} pages/s, trafilatura {h['pages'] / h['trafilatura_s']:.1f} pages/s "
        f"(speed ratio {h['trafilatura_s'] / h['newsdossier_s']:.2f} wall"
        + (f", {h['trafilatura_cpu'] / h['newsdossier_cpu']:.2f} CPU" if "newsdossier_cpu" in h else "")
        + f") | `{command}` |"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1k", help="comma-separated: 1k,10k,100k (or plain numbers)")
    ap.add_argument("--engines", default="local,pool,dask", help="comma-separated: local,pool,dask")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, help="also write the rows as a Markdown file")
    ap.add_argument("--work", type=Path, help="scratch folder for corpora (default: a temporary one)")
    ap.add_argument("--bertopic-python", default=DEFAULT_BERTOPIC_PYTHON)
    ap.add_argument("--references", default="html,bertopic", help="comma-separated: html,bertopic (or none)")
    ap.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per measurement")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--measure-html", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.engine, args.workers)))
        return 0
    if args.measure_html:
        print(json.dumps(measure_html(args.measure_html)))
        return 0

    from corpus import html_pages, synthesise

    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    work = args.work or Path(tempfile.mkdtemp(prefix="nd-bench-corpora-"))
    rows: list[str] = []
    try:
        refs = set(args.references.split(","))
        if "html" in refs:
            pages = work / "html"
            html_pages(pages)
            rows.append(html_row(_child(["--measure-html", str(pages)], args.timeout), command))
            print(rows[-1], flush=True)
        for label in args.size.split(","):
            n = _size(label)
            corpus = work / f"corpus-{n}"
            if not corpus.is_dir():
                synthesise(n, corpus)
            results = {}
            for engine in args.engines.split(","):
                results[engine] = _child(
                    ["--measure", str(corpus), "--engine", engine, "--workers", str(args.workers)], args.timeout
                )
                print(f"# {_label(n)} {engine}: {json.dumps(results[engine])}", file=sys.stderr, flush=True)
            bt = bertopic(args.bertopic_python, corpus, args.timeout) if "bertopic" in refs else {"error": "skipped"}
            new = rows_for(n, results, bt, command)
            print("\n".join(new), flush=True)
            rows.extend(new)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.out:
        head = ["| what | size | result | command |", "|---|---|---|---|"]
        machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}"
        args.out.write_text(f"# Scale benchmarks\n\nMachine: {machine}.\n\n" + "\n".join(head + rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
