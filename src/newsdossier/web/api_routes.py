"""The JSON API under /api/v1. Lists page with ``limit``/``offset`` and report ``total``.

Story and article objects are exactly the ``newsdossier/1`` layout (see docs/format.md), so a
client can read the API and a dossier.json with the same code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.formparsers import MultiPartException

from ..codec import FORMAT, dossier_article_to_dict, story_to_dict
from ..model import utc_now
from . import db, search
from .app import WebContext, context
from .intake import ArticlesIn, accept, from_form, from_json
from .security import BodyTooLarge

MAX_LIMIT = 500


async def readable(request: Request) -> WebContext:
    # async: a check this cheap must not cost a thread hand-off on every read
    web = context(request)
    if not web.auth.can_read(request):
        raise HTTPException(
            401, "this server is private: send Authorization: Bearer <token>", {"WWW-Authenticate": "Bearer"}
        )
    return web


def writable(request: Request) -> WebContext:
    web = context(request)
    if not web.auth.can_write(request):
        raise HTTPException(
            401, "writing needs the token: send Authorization: Bearer <token>", {"WWW-Authenticate": "Bearer"}
        )
    return web


Read = Annotated[WebContext, Depends(readable)]
Write = Annotated[WebContext, Depends(writable)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="How many items to skip.")]
DateQ = Annotated[
    str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD.")
]

router = APIRouter(prefix="/api/v1", tags=["api"])


def page(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _article_out(a: Any) -> dict[str, Any]:
    return dossier_article_to_dict(a)  # without the internal layers, as newsdossier/1 has it


@router.get("/stories", summary="List stories, newest event first, with filters")
def list_stories(
    web: Read,
    limit: Limit = 50,
    offset: Offset = 0,
    date_from: DateQ = None,
    date_to: DateQ = None,
    outlet: Annotated[str | None, Query(description="Only stories with an article from this outlet.")] = None,
    entity: Annotated[
        str | None, Query(description="Only stories naming this entity (name or alias).")
    ] = None,
) -> dict[str, Any]:
    stories = web.catalog.fresh().filter(date_from=date_from, date_to=date_to, outlet=outlet, entity=entity)
    return page(len(stories), limit, offset, [s.to_dict() for s in stories[offset : offset + limit]])


@router.get("/stories/{story_id}", summary="One story's dossier (the newsdossier/1 story object)")
def get_story(story_id: str, web: Read) -> dict[str, Any]:
    with web.pool.connection() as conn:
        story = db.load_story(conn, story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return story_to_dict(story)


@router.get("/articles", summary="List articles, most recently added first")
def list_articles(
    web: Read,
    limit: Limit = 50,
    offset: Offset = 0,
    source: Annotated[str | None, Query(description="Only this outlet.")] = None,
    story_id: Annotated[str | None, Query(description="Only this story's articles.")] = None,
) -> dict[str, Any]:
    with web.pool.connection() as conn:
        total, rows = db.list_articles(conn, limit=limit, offset=offset, source=source, story_id=story_id)
    return page(total, limit, offset, [r.to_dict() for r in rows])


@router.get("/articles/{article_id}", summary="One article with all its annotations (newsdossier/1)")
def get_article(article_id: str, web: Read) -> dict[str, Any]:
    with web.pool.connection() as conn:
        article = db.load_article(conn, article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return _article_out(article)


@router.get("/search", summary="Full-text search over articles, claims and headlines")
async def search_all(
    web: Read,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words that must all occur.")],
    kind: Annotated[
        list[Literal["article", "claim", "headline"]] | None, Query(description="Restrict to these kinds.")
    ] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    # Async with one hand-off to the search threads: the SQLite work is the only slow part.
    snap = web.catalog.current() or await run_in_threadpool(web.catalog.fresh)
    try:
        total, hits = await web.searches.search(
            q, kinds=kind or search.KINDS, limit=limit, offset=offset, story_of=snap.story_of_article
        )
    except search.QueryError as exc:
        raise HTTPException(400, str(exc)) from exc
    # Plain strings and numbers only: answered as is, without FastAPI's per-field re-encoding.
    return JSONResponse({**page(total, limit, offset, [h.to_dict() for h in hits]), "q": q})


@router.get("/status", summary="What the server holds: counts, and its cache of rendered story pages")
def status(web: Read) -> dict[str, Any]:
    snap = web.catalog.fresh()
    with web.pool.connection() as conn:
        (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    return {"articles": articles, "stories": len(snap.stories), "story_pages": web.pages.stats()}


@router.post(
    "/articles",
    status_code=202,
    summary="Add articles (JSON or file upload); the analysis runs in the background",
    description=(
        'JSON: {"articles": [{"text": ..., "title", "source", "url", "published", "id"}]} '
        "(or one such object). Multipart: files under `files`, read like the command line's inputs. "
        "Answers 202 with the job to poll, 200 when everything was already stored, 413 over the size "
        "limit, 422 when nothing could be read."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": ArticlesIn.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                        },
                    }
                },
            }
        }
    },
)
async def post_articles(request: Request, web: Write) -> Response:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if ctype == "application/json":
            uploads, pasted = [], await from_json(request)
        elif ctype == "multipart/form-data":
            try:
                form = await request.form(max_files=1000, max_part_size=web.max_upload_bytes)
            except MultiPartException as exc:
                raise HTTPException(400, f"bad multipart upload: {exc.message}") from exc
            uploads, pasted = await from_form(form)
        else:
            raise HTTPException(415, "send application/json or multipart/form-data")
    except BodyTooLarge:
        raise HTTPException(
            413, f"request body is over the upload limit of {web.max_upload_bytes} bytes"
        ) from None
    accepted = accept(web, uploads, pasted)
    body = {
        "added": accepted.result.added,
        "already_stored": accepted.result.known,
        "rejected": [{"input": r.input, "reason": r.reason} for r in accepted.result.rejected],
        "job": accepted.job.to_dict() if accepted.job else None,
    }
    return JSONResponse(body, status_code=202 if accepted.job else 200)


@router.get("/jobs/{job_id}", summary="Progress of an analysis started by POST /articles")
def get_job(job_id: str, web: Read) -> dict[str, Any]:
    job = web.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r} (jobs are kept in memory until the server stops)")
    return job.to_dict()


# --- export ------------------------------------------------------------------------------------
CSV_TABLES = ("stories", "articles", "claims")


def _export_rows(web: WebContext, table: str, story_id: str | None) -> tuple[list[str], list[list[Any]]]:
    snap = web.catalog.fresh()
    if table == "stories":
        cols = ["id", "headline", "event_date", "articles", "sources", "independent_sources", "outlets"]
        chosen = [snap.by_id[story_id]] if story_id else list(snap.stories)
        return cols, [
            [
                s.id,
                s.headline,
                s.event_date,
                s.articles,
                s.sources,
                s.independent_sources,
                "; ".join(n for n, _ in s.outlets),
            ]
            for s in chosen
        ]
    with web.pool.connection() as conn:
        if table == "articles":
            ids = None
            if story_id:
                story = db.load_story(conn, story_id)
                ids = list(story.article_ids) if story else []
            _, rows = db.list_articles(conn, limit=-1, offset=0, ids=ids)
            cols = ["id", "title", "source", "url", "published", "input", "story_id", "chars", "added_at"]
            return cols, [[getattr(r, c) for c in cols] for r in rows]
        stories = db.load_stories(conn, [story_id] if story_id else [s.id for s in snap.stories])
    cols = ["story_id", "claim", "status", "independent_sources", "agreeing_articles", "disagreeing_articles"]
    return cols, [
        [
            s.id,
            c.text,
            c.status,
            c.independent_sources,
            len({e.article_id for e in c.evidence if e.agrees}),
            len({e.article_id for e in c.evidence if not e.agrees}),
        ]
        for s in stories
        for c in s.claims
    ]


def _csv(cols: list[str], rows: list[list[Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(cols)
    for row in rows:
        # Cells a spreadsheet would run as a formula are prefixed with a quote (CSV injection).
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
        if buf.tell() > 64_000:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _json_export(web: WebContext, story_id: str | None) -> Iterator[str]:
    """The newsdossier/1 document, streamed article by article so a big store never sits in memory."""
    with web.pool.connection() as conn:
        if story_id:
            story_ids = [story_id]
        else:
            story_ids = [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY id")]
        stories = db.load_stories(conn, story_ids)
        if story_id:
            article_ids = list(dict.fromkeys(i for s in stories for i in s.article_ids))
        else:
            article_ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY input, id")]
    yield f'{{"format": {json.dumps(FORMAT)}, "generated_at": {json.dumps(utc_now())}, "articles": ['
    for i in range(0, len(article_ids), 200):
        with web.pool.connection() as conn:
            batch = db.load_articles(conn, article_ids[i : i + 200])
        parts = [
            json.dumps(_article_out(batch[a]), ensure_ascii=False)
            for a in article_ids[i : i + 200]
            if a in batch
        ]
        if parts:
            yield ("," if i else "") + ",".join(parts)
    yield '], "stories": [' + ",".join(json.dumps(story_to_dict(s), ensure_ascii=False) for s in stories)
    yield '], "rejected": []}\n'


@router.get("/export", summary="Export a story or the whole store: JSON (newsdossier/1), CSV or Parquet")
def export(
    web: Read,
    format: Annotated[Literal["json", "csv", "parquet"], Query(description="json | csv | parquet")] = "json",
    story_id: Annotated[str | None, Query(description="Only this story (default: everything).")] = None,
    table: Annotated[
        Literal["stories", "articles", "claims"], Query(description="For csv/parquet.")
    ] = "stories",
) -> Response:
    if story_id is not None and story_id not in web.catalog.fresh().by_id:
        raise HTTPException(404, f"no story {story_id!r}")
    stem = f"newsdossier-{story_id or 'all'}"
    if format == "json":
        headers = {"Content-Disposition": f'attachment; filename="{_safe(stem)}.json"'}
        return StreamingResponse(_json_export(web, story_id), media_type="application/json", headers=headers)
    cols, rows = _export_rows(web, table, story_id)
    if format == "csv":
        headers = {"Content-Disposition": f'attachment; filename="{_safe(stem)}-{table}.csv"'}
        return StreamingResponse(_csv(cols, rows), media_type="text/csv; charset=utf-8", headers=headers)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise HTTPException(501, "Parquet export needs the pyarrow package (pip install pyarrow)") from None
    sink = io.BytesIO()
    pq.write_table(pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)}), sink)
    headers = {"Content-Disposition": f'attachment; filename="{_safe(stem)}-{table}.parquet"'}
    return Response(sink.getvalue(), media_type="application/vnd.apache.parquet", headers=headers)


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:100]
