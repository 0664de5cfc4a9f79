"""Statements: one statement across translations/paraphrases; distinct statements stay apart."""

from __future__ import annotations

from test_compare_fixtures import GAZ, make_article

from newsdossier.compare.statements import build_statements

ORDER_1 = (
    "The goals we set for the flood defences have largely been met. I am therefore ordering the Water Board "
    "to start lowering the emergency barriers at Korsund from Monday"
)
ORDER_2 = (
    "The flood defences have essentially achieved the aims we gave them. That is why I have instructed the "
    "Water Board to begin taking down the emergency barriers at Korsund, starting next Monday"
)
ORDER_3a = "broadly accomplished their task"
ORDER_3b = "to start removing the emergency barriers at Korsund as of Monday"
OTHER = "Nobody in Marrowick will pay for the repairs out of their own pocket"


def _articles():
    a = make_article(
        "a",
        [("reporting", f"“{ORDER_1},” governor Ilse Brandvik said. “{OTHER},” she added.")],
        source="One",
        gazetteer=GAZ,
        quotes=[(ORDER_1, "Ilse Brandvik", "e_brandvik"), (OTHER, "Ilse Brandvik", "e_brandvik")],
    )
    b = make_article(
        "b",
        [("reporting", f"“{ORDER_2},” Ms Brandvik told journalists in Lostrava.")],
        source="Two",
        gazetteer=GAZ,
        quotes=[(ORDER_2, "Ms Brandvik", None)],  # speaker resolved through the story's PERSON mentions
    )
    c = make_article(
        "c",
        [
            (
                "reporting",
                f"Brandvik said the defences had “{ORDER_3a}” and that she had told the board “{ORDER_3b}.”",
            )
        ],
        source="Three",
        gazetteer=GAZ,
        quotes=[(ORDER_3a, "Brandvik", "e_brandvik"), (ORDER_3b, "Brandvik", "e_brandvik")],
    )
    d = make_article(
        "d",
        [("reporting", "“We will keep pumping until the last cellar is dry,” said Tomas Verlund of the Regional Water Board.")],
        source="Four",
        gazetteer=GAZ,
        quotes=[("We will keep pumping until the last cellar is dry", "Tomas Verlund", "e_verlund")],
    )
    return [a, b, c, d]


def _texts(arts, statement) -> dict[str, list[str]]:
    by_id = {x.id: x for x in arts}
    out: dict[str, list[str]] = {}
    for c in statement.variants:
        out.setdefault(c.article_id, []).append(by_id[c.article_id].text[c.start : c.end])
    return out


def test_paraphrases_and_translations_of_one_statement_are_grouped() -> None:
    arts = _articles()
    statements = build_statements(arts, {"e_brandvik": "Ilse Brandvik", "e_verlund": "Tomas Verlund"})
    order = [s for s in statements if ORDER_1 in [t for ts in _texts(arts, s).values() for t in ts]]
    assert len(order) == 1
    texts = _texts(arts, order[0])
    assert set(texts) == {"a", "b", "c"}
    assert texts["b"] == [ORDER_2]
    assert sorted(texts["c"]) == sorted([ORDER_3a, ORDER_3b])
    assert order[0].speaker == "Ilse Brandvik" and order[0].entity_id == "e_brandvik"


def test_distinct_statements_by_the_same_speaker_stay_apart() -> None:
    arts = _articles()
    statements = build_statements(arts, {"e_brandvik": "Ilse Brandvik"})
    other = [s for s in statements if OTHER in [t for ts in _texts(arts, s).values() for t in ts]]
    assert len(other) == 1
    assert _texts(arts, other[0]) == {"a": [OTHER]}


def test_different_speakers_never_share_a_statement() -> None:
    arts = _articles()
    statements = build_statements(arts, {})
    for s in statements:
        ids = {c.article_id for c in s.variants}
        if "d" in ids:
            assert ids == {"d"}
            assert s.entity_id == "e_verlund"


def test_quotes_in_reader_comments_are_ignored() -> None:
    a = make_article(
        "x",
        [("reporting", "The board met on Monday."), ("reader_comment", "“I was there and it was chaos,” wrote Jan.")],
        quotes=[("I was there and it was chaos", "Jan", None)],
    )
    assert build_statements([a], {}) == ()


def test_distinct_statements_naming_the_storys_country_stay_apart() -> None:
    """The story's main actor and country are in most quotes; sharing them does not make two
    statements one."""
    from test_compare_fixtures import make_article

    gaz = {
        "Norland": ("e_norland", "PLACE"),
        "the Coalition": ("e_coalition", "ORG"),
        "Ilse Brandvik": ("e_brandvik", "PERSON"),
    }
    said = [
        ("q1", "Ilse Brandvik said the Coalition would withdraw its army from Norland soon."),
        ("q2", "Ilse Brandvik said the Coalition would keep harbours in Norland."),
        ("q3", "Ilse Brandvik said the Coalition was to withdraw its army from Norland shortly."),
        ("q4", "Ilse Brandvik said the Coalition would reopen schools in Norland."),
    ]
    arts = []
    for aid, text in said:
        quoted = text.split(" said ", 1)[1].removesuffix(".")
        arts.append(make_article(aid, [("reporting", text)], source=aid, gazetteer=gaz,
                                 quotes=[(quoted, "Ilse Brandvik", "e_brandvik")]))
    statements = build_statements(arts, {"e_brandvik": "Ilse Brandvik"})
    groups = sorted(sorted(c.article_id for c in s.variants) for s in statements)
    assert ["q1", "q3"] in groups
    assert ["q2"] in groups and ["q4"] in groups


def test_first_person_speakers_are_each_articles_own_author() -> None:
    text = "“The quay must reopen,” we said last week."
    a = make_article("p", [("opinion", text)], source="Tosk Weekly", quotes=[("The quay must reopen", "we", None)])
    b = make_article("q", [("opinion", text)], source="Vellmar Post", quotes=[("The quay must reopen", "we", None)])
    speakers = sorted(s.speaker for s in build_statements([a, b], {}))
    assert speakers == ["the author of Tosk Weekly", "the author of Vellmar Post"]  # never one "we"


def test_a_reported_question_is_no_statement() -> None:
    text = "What did the board achieve, according to the harbour office? It reopened the quay."
    q = "What did the board achieve"
    from dataclasses import replace

    a = make_article("r", [("reporting", text)], source="One", quotes=[(q, "the harbour office", None)])
    indirect = replace(a, quotes=tuple(replace(x, direct=False) for x in a.quotes))
    assert build_statements([indirect], {}) == ()
    assert len(build_statements([a], {})) == 1  # quoted as asked ("“What did ...?” she asked"): it stands
