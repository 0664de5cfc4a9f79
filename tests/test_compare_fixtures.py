"""Fixture builder for the compare tests (no tests here).

All text is fictional and written for this project. Offsets are never typed by hand: an article is
composed from (segment kind, text) parts and every annotation span is found with ``str.find`` /
``re.finditer``, as the annotators would give it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdossier.clean.sentences import split_sentences
from newsdossier.model import (
    Article,
    EntityMention,
    Published,
    Quantity,
    Quote,
    Reuse,
    Segment,
    Story,
    TimeMention,
)

# surface -> (entity id, type); every occurrence of the surface in the text is annotated
Gazetteer = dict[str, tuple[str, str]]


def make_article(
    aid: str,
    parts: Sequence[tuple[str, str]],
    *,
    source: str | None = None,
    url: str | None = None,
    published: str | None = None,
    gazetteer: Gazetteer | None = None,
    quantities: Sequence[tuple[str, float | tuple[float, float], str | None, str | None]] = (),
    quotes: Sequence[tuple[str, str | None, str | None]] = (),
    times: Sequence[tuple[str, str]] = (),
    reuse: Sequence[str] = (),
    sentences: bool = True,
) -> Article:
    """``quantities``: (surface of the number, value, counts, unit); ``quotes``: (quoted text, speaker,
    entity id); ``times``: (surface, ISO value). Each surface's first occurrence is used."""
    text, segments = "", []
    for kind, body in parts:
        if text:
            text += "\n\n"
        segments.append(Segment(kind, len(text), len(text) + len(body)))
        text += body
    # segments must partition the text: give the blank separators to the preceding segment
    segments = [
        Segment(s.kind, s.start, segments[k + 1].start if k + 1 < len(segments) else len(text))
        for k, s in enumerate(segments)
    ]
    ents = []
    for surface, (eid, etype) in (gazetteer or {}).items():
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if not any(e.start <= m.start() < e.end for e in ents):
                ents.append(EntityMention(m.start(), m.end(), etype, eid))
    qs = []
    for surface, value, counts, unit in quantities:
        i = _find(text, surface)
        qs.append(Quantity(i, i + len(surface), value, unit, counts))
    qts = []
    for quoted, speaker, eid in quotes:
        i = _find(text, quoted)
        qts.append(Quote(i, i + len(quoted), True, speaker, None, None, eid))
    tms = []
    for surface, value in times:
        i = _find(text, surface)
        tms.append(TimeMention(i, i + len(surface), value))
    return Article(
        id=aid,
        input=f"{aid}.txt",
        text=text,
        source=source,
        url=url,
        published=Published(published, "metadata" if published else "unknown"),
        segments=tuple(segments),
        sentences=tuple(split_sentences(text)) if sentences else (),
        entities=tuple(sorted(ents, key=lambda e: e.start)),
        quantities=tuple(qs),
        quotes=tuple(qts),
        times=tuple(tms),
        reuse=tuple(Reuse(r, 500) for r in reuse),
    )


def _find(text: str, surface: str) -> int:
    i = text.find(surface)
    assert i >= 0, f"fixture surface not in text: {surface!r}"
    return i


def make_story(articles: Sequence[Article], headline: str = "Flooding on the Tessel") -> Story:
    return Story(id="s_test", headline=headline, article_ids=tuple(a.id for a in articles))


GAZ: Gazetteer = {
    "Marrowick": ("e_marrowick", "PLACE"),
    "Lostrava": ("e_lostrava", "PLACE"),
    "Brennholm": ("e_brennholm", "PLACE"),
    "Korsund": ("e_korsund", "PLACE"),
    "Tessel": ("e_tessel", "PLACE"),
    "Ilse Brandvik": ("e_brandvik", "PERSON"),
    "Brandvik": ("e_brandvik", "PERSON"),
    "Tomas Verlund": ("e_verlund", "PERSON"),
    "Verlund": ("e_verlund", "PERSON"),
    "Regional Water Board": ("e_board", "ORG"),
}

WIRE_LEAD = (
    "LOSTRAVA, May 3 (Harbor Wire) - Flooding on the Tessel river forced the evacuation of 4,000 residents "
    "of Marrowick on Tuesday, regional governor Ilse Brandvik said."
)
WIRE_DAM = "Brandvik said the dam at Korsund held overnight and the water level in the reservoir had begun to fall."
WIRE_RAIL = "The railway line between Marrowick and Lostrava will remain closed until Friday, the Regional Water Board said."
WIRE = f"{WIRE_LEAD} {WIRE_DAM} {WIRE_RAIL}"

INDEPENDENT_DAM = (
    "The Korsund dam held through the night and the water level in the reservoir has started to fall, "
    "governor Ilse Brandvik told the Ledger."
)
INDEPENDENT = (
    "Schools in Marrowick stayed shut on Wednesday after the Tessel burst its banks. " + INDEPENDENT_DAM
)


def wire_story(with_independent: bool = True) -> list[Article]:
    """A wire report, two copies linked by reuse (one transitively), and optionally an independent
    report that states the dam fact in its own words."""
    wire = make_article("wire", [("reporting", WIRE)], source="Harbor Wire", gazetteer=GAZ, published="2024-05-03")
    copy1 = make_article(
        "copy1",
        [("opinion", "What a week for the valley. Somebody should finally fix these dams."), ("reproduced", WIRE)],
        source="Valley Echo",
        gazetteer=GAZ,
        reuse=["wire"],
        published="2024-05-03",
    )
    copy2 = make_article(
        "copy2",
        [("reproduced", WIRE), ("reader_comment", "Brandvik said nothing about the dam at Korsund, typical.")],
        source="Riverside Blog",
        gazetteer=GAZ,
        reuse=["copy1"],
        published="2024-05-04",
    )
    arts = [wire, copy1, copy2]
    if with_independent:
        arts.append(
            make_article(
                "ledger", [("reporting", INDEPENDENT)], source="The Ledger", gazetteer=GAZ, published="2024-05-04"
            )
        )
    return arts
