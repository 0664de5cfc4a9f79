"""Annotation speed per 600-word article on one core, with and without the entity model.

    nice -n 10 python benchmarks/bench_annotate.py [--articles 60] [--words 600] [--repeat 3]
    nice -n 10 python benchmarks/bench_annotate.py --batches 100,200,400,1000

``--batches`` times the whole stage as the engine runs it (``annotate_articles``: entities with
``nlp.pipe``, the variant-spelling pass and the entity merge over the batch) on the first N articles,
for each N, with the merge (``cluster_entities``) alone beside it: its CPU time must grow linearly.

Articles: PolNeAR dev texts (real news with quotes, read at run time from ``../shared/data``), cut or
joined at paragraph ends to ~600 words; the example corpus stands in when the dev data is absent.
Sentence splitting runs before the clock (another stage's cost: ``clean.sentences``). Timed per article:
entities (the spaCy model, one article per call), the variant-spelling pass, times with the
publication date, quantities and quotes. CPU time of this process (``time.process_time``) is reported
beside wall time, since the shared machine's load inflates wall time. Threads are pinned to one.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import statistics
import time
from pathlib import Path

from newsdossier.annotate import annotate_article
from newsdossier.annotate.entity_spread import add_missed_mentions
from newsdossier.clean.sentences import split_sentences
from newsdossier.model import Article

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def texts_of_words(n_articles: int, words: int) -> list[str]:
    """~``words``-word texts built from whole paragraphs of the dev articles (or the example corpus)."""
    folder = SHARED_DATA / "polnear" / "dev" / "text"
    sources = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))] if folder.is_dir() else []
    if not sources:
        from newsdossier.api import example_corpus
        from newsdossier.ingest import read_inputs

        sources = [a.text for a in read_inputs([str(example_corpus())]) if isinstance(a, Article)]
    paragraphs = [p for t in sources for p in t.split("\n") if p.strip()]
    out, k = [], 0
    while len(out) < n_articles and paragraphs:
        chosen, count = [], 0
        while count < words:
            p = paragraphs[k % len(paragraphs)]
            k += 1
            chosen.append(p)
            count += len(p.split())
        out.append("\n\n".join(chosen))
    return out


def batch_scaling(sizes: list[int], words: int) -> int:
    """CPU seconds of ``annotate_articles`` and of the entity merge alone, per batch size."""
    from newsdossier.annotate import annotate_articles
    from newsdossier.annotate.aliases import cluster_entities
    from newsdossier.annotate.entities import load_model

    texts = texts_of_words(max(sizes), words)
    articles = [Article(id=f"a{i}", input="-", text=t, sentences=tuple(split_sentences(t)))
                for i, t in enumerate(texts)]
    load_model()
    annotate_articles(articles[:2])  # warm-up: lazy model loads
    print(f"bench_annotate --batches: ~{words}-word articles, sentences split beforehand")
    for n in sizes:
        batch = articles[:n]
        c0 = time.process_time()
        done = annotate_articles(batch)
        stage = time.process_time() - c0
        c0 = time.process_time()
        cluster_entities({a.id: (a.text, a.entities) for a in done})
        merge = time.process_time() - c0
        print(f"  {len(batch):5d} articles: annotate_articles {stage:7.2f} CPU-s ({len(batch) / stage:5.1f} "
              f"articles/CPU-s), of which the entity merge alone {merge:5.2f} CPU-s", flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the articles; the best pass counts")
    ap.add_argument("--no-ner", action="store_true", help="skip the runs with the entity model")
    ap.add_argument("--batches", help="comma-separated batch sizes: time annotate_articles on each")
    args = ap.parse_args()
    if args.batches:
        return batch_scaling([int(n) for n in args.batches.split(",")], args.words)

    texts = texts_of_words(args.articles, args.words)
    articles = [Article(id=f"a{i}", input="-", text=t) for i, t in enumerate(texts)]
    articles = [a.__class__(**{**{f: getattr(a, f) for f in a.__dataclass_fields__},
                               "sentences": tuple(split_sentences(a.text))}) for a in articles]
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"bench_annotate: {len(articles)} articles, {words:.0f} words on average, sentences split beforehand")

    def rule_stages() -> None:
        for a in articles:
            annotate_article(a, [])

    runs = [("without NER (times, published, quantities, quotes)", rule_stages)]
    if not args.no_ner:
        from newsdossier.annotate.entities import find_entities, load_model

        t0 = time.perf_counter()
        load_model()
        print(f"  entity model loaded in {time.perf_counter() - t0:.2f} s")

        def with_ner() -> None:
            for a in articles:
                found = find_entities(a.text)
                found = add_missed_mentions([a.text], [found])[0]
                annotate_article(a, found)

        def ner_only() -> None:
            for a in articles:
                find_entities(a.text)

        runs += [("with NER (all of the above + entities + variant spellings)", with_ner), ("NER alone", ner_only)]

    rule_stages()  # warm-up: lazy model loads, regex caches
    for name, fn in runs:
        best_cpu = best_wall = float("inf")
        for _ in range(args.repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            fn()
            best_cpu = min(best_cpu, time.process_time() - c0)
            best_wall = min(best_wall, time.perf_counter() - w0)
        print(f"  {name}: {best_cpu * 1000 / len(articles):.1f} ms CPU per article "
              f"({best_wall * 1000 / len(articles):.1f} ms wall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
