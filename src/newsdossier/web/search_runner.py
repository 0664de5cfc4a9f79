"""Runs full-text searches for the JSON API off the event loop, on a few dedicated threads.

A search is a few milliseconds of SQLite work. Run through FastAPI's default path (a sync
endpoint in anyio's thread pool) it cost more in hand-offs and interpreter-lock contention
between up to 40 pool threads than in SQLite itself; here each search is one hand-off to one of
``threads`` workers, each borrowing a connection from the app's pool (SQLite releases the
interpreter lock while it steps, so two workers still use two cores).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from . import search
from .db import ConnectionPool


class SearchRunner:
    def __init__(self, pool: ConnectionPool, threads: int = 2) -> None:
        self._pool = pool
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="newsdossier-search")

    def _search(
        self, q: str, kinds: Sequence[str], limit: int, offset: int, story_of: Mapping[str, str]
    ) -> tuple[int, list[search.Hit]]:
        with self._pool.connection() as conn:
            return search.search(conn, q, kinds=kinds, limit=limit, offset=offset, story_of=story_of)

    async def search(
        self, q: str, *, kinds: Sequence[str], limit: int, offset: int, story_of: Mapping[str, str]
    ) -> tuple[int, list[search.Hit]]:
        """(total, hits) as :func:`search.search`; raises its QueryError."""
        call = partial(self._search, q, kinds, limit, offset, story_of)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
