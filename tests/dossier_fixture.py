"""A rich synthetic Dossier with every field filled, for tests of any stage that reads one.

All text here is fictional and written for this project. Offsets are never typed by hand: each
article is composed from (segment kind, text) parts, and every span is found with ``str.find``,
so the fixture stays correct when a sentence is edited.

    from dossier_fixture import make_dossier, make_hostile_dossier
"""

from __future__ import annotations

from dataclasses import replace

from newsdossier.model import (
    Article,
    Cite,
    CitedText,
    Claim,
    Dossier,
    EntityMention,
    Evidence,
    Published,
    Quantity,
    QuantityGroup,
    QuantityValue,
    Quote,
    Rejected,
    RelatedStory,
    Reuse,
    Segment,
    Sentence,
    Statement,
    Story,
    StoryEntity,
    TimelineEntry,
    TimeMention,
    article_id,
)

GENERATED_AT = "2025-06-01T12:00:00Z"


def compose(parts: list[tuple[str, str]]) -> tuple[str, tuple[Segment, ...]]:
    """Join (kind, text) parts into one text whose segments partition it."""
    text, segments, pos = "", [], 0
    for kind, chunk in parts:
        segments.append(Segment(kind, pos, pos + len(chunk)))
        text += chunk
        pos += len(chunk)
    return text, tuple(segments)


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """[start, end) of the nth occurrence of needle in text; fails loudly if absent."""
    start = -1
    for _ in range(nth + 1):
        start = text.find(needle, start + 1)
        if start < 0:
            raise ValueError(f"{needle!r} not in fixture text")
    return start, start + len(needle)


def _sentences(text: str) -> tuple[Sentence, ...]:
    # Crude on purpose: the fixture needs some sentences, not a good splitter.
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ".!?\n" and (i + 1 == len(text) or text[i + 1] in " \n"):
            if text[start : i + 1].strip():
                lead = len(text[start : i + 1]) - len(text[start : i + 1].lstrip())
                out.append(Sentence(start + lead, i + 1))
            start = i + 1
    return tuple(out)


def _article(parts: list[tuple[str, str]], **meta) -> Article:
    text, segments = compose(parts)
    return Article(id=article_id(text), text=text, segments=segments, sentences=_sentences(text), **meta)


def _cite(a: Article, needle: str, nth: int = 0) -> Cite:
    s, e = find(a.text, needle, nth)
    return Cite(a.id, s, e)


def _ev(a: Article, needle: str, agrees: bool = True) -> Evidence:
    s, e = find(a.text, needle)
    return Evidence(a.id, s, e, agrees)


def _qv(a: Article, needle: str, value, unit: str | None = None) -> QuantityValue:
    s, e = find(a.text, needle)
    return QuantityValue(a.id, s, e, value, unit)


def _ent(a: Article, needle: str, type_: str, entity_id: str, nth: int = 0) -> EntityMention:
    s, e = find(a.text, needle, nth)
    return EntityMention(s, e, type_, entity_id)


def _time(a: Article, needle: str, value: str) -> TimeMention:
    s, e = find(a.text, needle)
    return TimeMention(s, e, value)


def _qty(a: Article, needle: str, value, unit=None, counts=None) -> Quantity:
    s, e = find(a.text, needle)
    return Quantity(s, e, value, unit, counts)


def _quote(a: Article, needle: str, direct: bool, speaker: str | None, entity_id: str | None) -> Quote:
    s, e = find(a.text, needle)
    ss = se = None
    if speaker is not None:
        ss, se = find(a.text, speaker)
    return Quote(s, e, direct, speaker, ss, se, entity_id)


WIRE_REPORT = (
    "The ferry Aurora Kestrel caught fire on Tuesday off the coast of Vellmar, the coast guard said. "
    "All 212 passengers were evacuated to lifeboats and between 30 and 40 crew stayed aboard.\n\n"
    'Captain Ilse Brandt said: "The fire started in the engine room and was contained within an hour." '
    "The operator, Kestrel Line, suspended the Vellmar–Tosk crossing until further notice.\n\n"
)


def _story_a_articles() -> list[Article]:
    wire = _article(
        [("reporting", WIRE_REPORT), ("boilerplate", "© 2024 Norland Press Agency. All rights reserved.")],
        input="corpus/npa/kestrel-fire.html",
        external_id="npa-2024-0514-017",
        source="Norland Press Agency",
        url="https://npa.example/2024/05/14/kestrel-fire",
        title="Ferry Aurora Kestrel catches fire off Vellmar",
        published=Published("2024-05-14", "metadata"),
    )
    repost = _article(
        [
            ("opinion", "Another week, another ferry scare. Here is the wire report:\n\n"),
            ("reproduced", WIRE_REPORT.split("\n\n")[0] + "\n\n"),
            ("opinion", "Kestrel Line has ignored safety warnings for years, and regulators must act.\n\n"),
            (
                "reader_comment",
                "Comments\nSeaDog77: I sailed on that ferry last summer, it smelled of diesel.\n\n",
            ),
            ("boilerplate", "Subscribe to our newsletter. Cookie settings."),
        ],
        input="corpus/feeds.jsonl#3",
        external_id="hd-88121",
        source="Harbour Daily",
        url="https://harbourdaily.example/opinion/ferry-scare",
        title="Another ferry scare — when will regulators act?",
        published=Published("2024-05-15", "text"),
    )
    independent = _article(
        [
            (
                "reporting",
                (
                    "Fire broke out aboard the Aurora Kestrel on 14 May near Vellmar harbour. "
                    "The coast guard said 214 passengers were brought ashore, while the company put the "
                    "figure at around 210.\n\n"
                    "The ship's master, Ilse Brand, told reporters the blaze \"began in the engine room and was "
                    'under control within the hour". A passenger said the fire broke out in the galley. '
                    "Kestrel Line said the crossing to Tosk would stay closed for at least a week."
                ),
            )
        ],
        input="corpus/coastal-times.txt",
        external_id=None,
        source="Coastal Times",
        url="https://coastaltimes.example/news/aurora-kestrel",
        title="Aurora Kestrel blaze: crossing to Tosk closed",
        published=Published("2024-05-14", "inferred"),
        language="en",
    )
    paraphrase = _article(
        [
            (
                "reporting",
                (
                    "Brandt stated that the fire had begun in the engine compartment and had been put out "
                    "within sixty minutes. The Aurora Kestrel was towed to Vellmar on Wednesday."
                ),
            ),
            ("opinion", "\n\nOne wonders how many more warnings it will take."),
        ],
        input="archive.zip!tosk/courier-0515.txt",
        external_id="tc-0515",
        source="Tosk Courier",
        url=None,
        title=None,
        published=Published(None, "unknown"),
        language="en",
    )
    return [wire, repost, independent, paraphrase]


def _annotate_story_a(
    wire: Article, repost: Article, indep: Article, para: Article, sid: str
) -> list[Article]:
    wire = replace(
        wire,
        entities=(
            _ent(wire, "Aurora Kestrel", "OTHER", "e-ship"),
            _ent(wire, "Vellmar", "PLACE", "e-vellmar"),
            _ent(wire, "Ilse Brandt", "PERSON", "e-brandt"),
            _ent(wire, "Kestrel Line", "ORG", "e-kestrel-line"),
            _ent(wire, "Tosk", "PLACE", "e-tosk"),
        ),
        times=(_time(wire, "on Tuesday", "2024-05-14"),),
        quantities=(
            _qty(wire, "212 passengers", 212, None, "passenger"),
            _qty(wire, "between 30 and 40 crew", (30, 40), None, "crew"),
        ),
        quotes=(
            _quote(
                wire,
                '"The fire started in the engine room and was contained within an hour."',
                True,
                "Captain Ilse Brandt",
                "e-brandt",
            ),
        ),
        story_id=sid,
        stance="agree",
        opinion_share=0.0,
    )
    repost = replace(
        repost,
        entities=(
            _ent(repost, "Aurora Kestrel", "OTHER", "e-ship"),
            _ent(repost, "Kestrel Line", "ORG", "e-kestrel-line"),
        ),
        times=(_time(repost, "on Tuesday", "2024-05-14"),),
        quantities=(_qty(repost, "212 passengers", 212, None, "passenger"),),
        story_id=sid,
        reuse=(Reuse(wire.id, len(WIRE_REPORT.split("\n\n")[0])),),
        stance="discuss",
        opinion_share=0.42,
    )
    indep = replace(
        indep,
        entities=(
            _ent(indep, "Aurora Kestrel", "OTHER", "e-ship"),
            _ent(indep, "Vellmar", "PLACE", "e-vellmar"),
            _ent(indep, "Ilse Brand", "PERSON", "e-brandt"),
            _ent(indep, "Kestrel Line", "ORG", "e-kestrel-line"),
            _ent(indep, "Tosk", "PLACE", "e-tosk"),
        ),
        times=(_time(indep, "on 14 May", "2024-05-14"), _time(indep, "at least a week", "P1W")),
        quantities=(
            _qty(indep, "214 passengers", 214, None, "passenger"),
            _qty(indep, "around 210", 210, None, "passenger"),
        ),
        quotes=(
            _quote(
                indep,
                '"began in the engine room and was under control within the hour"',
                True,
                "Ilse Brand",
                "e-brandt",
            ),
        ),
        story_id=sid,
        stance="agree",
        opinion_share=0.0,
    )
    para = replace(
        para,
        entities=(_ent(para, "Brandt", "PERSON", "e-brandt"), _ent(para, "Vellmar", "PLACE", "e-vellmar")),
        times=(_time(para, "on Wednesday", "2024-05-15"),),
        quantities=(_qty(para, "sixty minutes", 60, "minute", None),),
        quotes=(
            _quote(
                para,
                "the fire had begun in the engine compartment and had been put out within sixty minutes",
                False,
                "Brandt",
                "e-brandt",
            ),
        ),
        story_id=sid,
        stance="agree",
        opinion_share=0.31,
    )
    return [wire, repost, indep, para]


def _story_b_articles(sid: str) -> list[Article]:
    first = _article(
        [
            (
                "reporting",
                (
                    "A year after the blaze on the Aurora Kestrel, a second Kestrel Line ferry, the Morning Tern, "
                    "reported smoke in its engine room on 20 May 2025. Its 96 passengers were unharmed."
                ),
            )
        ],
        input="corpus/npa/morning-tern.html",
        external_id="npa-2025-0520-004",
        source="Norland Press Agency",
        url="https://npa.example/2025/05/20/morning-tern",
        title="Smoke aboard Kestrel Line's Morning Tern",
        published=Published("2025-05-20", "metadata"),
    )
    second = _article(
        [
            (
                "reporting",
                (
                    "Smoke in the engine room of the Morning Tern forced Kestrel Line to cancel Wednesday's "
                    "sailings from Tosk. None of the 96 passengers was hurt, the operator said."
                ),
            )
        ],
        input="corpus/coastal-times-2025.txt",
        external_id=None,
        source="Coastal Times",
        url="http://coastaltimes.example/news/morning-tern",
        title="Morning Tern sailings cancelled",
        published=Published("2025-05-21", "text"),
    )
    first = replace(
        first,
        entities=(
            _ent(first, "Morning Tern", "OTHER", "e-tern"),
            _ent(first, "Kestrel Line", "ORG", "e-kestrel-line"),
        ),
        times=(_time(first, "20 May 2025", "2025-05-20"),),
        quantities=(_qty(first, "96 passengers", 96, None, "passenger"),),
        story_id=sid,
        stance="agree",
    )
    second = replace(
        second,
        entities=(_ent(second, "Morning Tern", "OTHER", "e-tern"), _ent(second, "Tosk", "PLACE", "e-tosk")),
        times=(_time(second, "Wednesday", "2025-05-21"),),
        quantities=(_qty(second, "96 passengers", 96, None, "passenger"),),
        story_id=sid,
        stance="agree",
    )
    return [first, second]


def make_dossier() -> Dossier:
    """Two look-alike stories, six articles (plus one duplicate), every field filled."""
    sid_a, sid_b = "s-kestrel-2024", "s-tern-2025"
    wire, repost, indep, para = _annotate_story_a(*_story_a_articles(), sid=sid_a)
    dup_text, dup_segments = compose(
        [("reporting", WIRE_REPORT), ("boilerplate", "Republished by Vellmar Online under licence.")]
    )
    duplicate = replace(
        wire,
        id=article_id(dup_text),
        text=dup_text,
        segments=dup_segments,
        sentences=_sentences(dup_text),
        published=Published("2024-05-14", "metadata"),
        input="corpus/vellmar-online.html",
        external_id="vo-1",
        source="Vellmar Online",
        url="https://vellmar-online.example/kestrel",
        duplicate_of=wire.id,
        reuse=(Reuse(wire.id, len(WIRE_REPORT)),),
    )
    b1, b2 = _story_b_articles(sid_b)

    # Two cites into the wire text that cross each other (neither contains the other), on purpose:
    # the renderer must still give each a single, highlightable target.
    crossing = Cite(
        wire.id, find(wire.text, "the coast guard said.")[0], find(wire.text, "212 passengers")[1]
    )
    story_a = Story(
        id=sid_a,
        headline="Ferry Aurora Kestrel catches fire off Vellmar; crossing to Tosk suspended",
        article_ids=(wire.id, repost.id, indep.id, para.id, duplicate.id),
        event_date="2024-05-14",
        sources=5,
        independent_sources=3,
        why=(
            "shared entities: Aurora Kestrel, Kestrel Line, Vellmar",
            "published within 2 days of each other",
            "Harbour Daily reproduces 147 characters of the Norland Press Agency report",
        ),
        related=(RelatedStory(sid_b, "recurrence"),),
        summary=(
            CitedText(
                "The ferry Aurora Kestrel caught fire off Vellmar on 14 May 2024.",
                (
                    _cite(
                        wire,
                        "The ferry Aurora Kestrel caught fire on Tuesday off the coast of Vellmar, the coast guard said.",
                    ),
                    _cite(indep, "Fire broke out aboard the Aurora Kestrel on 14 May near Vellmar harbour."),
                ),
            ),
            CitedText(
                "Outlets disagree on the number of passengers: 212 (Norland Press Agency) or 214 (Coastal Times).",
                (crossing, _cite(indep, "The coast guard said 214 passengers were brought ashore")),
            ),
            CitedText(
                "The captain said the fire started in the engine room and was contained within an hour.",
                (_cite(wire, '"The fire started in the engine room and was contained within an hour."'),),
            ),
        ),
        claims=(
            Claim(
                "The Aurora Kestrel caught fire near Vellmar.",
                "corroborated",
                2,
                (
                    _ev(
                        wire,
                        "The ferry Aurora Kestrel caught fire on Tuesday off the coast of Vellmar, the coast guard said.",
                    ),
                    _ev(
                        repost,
                        "The ferry Aurora Kestrel caught fire on Tuesday off the coast of Vellmar, the coast guard said.",
                    ),
                    _ev(indep, "Fire broke out aboard the Aurora Kestrel on 14 May near Vellmar harbour."),
                ),
            ),
            Claim(
                "The fire started in the engine room.",
                "contested",
                2,
                (
                    _ev(wire, "The fire started in the engine room"),
                    _ev(indep, "A passenger said the fire broke out in the galley.", agrees=False),
                ),
            ),
            Claim(
                "The Aurora Kestrel was towed to Vellmar.",
                "single_source",
                1,
                (_ev(para, "The Aurora Kestrel was towed to Vellmar on Wednesday."),),
            ),
        ),
        quantities=(
            QuantityGroup(
                "passenger",
                True,
                (
                    _qv(wire, "212 passengers", 212),
                    _qv(indep, "214 passengers", 214),
                    _qv(indep, "around 210", 210),
                ),
            ),
            QuantityGroup("crew", False, (_qv(wire, "between 30 and 40 crew", (30, 40)),)),
            QuantityGroup(None, False, (_qv(para, "sixty minutes", 60, "minute"),)),
        ),
        statements=(
            Statement(
                "Ilse Brandt",
                "e-brandt",
                (
                    _cite(wire, '"The fire started in the engine room and was contained within an hour."'),
                    _cite(indep, '"began in the engine room and was under control within the hour"'),
                    _cite(
                        para,
                        "the fire had begun in the engine compartment and had been put out within sixty minutes",
                    ),
                ),
            ),
        ),
        entities=(
            StoryEntity(
                "e-brandt", "Ilse Brandt", "PERSON", ("Ilse Brand", "Brandt"), (wire.id, indep.id, para.id)
            ),
            StoryEntity("e-kestrel-line", "Kestrel Line", "ORG", (), (wire.id, repost.id, indep.id)),
            StoryEntity("e-vellmar", "Vellmar", "PLACE", (), (wire.id, indep.id, para.id)),
            StoryEntity("e-ship", "Aurora Kestrel", "OTHER", ("the ferry",), (wire.id, repost.id, indep.id)),
        ),
        timeline=(
            TimelineEntry("2024-05-14", "The Aurora Kestrel catches fire off Vellmar.", (crossing,)),
            TimelineEntry(
                "2024-05-15",
                "The ship is towed to Vellmar.",
                (_cite(para, "The Aurora Kestrel was towed to Vellmar on Wednesday."),),
            ),
        ),
    )
    story_b = Story(
        id=sid_b,
        headline="Smoke aboard the Morning Tern; sailings from Tosk cancelled",
        article_ids=(b1.id, b2.id),
        event_date="2025-05-20",
        sources=2,
        independent_sources=2,
        why=("shared entities: Morning Tern, Kestrel Line",),
        related=(RelatedStory(sid_a, "background"),),
        summary=(
            CitedText(
                "Smoke was reported in the Morning Tern's engine room on 20 May 2025; none of its 96 passengers was hurt.",
                (
                    _cite(b1, "reported smoke in its engine room on 20 May 2025"),
                    _cite(b2, "None of the 96 passengers was hurt, the operator said."),
                ),
            ),
        ),
        claims=(
            Claim(
                "None of the 96 passengers was hurt.",
                "corroborated",
                2,
                (_ev(b1, "Its 96 passengers were unharmed."), _ev(b2, "None of the 96 passengers was hurt")),
            ),
        ),
        quantities=(
            QuantityGroup("passenger", False, (_qv(b1, "96 passengers", 96), _qv(b2, "96 passengers", 96))),
        ),
        statements=(),
        entities=(StoryEntity("e-tern", "Morning Tern", "OTHER", (), (b1.id, b2.id)),),
        timeline=(
            TimelineEntry(
                "2025-05-20", "Smoke reported aboard the Morning Tern.", (_cite(b1, "20 May 2025"),)
            ),
        ),
    )
    return Dossier(
        articles=(wire, repost, indep, para, duplicate, b1, b2),
        stories=(story_a, story_b),
        rejected=(
            Rejected("corpus/broken.zip", "corrupt zip archive: bad CRC-32 for member a.txt"),
            Rejected("corpus/feeds.jsonl#7", "malformed JSON: Expecting ',' delimiter at column 41"),
        ),
        generated_at=GENERATED_AT,
    )


HOSTILE = (
    "<script>alert(1)</script> Officials said <img src=x onerror=alert(1)> the vote was close. "
    '<a href="javascript:alert(1)">click</a> {{ 7*7 }} {% raw %} ${7*7} & "quotes" \'single\' '
    "[link](javascript:alert(1)) *bold* _em_ `code` | pipe | # heading\n\n"
    "</span></div></pre><svg onload=alert(1)> <iframe src=javascript:alert(1)></iframe>"
)


def make_hostile_dossier() -> Dossier:
    """One story whose every string (text, metadata, summary, ids of no kind) carries script payloads."""
    text, segments = compose(
        [("reporting", HOSTILE.split("\n\n")[0] + "\n\n"), ("opinion", HOSTILE.split("\n\n")[1])]
    )
    aid = article_id(text)
    sid = "s-hostile"
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>{{ 7*7 }}"
    s, e = find(text, "Officials said <img src=x onerror=alert(1)> the vote was close.")
    a = Article(
        id=aid,
        input="corpus/<script>alert(1)</script>.html",
        text=text,
        external_id=payload,
        source=payload,
        url="javascript:alert(1)",
        title=payload,
        published=Published("2024-01-01", "metadata"),
        segments=segments,
        entities=(EntityMention(*find(text, "<img src=x onerror=alert(1)>"), "PERSON", "e-x"),),
        quotes=(Quote(*find(text, '"quotes"'), True, payload, None, None, None),),
        story_id=sid,
        stance="discuss",
        opinion_share=0.5,
    )
    cite = Cite(aid, s, e)
    story = Story(
        id=sid,
        headline=payload,
        article_ids=(aid,),
        event_date="2024-01-01",
        sources=1,
        independent_sources=1,
        why=(payload,),
        summary=(CitedText(payload, (cite,)),),
        claims=(Claim(payload, "single_source", 1, (Evidence(aid, s, e, True),)),),
        quantities=(QuantityGroup(payload, False, (QuantityValue(aid, s, e, 7, payload),)),),
        statements=(Statement(payload, None, (cite,)),),
        entities=(StoryEntity("e-x", payload, "PERSON", (payload,), (aid,)),),
        timeline=(TimelineEntry("2024-01-01", payload, (cite,)),),
    )
    return Dossier(
        articles=(a,),
        stories=(story,),
        rejected=(Rejected("<img src=x onerror=alert(1)>", payload),),
        generated_at=GENERATED_AT,
    )
