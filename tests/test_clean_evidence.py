"""Clean's batch evidence (lines repeated across a source's articles) counted only for the lines some
articles ask about: an incremental run's context can be the whole store, and the answer for the new
articles must be the one the full count gives."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdossier.clean import _asked_lines, _repeated_lines, clean_articles
from newsdossier.engine.split import batch_evidence, clean_chunk
from newsdossier.model import Article, Segment

LINES = [
    "Share this:", "Share  this:", "SHARE THIS:", "Subscribe to our newsletter for 2 free issues",
    "Subscribe to our newsletter for 35 free issues", "The mayor said the bridge would reopen on Friday.",
    "Leave a Reply", "Posted in World News", "  Posted in   World News  ", "İstanbul edition",
    "Comments are closed.", "A long line " + "with many words " * 12 + "at the end.",
    "continued in lower case after a line without punctuation", "Read more", "Read more »",
]

line_lists = st.lists(st.sampled_from(LINES), min_size=1, max_size=8)


def _article(k: int, source: str, lines: list[str], fixed: bool) -> Article:
    text = f"Headline {k}\n" + "\n".join(lines)
    segments = ()
    if fixed and len(text) > 30:  # a pre-filled segment cutting a line: regions are split around it
        segments = (Segment("reader_comment", 20, min(len(text), 45)),)
    return Article(id=f"a{k}", input=f"in{k}", text=text, source=source, segments=segments)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    context=st.lists(st.tuples(st.sampled_from(["one", "two"]), line_lists, st.booleans()), max_size=8),
    new=st.lists(st.tuples(st.sampled_from(["one", "two", "three"]), line_lists, st.booleans()),
                 min_size=1, max_size=4),
)
def test_counting_only_the_asked_lines_gives_the_full_count_for_them(context, new) -> None:
    old = [_article(k, s, ls, f) for k, (s, ls, f) in enumerate(context)]
    fresh = [_article(100 + k, s, ls, f) for k, (s, ls, f) in enumerate(new)]
    asked = _asked_lines(fresh)
    full = _repeated_lines([*old, *fresh])
    only = _repeated_lines([*old, *fresh], only=asked)
    expected = {s: frozenset(x for x in v if x in asked.get(s, ())) for s, v in full.items()}
    assert only == {s: v for s, v in expected.items() if v}
    # and cleaning the new articles with either evidence gives the same segments
    assert clean_chunk(fresh, only) == clean_chunk(fresh, full)


def test_an_incremental_batch_sees_the_stored_articles_furniture() -> None:
    footer = "Support independent journalism: donate today"
    stored = [Article(id=f"s{k}", input="-", source="Ledger",
                      text=f"Story {k}\nThe council met on day {k}.\n{footer}") for k in range(3)]
    new = Article(id="n1", input="-", source="Ledger", text=f"New story\nThe council met again.\n{footer}")
    evidence = batch_evidence([new], stored)
    assert evidence == {"Ledger": frozenset({footer.lower()})}
    cleaned = clean_chunk([new], evidence)[0]
    assert [new.text[s.start:s.end] for s in cleaned.segments if s.kind == "boilerplate"] == [footer]
    assert clean_articles([*stored, new])[-1] == cleaned
