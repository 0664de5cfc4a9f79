"""Shared fixtures. Tests that read ../shared skip with a reason when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on fixed examples, so a red run is reproducible and never a draw of
# the dice; a local run explores new examples each time (and keeps failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"{path} not present (dev data lives beside the repo, never in it)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"{path} not present (the seed corpus lives beside the repo, never in it)")
    return path


@pytest.fixture(scope="session")
def seed_articles(seeds_dir: Path) -> list:
    """The seed files as read (plain text, no analysis), in file-name order."""
    from newsdossier.model import Article, article_id

    arts = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        arts.append(Article(article_id(text), str(p), text))
    return arts


@pytest.fixture(scope="session")
def seed_dossier(seeds_dir: Path):
    """``newsdossier.analyze`` of the seeds, once for every test that reads it (read-only)."""
    import newsdossier

    return newsdossier.analyze(seeds_dir)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small fictional corpus of plain-text articles, written here."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = {
        "a.txt": "Harbour workers in Vellmar walked out on Monday, the port authority said.\n\n"
        "The strike closed the container terminal for the first time since 2019.",
        "b.txt": "The container terminal at Vellmar was shut on Monday as dock workers went on strike, "
        "according to the port authority.\n\nUnion leader Mara Lind said talks would resume on Friday.",
        "c.txt": "A new bakery opened in the old town of Ostheim, selling rye bread and pastries.\n\n"
        "The owner said she had waited ten years for the right building.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
