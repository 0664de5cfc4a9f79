"""Which story pages of an earlier write still show what they would show now, so that adding a few
articles to a large store re-renders only the stories they change.

A page shows its story, the articles on it (members, and articles its cites point at) and the headlines
of its related stories; its fingerprint is a SHA-1 over those, the package version and the templates'
text. The story and articles enter through the SHA-1 of their ``newsdossier/1`` JSON as ``dossier.json``
has it (one line each, see :class:`Digests`), so a write of both outputs hashes what it writes anyway
and no article is encoded twice. ``stories/.pages.json`` maps each written page to its fingerprint; a
page is skipped when the file exists and its fingerprint is unchanged. The only thing a skipped page
keeps from its own write is the footer's "generated" time, which then says when that page was generated.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..codec import dossier_article_to_dict, story_to_dict
from ..model import Dossier, Story
from .story_view import StoryView

MANIFEST = ".pages.json"


@lru_cache(maxsize=1)
def _templates_digest() -> str:
    folder = resources.files("newsdossier") / "render" / "templates"
    digest = hashlib.sha1(__version__.encode())
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_file():
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()


@dataclass
class Digests:
    """SHA-1 of each article's and story's ``dossier.json`` line (see :func:`record`), by id."""

    articles: dict[str, str] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)

    def record(self, key: str, item: dict[str, Any], line: bytes) -> None:
        """Take one item as the JSON writer writes it (``key``: ``articles`` or ``stories``)."""
        if key == "articles":
            self.articles[item["id"]] = hashlib.sha1(line).hexdigest()
        elif key == "stories":
            self.stories[item["id"]] = hashlib.sha1(line).hexdigest()

    @classmethod
    def of(cls, dossier: Dossier) -> Digests:
        """The digests without writing ``dossier.json`` (the same lines, made here)."""
        out = cls()
        for a in dossier.articles:
            d = dossier_article_to_dict(a)
            out.record("articles", d, orjson.dumps(d))
        for st in dossier.stories:
            d = story_to_dict(st)
            out.record("stories", d, orjson.dumps(d))
        return out


def page_fingerprint(story: Story, view: StoryView, digests: Digests) -> str:
    shown = [
        _templates_digest(),
        digests.stories[story.id],
        [digests.articles[a.id] for a in view.articles],
        [[r.story_id, r.headline, r.filename] for r in view.related],
    ]
    return hashlib.sha1(orjson.dumps(shown)).hexdigest()


def read_manifest(stories_dir: Path) -> dict[str, str]:
    """{page file name: fingerprint} of the last write; empty when missing or unreadable."""
    try:
        data = json.loads((stories_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_manifest(stories_dir: Path, pages: dict[str, str]) -> None:
    (stories_dir / MANIFEST).write_text(json.dumps(pages, sort_keys=True, indent=0), encoding="utf-8")
