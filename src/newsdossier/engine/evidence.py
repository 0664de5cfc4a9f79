"""The clean stage's batch evidence (lines repeated across a source's articles, see
:func:`.split.batch_evidence`) for an incremental pool run, counted in a child process while the caller
starts the workers.

An incremental pool run submits its workers' first round (clean + NER of the new articles) before it
decodes the stored analyses (see :class:`.pool.HeadStart`); that round needs the evidence of the new
articles' sources, counted over their stored articles (~0.6 s at 10k articles). Counted here, it
delayed both the round and the load; a child forked first (:func:`counting_ahead`) reads the store with
its own connection and counts it while the caller imports the per-article stages (spaCy, a core left
idle otherwise) and starts the workers. The caller takes that count only for exactly the articles it
will analyse.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from ..model import Article
from ..processes import can_fork
from ..store import Store
from .incremental import context_for_sources


@dataclass(frozen=True)
class Evidence:
    """:func:`batch_evidence` of ``article_ids`` (in order), counted with the context ``context_ids``."""

    article_ids: tuple[str, ...]
    context_ids: frozenset[str]
    repeated: dict[str, frozenset[str]]


def evidence_of(articles: Sequence[Article], context: Sequence[Article]) -> Evidence:
    """The evidence of ``articles`` with ``context`` (the stored articles of their sources, as read)."""
    from .split import batch_evidence  # (with the stages it splits: imported where a run needs them)

    context_ids = frozenset(a.id for a in context_for_sources(context, articles))
    return Evidence(tuple(a.id for a in articles), context_ids, batch_evidence(articles, context))


def stored_evidence(store: Store, analysis_version: int) -> Evidence:
    """The evidence of the store's articles not analysed by ``analysis_version``, counted with the
    stored analysed articles of their sources (what an incremental run's first round needs)."""
    todo = store.unanalysed_articles(analysis_version)
    context = store.analysed_articles_as_read(analysis_version, {a.source for a in todo if a.source})
    return evidence_of(todo, context)


class CountAhead:
    """:func:`stored_evidence` of the store file at ``path``, counted in a forked child (see the module
    doc); :meth:`take` it, or :meth:`close` to drop it."""

    def __init__(self, path: str, analysis_version: int) -> None:
        fork = multiprocessing.get_context("fork")
        self._recv, send = fork.Pipe(duplex=False)
        self._child = fork.Process(target=_count, args=(send, path, analysis_version), daemon=True)
        self._child.start()
        send.close()

    def take(self, articles: Sequence[Article]) -> Evidence | None:
        """The count, if it is for exactly ``articles`` (ids, order); None if not, or if it failed."""
        try:
            counted = self._recv.recv()
        except (EOFError, OSError):
            counted = None
        self.close()
        if counted is None or counted.article_ids != tuple(a.id for a in articles):
            return None
        return counted

    def close(self) -> None:
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()
        self._recv.close()


def _count(send, path: str, analysis_version: int) -> None:
    try:
        with Store(path) as store:  # its own connection: a connection must not cross a fork
            counted = stored_evidence(store, analysis_version)
    except Exception:  # noqa: BLE001 - the caller counts it itself, and meets the error there
        counted = None
    send.send(counted)
    send.close()


@contextmanager
def counting_ahead(store: Store, analysis_version: int, wanted: bool) -> Iterator[CountAhead | None]:
    """A :class:`CountAhead` of ``store`` started now when ``wanted``, closed at exit; None when not
    wanted, when the store is in memory, or when this process must not fork."""
    ahead = None
    if wanted and store.path != ":memory:" and can_fork():
        ahead = CountAhead(store.path, analysis_version)
    try:
        yield ahead
    finally:
        if ahead is not None:
            ahead.close()
