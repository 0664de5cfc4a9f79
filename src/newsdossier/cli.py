"""The ``newsdossier`` command line: a thin layer over :func:`newsdossier.analyze` and the eval modules.

Exit codes: 0 all inputs read, 1 some input was rejected (the run still finished), 2 usage error.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__

app = typer.Typer(
    help="Turn a pile of news coverage into one cited dossier per real-world story.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
eval_app = typer.Typer(
    help="Score a stage on labelled data, beside the baseline a user would otherwise pick.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")

FORMATS = ("json", "html", "md")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsdossier {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = None,
) -> None:
    """newsdossier: which articles report the same event, what they agree on, where they differ."""


def _parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}")
    return formats


def _run(
    paths: list[str],
    out: Optional[Path],
    db: str,
    formats: str,
    json_stdout: Optional[str],
    max_bytes: int,
    quiet: bool,
    verbose: int,
    engine: str = "local",
    workers: Optional[int] = None,
    scheduler: Optional[str] = None,
) -> None:
    from .api import analyze
    from .engine.choose import ENGINES
    from .engine.progress import Reporter

    fmts = _parse_formats(formats)
    if json_stdout is not None and json_stdout != "-":
        raise typer.BadParameter("--json takes only '-' (print the dossier to stdout)", param_hint="--json")
    if out is None and json_stdout is None:
        raise typer.BadParameter("give --out DIR, or --json - to print the dossier", param_hint="--out")
    if engine not in ENGINES:
        raise typer.BadParameter(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}", param_hint="--engine")
    if scheduler and engine != "dask":
        raise typer.BadParameter("a scheduler address needs --engine dask", param_hint="--scheduler")
    reporter = Reporter(quiet=quiet, verbose=verbose)
    try:
        dossier = analyze(
            paths, db=db, max_bytes=max_bytes, reporter=reporter, engine=engine, workers=workers, scheduler=scheduler
        )
    except Exception as e:
        from .store import StoreError

        if isinstance(e, StoreError) or type(e).__name__ == "DaskEngineError":
            reporter.warn(str(e))
            raise typer.Exit(2) from None
        raise
    if out is not None:
        from .render import write_outputs

        # the local engine keeps to one process; the others render story pages on every core
        written = write_outputs(dossier, out, fmts, workers=1 if engine == "local" else workers)
        reporter.info(f"wrote {', '.join(str(p) for p in written)}")
    if json_stdout == "-":
        from .render.json_writer import dumps

        sys.stdout.write(dumps(dossier))
        sys.stdout.write("\n")
    for r in dossier.rejected:
        reporter.warn(f"rejected {r.input}: {r.reason}")
    reporter.info(
        f"{len(dossier.articles)} articles, {len(dossier.stories)} stories, {len(dossier.rejected)} rejected"
    )
    raise typer.Exit(1 if dossier.rejected else 0)


OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder to write the dossier and report to.")]
DbOpt = Annotated[
    str, typer.Option("--db", help="SQLite store: a path, or :memory: for a throwaway run.")
]
FormatOpt = Annotated[str, typer.Option("--format", help="Outputs to write, comma-separated: json,html,md.")]
JsonOpt = Annotated[Optional[str], typer.Option("--json", help="'-' prints dossier.json to stdout.")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Reject input files larger than this.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary on stderr.")]
VerboseOpt = Annotated[int, typer.Option("--verbose", "-v", count=True, help="Log stage timings.")]


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, archives (.zip, .tar.gz), or - for stdin.")],
    out: OutOpt = None,
    db: DbOpt = "newsdossier.db",
    formats: FormatOpt = "json,html,md",
    json_stdout: JsonOpt = None,
    max_bytes: MaxBytesOpt = 20_000_000,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
    engine: Annotated[
        str, typer.Option("--engine", help="pool (every core; small inputs stay in one process) | local | dask.")
    ] = "pool",
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Processes or Dask workers.")] = None,
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (--engine dask).")
    ] = None,
) -> None:
    """Read articles, store them, group them into stories and write the dossier."""
    _run(paths, out, db, formats, json_stdout, max_bytes, quiet, verbose, engine, workers, scheduler)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the dossier and report to.")] = Path(
        "newsdossier-demo"
    ),
    db: DbOpt = ":memory:",
    formats: FormatOpt = "json,html,md",
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Run the whole pipeline on the example corpus bundled with the package."""
    from .api import example_corpus

    _run([str(example_corpus())], out, db, formats, None, 20_000_000, quiet, verbose)


@app.command()
def serve(
    db: DbOpt = "newsdossier.db",
    host: Annotated[str, typer.Option("--host", help="Address to bind; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[
        Optional[str],
        typer.Option("--token", envvar="NEWSDOSSIER_TOKEN", help="Write token (generated and printed once if omitted)."),
    ] = None,
    private: Annotated[bool, typer.Option("--private", help="Require the token for reading too.")] = False,
) -> None:
    """Browse, search and add articles in a web app and JSON API over the store."""
    from .web.serve import serve as run_server

    raise typer.Exit(run_server(db, host=host, port=port, token=token, private=private))


def _eval(module: str, **options: object) -> None:
    """Run ``newsdossier.evaluate.<module>.main(**options)``; it prints its report and returns an exit code."""
    mod = importlib.import_module(f"newsdossier.evaluate.{module}")
    raise typer.Exit(int(mod.main(**options) or 0))


DataOpt = Annotated[Path, typer.Option("--data", help="The labelled data (see docs/benchmarks.md).")]
PredOpt = Annotated[Optional[Path], typer.Option("--predictions", help="Also write the predictions here.")]


@eval_app.command("extraction")
def eval_extraction(data: DataOpt, limit: Annotated[int, typer.Option(help="Score only the first N pages (0 = all).")] = 0) -> None:
    """HTML main-text extraction: snippet precision/recall/F1, ours beside plain trafilatura."""
    _eval("extraction", data=data, limit=limit)


@eval_app.command("subjectivity")
def eval_subjectivity(data: DataOpt, predictions: PredOpt = None) -> None:
    """Opinion vs reporting sentences (CheckThat TSV): macro-F1 and per-class P/R/F1."""
    _eval("subjectivity", data=data, predictions=predictions)


@eval_app.command("ner")
def eval_ner(data: DataOpt) -> None:
    """Entity recognition on CoNLL BIO data: F1 per type."""
    _eval("ner", data=data)


@eval_app.command("dates")
def eval_dates(data: DataOpt) -> None:
    """Temporal expressions on TimeML: strict/relaxed span F1 and value F1 (TempEval-3)."""
    _eval("dates", data=data)


@eval_app.command("quotes")
def eval_quotes(data: DataOpt) -> None:
    """Quotes and speakers on PolNeAR brat files: content F1 (direct/indirect) and speaker accuracy."""
    _eval("quotes", data=data)


@eval_app.command("clustering")
def eval_clustering(
    data: DataOpt,
    label: Annotated[str, typer.Option(help="The gold cluster field in each JSON line.")] = "subtopic",
    predictions: PredOpt = None,
) -> None:
    """Event clustering on JSONL: B-cubed P/R/F1, pairwise F1, ARI; TF-IDF + agglomerative beside it."""
    _eval("clustering", data=data, label=label, predictions=predictions)


@eval_app.command("stance")
def eval_stance(
    bodies: Annotated[Path, typer.Option("--bodies", help="FNC-1 bodies CSV.")],
    stances: Annotated[Path, typer.Option("--stances", help="FNC-1 stances CSV.")],
    predictions: PredOpt = None,
) -> None:
    """Stance (FNC-1): FNC score and macro-F1, beside the official FNC-1 baseline."""
    _eval("stance", bodies=bodies, stances=stances, predictions=predictions)


if __name__ == "__main__":  # pragma: no cover
    app()
