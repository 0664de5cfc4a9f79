"""``newsdossier eval stance --bodies CSV --stances CSV [--predictions OUT.csv]``: FNC-1 stance detection.

Ours is the shipped model (``compare.stance``). Pairs whose body the shipped model was trained on are left
out (it records hashes of its training bodies), so on FNC-1 train this scores exactly the held-out-bodies
dev split of ``scripts/train_stance.py``, and on any other file (the competition test set) every pair.

Beside it, in the same run: the FNC-1 official baseline approach (hand features + gradient boosting,
``compare.stance_baseline``), trained on the same training split: the left-out pairs when the given files
are FNC-1 train, else the train split of FNC-1 train found at ``train_data`` (default ../shared/data/fnc1).

Metrics: FNC score (official weighting, % of the maximum), macro-F1 over the four labels, per-class
precision/recall/F1, confusion matrix; and the FNC score on the pairs whose headline was not in training
either (the competition test has both unseen headlines and unseen bodies, the dev split only the latter).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..compare.stance import StanceClassifier
from ..compare.stance_baseline import BaselineStanceClassifier
from ..compare.stance_data import (
    LABELS,
    StancePair,
    body_fingerprint,
    fnc_score,
    load_fnc,
    split_pairs,
    write_predictions,
)

DEFAULT_TRAIN = Path(__file__).resolve().parents[4] / "shared" / "data" / "fnc1"


def per_class(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, tuple[float, float, float]]:
    """label -> (precision, recall, F1)."""
    out = {}
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        n_pred = sum(p == label for p in predicted)
        n_gold = sum(g == label for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        out[label] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return out


def _fnc_percent(gold: Sequence[str], predicted: Sequence[str]) -> float:
    score, maximum = fnc_score(gold, predicted)
    return 100.0 * score / maximum if maximum else 0.0


def report(name: str, gold: Sequence[str], predicted: Sequence[str]) -> list[str]:
    score, maximum = fnc_score(gold, predicted)
    scores = per_class(gold, predicted)
    macro = sum(f for _, _, f in scores.values()) / len(LABELS)
    lines = [f"{name}: FNC score {100 * score / maximum:.2f}% ({score:.2f} / {maximum:.2f}), "
             f"macro-F1 {macro:.4f}"]
    lines.append(f"  {'label':<10} {'P':>6} {'R':>6} {'F1':>6}   confusion (rows gold, columns predicted)")
    lines.append(f"  {'':<10} {'':>6} {'':>6} {'':>6}   " + " ".join(f"{lab[:9]:>9}" for lab in LABELS))
    for label in LABELS:
        p, r, f = scores[label]
        row = [sum(g == label and q == other for g, q in zip(gold, predicted)) for other in LABELS]
        lines.append(f"  {label:<10} {p:6.3f} {r:6.3f} {f:6.3f}   " + " ".join(f"{c:>9}" for c in row))
    return lines


def _texts(pairs: Sequence[StancePair]) -> tuple[list[str], list[str]]:
    return [p.headline for p in pairs], [p.body for p in pairs]


def _eval_and_train_sets(
    pairs: Sequence[StancePair], seen: set[str], train_data: Path | None
) -> tuple[list[StancePair], list[StancePair], list[str]]:
    """(pairs to score, the baseline's training pairs, notes). Bodies whose text the shipped model saw
    (``seen`` fingerprints) are never scored; the baseline trains on the same split as ours."""
    texts = {p.body_id: p.body for p in pairs}
    fingerprint = {body_id: body_fingerprint(text) for body_id, text in texts.items()}
    train, dev = split_pairs(pairs)
    if train and {fingerprint[p.body_id] for p in train} == seen:
        # These are the files the shipped model was trained from: score its held-out-bodies dev split.
        scored = [p for p in dev if fingerprint[p.body_id] not in seen]
        notes = [f"held-out-bodies dev split ({len(dev)} pairs); the baseline trains on the other "
                 f"{len(train)}, as ours did"]
        if len(scored) < len(dev):
            notes.append(f"left out {len(dev) - len(scored)} dev pairs whose body text is duplicated "
                         "under another Body ID among the training bodies")
        return scored, train, notes
    scored = [p for p in pairs if fingerprint[p.body_id] not in seen]
    notes = []
    if len(scored) < len(pairs):
        notes.append(f"left out {len(pairs) - len(scored)} pairs whose body the shipped model was trained on")
    folder = Path(train_data) if train_data else DEFAULT_TRAIN
    try:
        baseline_train = split_pairs(load_fnc(folder / "train_bodies.csv", folder / "train_stances.csv"))[0]
    except ValueError as exc:
        notes.append(f"baseline skipped: no FNC-1 train data to fit it on ({exc})")
        baseline_train = []
    return scored, baseline_train, notes


def main(
    bodies: Path,
    stances: Path,
    predictions: Path | None = None,
    train_data: Path | None = None,
) -> int:
    try:
        pairs = load_fnc(Path(bodies), Path(stances))
        model = StanceClassifier.load()
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seen = set(model.train_bodies_)
    scored, baseline_train, notes = _eval_and_train_sets(pairs, seen, train_data)
    if not scored:
        print(f"error: {stances}: every body was in the stance model's training data; nothing to score",
              file=sys.stderr)
        return 2
    n_bodies = len({p.body_id for p in scored})
    print(f"FNC-1 stance on {stances}: scoring {len(scored)} pairs on {n_bodies} bodies")
    for note in notes:
        print(f"  {note}")

    start = time.time()
    ours = model.predict(*_texts(scored))
    print(f"  ours predicted in {time.time() - start:.1f} s")
    if predictions is not None:
        write_predictions(Path(predictions), scored, ours)
        print(f"  wrote {predictions}")
    if any(p.stance is None for p in scored):
        print("  the stances file has no Stance labels: predictions only, no scores")
        return 0

    gold = [p.stance or "" for p in scored]
    lines = report("ours (tf, tf-idf cosine, hand features -> MLP)", gold, ours)
    base: list[str] | None = None
    if baseline_train:
        start = time.time()
        train_labels = [p.stance or "" for p in baseline_train]
        base = BaselineStanceClassifier().fit(*_texts(baseline_train), train_labels).predict(*_texts(scored))
        print(f"  baseline trained on {len(baseline_train)} pairs, predicted in {time.time() - start:.0f} s")
        lines += report("FNC-1 baseline (hand features -> gradient boosting)", gold, base)

    known = {p.headline for p in baseline_train} if baseline_train else set()
    novel = [i for i, p in enumerate(scored) if p.headline not in known]
    if known and len(novel) >= 50:  # too few to say anything otherwise
        sub_gold = [gold[i] for i in novel]
        ours_novel = _fnc_percent(sub_gold, [ours[i] for i in novel])
        line = f"headlines unseen in training too ({len(novel)} pairs): FNC score ours {ours_novel:.2f}%"
        if base is not None:
            line += f", baseline {_fnc_percent(sub_gold, [base[i] for i in novel]):.2f}%"
        lines.append(line)
    print("\n".join(lines))
    return 0
