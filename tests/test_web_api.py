"""The JSON API (/api/v1) through FastAPI's TestClient: every route, every error path, auth, limits,
and 20 readers beside a writer on the WAL store."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dossier_fixture import make_dossier
from web_fixture import fill_store, keyword_pipeline, live_server

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from fastapi.testclient import TestClient

from newsdossier.codec import article_to_dict, story_to_dict
from newsdossier.render.json_writer import integrity_problems, validate
from newsdossier.store import Store
from newsdossier.web import create_app

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return fill_store(tmp_path / "store.db", make_dossier())


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, token=TOKEN, pipeline=keyword_pipeline, max_upload_bytes=200_000)) as c:
        yield c


def wait_for_job(client: TestClient, job: dict, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = client.get(job["api_url"]).json()
        if state["state"] in ("done", "failed") or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


# --- stories -------------------------------------------------------------------------------------
def test_stories_newest_first_with_counts(client: TestClient) -> None:
    body = client.get("/api/v1/stories").json()
    assert body["total"] == 2
    assert [s["id"] for s in body["items"]] == ["s-tern-2025", "s-kestrel-2024"]
    kestrel = body["items"][1]
    assert kestrel["articles"] == 5 and kestrel["independent_sources"] == 3
    assert {o["name"] for o in kestrel["outlets"]} >= {"Norland Press Agency", "Harbour Daily"}
    assert sum(o["articles"] for o in kestrel["outlets"]) == 5


def test_stories_paginate(client: TestClient) -> None:
    first = client.get("/api/v1/stories?limit=1").json()
    second = client.get("/api/v1/stories?limit=1&offset=1").json()
    beyond = client.get("/api/v1/stories?limit=1&offset=5").json()
    assert first["total"] == second["total"] == 2
    assert [first["items"][0]["id"], second["items"][0]["id"]] == ["s-tern-2025", "s-kestrel-2024"]
    assert beyond["items"] == [] and beyond["total"] == 2


@pytest.mark.parametrize(
    "query, expected",
    [
        ("date_from=2025-01-01", ["s-tern-2025"]),
        ("date_to=2024-12-31", ["s-kestrel-2024"]),
        ("date_from=2024-05&date_to=2024-05", ["s-kestrel-2024"]),
        ("outlet=harbour%20daily", ["s-kestrel-2024"]),
        ("outlet=Nowhere%20Times", []),
        ("entity=brand", ["s-kestrel-2024"]),  # alias "Ilse Brand" and name "Ilse Brandt"
        ("entity=morning%20tern", ["s-tern-2025"]),
    ],
)
def test_story_filters(client: TestClient, query: str, expected: list[str]) -> None:
    body = client.get(f"/api/v1/stories?{query}").json()
    assert [s["id"] for s in body["items"]] == expected and body["total"] == len(expected)


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "offset=-1", "date_from=yesterday", "limit=x"])
def test_bad_list_parameters_are_422_json(client: TestClient, query: str) -> None:
    r = client.get(f"/api/v1/stories?{query}")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"][0]["where"].startswith("query.")


def test_story_is_the_newsdossier_story_object(client: TestClient) -> None:
    story = make_dossier().stories[0]
    assert client.get(f"/api/v1/stories/{story.id}").json() == story_to_dict(story)


def test_unknown_story_is_404_json(client: TestClient) -> None:
    r = client.get("/api/v1/stories/no-such-story")
    assert r.status_code == 404 and "no-such-story" in r.json()["detail"]


# --- articles ------------------------------------------------------------------------------------
def test_articles_list_paginates_and_filters(client: TestClient) -> None:
    everything = client.get("/api/v1/articles").json()
    assert everything["total"] == len(make_dossier().articles)
    assert all("text" not in row for row in everything["items"])
    page = client.get("/api/v1/articles?limit=2&offset=2").json()
    assert [r["id"] for r in page["items"]] == [r["id"] for r in everything["items"][2:4]]
    tern = client.get("/api/v1/articles?story_id=s-tern-2025").json()
    assert tern["total"] == 2 and {r["story_id"] for r in tern["items"]} == {"s-tern-2025"}
    coastal = client.get("/api/v1/articles?source=coastal%20times").json()
    assert coastal["total"] == 2 and {r["source"] for r in coastal["items"]} == {"Coastal Times"}


def test_article_has_every_annotation(client: TestClient) -> None:
    article = make_dossier().articles[0]
    expected = article_to_dict(article, sentences=False)  # the internal layers stay out
    assert client.get(f"/api/v1/articles/{article.id}").json() == expected


def test_unknown_article_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/articles/0000000000000000").status_code == 404


# --- search --------------------------------------------------------------------------------------
def test_search_finds_articles_claims_and_headlines_with_marked_snippets(client: TestClient) -> None:
    body = client.get("/api/v1/search?q=engine room").json()
    kinds = {h["kind"] for h in body["items"]}
    assert {"article", "claim"} <= kinds and body["total"] == len(body["items"])
    for hit in body["items"]:
        assert "<mark>" in hit["snippet_html"] and "<mark>" not in hit["snippet"]
    heads = client.get("/api/v1/search?q=Morning Tern&kind=headline").json()
    assert [h["story_id"] for h in heads["items"]] == ["s-tern-2025"]
    article_hit = next(h for h in body["items"] if h["kind"] == "article")
    assert article_hit["story_id"] in {"s-kestrel-2024", "s-tern-2025"}


def test_search_paginates(client: TestClient) -> None:
    full = client.get("/api/v1/search?q=passengers").json()
    assert full["total"] >= 3
    page = client.get("/api/v1/search?q=passengers&limit=1&offset=1").json()
    assert page["total"] == full["total"] and len(page["items"]) == 1
    assert page["items"][0] == full["items"][1]


@pytest.mark.parametrize("q", ['"', "NEAR(", "a* OR", "engine) AND (", "col:engine", "^engine"])
def test_search_syntax_cannot_break_the_query(client: TestClient, q: str) -> None:
    r = client.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200 or (r.status_code == 400 and "no words" in r.json()["detail"])


def test_search_errors(client: TestClient) -> None:
    assert client.get("/api/v1/search").status_code == 422  # q missing
    assert client.get("/api/v1/search?q=").status_code == 422
    r = client.get("/api/v1/search?q=%21%21%21")
    assert r.status_code == 400 and "no words" in r.json()["detail"]
    assert client.get("/api/v1/search?q=x&kind=poem").status_code == 422


def test_search_sees_articles_stored_by_another_connection(client: TestClient, db: Path) -> None:
    assert client.get("/api/v1/search?q=zeppelin").json()["total"] == 0
    from newsdossier.model import Article, article_id

    text = "A zeppelin landed in Ostheim on Sunday, its crew said."
    with Store(db) as store:
        store.add_articles([Article(id=article_id(text), input="elsewhere.txt", text=text)])
    assert client.get("/api/v1/search?q=zeppelin").json()["total"] == 1


# --- adding articles -----------------------------------------------------------------------------
def test_post_requires_the_token(client: TestClient) -> None:
    body = {"text": "Something happened."}
    assert client.post("/api/v1/articles", json=body).status_code == 401
    r = client.post("/api/v1/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/v1/articles", json=body, headers={"Authorization": TOKEN}).status_code == 401


def test_post_json_runs_the_pipeline_and_the_article_joins_a_story(client: TestClient) -> None:
    text = "The Morning Tern would sail again on Friday after repairs, its crew said."
    r = client.post(
        "/api/v1/articles",
        json={
            "articles": [
                {"text": text, "title": "Tern to sail", "source": "Tosk Courier", "published": "2025-05-23"}
            ]
        },
        headers=AUTH,
    )
    assert r.status_code == 202, r.text
    body = r.json()
    assert len(body["added"]) == 1 and body["rejected"] == [] and body["already_stored"] == []
    job = wait_for_job(client, body["job"])
    assert job["state"] == "done" and "link" in job["stages_done"]
    article = client.get(f"/api/v1/articles/{body['added'][0]}").json()
    assert article["title"] == "Tern to sail" and article["published"]["date"] == "2025-05-23"
    assert article["input"].startswith("upload/")
    assert article["story_id"] == "s-tern-2025"
    assert body["added"][0] in client.get("/api/v1/stories/s-tern-2025").json()["article_ids"]
    # Posting the same text again adds nothing and starts no job.
    again = client.post("/api/v1/articles", json={"text": text}, headers=AUTH)
    assert again.status_code == 200 and again.json()["job"] is None
    assert again.json()["already_stored"] == body["added"]


def test_post_multipart_files_use_the_readers(client: TestClient) -> None:
    good = b"Smoke was seen again aboard the Morning Tern near Tosk on Monday."
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("inside.txt", "The Aurora Kestrel returned to service at Vellmar, Kestrel Line said.")
        z.writestr("../escape.txt", "This member tries to climb out of the archive.")
    files = [
        ("files", ("../../etc/notes.txt", good, "text/plain")),
        ("files", ("bundle.zip", archive.getvalue(), "application/zip")),
        ("files", ("blob.bin", bytes(range(256)) * 4, "application/octet-stream")),
    ]
    r = client.post("/api/v1/articles", files=files, headers=AUTH)
    assert r.status_code == 202, r.text
    body = r.json()
    assert len(body["added"]) == 2
    reasons = {x["input"]: x["reason"] for x in body["rejected"]}
    assert any("escapes the archive" in v for v in reasons.values())
    assert any(k.startswith("upload/blob.bin") for k in reasons)
    assert all(k.startswith("upload/") for k in reasons)
    assert wait_for_job(client, body["job"])["state"] == "done"
    inputs = {client.get(f"/api/v1/articles/{i}").json()["input"] for i in body["added"]}
    assert inputs == {"upload/notes.txt", "upload/bundle.zip!inside.txt"}  # no path from the client survives


def test_archive_bomb_is_rejected(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.txt", "a" * 5_000_000)  # ~5 KB compressed, far over the 200 KB limit
    r = client.post("/api/v1/articles", files={"files": ("bomb.zip", archive.getvalue())}, headers=AUTH)
    assert r.status_code == 422
    assert "bytes" in r.json()["detail"]["rejected"][0]["reason"]


@pytest.mark.parametrize(
    "kwargs, status, words",
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
        ({"json": {"articles": []}}, 422, "articles"),
        ({"json": {"text": "   "}}, 422, "empty"),
        ({"json": {"text": "Fine.", "published": "14 May"}}, 422, "2024-05-14"),
        ({"json": {"title": "no text"}}, 422, "text"),
        ({"content": b"text", "headers": {"content-type": "text/plain"}}, 415, "multipart"),
        ({"files": {"other": ("a.txt", b"x")}}, 400, "nothing to add"),
        ({"files": {"files": ("empty.txt", b"")}}, 422, "no article could be read"),
    ],
)
def test_post_errors_are_clear_json(client: TestClient, kwargs: dict, status: int, words: str) -> None:
    headers = {**AUTH, **kwargs.pop("headers", {})}
    r = client.post("/api/v1/articles", headers=headers, **kwargs)
    assert r.status_code == status, r.text
    assert words in json.dumps(r.json()["detail"])


def test_upload_over_the_limit_is_413(client: TestClient) -> None:
    r = client.post("/api/v1/articles", files={"files": ("big.txt", b"word " * 60_000)}, headers=AUTH)
    assert r.status_code == 413 and "limit" in r.json()["detail"]


def test_job_errors(client: TestClient, db: Path) -> None:
    assert client.get("/api/v1/jobs/nope").status_code == 404

    def broken(db_path: str, reporter) -> None:
        raise RuntimeError("stage exploded")

    with TestClient(create_app(db, token=TOKEN, pipeline=broken)) as c:
        r = c.post("/api/v1/articles", json={"text": "A brand new fictional event in Ostheim."}, headers=AUTH)
        job = wait_for_job(c, r.json()["job"])
        assert job["state"] == "failed" and "stage exploded" in job["error"]
        # The article itself was stored; the failed analysis loses nothing.
        assert c.get(f"/api/v1/articles/{r.json()['added'][0]}").status_code == 200


def test_the_real_pipeline_puts_uploads_into_stories(client: TestClient, corpus: Path) -> None:
    from newsdossier.annotate import entities

    if not (entities.MODEL_DIR / "meta.json").is_file():
        pytest.skip(f"the entity model is not built yet ({entities.MODEL_DIR})")
    with TestClient(create_app(client.app.state.web.db_path, token=TOKEN)) as c:
        files = [("files", (p.name, p.read_bytes())) for p in sorted(corpus.iterdir())]
        r = c.post("/api/v1/articles", files=files, headers=AUTH)
        assert r.status_code == 202, r.text
        job = wait_for_job(c, r.json()["job"], timeout=120)
        assert job["state"] == "done", job["error"]
        stories = {s["id"] for s in c.get("/api/v1/stories?limit=500").json()["items"]}
        for aid in r.json()["added"]:
            assert c.get(f"/api/v1/articles/{aid}").json()["story_id"] in stories


# --- export --------------------------------------------------------------------------------------
def test_export_json_is_a_valid_dossier(client: TestClient) -> None:
    r = client.get("/api/v1/export?format=json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    doc = r.json()
    validate(doc)
    assert integrity_problems(doc) == []
    assert len(doc["articles"]) == len(make_dossier().articles) and len(doc["stories"]) == 2
    one = client.get("/api/v1/export?format=json&story_id=s-tern-2025").json()
    validate(one)
    assert [s["id"] for s in one["stories"]] == ["s-tern-2025"] and len(one["articles"]) == 2


@pytest.mark.parametrize("table, rows", [("stories", 2), ("articles", 7), ("claims", 4)])
def test_export_csv(client: TestClient, table: str, rows: int) -> None:
    r = client.get(f"/api/v1/export?format=csv&table={table}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(r.text)))
    assert len(parsed) == rows
    one = list(
        csv.DictReader(
            io.StringIO(client.get(f"/api/v1/export?format=csv&table={table}&story_id=s-tern-2025").text)
        )
    )
    assert 0 < len(one) < rows or table == "stories" and len(one) == 1


def test_export_errors(client: TestClient) -> None:
    assert client.get("/api/v1/export?format=xml").status_code == 422
    assert client.get("/api/v1/export?story_id=nope").status_code == 404
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        r = client.get("/api/v1/export?format=parquet")
        assert r.status_code == 501 and "pyarrow" in r.json()["detail"]
    else:
        assert client.get("/api/v1/export?format=parquet").content[:4] == b"PAR1"


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    from newsdossier.model import Article, Story, article_id

    text = "An ordinary fictional report."
    a = Article(
        id=article_id(text), input="x.txt", text=text, title='=HYPERLINK("http://evil")', story_id="s1"
    )
    db = fill_store(
        tmp_path / "f.db", make_dossier().__class__(articles=(a,), stories=(Story("s1", "=1+1", (a.id,)),))
    )
    with TestClient(create_app(db, token=TOKEN)) as c:
        assert "'=1+1" in c.get("/api/v1/export?format=csv").text
        assert "'=HYPERLINK" in c.get("/api/v1/export?format=csv&table=articles").text


# --- security ------------------------------------------------------------------------------------
def test_security_headers_everywhere(client: TestClient) -> None:
    for url in ["/api/v1/stories", "/", "/api/v1/stories/nope", "/static/htmx.min.js"]:
        h = client.get(url).headers
        assert "script-src 'self'" in h["content-security-policy"]
        assert "unsafe-inline" not in h["content-security-policy"].split("script-src")[1].split(";")[0]
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"


def test_private_server_needs_the_token_to_read(db: Path) -> None:
    with TestClient(create_app(db, token=TOKEN, private=True)) as c:
        assert c.get("/api/v1/stories").status_code == 401
        assert c.get("/api/v1/stories", headers=AUTH).status_code == 200
        assert c.get("/").status_code == 401 and "Sign in" in c.get("/").text
        bad = c.post("/login", data={"token": "wrong", "next": "/"}, follow_redirects=False)
        assert bad.status_code == 401 and "newsdossier_session" not in bad.cookies
        ok = c.post("/login", data={"token": TOKEN, "next": "//evil.example/"}, follow_redirects=False)
        assert ok.status_code == 303 and ok.headers["location"] == "/"  # no open redirect
        assert c.get("/api/v1/stories").status_code == 200  # the session cookie now reads
        assert TOKEN not in ok.headers["set-cookie"] and "samesite=strict" in ok.headers["set-cookie"].lower()
        # A cookie-authorised write from another site is refused.
        cross = c.post("/api/v1/articles", json={"text": "x y z"}, headers={"Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 401


def test_generated_token_and_memory_store_refused(db: Path) -> None:
    app = create_app(db, pipeline=keyword_pipeline)
    assert len(app.state.token) >= 24
    with TestClient(app) as c:
        assert (
            c.post(
                "/api/v1/articles", json={"text": "a"}, headers={"Authorization": f"Bearer {app.state.token}"}
            ).status_code
            == 202
        )
    with pytest.raises(ValueError):
        create_app(":memory:")


def test_openapi_lists_every_api_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/search",
        "/api/v1/status",
        "/api/v1/jobs/{job_id}",
        "/api/v1/export",
    }
    assert set(paths["/api/v1/articles"]) == {"get", "post"}
    docs = client.get("/docs")
    assert (
        docs.status_code == 200
        and "GET /api/v1/search" in docs.text
        and "<script" not in docs.text.split("</head>")[1]
    )


# --- concurrency ---------------------------------------------------------------------------------
def test_twenty_readers_and_a_writer_never_see_a_locked_database(db: Path) -> None:
    app = create_app(db, token=TOKEN, pipeline=keyword_pipeline)
    errors: list[str] = []
    stop = threading.Event()
    counts = {"reads": 0}
    lock = threading.Lock()
    dossier = make_dossier()
    urls = [
        "/api/v1/stories",
        "/api/v1/search?q=passengers",
        "/stories/s-kestrel-2024.html",
        f"/api/v1/articles/{dossier.articles[0].id}",
        "/",
    ]

    with live_server(app) as base:

        def reader(n: int) -> None:
            with httpx.Client(base_url=base, timeout=30) as http:
                i = n
                while not stop.is_set():
                    r = http.get(urls[i % len(urls)])
                    i += 1
                    if r.status_code != 200:
                        errors.append(f"{r.request.url}: {r.status_code} {r.text[:200]}")
                    with lock:
                        counts["reads"] += 1

        def writer() -> None:
            # Rewrites the whole analysis repeatedly, as a pipeline run does, plus posts through the API.
            from newsdossier.model import Article, article_id

            with httpx.Client(base_url=base, timeout=30, headers=AUTH) as http:
                for i in range(6):
                    with Store(db) as store:
                        store.save_analysis(dossier.articles, dossier.stories)
                        text = f"Fictional bulletin {i}: the Vellmar ferry timetable changed again."
                        store.add_articles([Article(id=article_id(text), input=f"w{i}.txt", text=text)])
                    r = http.post(
                        "/api/v1/articles", json={"text": f"Posted bulletin {i} about Tosk harbour."}
                    )
                    if r.status_code != 202:
                        errors.append(f"POST: {r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        w = threading.Thread(target=writer)
        w.start()
        w.join(timeout=60)
        # Readers go on until they have made enough requests to mean something (bounded in time), so the
        # count does not depend on how fast this machine happens to run the writer.
        deadline = time.monotonic() + 30
        while counts["reads"] < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not w.is_alive()
    assert errors == []
    assert counts["reads"] >= 100


def test_a_long_write_does_not_stall_or_break_reads(client: TestClient, db: Path) -> None:
    import sqlite3

    from newsdossier.model import Article, article_id

    text = "A lighthouse keeper in Brenna reported a comet on Friday."
    with Store(db) as store:
        store.add_articles([Article(id=article_id(text), input="comet.txt", text=text)])
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # a pipeline holding the write lock for a long save
        t0 = time.monotonic()
        assert client.get("/api/v1/stories").status_code == 200  # served from the previous snapshot
        assert client.get("/stories/s-kestrel-2024.html").status_code == 200
        assert time.monotonic() - t0 < 10
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.get("/api/v1/search?q=lighthouse").json()["total"] == 1  # indexed once the lock is free
