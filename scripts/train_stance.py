"""Train the shipped stance model on FNC-1 train minus the held-out dev bodies.

    nice -n 10 python scripts/train_stance.py [--data ../shared/data/fnc1] [--out DIR]

About 10-15 minutes on 2 busy cores; threads capped at 2 (shared machines). The dev bodies
(``stance_data.split_pairs``: a fixed 20% of Body IDs) are never seen; ``newsdossier eval stance``
scores them. The model goes to src/newsdossier/models/stance unless --out says otherwise.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from newsdossier.compare.stance import MODEL_DIR, StanceClassifier  # noqa: E402
from newsdossier.compare.stance_baseline import BaselineStanceClassifier  # noqa: E402
from newsdossier.compare.stance_data import (  # noqa: E402
    StancePair,
    load_fnc,
    split_pairs,
    split_pairs_by_claim,
)
from newsdossier.evaluate.stance import report  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "fnc1")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--claim-check", action="store_true",
        help="instead: train ours and the baseline with whole claims held out (new headlines AND bodies, as "
        "in the competition test) and print both scores; saves nothing",
    )
    args = parser.parse_args()

    pairs = load_fnc(args.data / "train_bodies.csv", args.data / "train_stances.csv")
    if args.claim_check:
        claim_check(pairs)
        return
    train, dev = split_pairs(pairs)
    print(f"train: {len(train)} pairs on {len({p.body_id for p in train})} bodies; "
          f"held out: {len(dev)} pairs on {len({p.body_id for p in dev})} bodies")
    start = time.time()
    model = StanceClassifier().fit(
        [p.headline for p in train], [p.body for p in train], [p.stance or "" for p in train]
    )
    print(f"fitted in {time.time() - start:.0f} s")
    model.save(args.out, data_note="FNC-1 train (FakeNewsChallenge/fnc-1) minus 20% held-out Body IDs")
    size = sum(f.stat().st_size for f in args.out.iterdir() if f.is_file())
    print(f"saved to {args.out} ({size / 1e6:.1f} MB)")


def claim_check(pairs: list[StancePair]) -> None:
    train, dev = split_pairs_by_claim(pairs)
    print(f"claim-disjoint split: train {len(train)} pairs, dev {len(dev)} pairs")
    heads, bodies = [p.headline for p in train], [p.body for p in train]
    labels = [p.stance or "" for p in train]
    gold = [p.stance or "" for p in dev]
    for name, model in (("ours", StanceClassifier()), ("FNC-1 baseline", BaselineStanceClassifier())):
        start = time.time()
        model.fit(heads, bodies, labels)
        predicted = model.predict([p.headline for p in dev], [p.body for p in dev])
        print("\n".join(report(f"{name} (claim-disjoint dev, {time.time() - start:.0f} s)", gold, predicted)))


if __name__ == "__main__":
    main()
