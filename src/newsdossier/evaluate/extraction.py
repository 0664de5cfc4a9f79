"""``newsdossier eval extraction --data DIR``: HTML main-text extraction, scored as trafilatura scores itself.

DIR holds ``evaldata.json`` (url -> {"file", "with": [...], "without": [...]}) and the pages as
``html/<file>.gz`` (or ``html/<file>``). Per page, each "with" snippet found in the extracted text
(whitespace-normalised substring match) is a true positive, else a false negative; each "without"
snippet found is a false positive, else a true negative. Micro precision, recall and F1 over all
snippets; a crash or no output counts as a full miss.

Rows, all in the same run on the same bytes:
- newsdossier: our HTML reader path (decode, then ``extract_html``), main text only;
- trafilatura.extract(html) with its defaults (what a user would otherwise call; comments included);
- trafilatura main text only (``include_comments=False``, as trafilatura's own benchmark runs it).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Extractor = Callable[[bytes], "str | None"]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0


@dataclass(frozen=True)
class EvalPage:
    url: str
    path: Path
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score_page(text: str | None, page: EvalPage) -> Counts:
    """Snippet counts for one page's extracted text (None = nothing extracted / crashed)."""
    found = _norm(text) if text else None
    tp = sum(1 for s in page.with_snippets if found is not None and _norm(s) in found)
    fp = sum(1 for s in page.without_snippets if found is not None and _norm(s) in found)
    return Counts(tp=tp, fp=fp, fn=len(page.with_snippets) - tp, tn=len(page.without_snippets) - fp)


def load_pages(data: Path, limit: int = 0) -> list[EvalPage]:
    """The pages of evaldata.json whose HTML file is present, in file order."""
    spec: dict[str, dict[str, Any]] = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in spec.items():
        for candidate in (
            data / "html" / f"{item['file']}.gz",
            data / "html" / item["file"],
            data / item["file"],
        ):
            if candidate.is_file():
                pages.append(EvalPage(url, candidate, tuple(item["with"]), tuple(item["without"])))
                break
        if limit and len(pages) >= limit:
            break
    return pages


def read_page(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def ours(html: bytes) -> str | None:
    from ..ingest.html import decode_html, extract_html

    text = decode_html(html)
    return extract_html(text).text if text else None


def plain_trafilatura(html: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(html)


def trafilatura_main_text(html: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(html, include_comments=False)


def run(pages: list[EvalPage], extractors: dict[str, Extractor]) -> dict[str, tuple[Counts, float, int]]:
    """Score every extractor on every page: name -> (counts, seconds, crashes)."""
    results = {name: (Counts(), 0.0, 0) for name in extractors}
    for page in pages:
        html = read_page(page.path)
        for name, extract in extractors.items():
            counts, seconds, crashes = results[name]
            started = time.perf_counter()
            try:
                text = extract(html)
            except Exception:  # noqa: BLE001 -- a crash is a full miss, as in trafilatura's own evaluation
                text, crashes = None, crashes + 1
            seconds += time.perf_counter() - started
            counts.add(score_page(text, page))
            results[name] = (counts, seconds, crashes)
    return results


def report(results: dict[str, tuple[Counts, float, int]], pages: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"HTML main-text extraction: snippet scores on {pages} pages")
    for column in (
        "extractor",
        "precision",
        "recall",
        "accuracy",
        "F1",
        "TP",
        "FP",
        "FN",
        "TN",
        "s total",
        "crashes",
    ):
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for name, (c, seconds, crashes) in results.items():
        table.add_row(
            name,
            f"{c.precision:.4f}",
            f"{c.recall:.4f}",
            f"{c.accuracy:.4f}",
            f"{c.f1:.4f}",
            str(c.tp),
            str(c.fp),
            str(c.fn),
            str(c.tn),
            f"{seconds:.1f}",
            str(crashes),
        )
    Console(width=140).print(table)


def main(data: Path, limit: int = 0) -> int:
    data = Path(data)
    if not (data / "evaldata.json").is_file():
        print(f"eval extraction: {data} holds no evaldata.json", file=sys.stderr)
        return 2
    pages = load_pages(data, limit)
    if not pages:
        print(f"eval extraction: no pages of {data / 'evaldata.json'} found under {data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    results = run(
        pages,
        {
            "newsdossier (extract_html, main text)": ours,
            "trafilatura.extract(html), defaults": plain_trafilatura,
            "trafilatura, include_comments=False": trafilatura_main_text,
        },
    )
    report(results, len(pages))
    print(f"{len(pages)} pages scored in {time.perf_counter() - started:.0f} s")
    return 0
