"""Article text as HTML with every annotation layer highlighted, however the spans overlap.

Spans from different layers (segments, cite targets, entities, quotes, ...) may overlap without
nesting, which HTML elements cannot. The text is cut at every span boundary; open elements are kept
on a stack, and when a span ends while spans opened after it are still running, those are closed and
reopened as continuation fragments. Tags therefore always nest, every character keeps all its
classes, and a span that must be a link target keeps its ``id`` on its first fragment; continuation
fragments carry ``data-part-of`` so CSS can highlight them too (see ``continuation_css``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class Mark:
    """One span to wrap in ``<span class=...>``. Lower ``layer`` sits outside when spans tie."""

    start: int
    end: int
    classes: str
    layer: int = 0
    title: str | None = None
    anchor: str | None = None  # the element id, for link targets


@dataclass(slots=True)
class Highlighted:
    html: Markup
    split_anchors: list[str] = field(default_factory=list)  # anchors cut into several fragments


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_CLASS_UNSAFE = re.compile(r"[^a-z0-9_-]")


def safe_token(value: str) -> str:
    """An id fragment that is safe in HTML ids, URLs and CSS selectors; ordinary ids pass unchanged."""
    return _ID_UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", value)


def class_token(value: str) -> str:
    return _CLASS_UNSAFE.sub("-", value.lower())


def cite_anchor(article_id: str, start: int, end: int) -> str:
    """The id of a cited span in the story page: ``c-<article_id>-<start>-<end>``."""
    return f"c-{safe_token(article_id)}-{start}-{end}"


def _escaped(s: str) -> str:
    """``str(markupsafe.escape(s))`` for a str: its five replacements, without making a Markup object
    per piece (most of a page's escaping is here: every text run and attribute of every article)."""
    return s.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace(
        '"', "&#34;")


def _open_tag(mark: Mark, first: bool) -> str:
    attrs = [f'class="{_escaped(mark.classes)}"']
    if mark.title:
        attrs.append(f'title="{_escaped(mark.title)}"')
    if mark.anchor:
        # The anchor is built by cite_anchor/safe_token, but escape anyway: this is markup.
        attrs.append(f'id="{_escaped(mark.anchor)}"' if first else f'data-part-of="{_escaped(mark.anchor)}"')
    return f"<span {' '.join(attrs)}>"


def highlight(text: str, marks: Iterable[Mark]) -> Highlighted:
    """HTML for text with each valid mark wrapped; marks outside the text or empty are skipped."""
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    # Deterministic order: position, then longer first (fewer splits), then layer, then class.
    valid.sort(key=lambda m: (m.start, -m.end, m.layer, m.classes, m.anchor or ""))
    starting: dict[int, list[Mark]] = {}
    for m in valid:
        starting.setdefault(m.start, []).append(m)
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})

    out: list[str] = []
    stack: list[Mark] = []
    opened: set[int] = set()  # id() of marks whose first fragment was written
    split: list[str] = []
    for i, pos in enumerate(cuts):
        ending = [k for k, m in enumerate(stack) if m.end == pos]
        reopen: list[Mark] = []
        if ending:
            lowest = ending[0]
            for m in reversed(stack[lowest:]):
                out.append("</span>")
                if m.end > pos:
                    reopen.append(m)
                    if m.anchor and m.anchor not in split:
                        split.append(m.anchor)
            del stack[lowest:]
        to_open = reopen + starting.get(pos, [])
        to_open.sort(key=lambda m: (-m.end, m.layer, m.start, m.classes, m.anchor or ""))
        for m in to_open:
            out.append(_open_tag(m, first=id(m) not in opened))
            opened.add(id(m))
            stack.append(m)
        if i + 1 < len(cuts):
            out.append(_escaped(text[pos : cuts[i + 1]]))
    out.extend("</span>" for _ in stack)  # nothing should remain: every mark ends at a cut <= n
    return Highlighted(Markup("".join(out)), split)


def continuation_css(anchors: Iterable[str], rule: str) -> Markup:
    """CSS that gives a split target's continuation fragments the :target look of its first one."""
    selectors = [
        f'body:has([id="{a}"]:target) [data-part-of="{a}"]' for a in anchors if not _ID_UNSAFE.search(a)
    ]
    if not selectors:
        return Markup("")
    return Markup(",\n".join(selectors) + " {" + rule + "}")
