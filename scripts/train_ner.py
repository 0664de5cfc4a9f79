"""Train and package newsdossier's entity model (src/newsdossier/models/ner/).

    nice -n 10 python scripts/train_ner.py --data ../shared/data/ner

Trains a blank English spaCy pipeline (tok2vec + ner, scripts/ner_config.cfg) from the
permissively licensed CoNLL files in ``ner/train``; the UNER PUD file is held out entirely
(it is the test set). One sentence in ten of every training file (chosen by a hash, so the
split is stable) forms the dev split used for every choice: the best checkpoint of the main
run, then a short adaptation stage on the UNER-EWT sentences (the guidelines closest to news),
kept only if it helps on dev. Runs on 2 threads in < 30 minutes.
"""

from __future__ import annotations

import os

# Two cores are shared: cap BLAS threads before numpy loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse
import hashlib
import shutil
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

import newsdossier.annotate.ner_embed  # noqa: F401  (registers the config's lexicon embedding)
from newsdossier.evaluate.ner import (
    Sentence,
    bio_spans,
    predict_spans,
    read_conll,
    score,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CONFIG = HERE / "ner_config.cfg"
HELD_OUT = "uner_english__en_pud-ud-test.conll"  # the test set: never trained on, never used for choices
# Training files (all licences permissive; see models/ner/README.md). WikiANN dev/test are left
# out: it is silver data of short fragments, and its train part is already the largest file.
TRAIN_FILES = (
    "wikigold__all.conll",
    "sec_filings__FIN5.conll", "sec_filings__FIN3.conll",
    "btc__a.conll", "btc__b.conll", "btc__e.conll", "btc__f.conll", "btc__g.conll", "btc__h.conll",
    "wikiann_en__train.conll",
    "wnut17__wnut17train.conll", "wnut17__emerging.dev.conll", "wnut17__emerging.test_annotated.conll",
    "redocred__dev_revised.conll", "redocred__test_revised.conll",
    "uner_english__en_ewt-ud-dev.conll", "uner_english__en_ewt-ud-test.conll",
    "crossner__politics_train.conll", "crossner__politics_dev.conll", "crossner__politics_test.conll",
    "crossner__science_train.conll", "crossner__science_dev.conll", "crossner__science_test.conll",
    "crossner__music_train.conll", "crossner__music_dev.conll", "crossner__music_test.conll",
    "crossner__literature_train.conll", "crossner__literature_dev.conll", "crossner__literature_test.conll",
    "crossner__ai_train.conll", "crossner__ai_dev.conll", "crossner__ai_test.conll",
    "re3d__permissive_sources.conll",
)
DEV_SHARE = 10  # one sentence in DEV_SHARE goes to dev
UNER_REPEAT = 3  # copies of each UNER-EWT training sentence in the main run (guidelines closest to news)
# Sampling weight of each corpus (file-name prefix) in the main run: copies of each training sentence;
# a fraction keeps that share of the sentences (chosen by hash). Weight 0 keeps a corpus out of
# training; its dev sentences stay in the dev split, so every run is scored on the same dev data.
SOURCE_WEIGHTS: dict[str, float] = {}
ADAPT_STEPS = 400
ADAPT_BATCH = 64  # sentences
ADAPT_LEARN_RATE = 0.0005
ADAPT_EVAL_EVERY = 200


def is_dev(file_name: str, index: int) -> bool:
    digest = hashlib.sha1(f"{file_name}:{index}".encode()).digest()
    return digest[0] % DEV_SHARE == 0


def copies(file_name: str, index: int, weight: float) -> int:
    """Copies of one training sentence for a corpus weight (integer part + hashed fractional part)."""
    whole = int(weight)
    digest = hashlib.sha1(f"weight:{file_name}:{index}".encode()).digest()
    return whole + (int.from_bytes(digest[:4], "big") / 2**32 < weight - whole)


def source_weight(file_name: str, weights: dict[str, float]) -> float:
    """The weight of the longest matching prefix (1 when none matches)."""
    matches = [p for p in weights if file_name.startswith(p)]
    return weights[max(matches, key=len)] if matches else 1.0


def split(train_dir: Path) -> tuple[list[Sentence], list[str], list[int], dict[str, list[Sentence]]]:
    """(train sentences, the file of each, its index in that file, dev sentences by file)."""
    assert HELD_OUT not in TRAIN_FILES
    train: list[Sentence] = []
    sources: list[str] = []
    indices: list[int] = []
    dev: dict[str, list[Sentence]] = {}
    for name in TRAIN_FILES:
        for i, sentence in enumerate(read_conll(train_dir / name)):
            if is_dev(name, i):
                dev.setdefault(name, []).append(sentence)
            else:
                train.append(sentence)
                sources.append(name)
                indices.append(i)
    return train, sources, indices, dev


def to_docbin(sentences: list[Sentence], path: Path) -> None:
    vocab = spacy.blank("en").vocab
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])
    for tokens, tags in sentences:
        words = [t if t.strip() else "_" for t in tokens]
        db.add(Doc(vocab, words=words, ents=list(tags)))
    db.to_disk(path)


def write_conll(sentences: list[Sentence], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for tokens, tags in sentences:
            f.writelines(f"{t}\t{g}\n" for t, g in zip(tokens, tags))
            f.write("\n")


def dev_report(nlp: spacy.language.Language, dev: dict[str, list[Sentence]]) -> dict[str, float]:
    """Core (PER/ORG/LOC) F1 on the whole dev split and on its UNER-EWT part (closest to news)."""
    all_sents = [s for sents in dev.values() for s in sents]
    ewt = [s for name, sents in dev.items() if name.startswith("uner_") for s in sents]
    out = {}
    for key, sents in (("dev", all_sents), ("dev_uner_ewt", ewt)):
        result = score([bio_spans(t) for _, t in sents], predict_spans(nlp, sents))
        out[key] = result["PER/ORG/LOC"]["f1"]
        out[key + "_overall"] = result["overall"]["f1"]
    return out


def criterion(result: dict[str, float]) -> float:
    """Model choice: PER/ORG/LOC F1 on the whole dev split and on its news-like UNER part, equally."""
    return (result["dev"] + result["dev_uner_ewt"]) / 2


def adapt(model_dir: Path, out_dir: Path, uner: list[Sentence], rest: list[Sentence],
          dev: dict[str, list[Sentence]], steps: int) -> None:
    """Continue training on UNER-EWT sentences mixed 1:1 with a sample of the rest (against
    forgetting); keep the step with the best dev criterion."""
    import random

    from spacy.training import Example
    from spacy.util import minibatch

    nlp = spacy.load(model_dir)
    rng = random.Random(0)
    mix = uner + rng.sample(rest, min(len(rest), len(uner)))
    examples = []
    for tokens, tags in mix:
        words = [t if t.strip() else "_" for t in tokens]
        examples.append(Example(Doc(nlp.vocab, words=words), Doc(nlp.vocab, words=words, ents=list(tags))))
    optimizer = nlp.resume_training()
    optimizer.learn_rate = ADAPT_LEARN_RATE
    best_score = criterion(dev_report(nlp, dev))
    print(f"adapt: start {best_score:.4f} ({len(mix)} sentences)", flush=True)
    nlp.to_disk(out_dir)
    step = 0
    while step < steps:
        rng.shuffle(examples)
        for batch in minibatch(examples, size=ADAPT_BATCH):
            nlp.update(batch, sgd=optimizer, drop=0.15)
            step += 1
            if step % ADAPT_EVAL_EVERY == 0 or step >= steps:
                with nlp.use_params(optimizer.averages):
                    current = criterion(dev_report(nlp, dev))
                    print(f"adapt: step {step} {current:.4f}", flush=True)
                    if current > best_score:
                        best_score = current
                        nlp.to_disk(out_dir)
            if step >= steps:
                break


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsdossier_ner_work"))
    ap.add_argument("--out", type=Path, default=REPO / "src" / "newsdossier" / "models" / "ner")
    ap.add_argument("--config", type=Path, default=CONFIG, help="spaCy training config")
    ap.add_argument("--vectors", type=Path, default=None,
                    help="static word vectors (spaCy pipeline dir) for a config with include_static_vectors; "
                         "default WORK/vectors, built by scripts/ner_vectors.py when missing")
    ap.add_argument("--uner-repeat", type=int, default=UNER_REPEAT,
                    help="copies of each UNER-EWT sentence in the main run's training data")
    ap.add_argument("--weight", action="append", default=[], metavar="PREFIX=W",
                    help="sampling weight of the training files whose name starts with PREFIX "
                         "(copies per sentence; 0.5 keeps half, 0 none); repeatable, adds to SOURCE_WEIGHTS")
    ap.add_argument("--steps", type=int, default=None,
                    help="override training.max_steps of a full run (evaluation frequency and "
                         "adaptation unchanged)")
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps (smoke runs)")
    ap.add_argument("--seed", type=int, default=None, help="override system.seed (spaCy's random draws)")
    ap.add_argument("--skip-train", action="store_true", help="reuse WORK/output/model-best")
    ap.add_argument("--harmonise", action="store_true",
                    help="relabel the training sentences towards the UNER conventions "
                         "(scripts/ner_harmonise.py; the dev split keeps the corpora's own labels)")
    args = ap.parse_args(argv)

    train_dir = args.data / "train"
    if not train_dir.is_dir():
        print(f"error: {train_dir}: not a directory (pass --data ../shared/data/ner)", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    train, sources, indices, dev = split(train_dir)
    if args.harmonise:
        from ner_harmonise import Harmoniser

        by_file: dict[str, list[Sentence]] = {}
        for sentence, name in zip(train, sources):
            by_file.setdefault(name, []).append(sentence)
        harmonise = Harmoniser(args.data / "gazetteers" / "gazetteer.jsonl", by_file)
        train = [harmonise(name, sentence) for sentence, name in zip(train, sources)]
        print(f"harmonised: {dict(sorted(harmonise.changes.items()))}", flush=True)
    print(f"train {len(train)} sentences, {sum(len(t) for t, _ in train)} tokens; "
          f"dev {sum(map(len, dev.values()))} sentences", flush=True)
    # The dev split as CoNLL too, so `newsdossier eval ner --data WORK/dev.conll` scores it.
    write_conll([s for sents in dev.values() for s in sents], args.work / "dev.conll")
    write_conll([s for n, sents in dev.items() if n.startswith("uner_") for s in sents],
                args.work / "dev_uner_ewt.conll")
    output = args.work / "output"
    if not args.skip_train:
        weights = {"uner_": float(args.uner_repeat), **SOURCE_WEIGHTS}
        for item in args.weight:
            prefix, _, value = item.partition("=")
            weights[prefix] = float(value)
        repeats = [copies(name, i, source_weight(name, weights)) for name, i in zip(sources, indices)]
        print(f"weights {weights}: {sum(repeats)} training sentences", flush=True)
        to_docbin([s for s, k in zip(train, repeats) for _ in range(k)], args.work / "train.spacy")
        to_docbin([s for sents in dev.values() for s in sents], args.work / "dev.spacy")
        from spacy.cli.train import train as spacy_train

        overrides = {"paths.train": str(args.work / "train.spacy"), "paths.dev": str(args.work / "dev.spacy")}
        config = spacy.util.load_config(args.config)
        if config["components"]["tok2vec"]["model"]["embed"].get("include_static_vectors"):
            vectors = args.vectors or args.work / "vectors"
            if not (vectors / "vocab" / "vectors").is_file():
                import ner_vectors  # needs the `semantic` extra (torch, MiniLM, transformers)

                ner_vectors.main(["--data", str(args.data.parent), "--out", str(vectors)])
            overrides["paths.vectors"] = str(vectors)
        if args.steps is not None:
            overrides["training.max_steps"] = args.steps
        if args.seed is not None:
            overrides["system.seed"] = args.seed
        if args.max_steps is not None:
            overrides["training.max_steps"] = args.max_steps
            overrides["training.eval_frequency"] = max(50, args.max_steps // 4)
        spacy_train(args.config, output, overrides=overrides, use_gpu=-1)

    # Stage 2: adapt to the UNER guidelines (news-like; countries acting as governments are ORG).
    adapted = output / "model-adapted"
    if not (args.skip_train and adapted.is_dir()):
        uner = [s for s, name in zip(train, sources) if name.startswith("uner_")]
        rest = [s for s, name in zip(train, sources) if not name.startswith("uner_")]
        adapt(output / "model-best", adapted, uner, rest, dev, ADAPT_STEPS if args.max_steps is None else 20)

    # Choose on dev between the general model and the adapted one. (The gazetteer EntityRuler is
    # not shipped: re-adding its 17.5k phrase patterns on load takes seconds, far over the 1 s
    # load budget; `newsdossier eval ner` scores it as the baseline instead.)
    results = {}
    for model in ("model-best", "model-adapted"):
        results[model] = dev_report(spacy.load(output / model), dev)
        print(f"dev, {model}: {results[model]}", flush=True)
    best = max(results, key=lambda k: criterion(results[k]))
    print(f"chosen: {best}", flush=True)

    nlp = spacy.load(output / best)
    nlp.meta["name"] = "newsdossier_ner"
    nlp.meta["description"] = "newsdossier entity model; see README.md (trained by scripts/train_ner.py)"
    nlp.meta["performance"] = {**results[best], "model": best}
    readme = args.out / "README.md"
    kept = readme.read_text(encoding="utf-8") if readme.is_file() else None
    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    # The training vocabulary's strings are not needed at run time (features are hashes, and
    # each text adds its own strings); dropping them keeps the package well under 25 MB.
    (args.out / "vocab" / "strings.json").write_text("[]", encoding="utf-8")
    if kept is not None:
        readme.write_text(kept, encoding="utf-8")
    print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
