"""The data model travels between processes (the pool and Dask engines) by pickle: what comes back
must equal what went out, for every dataclass in the model."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from newsdossier import model
from newsdossier.api import analyze, example_corpus


def test_every_model_dataclass_pickles_as_its_fields() -> None:
    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert len(classes) > 10
    for cls in classes:
        assert "__reduce__" in vars(cls), cls.__name__


def test_an_analysed_dossier_survives_pickling() -> None:
    dossier = analyze([example_corpus()])
    assert any(a.entities and a.quotes and a.segments for a in dossier.articles)
    assert any(s.claims for s in dossier.stories)
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(dossier, protocol=protocol))
        assert back == dossier
        assert type(back.articles[0].sentences[0]) is model.Sentence


def test_offsets_come_back_shared() -> None:
    # offsets repeat across articles; unpickled (engines) or read from the store they are one object
    from newsdossier.codec import article_from_dict, article_to_dict

    a = model.Article(id="a", input="-", text="x" * 2000,
                      sentences=(model.Sentence(0, 1000), model.Sentence(1000, 2000)))
    b = model.Article(id="b", input="-", text="y" * 3000, sentences=(model.Sentence(1000, 3000),))
    back_a, back_b = pickle.loads(pickle.dumps([a, b]))
    assert (back_a, back_b) == (a, b)
    assert back_a.sentences[1].start is back_b.sentences[0].start is back_a.sentences[0].end
    stored_a, stored_b = (article_from_dict(article_to_dict(x)) for x in (a, b))
    assert stored_a.sentences[0].end is stored_b.sentences[0].start
    big = model.Sentence(70_000, 70_001)  # beyond the shared range: kept as it is
    assert pickle.loads(pickle.dumps(big)) == big


def test_fast_constructor_builds_what_init_builds() -> None:
    """Every model dataclass built slot by slot equals (and hashes as) the one its __init__ builds."""

    from newsdossier import model

    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert len(classes) > 15
    for cls in classes:
        values = tuple(f"v{i}" for i in range(len(dataclasses.fields(cls))))
        made, built = model.fast_constructor(cls)(*values), cls(*values)
        assert type(made) is cls and made == built
        assert [getattr(made, f.name) for f in dataclasses.fields(cls)] == list(values)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, dataclasses.fields(cls)[0].name, "changed")
        assert pickle.loads(pickle.dumps(made)) == built
    span = model.EntityMention(3, 9, "PERSON", "e_1")
    assert hash(model.fast_constructor(model.EntityMention)(3, 9, "PERSON", "e_1")) == hash(span)
