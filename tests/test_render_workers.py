"""Story pages rendered by forked workers are the pages one process renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdossier.api import analyze, example_corpus
from newsdossier.render import page_workers, write_outputs


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not page_workers.can_fork(), reason="needs the fork start method")
def test_pages_from_workers_equal_pages_from_one_process(tmp_path: Path, monkeypatch) -> None:
    dossier = analyze([example_corpus()])
    assert len(dossier.stories) >= 2  # two workers, a page each
    monkeypatch.setattr(page_workers, "MIN_PAGES", 1)
    forked = []
    real = page_workers.ProcessPoolExecutor

    def counting(*args, **kwargs):
        forked.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(page_workers, "ProcessPoolExecutor", counting)
    paths_two = write_outputs(dossier, tmp_path / "two", ["json", "html", "md"], workers=2)
    assert forked, "the pages were not given to workers"
    paths_one = write_outputs(dossier, tmp_path / "one", ["json", "html", "md"], workers=1)
    assert len(forked) == 1
    assert ([p.relative_to(tmp_path / "two") for p in paths_two]
            == [p.relative_to(tmp_path / "one") for p in paths_one])
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    # a second write into the same folder skips every page (the manifest the workers' fingerprints made)
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "two" / "stories").glob("*.html")}
    write_outputs(dossier, tmp_path / "two", ["html"], workers=2)
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_a_failing_page_fails_the_write(tmp_path: Path, monkeypatch) -> None:
    dossier = analyze([example_corpus()])
    monkeypatch.setattr(page_workers, "MIN_PAGES", 1)
    from newsdossier.render import html_report

    def broken(*args, **kwargs):
        raise RuntimeError("page failed")

    monkeypatch.setattr(html_report, "render_story", broken)
    with pytest.raises(RuntimeError, match="page failed"):
        write_outputs(dossier, tmp_path, ["json", "html"], workers=2)
    assert (tmp_path / "dossier.json").is_file()  # the other outputs were still written
