"""What linking keeps per article between runs, so an incremental add only computes the new articles.

A :class:`LinkRecord` holds an article's view (term counts, names, dates; see :mod:`.features`), the
candidate pairs it brought in (its nearest articles among those linked before or with it, with their
first-order cosines), the similarity floor of its own candidate list, and its duplicate and reuse
links. Records are bytes in the store (:meth:`LinkRecord.to_bytes`; no pickle: a store file may come
from elsewhere) and are tagged with :data:`RECORD_VERSION`: a record of another version is ignored
and the article is linked afresh.

:class:`StoredStories` is how the stories already in the store reach :func:`newsdossier.link.link_articles`
together with the records of their articles; link puts in its ``fresh`` mapping (or writer) the records
to store (new articles, and older ones whose duplicate or reuse links changed).
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..codec import loads_json
from ..model import Story
from .features import ArticleView
from .terms import TermCounts, bag_terms

RECORD_VERSION = 1
_SIZES = "<7I"  # byte lengths of: JSON head, body, title and numbers counts, pair cosines, name counts, shingles


def _shingle_bytes(shingles: np.ndarray | None) -> bytes:
    if shingles is None:
        return b""
    return (np.asarray(shingles, dtype=np.uint64) & np.uint64(0xFFFFFFFF)).astype("<u4").tobytes()


@dataclass(frozen=True, slots=True)
class ReuseRecord:
    """This article reproduces ``chars`` characters of ``earlier`` at ``passages`` (spans in this article)."""

    earlier: str
    chars: int
    passages: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class LinkRecord:
    view: ArticleView
    pair_ids: tuple[str, ...] = ()  # candidate partners this article brought in
    pair_cosines: np.ndarray | None = None  # (len(pair_ids), 4) first-order cosines, FIRST_ORDER order
    floor: float = 0.0  # the weakest similarity in this article's own candidate list (-1: list not full)
    duplicate_of: str | None = None
    reuse: tuple[ReuseRecord, ...] = ()
    shingles: np.ndarray | None = None  # reuse shingles in text order, low 32 bits (see .reuse)

    @property
    def id(self) -> str:
        return self.view.id

    def to_bytes(self) -> bytes:
        v = self.view
        head = {
            "v": RECORD_VERSION,
            "id": v.id,
            "names": list(v.names),
            "date": v.date.isoformat() if v.date else None,
            "not_before": v.not_before.isoformat() if v.not_before else None,
            "recurrence": [list(p) for p in v.recurrence],
            "anchored": v.anchored,
            "pairs": list(self.pair_ids),
            "floor": self.floor,
            "duplicate_of": self.duplicate_of,
            "reuse": [[r.earlier, r.chars, [list(p) for p in r.passages]] for r in self.reuse],
        }
        cos = (self.pair_cosines if self.pair_cosines is not None else np.zeros((0, 4))).astype("<f4").tobytes()
        names = v.name_counts if v.name_counts is not None else bag_terms(v.names)
        parts = [json.dumps(head, ensure_ascii=False).encode("utf-8"), v.body.to_bytes(), v.title.to_bytes(),
                 v.numbers.to_bytes(), cos, names.to_bytes(), _shingle_bytes(self.shingles)]
        return struct.pack(_SIZES, *(len(p) for p in parts)) + b"".join(parts)

    @classmethod
    def from_bytes(cls, blob: bytes) -> LinkRecord | None:
        """The record, or None when it was written by another record version (or is unreadable)."""
        try:
            return cls._decode(blob)
        except (struct.error, ValueError, KeyError, TypeError):
            return None

    @classmethod
    def _decode(cls, blob: bytes) -> LinkRecord | None:
        sizes = struct.unpack_from(_SIZES, blob)
        at = struct.calcsize(_SIZES)
        parts = []
        for size in sizes:
            parts.append(blob[at : at + size])
            at += size
        head = loads_json(parts[0])
        if head.get("v") != RECORD_VERSION:
            return None
        day = dt.date.fromisoformat
        view = ArticleView(
            id=head["id"],
            body=TermCounts.from_bytes(parts[1]),
            title=TermCounts.from_bytes(parts[2]),
            names=tuple(head["names"]),
            numbers=TermCounts.from_bytes(parts[3]),
            date=day(head["date"]) if head["date"] else None,
            not_before=day(head["not_before"]) if head["not_before"] else None,
            recurrence=tuple(tuple(p) for p in head["recurrence"]),
            anchored=head["anchored"],
            name_counts=TermCounts.from_bytes(parts[5]),
        )
        cos = np.frombuffer(parts[4], dtype="<f4").astype(np.float32).reshape(-1, 4)
        reuse = tuple(ReuseRecord(e, c, tuple(tuple(p) for p in ps)) for e, c, ps in head["reuse"])
        shingles = np.frombuffer(parts[6], dtype="<u4").astype(np.uint64)
        return cls(view, tuple(head["pairs"]), cos, float(head["floor"]), head["duplicate_of"], reuse, shingles)


class RecordSink(Protocol):
    """Takes the link records to store as (article id, record) pairs, as a dict's ``update`` does."""

    def update(self, pairs: Iterable[tuple[str, LinkRecord]], /) -> None: ...


class StoredStories(tuple):
    """The stories already in the store (a tuple of :class:`Story`), with their articles' link records.

    ``records``: article id -> :class:`LinkRecord` as stored. ``fresh``: where linking puts the records
    the caller should store (see the module doc): an empty dict by default, or anything with a dict's
    ``update`` taking (id, record) pairs, such as a writer that stores each at once (at 100k articles
    the records are ~0.7 GB, and the views and shingles in them would otherwise outlive linking).
    """

    records: Mapping[str, LinkRecord]
    fresh: MutableMapping[str, LinkRecord] | RecordSink

    def __new__(cls, stories: Iterable[Story] = (), records: Mapping[str, LinkRecord] | None = None,
                fresh: RecordSink | None = None) -> StoredStories:
        self = super().__new__(cls, stories)
        self.records = dict(records or {})
        self.fresh = {} if fresh is None else fresh
        return self

    def __reduce__(self):  # keep records when an engine ships this to another process
        return (StoredStories, (tuple(self), self.records))
