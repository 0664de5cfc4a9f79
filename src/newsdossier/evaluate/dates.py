"""``newsdossier eval dates --data DIR``: temporal expressions on TimeML, scored the TempEval-3 way.

Reads every ``*.tml`` (TimeBank/AQUAINT TimeML) and MEANTIME CAT ``*.xml`` under DIR. Each document is
anchored at its creation time (the TIMEX3 with ``functionInDocument="CREATION_TIME"``), which is itself
not scored. Metrics as in TE3-evaluation.py: strict span P/R/F1 (same offsets), relaxed span P/R/F1
(any overlap, one-to-one), value accuracy (share of relaxed matches with the gold value) and value F1
(a true positive is a relaxed match with the right value).

Scored types: DATE and TIME - the points and periods of the calendar that ``find_times`` produces.
DURATION and SET are not produced; gold of those types is left out, and a prediction overlapping such
a gold span is neither credited nor penalised. An "all types" line scores against every gold TIMEX3.
Baseline: dateparser's ``search_dates`` with the document date as ``RELATIVE_BASE`` (day values).

Honesty split: the rules were developed looking only at the errors on 4 of every 5 documents (paths sorted
within each corpus); every 5th document (:func:`held_out`) was never inspected. Both the held-out
part and the whole set are printed; a gap between them is overfitting.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..annotate.times import tag_times

SCORED_TYPES = frozenset({"DATE", "TIME"})


@dataclass
class Doc:
    name: str
    text: str
    dct: dt.date | None
    gold: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, type, value
    scored_until: int | None = None  # MEANTIME annotates times only in the title and first sentences


_TOKEN = re.compile(r"<(/?)(\w+)([^>]*?)(/?)>|&(#?\w+);|[^<&]+|[<&]")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def load_timeml(path: Path) -> Doc:
    """The TEXT element as plain text (tags stripped, entities decoded) with its TIMEX3 spans."""
    raw = path.read_text(encoding="utf-8")
    dct_m = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    dct = None
    if dct_m:
        value = dict(_ATTR.findall(dct_m.group())).get("value", "")
        if re.match(r"\d{4}-\d\d-\d\d", value):
            dct = dt.date.fromisoformat(value[:10])
    body_m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
    body = body_m.group(1) if body_m else ""
    out: list[str] = []
    pos = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    gold: list[tuple[int, int, str, str]] = []
    for m in _TOKEN.finditer(body):
        if m.group(2):
            closing, tag = m.group(1), m.group(2)
            if tag == "TIMEX3" and not closing:
                open_timex.append((pos, dict(_ATTR.findall(m.group(3)))))
            elif tag == "TIMEX3" and closing and open_timex:
                start, attrs = open_timex.pop()
                gold.append((start, pos, attrs.get("type", ""), attrs.get("value", "")))
            continue
        piece = html.unescape(m.group()) if m.group(5) else m.group()
        out.append(piece)
        pos += len(piece)
    return Doc(path.name, "".join(out), dct, gold)


# Sentence 0 is the title, 1 the date line; MEANTIME's guidelines annotate timexes in the first 5 after them.
_MEANTIME_SENTENCES = 6
_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|n't|'re|'ve|'ll|'d|'m)$", re.IGNORECASE)


def load_meantime(path: Path) -> Doc:
    """A CAT XML document: tokens joined (light detokenisation), sentences on lines, TIMEX3 by token ids."""
    root = ET.parse(path).getroot()
    text, offsets, prev_sentence, prev_tok, limit = "", {}, None, "", 0
    for tok in root.iter("token"):
        word, sentence = tok.text or "", tok.get("sentence")
        if prev_sentence is not None:
            if sentence != prev_sentence:
                text += "\n"
            elif not _NO_SPACE_BEFORE.match(word) and prev_tok not in ("(", "$", "[", "``"):
                text += " "
        if int(sentence or 0) <= _MEANTIME_SENTENCES:
            limit = len(text) + len(word)
        offsets[tok.get("t_id")] = (len(text), len(text) + len(word))
        text += word
        prev_sentence, prev_tok = sentence, word
    dct, gold = None, []
    for tx in root.iter("TIMEX3"):
        ids = [a.get("t_id") for a in tx.findall("token_anchor")]
        value = tx.get("value", "")
        if tx.get("functionInDocument") == "CREATION_TIME":
            if re.match(r"\d{4}-\d\d-\d\d", value):
                dct = dt.date.fromisoformat(value[:10])
            if ids and all(i in offsets for i in ids):  # the DCT line is in the text but never scored
                gold.append((offsets[ids[0]][0], offsets[ids[-1]][1], "CREATION_TIME", value))
            continue
        if ids and all(i in offsets for i in ids):
            gold.append((offsets[ids[0]][0], offsets[ids[-1]][1], tx.get("type", ""), value))
    return Doc(path.stem, text, dct, gold, scored_until=limit)


def load_dir(data: Path) -> list[Doc]:
    docs = [load_timeml(p) for p in sorted(data.rglob("*.tml"))]
    docs += [load_meantime(p) for p in sorted(data.rglob("*.xml")) if p.name != "MEANTIME_NWR.xsd"]
    return [d for d in docs if d.text]


Tagger = Callable[[str, dt.date | None], list[tuple[int, int, str]]]


def ours(text: str, anchor: dt.date | None) -> list[tuple[int, int, str]]:
    return [(t.start, t.end, t.value) for t in tag_times(text, anchor)]


def dateparser_baseline(text: str, anchor: dt.date | None) -> list[tuple[int, int, str]]:
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": dt.datetime.combine(anchor, dt.time())} if anchor else {}
    found = search_dates(text, languages=["en"], settings=settings) or []
    out, pos = [], 0
    for s, value in found:
        i = text.find(s, pos)
        if i < 0:
            continue
        out.append((i, i + len(s), value.date().isoformat()))
        pos = i + len(s)
    return out


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0

    def add(self, gold: list[tuple[int, int, str, str]], system: list[tuple[int, int, str]]) -> None:
        self.gold += len(gold)
        self.system += len(system)
        used: set[int] = set()
        for s, e, v in system:
            for i, (gs, ge, _, gv) in enumerate(gold):
                if i not in used and s < ge and gs < e:
                    used.add(i)
                    self.relaxed += 1
                    self.strict += (s, e) == (gs, ge)
                    self.value += v == gv
                    break

    def lines(self, label: str) -> str:
        def prf(tp: int) -> str:
            p = tp / self.system if self.system else 0.0
            r = tp / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return f"P {p:.3f} R {r:.3f} F1 {f:.3f}"

        acc = self.value / self.relaxed if self.relaxed else 0.0
        return (
            f"  {label:<34} gold {self.gold:5d} sys {self.system:5d}\n"
            f"    strict span   {prf(self.strict)}\n"
            f"    relaxed span  {prf(self.relaxed)}\n"
            f"    value         {prf(self.value)}   accuracy {acc:.3f}"
        )


def score(docs: Iterable[Doc], tagger: Tagger, types: frozenset[str] | None) -> tuple[Counts, float]:
    """Score a tagger over documents; ``types`` None means every gold TIMEX3 type."""
    counts, elapsed = Counts(), 0.0
    for doc in docs:
        t0 = time.perf_counter()
        system = tagger(doc.text, doc.dct)
        if doc.scored_until is not None:
            system = [x for x in system if x[0] < doc.scored_until]
        elapsed += time.perf_counter() - t0
        never = [g for g in doc.gold if g[2] == "CREATION_TIME" or (types is not None and g[2] not in types)]
        gold = [g for g in doc.gold if g not in never]
        system = [s for s in system if not any(s[0] < g[1] and g[0] < s[1] for g in never)]
        counts.add(gold, system)
    return counts, elapsed


HOLD_OUT_EVERY = 5


def held_out(docs: list[Doc]) -> list[Doc]:
    """Every 5th document (indices 4, 9, ...) of a corpus in path order: the part never inspected."""
    return [d for i, d in enumerate(docs) if i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1]


def _groups(data: Path, docs: list[Doc]) -> list[tuple[str, list[Doc]]]:
    tml = [d for d in docs if d.name.endswith(".tml")]
    cat = [d for d in docs if not d.name.endswith(".tml")]
    return [(name, group) for name, group in ((f"TimeML ({len(tml)} docs)", tml), (f"MEANTIME ({len(cat)} docs)", cat)) if group]


def main(data: Path, baseline: bool = True) -> int:
    data = Path(data)
    if not data.is_dir():
        print(f"eval dates: {data} is not a folder of TimeML (.tml) or MEANTIME (.xml) files", file=sys.stderr)
        return 2
    docs = load_dir(data)
    if not docs:
        print(f"eval dates: no TimeML or MEANTIME documents under {data}", file=sys.stderr)
        return 2
    print(f"eval dates: {data}")
    for name, group in _groups(data, docs):
        print(f"{name}; scored types DATE+TIME unless noted")
        counts, secs = score(group, ours, SCORED_TYPES)
        print(counts.lines(f"newsdossier ({secs * 1000 / len(group):.1f} ms/doc)"))
        held = held_out(group)
        if held:
            counts, _ = score(held, ours, SCORED_TYPES)
            print(counts.lines(f"newsdossier, held-out 1/{HOLD_OUT_EVERY} ({len(held)} docs)"))
        counts, _ = score(group, ours, None)
        print(counts.lines("newsdossier, all types"))
        if baseline:
            counts, secs = score(group, dateparser_baseline, SCORED_TYPES)
            print(counts.lines(f"dateparser search_dates ({secs * 1000 / len(group):.0f} ms/doc)"))
    return 0
