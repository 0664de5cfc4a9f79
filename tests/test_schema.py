"""The newsdossier/1 JSON Schema: accepts what the writer produces, rejects broken documents."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from dossier_fixture import make_dossier, make_hostile_dossier

from newsdossier.codec import dossier_to_dict
from newsdossier.model import Article, Dossier
from newsdossier.render.json_writer import dumps, integrity_problems, load_schema, validate


@pytest.fixture
def doc() -> dict[str, Any]:
    return dossier_to_dict(make_dossier())


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_rich_and_hostile_fixtures_validate_and_are_consistent(doc: dict[str, Any]) -> None:
    validate(doc)
    assert integrity_problems(doc) == []
    hostile = dossier_to_dict(make_hostile_dossier())
    validate(hostile)
    assert integrity_problems(hostile) == []


def test_fixture_fills_every_field(doc: dict[str, Any]) -> None:
    # The fixture is meant to exercise every layer: no list the schema knows of is empty everywhere.
    for key in ("segments", "entities", "times", "quantities", "quotes", "reuse"):
        assert any(a[key] for a in doc["articles"]), key
    for key in ("why", "related", "summary", "claims", "quantities", "statements", "entities", "timeline"):
        assert all(s[key] for s in doc["stories"][:1]), key
    assert doc["rejected"]
    assert {c["status"] for c in doc["stories"][0]["claims"]} == {
        "corroborated",
        "single_source",
        "contested",
    }


def test_minimal_dossier_validates() -> None:
    validate(dossier_to_dict(Dossier(articles=(), stories=(), generated_at="2025-01-01T00:00:00Z")))
    article = Article(id="a1", input="-", text="Plain text.")
    validate(
        dossier_to_dict(Dossier(articles=(article,), stories=(), generated_at="2025-01-01T00:00:00+02:00"))
    )


def _del(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        target = d
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        target = d
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


BROKEN = {
    "missing format": _del(["format"]),
    "wrong format": _set(["format"], "newsdossier/2"),
    "missing generated_at": _del(["generated_at"]),
    "generated_at not ISO": _set(["generated_at"], "yesterday"),
    "missing article text": _del(["articles", 0, "text"]),
    "missing nullable field": _del(["articles", 0, "external_id"]),
    "missing story claims": _del(["stories", 0, "claims"]),
    "bad segment kind": _set(["articles", 1, "segments", 0, "kind"], "editorial"),
    "bad entity type": _set(["articles", 0, "entities", 0, "type"], "PERS"),
    "bad date basis": _set(["articles", 0, "published", "basis"], "guess"),
    "bad published date": _set(["articles", 0, "published", "date"], "14/05/2024"),
    "bad stance": _set(["articles", 0, "stance"], "neutral"),
    "bad relation": _set(["stories", 0, "related", 0, "relation"], "sequel"),
    "bad claim status": _set(["stories", 0, "claims", 0, "status"], "confirmed"),
    "extra top-level field": _set(["extra"], 1),
    "extra article field": _set(["articles", 0, "score"], 0.5),
    "sentences are internal": _set(["articles", 0, "sentences"], [{"start": 0, "end": 5}]),
    "extra cite field": _set(["stories", 0, "summary", 0, "cites", 0, "text"], "copied text"),
    "negative offset": _set(["articles", 0, "segments", 0, "start"], -1),
    "negative cite end": _set(["stories", 0, "timeline", 0, "cites", 0, "end"], -3),
    "float offset": _set(["articles", 0, "entities", 0, "start"], 1.5),
    "string offset": _set(["stories", 0, "claims", 0, "evidence", 0, "start"], "10"),
    "opinion share above 1": _set(["articles", 1, "opinion_share"], 1.2),
    "value range of three": _set(["articles", 0, "quantities", 1, "value"], [1, 2, 3]),
    "value as string": _set(["articles", 0, "quantities", 0, "value"], "212"),
    "agrees not bool": _set(["stories", 0, "claims", 0, "evidence", 0, "agrees"], "yes"),
    "conflict not bool": _set(["stories", 0, "quantities", 0, "conflict"], 1),
    "negative source count": _set(["stories", 0, "independent_sources"], -1),
    "empty article id": _set(["articles", 0, "id"], ""),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_variants_are_rejected(doc: dict[str, Any], name: str) -> None:
    broken = copy.deepcopy(doc)
    BROKEN[name](broken)
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_range_value_and_null_stance_are_allowed(doc: dict[str, Any]) -> None:
    variant = copy.deepcopy(doc)
    variant["articles"][0]["quantities"][0]["value"] = [3000, 6000.5]
    variant["articles"][0]["stance"] = None
    variant["stories"][0]["event_date"] = None
    validate(variant)


def test_integrity_problems_found() -> None:
    doc = dossier_to_dict(make_dossier())
    n = len(doc["articles"][0]["text"])
    doc["articles"][0]["segments"][-1]["end"] = n - 1  # a gap at the end
    doc["stories"][0]["summary"][0]["cites"][0]["end"] = n + 10  # past the text
    doc["stories"][0]["claims"][0]["evidence"][0]["article_id"] = "nope"
    doc["stories"][0]["related"][0]["story_id"] = "s-missing"
    problems = integrity_problems(doc)
    assert any("segments end" in p for p in problems)
    assert any("outside text" in p for p in problems)
    assert any("unknown article 'nope'" in p for p in problems)
    assert any("unknown story 's-missing'" in p for p in problems)


def test_dumps_is_deterministic_and_round_trips() -> None:
    first, second = dumps(make_dossier()), dumps(make_dossier())
    assert first == second
    doc = json.loads(first)
    validate(doc)
    assert "sentences" not in doc["articles"][0]
    assert "“" not in first or "\\u201c" not in first  # ensure_ascii is off: text stays readable
    assert "Vellmar–Tosk" in first


DOCS = Path(__file__).resolve().parents[1] / "docs" / "format.md"


def _property_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_format_doc_names_every_field_and_its_example_is_valid() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [
        n
        for n in sorted(_property_names(load_schema()))
        if f"`{n}`" not in text and f"{n}," not in text and f"{n}}}" not in text and f".{n}`" not in text
    ]
    assert missing == []
    assert "newsdossier/schema/newsdossier-1.schema.json" in text
    example = json.loads(text.split("```json\n")[1].split("```")[0])
    validate(example)
    assert integrity_problems(example) == []
    article = example["articles"][0]
    spans = [article["text"][x["start"] : x["end"]] for x in article["entities"] + article["times"]]
    assert spans == ["Vellmar", "on Monday"]
