"""``dossier.json``: the ``newsdossier/1`` document, deterministic and schema-checked."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import orjson

from ..codec import dossier_article_to_dict, dossier_to_dict, story_to_dict
from ..model import Dossier

SCHEMA_RESOURCE = "schema/newsdossier-1.schema.json"


def dumps(dossier: Dossier) -> str:
    """The dossier as JSON text. The same Dossier always gives the same string: the codec emits keys
    and lists in a fixed order and nothing here depends on hashing or the clock."""
    return b"".join(_doc_chunks(dossier_to_dict(dossier))).decode("utf-8").removesuffix("\n")


def _doc_chunks(doc: Mapping[str, Any], record: Callable[[str, Any, bytes], None] | None = None
                ) -> Iterator[bytes]:
    """The document with one top-level key per line and one list item (an article, a story) per line,
    each item compact: diffable and greppable line by line. Made and written piece by piece: for a
    10k-article dossier (108 MB) orjson's indenting took 1.8-2.9 s (json's pure-Python one 14.7 s),
    and even one compact 108 MB string costs ~1.5 s in a fresh process, mostly fresh memory pages.
    A list value may be an :class:`_Items` (made one item at a time). ``record(key, item, line)`` is
    called with each list item and its encoded line."""
    yield b"{\n"
    for k, (key, value) in enumerate(doc.items()):
        end = b",\n" if k < len(doc) - 1 else b"\n"
        head = b"  " + orjson.dumps(key) + b": "
        if isinstance(value, (list, _Items)) and len(value):
            yield head + b"[\n"
            last = len(value) - 1
            for i, item in enumerate(value):
                line = orjson.dumps(item)
                if record is not None:
                    record(key, item, line)
                yield b"    " + line + (b",\n" if i < last else b"\n")
            yield b"  ]" + end
        else:
            yield head + orjson.dumps(list(value) if isinstance(value, _Items) else value) + end
    yield b"}\n"


class _Items:
    """``[to_dict(x) for x in items]`` made one item at a time as it is iterated, each item checked by
    ``check`` first: the whole document is never held (see :func:`write_json`)."""

    def __init__(self, items: Sequence[Any], to_dict: Callable[[Any], dict[str, Any]],
                 check: Callable[[dict[str, Any]], bool]) -> None:
        self.items, self.to_dict, self.check = items, to_dict, check

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for x in self.items:
            d = self.to_dict(x)
            if not self.check(d):
                raise _Invalid
            yield d


class _Invalid(Exception):
    """An item failed its part of the schema (the full check then finds and raises the error)."""


def write_json(dossier: Dossier, path: Path, record: Callable[[str, Any, bytes], None] | None = None) -> Path:
    """Validate, then write ``dumps(dossier)``. Nothing is written if invalid (an earlier file at
    ``path`` stays as it was). ``record``: see :func:`_doc_chunks` (the story pages' digests).

    Article by article and story by story: each item's dict is made, checked against its part of the
    schema, written and dropped. The schema constrains the document only through its top-level keys
    and each item of its lists (no constraint spans two items), so this is the check of the whole
    document; holding the whole document instead (10k articles: several hundred MB of small objects)
    cost more than making it. An invalid item: the whole document is made and checked, for the error."""
    top = dossier_to_dict(replace(dossier, articles=(), stories=()))  # format, generated_at, rejected
    partial = path.with_name(path.name + ".partial")
    try:
        if not _fast_validator().is_valid(top):
            raise _Invalid
        doc = dict(top,
                   articles=_Items(dossier.articles, dossier_article_to_dict, _item_validator("article").is_valid),
                   stories=_Items(dossier.stories, story_to_dict, _item_validator("story").is_valid))
        with partial.open("wb") as f:
            for chunk in _doc_chunks(doc, record):
                f.write(chunk)
    except _Invalid:
        partial.unlink(missing_ok=True)
        validate(dossier_to_dict(dossier))
        raise jsonschema.ValidationError("dossier.json: an item is not newsdossier/1") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return path


@lru_cache(maxsize=4)
def _item_validator(name: str) -> Any:
    """jsonschema-rs validator of one ``$defs`` entry of the schema (an article, a story)."""
    import jsonschema_rs

    schema = load_schema()
    return jsonschema_rs.validator_for({"$schema": schema["$schema"], "$defs": schema["$defs"],
                                        "$ref": f"#/$defs/{name}"})


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The JSON Schema of ``newsdossier/1``, shipped as package data."""
    text = resources.files("newsdossier").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema())


def validate(doc: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` (the most relevant error) if doc is not ``newsdossier/1``.

    A valid document is recognised by jsonschema-rs (0.3 s for a 10k-article dossier, where the
    ``jsonschema`` package takes ~130 s); only an invalid one goes through ``jsonschema`` as well, for
    its error. Both implement the schema's draft (2020-12), and the tests hold invalid documents
    that each must reject."""
    if _fast_validator().is_valid(doc):
        return
    validator = _validator()
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        raise error


def integrity_problems(doc: dict[str, Any]) -> list[str]:
    """What the schema cannot say: offsets inside their article's text, segments partitioning it,
    cites and ids pointing at articles and stories that exist. Empty when all is well."""
    problems: list[str] = []
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    story_ids = {s["id"] for s in doc["stories"]}

    def span(where: str, article_id: str, start: int, end: int) -> None:
        if article_id not in texts:
            problems.append(f"{where}: unknown article {article_id!r}")
        elif not 0 <= start <= end <= len(texts[article_id]):
            problems.append(f"{where}: span [{start}, {end}) outside text of length {len(texts[article_id])}")

    for a in doc["articles"]:
        aid, n = a["id"], len(a["text"])
        pos = 0
        for seg in a["segments"]:
            if seg["start"] != pos:
                problems.append(f"article {aid}: segments leave a gap or overlap at {pos}")
            pos = seg["end"]
        if a["segments"] and pos != n:
            problems.append(f"article {aid}: segments end at {pos}, text has {n} characters")
        for layer in ("entities", "times", "quantities", "quotes"):
            for item in a[layer]:
                span(f"article {aid} {layer}", aid, item["start"], item["end"])
        for q in a["quotes"]:
            if q["speaker_start"] is not None and q["speaker_end"] is not None:
                span(f"article {aid} quote speaker", aid, q["speaker_start"], q["speaker_end"])
        for ref in (a["story_id"],):
            if ref is not None and ref not in story_ids:
                problems.append(f"article {aid}: unknown story {ref!r}")
        if a["duplicate_of"] is not None and a["duplicate_of"] not in texts:
            problems.append(f"article {aid}: duplicate_of unknown article {a['duplicate_of']!r}")
    for s in doc["stories"]:
        sid = s["id"]
        for aid in s["article_ids"]:
            if aid not in texts:
                problems.append(f"story {sid}: unknown article {aid!r}")
        for r in s["related"]:
            if r["story_id"] not in story_ids:
                problems.append(f"story {sid}: related to unknown story {r['story_id']!r}")
        cites = [("summary", c) for item in s["summary"] for c in item["cites"]]
        cites += [("claim evidence", e) for c in s["claims"] for e in c["evidence"]]
        cites += [("quantity", v) for g in s["quantities"] for v in g["values"]]
        cites += [("statement", v) for st in s["statements"] for v in st["variants"]]
        cites += [("timeline", c) for t in s["timeline"] for c in t["cites"]]
        for where, c in cites:
            span(f"story {sid} {where}", c["article_id"], c["start"], c["end"])
    return problems
