"""The HTML pages: stories (with filters and search), story, article, articles, add, job, login, docs.

Every page works with JavaScript off (plain links and GET/POST forms); htmx only makes the search
live and the job progress update in place.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartException

from . import db, search
from .app import WebContext, context
from .intake import accept, from_form
from .security import COOKIE, BodyTooLarge, same_origin
from .views import LAYERS, article_page

router = APIRouter(include_in_schema=False)
PAGE = 50


def _reader(request: Request) -> WebContext:
    web = context(request)
    if not web.auth.can_read(request):
        raise HTTPException(401, "This server is private. Sign in with the token printed when it started.")
    return web


def _html(web: WebContext, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(web.env.get_template(template).render(**values), status_code=status)


def _query(request: Request):
    """query(updates) -> the current query string with updates applied (for pager links)."""

    def build(updates: dict[str, Any]) -> str:
        params = {k: v for k, v in request.query_params.items() if v != ""}
        params.update({k: str(v) for k, v in updates.items()})
        return urlencode(params)

    return build


def _story_links(web: WebContext) -> tuple[dict[str, str], dict[str, str]]:
    snap = web.catalog.fresh()
    return ({s.id: s.filename for s in snap.stories}, {s.id: s.headline for s in snap.stories})


def _clean_date(value: str | None) -> str:
    value = (value or "").strip()
    return value if value[:4].isdigit() and len(value) <= 10 else ""


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    q: str = "",
    date_from: str = "",
    date_to: str = "",
    outlet: str = "",
    entity: str = "",
    offset: int = Query(0, ge=0),
    hit_offset: int = Query(0, ge=0),
) -> Response:
    web = _reader(request)
    snap = web.catalog.fresh()
    date_from, date_to = _clean_date(date_from), _clean_date(date_to)
    stories = snap.filter(date_from=date_from, date_to=date_to, outlet=outlet, entity=entity)
    hits, hit_total, search_error = [], 0, ""
    q = q.strip()[:500]
    with web.pool.connection() as conn:
        (article_count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        if q:
            try:
                hit_total, hits = search.search(conn, q, limit=PAGE, offset=hit_offset)
            except search.QueryError as exc:
                search_error = str(exc)
    links, headlines = _story_links(web)
    return _html(
        web,
        "stories.html.j2",
        stories=stories[offset : offset + PAGE],
        story_total=len(stories),
        total_stories=len(snap.stories),
        article_count=article_count,
        filtered=bool(date_from or date_to or outlet or entity),
        outlets=snap.outlets,
        q=q,
        date_from=date_from,
        date_to=date_to,
        outlet=outlet,
        entity=entity,
        hits=hits,
        hit_total=hit_total,
        hit_offset=hit_offset,
        search_error=search_error,
        story_links=links,
        headlines=headlines,
        limit=PAGE,
        offset=offset,
        query=_query(request),
    )


@router.get("/index.html")
def index_alias() -> Response:
    # The report's story template links "../index.html"; in the app that is the stories page.
    return RedirectResponse("/", status_code=308)


@router.get("/stories/{filename}", response_class=HTMLResponse)
async def story_page(request: Request, filename: str) -> Response:
    # The busiest page: a cached page is answered on the event loop (no thread hand-off); only
    # a store change or a page not rendered yet goes to a worker thread.
    web = _reader(request)
    snap = web.catalog.current() or await run_in_threadpool(web.catalog.fresh)
    story_id = snap.by_filename.get(filename)
    if story_id is None and filename in snap.by_id:  # /stories/<id> works too
        return RedirectResponse(f"/stories/{snap.by_id[filename].filename}", status_code=308)
    if story_id is None:
        raise HTTPException(404, "There is no such story (it may have been regrouped by a newer analysis).")
    version = snap.page_versions.get(story_id, "")
    html = web.pages.cached(story_id, version) or await run_in_threadpool(web.pages.page, story_id, version)
    if html is None:
        raise HTTPException(404, "There is no such story (it may have been regrouped by a newer analysis).")
    return HTMLResponse(html)


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, offset: int = Query(0, ge=0)) -> Response:
    web = _reader(request)
    with web.pool.connection() as conn:
        total, rows = db.list_articles(conn, limit=PAGE, offset=offset)
    links, headlines = _story_links(web)
    return _html(
        web,
        "articles.html.j2",
        rows=rows,
        total=total,
        limit=PAGE,
        offset=offset,
        story_links=links,
        headlines=headlines,
        query=_query(request),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_view(
    request: Request, article_id: str, layers: str = "", show: Annotated[list[str] | None, Query()] = None
) -> Response:
    web = _reader(request)
    shown = set(show or ()) & set(LAYERS) if layers else set(LAYERS)  # no form sent yet: everything on
    with web.pool.connection() as conn:
        article = db.load_article(conn, article_id)
        if article is None:
            raise HTTPException(404, "There is no such article in this store.")
        page = article_page(conn, article, shown)
    return _html(web, "article.html.j2", page=page)


def _add_form(
    web: WebContext,
    request: Request,
    status: int = 200,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    values = {k: "" for k in ("title", "source", "url", "published", "text")} | (form or {})
    return _html(
        web,
        "add.html.j2",
        status=status,
        errors=errors or [],
        form=values,
        needs_token=not web.auth.can_write(request),
        max_bytes=web.max_upload_bytes,
    )


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> Response:
    return _add_form(_reader(request), request)


@router.post("/add")
async def add_submit(request: Request) -> Response:
    web = context(request)
    try:
        form = await request.form(max_files=1000, max_part_size=web.max_upload_bytes)
    except BodyTooLarge:
        return _add_form(web, request, 413, [f"the upload is over the limit of {web.max_upload_bytes} bytes"])
    except MultiPartException as exc:
        return _add_form(web, request, 400, [f"bad upload: {exc.message}"])
    token = form.get("token")
    echo = {
        k: v for k in ("title", "source", "url", "published", "text") if isinstance(v := form.get(k), str)
    }
    if not web.auth.can_write(request, token if isinstance(token, str) else None):
        return _add_form(web, request, 401, ["the token is missing or wrong"], echo)
    try:
        uploads, pasted = await from_form(form)
        accepted = accept(web, uploads, pasted)
    except HTTPException as exc:
        detail = exc.detail
        if isinstance(detail, dict):  # every input rejected: list them
            errors = [f"{r['input']}: {r['reason']}" for r in detail.get("rejected", [])] or [
                detail["message"]
            ]
        else:
            errors = [str(detail)]
        return _add_form(web, request, exc.status_code, errors, echo)
    if accepted.job is None:
        return _html(
            web,
            "message.html.j2",
            heading="Already stored",
            login=False,
            next="/",
            message="Every article you gave is already in the store; nothing new to analyse.",
        )
    return RedirectResponse(f"/jobs/{accepted.job.id}", status_code=303)


def _job_values(web: WebContext, job_id: str) -> dict[str, Any]:
    job = web.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "There is no such job (jobs are forgotten when the server restarts).")
    added = []
    if job.state == "done":
        with web.pool.connection() as conn:
            _, added = db.list_articles(conn, limit=len(job.article_ids) or 1, offset=0, ids=job.article_ids)
    links, headlines = _story_links(web)
    return {
        "job": job,
        "added": added,
        "story_links": links,
        "headlines": headlines,
        "known": job.known,
        "rejected": job.rejected,
    }


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> Response:
    web = _reader(request)
    return _html(web, "job.html.j2", **_job_values(web, job_id))


@router.get("/jobs/{job_id}/progress", response_class=HTMLResponse)
def job_progress(request: Request, job_id: str) -> Response:
    web = _reader(request)
    return _html(web, "_job_progress.html.j2", **_job_values(web, job_id))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    web = context(request)
    return _html(
        web,
        "message.html.j2",
        heading="Sign in",
        login=True,
        next=_local(next),
        message="Enter the token printed by newsdossier serve when it started.",
    )


@router.post("/login")
async def login_submit(request: Request) -> Response:
    web = context(request)
    form = await request.form(max_files=0, max_fields=5)
    token, nxt = form.get("token"), form.get("next")
    if not same_origin(request) or not web.auth.token_matches(token if isinstance(token, str) else None):
        return _html(
            web,
            "message.html.j2",
            status=401,
            heading="Sign in",
            login=True,
            next=_local(nxt if isinstance(nxt, str) else "/"),
            message="That token is not right.",
        )
    response = RedirectResponse(_local(nxt if isinstance(nxt, str) else "/"), status_code=303)
    response.set_cookie(COOKIE, web.auth.session, httponly=True, samesite="strict", path="/")
    return response


def _local(path: str) -> str:
    """Only same-site paths as redirect targets (no open redirect to //evil.example)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> Response:
    web = context(request)
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p.get("name", ""),
                    "where": p.get("in", ""),
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                    "type": _type_name(p.get("schema", {})),
                }
                for p in op.get("parameters", [])
            ]
            responses = [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "responses": responses,
                }
            )
    info = spec.get("info", {})
    return _html(
        web, "docs.html.j2", title=info.get("title", ""), version=info.get("version", ""), endpoints=endpoints
    )


def _type_name(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_name(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    return str(schema.get("type", ""))
