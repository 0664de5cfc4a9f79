"""FNC-1 data for the stance classifier: reading the CSVs, the fixed held-out-bodies split, the FNC score.

Shared by ``scripts/train_stance.py`` and ``newsdossier eval stance`` so both use the very same split.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED: tuple[str, ...] = ("agree", "disagree", "discuss")

# The dev split: this share of Body IDs, drawn with this seed, is never seen in training.
DEV_FRACTION = 0.2
DEV_SEED = 20170601


@dataclass(frozen=True)
class StancePair:
    headline: str
    body_id: int
    body: str
    stance: str | None  # None when the stances file is unlabelled


def _read_csv(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                found = ", ".join(reader.fieldnames or [])
                raise ValueError(f"{path}: missing column(s) {', '.join(missing)} (found: {found})")
            return list(reader)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 ({exc.reason})") from None


def load_fnc(bodies_csv: Path, stances_csv: Path) -> list[StancePair]:
    """Join an FNC-1 stances CSV (Headline, Body ID[, Stance]) with its bodies CSV (Body ID, articleBody)."""
    bodies: dict[int, str] = {}
    for n, row in enumerate(_read_csv(bodies_csv, ("Body ID", "articleBody")), start=2):
        try:
            bodies[int(row["Body ID"])] = row["articleBody"]
        except ValueError:
            raise ValueError(f"{bodies_csv}: line {n}: Body ID {row['Body ID']!r} is not a number") from None
    pairs: list[StancePair] = []
    for n, row in enumerate(_read_csv(stances_csv, ("Headline", "Body ID")), start=2):
        try:
            body_id = int(row["Body ID"])
        except ValueError:
            raise ValueError(f"{stances_csv}: line {n}: Body ID {row['Body ID']!r} is not a number") from None
        if body_id not in bodies:
            raise ValueError(f"{stances_csv}: line {n}: Body ID {body_id} is not in {bodies_csv}")
        stance = (row.get("Stance") or "").strip().lower() or None
        if stance is not None and stance not in LABELS:
            expected = ", ".join(LABELS)
            raise ValueError(f"{stances_csv}: line {n}: unknown stance {stance!r} (expected {expected})")
        pairs.append(StancePair(row["Headline"], body_id, bodies[body_id], stance))
    return pairs


def body_fingerprint(text: str) -> str:
    """A short hash of a body (whitespace-insensitive): lets the model record which bodies it was trained
    on without storing their text."""
    return hashlib.sha1(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()[:16]


def dev_body_ids(body_ids: Iterable[int], fraction: float = DEV_FRACTION, seed: int = DEV_SEED) -> set[int]:
    """The held-out Body IDs: a fixed random share, so dev bodies (not just pairs) are unseen in training."""
    ids = sorted(set(body_ids))
    random.Random(seed).shuffle(ids)
    return set(ids[: int(round(fraction * len(ids)))])


def split_pairs(pairs: Sequence[StancePair]) -> tuple[list[StancePair], list[StancePair]]:
    """(train, dev) by held-out bodies."""
    dev = dev_body_ids(p.body_id for p in pairs)
    return [p for p in pairs if p.body_id not in dev], [p for p in pairs if p.body_id in dev]


def claim_groups(pairs: Sequence[StancePair]) -> dict[int, int]:
    """Body ID -> claim: connected components of headlines and bodies linked by a related label.
    FNC-1 pairs many headlines of one claim with its bodies, so held-out bodies alone still meet
    their claim's headlines in training; holding out whole claims mimics the competition test."""
    parent: dict[tuple[str, object], tuple[str, object]] = {}

    def root(node: tuple[str, object]) -> tuple[str, object]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for p in pairs:
        root(("b", p.body_id))
        if p.stance not in (None, "unrelated"):
            parent[root(("h", p.headline))] = root(("b", p.body_id))
    roots: dict[tuple[str, object], int] = {}
    ordered = sorted({p.body_id for p in pairs})  # claim numbers follow Body IDs: the same on every run
    return {body_id: roots.setdefault(root(("b", body_id)), len(roots)) for body_id in ordered}


def split_pairs_by_claim(pairs: Sequence[StancePair]) -> tuple[list[StancePair], list[StancePair]]:
    """(train, dev) with whole claims held out: a dev pair's headline and body are both unseen in
    training. Pairs linking a training headline to a dev body (or the reverse) are dropped."""
    claims = claim_groups(pairs)
    held = dev_body_ids(set(claims.values()))
    headline_claim: dict[str, int] = {}
    for p in pairs:
        if p.stance not in (None, "unrelated"):
            headline_claim[p.headline] = claims[p.body_id]
    train, dev = [], []
    for p in pairs:
        body_held = claims[p.body_id] in held
        head_held = headline_claim.get(p.headline, -1) in held
        if body_held and head_held:
            dev.append(p)
        elif not body_held and not head_held:
            train.append(p)
    return train, dev


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """(score, maximum) as the official FNC-1 scorer: +0.25 for the right related/unrelated decision,
    +0.75 more for the exact label of a related pair."""
    score = maximum = 0.0
    for g, p in zip(gold, predicted, strict=True):
        maximum += 0.25 if g == "unrelated" else 1.0
        if (g == "unrelated") == (p == "unrelated"):
            score += 0.25
        if g != "unrelated" and g == p:
            score += 0.75
    return score, maximum


def write_predictions(path: Path, pairs: Sequence[StancePair], predicted: Sequence[str]) -> None:
    """FNC submission format: Headline, Body ID, Stance."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for pair, label in zip(pairs, predicted, strict=True):
            writer.writerow([pair.headline, pair.body_id, label])
