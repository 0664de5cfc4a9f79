"""Load check for the web app (not a test): requests/s and latency for the story page and the search API.

    python benchmarks/bench_web.py [--articles 10000] [--clients 20] [--requests 2000] [--max-seconds 120]

Builds a synthetic store (fictional text from a small vocabulary; 10 articles per story, each story
with a cited summary, claims and numbers), serves it with ``newsdossier serve`` in a subprocess on
127.0.0.1, and has ``--clients`` threads request story pages and searches. Bounded in requests and
in time; the server is always stopped. Prints Markdown table rows for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from newsdossier.model import Article, Cite, CitedText, Claim, Evidence, Published, Segment, Story, article_id
from newsdossier.render.story_view import story_filename
from newsdossier.store import Store

WORDS = [
    "harbour",
    "ferry",
    "council",
    "minister",
    "report",
    "strike",
    "port",
    "union",
    "vote",
    "storm",
    "bridge",
    "court",
    "budget",
    "river",
    "station",
    "festival",
    "market",
    "school",
    "hospital",
    "airport",
    "railway",
    "factory",
    "election",
    "border",
    "treaty",
    "museum",
    "village",
    "island",
    "mayor",
    "police",
    "engine",
    "crew",
    "passengers",
    "cargo",
    "tanker",
    "inquiry",
    "ruling",
    "protest",
    "talks",
]
PLACES = ["Vellmar", "Tosk", "Ostheim", "Brenna", "Kaldor", "Miravel", "Quayside", "Lunder"]
OUTLETS = ["Norland Press Agency", "Coastal Times", "Harbour Daily", "Tosk Courier", "Vellmar Online"]


def synthetic_store(path: Path, n_articles: int, per_story: int = 10, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    articles: list[Article] = []
    stories: list[Story] = []
    for s in range(0, n_articles, per_story):
        sid = f"s-{s // per_story:05d}"
        place = rng.choice(PLACES)
        members = []
        for k in range(min(per_story, n_articles - s)):
            sentences = [
                f"The {rng.choice(WORDS)} in {place} {rng.choice(['said', 'reported', 'confirmed'])} "
                f"that {rng.randint(2, 900)} {rng.choice(WORDS)} {rng.choice(WORDS)} were involved ({sid}-{k})."
                for _ in range(rng.randint(8, 20))
            ]
            text = " ".join(sentences)
            aid = article_id(text)
            members.append(
                Article(
                    id=aid,
                    input=f"bench/{sid}-{k}.txt",
                    text=text,
                    source=rng.choice(OUTLETS),
                    title=f"{place} {rng.choice(WORDS)} {rng.choice(WORDS)}",
                    story_id=sid,
                    published=Published(
                        f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "metadata"
                    ),
                    segments=(Segment("reporting", 0, len(text)),),
                )
            )
        first = members[0]
        end = first.text.index(".") + 1
        cites = tuple(Cite(m.id, 0, m.text.index(".") + 1) for m in members[:3])
        stories.append(
            Story(
                id=sid,
                headline=f"{first.title} in {place}",
                article_ids=tuple(m.id for m in members),
                event_date=first.published.date,
                sources=len({m.source for m in members}),
                independent_sources=3,
                summary=(CitedText(first.text[:end], cites),),
                claims=tuple(
                    Claim(
                        m.text[: m.text.index(".")],
                        "corroborated",
                        2,
                        (Evidence(m.id, 0, m.text.index(".") + 1),),
                    )
                    for m in members[:4]
                ),
            )
        )
        articles += members
    with Store(path) as store:
        store.add_articles(articles)
        store.save_analysis(articles, stories)
    return [s.id for s in stories]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(base: str, paths: list[str], clients: int, max_seconds: float) -> tuple[float, list[float], int]:
    """(requests/s, latencies in ms, errors) for ``paths`` fetched by ``clients`` threads."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    local = threading.local()

    def fetch(path: str) -> None:
        nonlocal errors
        if time.monotonic() > deadline:
            return
        client = getattr(local, "client", None) or httpx.Client(base_url=base, timeout=30)
        local.client = client
        t0 = time.perf_counter()
        r = client.get(path)
        dt = (time.perf_counter() - t0) * 1000
        with lock:
            latencies.append(dt)
            errors += r.status_code != 200

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(fetch, paths))
    elapsed = time.perf_counter() - t0
    return len(latencies) / elapsed, latencies, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000, help="per endpoint")
    ap.add_argument("--max-seconds", type=float, default=120, help="per endpoint")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        story_ids = synthetic_store(db, args.articles)
        print(
            f"built {args.articles} articles / {len(story_ids)} stories in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
        port = free_port()
        code = f"from newsdossier.web.serve import serve; serve({str(db)!r}, port={port}, token='bench')"
        server = subprocess.Popen(
            [sys.executable, "-c", code], stderr=subprocess.DEVNULL, env=os.environ.copy()
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/api/v1/stories?limit=1", timeout=60).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("server did not start")
            rng = random.Random(1)
            story_paths = [f"/stories/{story_filename(rng.choice(story_ids))}" for _ in range(args.requests)]
            queries = [f"{rng.choice(PLACES)} {rng.choice(WORDS)}" for _ in range(args.requests)]
            search_paths = [f"/api/v1/search?q={q.replace(' ', '+')}&limit=20" for q in queries]
            rows = []
            load = os.getloadavg()[0]
            for name, paths, target in (("story page", story_paths, 100), ("search API", search_paths, 200)):
                rate, lat, errors = measure(base, paths, args.clients, args.max_seconds)
                rows.append(
                    f"| web: {name} | {args.articles:,} articles, {args.clients} clients, {len(lat)} requests, "
                    f"{os.cpu_count()} cores at load {load:.1f} | "
                    f"{rate:.0f} req/s | p50 {statistics.median(lat):.0f} ms | p95 {p95(lat):.0f} ms "
                    f"(target < {target} ms) | {errors} errors |"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("| benchmark | setup | throughput | median | p95 | errors |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
