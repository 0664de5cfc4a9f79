"""The web app: ``create_app(db_path)`` gives a FastAPI application over one store.

Pages (Jinja2 + vendored htmx; everything readable with JavaScript off) and the JSON API under
/api/v1 share one context: a connection pool for reads, the catalog (story list + search index),
the job runner (the only writer) and the auth policy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment

from .. import __version__
from ..engine.progress import Reporter
from ..ingest import DEFAULT_MAX_BYTES
from ..store import Store
from .catalog import Catalog, Snapshot
from .db import ConnectionPool
from .jobs import JobRunner, Pipeline, run_pipeline
from .search_runner import SearchRunner
from .security import HEADERS, Auth, BodyLimit, BodyTooLarge, SecurityHeaders, new_token
from .story_pages import DEFAULT_BUDGET_BYTES, StoryPages
from .views import environment


@dataclass
class WebContext:
    db_path: str
    pool: ConnectionPool
    catalog: Catalog
    jobs: JobRunner
    auth: Auth
    env: Environment
    max_upload_bytes: int
    pages: StoryPages
    searches: SearchRunner


def context(request: Request) -> WebContext:
    return request.app.state.web


def create_app(
    db_path: str | Path,
    token: str | None = None,
    private: bool = False,
    *,
    max_upload_bytes: int = DEFAULT_MAX_BYTES,
    pipeline: Pipeline = run_pipeline,
    pool_size: int = 8,
    page_budget_bytes: int = DEFAULT_BUDGET_BYTES,
) -> FastAPI:
    """The app over the store at ``db_path`` (created if missing; ``:memory:`` is refused).

    ``token`` guards writes (and reads when ``private``); when None one is generated and left in
    ``app.state.token`` for the caller to show once. ``pipeline`` is what a job runs after new
    articles are stored (default: the full analysis, as ``newsdossier analyze`` does).
    Rendered story pages are kept in memory up to ``page_budget_bytes``.
    """
    path = str(db_path)
    if path == ":memory:" or not path:
        raise ValueError("the web app needs a store file (an in-memory store cannot be shared by requests)")
    Store(path).close()  # create the file and bring its schema up to date before anything reads it
    auth = Auth(token or new_token(), private)
    env = environment()
    pool = ConnectionPool(path, pool_size)
    pages = StoryPages(pool, env, page_budget_bytes)

    def render_ahead(snapshot: Snapshot) -> None:
        pages.warm([(s.id, snapshot.page_versions[s.id]) for s in snapshot.stories])

    catalog = Catalog(path, on_change=render_ahead)

    def pipeline_then_index(db: str, reporter: Reporter) -> None:
        pipeline(db, reporter)
        catalog.fresh()  # index (and start rendering) what the job changed before anyone asks

    web = WebContext(
        db_path=path,
        pool=pool,
        catalog=catalog,
        jobs=JobRunner(path, pipeline_then_index),
        auth=auth,
        env=env,
        max_upload_bytes=max_upload_bytes,
        pages=pages,
        searches=SearchRunner(pool),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        web.catalog.fresh()  # index a big store before the first visitor, not during their request
        yield
        web.jobs.shutdown()
        web.pages.close()
        web.searches.close()
        web.catalog.close()
        web.pool.close()

    app = FastAPI(
        title="newsdossier",
        version=__version__,
        description="Stories, articles, search and export over a newsdossier store.",
        docs_url=None,  # /docs is our own page: Swagger UI needs a CDN and inline scripts
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = web
    app.state.token = auth.token

    from .api_routes import router as api_router
    from .pages import router as page_router

    app.include_router(api_router)
    app.include_router(page_router)
    static = Path(str(resources.files("newsdossier.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    _error_handlers(app, web)
    app.add_middleware(SecurityHeaders)
    # Outermost: counts body bytes before anything parses them.
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error_handlers(app: FastAPI, web: WebContext) -> None:
    def page(request: Request, status: int, heading: str, message: str, login: bool = False) -> Response:
        html = web.env.get_template("message.html.j2").render(
            heading=heading, message=message, login=login, next=request.url.path
        )
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return HTMLResponse(html, status_code=status, headers=headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        titles = {401: "Sign in", 403: "Not allowed", 404: "Not found", 413: "Too large"}
        return page(
            request,
            exc.status_code,
            titles.get(exc.status_code, "Error"),
            str(exc.detail),
            exc.status_code == 401,
        )

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        detail = getattr(exc, "detail", None) or "Not Found"
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=404)
        return page(request, 404, "Not found", str(detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(x) for x in e.get("loc", ())), "problem": e.get("msg", "invalid")}
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": problems}, status_code=422)
        text = "; ".join(f"{p['where']}: {p['problem']}" for p in problems)
        return page(request, 422, "Invalid request", text)

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        detail = f"request body is over the upload limit of {web.max_upload_bytes} bytes"
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=413, headers=HEADERS)
        return page(request, 413, "Too large", detail)
