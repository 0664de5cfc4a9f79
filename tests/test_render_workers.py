"""Story pages rendered by forked workers are the pages one process renders."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsdossier.api import analyze, example_corpus
from newsdossier.render import page_workers, write_outputs

# In a fresh process: the test process may have threads left by other tests, and workers are only
# forked from a single-threaded process.
FORKED_WRITE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from newsdossier.api import analyze, example_corpus
    from newsdossier.render import page_workers, write_outputs

    page_workers.MIN_PAGES = 1
    forked = []
    real = page_workers.ProcessPoolExecutor

    def counting(*args, **kwargs):
        forked.append(args)
        return real(*args, **kwargs)

    page_workers.ProcessPoolExecutor = counting
    dossier = analyze([example_corpus()])
    dossier = dossier.__class__(dossier.articles, dossier.stories, dossier.rejected, "2026-01-01T00:00:00Z")
    out = Path(sys.argv[1])
    paths = write_outputs(dossier, out, ["json", "html", "md"], workers=2)
    assert len(forked) == 1, "the pages were not given to workers"
    before = {p: p.stat().st_mtime_ns for p in (out / "stories").glob("*.html")}
    write_outputs(dossier, out, ["html"], workers=2)  # the workers' manifest: every page is skipped
    assert {p: p.stat().st_mtime_ns for p in before} == before
    print("\\n".join(str(p.relative_to(out)) for p in paths))
""")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_pages_from_workers_equal_pages_from_one_process(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", FORKED_WRITE, str(tmp_path / "two")], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    dossier = analyze([example_corpus()])
    assert len(dossier.stories) >= 2  # two workers, a page each
    dossier = dossier.__class__(dossier.articles, dossier.stories, dossier.rejected, "2026-01-01T00:00:00Z")
    paths = write_outputs(dossier, tmp_path / "one", ["json", "html", "md"], workers=1)
    assert done.stdout.split() == [str(p.relative_to(tmp_path / "one")) for p in paths]
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


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
