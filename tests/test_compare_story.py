"""The whole compare stage on fixture stories: summary citation integrity, contested summary points,
timeline order, merged entities, coverage, and graceful degradation without annotations."""

from __future__ import annotations

from dataclasses import replace

from test_compare_claims import FILLER, VENUE
from test_compare_fixtures import GAZ, make_article, make_story, wire_story

from newsdossier.compare import compare_stories, compare_story, coverage_matrix
from newsdossier.compare.timeline import date_sort_key
from newsdossier.model import Article, Story


def _venue_story() -> list[Article]:
    arts = [
        make_article(k, [("reporting", VENUE[k] + " " + FILLER[k])], source=f"Outlet {k.upper()}", gazetteer=GAZ)
        for k in ("a", "b", "c")
    ]
    return arts + wire_story()


def _assert_cites_in_fact_text(story: Story, arts: list[Article]) -> None:
    by_id = {a.id: a for a in arts}
    for item in story.summary:
        assert item.cites, f"uncited summary sentence: {item.text!r}"
        for c in item.cites:
            a = by_id[c.article_id]
            assert 0 <= c.start < c.end <= len(a.text)
            seg = [s for s in a.segments if s.start <= c.start and c.end <= s.end]
            assert seg and seg[0].kind in ("reporting", "reproduced"), (a.id, a.text[c.start : c.end])


def test_summary_cites_only_reporting_or_reproduced_text_and_has_3_to_8_sentences() -> None:
    arts = _venue_story()
    story = compare_story(make_story(arts), arts)
    assert 3 <= len(story.summary) <= 8
    _assert_cites_in_fact_text(story, arts)
    texts = [s.text for s in story.summary]
    assert len(set(texts)) == len(texts)
    assert not any("Somebody should finally fix" in t or "typical" in t for t in texts)


def test_summary_states_the_contested_point_as_contested_with_both_sides_cited() -> None:
    arts = _venue_story()
    story = compare_story(make_story(arts), arts)
    contested = [s for s in story.summary if "Brennholm" in s.text]
    assert len(contested) == 1
    item = contested[0]
    assert "Outlet C says" in item.text and "Lostrava" in item.text
    cited = {c.article_id for c in item.cites}
    assert "c" in cited and cited & {"a", "b"}


def test_summary_of_a_story_without_segments_or_sentences_still_cites_inside_the_text() -> None:
    text = (
        "The river Tessel rose by two metres overnight. Residents of Marrowick were moved to the school gym. "
        "The governor visited the town on Tuesday. Pumps arrived from Lostrava in the afternoon."
    )
    bare = Article(id="bare", input="bare.txt", text=text)
    story = compare_story(make_story([bare]), [bare])
    assert len(story.summary) == 3
    for item in story.summary:
        for c in item.cites:
            assert text[c.start : c.end] == item.text


def test_timeline_is_cited_and_earliest_first() -> None:
    a = make_article(
        "t1",
        [("reporting", "The dam at Korsund was completed in 1998. Heavy rain began on 1 May 2024 across the valley.")],
        source="One",
        gazetteer=GAZ,
        times=[("1998", "1998"), ("1 May 2024", "2024-05-01")],
    )
    b = make_article(
        "t2",
        [
            ("reporting", "The Tessel burst its banks at Marrowick on 3 May 2024, officials said."),
            ("opinion", "I remember the great flood of March 1987 as if it were yesterday."),
        ],
        source="Two",
        gazetteer=GAZ,
        times=[("3 May 2024", "2024-05-03"), ("March 1987", "1987-03")],
    )
    story = compare_story(make_story([a, b]), [a, b])
    dates = [e.date for e in story.timeline]
    assert dates == ["1998", "2024-05-01", "2024-05-03"]  # the opinion's 1987 is not a happening here
    for e in story.timeline:
        (c,) = e.cites
        art = a if c.article_id == "t1" else b
        assert e.text in art.text[c.start : c.end]
    assert date_sort_key("2016-W11") < date_sort_key("2016-03-15") < date_sort_key("2016-04")


def test_entities_are_merged_with_aliases_and_articles() -> None:
    gaz = dict(GAZ)
    gaz["Mr Verlund"] = ("e_verlund", "PERSON")
    gaz["Verlund's"] = ("e_verlund", "PERSON")
    a = make_article("e1", [("reporting", "Tomas Verlund inspected the dam. Verlund's team stayed overnight.")], gazetteer=gaz)
    b = make_article("e2", [("reporting", "Mr Verlund said the pumps were working.")], gazetteer=gaz)
    story = compare_story(make_story([a, b]), [a, b])
    ent = next(e for e in story.entities if e.id == "e_verlund")
    assert ent.name == "Tomas Verlund" and ent.type == "PERSON"
    assert ent.aliases == ("Verlund",)
    assert set(ent.article_ids) == {"e1", "e2"}


def test_compare_stories_keeps_articles_and_fills_every_story() -> None:
    arts = wire_story()
    stories = [make_story(arts), Story(id="empty", headline="nothing", article_ids=("missing",))]
    out_arts, out_stories = compare_stories(arts, stories)
    assert [a.id for a in out_arts] == [a.id for a in arts]
    assert [a.text for a in out_arts] == [a.text for a in arts]
    assert out_stories[0].claims and out_stories[0].summary
    assert out_stories[1] == stories[1]


def test_coverage_lists_claims_only_one_article_carries_and_corroborated_claims_it_omits() -> None:
    arts = wire_story()
    story = compare_story(make_story(arts), arts)
    arts = [replace(a, opinion_share=0.5) if a.id == "copy1" else a for a in arts]
    rows = {r.article_id: r for r in coverage_matrix(story, arts)}
    corroborated = [k for k, c in enumerate(story.claims) if c.status == "corroborated"]
    assert corroborated
    assert rows["copy1"].opinion_share == 0.5
    assert rows["ledger"].only_here  # the Ledger's schools sentence is its own
    for k in rows["ledger"].only_here:
        assert {e.article_id for e in story.claims[k].evidence} == {"ledger"}
    assert not rows["wire"].omitted_corroborated


def test_compare_reads_the_subjectivity_clean_scored_instead_of_scoring_again(monkeypatch) -> None:
    """Clean keeps each scored sentence's P(opinion) (``Article.sentence_opinion``, a stored internal
    layer); compare takes it from there: the same story, the model asked only about the rest."""
    from newsdossier.clean import clean_articles
    from newsdossier.clean import subjectivity as subj
    from newsdossier.codec import article_from_dict, article_to_dict, dossier_article_to_dict

    text = ("Harbour to reopen\n\nThe port authority said on Monday that the harbour would reopen on Friday. "
            "Ferries will resume their routes to the islands. Officials counted 40 ships waiting offshore.\n\n"
            "This is a shameful failure of leadership, and everyone knows it.")
    arts = clean_articles([Article(id=f"a{k}", input="t", text=text.replace("40", str(40 + k)), source=f"S{k}")
                           for k in range(3)])
    for a in arts:
        assert len(a.sentence_opinion) == len(a.sentences)
        scored = [p for p in a.sentence_opinion if p is not None]
        assert scored and all(0.0 <= p <= 1.0 for p in scored)
        assert article_from_dict(article_to_dict(a)).sentence_opinion == a.sentence_opinion  # stored
        assert "sentence_opinion" not in dossier_article_to_dict(a)  # not part of dossier.json

    model = subj.load()
    real, asked = model.subjective_probability, []

    def counting(texts):
        asked.extend(texts)
        return real(texts)

    monkeypatch.setattr(model, "subjective_probability", counting)
    with_scores = compare_story(make_story(arts), arts)
    assert asked == []  # every fact sentence was scored by clean
    without = [replace(a, sentence_opinion=()) for a in arts]  # e.g. analysed before clean kept them
    assert compare_story(make_story(without), without) == with_scores
    assert asked
