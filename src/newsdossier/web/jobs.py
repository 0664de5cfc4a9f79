"""Adding articles from the web: read uploads with the CLI's readers, then analyse in the background.

Reading happens in the request (it is quick, and a rejected input must be answered at once); the
pipeline (clean -> annotate -> link -> compare over the whole store, as ``analyze`` does) runs on a
single worker thread, so there is only ever one writer, and its progress is kept for the job page.
Uploaded files are written to a private temporary folder and read with
:func:`newsdossier.ingest.read_inputs`, so its guards (size limit, archive bombs, zip-slip) apply.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import threading
import traceback
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.progress import Reporter
from ..ingest import read_inputs
from ..model import Article, Rejected, utc_now
from ..store import Store

Pipeline = Callable[[str, Reporter], None]
UPLOAD_PREFIX = "upload"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_JOBS_KEPT = 200


def run_pipeline(db_path: str, reporter: Reporter) -> None:
    """Analyse the store as :func:`newsdossier.analyze` does: incrementally, only what is new."""
    from ..api import analyse_store

    with Store(db_path) as store:
        analyse_store(store, reporter=reporter)


def safe_filename(name: str, taken: set[str]) -> str:
    """A plain file name for an upload: no folders, no dot-files, unique within one request."""
    base = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "upload"
    base = base[-120:]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{n}-{base}"
    taken.add(candidate.lower())
    return candidate


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class PastedArticle:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    id: str | None = None


@dataclass
class IngestResult:
    added: list[str]  # ids of articles new to the store
    known: list[str]  # ids already stored before
    rejected: list[Rejected]


def read_into_store(
    db_path: str, uploads: Sequence[Upload], pasted: Sequence[PastedArticle], max_bytes: int
) -> IngestResult:
    """Read uploads and pasted articles with the ingest readers and store them (one transaction)."""
    with tempfile.TemporaryDirectory(prefix="newsdossier-upload-") as tmp:
        folder = Path(tmp) / UPLOAD_PREFIX
        folder.mkdir()
        taken: set[str] = set()
        for up in uploads:
            (folder / safe_filename(up.name, taken)).write_bytes(up.data)
        if pasted:
            lines = [json.dumps({k: v for k, v in dataclasses.asdict(p).items() if v}) for p in pasted]
            (folder / safe_filename("pasted.jsonl", taken)).write_text(
                "\n".join(lines) + "\n", encoding="utf-8"
            )
        prefix = str(folder)
        articles: list[Article] = []
        rejected: list[Rejected] = []
        for item in read_inputs([prefix], max_bytes=max_bytes):
            # Inputs are named by where the user gave them, not by our temporary folder.
            name = UPLOAD_PREFIX + item.input[len(prefix) :] if item.input.startswith(prefix) else item.input
            if isinstance(item, Article):
                articles.append(dataclasses.replace(item, input=name))
            else:
                rejected.append(Rejected(name, item.reason))
    unique = list({a.id: a for a in articles}.values())
    with Store(db_path) as store:
        known = [a.id for a in unique if store.has_article(a.id)]
        store.add_articles(unique)
    known_set = set(known)
    return IngestResult([a.id for a in unique if a.id not in known_set], known, rejected)


@dataclass
class Job:
    id: str
    article_ids: list[str]  # the new articles this job analyses
    known: int = 0  # articles given that were already stored
    rejected: list[Rejected] = field(default_factory=list)  # inputs that could not be read
    state: str = "queued"  # queued | running | done | failed
    stage: str = ""
    completed: int = 0
    total: int | None = None
    stages_done: list[str] = field(default_factory=list)
    error: str | None = None
    created_at: str = field(default_factory=utc_now)
    finished_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "stage": self.stage,
            "completed": self.completed,
            "total": self.total,
            "stages_done": list(self.stages_done),
            "article_ids": list(self.article_ids),
            "already_stored": self.known,
            "rejected": [{"input": r.input, "reason": r.reason} for r in self.rejected],
            "error": self.error,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
            "url": f"/jobs/{self.id}",
            "api_url": f"/api/v1/jobs/{self.id}",
        }


class JobReporter(Reporter):
    """A Reporter that records the pipeline's stage and progress on the job instead of a terminal."""

    def __init__(self, job: Job, lock: threading.Lock) -> None:
        super().__init__(quiet=True)
        self.job = job
        self.lock = lock

    def _update(self, **kw: Any) -> None:
        with self.lock:
            if "description" in kw and kw["description"] != self.job.stage:
                if self.job.stage:
                    self.job.stages_done.append(self.job.stage)
                self.job.stage = kw["description"]
            if "total" in kw:
                self.job.total = kw["total"]
            if "completed" in kw:
                self.job.completed = kw["completed"] or 0
            if kw.get("advance"):
                self.job.completed += kw["advance"]


class JobRunner:
    """One worker thread: jobs run one after another, so the pipeline is the store's only writer."""

    def __init__(self, db_path: str, pipeline: Pipeline = run_pipeline) -> None:
        self.db_path = db_path
        self.pipeline = pipeline
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdossier-job")

    def submit(self, article_ids: Sequence[str], known: int = 0, rejected: Sequence[Rejected] = ()) -> Job:
        job = Job(uuid.uuid4().hex[:12], list(article_ids), known, list(rejected))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:  # forget the oldest finished job
                oldest = next((k for k, j in self._jobs.items() if j.state in ("done", "failed")), None)
                if oldest is None:
                    break
                del self._jobs[oldest]
        self._pool.submit(self._run, job)
        return job

    def _run(self, job: Job) -> None:
        with self._lock:
            job.state = "running"
        try:
            self.pipeline(self.db_path, JobReporter(job, self._lock))
        except Exception as exc:  # noqa: BLE001 - a failed analysis must show on the job page, not kill the worker
            with self._lock:
                job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
                job.finished_at = utc_now()
            traceback.print_exc()
            return
        with self._lock:
            if job.stage:
                job.stages_done.append(job.stage)
            job.state, job.stage, job.finished_at = "done", "", utc_now()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return dataclasses.replace(job, stages_done=list(job.stages_done)) if job else None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
