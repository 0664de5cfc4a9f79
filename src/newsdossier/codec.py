"""Dataclasses <-> plain JSON-able dicts in the ``newsdossier/1`` layout.

Used by the store (to keep analysed articles and stories) and by the JSON writer, so the
format on disk and the format in the store cannot drift apart.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import orjson

from .model import (
    Article,
    CitedText,
    Cite,
    Claim,
    Dossier,
    EntityMention,
    Evidence,
    Published,
    QuantityGroup,
    QuantityValue,
    Quantity,
    Quote,
    RelatedStory,
    Rejected,
    Reuse,
    Segment,
    Sentence,
    Statement,
    Story,
    StoryEntity,
    TimeMention,
    TimelineEntry,
    fast_constructor,
    shared_int,
)

FORMAT = "newsdossier/1"


def loads_json(doc: str | bytes) -> Any:
    """JSON written by ``json.dumps``, read with orjson (several times faster); a non-finite number
    ``json`` may have written (NaN, Infinity), which orjson refuses, is read by ``json``."""
    try:
        return orjson.loads(doc)
    except orjson.JSONDecodeError:
        return json.loads(doc)


def _value_out(v: float | tuple[float, float]) -> float | int | list[float | int | None]:
    """A number, or ``[low, high]``; an open upper bound ("more than 9,000") is written as null."""
    if isinstance(v, tuple):
        return [_num(v[0]), None if math.isinf(v[1]) else _num(v[1])]
    return _num(v)


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else float(x)


def _value_in(v: Any) -> float | tuple[float, float]:
    if isinstance(v, list):
        return (float(v[0]), math.inf if v[1] is None else float(v[1]))
    return float(v)


def _cite(c: Cite) -> dict[str, Any]:
    return {"article_id": c.article_id, "start": c.start, "end": c.end}


def _cite_in(d: dict[str, Any]) -> Cite:
    return _cite_of(d["article_id"], d["start"], d["end"])


def article_to_dict(a: Article, sentences: bool = True) -> dict[str, Any]:
    """``sentences=False`` leaves out the internal sentence layers, the sentences and their P(opinion)
    (not part of ``dossier.json``)."""
    d = {
        "id": a.id,
        "input": a.input,
        "external_id": a.external_id,
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "published": {"date": a.published.date, "basis": a.published.basis},
        "language": a.language,
        "text": a.text,
        "segments": [{"kind": s.kind, "start": s.start, "end": s.end} for s in a.segments],
        "sentences": [{"start": s.start, "end": s.end} for s in a.sentences] if sentences else None,
        "entities": [
            {"start": e.start, "end": e.end, "type": e.type, "entity_id": e.entity_id} for e in a.entities
        ],
        "times": [{"start": t.start, "end": t.end, "value": t.value} for t in a.times],
        "quantities": [
            {"start": q.start, "end": q.end, "value": _value_out(q.value), "unit": q.unit, "counts": q.counts}
            for q in a.quantities
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "speaker": q.speaker,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "entity_id": q.entity_id,
                "direct": q.direct,
            }
            for q in a.quotes
        ],
        "story_id": a.story_id,
        "duplicate_of": a.duplicate_of,
        "reuse": [{"article_id": r.article_id, "chars": r.chars} for r in a.reuse],
        "stance": a.stance,
        "opinion_share": round(a.opinion_share, 4),
        "sentence_opinion": list(a.sentence_opinion),
    }
    if not sentences:
        del d["sentences"], d["sentence_opinion"]
    return d


# Labels and ids repeat across a store's articles (every mention of one entity has its id); read back
# from JSON each would be a string object of its own: one shared copy keeps a loaded store ~20% smaller.
# Offsets likewise (see model.SHARED_INTS).
_same = sys.intern
_at = shared_int
# the spans and cites a store holds by the hundred thousand, built slot by slot (see fast_constructor)
_segment, _sentence, _mention = fast_constructor(Segment), fast_constructor(Sentence), fast_constructor(EntityMention)
_time, _quantity, _quote = fast_constructor(TimeMention), fast_constructor(Quantity), fast_constructor(Quote)
_cite_of, _evidence, _value = fast_constructor(Cite), fast_constructor(Evidence), fast_constructor(QuantityValue)


def _same_or_none(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


def article_from_dict(d: dict[str, Any]) -> Article:
    pub = d.get("published") or {}
    return Article(
        id=d["id"],
        input=d["input"],
        text=d["text"],
        external_id=d.get("external_id"),
        source=d.get("source"),
        url=d.get("url"),
        title=d.get("title"),
        published=Published(pub.get("date"), pub.get("basis", "unknown")),
        language=d.get("language", "en"),
        segments=tuple(
            _segment(_same(s["kind"]), _at(s["start"]), _at(s["end"])) for s in d.get("segments", [])
        ),
        sentences=tuple(_sentence(_at(s["start"]), _at(s["end"])) for s in d.get("sentences", [])),
        entities=tuple(
            _mention(_at(e["start"]), _at(e["end"]), _same(e["type"]), _same_or_none(e.get("entity_id")))
            for e in d.get("entities", [])
        ),
        times=tuple(_time(_at(t["start"]), _at(t["end"]), t["value"]) for t in d.get("times", [])),
        quantities=tuple(
            _quantity(_at(q["start"]), _at(q["end"]), _value_in(q["value"]), _same_or_none(q.get("unit")),
                      _same_or_none(q.get("counts")))
            for q in d.get("quantities", [])
        ),
        quotes=tuple(
            _quote(
                _at(q["start"]),
                _at(q["end"]),
                q["direct"],
                q.get("speaker"),
                q.get("speaker_start"),
                q.get("speaker_end"),
                q.get("entity_id"),
            )
            for q in d.get("quotes", [])
        ),
        story_id=d.get("story_id"),
        duplicate_of=d.get("duplicate_of"),
        reuse=tuple(Reuse(r["article_id"], r["chars"]) for r in d.get("reuse", [])),
        stance=d.get("stance"),
        opinion_share=float(d.get("opinion_share", 0.0)),
        sentence_opinion=tuple(d.get("sentence_opinion", ())),
    )


def story_to_dict(s: Story) -> dict[str, Any]:
    return {
        "id": s.id,
        "headline": s.headline,
        "event_date": s.event_date,
        "article_ids": list(s.article_ids),
        "sources": s.sources,
        "independent_sources": s.independent_sources,
        "why": list(s.why),
        "related": [{"story_id": r.story_id, "relation": r.relation} for r in s.related],
        "summary": [{"text": c.text, "cites": [_cite(x) for x in c.cites]} for c in s.summary],
        "claims": [
            {
                "text": c.text,
                "status": c.status,
                "independent_sources": c.independent_sources,
                "evidence": [
                    {"article_id": e.article_id, "start": e.start, "end": e.end, "agrees": e.agrees}
                    for e in c.evidence
                ],
            }
            for c in s.claims
        ],
        "quantities": [
            {
                "counts": g.counts,
                "conflict": g.conflict,
                "values": [
                    {
                        "article_id": v.article_id,
                        "start": v.start,
                        "end": v.end,
                        "value": _value_out(v.value),
                        "unit": v.unit,
                    }
                    for v in g.values
                ],
            }
            for g in s.quantities
        ],
        "statements": [
            {"speaker": st.speaker, "entity_id": st.entity_id, "variants": [_cite(c) for c in st.variants]}
            for st in s.statements
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "article_ids": list(e.article_ids),
            }
            for e in s.entities
        ],
        "timeline": [
            {"date": t.date, "text": t.text, "cites": [_cite(c) for c in t.cites]} for t in s.timeline
        ],
    }


def story_from_dict(d: dict[str, Any]) -> Story:
    return Story(
        id=d["id"],
        headline=d["headline"],
        article_ids=tuple(d["article_ids"]),
        event_date=d.get("event_date"),
        sources=d.get("sources", 0),
        independent_sources=d.get("independent_sources", 0),
        why=tuple(d.get("why", [])),
        related=tuple(RelatedStory(r["story_id"], r["relation"]) for r in d.get("related", [])),
        summary=tuple(CitedText(c["text"], tuple(_cite_in(x) for x in c["cites"])) for c in d.get("summary", [])),
        claims=tuple(
            Claim(
                c["text"],
                c["status"],
                c["independent_sources"],
                tuple(_evidence(e["article_id"], e["start"], e["end"], e["agrees"]) for e in c["evidence"]),
            )
            for c in d.get("claims", [])
        ),
        quantities=tuple(
            QuantityGroup(
                g["counts"],
                g["conflict"],
                tuple(
                    _value(v["article_id"], v["start"], v["end"], _value_in(v["value"]), v.get("unit"))
                    for v in g["values"]
                ),
            )
            for g in d.get("quantities", [])
        ),
        statements=tuple(
            Statement(st["speaker"], st.get("entity_id"), tuple(_cite_in(c) for c in st["variants"]))
            for st in d.get("statements", [])
        ),
        entities=tuple(
            StoryEntity(e["id"], e["name"], e["type"], tuple(e["aliases"]), tuple(e["article_ids"]))
            for e in d.get("entities", [])
        ),
        timeline=tuple(
            TimelineEntry(t["date"], t["text"], tuple(_cite_in(c) for c in t["cites"])) for t in d.get("timeline", [])
        ),
    )


def dossier_article_to_dict(a: Article) -> dict[str, Any]:
    """An article as ``dossier.json`` has it: ``sentences`` is an internal layer and is not written."""
    return article_to_dict(a, sentences=False)


def dossier_to_dict(d: Dossier) -> dict[str, Any]:
    """The ``newsdossier/1`` document."""
    return {
        "format": FORMAT,
        "generated_at": d.generated_at,
        "articles": [dossier_article_to_dict(a) for a in d.articles],
        "stories": [story_to_dict(s) for s in d.stories],
        "rejected": [{"input": r.input, "reason": r.reason} for r in d.rejected],
    }


def dossier_from_dict(d: dict[str, Any]) -> Dossier:
    return Dossier(
        articles=tuple(article_from_dict(a) for a in d["articles"]),
        stories=tuple(story_from_dict(s) for s in d["stories"]),
        rejected=tuple(Rejected(r["input"], r["reason"]) for r in d.get("rejected", [])),
        generated_at=d.get("generated_at", ""),
    )
