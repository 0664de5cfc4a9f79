"""newsdossier: one cited dossier per real-world story from a pile of news coverage.

The public API is :func:`analyze`; the ``newsdossier`` command line is built on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["analyze", "Dossier", "Article", "Story", "__version__"]

if TYPE_CHECKING:
    from .model import Article, Dossier, Story


def analyze(paths: Any, **options: Any) -> "Dossier":
    """Read ``paths``, store the articles, run the pipeline and return the :class:`Dossier`.

    See :func:`newsdossier.api.analyze` for the options.
    """
    from .api import analyze as _analyze

    return _analyze(paths, **options)


def __getattr__(name: str) -> Any:
    if name in {"Dossier", "Article", "Story"}:
        from . import model

        return getattr(model, name)
    import importlib

    try:  # submodules (newsdossier.api, newsdossier.render, ...) load on first use
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError:
        raise AttributeError(f"module 'newsdossier' has no attribute {name!r}") from None
