"""Synthetic benchmark corpora: N articles varied from the example corpus and the dev corpora.

Written at run time into a scratch folder (never into the repo: the dev corpora's text stays in
``../shared/data``). Each synthetic article takes a base article (the example corpus, ECB+ dev texts,
FNC-1 bodies when present), keeps ~85 % of its sentences, may borrow sentences from another article
about the same ECB+ event (so stories form as in real coverage), and is published by one of a few dozen
synthetic outlets, each with its own byline and footer lines (so the clean stage's furniture detection
has work). Same seed, same corpus.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newsdossier.api import example_corpus
from newsdossier.ingest import read_inputs
from newsdossier.model import Article

# ../shared/data beside the repository; NEWSDOSSIER_SHARED_DATA for a clone elsewhere (without the dev
# corpora the synthesiser has only the example corpus's 12 articles to vary: a corpus of near-copies).
SHARED_DATA = Path(os.environ.get("NEWSDOSSIER_SHARED_DATA")
                   or Path(__file__).resolve().parents[2] / "shared" / "data")
OUTLETS = 40
ARTICLES_PER_FILE = 1000
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?=[\"“A-Z0-9])")


@dataclass(frozen=True)
class Base:
    title: str
    paragraphs: tuple[tuple[str, ...], ...]  # sentences per paragraph
    topic: str  # articles on one event share a topic (ECB+ subtopic); singletons their own
    date: str | None


def _paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return tuple(tuple(s for s in _SENTENCE_END.split(" ".join(p.split())) if s) for p in paras)


def _from_example() -> list[Base]:
    out = []
    for a in read_inputs([str(example_corpus())]):
        if isinstance(a, Article):
            out.append(Base(a.title or a.text.split("\n", 1)[0], _paragraphs(a.text), f"example:{a.id}",
                            a.published.date))
    return out


def _from_ecbplus(data: Path) -> list[Base]:
    path = data / "ecbplus" / "ecbplus_dev.jsonl"
    if not path.is_file():
        return []
    out = []
    for line in path.open(encoding="utf-8"):
        d = json.loads(line)
        # ECB+ texts are single paragraphs: break them every 3 sentences like a news page.
        sents = _SENTENCE_END.split(" ".join(d["text"].split()))
        paras = tuple(tuple(sents[i : i + 3]) for i in range(0, len(sents), 3))
        out.append(Base(d["title"], paras, f"ecb:{d['subtopic']}", None))
    return out


def _from_fnc(data: Path, limit: int = 1500) -> list[Base]:
    path = data / "fnc1" / "train_bodies.csv"
    if not path.is_file():
        return []
    csv.field_size_limit(10**8)
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            paras = _paragraphs(row["articleBody"])
            if paras and len(out) < limit:
                out.append(Base(paras[0][0][:120], paras, f"fnc:{row['Body ID']}", None))
    return out


def load_bases(data: Path = SHARED_DATA) -> list[Base]:
    """Every base article available (the example corpus always; the dev corpora when present)."""
    return _from_example() + _from_ecbplus(data) + _from_fnc(data)


def _outlet(k: int) -> tuple[str, str, list[str]]:
    name = f"Outlet {k:02d} Daily"
    return (name, f"By the {name} news desk",
            [f"{name} is read in {k + 3} countries.", f"Contact the {name} desk: desk{k}@outlet{k}.example"])


def synthesise(n: int, folder: Path, seed: int = 0, data: Path = SHARED_DATA) -> list[Path]:
    """Write ``n`` synthetic articles as JSONL files into ``folder``; return the files."""
    rng = random.Random(seed)
    bases = load_bases(data)
    if not data.is_dir():
        print(f"warning: {data} not found: the corpus varies the example corpus only ({len(bases)} base articles);"
              " set NEWSDOSSIER_SHARED_DATA", file=sys.stderr)
    by_topic: dict[str, list[Base]] = defaultdict(list)
    for b in bases:
        by_topic[b.topic].append(b)
    topic_day = {t: dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365)) for t in sorted(by_topic)}
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    out = None
    for i in range(n):
        if i % ARTICLES_PER_FILE == 0:
            if out:
                out.close()
            files.append(folder / f"part-{len(files):04d}.jsonl")
            out = files[-1].open("w", encoding="utf-8")
        base = bases[i % len(bases)] if i < len(bases) else rng.choice(bases)
        name, byline, footer = _outlet(rng.randrange(OUTLETS))
        paras = [[s for s in p if rng.random() > 0.15] or [p[0]] for p in base.paragraphs]
        siblings = [b for b in by_topic[base.topic] if b is not base]
        if siblings and rng.random() < 0.5:  # borrow a paragraph from another report of the event
            other = rng.choice(siblings)
            paras.insert(rng.randrange(len(paras) + 1), list(rng.choice(other.paragraphs)))
        day = base.date or (topic_day[base.topic] + dt.timedelta(days=rng.randrange(3))).isoformat()
        body = "\n\n".join(" ".join(p) for p in paras)
        text = f"{base.title}\n\n{byline}\n\n{body}\n\n" + "\n".join(footer) + f"\n\nRef {i}"
        record = {"id": f"syn-{i}", "title": base.title, "source": name, "published": day, "text": text}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
    if out:
        out.close()
    return files


def html_pages(folder: Path, limit: int = 200, data: Path = SHARED_DATA) -> list[Path]:
    """Up to ``limit`` real HTML pages (trafilatura's evaluation set), unpacked into ``folder``."""
    src = data / "extraction" / "trafilatura_eval" / "html"
    if not src.is_dir():
        return []
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for gz in sorted(src.glob("*.html.gz"))[:limit]:
        path = folder / gz.name[: -len(".gz")]
        path.write_bytes(gzip.decompress(gz.read_bytes()))
        out.append(path)
    return out
