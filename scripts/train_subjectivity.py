"""Train the shipped subjectivity model: src/newsdossier/models/subjectivity/{model.json,weights.npz}.

    nice -n 10 python scripts/train_subjectivity.py [--data ../shared/data/subjectivity] [--select]

Data: CLEF 2025 CheckThat! Task 1 English (CC BY-NC-SA 4.0), train_en + dev_en. --select first
chooses C by training on train_en and scoring on dev_en (dev_test_en is never used here), then
refits on train_en + dev_en. Pang & Lee SUBJ was tried as extra data and lowered dev_en macro-F1
(0.63 vs 0.66), so it is not used.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsdossier.clean.subjectivity import SHIPPED, SubjectivityClassifier
from newsdossier.evaluate.subjectivity import read_tsv, scores

DEFAULT_C = 0.3  # chosen on dev_en with --select (0.1 / 0.3 / 1 / 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared/data/subjectivity"
    )
    ap.add_argument("--out", type=Path, default=SHIPPED)
    ap.add_argument("--select", action="store_true", help="choose C on dev_en first")
    args = ap.parse_args()
    _, xtr, ytr = read_tsv(args.data / "train_en.tsv")
    _, xdv, ydv = read_tsv(args.data / "dev_en.tsv")
    c = DEFAULT_C
    if args.select:
        results = {}
        for cand in (0.1, 0.3, 1.0, 3.0):
            pred = list(SubjectivityClassifier(C=cand).fit(xtr, ytr).predict(xdv))
            results[cand] = scores(ydv, pred)["macro_f1"]
            print(f"C={cand}: dev_en macro-F1 {results[cand]:.4f}")
        c = max(results, key=results.get)
    model = SubjectivityClassifier(C=c).fit(xtr + xdv, ytr + ydv)
    model.save(args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"C={c}: trained on {len(xtr) + len(xdv)} sentences -> {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
