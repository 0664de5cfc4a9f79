"""Train the attribution tagger behind ``newsdossier.annotate.quotes`` from PolNeAR train.

    nice -n 10 python scripts/train_quotes.py            # fit on all of train, write src/newsdossier/models/quotes
    nice -n 10 python scripts/train_quotes.py --select   # fit on 90% of train, score the other 10% (choice)

Needs the training-time extra ``sklearn-crfsuite`` (pip install sklearn-crfsuite). Only PolNeAR *train* is
read; dev is for ``newsdossier eval quotes``. The first annotator's file of each article is used.
Choices made on the 90/10 split of train (every 10th article held back): features v1 vs v2 (+ cue
strength of the neighbours, "sentence holds a quotation"), c1/c2 = 0.05/0.05 vs 0.2/0.01 - all within
0.01 F1 of each other; v2 with 0.2/0.01 kept (best direct and speaker, fewest features).
Session 7, checked on two splits (``--fold 9``, the choice split, and ``--fold 4``; direct / indirect /
speaker): two apostrophes ('' ... '') mark a quotation for the inside-quotation features, as in the
typewriter convention of some archives - fold 9 0.896 / 0.515 / 0.806 -> 0.885 / 0.537 / 0.806 (675 -> 697
speakers right), fold 4 0.870 / 0.547 / 0.789 -> 0.870 / 0.554 / 0.800: kept. Dropped: a sentence-end
feature and comma counts to the nearest cue (fold 9 indirect +0.02, fold 4 no change), with finer distance
buckets, or only outside quotations; 250 iterations instead of 100 (fold 9 0.877 / 0.521 / 0.811).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

from newsdossier.annotate.quote_features import featurize, paragraphs, quote_depth, sentence_starts, tokenize
from newsdossier.annotate.quote_tagger import MODEL_DIR, QuoteTagger
from newsdossier.annotate.quotes import tag_quotes
from newsdossier.clean.sentences import split_sentences
from newsdossier.evaluate import quotes as eval_quotes
from newsdossier.evaluate.quotes import annotated_articles
from newsdossier.model import Sentence

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "polnear" / "train"
KINDS = {"Source": "SRC", "Cue": "CUE", "Content": "CON"}
MIN_CUE_COUNT = 3


def load_spans(ann: Path) -> list[tuple[str, int, int]]:
    """(SRC|CUE|CON, start, end) for every piece of every annotated span."""
    out = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not line.startswith("T") or len(parts) < 2:
            continue
        kind, _, loc = parts[1].partition(" ")
        if kind in KINDS:
            for piece in loc.split(";"):
                nums = [int(x) for x in re.findall(r"\d+", piece)]
                if len(nums) == 2:
                    out.append((KINDS[kind], nums[0], nums[1]))
    return out


def load_articles(data: Path, cache: Path | None = None, limit: int = 0) -> list[dict]:
    """Articles with spans and sentences; sentence splits are kept in ``cache`` (JSON) when given."""
    stored = json.loads(cache.read_text()) if cache and cache.is_file() else {}
    docs = []
    for base, ann, text in annotated_articles(data):
        if base not in stored:
            stored[base] = [(x.start, x.end) for x in split_sentences(text)]
        docs.append({"name": base, "text": text, "spans": load_spans(ann), "ann": ann,
                     "sentences": [Sentence(a, b) for a, b in stored[base]]})
        if limit and len(docs) >= limit:
            break
    if cache:
        cache.write_text(json.dumps(stored))
    return docs


def token_labels(tokens, spans) -> list[str]:
    labels, prev = [], None
    for t in tokens:
        hit = next(((k, s, e) for k, s, e in spans if s <= t.start < e), None)
        if hit is None:
            labels.append("O")
        else:
            labels.append(("I-" if prev == hit else "B-") + hit[0])
        prev = hit
    return labels


def cue_lexicon(docs: list[dict]) -> dict[str, float]:
    """P(token is inside a Cue | lower-cased token), for tokens seen at least MIN_CUE_COUNT times as cue."""
    total, cue = Counter(), Counter()
    for d in docs:
        cues = [(s, e) for k, s, e in d["spans"] if k == "CUE"]
        for s, e in paragraphs(d["text"]):
            for t in tokenize(d["text"], s, e):
                w = t.text.lower()
                total[w] += 1
                if any(a <= t.start < b for a, b in cues):
                    cue[w] += 1
    return {w: cue[w] / total[w] for w in cue if cue[w] >= MIN_CUE_COUNT}


def sequences(docs: list[dict], lex: dict[str, float]):
    X, y = [], []
    for d in docs:
        text = d["text"]
        paras = paragraphs(text)
        inside = quote_depth(text, paras)
        for s, e in paras:
            toks = tokenize(text, s, e)
            if not toks:
                continue
            spans = [sp for sp in d["spans"] if sp[1] < e and s < sp[2]]
            X.append(featurize(text, toks, sentence_starts(toks, d["sentences"]), inside, lex))
            y.append(token_labels(toks, spans))
    return X, y


def fit(docs: list[dict], args) -> QuoteTagger:
    lex = cue_lexicon(docs)
    X, y = sequences(docs, lex)
    t0 = time.time()
    tagger = QuoteTagger(c1=args.c1, c2=args.c2, max_iterations=args.iterations).fit(X, y, lex)
    print(f"  fitted on {len(docs)} articles, {len(X)} paragraphs in {time.time() - t0:.0f}s; "
          f"{len(tagger.features_)} features", flush=True)
    return tagger


def score(tagger: QuoteTagger, docs: list[dict]) -> None:
    sents = {d["text"]: d["sentences"] for d in docs}
    gold = [(d["name"], d["text"], eval_quotes.load_article(d["ann"], d["text"])) for d in docs]

    def system(text):
        return [(q.start, q.end, q.direct, (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None)
                for q in tag_quotes(tagger, text, sents[text], [])]

    scores, ok, n, secs = eval_quotes.evaluate(gold, system)
    print(f"    direct    {scores[True].prf()}\n    indirect  {scores[False].prf()}\n"
          f"    speaker accuracy {ok / n if n else 0:.3f} ({ok}/{n})  {secs * 1000 / len(docs):.1f} ms/article")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--select", action="store_true", help="fit on 90%% of train and score the held-back 10%%")
    ap.add_argument("--c1", type=float, default=0.2)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=100)
    ap.add_argument("--fold", type=int, default=9,
                    help="with --select: hold back the articles i with i %% 10 == FOLD "
                    "(9, the default, is the split the choices were made on; others check them)")
    ap.add_argument("--keep", type=Path, help="with --select: also write the 90%% model here (for analysis)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N articles (a quick check)")
    ap.add_argument("--sentence-cache", type=Path, help="JSON file keeping sentence splits between runs")
    args = ap.parse_args()
    if not (args.data / "attributions").is_dir():
        print(f"train_quotes: {args.data} has no attributions/ folder (PolNeAR train expected)", file=sys.stderr)
        return 2
    t0 = time.time()
    docs = load_articles(args.data, args.sentence_cache, args.limit)
    print(f"train_quotes: {len(docs)} articles from {args.data} ({time.time() - t0:.0f}s to load)", flush=True)
    if args.select:
        held = [d for i, d in enumerate(docs) if i % 10 == args.fold]
        fitted = fit([d for i, d in enumerate(docs) if i % 10 != args.fold], args)
        print(f"  choice split, fold {args.fold} ({len(held)} train articles held back), "
              f"c1={args.c1} c2={args.c2}:")
        score(fitted, held)
        if args.keep:
            fitted.save(args.keep)
        return 0
    fit(docs, args).save(args.out)
    print(f"  wrote {args.out} in {time.time() - t0:.0f}s total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
