"""``newsdossier eval subjectivity``: SUBJ/OBJ sentence classification on CheckThat-format TSV.

Scores the shipped model and, in the same run, the baseline a user would otherwise pick
(TF-IDF word 1-2-grams + class-balanced logistic regression trained on ``train_en.tsv`` beside the data file).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

LABELS = ("OBJ", "SUBJ")


def read_tsv(path: Path) -> tuple[list[str], list[str], list[str]]:
    """(sentence_ids, sentences, labels) of a CheckThat TSV; raises ValueError naming the file."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read ({e})") from e
    if not rows or not {"sentence_id", "sentence"} <= set(rows[0]):
        raise ValueError(f"{path}: expected a TSV with columns sentence_id, sentence[, label]")
    ids = [r["sentence_id"] for r in rows]
    sents = [r["sentence"] or "" for r in rows]
    labels = [(r.get("label") or "").strip() for r in rows]
    bad = sorted({lab for lab in labels if lab not in LABELS})
    if bad:
        raise ValueError(f"{path}: labels must be SUBJ or OBJ, found {', '.join(map(repr, bad[:5]))}")
    return ids, sents, labels


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(gold, pred, labels=list(LABELS), zero_division=0)
    out = {"macro_f1": float(f1_score(gold, pred, labels=list(LABELS), average="macro", zero_division=0))}
    for i, lab in enumerate(LABELS):
        out.update({f"{lab}_P": float(p[i]), f"{lab}_R": float(r[i]), f"{lab}_F1": float(f[i])})
    return out


def baseline_predictions(train: Path, sentences: list[str]) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    _, xs, ys = read_tsv(train)
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )
    return list(model.fit(xs, ys).predict(sentences))


def _row(name: str, s: dict[str, float]) -> str:
    cells = "  ".join(f"{s[f'{lab}_P']:.3f} {s[f'{lab}_R']:.3f} {s[f'{lab}_F1']:.3f}" for lab in LABELS)
    return f"{name:<34}{s['macro_f1']:>8.3f}   {cells}"


def main(data: Path, predictions: Path | None = None) -> int:
    from ..clean.subjectivity import load

    try:
        ids, sents, gold = read_tsv(Path(data))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    model = load()
    t0, c0 = time.perf_counter(), time.process_time()
    pred = [str(p) for p in model.predict(sents)]
    rate = len(sents) / max(time.perf_counter() - t0, 1e-9)
    cpu_rate = len(sents) / max(time.process_time() - c0, 1e-9)
    print(f"{data}: {len(sents)} sentences ({gold.count('SUBJ')} SUBJ / {gold.count('OBJ')} OBJ)")
    print(f"{'system':<34}{'macroF1':>8}   OBJ P/R/F1           SUBJ P/R/F1")
    print(_row("shipped (TF-IDF+style+vectors LR)", scores(gold, pred)))
    train = Path(data).parent / "train_en.tsv"
    if train.is_file():
        print(_row("baseline (word TF-IDF LR, train_en)", scores(gold, baseline_predictions(train, sents))))
    else:
        print(f"baseline skipped: {train} not found")
    if Path(data).name in {"train_en.tsv", "dev_en.tsv"}:
        print("note: the shipped model was trained on train_en + dev_en; this is not a held-out score")
    print(
        f"shipped model speed: {rate:,.0f} sentences/s wall, {cpu_rate:,.0f} per CPU-second "
        "(this machine, one process; scripts/bench_subjectivity.py measures 2 processes)"
    )
    if predictions is not None:
        with Path(predictions).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
            w.writerow(["sentence_id", "label"])
            w.writerows(zip(ids, pred))
        print(f"wrote {predictions}")
    return 0
