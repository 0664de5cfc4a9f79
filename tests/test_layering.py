"""The house rule: data flows one way, and no stage imports a later one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "newsdossier"
ORDER = ["ingest", "clean", "annotate", "link", "compare", "render", "web"]


def _imports(path: Path) -> set[str]:
    """The newsdossier sub-packages a module imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(PKG).parts
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level])
                parts = base + (node.module.split(".") if node.module else [])
                if not node.module:  # from .. import x
                    parts += [a.name for a in node.names]
            elif node.module and node.module.startswith("newsdossier."):
                parts = node.module.split(".")[1:]
            else:
                continue
            if parts:
                out.add(parts[0])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("newsdossier."):
                    out.add(a.name.split(".")[1])
    return out


@pytest.mark.parametrize("stage", ORDER)
def test_no_stage_imports_a_later_one(stage: str) -> None:
    later = set(ORDER[ORDER.index(stage) + 1 :]) - ({"web"} if stage == "render" else set())
    bad = []
    for path in sorted((PKG / stage).rglob("*.py")):
        hits = _imports(path) & later
        if hits:
            bad.append(f"{path.relative_to(PKG)} imports {sorted(hits)}")
    assert not bad, "\n".join(bad)
