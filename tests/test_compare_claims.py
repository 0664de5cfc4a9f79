"""Claims: grouping by independent support, statuses, slot conflicts, and what text may produce claims."""

from __future__ import annotations

from test_compare_fixtures import (
    GAZ,
    INDEPENDENT_DAM,
    WIRE_DAM,
    WIRE_RAIL,
    make_article,
    make_story,
    wire_story,
)

from newsdossier.compare import compare_story
from newsdossier.compare.independence import count_groups, independence_groups
from newsdossier.model import Claim, Story


def _claim_with(story: Story, text: str) -> Claim:
    found = [c for c in story.claims if any(text == _ev_text(story, e) for e in c.evidence)]
    assert len(found) == 1, f"expected one claim citing {text!r}, got {len(found)}"
    return found[0]


_ARTS: dict[str, str] = {}


def _ev_text(story: Story, e) -> str:
    return _ARTS[e.article_id][e.start : e.end]


def _run(arts) -> Story:
    _ARTS.clear()
    _ARTS.update({a.id: a.text for a in arts})
    return compare_story(make_story(arts), arts)


def test_independence_groups_join_reuse_transitively_and_same_outlet() -> None:
    arts = wire_story()
    groups = independence_groups(arts)
    assert groups["wire"] == groups["copy1"] == groups["copy2"]
    assert groups["ledger"] != groups["wire"]
    assert count_groups([a.id for a in arts], groups) == 2
    same_host = [
        make_article("x1", [("reporting", "One two three four five.")], url="https://www.paper.example/a"),
        make_article("x2", [("reporting", "Six seven eight nine ten.")], url="http://paper.example/b"),
        make_article("x3", [("reporting", "Eleven twelve thirteen fourteen.")]),
    ]
    g = independence_groups(same_host)
    assert g["x1"] == g["x2"] != g["x3"]


def test_three_wire_copies_plus_independent_report_is_corroborated_by_two_sources() -> None:
    story = _run(wire_story(with_independent=True))
    claim = _claim_with(story, INDEPENDENT_DAM)
    assert claim.status == "corroborated"
    assert claim.independent_sources == 2
    assert {e.article_id for e in claim.evidence} == {"wire", "copy1", "copy2", "ledger"}
    assert all(e.agrees for e in claim.evidence)


def test_fact_only_in_wire_copies_is_single_source() -> None:
    story = _run(wire_story(with_independent=True))
    rail = _claim_with(story, WIRE_RAIL)
    assert rail.status == "single_source"
    assert rail.independent_sources == 1
    assert {e.article_id for e in rail.evidence} == {"wire", "copy1", "copy2"}
    # and without the independent report the dam fact is single-source too
    story = _run(wire_story(with_independent=False))
    assert _claim_with(story, WIRE_DAM).status == "single_source"


def test_opinion_and_comments_never_produce_claims() -> None:
    arts = wire_story()
    story = _run(arts)
    by_id = {a.id: a for a in arts}
    for claim in story.claims:
        for e in claim.evidence:
            a = by_id[e.article_id]
            seg = next(s for s in a.segments if s.start <= e.start and e.end <= s.end)
            assert seg.kind in ("reporting", "reproduced")
    texts = {c.text for c in story.claims}
    assert not any("Somebody should finally fix" in t or "typical" in t for t in texts)


VENUE = {
    "a": "Regional governor Ilse Brandvik held emergency talks on the flood response with the mayors of six towns in Lostrava on Tuesday.",
    "b": "Emergency talks on the flood response between governor Ilse Brandvik and the mayors of six towns took place in Lostrava.",
    "c": "Governor Ilse Brandvik held emergency talks with the mayors of six towns on the flood response in Brennholm on Tuesday.",
}
FILLER = {
    "a": "The water level of the Tessel was still rising near Marrowick.",
    "b": "Volunteers filled sandbags along the river embankment all night.",
    "c": "Shops in the old town reopened after the water receded from the market square.",
}


def _venue_articles():
    return [
        make_article(k, [("reporting", VENUE[k] + " " + FILLER[k])], source=f"Outlet {k.upper()}", gazetteer=GAZ)
        for k in ("a", "b", "c")
    ]


def test_different_venue_for_the_same_talks_is_contested_with_the_minority_disagreeing() -> None:
    story = _run(_venue_articles())
    claim = _claim_with(story, VENUE["c"])
    assert claim.status == "contested"
    agrees = {e.article_id: e.agrees for e in claim.evidence}
    assert agrees == {"a": True, "b": True, "c": False}
    assert claim.independent_sources == 2
    assert "Lostrava" in claim.text


def test_places_named_together_are_not_a_conflict() -> None:
    # Lostrava and Brennholm appear together, so talks "in" either are not rival venues.
    arts = _venue_articles()
    extra = make_article(
        "d",
        [("reporting", "A relief convoy drove from Lostrava to Brennholm with pumps and generators on board.")],
        source="Outlet D",
        gazetteer=GAZ,
    )
    story = _run(arts + [extra])
    assert all(c.status != "contested" for c in story.claims)


def test_conflicting_numbers_make_a_contested_claim() -> None:
    a = make_article(
        "n1",
        [("reporting", "Flooding forced the evacuation of 4,000 residents of Marrowick, the governor said.")],
        source="One",
        gazetteer=GAZ,
        quantities=[("4,000", 4000.0, "resident", None)],
    )
    b = make_article(
        "n2",
        [("reporting", "Officials said 6,500 residents of Marrowick were evacuated because of the flooding.")],
        source="Two",
        gazetteer=GAZ,
        quantities=[("6,500", 6500.0, "residents", None)],
    )
    c = make_article(
        "n3",
        [("reporting", "About 4,000 residents of Marrowick were evacuated as the flood waters rose, the governor said.")],
        source="Three",
        gazetteer=GAZ,
        quantities=[("4,000", 4000.0, "resident", None)],
    )
    story = _run([a, b, c])
    claim = _claim_with(story, b.text)
    assert claim.status == "contested"
    assert {e.article_id: e.agrees for e in claim.evidence} == {"n1": True, "n2": False, "n3": True}


def test_explicit_denial_is_contested() -> None:
    a = make_article(
        "d1",
        [("reporting", "The Regional Water Board opened the floodgates at the Korsund dam on Monday night to relieve pressure.")],
        source="One",
        gazetteer=GAZ,
    )
    b = make_article(
        "d2",
        [("reporting", "The Regional Water Board denied that it opened the floodgates at the Korsund dam on Monday night.")],
        source="Two",
        gazetteer=GAZ,
    )
    story = _run([a, b])
    claim = _claim_with(story, b.text)
    assert claim.status == "contested"
    assert not all(e.agrees for e in claim.evidence)


def test_unrelated_facts_stay_separate_single_source_claims() -> None:
    a = make_article("u1", [("reporting", "The dam at Korsund held overnight, governor Ilse Brandvik said.")], source="One", gazetteer=GAZ)
    b = make_article(
        "u2", [("reporting", "Schools in Marrowick will reopen on Monday, the education office announced.")], source="Two", gazetteer=GAZ
    )
    story = _run([a, b])
    assert len(story.claims) == 2
    assert all(c.status == "single_source" and len(c.evidence) == 1 for c in story.claims)


def test_questions_and_intro_lines_are_no_claims() -> None:
    a = make_article(
        "q1",
        [
            ("reporting", "What did the Korsund dam council decide about the spillway repairs on Monday?"),
            ("reporting", "The Marrowick Herald, which governor Ilse Brandvik owns, reports:"),
            ("reporting", "The dam at Korsund held overnight after 300 workers raised the levee, governor Ilse Brandvik said."),
        ],
        source="One",
        gazetteer=GAZ,
    )
    story = _run([a])
    texts = [_ev_text(story, e) for c in story.claims for e in c.evidence]
    assert texts == ["The dam at Korsund held overnight after 300 workers raised the levee, governor Ilse Brandvik said."]


def test_the_claims_distance_matrix_is_the_plain_expression_made_in_place(monkeypatch) -> None:
    """Made a block of rows at a time in one array (memory of large stories), bit for bit the expression."""
    import numpy as np

    from newsdossier.compare import claims

    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 40):
        for block in (1, 7, 1 << 22):
            monkeypatch.setattr(claims, "SYMMETRIC_BLOCK", block)
            sim = rng.random((n, n)) * 1.3 - 0.1  # not symmetric, some above 1
            plain = np.clip(1.0 - sim, 0.0, None)
            np.fill_diagonal(plain, 0.0)
            plain = (plain + plain.T) / 2
            assert np.array_equal(claims.symmetric_distance(sim), plain)
            copy = sim.copy()
            assert np.array_equal(claims.symmetric_distance(copy, overwrite=True), plain)
            assert np.array_equal(copy, plain)  # made in the array it was given
