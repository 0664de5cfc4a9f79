"""The data model travels between processes (the pool and Dask engines) by pickle: what comes back
must equal what went out, for every dataclass in the model."""

from __future__ import annotations

import dataclasses
import pickle

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
