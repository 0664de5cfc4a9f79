"""Entity merging across articles: merge and don't-merge cases, on fictional names."""

from __future__ import annotations

from newsdossier.annotate.aliases import (
    cluster_entities,
    describe_entities,
    display_name,
    link_entities,
    merge_entities,
)
from newsdossier.annotate.entity_names import fold_word
from newsdossier.model import Article, EntityMention


def article(text: str, *mentions: tuple[str, str]) -> tuple[str, list[EntityMention]]:
    """(text, mentions) with each mention given as (surface, type); surfaces found left to right."""
    out, pos = [], 0
    for surface, kind in mentions:
        start = text.index(surface, pos)
        out.append(EntityMention(start, start + len(surface), kind))
        pos = start + len(surface)
    return text, out


def entity_of(clusters, article_id: str, surface: str, corpus) -> str:
    text, _ = corpus[article_id]
    for c in clusters:
        for aid, s, e in c.mentions:
            if aid == article_id and text[s:e] == surface:
                return c.id
    raise AssertionError(f"{surface!r} not found in {article_id}")


CORPUS = {
    "a1": article(
        "Interior Minister Marek Dolany's convoy reached the Khorvani airbase on Monday. "
        "Dolany met Ilse Varga at the port of Tarvuz.",
        ("Marek Dolany's", "PERSON"), ("Khorvani airbase", "PLACE"), ("Dolany", "PERSON"),
        ("Ilse Varga", "PERSON"), ("Tarvuz", "PLACE"),
    ),
    "a2": article(
        "Marrek Dolany said the Horvanee base would stay open. Varga and Dolany disagreed about Tarvouz.",
        ("Marrek Dolany", "PERSON"), ("Horvanee", "PLACE"), ("Varga", "PERSON"), ("Dolany", "PERSON"),
        ("Tarvouz", "PLACE"),
    ),
    "a3": article(
        "Jan Varga, Ilse Varga's brother, spoke in Tarvuz. Varga was brief. Osmana and Obmana were absent, "
        "as was Khorvaney.",
        ("Jan Varga", "PERSON"), ("Ilse Varga's", "PERSON"), ("Tarvuz", "PLACE"), ("Varga", "PERSON"),
        ("Osmana", "PERSON"), ("Obmana", "PERSON"), ("Khorvaney", "PLACE"),
    ),
}


def test_display_name_drops_titles_possessives_and_descriptors() -> None:
    assert display_name("Interior Minister Marek Dolany's", person=True) == "Marek Dolany"
    assert display_name("President Dolany’s", person=True) == "Dolany"
    assert display_name("President", person=True) == "President"
    assert display_name("the Khorvani airbase", person=False) == "Khorvani"
    assert display_name("Ministry of Defence", person=False) == "Ministry of Defence"
    assert display_name("Defence Ministry", person=False) == "Defence Ministry"


def test_fold_collapses_transliteration_alternations_not_consonants() -> None:
    assert fold_word("Khorvaney") == fold_word("Horvanei") == fold_word("Hórvaney")
    assert fold_word("Tarvouz") == fold_word("Tarvuz")
    assert fold_word("Marrek") == fold_word("Marek")
    assert fold_word("Osmana") != fold_word("Obmana")


def test_transliteration_variants_of_a_place_merge() -> None:
    clusters = cluster_entities(CORPUS)
    khorvani = {entity_of(clusters, aid, s, CORPUS) for aid, s in
                [("a1", "Khorvani airbase"), ("a2", "Horvanee"), ("a3", "Khorvaney")]}
    assert len(khorvani) == 1
    tarvuz = {entity_of(clusters, aid, s, CORPUS) for aid, s in [("a1", "Tarvuz"), ("a2", "Tarvouz")]}
    assert len(tarvuz) == 1
    (place,) = [c for c in clusters if c.id in tarvuz]
    assert place.type == "PLACE" and place.name == "Tarvuz" and place.aliases == ("Tarvouz",)


def test_misspelled_first_name_titles_possessives_and_surname_merge() -> None:
    clusters = cluster_entities(CORPUS)
    ids = {entity_of(clusters, aid, s, CORPUS) for aid, s in
           [("a1", "Marek Dolany's"), ("a1", "Dolany"), ("a2", "Marrek Dolany"), ("a2", "Dolany")]}
    assert len(ids) == 1
    (dolany,) = [c for c in clusters if c.id in ids]
    assert dolany.name == "Marek Dolany"  # the fullest form, first-seen spelling on a tie
    assert set(dolany.article_ids) == {"a1", "a2"}
    assert "Dolany" in dolany.aliases and "Marrek Dolany" in dolany.aliases


def test_shared_surname_of_two_people_stays_apart_and_bare_surname_unresolved() -> None:
    clusters = cluster_entities(CORPUS)
    jan = entity_of(clusters, "a3", "Jan Varga", CORPUS)
    ilse = entity_of(clusters, "a3", "Ilse Varga's", CORPUS)
    bare = entity_of(clusters, "a3", "Varga", CORPUS)
    assert len({jan, ilse, bare}) == 3
    assert entity_of(clusters, "a1", "Ilse Varga", CORPUS) == ilse


def test_short_near_names_stay_apart() -> None:
    clusters = cluster_entities(CORPUS)
    assert entity_of(clusters, "a3", "Osmana", CORPUS) != entity_of(clusters, "a3", "Obmana", CORPUS)
    corpus = {"x": article("Obama met Osama.", ("Obama", "PERSON"), ("Osama", "PERSON"))}
    assert len(set(merge_entities(corpus).values())) == 2


def test_country_and_demonym_stay_apart() -> None:
    # "Vellary" / "Vellar" fold to "velari" / "velar": only vowels differ, yet one merely extends the other.
    corpus = {"x": article("Vellary and Vellar ships.", ("Vellary", "PLACE"), ("Vellar", "PLACE"))}
    assert len(set(merge_entities(corpus).values())) == 2


def test_person_and_place_with_the_same_name_stay_apart() -> None:
    corpus = {"x": article("Perrin Vask visited Vask.", ("Perrin Vask", "PERSON"), ("Vask", "PLACE"))}
    assert len(set(merge_entities(corpus).values())) == 2


def test_near_spelling_needs_shared_context() -> None:
    # "Horvanee" / "Hurvani" differ in a vowel after folding: a near match, not a same-key one.
    corpus = {
        "p": article("Horvanee was quiet.", ("Horvanee", "PLACE")),
        "q": article("Hurvani was loud.", ("Hurvani", "PLACE")),
    }
    assert len(set(merge_entities(corpus).values())) == 2
    corpus["r"] = article("Both Horvanee and Lindqvist Port.", ("Horvanee", "PLACE"), ("Lindqvist Port", "PLACE"))
    corpus["s"] = article("Hurvani and Lindqvist Port.", ("Hurvani", "PLACE"), ("Lindqvist Port", "PLACE"))
    ids = merge_entities(corpus)
    assert ids[("r", 5, 13)] == ids[("s", 0, 7)] == ids[("p", 0, 8)] == ids[("q", 0, 7)]


def test_ids_are_stable_and_every_mention_gets_one() -> None:
    first = merge_entities(CORPUS)
    reordered = {k: CORPUS[k] for k in reversed(list(CORPUS))}
    assert merge_entities(reordered) == first
    n_mentions = sum(len(m) for _, m in CORPUS.values())
    assert len(first) == n_mentions and all(v.startswith("e_") for v in first.values())


def test_describe_and_link_entities() -> None:
    entities = describe_entities(CORPUS)
    assert any(e.name == "Marek Dolany" and e.type == "PERSON" for e in entities)
    arts = [Article(id=aid, input="-", text=text, entities=tuple(ms)) for aid, (text, ms) in CORPUS.items()]
    linked, story_entities = link_entities(arts)
    assert all(m.entity_id for a in linked for m in a.entities)
    assert {e.id for e in story_entities} == {m.entity_id for a in linked for m in a.entities}


def test_surname_reading_beats_a_mistagged_headline_starting_with_the_name() -> None:
    corpus = {"x": article(
        "Dolany Orders Retreat. Marek Dolany ordered it; Dolany said so.",
        ("Dolany Orders Retreat", "PERSON"), ("Marek Dolany", "PERSON"), ("Dolany", "PERSON"),
    )}
    ids = merge_entities(corpus)
    assert ids[("x", 23, 35)] == ids[("x", 48, 54)]


def test_type_noise_on_a_one_word_name_follows_the_majority_reading() -> None:
    corpus = {
        "x": article(
            "Perrin Vask spoke. Vask left. The Vask government fell. Vask returned. Vask smiled.",
            ("Perrin Vask", "PERSON"), ("Vask", "PERSON"), ("Vask", "ORG"), ("Vask", "PERSON"),
            ("Vask", "PERSON"),
        )
    }
    assert len(set(merge_entities(corpus).values())) == 1
    # A lone one-word "person" no full name explains joins the place of that spelling ...
    corpus = {"y": article("Ships left Tarvuz. Tarvouz was calm.", ("Tarvuz", "PERSON"), ("Tarvouz", "PLACE"))}
    assert len(set(merge_entities(corpus).values())) == 1
    # ... but the surname of a named person stays with the person.
    corpus = {"z": article("Perrin Vask met Vask in Vask.", ("Perrin Vask", "PERSON"), ("Vask", "PERSON"),
                           ("Vask", "PLACE"))}
    ids = merge_entities(corpus)
    assert ids[("z", 16, 20)] == ids[("z", 0, 11)] != ids[("z", 24, 28)]


def test_nationality_prefixed_other_span_matches_the_name() -> None:
    corpus = {"x": article(
        "Ostlandic troops left the Ostlandic Khorvani base; Khorvani stayed quiet. Ostlandic Rail ran.",
        ("Ostlandic", "OTHER"), ("Ostlandic Khorvani", "ORG"), ("Khorvani", "PLACE"), ("Ostlandic Rail", "ORG"),
    )}
    ids = merge_entities(corpus)
    assert ids[("x", 26, 44)] == ids[("x", 51, 59)] != ids[("x", 0, 9)]
    assert len(set(ids.values())) == 3  # "Ostlandic Rail" keeps its name: "Rail" is never used alone


def test_missed_spelling_of_a_found_place_becomes_a_mention_and_merges() -> None:
    from newsdossier.annotate.entity_spread import add_missed_mentions

    t1, m1 = article("Convoys reached the Khorvani airbase near Tarvuz.", ("Khorvani", "PLACE"), ("Tarvuz", "PLACE"))
    t2, m2 = article("Troops will stay at the Khorveyni airbase near Tarvuz.", ("Tarvuz", "PLACE"))  # missed one
    t3, m3 = article("Senator Obama spoke, and then Osama answered the Syrian envoy.", ("Obama", "PERSON"))
    found = add_missed_mentions([t1, t2, t3], [m1, m2, m3])
    assert [(t2[m.start : m.end], m.type) for m in found[1]] == [("Khorveyni", "PLACE"), ("Tarvuz", "PLACE")]
    assert found[0] == m1
    assert found[2] == m3  # people never spread: "Osama" is no spelling of "Obama"
    ids = merge_entities({"a": (t1, found[0]), "b": (t2, found[1])})
    assert ids[("a", 20, 28)] == ids[("b", 24, 33)]


def test_spread_over_stored_context_searches_only_the_new_articles() -> None:
    from newsdossier.annotate.entity_spread import add_missed_mentions

    t1, m1 = article("Convoys reached the Khorvani airbase near Tarvuz.", ("Khorvani", "PLACE"), ("Tarvuz", "PLACE"))
    t2, m2 = article("Troops will stay at the Khorveyni airbase near Tarvuz.", ("Tarvuz", "PLACE"))
    t3, m3 = article("A later report: the Khorveyni base, and Tarvouz too.")
    whole = add_missed_mentions([t1, t2, t3], [m1, m2, m3])
    # The names come from all three; only the last two are searched and returned.
    assert add_missed_mentions([t1, t2, t3], [m1, m2, m3], first=1) == whole[1:]
    assert [t3[m.start : m.end] for m in whole[2]] == ["Khorveyni", "Tarvouz"]


def test_spread_leaves_tagged_spellings_sentence_starts_and_short_words_alone() -> None:
    from newsdossier.annotate.entity_spread import add_missed_mentions

    t1, m1 = article("Ships left Tarvuz and Khorvani.", ("Tarvuz", "PLACE"), ("Khorvani", "PLACE"))
    t2 = "Khorvani was quiet. Later Tarvuz, not Tarvouz, reopened; the Tarvo club met."
    found = add_missed_mentions([t1, t2], [m1, []])
    # "Khorvani" opens a sentence; "Tarvuz" is a spelling the tagger tags (its call); "Tarvo" is too short
    assert [t2[m.start : m.end] for m in found[1]] == ["Tarvouz"]


def test_nationality_shaped_word_is_stripped_from_a_place_name() -> None:
    corpus = {"x": article(
        "The Ostlandian Khorvani base and Khorvani itself; Ostlandian Rail ran.",
        ("Ostlandian Khorvani", "PLACE"), ("Khorvani", "PLACE"), ("Ostlandian Rail", "ORG"),
    )}
    clusters = cluster_entities(corpus)
    names = sorted(c.name for c in clusters)
    assert names == ["Khorvani", "Ostlandian Rail"]


# A wider fictional batch for the blocked (non-quadratic) merge: near spellings that merge, look-alikes
# that must not (different consonants, prefixes, short words, other surname, no shared context), short
# person names with one or two full names, and a one-word name tagged with both type classes.
BATCH = {
    "b1": article(
        "Minister Teodor Brannvik visited Lisvaara and the Kellmoor Institute. Brannvik praised Lisvaara. "
        "Karin Holmqvist and Ostrava Holmqvist met Teodor.",
        ("Teodor Brannvik", "PERSON"), ("Lisvaara", "PLACE"), ("Kellmoor Institute", "ORG"),
        ("Brannvik", "PERSON"), ("Lisvaara", "PLACE"), ("Karin Holmqvist", "PERSON"),
        ("Ostrava Holmqvist", "PERSON"), ("Teodor", "PERSON"),
    ),
    "b2": article(
        "Teodar Brannvick spoke in Lisvora, near Lisvaara. The Kelmaar Institute agreed. Holmqvist left "
        "for Lisvaarin.",
        ("Teodar Brannvick", "PERSON"), ("Lisvora", "PLACE"), ("Lisvaara", "PLACE"), ("Kelmaar Institute", "ORG"),
        ("Holmqvist", "PERSON"), ("Lisvaarin", "PLACE"),
    ),
    "b3": article(
        "Tadeas Brannvik and Lisvaara officials toured Kallmoor. Lisvaara welcomed Brannvik.",
        ("Tadeas Brannvik", "PERSON"), ("Lisvaara", "PLACE"), ("Kallmoor", "PLACE"),
        ("Lisvaara", "PLACE"), ("Brannvik", "PERSON"),
    ),
    "b4": article(
        "Pellworth said Dunmarra is calm. Dunmirra's mayor agreed.",
        ("Pellworth", "PERSON"), ("Dunmarra", "PLACE"), ("Dunmirra", "PLACE"),
    ),
    "b5": article(
        "Pellwirth arrived in Quenby. Pellworth stayed.",
        ("Pellwirth", "PERSON"), ("Quenby", "PLACE"), ("Pellworth", "PLACE"),
    ),
}


def _clusters_as_sets(clusters) -> list[tuple[str, str, tuple, tuple]]:
    return [(c.id, c.name, c.aliases, c.mentions) for c in clusters]


def test_near_blocks_hold_every_pair_the_all_pairs_test_accepts() -> None:
    from newsdossier.annotate import aliases

    groups = aliases._groups({**CORPUS, **BATCH})
    near_pairs = 0
    for i, g in enumerate(groups):
        for h in groups[i + 1 :]:
            if aliases._near_names(g, h):
                near_pairs += 1
                assert aliases._near_block(g) is not None and aliases._near_block(g) == aliases._near_block(h)
    assert near_pairs >= 4  # the fixture does exercise near spellings


def test_blocked_merge_equals_the_all_pairs_merge(monkeypatch) -> None:
    from newsdossier.annotate import aliases

    batch = {**CORPUS, **BATCH}
    blocked = aliases.cluster_entities(batch)
    # The old loop: every pair of groups compared (one block holding everything).
    monkeypatch.setattr(aliases, "_near_blocks", lambda groups: [list(range(len(groups)))])
    assert _clusters_as_sets(aliases.cluster_entities(batch)) == _clusters_as_sets(blocked)


def test_blocked_merge_keeps_merges_and_non_merges() -> None:
    clusters = cluster_entities(BATCH)
    teodor = {entity_of(clusters, aid, s, BATCH) for aid, s in
              [("b1", "Teodor Brannvik"), ("b2", "Teodar Brannvick")]}
    assert len(teodor) == 1  # only a vowel differs; Lisvaara is seen with both
    assert entity_of(clusters, "b3", "Tadeas Brannvik", BATCH) not in teodor  # other consonants
    lis = {entity_of(clusters, aid, s, BATCH) for aid, s in [("b1", "Lisvaara"), ("b2", "Lisvora"), ("b3", "Lisvaara")]}
    assert len(lis) == 1
    assert entity_of(clusters, "b2", "Lisvaarin", BATCH) not in lis  # a prefix: another word
    kell = {entity_of(clusters, aid, s, BATCH) for aid, s in [("b1", "Kellmoor Institute"), ("b2", "Kelmaar Institute")]}
    assert len(kell) == 1
    # Two full names share the surname: the bare surname stays unresolved.
    bare = entity_of(clusters, "b2", "Holmqvist", BATCH)
    assert bare not in {entity_of(clusters, "b1", "Karin Holmqvist", BATCH),
                        entity_of(clusters, "b1", "Ostrava Holmqvist", BATCH)}
    assert entity_of(clusters, "b4", "Dunmarra", BATCH) == entity_of(clusters, "b4", "Dunmirra", BATCH)
    # One-word people never near-merge.
    assert entity_of(clusters, "b4", "Pellworth", BATCH) != entity_of(clusters, "b5", "Pellwirth", BATCH)
