"""Compare-stage speed: one story of N articles (target: 50 articles < 5 s on one core).

    nice -n 10 python benchmarks/bench_compare.py [--articles 50] [--repeat 3] [--seed 0] [--store DB]

Self-contained, on the bundled fictional example corpus only: ingest, clean, annotate and link run on
it to find its largest story; that story's articles are replicated with small variations (a sentence
or two dropped, one paragraph's sentences reordered, another outlet, about half of the copies
undated) to N articles, which are cleaned, annotated and linked like any input. Then only the compare
stage is timed: ``compare_stories`` on the N articles as ONE story (claims, numbers, statements,
entities, summary, timeline, and stance when its model ships). The process is pinned to one core and
BLAS to one thread. Printed: articles, wall and CPU seconds per run (best and median), the 1-minute
load average before and after (wall times need a quiet machine; CPU seconds hold under load), and the
process's peak RSS before and after the timed runs. With ``--store DB`` (e.g. the store a 10k
benchmark run leaves), the story is instead the store's first N analysed articles: many different
sentences rather than copies of a few.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from dataclasses import replace

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before numpy loads
    os.environ.setdefault(_var, "1")

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?=[\"“A-Z])")


def _one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def _vary(text: str, rng: random.Random) -> str:
    """Drop a sentence or two from the body and reorder one paragraph's sentences; the title stays."""
    paras = text.split("\n\n")
    body = [p.split("\n") if i == 0 else [p] for i, p in enumerate(paras)]
    sentences = [[s for s in _SENTENCE_END.split(p) if s] for p in paras[1:]]
    droppable = [(i, j) for i, ss in enumerate(sentences) for j in range(len(ss)) if len(ss) > 1]
    for i, j in rng.sample(droppable, min(len(droppable), rng.randint(1, 2))):
        sentences[i][j] = ""
    multi = [i for i, ss in enumerate(sentences) if len([s for s in ss if s]) > 2]
    if multi:
        i = rng.choice(multi)
        kept = [s for s in sentences[i] if s]
        sentences[i] = [kept[0], *rng.sample(kept[1:], len(kept) - 1)]  # the lead sentence stays first
    out = ["\n".join(body[0])] + [" ".join(s for s in ss if s) for ss in sentences]
    return "\n\n".join(p for p in out if p.strip())


def build_story(n: int, seed: int):
    from newsdossier.annotate import annotate_articles
    from newsdossier.api import example_corpus
    from newsdossier.clean import clean_articles
    from newsdossier.ingest import read_inputs
    from newsdossier.link import link_articles
    from newsdossier.model import Article, Published

    raw = [a for a in read_inputs([str(example_corpus())]) if isinstance(a, Article)]
    _, stories = link_articles(annotate_articles(clean_articles(raw)))
    largest = max(stories, key=lambda s: (len(s.article_ids), s.id))
    members = [a for a in raw if a.id in set(largest.article_ids)]
    rng = random.Random(seed)
    variants = []
    for k in range(n):
        base = members[k % len(members)]
        published = base.published if k % 2 == 0 else Published()  # undated copies: the anchor path runs too
        variants.append(
            replace(base, id=f"{base.id}-v{k:03d}", input=f"{base.input}#variant-{k}", text=_vary(base.text, rng),
                    source=f"Outlet {k % 17:02d}", url=None, published=published)
        )
    arts, linked_stories = link_articles(annotate_articles(clean_articles(variants)))
    main = max(linked_stories, key=lambda s: len(s.article_ids))
    story = replace(main, article_ids=tuple(a.id for a in arts))  # all N as one story, whatever link split
    return arts, story, largest


def stored_story(db: str, n: int):
    """The first ``n`` analysed articles of a store (e.g. a benchmark's 10k store) as one story: many
    unrelated sentences rather than copies of a few (the shape of a large real story's memory)."""
    from newsdossier.store import Store

    with Store(db) as store:
        arts = store.analysed_articles()[:n]
        first = store.stories()[0]
    return arts, replace(first, article_ids=tuple(a.id for a in arts)), first


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--store", help="a store whose first N analysed articles make the story (instead of variants)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    pinned = _one_core()

    from newsdossier.compare import compare_stories

    t = time.perf_counter()
    arts, story, base = stored_story(args.store, args.articles) if args.store else build_story(args.articles, args.seed)
    made = f"{args.store}'s first {len(arts)} articles" if args.store else (
        f"example story {base.id}: {len(base.article_ids)} articles -> {len(arts)} variants")
    print(f"({made}; earlier stages took {time.perf_counter() - t:.1f} s, not timed)")
    compare_stories(arts[:2], [replace(story, article_ids=story.article_ids[:2])])  # load models once
    load_before = os.getloadavg()[0]
    rss_before = _peak_rss_mib()
    walls, cpus = [], []
    for _ in range(args.repeat):
        w, c = time.perf_counter(), time.process_time()
        compared, (out,) = compare_stories(arts, [story])
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    load_after = os.getloadavg()[0]
    print(f"articles: {len(story.article_ids)} in one story ({pinned}); {len(out.claims)} claims, "
          f"{len(out.quantities)} number groups, {len(out.statements)} statements, {len(out.timeline)} timeline entries, "
          f"stance set on {sum(a.stance is not None for a in compared)} articles")
    print(f"compare seconds (wall): best {min(walls):.2f}, median {statistics.median(walls):.2f} over {args.repeat} runs")
    print(f"compare seconds (CPU):  best {min(cpus):.2f}, median {statistics.median(cpus):.2f}")
    print(f"peak RSS: {rss_before:.0f} MiB before the timed runs, {_peak_rss_mib():.0f} MiB after")
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after (2+ cores shared: wall is noisy)")
    print(f"target < 5 s for 50 articles on one core: {'met' if min(cpus) < 5 else 'NOT met'} (CPU seconds)")
    return 0


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
