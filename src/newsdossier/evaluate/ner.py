"""``newsdossier eval ner``: entity-level exact-match P/R/F1 on CoNLL BIO files.

Scores the shipped entity model and, in the same run, the baseline a user would otherwise
pick offline: a gazetteer EntityRuler alone (no statistical model). Gold files use the CoNLL
4-class tags (PER / ORG / LOC / MISC); the "PER/ORG/LOC" line is the issue's target metric.
Predicted types outside a file's gold label set (e.g. MISC on a corpus that has no MISC) are
ignored, since that corpus never annotates them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

Sentence = tuple[list[str], list[str]]  # (tokens, BIO tags)
TokenSpan = tuple[int, int, str]  # [start, end) in tokens, CoNLL label

# Model / gazetteer labels to the CoNLL 4-class scheme the gold files use.
TO_CONLL = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
            "MISC": "MISC", "NORP": "MISC"}
CORE = ("PER", "ORG", "LOC")


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a ``token<TAB>tag`` file (blank line between sentences)."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) < 2:
            raise ValueError(f"{path}:{lineno}: expected 'token<TAB>tag', got {line!r}")
        tokens.append(parts[0])
        tags.append(parts[-1])
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def bio_spans(tags: Sequence[str]) -> set[TokenSpan]:
    """Entity spans of a BIO sequence (an I- without a matching B- starts a new entity)."""
    spans: set[TokenSpan] = set()
    start, label = -1, ""
    for i, tag in enumerate(list(tags) + ["O"]):
        inside = tag.startswith("I-") and label == tag[2:] and start >= 0
        if start >= 0 and not inside:
            spans.add((start, i, label))
            start, label = -1, ""
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, label = i, tag[2:]
    return spans


def docs_from_sentences(nlp: Language, sentences: Sequence[Sentence]) -> list[Doc]:
    """Gold tokenisation kept (so spans compare token for token); spacing is approximate."""
    docs = []
    for tokens, _ in sentences:
        words = [t if t.strip() else "_" for t in tokens]
        docs.append(Doc(nlp.vocab, words=words))
    return docs


def predict_spans(nlp: Language, sentences: Sequence[Sentence], batch_size: int = 256) -> list[set[TokenSpan]]:
    """Predicted spans, cleaned up exactly as the product does (titles, possessives, "the")."""
    from ..annotate.entities import LABELS, trim_span

    out = []
    for doc in nlp.pipe(docs_from_sentences(nlp, sentences), batch_size=batch_size):
        spans = set()
        for e in doc.ents:
            bounds = trim_span(e, LABELS.get(e.label_, "OTHER"))
            if bounds is not None:
                spans.add((bounds[0], bounds[1], TO_CONLL.get(e.label_, "MISC")))
        out.append(spans)
    return out


def score(gold: Iterable[set[TokenSpan]], pred: Iterable[set[TokenSpan]]) -> dict[str, dict[str, float]]:
    """Exact-match P/R/F1 per type, over PER/ORG/LOC, and over every gold type.

    Predicted types that never occur in the gold data are dropped before scoring.
    """
    gold, pred = list(gold), list(pred)
    gold_types = {s[2] for g in gold for s in g}
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        p = {s for s in p if s[2] in gold_types}
        for s in g & p:
            tp[s[2]] += 1
        for s in p - g:
            fp[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1

    def prf(types: Iterable[str]) -> dict[str, float]:
        t = sum(tp[x] for x in types)
        f_p = sum(fp[x] for x in types)
        f_n = sum(fn[x] for x in types)
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": float(t + f_n)}

    result = {x: prf([x]) for x in sorted(gold_types)}
    result["PER/ORG/LOC"] = prf([x for x in CORE if x in gold_types])
    result["overall"] = prf(sorted(gold_types))
    return result


def load_gazetteer_patterns(path: Path) -> list[dict]:
    """EntityRuler patterns with labels mapped to the CoNLL scheme (GPE -> LOC, NORP -> MISC)."""
    patterns = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            patterns.append({"label": TO_CONLL.get(row["label"], "MISC"), "pattern": row["pattern"]})
    return patterns


def ruler_pipeline(patterns: list[dict]) -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return nlp


def _find_gazetteer(data: Path) -> Path | None:
    for folder in [data, *data.resolve().parents][:4]:
        candidate = folder / "gazetteers" / "gazetteer.jsonl"
        if candidate.is_file():
            return candidate
    return None


def format_report(name: str, result: dict[str, dict[str, float]]) -> str:
    lines = [f"{name}", f"  {'type':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for key, m in result.items():
        lines.append(f"  {key:<12} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {int(m['support']):6d}")
    return "\n".join(lines)


def main(data: Path, gazetteer: Path | None = None) -> int:
    data = Path(data)
    files = sorted(data.glob("*.conll")) if data.is_dir() else [data]
    if not files:
        print(f"error: {data}: no *.conll files found")
        return 2
    sentences: list[Sentence] = []
    for f in files:
        try:
            sentences.extend(read_conll(f))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"error: {f}: {exc}")
            return 2
    gold = [bio_spans(tags) for _, tags in sentences]
    print(f"data: {data} ({len(files)} file(s), {len(sentences)} sentences, {sum(map(len, gold))} entities)")

    from ..annotate.entities import load_model

    print(format_report("model: newsdossier NER (shipped)", score(gold, predict_spans(load_model(), sentences))))
    gaz = gazetteer or _find_gazetteer(data)
    if gaz is None:
        print("baseline: skipped (no gazetteers/gazetteer.jsonl found near the data)")
    else:
        baseline = ruler_pipeline(load_gazetteer_patterns(gaz))
        print(format_report(f"baseline: gazetteer EntityRuler alone ({gaz.name})",
                            score(gold, predict_spans(baseline, sentences))))
    return 0
