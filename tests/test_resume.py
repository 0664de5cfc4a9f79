"""A run killed mid-ingest (kill -9) and started again stores every article exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from newsdossier.model import article_id

N = 1500
SCRIPT = """
import sys
from newsdossier.api import ingest
from newsdossier.store import Store
with Store(sys.argv[2]) as store:
    ingest([sys.argv[1]], store, batch_size=7)
"""


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def test_kill_and_resume_stores_each_article_once(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    texts = [f"Report number {i}: the council of Brindle met on day {i} and approved budget line {i * 7}."
             for i in range(N)]
    for i, t in enumerate(texts):
        (folder / f"{i:05d}.txt").write_text(t, encoding="utf-8")
    db = tmp_path / "store.db"

    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(folder), str(db)])
    deadline = time.monotonic() + 60
    while _count(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert partial <= N

    subprocess.run([sys.executable, "-c", SCRIPT, str(folder), str(db)], check=True)
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    conn.close()
    assert len(ids) == N
    assert set(ids) == {article_id(t) for t in texts}
