"""``newsdossier eval extraction``: scoring arithmetic on a tiny self-written evaldata fixture."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsdossier.evaluate import extraction
from newsdossier.evaluate.extraction import Counts, EvalPage, load_pages, run, score_page

PAGE_ONE = (
    "<html><head><title>Ferry</title></head><body><nav>Home | Archive | Contact us</nav><article>"
    "<p>The ferry to Lunde resumed service on Tuesday after a week of storms, the operator said.</p>"
    "<p>Passengers queued   from dawn, and the first crossing left at seven with every seat taken.</p>"
    "</article><footer>All rights reserved by the Lunde Courier</footer></body></html>"
)
PAGE_TWO = "<html><body><p>Short page about a bakery in Ostheim opening its doors.</p></body></html>"


@pytest.fixture
def evaldir(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "one.html.gz").write_bytes(gzip.compress(PAGE_ONE.encode()))
    (tmp_path / "html" / "two.html").write_bytes(PAGE_TWO.encode())
    spec = {
        "https://courier.example/ferry": {
            "file": "one.html",
            "with": ["resumed service on Tuesday", "Passengers queued from dawn"],
            "without": ["All rights reserved"],
        },
        "https://bakery.example/": {
            "file": "two.html",
            "with": ["bakery in Ostheim"],
            "without": ["x1", "x2"],
        },
        "https://missing.example/": {"file": "absent.html", "with": ["a"], "without": ["b"]},
    }
    (tmp_path / "evaldata.json").write_text(json.dumps(spec), encoding="utf-8")
    return tmp_path


def test_score_page_counts_snippets_with_whitespace_normalised() -> None:
    page = EvalPage("u", Path("p"), ("alpha  beta", "gamma"), ("delta", "omega"))
    assert score_page("xx alpha\nbeta yy delta", page) == Counts(tp=1, fp=1, fn=1, tn=1)
    assert score_page(None, page) == Counts(tp=0, fp=0, fn=2, tn=2)
    assert score_page("", page) == Counts(tp=0, fp=0, fn=2, tn=2)


def test_micro_scores_over_two_pages(evaldir: Path) -> None:
    pages = load_pages(evaldir)
    assert [p.url for p in pages] == ["https://courier.example/ferry", "https://bakery.example/"]
    canned = {  # a fake extractor: page one finds 1 of 2 "with" and the "without"; page two finds nothing
        PAGE_ONE.encode(): "resumed service on Tuesday ... All rights reserved",
        PAGE_TWO.encode(): None,
    }
    [(counts, seconds, crashes)] = run(pages, {"fake": lambda html: canned[html]}).values()
    assert counts == Counts(tp=1, fp=1, fn=2, tn=2)
    assert counts.precision == pytest.approx(0.5)
    assert counts.recall == pytest.approx(1 / 3)
    assert counts.f1 == pytest.approx(0.4)  # 2*1 / (2*1 + 1 + 2)
    assert counts.accuracy == pytest.approx(0.5)
    assert crashes == 0 and seconds >= 0


def test_a_crash_is_a_full_miss(evaldir: Path) -> None:
    def explode(html: bytes) -> str:
        raise RuntimeError("boom")

    [(counts, _, crashes)] = run(load_pages(evaldir, limit=1), {"crashing": explode}).values()
    assert counts == Counts(tp=0, fp=0, fn=2, tn=1) and crashes == 1


def test_main_prints_both_rows(evaldir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert extraction.main(evaldir, limit=0) == 0
    out = capsys.readouterr().out
    assert "newsdossier" in out and "trafilatura.extract(html)" in out and "2 pages scored" in out


def test_main_rejects_a_folder_without_evaldata(tmp_path: Path) -> None:
    assert extraction.main(tmp_path) == 2


def test_shared_eval_data_loads(shared_data: Path) -> None:
    data = shared_data / "extraction" / "trafilatura_eval"
    if not (data / "evaldata.json").is_file():
        pytest.skip(f"{data} has no evaldata.json")
    pages = load_pages(data, limit=3)
    assert len(pages) == 3 and all(p.path.is_file() and p.with_snippets for p in pages)
