"""Time tagging and resolution on fictional sentences; the TimeML scorer on a tiny document we write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsdossier.annotate.times import find_times, tag_times
from newsdossier.evaluate import dates as eval_dates


def values(text: str, anchor: dt.date | None) -> dict[str, str]:
    return {text[t.start : t.end]: t.value for t in find_times(text, anchor)}


def test_absolute_dates_need_no_anchor() -> None:
    text = "The harbour of Vellmar reopened on March 17, 2016, after a strike in 2015 and on 3/4/2019."
    assert values(text, None) == {"March 17, 2016": "2016-03-17", "2015": "2015", "3/4/2019": "2019-03-04"}


def test_relative_expressions_left_out_without_anchor() -> None:
    assert find_times("The union met on Monday and will meet again tomorrow.", None) == []


def test_weekday_past_and_future_context() -> None:
    anchor = dt.date(2016, 3, 16)  # a Wednesday
    got = values("Mara Lind said on Monday that talks will resume Friday.", anchor)
    assert got == {"Monday": "2016-03-14", "Friday": "2016-03-18"}


def test_weekday_resolution_crosses_month_end() -> None:
    anchor = dt.date(2016, 3, 1)  # a Tuesday
    assert values("The port closed on Saturday.", anchor) == {"Saturday": "2016-02-27"}
    assert values("The port will close on Thursday.", dt.date(2016, 2, 29)) == {"Thursday": "2016-03-03"}


def test_relative_words_cross_year_end() -> None:
    anchor = dt.date(2016, 1, 1)
    got = values("Yesterday the mayor spoke; last month and last week were calm; tomorrow is a holiday.", anchor)
    assert got == {"Yesterday": "2015-12-31", "last month": "2015-12", "last week": "2015-W52", "tomorrow": "2016-01-02"}
    assert values("Next year the ferry returns.", dt.date(2016, 12, 31)) == {"Next year": "2017"}


def test_periods_and_ago() -> None:
    anchor = dt.date(2016, 3, 15)
    got = values("Six months ago the fleet left; it began at the end of September. This week it returned.", anchor)
    assert got["Six months ago"] == "2015-09"
    assert got["the end of September"] == "2015-09"
    assert got["This week"] == "2016-W11"


def test_quarters_and_bare_month_with_year_boundary() -> None:
    anchor = dt.date(2016, 1, 20)
    got = values("Sales rose in the fourth quarter. The shop opened in December.", anchor)
    assert got == {"the fourth quarter": "2015-Q4", "December": "2015-12"}


def test_may_the_verb_is_no_month_and_counts_are_no_years() -> None:
    anchor = dt.date(2016, 3, 15)
    assert values("May we ask? The vote will be in May.", anchor) == {"May": "2016-05"}
    assert find_times("About 2000 Vellmar dockers marched.", anchor) == []


def test_vague_references_are_tagged_but_not_returned() -> None:
    anchor = dt.date(2016, 3, 15)
    assert [t.value for t in tag_times("The port is now closed.", anchor)] == ["PRESENT_REF"]
    assert find_times("The port is now closed.", anchor) == []


TML = """<?xml version="1.0" ?>
<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2016-03-16" functionInDocument="CREATION_TIME">20160316</TIMEX3></DCT>
<TEXT>Dockers in Vellmar struck on <TIMEX3 tid="t1" type="DATE" value="2016-03-14">Monday</TIMEX3> for <TIMEX3 tid="t2" type="DURATION" value="P2D">two days</TIMEX3> &amp; more, as in <TIMEX3 tid="t3" type="DATE" value="2015">2015</TIMEX3>.</TEXT></TimeML>
"""


def test_timeml_loader_and_scores(tmp_path: Path) -> None:
    (tmp_path / "doc.tml").write_text(TML, encoding="utf-8")
    doc = eval_dates.load_timeml(tmp_path / "doc.tml")
    assert doc.dct == dt.date(2016, 3, 16)
    assert [doc.text[s:e] for s, e, _, _ in doc.gold] == ["Monday", "two days", "2015"]
    counts, _ = eval_dates.score([doc], eval_dates.ours, eval_dates.SCORED_TYPES)
    assert (counts.gold, counts.system, counts.strict, counts.value) == (2, 2, 2, 2)
    assert eval_dates.main(tmp_path, baseline=False) == 0


def test_eval_dates_on_shared_data(shared_data: Path) -> None:
    folder = shared_data / "dates" / "tempeval3_train" / "TimeBank"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    docs = eval_dates.load_dir(folder)[:20]
    counts, _ = eval_dates.score(docs, eval_dates.ours, eval_dates.SCORED_TYPES)
    assert counts.relaxed > 0.7 * counts.gold


def test_parts_of_day_and_weekday_with_date() -> None:
    anchor = dt.date(2016, 3, 16)  # a Wednesday
    got = {text[t.start : t.end]: t.value for text in ["The ferry left this morning; the crew slept last night."]
           for t in tag_times(text, anchor)}
    assert got == {"this morning": "2016-03-16TMO", "last night": "2016-03-15TNI"}
    assert values("The union met on Friday, March 11, the harbour master said.", anchor) == {
        "Friday, March 11": "2016-03-11"
    }


def test_month_with_relative_year_and_composite_quarters() -> None:
    anchor = dt.date(2016, 2, 10)
    got = values("The quay collapsed in July last year and reopens in April next year.", anchor)
    assert got == {"July last year": "2015-07", "April next year": "2017-04"}
    got = values("Vellmar Ferries lost money in the 2015 third quarter and in next year's first quarter.", anchor)
    assert got == {"the 2015 third quarter": "2015-Q3", "next year's first quarter": "2017-Q1"}
    assert values("Dockers won a quarter of the seats.", anchor) == {}


def test_holidays_follow_tense_and_cross_year_end() -> None:
    anchor = dt.date(2016, 1, 5)
    got = values("The ferry sank at Christmas. The new one will sail by Easter. The strike was on Thanksgiving Day 2014.",
                 anchor)
    assert got == {"Christmas": "2015-12-25", "Easter": "2016-03-27", "Thanksgiving Day 2014": "2014-11-27"}
    assert values("Eastern Vellmar voted.", anchor) == {}


def test_spelled_years_and_discourse_relative_expressions() -> None:
    got = values("The harbour opened in nineteen ninety-one. Later that year it flooded; the following year it closed.",
                 None)
    assert got == {"nineteen ninety-one": "1991", "Later that year": "1991", "the following year": "1992"}
    got = values("The vote was on March 3, 2016. The next day the mayor resigned.", None)
    assert got["The next day"] == "2016-03-04"
    assert values("That year is lost.", None) == {}  # nothing to count from: left out, not guessed


def test_tense_cues_for_plans_and_past_limits() -> None:
    anchor = dt.date(2016, 3, 16)  # a Wednesday
    assert values("The crew planned to leave on Friday.", anchor) == {"Friday": "2016-03-18"}
    assert values("Until Monday, the pilots had refused to talk.", anchor) == {"Monday": "2016-03-14"}
    assert values("The offer had been due to expire Friday.", anchor) == {"Friday": "2016-03-11"}
    assert values("The harbour closes at the end of the year, and year-end results were weak.", anchor) == {
        "the end of the year": "2016", "year-end": "2016"
    }


def test_held_out_split_is_every_fifth_document() -> None:
    docs = [eval_dates.Doc(f"d{i}.tml", "x", None) for i in range(11)]
    assert [d.name for d in eval_dates.held_out(docs)] == ["d4.tml", "d9.tml"]


def test_relative_month_after_a_season_is_left_out_not_a_crash() -> None:
    text = "In the summer of 2014 the ferry line closed. The following month, the harbour staff protested."
    values = [t.value for t in find_times(text, dt.date(2016, 1, 1))]
    assert "2014-SU" in values
    assert all(not v.startswith("@") for v in values)


def test_weekday_parts_of_day_keep_their_code_but_night_stays_the_day() -> None:
    anchor = dt.date(2016, 3, 18)  # a Friday
    text = "The ferry left Wednesday evening, docked Thursday morning and sank Thursday night."
    assert values(text, anchor) == {
        "Wednesday evening": "2016-03-16TEV",
        "Thursday morning": "2016-03-17TMO",
        "Thursday night": "2016-03-17",
    }


def test_clock_time_before_a_weekday_takes_the_tense_cue_before_it() -> None:
    anchor = dt.date(2016, 3, 14)  # a Monday
    got = values("The port authority gave the crews until 9 a.m. Tuesday to leave.", anchor)
    assert got == {"9 a.m. Tuesday": "2016-03-15T09:00"}


def test_past_tense_pulls_a_far_month_day_into_last_year() -> None:
    anchor = dt.date(2016, 5, 6)
    # Nov. 3 is nearer ahead (181 days) than behind (185 days), but "was last seen" is past.
    assert values("The trawler was last seen Nov. 3 off Vellmar.", anchor) == {"Nov. 3": "2015-11-03"}
    # Near the anchor nearness decides, whatever the tense.
    assert values("The union said the strike would end May 20.", anchor) == {"May 20": "2016-05-20"}


def test_month_names_are_whole_words_and_as_soon_as_is_no_time() -> None:
    anchor = dt.date(2016, 3, 14)
    assert values("Mayor Lind met the Marching Band and will leave as soon as possible.", anchor) == {}
    assert [t.value for t in tag_times("They will leave as soon as possible, soon.", anchor)] == ["FUTURE_REF"]


def test_week_of_a_date_and_last_half_of_a_year() -> None:
    anchor = dt.date(2016, 2, 24)
    text = "Hearings resume the week of March 7; profits fell in the last half of 2015 and the final quarter of 2014."
    assert values(text, anchor) == {
        "the week of March 7": "2016-W10",
        "the last half of 2015": "2015-H2",
        "the final quarter of 2014": "2014-Q4",
    }
    # a plan noun is no future cue: "signed a plan Friday" on a Friday is that day
    assert values("Lind signed a cooperation plan Friday.", dt.date(2016, 3, 18)) == {"Friday": "2016-03-18"}


def test_a_comma_weakens_a_tense_cue_and_a_named_today_is_no_date() -> None:
    anchor = dt.date(2016, 3, 14)
    # "began" governs the month; "is due to" belongs to the main clause across the comma
    text = "The drawdown of a mission that began at the end of September, is due to start Tuesday."
    assert values(text, anchor)["the end of September"] == "2015-09"
    assert values("He told Vellmar Today that talks resume today.", anchor) == {"today": "2016-03-14"}


def refs(text: str, anchor: dt.date | None) -> dict[str, str]:
    return {text[t.start : t.end]: t.value for t in tag_times(text, anchor)}


def test_participle_after_a_determiner_is_no_past_cue_and_until_reaches_over_mid() -> None:
    anchor = dt.date(2016, 10, 26)
    assert values("The dividend will be paid on a still unspecified date in January.", anchor) == {"January": "2017-01"}
    got = values("The port board gave the ferry line until mid-November to reply.", dt.date(2016, 10, 30))
    assert got == {"mid-November": "2016-11"}


def test_the_anchor_weekday_is_the_day_of_writing_and_previous_weekday_counts_from_the_text() -> None:
    friday = dt.date(2016, 3, 18)
    assert values("The mayor will speak on Friday, aides said.", friday) == {"Friday": "2016-03-18"}
    assert values("The mayor will speak next Friday.", friday) == {"next Friday": "2016-03-25"}
    got = values("On Monday, March 14, 2016 the index closed 3% below the previous Friday.", friday)
    assert got["the previous Friday"] == "2016-03-11"
    got = values("The index fell on March 14, 2016 and rose the following Monday.", friday)
    assert got["the following Monday"] == "2016-03-21"


def test_day_counted_from_a_date_is_one_expression() -> None:
    anchor = dt.date(2016, 3, 2)  # a Wednesday
    got = values("The crew met the day before last Tuesday and sailed two days after March 3, 2016.", anchor)
    assert got == {"the day before last Tuesday": "2016-02-29", "two days after March 3, 2016": "2016-03-05"}
    # across the year end
    assert values("They left the day after December 31, 2015.", anchor) == {"the day after December 31, 2015": "2016-01-01"}


def test_vague_plural_periods_are_references_and_numbered_ones_are_durations() -> None:
    anchor = dt.date(2016, 3, 15)
    text = "Fares rose in recent years, may fall in coming months, fell in the last few weeks and are high these days."
    assert refs(text, anchor) == {"recent years": "PAST_REF", "coming months": "FUTURE_REF",
                                  "the last few weeks": "PAST_REF", "these days": "PRESENT_REF"}
    assert refs("Fares rose in the past four years.", anchor) == {}


def test_soon_in_a_past_narrative_is_no_future_reference() -> None:
    anchor = dt.date(2016, 3, 15)
    assert refs("The pilot was soon released, and the strike soon became a habit.", anchor) == {}
    assert refs("He died soon after the storm.", anchor) == {}
    assert refs("The ferry will soon return.", anchor) == {"soon": "FUTURE_REF"}


def test_clock_times_with_a_zone() -> None:
    anchor = dt.date(2016, 3, 19)  # a Saturday
    got = values("The blast came at about 10:35 a.m. (0835 GMT) Friday, the police said.", anchor)
    assert got == {"10:35 a.m. (0835 GMT) Friday": "2016-03-18T10:35"}
    assert values("At 16:08 UTC the Vellmar index was down 2%.", anchor) == {"16:08 UTC": "2016-03-19T16:08Z"}
    assert values("He watched High Noon twice.", anchor) == {}


def test_the_day_of_a_market_report_and_an_idiom_that_is_not() -> None:
    anchor = dt.date(2016, 3, 15)  # a Tuesday
    text = "On Monday the Vellmar index rose late in the day and ended the day 2% up."
    assert refs(text, anchor) == {"Monday": "2016-03-14", "late in the day": "2016-03-14", "the day": "2016-03-14"}
    assert refs("The index fell 2% for the day.", anchor) == {"the day": "2016-03-15"}
    assert refs("At the end of the day, the dockers said, wages matter.", anchor) == {}


def test_apostrophe_years_lines_and_fiscal_years() -> None:
    anchor = dt.date(2016, 3, 15)
    assert values("The index hit its lowest level since '82.", anchor) == {"'82": "1982"}
    assert values("The dockers' '82 anthem played.", anchor) == {}
    # a title line and the dateline under it are two expressions
    got = values("Vellmar ferries halted until Friday\nMarch 15, 2016 The harbour shut.", anchor)
    assert got == {"Friday": "2016-03-18", "March 15, 2016": "2016-03-15"}
    got = refs("Sales in the current fiscal year beat the then current forecast.", anchor)
    assert got == {"the current fiscal year": "2016", "current": "PAST_REF"}


def test_that_same_day_and_month_of_last_year() -> None:
    got = values("The ferry sank on May 2, 2015. That same day the mayor resigned.", None)
    assert got["That same day"] == "2015-05-02"
    got = values("The quay was sold in April of last year.", dt.date(2016, 3, 15))
    assert got == {"April of last year": "2015-04"}


def test_centuries_and_decades_without_their_century() -> None:
    from newsdossier.annotate.time_calendar import period_start

    anchor = dt.date(2016, 3, 15)
    got = values("A 12th century chapel; riots in the late eighties and the 70s shook this century.", anchor)
    assert got == {"12th century": "11", "the late eighties": "198", "the 70s": "197", "this century": "20"}
    assert values("Fares of the 20s were low.", anchor) == {"the 20s": "192"}
    assert period_start("19") == dt.date(1900, 1, 1)
