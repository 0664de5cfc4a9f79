"""Per-corpus scores of entity models on train_ner.py's dev split (error analysis, model comparison).

    nice -n 19 python scripts/ner_dev_report.py MODEL_DIR [MODEL_DIR ...] [--data ../shared/data/ner]

For each model: the training script's criterion (mean of PER/ORG/LOC F1 on the whole dev split and
on its UNER-EWT part), the same F1 on the dev parts of the gold corpora of well-formed text
(UNER-EWT, WikiGold, Re-DocRED, CrossNER, SEC filings: no tweets, no silver WikiANN, no re3d
nominal mentions) with its PER / ORG / LOC parts, and PER/ORG/LOC F1 on each corpus's dev part.
Spans are cleaned up as the product does (``evaluate.ner.predict_spans``). Never reads the test set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import spacy  # noqa: E402
import train_ner  # noqa: E402

from newsdossier.evaluate.ner import bio_spans, predict_spans, score  # noqa: E402

WELL_FORMED = ("uner_english", "wikigold", "redocred", "crossner", "sec_filings")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--data", type=Path, default=train_ner.REPO.parent / "shared" / "data" / "ner")
    args = ap.parse_args(argv)
    _, _, _, dev = train_ner.split(args.data / "train")
    names = [name for name, sentences in dev.items() for _ in sentences]
    sentences = [s for part in dev.values() for s in part]
    gold = [bio_spans(tags) for _, tags in sentences]
    corpora = sorted({n.split("__")[0] for n in names})
    for model in args.models:
        pred = predict_spans(spacy.load(model), sentences)

        def part(prefixes: tuple[str, ...] | str, pred=pred) -> dict[str, dict[str, float]]:
            idx = [i for i, n in enumerate(names) if n.startswith(prefixes)]
            return score([gold[i] for i in idx], [pred[i] for i in idx])

        whole = score(gold, pred)["PER/ORG/LOC"]["f1"]
        uner = part("uner_")["PER/ORG/LOC"]["f1"]
        well = part(WELL_FORMED)
        print(f"{model}\n  dev {whole:.4f}  dev UNER-EWT {uner:.4f}  criterion {(whole + uner) / 2:.4f}\n"
              f"  well-formed gold {well['PER/ORG/LOC']['f1']:.4f} "
              f"(PER {well['PER']['f1']:.3f} ORG {well['ORG']['f1']:.3f} LOC {well['LOC']['f1']:.3f})\n  "
              + "  ".join(f"{c} {part(c)['PER/ORG/LOC']['f1']:.3f}" for c in corpora), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
