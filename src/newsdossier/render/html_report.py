"""The static HTML report: ``index.html`` and ``stories/<story_id>.html``.

Self-contained pages (inline CSS, no scripts, no network). Jinja2 autoescaping is on for every
template; the only pre-built markup is the highlighted article text, whose text pieces are escaped
in :mod:`highlight`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..model import SEGMENT_KINDS, Article, Dossier, Story
from .highlight import Mark, class_token, continuation_css, highlight
from .page_manifest import Digests, page_fingerprint, read_manifest, write_manifest
from .page_workers import PageJob
from .story_view import (
    CoverageCell,
    DossierIndex,
    StoryView,
    format_quantity,
    format_value,
    plural,
    safe_url,
    statements_by_speaker,
    story_filename,
)

COVERAGE_SYMBOLS = {"supports": "✓", "contradicts": "✗", "both": "±", "omits": "·"}
_TARGET_RULE = "background: var(--hl) !important; color: var(--ink) !important;"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsdossier.render", "templates"),
        autoescape=True,  # every template, whatever its name: all strings here may be hostile
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = plural
    env.globals["coverage_cells"] = coverage_cells
    return env


def coverage_cells(cells: Sequence[CoverageCell], symbols: Mapping[str, str]) -> Markup:
    """One coverage-matrix row's cells as HTML (``<td>`` each, cite link inside when it has a target).

    Built here rather than in the template: a large story's matrix has thousands of cells, and
    escaping each cell's five values one by one in Jinja was half the time of its page. Every
    value is still escaped; a cell without a cite is made once per state."""
    plain: dict[tuple[str, bool], str] = {}
    parts = []
    for cell in cells:
        if cell.cite and cell.cite.anchor:
            parts.append(_cell_html(cell, symbols))
            continue
        key = (cell.state, bool(cell.omits_corroborated))
        if key not in plain:
            plain[key] = _cell_html(cell, symbols)
        parts.append(plain[key])
    return Markup("".join(parts))


def _cell_html(cell: CoverageCell, symbols: Mapping[str, str]) -> str:
    state = escape(cell.state)
    gap = " gap" if cell.omits_corroborated else ""
    inner = escape(symbols[cell.state])
    if cell.cite and cell.cite.anchor:
        inner = f'<a href="#{escape(cell.cite.anchor)}" title="{escape(cell.cite.hover)}">{inner}</a>'
    return f'<td class="cell cell-{state}{gap}" title="{state}">{inner}</td>'


def article_marks(article: Article, view: StoryView) -> list[Mark]:
    """Every layer of one article as marks; cite targets outermost so they split least."""
    names = view.entity_names()
    marks = [
        Mark(start, end, "cite-target", 0, "cited in: " + ", ".join(where), anchor)
        for anchor, (start, end, where) in view.targets(article.id).items()
    ]
    marks += [
        Mark(s.start, s.end, f"seg seg-{class_token(s.kind)}", 1, s.kind.replace("_", " "))
        for s in article.segments
    ]
    for q in article.quotes:
        kind = "direct" if q.direct else "indirect"
        who = f" — {q.speaker}" if q.speaker else ""
        marks.append(Mark(q.start, q.end, f"quote quote-{kind}", 2, f"{kind} quote{who}"))
        if q.speaker_start is not None and q.speaker_end is not None:
            marks.append(Mark(q.speaker_start, q.speaker_end, "speaker", 3, "speaker"))
    for e in article.entities:
        name = names.get(e.entity_id or "", "")
        title = f"{e.type}: {name}" if name else e.type
        marks.append(Mark(e.start, e.end, f"ent ent-{class_token(e.type)}", 4, title))
    marks += [Mark(t.start, t.end, "time", 5, f"time: {t.value}") for t in article.times]
    for q in article.quantities:
        parts = [format_value(q.value), q.unit or "", f"({q.counts})" if q.counts else ""]
        marks.append(Mark(q.start, q.end, "qty", 6, "quantity: " + " ".join(p for p in parts if p)))
    return marks


def story_context(dossier: Dossier, story: Story, view: StoryView | None = None) -> dict[str, Any]:
    view = view or StoryView(dossier, story)
    member_ids = set(story.article_ids)
    articles, split_anchors = [], []
    for number, a in enumerate(view.articles, start=1):
        lit = highlight(a.text, article_marks(a, view))
        split_anchors += lit.split_anchors
        articles.append(
            {
                "article": a,
                "number": number,
                "html": lit.html,
                "url": safe_url(a.url),
                "member": a.id in member_ids,
            }
        )
    claims = []
    for number, claim in enumerate(story.claims, start=1):
        agree = [view.cite(e.article_id, e.start, e.end) for e in claim.evidence if e.agrees]
        disagree = [view.cite(e.article_id, e.start, e.end) for e in claim.evidence if not e.agrees]
        claims.append(
            {
                "number": number,
                "claim": claim,
                "status_class": class_token(claim.status),
                "agree": len({r.article_id for r in agree}),
                "disagree": len({r.article_id for r in disagree}),
                "agree_refs": agree,
                "disagree_refs": disagree,
            }
        )
    numbers = [
        {
            "group": g,
            "entries": [
                {
                    "value": format_quantity(v.value, ref.text, v.unit),
                    "ref": ref,
                }
                for v in g.values
                for ref in (view.cite(v.article_id, v.start, v.end),)
            ],
        }
        for g in story.quantities
    ]
    kinds = sorted({s.kind for a in view.articles for s in a.segments}, key=_kind_order)
    return {
        "story": story,
        "related": view.related,
        "summary": [
            (c.text, [view.cite(x.article_id, x.start, x.end) for x in c.cites]) for c in story.summary
        ],
        "claims": claims,
        "numbers": numbers,
        "statements": [
            (group[0], [[view.cite(v.article_id, v.start, v.end) for v in st.variants] for st in group])
            for group in statements_by_speaker(story.statements)
        ],
        "entities": [
            (e, [view.numbers[i] for i in e.article_ids if i in view.numbers]) for e in story.entities
        ],
        "entity_names": view.entity_names(),
        "coverage": view.coverage(),
        "symbols": COVERAGE_SYMBOLS,
        "timeline": [(t, [view.cite(c.article_id, c.start, c.end) for c in t.cites]) for t in story.timeline],
        "articles": articles,
        "numbers_by_id": view.numbers,
        "segment_kinds": kinds or list(SEGMENT_KINDS),
        "continuation_css": continuation_css(split_anchors, _TARGET_RULE),
        "generated_at": dossier.generated_at,
    }


def _kind_order(kind: str) -> tuple[int, str]:
    return (SEGMENT_KINDS.index(kind) if kind in SEGMENT_KINDS else len(SEGMENT_KINDS), kind)


def render_story(dossier: Dossier, story: Story, env: Environment | None = None,
                 view: StoryView | None = None) -> str:
    env = env or _environment()
    return env.get_template("story.html.j2").render(**story_context(dossier, story, view))


def render_index(dossier: Dossier, env: Environment | None = None) -> str:
    env = env or _environment()
    in_story = {i for s in dossier.stories for i in s.article_ids}
    return env.get_template("index.html.j2").render(
        stories=[{"story": s, "filename": story_filename(s.id)} for s in dossier.stories],
        unassigned=[a for a in dossier.articles if a.id not in in_story],
        rejected=dossier.rejected,
        article_count=len(dossier.articles),
        generated_at=dossier.generated_at,
    )


class HtmlWrite:
    """An HTML report being written (see :func:`start_html`): the index is written; the story pages
    are rendered when :meth:`start_pages` knows which changed (all of them at once when no earlier
    write left a manifest) and written by :meth:`finish`."""

    def __init__(self, dossier: Dossier, out_dir: Path, workers: int | None) -> None:
        env = _environment()
        self.dossier, self.workers = dossier, workers
        self.stories_dir = out_dir / "stories"
        self.stories_dir.mkdir(parents=True, exist_ok=True)
        self.index = out_dir / "index.html"
        self.index.write_text(render_index(dossier, env), encoding="utf-8")
        lookup = DossierIndex.of(dossier)
        self.views = [StoryView(dossier, s, lookup) for s in dossier.stories]
        self.names = [story_filename(s.id) for s in dossier.stories]
        self.before = read_manifest(self.stories_dir)
        self.state = (dossier, self.views, self.stories_dir, env)
        self.fingerprints: dict[str, str] | None = None
        self.job: PageJob | None = None
        if not self.before:  # no earlier write to compare with: every page is rendered, starting now
            self.job = PageJob(self.state, _story_page, range(len(self.names)), workers)

    def start_pages(self, digests: Digests | None = None) -> None:
        """Fingerprint every page (``digests``: those of the dossier.json just written, else made
        here) and start rendering the pages that changed, unless they are all on their way."""
        if self.fingerprints is not None:
            return
        digests = digests or Digests.of(self.dossier)
        self.fingerprints = {name: page_fingerprint(view.story, view, digests)
                             for name, view in zip(self.names, self.views)}
        if self.job is None:
            todo = [i for i, name in enumerate(self.names)
                    if self.before.get(name) != self.fingerprints[name] or not (self.stories_dir / name).is_file()]
            self.job = PageJob(self.state, _story_page, todo, self.workers)

    def finish(self) -> list[Path]:
        """Wait for the story pages, write the page manifest; the paths, index first."""
        self.start_pages()
        assert self.job is not None and self.fingerprints is not None
        self.job.wait()
        write_manifest(self.stories_dir, self.fingerprints)
        return [self.index, *(self.stories_dir / name for name in self.names)]


def _story_page(state: tuple, i: int) -> None:
    """Write story ``i``'s page."""
    dossier, views, stories_dir, env = state
    view = views[i]
    (stories_dir / story_filename(view.story.id)).write_text(render_story(dossier, view.story, env, view),
                                                             encoding="utf-8")


def start_html(dossier: Dossier, out_dir: Path, workers: int | None = None) -> HtmlWrite:
    """Write index.html and get ready for the story pages, which are rendered on ``workers`` forked
    processes (default: every core) when there are enough of them (see :mod:`.page_workers`), else in
    this process by :meth:`HtmlWrite.finish`. A story page left by an earlier write that still shows
    the same (see :mod:`.page_manifest`) is not rendered again."""
    return HtmlWrite(dossier, out_dir, workers)


def write_html(dossier: Dossier, out_dir: Path, workers: int | None = None) -> list[Path]:
    """Write index.html and one page per story; return the paths, index first (see :func:`start_html`)."""
    return start_html(dossier, out_dir, workers).finish()
