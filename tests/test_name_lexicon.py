"""The entity tagger's name-lexicon features: phrase matching, masks, and the spaCy embedding layer."""

from __future__ import annotations

import numpy as np
import spacy

from newsdossier.annotate.name_lexicon import (
    FIRST_NAME,
    PLACE_BEGIN,
    PLACE_INSIDE,
    SURNAME,
    NameLexicon,
    default_lexicon,
    phrase_tokens,
)

LEXICON = NameLexicon(
    places=["Port Meridian", "Port Meridian Heights", "Lakeshore", "Vale-on-Tarn", "lower case town"],
    first_names=["Mara", "Jon"],
    surnames=["Lind", "Heights"],
)


def masks(text: str) -> list[int]:
    return [int(m) for m in LEXICON.flags(text.split())]


def test_place_phrases_match_longest_first_and_mark_begin_and_inside() -> None:
    heights = PLACE_INSIDE | SURNAME  # inside a place, and a surname too
    assert masks("to Port Meridian Heights today") == [0, PLACE_BEGIN, PLACE_INSIDE, heights, 0]
    assert masks("to Port Meridian today") == [0, PLACE_BEGIN, PLACE_INSIDE, 0]
    assert masks("Port Authority") == [0, 0]  # a first word alone is no match


def test_hyphenated_place_names_are_split_as_the_tokenizer_splits_them() -> None:
    assert phrase_tokens("Vale-on-Tarn") == ("Vale", "-", "on", "-", "Tarn")
    assert masks("in Vale - on - Tarn .")[1:6] == [PLACE_BEGIN] + [PLACE_INSIDE] * 4


def test_person_name_words_and_case() -> None:
    assert masks("Mara Lind met Jon") == [FIRST_NAME, SURNAME, 0, FIRST_NAME]
    # Only capitalised tokens match; a lexicon entry that is not capitalised is never a place.
    assert masks("mara lind") == [0, 0]
    assert masks("a lower case town") == [0, 0, 0, 0]


def test_empty_and_punctuation_only_input() -> None:
    assert LEXICON.flags([]).shape == (0,)
    assert LEXICON.flags([".", ",", "“"]).tolist() == [0, 0, 0]
    assert LEXICON.flags(["A"]).dtype == np.uint64


def test_default_lexicon_knows_common_places_and_names() -> None:
    lexicon = default_lexicon()
    words = ["Mary", "Smith", "visited", "New", "York", "and", "Chicago", "."]
    got = [int(m) for m in lexicon.flags(words)]
    assert got[0] & FIRST_NAME and got[1] & SURNAME
    assert got[3] & PLACE_BEGIN and got[4] & PLACE_INSIDE
    assert got[6] & PLACE_BEGIN
    assert got[2] == got[5] == got[7] == 0


def test_lexicon_embedding_gives_one_row_per_token() -> None:
    from newsdossier.annotate.ner_embed import lexicon_hash_embed

    nlp = spacy.blank("en")
    docs = [nlp("Mara Lind flew to New York."), nlp("")]
    model = lexicon_hash_embed(width=8, attrs=["NORM", "SHAPE"], rows=[50, 10], lexicon_rows=16)
    model.initialize(X=docs)
    out = model.predict(docs)
    assert [o.shape for o in out] == [(len(docs[0]), 8), (0, 8)]
