"""General compare mechanisms: Link's independence rule, place slots (setting, modifiers, descriptions),
the sentence that stands for a claim, paraphrase grouping with bundled details, opinion sections kept
out of summary and timeline, partial dates. All text is fictional."""

from __future__ import annotations

from test_compare_fixtures import GAZ, make_article, make_story, wire_story

from newsdossier.compare import compare_story
from newsdossier.compare.independence import SourceCounter, independence_groups
from newsdossier.compare.timeline import date_sort_key
from newsdossier.link.stories import independent_sources
from newsdossier.model import Article, Story

GAZ2 = dict(GAZ, Norland=("e_norland", "PLACE"), Dunmere=("e_dunmere", "PLACE"), Ostvik=("e_ostvik", "PLACE"))


def _claims_citing(story: Story, arts: list[Article], needle: str):
    by_id = {a.id: a for a in arts}
    return [c for c in story.claims if any(needle in by_id[e.article_id].text[e.start : e.end] for e in c.evidence)]


def test_independence_is_links_rule_story_wide_and_per_claim() -> None:
    arts = wire_story(with_independent=True)
    counter = SourceCounter(arts)
    assert counter.count(a.id for a in arts) == independent_sources(arts) == 2
    # copy2 reused copy1, which reused the wire: the two copies alone are still one source
    assert counter.count(["copy2", "wire"]) == 1
    assert counter.count(["copy2", "ledger"]) == 2
    # outlet names compare as Link normalises them
    a = make_article("o1", [("reporting", "One two three four five.")], source="The Ledger")
    b = make_article("o2", [("reporting", "Six seven eight nine ten.")], source="the ledger ")
    assert independence_groups([a, b])["o2"] == "o1"


_SETTING = [
    "Norland closed its border crossings on Monday after the storm.",
    "Rescue teams in Norland searched the coast for missing fishermen.",
    "Power lines across Norland were damaged by the wind.",
    "Schools in Norland will stay closed until Thursday.",
]


def _setting_story(third: str) -> list[Article]:
    a = make_article(
        "p1",
        [("reporting", "Ministers held crisis talks on the storm damage in Dunmere on Tuesday. " + " ".join(_SETTING[:2]))],
        source="One",
        gazetteer=GAZ2,
    )
    b = make_article(
        "p2",
        [("reporting", "Crisis talks on the storm damage between ministers took place in Dunmere. " + " ".join(_SETTING[2:]))],
        source="Two",
        gazetteer=GAZ2,
    )
    c = make_article("p3", [("reporting", third)], source="Three", gazetteer=GAZ2)
    return [a, b, c]


def test_the_storys_setting_does_not_conflict_with_a_venue_inside_it() -> None:
    arts = _setting_story("Ministers held crisis talks on the storm damage in Norland on Tuesday, officials said.")
    story = compare_story(make_story(arts), arts)
    assert all(c.status != "contested" for c in story.claims)


def test_a_rival_named_venue_is_contested_and_the_claim_text_carries_the_majority_value() -> None:
    arts = _setting_story("Ministers held crisis talks on the storm damage in Ostvik on Tuesday, officials said.")
    story = compare_story(make_story(arts), arts)
    (claim,) = [c for c in story.claims if c.status == "contested"]
    assert "Dunmere" in claim.text and "Ostvik" not in claim.text
    assert {e.article_id: e.agrees for e in claim.evidence} == {"p1": True, "p2": True, "p3": False}


def test_possessive_and_descriptive_places_are_not_venue_values() -> None:
    gaz = dict(GAZ2, **{"northern port": ("e_port", "PLACE")})
    arts = [
        make_article("m1", [("reporting", "Ministers held crisis talks on the storm damage in Dunmere on Tuesday.")], source="One", gazetteer=gaz),
        make_article("m2", [("reporting", "Ministers held crisis talks on the storm damage in Ostvik's harbour office on Tuesday.")], source="Two", gazetteer=gaz),
        make_article("m3", [("reporting", "Ministers held crisis talks on the storm damage in the northern port on Tuesday.")], source="Three", gazetteer=gaz),
    ]
    story = compare_story(make_story(arts), arts)
    assert all(c.status != "contested" for c in story.claims)


def test_a_paraphrase_bundled_with_details_of_its_own_joins_the_claim() -> None:
    arts = [
        make_article("b1", [("reporting", "The Regional Water Board will keep its pumping station at Korsund and its depot in Marrowick.")], source="One", gazetteer=GAZ),
        make_article("b2", [("reporting", "The pumping station at Korsund and the depot in Marrowick will remain open, the Regional Water Board said.")], source="Two", gazetteer=GAZ),
        make_article(
            "b3",
            [("reporting", ("The Regional Water Board is expected to maintain its pumping station at Korsund, a depot at Marrowick "
              "and a crew of engineers in order to provide support and assistance to the flood wardens."))],
            source="Three",
            gazetteer=GAZ,
        ),
    ]
    story = compare_story(make_story(arts), arts)
    (claim,) = _claims_citing(story, arts, "pumping station")
    assert claim.status == "corroborated" and claim.independent_sources == 3


def test_opinion_sections_are_kept_out_of_summary_and_timeline() -> None:
    report = (
        "Flooding on the Tessel forced the evacuation of Marrowick on Tuesday, governor Ilse Brandvik said. "
        "The dam at Korsund held overnight, the Regional Water Board said."
    )
    # clean labelled the first paragraphs of the commentary section as reporting (a late boundary)
    late = "Until, that is, the valley flooded in March 1987. Nobody listened then either."
    opinion = "This is what decades of neglect look like. The board should resign, all of it."
    text_parts = [("reporting", report + "\n\n\n" + late), ("opinion", opinion)]
    a = make_article("r1", text_parts, source="One", gazetteer=GAZ, times=[("Tuesday", "2024-05-07"), ("March 1987", "1987-03")])
    b = make_article(
        "r2",
        [("reporting", ("Marrowick was evacuated on Tuesday as the Tessel flooded, governor Ilse Brandvik said. "
          "The Korsund dam held through the night, according to the Regional Water Board."))],
        source="Two",
        gazetteer=GAZ,
        times=[("Tuesday", "2024-05-07")],
    )
    story = compare_story(make_story([a, b]), [a, b])
    late_start = a.text.index("Until, that is")
    cited = [c for item in story.summary for c in item.cites] + [c for e in story.timeline for c in e.cites]
    assert cited
    assert not any(c.article_id == "r1" and c.start >= late_start for c in cited)
    assert [e.date for e in story.timeline] == ["2024-05-07"]


def test_partial_dates_sort_with_months_and_seasons() -> None:
    assert date_sort_key("2015") < date_sort_key("2015-09") < date_sort_key("2015-FA") < date_sort_key("2015-10")
    assert date_sort_key("2015-WI") < date_sort_key("2016-01")
