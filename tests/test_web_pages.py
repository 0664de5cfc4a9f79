"""The HTML pages through TestClient: what each page shows, that it works without JavaScript
(links and plain forms), and that hostile content stays text."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from dossier_fixture import make_dossier, make_hostile_dossier
from web_fixture import XSS_TEXT, fill_store, keyword_pipeline

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from fastapi.testclient import TestClient

from newsdossier.model import Story
from newsdossier.render.highlight import cite_anchor
from newsdossier.render.story_view import story_filename
from newsdossier.web import create_app

TOKEN = "page-token"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    db = fill_store(tmp_path / "store.db", make_dossier())
    with TestClient(create_app(db, token=TOKEN, pipeline=keyword_pipeline, max_upload_bytes=100_000)) as c:
        yield c


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[TestClient]:
    db = fill_store(tmp_path / "hostile.db", make_hostile_dossier())
    with TestClient(create_app(db, token=TOKEN, pipeline=keyword_pipeline)) as c:
        yield c


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def story_rows(html: str) -> list[str]:
    body = html.split('<table class="stories">')[1].split("</table>")[0]
    return [unescape(m) for m in re.findall(r'<a href="/stories/[^"]+">([^<]*)</a>', body)]


def test_stories_page_lists_newest_first_with_counts_and_coverage(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert story_rows(r.text) == [
        "Smoke aboard the Morning Tern; sailings from Tosk cancelled",
        "Ferry Aurora Kestrel catches fire off Vellmar; crossing to Tosk suspended",
    ]
    assert "2 stories in the store" in r.text and "7 articles" in r.text
    bars = re.findall(r'<span class="o\d" style="flex-grow: (\d+)" title="([^"]+)">', r.text)
    assert ("1", "Harbour Daily: 1 article") in bars
    assert sum(int(n) for n, _ in bars) == 7
    assert '<script src="/static/htmx.min.js" defer></script>' in r.text


@pytest.mark.parametrize(
    "query, headlines",
    [
        ("outlet=Harbour+Daily", ["Ferry Aurora Kestrel"]),
        ("entity=Ilse", ["Ferry Aurora Kestrel"]),
        ("date_from=2025-01-01", ["Smoke aboard"]),
        ("date_to=2024-06-01&entity=tern", []),
    ],
)
def test_story_filters_are_plain_get_forms(client: TestClient, query: str, headlines: list[str]) -> None:
    html = client.get(f"/?{query}").text
    rows = story_rows(html) if '<table class="stories">' in html else []
    assert [r.split(";")[0][: len(h)] for r, h in zip(rows, headlines)] == headlines and len(rows) == len(
        headlines
    )
    if not headlines:
        assert "No story matches these filters." in html


def test_search_on_the_stories_page_highlights_snippets(client: TestClient) -> None:
    html = client.get("/?q=engine+room").text
    results = html.split('aria-label="search results"')[1].split("</section>")[0]
    assert "<mark>engine</mark> <mark>room</mark>" in results
    assert 'href="/articles/' in results and 'href="/stories/s-kestrel-2024.html"' in results
    assert "No matches." in client.get("/?q=zeppelin").text
    assert "no words" in client.get("/?q=%2A%2A").text


def test_story_page_is_the_report_with_working_cites(client: TestClient) -> None:
    story = make_dossier().stories[0]
    html = client.get("/stories/s-kestrel-2024.html").text
    assert "<h1>Ferry Aurora Kestrel catches fire off Vellmar; crossing to Tosk suspended</h1>" in html
    for section in (
        "summary",
        "claims",
        "numbers",
        "statements",
        "entities",
        "coverage",
        "timeline",
        "articles",
    ):
        assert f'<h2 id="{section}">' in html
    for item in story.summary:
        for c in item.cites:
            anchor = cite_anchor(c.article_id, c.start, c.end)
            assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    for aid in story.article_ids:
        assert f'href="/articles/{aid}"' in html
    # The report's relative links work inside the app.
    assert 'href="s-tern-2025.html"' in html and client.get("/stories/s-tern-2025.html").status_code == 200
    assert client.get("/index.html", follow_redirects=False).headers["location"] == "/"
    assert client.get("/stories/s-kestrel-2024", follow_redirects=False).status_code == 308


def test_story_with_an_unsafe_id_gets_a_safe_page(tmp_path: Path) -> None:
    d = make_dossier()
    odd = "../weird id/<x>"
    story = Story(odd, "A story with an odd id", d.stories[1].article_ids)
    db = fill_store(tmp_path / "odd.db", d.__class__(articles=d.articles, stories=(d.stories[0], story)))
    with TestClient(create_app(db, token=TOKEN)) as c:
        name = story_filename(odd)
        assert name.startswith("story-") and f'href="/stories/{name}"' in c.get("/").text
        assert "A story with an odd id" in c.get(f"/stories/{name}").text


def test_article_page_highlights_layers_and_toggles_them_without_js(client: TestClient) -> None:
    wire = make_dossier().articles[0]
    full = client.get(f"/articles/{wire.id}").text
    text = full.split('<div class="text">')[1].split("</article>")[0]
    for cls in ("seg seg-reporting", "ent ent-person", "time", "qty", "quote quote-direct", "speaker"):
        assert f'class="{cls}"' in text, cls
    assert 'href="/stories/s-kestrel-2024.html"' in full
    only_entities = client.get(f"/articles/{wire.id}?layers=1&show=entities").text
    text = only_entities.split('<div class="text">')[1].split("</article>")[0]
    assert 'class="ent ent-person"' in text
    assert 'class="seg' not in text and 'class="qty"' not in text and 'class="time"' not in text
    assert 'value="entities" checked' in only_entities and 'value="times">' in only_entities
    nothing = (
        client.get(f"/articles/{wire.id}?layers=1").text.split('<div class="text">')[1].split("</div>")[0]
    )
    # Only the cite targets stay (they are link targets, not a layer).
    assert set(re.findall(r'<span class="([^"]+)"', nothing)) == {"cite-target"}


def test_article_page_links_duplicates_and_reuse_both_ways(client: TestClient) -> None:
    d = make_dossier()
    dup = next(a for a in d.articles if a.duplicate_of)
    original = client.get(f"/articles/{dup.duplicate_of}").text
    assert f'href="/articles/{dup.id}"' in original.split("<dt>Duplicates</dt>")[1].split("</dd>")[0]
    copy = client.get(f"/articles/{dup.id}").text
    assert f'href="/articles/{dup.duplicate_of}"' in copy.split("<dt>Duplicate of</dt>")[1].split("</dd>")[0]


def test_articles_page_paginates(client: TestClient) -> None:
    html = client.get("/articles").text
    assert html.count('<td><a href="/articles/') == 7


def test_missing_things_are_html_404s(client: TestClient) -> None:
    for url in ("/stories/nope.html", "/articles/nope", "/jobs/nope", "/no/such/page"):
        r = client.get(url)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), url
        assert "<h1>Not found</h1>" in r.text


def test_add_page_needs_the_token_then_runs_a_job(client: TestClient) -> None:
    form = client.get("/add").text
    assert 'name="token"' in form and 'enctype="multipart/form-data"' in form
    text = "Passengers of the Morning Tern were offered refunds, the crew said."
    refused = client.post("/add", data={"text": text, "title": "Refunds"})
    assert refused.status_code == 401 and "token is missing or wrong" in refused.text
    assert "Passengers of the Morning Tern" in refused.text  # what was typed is kept
    r = client.post("/add", data={"text": text, "title": "Refunds", "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job_url = r.headers["location"]
    page = client.get(job_url).text
    assert "1 new article" in page
    deadline = time.monotonic() + 20
    while "job-done" not in (progress := client.get(job_url + "/progress").text):
        assert time.monotonic() < deadline and "job-failed" not in progress
        time.sleep(0.05)
    assert "hx-trigger" not in progress  # polling stops once done
    assert re.search(r'Refunds</a> → <a class="story" href="/stories/s-tern-2025.html">', progress)


@pytest.mark.parametrize(
    "data, files, status, words",
    [
        ({"token": TOKEN}, None, 400, "nothing to add"),
        ({"token": TOKEN, "text": "Fine text.", "published": "May"}, None, 422, "2024-05-14"),
        ({"token": TOKEN}, {"files": ("x.bin", bytes(range(256)) * 8)}, 422, "upload/x.bin"),
        ({"token": TOKEN}, {"files": ("big.txt", b"w " * 60_000)}, 413, "over the limit"),
    ],
)
def test_add_errors_show_on_the_form(
    client: TestClient, data: dict, files: dict | None, status: int, words: str
) -> None:
    r = client.post("/add", data=data, files=files)
    assert r.status_code == status and words in unescape(r.text) and 'role="alert"' in r.text


def test_hostile_content_is_inert_in_every_page(hostile: TestClient) -> None:
    d = make_hostile_dossier()
    a, s = d.articles[0], d.stories[0]
    pages = [
        "/",
        "/?q=vote",
        "/articles",
        f"/articles/{a.id}",
        f"/stories/{story_filename(s.id)}",
        "/?entity=script",
    ]
    for url in pages:
        html = hostile.get(url).text
        tags = Elements(html).tags
        scripts = [a.get("src") for t, a in tags if t == "script"]
        assert scripts == ["/static/htmx.min.js"], url  # ours only, and no inline script
        assert not [t for t, _ in tags if t in ("img", "svg", "iframe", "object", "embed")], url
        assert not [k for _, a in tags for k in a if k.startswith("on")], url
        hrefs = [a.get("href") or "" for t, a in tags if t == "a"]
        assert not [h for h in hrefs if urlsplit(h).scheme not in ("", "http", "https")], url
        assert "{{ 7*7 }}" in unescape(html), url  # shown as text, never evaluated by a template
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile.get(f"/articles/{a.id}").text


def test_pasted_hostile_article_stays_text(client: TestClient) -> None:
    r = client.post(
        "/api/v1/articles",
        json={"text": XSS_TEXT, "title": XSS_TEXT[:40], "source": "<b>x</b>", "url": "javascript:alert(1)"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    aid = r.json()["added"][0]
    html = client.get(f"/articles/{aid}").text
    assert not [t for t, _ in Elements(html).tags if t in ("img", "svg", "b")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html
    assert 'javascript:alert(1) <span class="muted">(not a web link)</span>' in html


def test_docs_page_describes_the_api_without_scripts_from_elsewhere(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "POST /api/v1/articles" in html and "GET /api/v1/export" in html and "/openapi.json" in html
    assert "cdn." not in html and re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/htmx.min.js" defer>'
    ]


def test_htmx_is_vendored_with_its_licence(client: TestClient) -> None:
    r = client.get("/static/htmx.min.js")
    assert r.status_code == 200 and r.text.startswith("/*! htmx 2.") and "0BSD" in r.text.splitlines()[0]
    assert "javascript" in r.headers["content-type"]


def test_serve_prints_the_token_once_and_warns_on_open_hosts(tmp_path: Path) -> None:
    import io

    from newsdossier.web.serve import serve

    calls: list[dict] = []
    err = io.StringIO()
    db = str(tmp_path / "serve.db")
    assert serve(db, out=err, run=lambda app, **kw: calls.append({"app": app, **kw})) == 0
    token = calls[0]["app"].state.token
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000
    assert err.getvalue().count(token) == 1 and "warning" not in err.getvalue()
    err = io.StringIO()
    serve(db, host="0.0.0.0", token="given", out=err, run=lambda app, **kw: calls.append(kw))
    assert "warning: binding 0.0.0.0" in err.getvalue() and "given" not in err.getvalue()
    assert serve(":memory:", out=io.StringIO(), run=lambda *a, **k: None) == 2
    assert serve(db, port=0, out=io.StringIO(), run=lambda *a, **k: None) == 2
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite at all" * 100)
    err = io.StringIO()
    assert (
        serve(str(tmp_path / "junk.db"), out=err, run=lambda *a, **k: None) == 2
        and "junk.db" in err.getvalue()
    )
