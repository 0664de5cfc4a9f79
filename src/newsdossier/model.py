"""The data passed between stages: plain dataclasses, nothing else.

An :class:`Article` owns its text. Every annotation is a half-open character span
``[start, end)`` into ``Article.text`` (as a spaCy ``Span`` is into its ``Doc``), so a
highlight or a citation always points at the exact characters it was derived from.
Stages never mutate an article; they return a new one with ``dataclasses.replace``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
import re
import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass
from collections.abc import Callable
from typing import Any, Literal, TypeVar

SegmentKind = Literal["reporting", "opinion", "reproduced", "reader_comment", "boilerplate"]
SEGMENT_KINDS: tuple[str, ...] = ("reporting", "opinion", "reproduced", "reader_comment", "boilerplate")
EntityType = Literal["PERSON", "ORG", "PLACE", "OTHER"]
DateBasis = Literal["metadata", "text", "inferred", "unknown"]
Stance = Literal["agree", "disagree", "discuss", "unrelated"]
Relation = Literal["recurrence", "follow_up", "background"]
ClaimStatus = Literal["corroborated", "single_source", "contested"]

T = TypeVar("T")


def utc_now() -> str:
    """The current time as ISO-8601 UTC, to the second (``2026-01-31T12:00:00Z``)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def normalise_text(text: str) -> str:
    """The form an article's identity is computed on: NFC, whitespace runs folded, stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of SHA-256 over its normalised text.

    Re-reading the same content (from another path, format or run) gives the same id, so
    storing it again is a no-op.
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into one article's text."""

    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Segment:
    kind: str  # one of SEGMENT_KINDS
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EntityMention:
    start: int
    end: int
    type: str  # PERSON | ORG | PLACE | OTHER
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    value: str  # ISO date or partial: 2016-03-14, 2015-09, 2016-W11, 2015


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    value: float | tuple[float, float]  # a number, or a (low, high) range
    unit: str | None = None
    counts: str | None = None  # lemma of the counted noun: troops, sorties


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    direct: bool
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reuse:
    article_id: str
    chars: int


@dataclass(frozen=True, slots=True)
class Published:
    date: str | None = None  # YYYY-MM-DD
    basis: str = "unknown"  # metadata | text | inferred | unknown


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its text, its metadata, and the annotations stages add to it."""

    id: str
    input: str  # where it came from: a path, path#LINE, archive.zip!member, or "-"
    text: str
    external_id: str | None = None
    source: str | None = None  # outlet / site name
    url: str | None = None
    title: str | None = None
    published: Published = field(default_factory=Published)
    language: str = "en"
    # Filled by later stages (empty until the stage has run).
    segments: tuple[Segment, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    story_id: str | None = None
    duplicate_of: str | None = None
    reuse: tuple[Reuse, ...] = ()
    stance: str | None = None
    opinion_share: float = 0.0
    # Clean's P(opinion) of each sentence it scored, by position in ``sentences`` (None: not scored);
    # internal like ``sentences``: compare reads it instead of scoring the sentences again.
    sentence_opinion: tuple[float | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be read, and why (in words a user can act on)."""

    input: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cite:
    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    article_id: str
    start: int
    end: int
    agrees: bool = True


@dataclass(frozen=True, slots=True)
class QuantityValue:
    article_id: str
    start: int
    end: int
    value: float | tuple[float, float]
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class QuantityGroup:
    counts: str | None
    conflict: bool
    values: tuple[QuantityValue, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    status: str  # corroborated | single_source | contested
    independent_sources: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    speaker: str
    entity_id: str | None
    variants: tuple[Cite, ...]


@dataclass(frozen=True, slots=True)
class StoryEntity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CitedText:
    text: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: str
    text: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True, slots=True)
class RelatedStory:
    story_id: str
    relation: str  # recurrence | follow_up | background


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    headline: str
    article_ids: tuple[str, ...]
    event_date: str | None = None
    sources: int = 0
    independent_sources: int = 0
    why: tuple[str, ...] = ()
    related: tuple[RelatedStory, ...] = ()
    summary: tuple[CitedText, ...] = ()
    claims: tuple[Claim, ...] = ()
    quantities: tuple[QuantityGroup, ...] = ()
    statements: tuple[Statement, ...] = ()
    entities: tuple[StoryEntity, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Dossier:
    """The result of an analysis: every article, the stories they form, and what was rejected."""

    articles: tuple[Article, ...]
    stories: tuple[Story, ...]
    rejected: tuple[Rejected, ...] = ()
    generated_at: str = field(default_factory=utc_now)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


# Character offsets repeat across a corpus (many articles have a sentence ending at 112); unpickled or
# read from JSON, each would be an int object of its own (28 bytes; a span holds two to four). Offsets
# below 2**16 share one object each instead: about a quarter of an analysed article's memory.
_SHARED_BELOW = 1 << 16
SHARED_INTS: tuple[int, ...] = tuple(range(_SHARED_BELOW))


def shared_int(value: int) -> int:
    """``value`` itself, as the one shared int object when it is a small offset."""
    return SHARED_INTS[value] if 0 <= value < _SHARED_BELOW else value


@functools.cache
def fast_constructor(cls: type[T]) -> Callable[..., T]:
    """``cls(*values)`` with every field given, without ``__init__``: a frozen dataclass's ``__init__``
    sets each field through ``object.__setattr__``, and setting the slots directly builds the same
    object ~1.7x faster, which counts where a store's analyses are decoded (about a million spans at
    10k articles). For this module's frozen slotted dataclasses, none of which has ``__post_init__``."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    assert not hasattr(cls, "__post_init__") and getattr(cls, "__slots__", None) is not None
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    namespace.update((f"set{i}", getattr(cls, name).__set__) for i, name in enumerate(names))
    args = ", ".join(f"v{i}" for i in range(len(names)))
    sets = "".join(f"    set{i}(obj, v{i})\n" for i in range(len(names)))
    exec(f"def make({args}):\n    obj = new(cls)\n{sets}    return obj\n", namespace)  # as dataclasses does
    make = namespace["make"]
    make.__doc__ = f"{cls.__name__}({args}), built slot by slot"
    return make


def _with_shared_offsets(cls: type, values: tuple) -> object:
    table, below = SHARED_INTS, _SHARED_BELOW
    return fast_constructor(cls)(*[table[v] if v.__class__ is int and 0 <= v < below else v for v in values])


def _pickled_by_fields(cls: type) -> None:
    """Pickle instances of the dataclass ``cls`` as ``(cls, field values)``. The default for a frozen
    slotted dataclass stores a state that ``__setstate__`` restores through ``dataclasses.fields()``,
    once per object; engines ship every annotation of every article between processes, and this
    form loads and dumps about twice as fast (same objects back). Spans (classes with a ``start``)
    come back with their offsets shared (see :data:`SHARED_INTS`)."""
    names = tuple(f.name for f in fields(cls))
    values = operator.attrgetter(*names)
    if "start" in names:
        cls.__reduce__ = lambda self: (_with_shared_offsets, (cls, values(self)))
    elif len(names) == 1:
        cls.__reduce__ = lambda self: (cls, (values(self),))
    else:
        cls.__reduce__ = lambda self: (cls, values(self))


for _cls in [c for c in list(globals().values()) if isinstance(c, type) and is_dataclass(c)]:
    _pickled_by_fields(_cls)
del _cls
