"""The HTML report in a real browser (Debian's Chromium through Playwright).

Skips as a whole when the playwright package or /usr/bin/chromium is missing; never downloads a
browser. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, CHROMIUM, HIGHLIGHT, launched_chromium
from dossier_fixture import make_dossier, make_hostile_dossier

from newsdossier.render import write_outputs
from newsdossier.render.highlight import cite_anchor

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")



@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched_chromium() as b:
        yield b


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    out = {}
    for name, dossier in (("rich", make_dossier()), ("hostile", make_hostile_dossier())):
        write_outputs(dossier, root / name, ["html"])
        out[name] = root / name
    return out


class Watched:
    """A page that records console errors, page errors, dialogs and any non-file request."""

    def __init__(self, browser) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on(
            "request", lambda r: r.url.startswith("file:") or self.problems.append(f"request: {r.url}")
        )

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")


def _pages(folder: Path) -> list[Path]:
    return [folder / "index.html", *sorted((folder / "stories").glob("*.html"))]


@pytest.mark.parametrize("name", ["rich", "hostile"])
def test_pages_open_without_errors_or_dialogs(browser, reports: dict[str, Path], name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    watched = Watched(browser)
    try:
        for path in _pages(reports[name]):
            watched.open(path)
            assert watched.page.locator("h1").count() == 1
            shot = ARTIFACTS / f"{name}-{path.parent.name}-{path.stem}.png"
            watched.page.screenshot(path=str(shot), full_page=True)
        assert watched.problems == []
        assert watched.dialogs == []
        if name == "hostile":
            # The payloads are on the page as text, not as elements.
            assert (
                watched.page.locator(
                    "article.doc script, article.doc img, article.doc svg, article.doc iframe"
                ).count()
                == 0
            )
            assert "<script>alert(1)</script>" in watched.page.locator("article.doc .text").inner_text()
    finally:
        watched.page.close()


def test_index_links_open_story_pages(browser, reports: dict[str, Path]) -> None:
    watched = Watched(browser)
    try:
        watched.open(reports["rich"] / "index.html")
        watched.page.locator("table.stories a").first.click()
        watched.page.wait_for_load_state("load")
        assert watched.page.url.endswith("/stories/s-kestrel-2024.html")
        assert "Aurora Kestrel" in watched.page.locator("h1").inner_text()
        assert watched.problems == []
    finally:
        watched.page.close()


def test_clicking_a_summary_cite_highlights_its_target(browser, reports: dict[str, Path]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    story = make_dossier().stories[0]
    watched = Watched(browser)
    page = watched.page
    try:
        watched.open(reports["rich"] / "stories" / "s-kestrel-2024.html")
        cite = story.summary[1].cites[0]  # crosses another cite, so it is cut into fragments
        anchor = cite_anchor(cite.article_id, cite.start, cite.end)
        link = page.locator(f'ol.summary a.cite[href="#{anchor}"]')
        assert "the coast guard said. All 212 passengers" in (link.get_attribute("title") or "")
        link.click()
        assert (
            page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
            == anchor
        )
        target = page.locator(f'[id="{anchor}"]')
        assert target.evaluate("e => getComputedStyle(e).backgroundColor") == HIGHLIGHT
        assert target.is_visible()
        parts = page.locator(f'[data-part-of="{anchor}"]')
        assert parts.count() >= 1
        assert parts.first.evaluate("e => getComputedStyle(e).backgroundColor") == HIGHLIGHT
        page.screenshot(path=str(ARTIFACTS / "rich-cite-target.png"))
        # A different cite moves the highlight: the old target loses it.
        other = story.summary[0].cites[1]
        other_anchor = cite_anchor(other.article_id, other.start, other.end)
        page.locator(f'ol.summary a.cite[href="#{other_anchor}"]').click()
        assert (
            page.locator(f'[id="{other_anchor}"]').evaluate("e => getComputedStyle(e).backgroundColor")
            == HIGHLIGHT
        )
        assert parts.first.evaluate("e => getComputedStyle(e).backgroundColor") != HIGHLIGHT
        assert watched.problems == []
    finally:
        page.close()
