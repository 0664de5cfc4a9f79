from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdossier import __version__
from newsdossier.cli import app

runner = CliRunner()


def test_version() -> None:
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and __version__ in r.output


@pytest.mark.parametrize(
    "cmd",
    [[], ["analyze"], ["demo"], ["serve"], ["eval"], ["eval", "extraction"], ["eval", "subjectivity"], ["eval", "ner"],
     ["eval", "dates"], ["eval", "quotes"], ["eval", "clustering"], ["eval", "stance"]],
)
def test_help_on_every_command(cmd: list[str]) -> None:
    r = runner.invoke(app, [*cmd, "--help"])
    assert r.exit_code == 0, r.output
    assert "Usage" in r.output


def test_analyze_writes_all_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = runner.invoke(app, ["analyze", str(corpus), "--out", str(out), "--db", str(tmp_path / "s.db"), "-q"])
    assert r.exit_code == 0, r.output
    assert (out / "dossier.json").is_file() and (out / "index.html").is_file() and (out / "report.md").is_file()
    doc = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert doc["format"] == "newsdossier/1" and len(doc["articles"]) == 3


def test_format_picks_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = runner.invoke(app, ["analyze", str(corpus), "--out", str(out), "--db", ":memory:", "--format", "md", "-q"])
    assert r.exit_code == 0, r.output
    assert (out / "report.md").is_file()
    assert not (out / "dossier.json").exists() and not (out / "index.html").exists()


def test_json_to_stdout(corpus: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "newsdossier.cli", "analyze", str(corpus), "--db", ":memory:", "--json", "-"],
        capture_output=True, text=True, check=False,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["format"] == "newsdossier/1"


def test_rejection_gives_exit_1_and_names_the_input(corpus: Path, tmp_path: Path) -> None:
    (corpus / "blob.bin").write_bytes(bytes(range(256)) * 8)
    r = subprocess.run(
        [sys.executable, "-m", "newsdossier.cli", "analyze", str(corpus), "--db", ":memory:", "--out",
         str(tmp_path / "o")],
        capture_output=True, text=True, check=False,
    )
    assert r.returncode == 1
    assert "blob.bin" in r.stderr
    doc = json.loads((tmp_path / "o" / "dossier.json").read_text(encoding="utf-8"))
    assert len(doc["articles"]) == 3 and doc["rejected"][0]["input"].endswith("blob.bin")


@pytest.mark.parametrize(
    "args",
    [["analyze"], ["analyze", "x", "--format", "pdf", "--out", "o"], ["analyze", "x"], ["analyze", "x", "--json", "y"],
     ["nosuchcommand"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


def test_demo_runs_on_bundled_corpus(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    r = runner.invoke(app, ["demo", "--out", str(out), "-q"])
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert len(doc["articles"]) >= 10 and doc["rejected"] == []
    assert len(doc["stories"]) >= 2


def test_stdin(tmp_path: Path) -> None:
    text = "Flood waters receded in Marrow Creek on Sunday, officials said. Roads reopened by noon."
    r = subprocess.run(
        [sys.executable, "-m", "newsdossier.cli", "analyze", "-", "--db", ":memory:", "--json", "-"],
        input=text, capture_output=True, text=True, check=False,
    )
    assert r.returncode == 0, r.stderr
    (a,) = json.loads(r.stdout)["articles"]
    assert a["input"] == "-" and a["text"].startswith("Flood waters")


@pytest.mark.parametrize("args", [["--engine", "spark"], ["--scheduler", "tcp://127.0.0.1:1"]])
def test_engine_usage_errors_exit_2(corpus: Path, args: list[str]) -> None:
    r = runner.invoke(app, ["analyze", str(corpus), "--db", ":memory:", "--json", "-", *args])
    assert r.exit_code == 2


def test_pool_engine_from_the_cli_matches_local(corpus: Path) -> None:
    outs = []
    for engine in ("local", "pool"):
        r = subprocess.run(
            [sys.executable, "-m", "newsdossier.cli", "analyze", str(corpus), "--db", ":memory:", "--json", "-",
             "--engine", engine, "--workers", "2"],
            capture_output=True, text=True, check=False,
        )
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        doc.pop("generated_at")
        outs.append(doc)
    assert outs[0] == outs[1]


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "newsdossier", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and __version__ in done.stdout
