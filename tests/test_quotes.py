"""Quotes and speakers on fictional text; the PolNeAR scorer on a tiny brat pair we write."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdossier.annotate.quotes import find_quotes
from newsdossier.clean.sentences import split_sentences
from newsdossier.evaluate import quotes as eval_quotes
from newsdossier.model import EntityMention


def quotes(text: str, entities=()):
    return [(text[q.start : q.end], q.direct, q.speaker) for q in find_quotes(text, split_sentences(text), list(entities))]


def test_direct_quote_with_speaker_after() -> None:
    text = "“We will reopen the terminal on Friday,” Mara Lind said on Monday."
    assert quotes(text) == [("“We will reopen the terminal on Friday,”", True, "Mara Lind")]


def test_said_before_and_cue_first() -> None:
    text = '"The harbour is closed until further notice," said Tomas Berg.'
    assert quotes(text)[0][1:] == (True, "Tomas Berg")


def test_block_quote_after_colon_spans_paragraphs() -> None:
    text = "Harbour master Tomas Berg said:\n\n“The strike has ended.\n\nWe begin loading the ships at dawn tomorrow.”\n"
    got = quotes(text)
    assert len(got) == 1
    assert got[0][0].startswith("“The strike") and got[0][0].endswith("tomorrow.”")
    assert got[0][1:] == (True, "Tomas Berg")


def test_pronoun_resolves_to_last_named_speaker() -> None:
    text = ("Union leader Mara Lind said the talks had failed.\n\n"
            "She said the dockers would stay out for a week.")
    got = quotes(text)
    assert [g[2] for g in got] == ["Mara Lind", "Mara Lind"]
    assert got[1][0] == "the dockers would stay out for a week"
    assert got[1][1] is False


def test_title_resolves_to_named_holder() -> None:
    text = ("Port Director Anna Vik visited the quay.\n\n"
            "The director said that the cranes were safe to use again.")
    assert quotes(text)[-1][2] == "Anna Vik"


def test_indirect_forms() -> None:
    got = quotes("The cranes were damaged in the storm, the port authority said.")
    assert got == [("The cranes were damaged in the storm", False, "the port authority")]
    got = quotes("According to the harbour union, three ships left the port.")
    assert got == [("three ships left the port", False, "the harbour union")]


def test_entities_drive_speakers_when_given() -> None:
    text = "Vellmar Ports said on Monday that the cranes would be replaced."
    entities = [EntityMention(0, len("Vellmar Ports"), "ORG")]
    assert quotes(text, entities) == [("the cranes would be replaced", False, "Vellmar Ports")]


def test_scare_quotes_are_not_quotes() -> None:
    assert quotes("The so-called “deal” was signed.") == []
    got = quotes("She wanted to speak “directly to the dock workers” about pay, Mara Lind said.")
    assert all(not direct for _, direct, _ in got)


TEXT = "“We stay out until Friday,” Mara Lind said. The cranes were old, the port authority said.\n"


def test_polnear_scorer(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc.txt").write_text(TEXT, encoding="utf-8")
    c1 = TEXT.index("“We")
    c2 = TEXT.index("The cranes")
    s2 = TEXT.index("the port")
    ann = (
        f"T1\tSource {TEXT.index('Mara')} {TEXT.index('Mara') + 9}\tMara Lind\n"
        f"T2\tContent {c1} {TEXT.index(',”') + 2}\tx\n"
        f"T3\tSource {s2} {s2 + 18}\tthe port authority\n"
        f"T4\tContent {c2} {c2 + 20}\tThe cranes were old\n"
        "E1\tAttribution:T2 Content:T2 Source:T1\nE2\tAttribution:T4 Content:T4 Source:T3\n"
    )
    (tmp_path / "attributions" / "doc_ab12.ann").write_text(ann, encoding="utf-8")
    docs = eval_quotes.load_dir(tmp_path)
    assert [g.direct for g in docs[0][2]] == [True, False]
    scores, ok, n, _ = eval_quotes.evaluate(docs, eval_quotes.ours)
    assert (scores[True].matched, scores[False].matched, ok, n) == (1, 1, 2, 2)
    assert eval_quotes.main(tmp_path) == 0


def test_eval_quotes_on_shared_data(shared_data: Path) -> None:
    folder = shared_data / "polnear" / "dev"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    docs = eval_quotes.load_dir(folder)[:10]
    scores, _, _, _ = eval_quotes.evaluate(docs, eval_quotes.ours)
    assert scores[True].matched > 0.5 * scores[True].gold
