"""Train the same-event model shipped in src/newsdossier/models/link/same_event.json.

    python scripts/train_link.py [--data ../shared/data/ecbplus/ecbplus_dev.jsonl] [--label subtopic]

Data: ECB+ (Cybulska & Vossen, LREC 2014), CC BY 3.0 — only the dev topics 1-35. The weights are
numbers learned from it (no text); see src/newsdossier/models/link/README.md for the attribution.
Score it honestly with ``newsdossier eval clustering --data ...`` (cross-validated by topic).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsdossier.evaluate.clustering import load
from newsdossier.link.learned import SameEventModel

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "ecbplus" / "ecbplus_dev.jsonl"
OUT = REPO / "src" / "newsdossier" / "models" / "link" / "same_event.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--label", default="subtopic")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    arts, gold, topics, _ = load(args.data, args.label)
    model = SameEventModel().fit(arts, gold, topics)  # merge decision cross-validated by topic
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"trained on {len(arts)} documents, {len(set(gold))} events -> {args.out}")
    for name, w in zip(model.to_dict()["stage2"]["features"], model.coef2_):
        print(f"  {name:<12} {w:+.3f}")
    for name, w in zip(model.to_dict()["merge"]["features"], model.merge_coef_):
        print(f"  merge {name:<12} {w:+.3f}")


if __name__ == "__main__":
    main()
