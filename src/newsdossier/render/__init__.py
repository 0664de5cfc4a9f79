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


def write_outputs(dossier: Dossier, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write the requested formats (a subset of json, html, md) into out_dir; return the paths.

    ``dossier.json`` is validated against the ``newsdossier/1`` schema before it is written, so an
    invalid dossier raises ``jsonschema.ValidationError`` and leaves no file behind.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown output format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # the dossier is alive to the end and holds no cycles: the collector need not rescan it
    with fewer_collections(), frozen_heap():
        return _write(dossier, out_dir, formats)


def _write(dossier: Dossier, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    written: list[Path] = []
    if "json" in formats:
        from .json_writer import write_json

        written.append(write_json(dossier, out_dir / "dossier.json"))
    if "html" in formats:
        from .html_report import write_html

        written += write_html(dossier, out_dir)
    if "md" in formats:
        from .markdown_report import markdown_chunks

        path = out_dir / "report.md"
        with path.open("w", encoding="utf-8") as f:
            f.writelines(markdown_chunks(dossier))
        written.append(path)
    return written
