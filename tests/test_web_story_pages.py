"""Story pages are rendered ahead and cached by the version of what they show: an ingest or a new
analysis never leaves a stale page, and pages of stories a change did not touch stay cached."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from dossier_fixture import make_dossier
from web_fixture import fill_store, keyword_pipeline

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from fastapi.testclient import TestClient

from newsdossier.store import Store
from newsdossier.web import create_app

TOKEN = "pages-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
KESTREL, TERN = "/stories/s-kestrel-2024.html", "/stories/s-tern-2025.html"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return fill_store(tmp_path / "store.db", make_dossier())


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, token=TOKEN, pipeline=keyword_pipeline)) as c:
        yield c


def wait_until(ready: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def pages(client: TestClient) -> dict[str, Any]:
    return client.get("/api/v1/status").json()["story_pages"]


def settled(client: TestClient) -> dict[str, Any]:
    wait_until(lambda: not pages(client)["warming"])
    return pages(client)


def add_article(client: TestClient, text: str, title: str) -> str:
    """Add one article through the API and wait for its analysis; returns its story id."""
    r = client.post("/api/v1/articles", json={"text": text, "title": title}, headers=AUTH)
    assert r.status_code == 202, r.text
    job_url = r.json()["job"]["api_url"]
    wait_until(lambda: client.get(job_url).json()["state"] in ("done", "failed"))
    job = client.get(job_url).json()
    assert job["state"] == "done", job
    (article_id,) = job["article_ids"]
    return client.get(f"/api/v1/articles/{article_id}").json()["story_id"]


def versions(client: TestClient) -> dict[str, str]:
    return dict(client.app.state.web.catalog.fresh().page_versions)


def test_pages_are_rendered_ahead_and_then_served_without_rendering(client: TestClient) -> None:
    ready = settled(client)
    assert ready["cached"] == 2 and ready["rendered"] == 2 and 0 < ready["bytes"] <= ready["budget_bytes"]
    for _ in range(3):
        for path in (KESTREL, TERN):
            r = client.get(path)
            assert r.status_code == 200 and r.headers["content-security-policy"]
    assert pages(client)["rendered"] == 2  # every request above was a cache hit


def test_articles_that_join_a_story_show_on_its_page_at_once(client: TestClient) -> None:
    settled(client)
    assert "Refunds for Morning Tern passengers" not in client.get(TERN).text
    story = add_article(
        client,
        "Passengers of the Morning Tern were offered refunds on Friday, the crew said.",
        "Refunds for Morning Tern passengers",
    )
    assert story == "s-tern-2025"
    page = client.get(TERN).text  # asked right after the job: no stale page, whatever the warmer does
    assert "Refunds for Morning Tern passengers" in page


def test_a_change_re_renders_only_the_stories_it_touched(client: TestClient) -> None:
    lone = add_article(client, "A zeppelin landed in Ostheim on Sunday, its pilot said.", "Zeppelin lands")
    assert lone.startswith("s-new-")
    before = versions(client)
    settled(client)
    lone_path = f"/stories/{lone}.html"
    assert client.get(lone_path).status_code == 200
    rendered = pages(client)["rendered"]

    add_article(client, "Divers inspected the hull of the Morning Tern on Saturday.", "Divers")
    after = versions(client)
    assert after[lone] == before[lone]  # not touched
    assert after["s-tern-2025"] != before["s-tern-2025"]  # a new member
    assert after["s-kestrel-2024"] != before["s-kestrel-2024"]  # its related story changed
    settled(client)
    assert pages(client)["rendered"] == rendered + 2  # the two changed pages, rendered ahead
    assert client.get(lone_path).status_code == 200
    assert "Divers" in client.get(TERN).text
    assert pages(client)["rendered"] == rendered + 2


def test_a_new_analysis_of_a_member_changes_the_page_even_if_the_story_row_does_not(
    client: TestClient, db: Path
) -> None:
    settled(client)
    assert "Retitled by a newer analysis" not in client.get(KESTREL).text
    with Store(db) as store:  # another process re-analyses: same stories, one article's analysis changed
        articles = store.analysed_articles()
        stories = store.stories()
        member = next(a for a in articles if a.story_id == "s-kestrel-2024")
        changed = [
            replace(a, title="Retitled by a newer analysis") if a.id == member.id else a for a in articles
        ]
        store.save_analysis(changed, stories)
    assert "Retitled by a newer analysis" in client.get(KESTREL).text


def test_pages_over_the_budget_are_rendered_per_request(db: Path) -> None:
    with TestClient(create_app(db, token=TOKEN, pipeline=keyword_pipeline, page_budget_bytes=1)) as client:
        for _ in range(2):
            r = client.get(TERN)
            assert r.status_code == 200 and "Morning Tern" in r.text
        stats = settled(client)
        assert stats["cached"] == 0 and stats["bytes"] == 0
        assert client.get("/stories/s-nothing.html").status_code == 404
