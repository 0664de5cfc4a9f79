"""Load check for the web app (not a test): requests/s and latency for the story page and the search API.

    python benchmarks/bench_web.py [--articles 10000] [--clients 20] [--requests 2000] [--max-seconds 120]

Builds a synthetic store (fictional text from a small vocabulary; 10 articles per story, each story
with a cited summary, claims and numbers), serves it with ``newsdossier serve`` in a subprocess on
127.0.0.1, waits until the server has rendered its story pages ahead (GET /api/v1/status), and has
``--clients`` threads request story pages and searches over keep-alive connections. The clients use
the standard library's ``http.client`` (far less CPU per request than httpx), because they share the
machine's cores with the server; the CPU seconds each side spent are printed so a reader can see
whether the harness itself was the bottleneck. A second server with the page cache switched off
shows what a story page costs when every request renders it. Bounded in requests and in time;
servers are always stopped. Prints Markdown table rows for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
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


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def measure(port: int, paths: list[str], clients: int, max_seconds: float) -> tuple[float, list[float], int]:
    """(requests/s, latencies in ms, errors) for ``paths`` fetched by ``clients`` threads, each over
    its own keep-alive connection; a latency covers sending the request and reading the whole body."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    local = threading.local()

    def fetch(path: str) -> None:
        nonlocal errors
        if time.monotonic() > deadline:
            return
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            conn.close()
            local.conn, ok = None, False
        dt = (time.perf_counter() - t0) * 1000
        with lock:
            latencies.append(dt)
            errors += not ok

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(fetch, paths))
    elapsed = time.perf_counter() - t0
    return len(latencies) / elapsed, latencies, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def get_json(port: int, path: str) -> dict | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return json.loads(body) if response.status == 200 else None
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def start_server(db: Path, page_cache: bool) -> tuple[subprocess.Popen, int]:
    """``newsdossier serve`` as users run it; or the same app with the story page cache off."""
    port = free_port()
    if page_cache:
        code = f"from newsdossier.web.serve import serve; serve({str(db)!r}, port={port}, token='bench')"
    else:
        code = (
            "import uvicorn; from newsdossier.web import create_app; "
            f"uvicorn.run(create_app({str(db)!r}, token='bench', page_budget_bytes=0), host='127.0.0.1', "
            f"port={port}, log_level='warning')"
        )
    server = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL, env=os.environ.copy())
    for _ in range(600):
        status = get_json(port, "/api/v1/status")
        if status is not None and not status["story_pages"]["warming"]:
            return server, port
        time.sleep(0.1)
    server.terminate()
    raise RuntimeError("server did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000, help="per endpoint")
    ap.add_argument("--max-seconds", type=float, default=120, help="per endpoint")
    args = ap.parse_args()
    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        story_ids = synthetic_store(db, args.articles)
        print(
            f"built {args.articles} articles / {len(story_ids)} stories in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
        rng = random.Random(1)
        story_paths = [f"/stories/{story_filename(rng.choice(story_ids))}" for _ in range(args.requests)]
        queries = [f"{rng.choice(PLACES)} {rng.choice(WORDS)}" for _ in range(args.requests)]
        search_paths = [f"/api/v1/search?q={q.replace(' ', '+')}&limit=20" for q in queries]
        runs = (
            ("story page", True, story_paths, 100),
            ("search API", True, search_paths, 200),
            ("story page, page cache off (every request renders)", False, story_paths, None),
        )
        servers: dict[bool, tuple[subprocess.Popen, int]] = {}
        try:
            for name, cached, paths, target in runs:
                if cached not in servers:
                    t_start = time.perf_counter()
                    servers[cached] = start_server(db, cached)
                    status = get_json(servers[cached][1], "/api/v1/status") or {}
                    notes.append(
                        f"server (page cache {'on' if cached else 'off'}) ready in "
                        f"{time.perf_counter() - t_start:.1f} s; story pages: {status.get('story_pages')}"
                    )
                server, port = servers[cached]
                load = os.getloadavg()[0]
                server_cpu, client_cpu = process_cpu_seconds(server.pid), own_cpu_seconds()
                rate, lat, errors = measure(port, paths, args.clients, args.max_seconds)
                server_end = process_cpu_seconds(server.pid)
                client_ms = (own_cpu_seconds() - client_cpu) * 1000 / len(lat)
                server_ms = (
                    f"{(server_end - server_cpu) * 1000 / len(lat):.1f}"
                    if server_cpu is not None and server_end is not None
                    else "?"
                )
                goal = f" (target < {target} ms)" if target else ""
                rows.append(
                    f"| web: {name} | {args.articles:,} articles, {args.clients} clients, {len(lat)} requests, "
                    f"{os.cpu_count()} cores at load {load:.1f} | "
                    f"{rate:.0f} req/s | p50 {statistics.median(lat):.0f} ms | p95 {p95(lat):.0f} ms{goal} | "
                    f"{errors} errors | CPU per request: server {server_ms} ms, clients {client_ms:.1f} ms |"
                )
        finally:
            for server, _ in servers.values():
                server.terminate()
                server.wait(timeout=30)
    print("\n".join(notes), file=sys.stderr)
    print("| benchmark | setup | throughput | median | p95 | errors | CPU |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
