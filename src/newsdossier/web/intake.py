"""Turning a POST (JSON or multipart form) into stored articles and a pipeline job.

Shared by ``POST /api/v1/articles`` and the add-articles page, so both accept the same inputs and
refuse the same things with the same words.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field, ValidationError, field_validator
from starlette.datastructures import FormData, UploadFile

from .jobs import IngestResult, Job, PastedArticle, Upload, read_into_store

MAX_PASTED = 1000


class ArticleIn(BaseModel):
    """One article given as JSON (or pasted into the form)."""

    text: str = Field(min_length=1, description="The article text.")
    title: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=500, description="Outlet / site name.")
    url: str | None = Field(None, max_length=4000)
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")
    id: str | None = Field(
        None, max_length=500, description="Your own id for the article (kept as external_id)."
    )

    @field_validator("text")
    @classmethod
    def _has_words(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the text is empty")
        return v

    @field_validator("published")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        try:
            dt.date.fromisoformat(v)
        except ValueError as exc:
            raise ValueError("published must be a date like 2024-05-14") from exc
        return v


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_PASTED)


@dataclass
class Accepted:
    result: IngestResult
    job: Job | None


def _pasted(items: list[ArticleIn]) -> list[PastedArticle]:
    return [PastedArticle(a.text, a.title, a.source, a.url, a.published, a.id) for a in items]


async def from_json(request: Request) -> list[PastedArticle]:
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPException(400, f"the request body is not valid JSON: {exc}") from exc
    if isinstance(data, dict) and "articles" not in data:
        data = {"articles": [data]}  # one article on its own is fine too
    elif isinstance(data, list):
        data = {"articles": data}
    try:
        return _pasted(ArticlesIn.model_validate(data).articles)
    except ValidationError as exc:
        problems = [
            {"where": ".".join(str(x) for x in e["loc"]), "problem": e["msg"]}
            for e in exc.errors(include_url=False)
        ]
        raise HTTPException(422, problems) from exc


async def from_form(form: FormData) -> tuple[list[Upload], list[PastedArticle]]:
    """Files under ``files`` (or ``file``), and optionally one pasted article (``text`` + metadata)."""
    uploads = []
    for key in ("files", "file"):
        for item in form.getlist(key):
            if isinstance(item, UploadFile) and item.filename:
                uploads.append(Upload(item.filename, await item.read()))
    pasted: list[PastedArticle] = []
    text = form.get("text")
    if isinstance(text, str) and text.strip():
        fields = {k: (form.get(k) or None) for k in ("title", "source", "url", "published")}
        try:
            article = ArticleIn(text=text, **{k: v for k, v in fields.items() if isinstance(v, str)})
        except ValidationError as exc:
            raise HTTPException(422, "; ".join(e["msg"] for e in exc.errors(include_url=False))) from exc
        pasted = _pasted([article])
    return uploads, pasted


def accept(web, uploads: list[Upload], pasted: list[PastedArticle]) -> Accepted:
    """Store what can be read; start the analysis when something new arrived.

    Raises 400 when nothing was given and 422 when every input was rejected.
    """
    if not uploads and not pasted:
        raise HTTPException(400, "nothing to add: upload files or give article text")
    result = read_into_store(web.db_path, uploads, pasted, web.max_upload_bytes)
    if not result.added and not result.known:
        reasons = [{"input": r.input, "reason": r.reason} for r in result.rejected]
        raise HTTPException(422, {"message": "no article could be read", "rejected": reasons})
    job = web.jobs.submit(result.added, len(result.known), result.rejected) if result.added else None
    return Accepted(result, job)
