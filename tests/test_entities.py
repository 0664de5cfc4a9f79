"""Entity extraction: span clean-up (deterministic, on hand-tagged docs), the shipped model,
and the NER scorer."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from newsdossier.annotate import entities
from newsdossier.annotate.entities import mentions_from_doc
from newsdossier.evaluate.ner import bio_spans, read_conll, score

NLP = spacy.blank("en")


def tagged(text: str, *spans: tuple[str, str]):
    """A doc of ``text`` with the given (surface, label) entities set, as the model would."""
    doc = NLP(text)
    ents = []
    for surface, label in spans:
        start = text.index(surface)
        ents.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = ents
    return doc


def texts_of(doc):
    return [(doc.text[m.start : m.end], m.type) for m in mentions_from_doc(doc)]


def test_titles_and_possessives_are_trimmed_from_people() -> None:
    doc = tagged(
        "Defense Minister Marek Dolany's plan worried President Ilse Varga’s staff.",
        ("Defense Minister Marek Dolany's", "PER"), ("President Ilse Varga’s", "PER"),
    )
    assert texts_of(doc) == [("Marek Dolany", "PERSON"), ("Ilse Varga", "PERSON")]


def test_labels_map_and_lower_case_leading_determiners_drop() -> None:
    # a capitalised "The" is kept, as the gold corpora keep it in names ("The Ostland Times"); the
    # entity's name drops it either way (see test_aliases), so "The Vellmar Port Authority" and
    # "the Vellmar Port Authority" are one entity
    doc = tagged(
        "The Vellmar Port Authority sued the Republic of Ostland over Brindish cheese, said The Ostland Times.",
        ("The Vellmar Port Authority", "ORG"), ("the Republic of Ostland", "LOC"), ("Brindish", "MISC"),
        ("The Ostland Times", "ORG"),
    )
    assert texts_of(doc) == [
        ("The Vellmar Port Authority", "ORG"), ("Republic of Ostland", "PLACE"), ("Brindish", "OTHER"),
        ("The Ostland Times", "ORG"),
    ]


def test_a_lone_capitalised_determiner_is_no_name() -> None:
    assert texts_of(tagged("The sky fell.", ("The", "ORG"))) == []


def test_organisation_titles_are_kept_and_bare_titles_survive() -> None:
    doc = tagged("The Defense Ministry and General thanked them.", ("Defense Ministry", "ORG"), ("General", "PER"))
    assert texts_of(doc) == [("Defense Ministry", "ORG"), ("General", "PERSON")]


def test_possessive_only_span_is_dropped() -> None:
    doc = NLP("Ostland's army")
    doc.ents = [Span(doc, 1, 2, label="LOC")]  # just the "'s" token
    assert mentions_from_doc(doc) == []


@pytest.fixture(scope="module")
def model_ready() -> None:
    if not (entities.MODEL_DIR / "meta.json").is_file():
        pytest.skip(f"no trained model at {entities.MODEL_DIR} (run scripts/train_ner.py)")


TEXT = (
    "Mr. John Smith flew from London to Paris on Monday with officials of the United Nations.\n"
    "Prime Minister Anna Berg's office said the talks in Berlin went well."
)


def test_model_spans_are_exact_offsets(model_ready) -> None:
    found = entities.find_entities(TEXT)
    assert found, "the model should find entities in plain news text"
    for m in found:
        surface = TEXT[m.start : m.end]
        assert surface == surface.strip() and surface
        assert m.type in {"PERSON", "ORG", "PLACE", "OTHER"} and m.entity_id is None
        assert not surface.endswith(("'s", "’s")) and not surface.startswith(("Prime", "Mr."))
    by_text = {TEXT[m.start : m.end]: m.type for m in found}
    assert by_text.get("London") == "PLACE" and by_text.get("Berlin") == "PLACE"
    assert by_text.get("John Smith") == "PERSON"


def test_batch_matches_single(model_ready) -> None:
    texts = [TEXT, "", "Nothing named here."]
    assert entities.find_entities_batch(texts) == [entities.find_entities(t) for t in texts]


def test_scorer_on_a_written_conll_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text("Marek\tB-PER\nDolany\tI-PER\nin\tO\nVellmar\tB-LOC\n\nOstbank\tB-ORG\nfell\tO\n", encoding="utf-8")
    sentences = read_conll(path)
    assert [len(t) for t, _ in sentences] == [4, 2]
    gold = [bio_spans(tags) for _, tags in sentences]
    assert gold == [{(0, 2, "PER"), (3, 4, "LOC")}, {(0, 1, "ORG")}]
    pred = [{(0, 2, "PER"), (3, 4, "ORG"), (1, 2, "MISC")}, {(0, 1, "ORG")}]  # MISC: not a gold type, ignored
    result = score(gold, pred)
    assert result["PER"]["f1"] == 1.0 and result["LOC"]["r"] == 0.0
    assert result["ORG"]["p"] == 0.5 and result["ORG"]["r"] == 1.0
    assert result["overall"]["p"] == pytest.approx(2 / 3) and result["overall"]["r"] == pytest.approx(2 / 3)
    assert bio_spans(["I-PER", "I-PER", "O", "B-LOC", "I-ORG"]) == {(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG")}


def test_hyphenated_name_parts_are_completed_and_trailing_function_words_dropped() -> None:
    doc = NLP("Talks with Omar al-Rashidi of Vellmar and the Bank of")
    doc.ents = [Span(doc, 2, 4, label="PER"), Span(doc, 10, 12, label="ORG")]  # "Omar al", "Bank of"
    assert texts_of(doc) == [("Omar al-Rashidi", "PERSON"), ("Bank", "ORG")]
    doc = NLP("the pro-Rashidi camp and al-Rashidi")
    doc.ents = [Span(doc, 3, 4, label="PER"), Span(doc, 8, 9, label="PER")]  # "Rashidi" twice
    assert texts_of(doc) == [("Rashidi", "PERSON"), ("al-Rashidi", "PERSON")]


def test_trim_span_drops_lower_case_spans_and_a_persons_trailing_verb() -> None:
    import spacy
    from spacy.tokens import Span

    from newsdossier.annotate.entities import trim_span

    doc = spacy.blank("en")("The talks were frank , its partners said , with Ola Nordby speaking and al - Dabbagh .")
    words = [t.text for t in doc]

    def span(first: str, last: str, label: str) -> tuple[int, int] | None:
        i, j = words.index(first), words.index(last) + 1
        return trim_span(Span(doc, i, j, label=label), label)

    assert span("frank", "frank", "PERSON") is None
    assert span("its", "partners", "ORG") is None
    i, j = span("Ola", "speaking", "PERSON")
    assert [t.text for t in doc[i:j]] == ["Ola", "Nordby"]
    i, j = span("al", "Dabbagh", "PERSON")  # a particle-led name keeps its capitalised part
    assert [t.text for t in doc[i:j]] == ["al", "-", "Dabbagh"]


def test_a_mention_never_ends_in_a_no_break_space() -> None:
    from newsdossier.annotate.entities import find_entities

    text = "Harbour master Mara Lind\u00a0speaking in Tosk said the quay was closed."
    for m in find_entities(text):
        assert not text[m.start : m.end][-1:].isspace() and not text[m.start : m.end][:1].isspace()


def test_bare_surnames_of_people_named_in_full_become_mentions() -> None:
    from newsdossier.annotate.entity_spread import surname_mentions
    from newsdossier.model import EntityMention

    text = ("Harbour master Mara Lind spoke on Monday. “It is early,” said Lind during a visit. "
            "Lind Street stays closed. Anna Lind agreed. Lind left.")
    full = text.index("Mara Lind")
    found = surname_mentions(text, [EntityMention(full, full + 9, "PERSON")])
    assert [m.start for m in found] == [text.index("said Lind") + 5, text.rindex("Lind left")]
    assert all(m.type == "PERSON" and text[m.start : m.end] == "Lind" for m in found)
    # a surname the article also tags as a place is left alone
    place = text.index("Lind Street")
    assert surname_mentions(text, [EntityMention(full, full + 9, "PERSON"), EntityMention(place, place + 4, "PLACE")]) == []
