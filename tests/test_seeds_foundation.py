"""Issue 2's acceptance on the canonical seed corpus (read from ../shared at test time, never copied).

`newsdossier analyze ../shared/seeds --out DIR` writes a schema-valid dossier with 5 articles and no
rejections; a second run into the same store is identical but for `generated_at` and adds nothing;
the HTML pages open in Chromium without errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdossier.cli import app
from newsdossier.render.json_writer import validate
from newsdossier.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_runs(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    seeds = seeds_dir
    root = tmp_path_factory.mktemp("seeds")
    db = root / "store.db"
    for name in ("out1", "out2"):
        r = runner.invoke(app, ["analyze", str(seeds), "--out", str(root / name), "--db", str(db), "-q"])
        assert r.exit_code == 0, r.output
    return root / "out1", root / "out2", db


def test_dossier_is_valid_with_five_articles(seeds_runs: tuple[Path, Path, Path]) -> None:
    doc = json.loads((seeds_runs[0] / "dossier.json").read_text(encoding="utf-8"))
    validate(doc)
    assert len(doc["articles"]) == 5 and doc["rejected"] == []
    assert (seeds_runs[0] / "index.html").is_file()
    assert len(list((seeds_runs[0] / "stories").glob("*.html"))) == len(doc["stories"]) >= 1


def test_second_run_is_identical_and_store_holds_five(seeds_runs: tuple[Path, Path, Path]) -> None:
    a, b = (json.loads((p / "dossier.json").read_text(encoding="utf-8")) for p in seeds_runs[:2])
    a.pop("generated_at")
    b.pop("generated_at")
    assert a == b
    with Store(seeds_runs[2]) as store:
        assert store.count_articles() == 5


@pytest.mark.browser
def test_pages_open_in_chromium_without_errors(seeds_runs: tuple[Path, Path, Path]) -> None:
    from browser_support import CHROMIUM, launched_chromium

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    out = seeds_runs[0]
    problems: list[str] = []
    with launched_chromium() as browser:
        page = browser.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        for path in [out / "index.html", *sorted((out / "stories").glob("*.html"))]:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert page.locator("h1").count() == 1
            # segments are shown coloured by kind
            if path.parent.name == "stories":
                assert page.locator("[class*='seg-']").count() > 0
    assert problems == []
