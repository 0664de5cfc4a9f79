"""Record files: JSON lines, JSON (an object or a list of objects) and CSV/TSV.

Each record becomes one article named ``file#N``: the line number for JSON lines, the position in the
list for JSON, the record number (header excluded) for CSV. A bad record is rejected on its own and the
other records still load.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from ..model import Rejected
from .base import BINARY_REASON, Items, decode_text, make_article

TEXT_FIELDS = ("text", "body", "content")
DATE_FIELDS = ("published", "date")
_NO_TEXT = f"no text field (expected one of {', '.join(TEXT_FIELDS)})"


def _field(record: Mapping[str, Any], names: tuple[str, ...]) -> tuple[bool, Any]:
    """The first of ``names`` present in the record, matched case-insensitively (exports vary)."""
    by_lower = {str(k).strip().lower(): v for k, v in record.items()}
    for name in names:
        if name in by_lower:
            return True, by_lower[name]
    return False, None


def record_to_article(name: str, record: Mapping[str, Any]) -> Items:
    found, text = _field(record, TEXT_FIELDS)
    if not found:
        yield Rejected(name, _NO_TEXT)
        return
    if text is None:
        yield Rejected(name, "no text (the text field is empty)")
        return
    if not isinstance(text, str):
        yield Rejected(name, f"text field is a {type(text).__name__}, not a string")
        return
    published = next((v for v in (_field(record, (f,))[1] for f in DATE_FIELDS) if v not in (None, "")), None)
    yield make_article(
        name,
        text,
        external_id=_field(record, ("id",))[1],
        source=_field(record, ("source",))[1],
        url=_field(record, ("url",))[1],
        title=_field(record, ("title",))[1],
        published=published,
    )


def _decode(name: str, data: bytes) -> str | Rejected:
    if not data.strip():
        return Rejected(name, "empty file")
    text = decode_text(data)
    return Rejected(name, BINARY_REASON) if text is None else text


def read_jsonl(name: str, data: bytes) -> Items:
    decoded = _decode(name, data)
    if isinstance(decoded, Rejected):
        yield decoded
        return
    # Split on LF only: str.splitlines() would also split on U+2028, which JSON allows inside strings.
    for number, line in enumerate(decoded.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejected(where, f"line is not valid JSON: {err.msg} at col {err.colno}")
            continue
        if not isinstance(record, dict):
            yield Rejected(where, f"line is a JSON {type(record).__name__}, not an object")
            continue
        yield from record_to_article(where, record)


def _records_in(document: Any) -> list[Any] | None:
    """The list of records in a JSON document: the document itself, or its one list of objects."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        lists = [
            v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
        ]
        if not _field(document, TEXT_FIELDS)[0] and len(lists) == 1:
            return lists[0]  # e.g. {"articles": [...]}
    return None


def read_json(name: str, data: bytes) -> Items:
    decoded = _decode(name, data)
    if isinstance(decoded, Rejected):
        yield decoded
        return
    try:
        document = json.loads(decoded)
    except json.JSONDecodeError as err:
        yield Rejected(name, f"not valid JSON: {err.msg} at line {err.lineno} col {err.colno}")
        return
    records = _records_in(document)
    if records is None:
        if isinstance(document, dict):
            yield from record_to_article(name, document)
        else:
            yield Rejected(
                name, f"expected a JSON object or a list of objects, got {type(document).__name__}"
            )
        return
    for number, record in enumerate(records, start=1):
        where = f"{name}#{number}"
        if isinstance(record, dict):
            yield from record_to_article(where, record)
        else:
            yield Rejected(where, f"list item is a JSON {type(record).__name__}, not an object")


def _dialect(sample: str, default: str) -> str:
    """The delimiter of the header line: the candidate that occurs most there."""
    header = sample.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else default


def read_csv(name: str, data: bytes, *, delimiter: str = ",") -> Items:
    decoded = _decode(name, data)
    if isinstance(decoded, Rejected):
        yield decoded
        return
    csv.field_size_limit(max(len(decoded), 131072))  # one huge article in one cell is legitimate
    reader = csv.DictReader(io.StringIO(decoded, newline=""), delimiter=_dialect(decoded, delimiter))
    columns = [c for c in (reader.fieldnames or []) if c is not None]
    if not any(c.strip().lower() in TEXT_FIELDS for c in columns):
        found = ", ".join(c.strip() for c in columns[:10]) or "none"
        yield Rejected(name, f"no text column (expected one of {', '.join(TEXT_FIELDS)}; found {found})")
        return
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield Rejected(
                f"{name}#{number + 1}", f"malformed CSV record: {err}; the rest of the file was not read"
            )
            return
        number += 1
        row.pop(None, None)  # cells beyond the header (a ragged row) have no column name
        yield from record_to_article(f"{name}#{number}", row)
