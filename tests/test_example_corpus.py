"""The bundled example corpus and its ground truth stay in step.

`example_expected.json` names files and quotes phrases planted in them; these tests make sure every
named input exists and every quoted phrase really occurs where the ground truth says, so the answer key
cannot drift from the corpus. They check the corpus only, not the pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from importlib.resources import files
from typing import Any, Iterator

import pytest

DATA = files("newsdossier") / "data"
CORPUS = DATA / "example"
NAME = re.compile(r"^\d\d_[a-z0-9-]+\.(txt|html|jsonl)$")
INPUT_NAME = re.compile(r"^\d\d_[a-z0-9-]+\.(txt|html|jsonl)(#\d+)?$")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    return " ".join(parser.parts)


def _files() -> dict[str, str]:
    return {
        entry.name: entry.read_bytes().decode("utf-8")
        for entry in sorted(CORPUS.iterdir(), key=lambda e: e.name)
        if entry.is_file()
    }


@pytest.fixture(scope="module")
def corpus_files() -> dict[str, str]:
    return _files()


@pytest.fixture(scope="module")
def items(corpus_files: dict[str, str]) -> dict[str, str]:
    """Input name -> raw text (a JSONL record's `text`; an HTML file's markup as written)."""
    out: dict[str, str] = {}
    for name, content in corpus_files.items():
        if name.endswith(".jsonl"):
            for number, line in enumerate(content.splitlines(), start=1):
                out[f"{name}#{number}"] = json.loads(line)["text"]
        else:
            out[name] = content
    return out


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads((DATA / "example_expected.json").read_text(encoding="utf-8"))


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _planted(expected: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in _walk(expected) if isinstance(n, dict) and "file" in n and "text" in n]


def test_corpus_is_package_data_in_expected_formats(corpus_files: dict[str, str]) -> None:
    assert CORPUS.is_dir()
    assert 10 <= len(corpus_files) <= 14
    for name in corpus_files:
        assert NAME.match(name), name
    kinds = {name.rsplit(".", 1)[1] for name in corpus_files}
    assert kinds == {"txt", "html", "jsonl"}
    assert sum(len(c.encode("utf-8")) for c in corpus_files.values()) < 100_000


def test_jsonl_records_carry_metadata_and_text(corpus_files: dict[str, str]) -> None:
    for name, content in corpus_files.items():
        if not name.endswith(".jsonl"):
            continue
        lines = content.splitlines()
        assert len(lines) == 2
        for line in lines:
            record = json.loads(line)
            assert {"id", "title", "source", "url", "published", "text"} <= record.keys()
            assert isinstance(record["text"], str) and record["text"].strip()
            dt.date.fromisoformat(record["published"])


def test_every_item_is_article_length(items: dict[str, str]) -> None:
    assert 12 <= len(items) <= 14
    for name, text in items.items():
        words = len((_html_text(text) if name.endswith(".html") else text).split())
        assert 150 <= words <= 700, (name, words)


def test_every_named_input_exists(expected: dict[str, Any], items: dict[str, str]) -> None:
    named = {n for n in _walk(expected) if isinstance(n, str) and INPUT_NAME.match(n)}
    assert named, "the ground truth names no inputs"
    assert named <= items.keys(), sorted(named - items.keys())


def test_stories_partition_the_corpus(expected: dict[str, Any], items: dict[str, str]) -> None:
    members = [f for story in expected["stories"] for f in story["files"]]
    assert sorted(members) == sorted(items), "each input belongs to exactly one story"
    names = {story["name"] for story in expected["stories"]}
    for pair in expected["recurrence"]:
        assert set(pair) <= names
    for story in expected["stories"]:
        dt.date.fromisoformat(story["event_date"])


def test_planted_phrases_occur_where_stated(expected: dict[str, Any], items: dict[str, str]) -> None:
    planted = _planted(expected)
    assert len(planted) > 50
    for entry in planted:
        assert entry["text"] in items[entry["file"]], entry


def test_aliases_each_spelling_occurs(expected: dict[str, Any], items: dict[str, str]) -> None:
    everything = "\n".join(items.values())
    for group in expected["aliases"]:
        for name in group["names"]:
            assert name in everything, name
    place = expected["aliases"][0]["names"]
    assert len(place) >= 3


def test_misspelling_and_wrong_venue_are_single_outliers(expected: dict[str, Any], items: dict[str, str]) -> None:
    wrong, right = expected["misspelling"]["wrong"], expected["misspelling"]["right"]
    assert [f for f, t in items.items() if wrong in t] == [expected["misspelling"]["file"]]
    assert sum(right in t for t in items.values()) >= 5
    for contested in expected["contested"]:
        holders = [f for f, t in items.items() if contested["wrong"] in t]
        assert holders == [contested["wrong_evidence"]["file"]]
        assert sum(contested["right"] in t for t in items.values()) >= 3


def test_wire_passage_is_carried_verbatim(expected: dict[str, Any], items: dict[str, str]) -> None:
    wire = expected["wire_passage"]
    original = items[wire["original"]]
    start = original.index(wire["starts"])
    end = original.index(wire["ends"], start) + len(wire["ends"])
    passage = original[start:end]
    assert len([p for p in passage.split("\n\n") if p.strip()]) == wire["paragraphs"]
    for copy in wire["copies"]:
        assert passage in items[copy], copy
    carriers = [f for f, t in items.items() if passage in t]
    assert sorted(carriers) == sorted(expected["wire_copies"])


def test_shared_footers_are_identical(expected: dict[str, Any], items: dict[str, str]) -> None:
    for footer in expected["shared_footers"]:
        tails = {items[f][items[f].index(footer["starts"]) :] for f in footer["files"]}
        assert len(tails) == 1, footer["source"]


def test_relative_weekdays_resolve_to_that_weekday(expected: dict[str, Any]) -> None:
    for entry in expected["relative_dates"]:
        value = entry["resolves_to"]
        if len(value) != 10:
            continue
        day = dt.date.fromisoformat(value)
        named = [w for w in WEEKDAYS if w in entry["text"].lower()]
        if named:
            assert named == [WEEKDAYS[day.weekday()]], entry
