"""Helpers for the web app's tests: a store filled from a fixture dossier, a stand-in pipeline, a live server.

All text is fictional (see dossier_fixture). The stand-in pipeline exists so the web tests check the
web app's behaviour (upload -> job -> the article shows in a story) without depending on the speed or
the current state of the real analysis stages; one test runs the real pipeline too.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import uvicorn

from newsdossier.engine.progress import Reporter
from newsdossier.model import Dossier, Story
from newsdossier.store import Store

XSS_TEXT = (
    "<script>alert(1)</script> Breaking: <img src=x onerror=alert(2)> harbour news. "
    '<a href="javascript:alert(3)">click</a> {{ 7*7 }} {% raw %} "><svg onload=alert(4)>'
)


def fill_store(path: Path, dossier: Dossier) -> Path:
    with Store(path) as store:
        store.add_articles(dossier.articles)
        store.save_analysis(dossier.articles, dossier.stories)
    return path


def keyword_pipeline(db_path: str, reporter: Reporter) -> None:
    """Stand-in for the analysis: each new article joins the story whose entity names it mentions
    most, or starts a story of its own. Deterministic and fast."""
    with Store(db_path) as store:
        analysed = {a.id: a for a in store.analysed_articles()}
        stories = {s.id: s for s in store.stories()}
        new = [a for a in store.raw_articles() if a.id not in analysed]
        with reporter.stage("link", len(new)):
            for article in new:
                text = article.text.lower()
                best, score = None, 0
                for s in sorted(stories.values(), key=lambda s: s.id):
                    hits = sum(text.count(t.lower()) for e in s.entities for t in (e.name, *e.aliases))
                    if hits > score:
                        best, score = s, hits
                if best is None:
                    best = Story(
                        id=f"s-new-{article.id}", headline=article.title or article.text[:60], article_ids=()
                    )
                stories[best.id] = replace(best, article_ids=(*best.article_ids, article.id))
                analysed[article.id] = replace(article, story_id=best.id)
                reporter.advance()
        with reporter.stage("store"):
            store.save_analysis(analysed.values(), stories.values())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(app) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 in a thread; always stopped on exit. Yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="web-test-server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
