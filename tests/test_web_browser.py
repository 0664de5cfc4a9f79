"""The web app in a real browser (Debian's Chromium through Playwright) against a live local server.

Skips as a whole when the playwright package or /usr/bin/chromium is missing; never downloads a
browser. Servers bind 127.0.0.1 on a free port and stop at the end of the module. Screenshots go to
test-artifacts/ (gitignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, CHROMIUM, HIGHLIGHT, launched_chromium
from dossier_fixture import make_dossier, make_hostile_dossier
from web_fixture import fill_store, keyword_pipeline, live_server

from newsdossier.render.highlight import cite_anchor

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from newsdossier.web import create_app

TOKEN = "browser-token"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched_chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = fill_store(tmp_path_factory.mktemp("web") / "store.db", make_dossier())
    with live_server(create_app(db, token=TOKEN, pipeline=keyword_pipeline)) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = fill_store(tmp_path_factory.mktemp("hostile") / "store.db", make_hostile_dossier())
    with live_server(create_app(db, token=TOKEN, pipeline=keyword_pipeline)) as base:
        yield base


class Watched:
    """A page that records console errors (CSP violations show there), page errors, dialogs and any
    request that leaves the test server."""

    def __init__(self, browser, base: str, javascript: bool = True) -> None:
        self.context = browser.new_context(
            viewport={"width": 1200, "height": 900}, java_script_enabled=javascript
        )
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))
        self.page.on("request", lambda r: r.url.startswith(base) or self.problems.append(f"request: {r.url}"))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, server: str) -> Iterator[Watched]:
    w = Watched(browser, server)
    try:
        yield w
    finally:
        w.close()


def test_stories_page_and_live_search(watched: Watched) -> None:
    page = watched.page
    watched.open("/")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 2
    assert "Morning Tern" in rows.nth(0).inner_text() and "Aurora Kestrel" in rows.nth(1).inner_text()
    watched.shot("stories")
    # htmx runs under the CSP: typing updates the results in place, and the URL follows.
    page.locator("form.filters input[name=q]").fill("engine room")
    page.locator("section.search mark").first.wait_for(timeout=10_000)
    assert page.locator("ol.hits li").count() >= 2
    assert page.locator("section.search mark").first.inner_text().lower() == "engine"
    assert "q=engine+room" in page.url or "q=engine%20room" in page.url
    watched.shot("search")
    assert watched.problems == [] and watched.dialogs == []


def test_open_a_story_and_follow_a_citation(watched: Watched) -> None:
    page = watched.page
    watched.open("/")
    page.locator("table.stories a", has_text="Aurora Kestrel").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/stories/s-kestrel-2024.html")
    cite = make_dossier().stories[0].summary[2].cites[0]
    anchor = cite_anchor(cite.article_id, cite.start, cite.end)
    page.locator(f'ol.summary a.cite[href="#{anchor}"]').click()
    assert (
        page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == anchor
    )
    target = page.locator(f'[id="{anchor}"]')
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == HIGHLIGHT
    assert "engine room" in target.inner_text()
    assert target.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    watched.shot("story-cite")
    # And on to the article's own page, with its layers switched from a plain form.
    page.locator("ul.article-pages a").first.click()
    page.wait_for_load_state("load")
    assert page.locator(".text .ent").count() > 0
    page.locator("form.layers input[value=entities]").uncheck()
    page.locator("form.layers button").click()
    page.wait_for_load_state("load")
    assert page.locator(".text .ent").count() == 0 and page.locator(".text .seg").count() > 0
    watched.shot("article")
    assert watched.problems == [] and watched.dialogs == []


def test_upload_a_file_and_see_it_join_a_story(watched: Watched) -> None:
    page = watched.page
    watched.open("/add")
    text = b"Engineers inspected the Morning Tern at Tosk on Thursday before its return to service."
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "tern-inspection.txt", "mimeType": "text/plain", "buffer": text}]
    )
    page.locator("input[name=token]").fill(TOKEN)
    watched.shot("add")
    page.locator("form.add button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "/jobs/" in page.url
    story_link = page.locator("ul.added a.story")
    story_link.wait_for(timeout=20_000)  # htmx polls the progress until the job is done
    assert "Morning Tern" in story_link.inner_text()
    watched.shot("job-done")
    story_link.click()
    page.wait_for_load_state("load")
    assert page.locator("ul.article-pages a", has_text="upload/tern-inspection.txt").count() == 1
    assert watched.problems == [] and watched.dialogs == []


def test_reading_works_with_javascript_off(browser, server: str) -> None:
    w = Watched(browser, server, javascript=False)
    try:
        w.open("/")
        w.page.locator("form.filters input[name=q]").fill("passengers")
        w.page.locator("form.filters button[type=submit]").click()
        w.page.wait_for_load_state("load")
        assert w.page.locator("section.search mark").count() > 0
        w.page.locator("table.stories a", has_text="Morning Tern").click()
        w.page.wait_for_load_state("load")
        assert w.page.locator("h1").inner_text().startswith("Smoke aboard the Morning Tern")
        assert w.problems == []
    finally:
        w.close()


def test_hostile_content_is_inert_in_the_browser(browser, hostile_server: str) -> None:
    w = Watched(browser, hostile_server)
    try:
        for name, path in [
            ("index", "/"),
            ("search", "/?q=vote"),
            ("story", "/stories/s-hostile.html"),
            ("articles", "/articles"),
        ]:
            w.open(path)
            w.shot(f"hostile-{name}")
        w.open("/stories/s-hostile.html")
        w.page.locator("ul.article-pages a").first.click()
        w.page.wait_for_load_state("load")
        w.shot("hostile-article")
        assert w.page.locator(".text script, .text img, .text svg, .text iframe").count() == 0
        assert "<script>alert(1)</script>" in w.page.locator(".text").inner_text()
        assert w.dialogs == []
        assert w.problems == []  # no CSP violation, no error, no request elsewhere
    finally:
        w.close()


@pytest.mark.shared
def test_seeds_acceptance(browser, seeds_dir: Path, tmp_path: Path) -> None:
    """On the seeds' store: the stories show, "Tartus" finds the articles, a citation click works."""
    from newsdossier.annotate import entities

    if not (entities.MODEL_DIR / "meta.json").is_file():
        pytest.skip(f"the entity model is not built yet ({entities.MODEL_DIR})")
    import newsdossier

    dossier = newsdossier.analyze([seeds_dir], db=tmp_path / "seeds.db")
    with live_server(create_app(tmp_path / "seeds.db", token=TOKEN)) as base:
        w = Watched(browser, base)
        try:
            w.open("/")
            assert w.page.locator("table.stories tbody tr").count() == len(dossier.stories) == 2
            w.shot("seeds-stories")
            w.open("/?q=Tartus")
            expected = {a.id for a in dossier.articles if "tartus" in a.text.lower()}
            shown = {
                h.split("/articles/")[1]
                for h in w.page.locator("ol.hits li.hit-article > a").evaluate_all(
                    "els => els.map(e => e.getAttribute('href'))"
                )
            }
            assert expected and shown == expected
            w.shot("seeds-search")
            story = next(s for s in dossier.stories if any(c.cites for c in s.summary))
            cite = next(c for item in story.summary for c in item.cites)
            anchor = cite_anchor(cite.article_id, cite.start, cite.end)
            w.open("/")
            w.page.locator("table.stories a", has_text=story.headline[:40]).first.click()
            w.page.wait_for_load_state("load")
            w.page.locator(f'a.cite[href="#{anchor}"]').first.click()
            target = w.page.locator(f'[id="{anchor}"]')
            assert target.evaluate("e => getComputedStyle(e).backgroundColor") == HIGHLIGHT
            w.shot("seeds-cite")
            assert w.problems == [] and w.dialogs == []
        finally:
            w.close()
