"""Publication dates from metadata, bylines, datelines and inference; never invented."""

from __future__ import annotations

from newsdossier.annotate.published import annotate_times, publication_date
from newsdossier.annotate.times import find_times
from newsdossier.model import Published


def decide(text: str, metadata: Published | None = None) -> Published:
    return publication_date(text, metadata or Published(), find_times(text, None))


def test_metadata_wins() -> None:
    text = "Posted on March 3, 2022\nThe ferry to Ostheim resumed."
    assert decide(text, Published("2022-03-05", "metadata")) == Published("2022-03-05", "metadata")


def test_bylines_and_posting_cues() -> None:
    assert decide("The bakery opened.\n~ by baker42 on March 17, 2016.") == Published("2016-03-17", "text")
    assert decide("Ostheim news\nBy Jane Roe | 3 March 2022\nThe bakery opened.") == Published("2022-03-03", "text")
    assert decide("Published: 12 May 2021\nThe bakery opened.") == Published("2021-05-12", "text")
    assert decide("Posted on June 2, 2020 by admin\nText.") == Published("2020-06-02", "text")


def test_agency_dateline_takes_the_year_from_the_text() -> None:
    text = "VELLMAR, March 3 (Harbour Wire) - Dockers struck, the worst stoppage of 2022."
    assert decide(text) == Published("2022-03-03", "text")
    assert decide("VELLMAR, March 3 (Harbour Wire) - Dockers struck.") == Published(None, "unknown")


def test_inferred_from_latest_past_date_not_future_plans() -> None:
    text = "The vote was held on May 2, 2019 and results came on May 5, 2019. A new vote will be on June 1, 2019."
    assert decide(text) == Published("2019-05-05", "inferred")


def test_unknown_stays_null() -> None:
    assert decide("The bakery opened on Monday, the owner said.") == Published(None, "unknown")


def test_annotate_times_resolves_relative_against_text_date() -> None:
    text = "Dockers walked out on Monday.\n~ by harbourwatch on March 17, 2016."
    published, times = annotate_times(text, Published())
    assert published == Published("2016-03-17", "text")
    assert {text[t.start : t.end]: t.value for t in times}["Monday"] == "2016-03-14"


def test_inferred_date_does_not_anchor_relative_ones() -> None:
    text = "Dockers walked out on Monday. The strike began on March 1, 2016."
    published, times = annotate_times(text, Published())
    assert published.basis == "inferred"
    assert [text[t.start : t.end] for t in times] == ["March 1, 2016"]


# --- lower bound for undated articles (fictional text) ---------------------------------------------------

from newsdossier.annotate.published import date_lower_bounds, earliest_possible_date


def floor(text: str) -> str | None:
    return earliest_possible_date(text, find_times(text, None))


def test_earliest_possible_date_is_the_latest_past_reference() -> None:
    text = "The Vellmar ferry strike began in September 2015. The union made a similar demand in 2016."
    assert floor(text) == "2016-01-01"
    assert floor("Since autumn of 2015 the quay has been closed.") == "2015-09-01"


def test_future_and_relative_references_bound_nothing() -> None:
    assert floor("The new quay will open in 2019.") is None
    assert floor("Dockers walked out on Monday, starting Tuesday the ferries stop.") is None
    text = "Dockers walked out on Monday."
    _, times = annotate_times(text, Published("2016-03-16", "metadata"))
    assert earliest_possible_date(text, times) is None  # 'Monday' was resolved against the anchor: circular


def test_elapsed_span_after_a_dated_start() -> None:
    text = ("In just over two years, the dockers have held forty rallies. "
            "Their campaign began in September 2015 with a sit-in.")
    assert floor(text) == "2017-09-01"
    bound = max(date_lower_bounds(text, find_times(text, None)), key=lambda b: b.date)
    assert bound.reason == "elapsed_since_start" and "two years" in text[bound.start : bound.end]
    # "nearly" two years is not two full years: the floor is one year on
    assert floor("The campaign began in September 2015. For nearly two years the quay stayed shut.") == "2016-09-01"
    assert floor("The campaign began in September 2015. It will run for two more years.") == "2015-09-01"


def test_inferred_date_ruled_out_by_the_texts_own_bound() -> None:
    text = ("The pier was inspected on March 3, 2016. The repairs started in June 2016 "
            "and in just over a year the pier was rebuilt.")
    assert floor(text) == "2017-06-01"
    assert decide(text) == Published(None, "unknown")


def test_dateline_year_ignores_future_years() -> None:
    text = "VELLMAR, March 3 (Harbour Wire) - Dockers struck in 2022. Talks will resume in 2024."
    assert decide(text) == Published("2022-03-03", "text")
