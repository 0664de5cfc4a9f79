"""Render stage: a Dossier as ``dossier.json``, a static HTML report and ``report.md``.

The last stage: it reads the dataclasses and writes files, nothing else. Every output is
deterministic for a given Dossier (only ``generated_at`` differs between identical runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..collector import fewer_collections, frozen_heap
from ..model import Dossier

FORMATS: tuple[str, ...] = ("json", "html", "md")


def write_outputs(dossier: Dossier, out_dir: Path, formats: Sequence[str], workers: int | None = None
                  ) -> list[Path]:
    """Write the requested formats (a subset of json, html, md) into out_dir; return the paths.

    ``dossier.json`` is validated against the ``newsdossier/1`` schema before it is written, so an
    invalid dossier raises ``jsonschema.ValidationError`` and leaves no file behind. The HTML story
    pages are rendered on ``workers`` processes (default: every core) while this one writes the
    other formats, when there are enough of them (see :mod:`.page_workers`).
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown output format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # the dossier is alive to the end and holds no cycles: the collector need not rescan it
    with fewer_collections(), frozen_heap():
        return _write(dossier, out_dir, formats, workers)


def _write(dossier: Dossier, out_dir: Path, formats: Sequence[str], workers: int | None) -> list[Path]:
    html = None
    digests = None
    if "html" in formats:  # first: with no earlier pages to compare with, they are rendered meanwhile
        from .html_report import start_html
        from .page_manifest import Digests

        html = start_html(dossier, out_dir, workers)
        digests = Digests()
    json_path: list[Path] = []
    md_path: list[Path] = []
    html_paths: list[Path] = []
    try:
        if "json" in formats:
            from .json_writer import write_json

            json_path.append(write_json(dossier, out_dir / "dossier.json",
                                        record=digests.record if digests is not None else None))
        if html is not None:  # the pages that changed, known from what dossier.json holds
            html.start_pages(digests if "json" in formats else None)
        if "md" in formats:
            from .markdown_report import markdown_chunks

            path = out_dir / "report.md"
            with path.open("w", encoding="utf-8") as f:
                f.writelines(markdown_chunks(dossier))
            md_path.append(path)
    finally:
        if html is not None:
            html_paths = html.finish()
    return json_path + html_paths + md_path
