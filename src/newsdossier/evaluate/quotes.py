"""``newsdossier eval quotes --data DIR``: quotes and speakers on PolNeAR brat files.

DIR holds ``text/*.txt`` and ``attributions/*.ann`` (one .ann per annotator; the first annotator of
each article is used). Each brat attribution gives a Content span (discontinuous pieces are joined
to their hull), its Cue and usually a Source.

- Direct vs indirect (gold): a content is direct when it starts with a quotation mark or sits right
  inside one (the character before it, spaces aside, is an opening mark); all others are indirect.
- Content F1, per kind: a prediction matches a gold content of the same kind (one-to-one) when their
  overlap covers at least 50% of each.
- Speaker accuracy, over matched pairs: the predicted speaker span overlaps the gold Source span, or,
  when the gold Source names nobody (a pronoun or "the official"), overlaps the gold source's nearest
  named mention - the closest gold Source before it that names someone (a capital beyond a leading
  pronoun or article: "He" and "The official" name nobody).
Baseline in the same run: quotation marks only (paired marks in a paragraph, >= 1 word), no speakers.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..annotate.quotes import find_quotes
from ..clean.sentences import split_sentences

_OPEN_MARKS = "“\"«„‘"
# A source "names nobody" when its only capital is a sentence-initial function word: "He", "the official",
# "A spokesman for the ministry". ("He" alone once counted as a name here; it is a pronoun.)
_FUNCTION_WORDS = frozenset(
    "he she it they we i you his her its their our my the a an this that these those some many most one "
    "both all several another other such each".split())


def _names_nobody(source: str) -> bool:
    words = source.split()
    caps = [i for i, w in enumerate(words) if w[:1].isupper()]
    return not caps or (caps == [0] and words[0].lower() in _FUNCTION_WORDS)


@dataclass
class Gold:
    start: int
    end: int
    direct: bool
    source: tuple[int, int] | None


def _spans(field: str) -> tuple[int, int]:
    nums = [int(x) for x in re.findall(r"\d+", field)]
    return min(nums), max(nums)


def load_article(ann: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, tuple[int, int]]] = {}
    out = []
    lines = ann.read_text(encoding="utf-8").splitlines()
    for line in lines:
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, loc = parts[1].partition(" ")
            spans[parts[0]] = (kind, _spans(loc))
    for line in lines:
        if not line.startswith("E"):
            continue
        roles = dict(r.split(":", 1) for r in line.split("\t")[1].split() if ":" in r)
        if "Content" not in roles or roles["Content"] not in spans:
            continue
        s, e = spans[roles["Content"]][1]
        src = spans.get(roles.get("Source", ""), (None, None))[1]
        out.append(Gold(s, e, _is_direct(text, s, e), src))
    return out


def _is_direct(text: str, s: int, e: int) -> bool:
    content = text[s:e].lstrip()
    if content[:1] in _OPEN_MARKS:
        return True
    k = s - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    return k >= 0 and text[k] in _OPEN_MARKS


def annotated_articles(data: Path) -> Iterator[tuple[str, Path, str]]:
    """(article name, its .ann file, its text) for a PolNeAR folder; one annotation per article
    (double-annotated articles keep their first annotator's file)."""
    texts = {p.stem: p for p in sorted((data / "text").glob("*.txt"))}
    seen: set[str] = set()
    for ann in sorted((data / "attributions").glob("*.ann")):
        base = ann.stem.rsplit("_", 1)[0]
        if base in seen or base not in texts:
            continue
        seen.add(base)
        yield base, ann, texts[base].read_text(encoding="utf-8")


def load_dir(data: Path) -> list[tuple[str, str, list[Gold]]]:
    docs = []
    for base, ann, text in annotated_articles(data):
        docs.append((base, text, load_article(ann, text)))
    return docs


_BASELINE = re.compile(r"“[^”\n]+”|\"[^\"\n]+\"")


def baseline(text: str) -> list[tuple[int, int, bool, tuple[int, int] | None]]:
    return [(m.start(), m.end(), True, None) for m in _BASELINE.finditer(text)]


def ours(text: str) -> list[tuple[int, int, bool, tuple[int, int] | None]]:
    """The pipeline's path: quotes with the entity model's mentions (speakers resolve through them)."""
    from ..annotate.entities import find_entities

    return _as_tuples(find_quotes(text, split_sentences(text), find_entities(text)))


def ours_without_entities(text: str) -> list[tuple[int, int, bool, tuple[int, int] | None]]:
    """Quotes alone (speakers from the tagged sources and a capitalised-name fallback)."""
    return _as_tuples(find_quotes(text, split_sentences(text), []))


def _as_tuples(quotes) -> list[tuple[int, int, bool, tuple[int, int] | None]]:
    return [(q.start, q.end, q.direct, (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None)
            for q in quotes]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * (a[1] - a[0]) and inter >= 0.5 * (b[1] - b[0])


def _named_source(text: str, golds: list[Gold], g: Gold) -> tuple[int, int] | None:
    if g.source is None:
        return None
    if not _names_nobody(text[g.source[0] : g.source[1]]):
        return g.source
    best = None
    for other in golds:
        if other.source and other.source[1] <= g.source[0]:
            if not _names_nobody(text[other.source[0] : other.source[1]]):
                if best is None or other.source[1] > best[1]:
                    best = other.source
    return best


@dataclass
class Score:
    gold: int = 0
    system: int = 0
    matched: int = 0

    def prf(self) -> str:
        p = self.matched / self.system if self.system else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"gold {self.gold:5d} sys {self.system:5d}  P {p:.3f} R {r:.3f} F1 {f:.3f}"


def evaluate(docs: list[tuple[str, str, list[Gold]]], system) -> tuple[dict[bool, Score], int, int, float]:
    scores = {True: Score(), False: Score()}
    spk_ok = spk_n = 0
    elapsed = 0.0
    for _, text, golds in docs:
        t0 = time.perf_counter()
        preds = system(text)
        elapsed += time.perf_counter() - t0
        for direct in (True, False):
            gs = [g for g in golds if g.direct == direct]
            ps = [p for p in preds if p[2] == direct]
            scores[direct].gold += len(gs)
            scores[direct].system += len(ps)
            used: set[int] = set()
            for p in ps:
                for i, g in enumerate(gs):
                    if i not in used and _overlaps((p[0], p[1]), (g.start, g.end)):
                        used.add(i)
                        scores[direct].matched += 1
                        if g.source is not None:
                            spk_n += 1
                            named = _named_source(text, golds, g)
                            ok = p[3] is not None and any(
                                t is not None and p[3][0] < t[1] and t[0] < p[3][1] for t in (g.source, named)
                            )
                            spk_ok += ok
                        break
    return scores, spk_ok, spk_n, elapsed


def main(data: Path) -> int:
    data = Path(data)
    if not (data / "text").is_dir() or not (data / "attributions").is_dir():
        print(f"eval quotes: {data} needs text/ and attributions/ folders (PolNeAR layout)", file=sys.stderr)
        return 2
    docs = load_dir(data)
    print(f"eval quotes: {data} ({len(docs)} articles; content overlap >= 50% of both spans)")
    systems = (("newsdossier (with its entity model, as the pipeline runs)", ours),
               ("newsdossier without entities", ours_without_entities), ("baseline: quotation marks only", baseline))
    for name, system in systems:
        scores, ok, n, secs = evaluate(docs, system)
        print(f"  {name} ({secs * 1000 / max(1, len(docs)):.1f} ms/article)")
        print(f"    direct    {scores[True].prf()}")
        print(f"    indirect  {scores[False].prf()}")
        print(f"    speaker accuracy {ok / n if n else 0.0:.4f} ({ok}/{n} matched quotes with a gold source)")
    return 0
