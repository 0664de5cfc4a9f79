"""Entities: the story's merged entities (by entity id) with their display name, aliases and articles."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

from ..model import Article, StoryEntity
from .text import fold, segment_kind_at

_SKIP_KINDS = frozenset({"boilerplate", "reader_comment"})
_TITLE = re.compile(
    r"^(?:(?:the|mr\.?|ms\.?|mrs\.?|dr\.?|sir|president|prime minister|minister|chief executive|chairman|"
    r"general|gen\.?|secretary|professor|prof\.?)\s+)+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")


def clean_name(surface: str) -> str:
    """A mention as a name: whitespace folded, leading titles and a possessive stripped."""
    name = " ".join(surface.split())
    name = _POSSESSIVE.sub("", name)
    stripped = _TITLE.sub("", name)
    return stripped or name


def _fallback_id(surface: str) -> str:
    return "n_" + hashlib.sha256(fold(clean_name(surface)).encode("utf-8")).hexdigest()[:12]


def story_entities(articles: Sequence[Article]) -> tuple[StoryEntity, ...]:
    names: dict[str, Counter[str]] = {}
    types: dict[str, Counter[str]] = {}
    seen_in: dict[str, list[str]] = {}
    for a in articles:
        for m in sorted(a.entities, key=lambda x: x.start):
            if not (0 <= m.start < m.end <= len(a.text)) or segment_kind_at(a, m.start, m.end) in _SKIP_KINDS:
                continue
            surface = clean_name(a.text[m.start : m.end])
            if not surface:
                continue
            eid = m.entity_id or _fallback_id(surface)
            names.setdefault(eid, Counter())[surface] += 1
            types.setdefault(eid, Counter())[m.type] += 1
            ids = seen_in.setdefault(eid, [])
            if a.id not in ids:
                ids.append(a.id)
    out = []
    for eid, counter in names.items():
        # The fullest name: most words, then most often written, then longest.
        name = max(counter, key=lambda n: (len(n.split()), counter[n], len(n), n))
        aliases, seen = [], {fold(name)}
        for alias in sorted(counter, key=lambda n: (-counter[n], n)):
            if fold(alias) not in seen:
                seen.add(fold(alias))
                aliases.append(alias)
        etype = types[eid].most_common(1)[0][0]
        out.append(StoryEntity(eid, name, etype, tuple(aliases), tuple(seen_in[eid])))
    out.sort(key=lambda e: (-len(e.article_ids), e.name))
    return tuple(out)
