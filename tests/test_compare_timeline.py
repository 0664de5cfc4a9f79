"""Timeline dates for undated articles: relative expressions resolved against the story's event date,
marked as inferred; dated articles and stories without a day are left as annotate made them.
All text is fictional."""

from __future__ import annotations

from dataclasses import replace

from test_compare_fixtures import GAZ, make_article, make_story

from newsdossier.compare import compare_story
from newsdossier.compare.timeline import INFERRED_NOTE, anchored_times
from newsdossier.model import Article, Published, Story

EVENT_DAY = "2024-05-07"  # a Tuesday
CLOSED = "The Ferrow bridge at Marrowick was closed on Monday after the Tessel rose above its banks."
REPAIRS = "Engineers from the Regional Water Board inspected the Ferrow bridge piers for cracks."
OPINION = "Frankly, the board should have listened to the ferrymen years ago."


def _undated(aid: str = "u1", *, times: tuple[tuple[str, str], ...] = ()) -> Article:
    return make_article(
        aid,
        [("reporting", f"{CLOSED} {REPAIRS}"), ("opinion", OPINION)],
        source="Quayside Ledger",
        gazetteer=GAZ,
        times=times,
    )


def _story(arts: list[Article], day: str | None = EVENT_DAY) -> Story:
    return replace(make_story(arts), event_date=day)


def test_undated_article_relative_day_is_resolved_against_the_story_date_and_marked() -> None:
    a = _undated()
    assert a.published.date is None and not a.times  # annotate left "Monday" unresolved: no anchor
    story = compare_story(_story([a]), [a])
    (entry,) = [e for e in story.timeline if e.date == "2024-05-06"]  # the Monday before the Tuesday
    assert entry.text.endswith(INFERRED_NOTE.format(anchor=EVENT_DAY))
    (cite,) = entry.cites
    assert cite.article_id == "u1"
    shown = entry.text[: -len(INFERRED_NOTE.format(anchor=EVENT_DAY))]
    assert shown in a.text[cite.start : cite.end]
    # the opinion's "years ago" dates nothing, inferred or not
    assert all("ferrymen" not in e.text for e in story.timeline)


def test_anchored_times_are_spans_into_the_text_and_skip_the_articles_own_times() -> None:
    a = _undated()
    (monday,) = anchored_times(a, EVENT_DAY)[:1]
    assert a.text[monday.start : monday.end] == "Monday" and monday.value == "2024-05-06"
    text = "The ferry service resumed on 2 May 2024 and was halted again on Monday."
    b = make_article("u2", [("reporting", text)], times=[("2 May 2024", "2024-05-02")])
    found = anchored_times(b, EVENT_DAY)
    assert [b.text[t.start : t.end] for t in found] == ["Monday"]  # the absolute date stays annotate's


def test_dated_articles_and_stories_without_a_day_get_no_inferred_dates() -> None:
    dated = replace(_undated("d1"), published=Published("2024-05-09", "metadata"))
    assert anchored_times(dated, EVENT_DAY) == ()
    story = compare_story(_story([dated]), [dated])
    assert story.timeline == ()  # annotate resolves a dated article's "Monday" itself; here it has none
    undated = _undated()
    for day in (None, "2024-05", "not a date"):
        assert anchored_times(undated, day) == ()
        assert compare_story(_story([undated], day), [undated]).timeline == ()


def test_a_date_a_source_states_itself_is_not_marked_inferred() -> None:
    undated = _undated()
    stated = make_article(
        "d2",
        [("reporting", "The Ferrow bridge at Marrowick was closed on 6 May 2024 after the Tessel rose above its banks.")],
        source="Harbor Wire",
        published="2024-05-07",
        gazetteer=GAZ,
        times=[("6 May 2024", "2024-05-06")],
    )
    story = compare_story(_story([undated, stated]), [undated, stated])
    (entry,) = [e for e in story.timeline if e.date == "2024-05-06"]
    assert {c.article_id for c in entry.cites} == {"u1", "d2"}
    assert "inferred" not in entry.text


def test_an_undated_articles_absolute_dates_are_not_duplicated_or_marked() -> None:
    text = "Ferry crossings on the Tessel were suspended on 3 May 2024 by the harbour master at Lostrava."
    a = make_article("u3", [("reporting", text)], gazetteer=GAZ, times=[("3 May 2024", "2024-05-03")])
    story = compare_story(_story([a]), [a])
    assert [(e.date, e.text) for e in story.timeline] == [("2024-05-03", text)]
