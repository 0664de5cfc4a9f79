"""``report.md``: the report's content in (GitHub-flavoured) Markdown.

Article texts are not dumped; each cite becomes a footnote that quotes the cited characters. Every
article-derived string goes through :func:`md` so it renders as the literal text it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Dossier, Story
from .story_view import (
    CiteRef,
    DossierIndex,
    StoryView,
    format_quantity,
    plural,
    safe_url,
    shorten,
    statements_by_speaker,
)

# HTML made literal and Markdown's inline syntax escaped in one pass (the entities hold no Markdown
# syntax, so this equals replacing & < > first and escaping afterwards).
_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]|~#"}}
_MD_CHARS = re.compile("[" + re.escape("".join(_MD_ESCAPES)) + "]")
_LINE_START_MARKER = re.compile(r"^(\d+)([.)])|^([-+=>])")
COVERAGE_SYMBOLS = {"supports": "✓", "contradicts": "✗", "both": "±", "omits": "·"}


def md(text: str | None) -> str:
    """Inline Markdown for arbitrary text: one line; HTML and Markdown syntax made literal."""
    flat = " ".join((text or "").split())
    flat = _MD_CHARS.sub(lambda m: _MD_ESCAPES[m.group()], flat)
    # A leading "1." or "-" would start a list when the string opens a line or a list item.
    m = _LINE_START_MARKER.match(flat)
    if m is None:
        return flat
    return (f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}") + flat[m.end():]


def md_url(url: str | None) -> str:
    safe = safe_url(url)
    if safe and not re.search(r"[\s<>]", safe):
        return f"<{safe}>"
    return md(url) if url else "—"


class _Footnotes:
    """Footnote labels for one story, one per distinct cite, in first-use order."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.labels: dict[tuple[str, int, int], str] = {}
        self.refs: list[tuple[str, CiteRef]] = []

    def ref(self, cite: CiteRef) -> str:
        key = (cite.article_id, cite.start, cite.end)
        if key not in self.labels:
            label = f"{self.prefix}-{len(self.labels) + 1}"
            self.labels[key] = label
            self.refs.append((label, cite))
        return f"[^{self.labels[key]}]"

    def refs_for(self, cites: list[CiteRef]) -> str:
        return "".join(self.ref(c) for c in cites)

    def lines(self) -> list[str]:
        out = []
        for label, c in self.refs:
            if c.anchor is None:
                out.append(
                    f"[^{label}]: {md(c.label)} citation target unavailable ({md(c.article_id)}, {c.start}–{c.end})"
                )
            else:
                out.append(
                    f"[^{label}]: {md(c.label)} {md(c.source)}, characters {c.start}–{c.end}: “{md(shorten(c.text, 400))}”"
                )
        return out


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines + [""]


def _story_section(dossier: Dossier, story: Story, number: int, index: DossierIndex) -> list[str]:
    view = StoryView(dossier, story, index)
    notes = _Footnotes(f"s{number}")
    cite = view.cite
    out = [
        f"## {number}. {md(story.headline) or '(untitled story)'}",
        "",
        (
            f"Event date: {md(story.event_date) or 'unknown'} · {plural(len(story.article_ids), 'article')} · "
            f"{plural(story.sources, 'source')} · {plural(story.independent_sources, 'independent source')}"
        ),
        "",
    ]
    if story.why:
        out += ["**Why these articles form one story**", ""] + [f"- {md(w)}" for w in story.why] + [""]
    if view.related:
        out += ["**Related stories**", ""]
        out += [
            f"- {md(r.relation.replace('_', ' '))}: {md(r.headline or r.story_id)}" for r in view.related
        ] + [""]

    out += ["### Summary", ""]
    if story.summary:
        out += [
            f"{i}. {md(c.text)}{notes.refs_for([cite(x.article_id, x.start, x.end) for x in c.cites])}"
            for i, c in enumerate(story.summary, 1)
        ] + [""]
    else:
        out += ["_No summary yet._", ""]

    out += ["### Claims", ""]
    if story.claims:
        rows = []
        for i, c in enumerate(story.claims, 1):
            agree = [cite(e.article_id, e.start, e.end) for e in c.evidence if e.agrees]
            disagree = [cite(e.article_id, e.start, e.end) for e in c.evidence if not e.agrees]
            support = f"{len({r.article_id for r in agree})} agree"
            if disagree:
                support += f", **{len({r.article_id for r in disagree})} disagree**"
            evidence = notes.refs_for(agree) + (f" disagree: {notes.refs_for(disagree)}" if disagree else "")
            status = c.status.replace("_", " ")
            status = f"**{md(status)}**" if c.status == "contested" else md(status)
            rows.append([f"C{i}", md(c.text), status, str(c.independent_sources), support, evidence])
        out += _table(["#", "Claim", "Status", "Independent sources", "Support", "Evidence"], rows)
    else:
        out += ["_No claims yet._", ""]

    out += ["### Numbers", ""]
    if story.quantities:
        rows = []
        for g in story.quantities:
            refs = [cite(v.article_id, v.start, v.end) for v in g.values]
            values = "; ".join(
                f"{md(format_quantity(v.value, ref.text, v.unit))} ({md(ref.source)}){notes.ref(ref)}"
                for v, ref in zip(g.values, refs, strict=True)
            )
            rows.append(
                [md(g.counts) or "(unspecified)", values, "**conflict**" if g.conflict else "consistent"]
            )
        out += _table(["Counts", "Values", "Conflict"], rows)
    else:
        out += ["_No numbers yet._", ""]

    out += ["### Statements", ""]
    if story.statements:
        for group in statements_by_speaker(story.statements):
            out += [f"**{md(group[0].speaker)}**", ""]
            for k, st in enumerate(group, 1):
                # one bullet per statement; a statement reported by several articles lists each wording
                label = f"Statement {k}:" if len(group) > 1 else "Statement:"
                wordings = []
                for v in st.variants:
                    ref = cite(v.article_id, v.start, v.end)
                    wordings.append(f"{md(ref.label)} {md(ref.source)}: “{md(shorten(ref.text, 400))}”{notes.ref(ref)}")
                if len(wordings) > 1:
                    out += [f"- {label}", *(f"  - {w}" for w in wordings)]
                else:
                    out.append(f"- {label} {wordings[0]}" if len(group) > 1 else f"- {wordings[0]}")
            out.append("")
    else:
        out += ["_No statements yet._", ""]

    out += ["### Entities", ""]
    if story.entities:
        rows = [
            [
                md(e.name),
                md(e.type),
                ", ".join(md(a) for a in e.aliases) or "—",
                " ".join(f"\\[{view.numbers[i]}\\]" for i in e.article_ids if i in view.numbers),
            ]
            for e in story.entities
        ]
        out += _table(["Name", "Type", "Also written", "Articles"], rows)
    else:
        out += ["_No entities yet._", ""]

    out += ["### Coverage", ""]
    coverage = view.coverage()
    if story.claims and coverage:
        header = ["Article"] + [f"C{i}" for i in range(1, len(story.claims) + 1)]
        header += ["Only here", "Omits corroborated", "Stance", "Opinion share"]
        rows = [
            [f"\\[{row.number}\\] {md(row.article.source or row.article.input)}"]
            + [COVERAGE_SYMBOLS[c.state] for c in row.cells]
            + [
                ", ".join(f"C{n}" for n in row.only_here) or "—",
                ", ".join(f"C{n}" for n in row.omitted_corroborated) or "—",
                md(row.article.stance) or "—",
                f"{row.article.opinion_share:.0%}",
            ]
            for row in coverage
        ]
        out += _table(header, rows) + ["✓ supports · ✗ contradicts · ± both · · not mentioned", ""]
    else:
        out += ["_No coverage yet (it needs claims)._", ""]

    out += ["### Timeline", ""]
    if story.timeline:
        for t in story.timeline:
            refs = notes.refs_for([cite(c.article_id, c.start, c.end) for c in t.cites])
            out.append(f"- **{md(t.date)}** — {md(t.text)}{refs}")
        out.append("")
    else:
        out += ["_No timeline yet._", ""]

    out += ["### Articles", ""]
    for n, a in enumerate(view.articles, 1):
        date = f"{md(a.published.date) or 'undated'} ({md(a.published.basis)})"
        extra = "" if a.id in story.article_ids else " (cited, not in this story)"
        out.append(
            f"{n}. **{md(a.title) or '(untitled)'}** — {md(a.source) or 'unknown source'}, {date}, {md_url(a.url)}, "
            f"stance {md(a.stance) or 'not assessed'}, opinion share {a.opinion_share:.0%}{extra}"
        )
    out.append("")
    if notes.refs:
        out += notes.lines() + [""]
    return out


def render_markdown(dossier: Dossier) -> str:
    return "".join(markdown_chunks(dossier))


def markdown_chunks(dossier: Dossier) -> Iterator[str]:
    """``report.md`` piece by piece (the header, each story, the rejected inputs), each ending in a
    newline: a writer streams them, where one 10k-article report is a ~75M-character string."""
    out = [
        "# News dossier",
        "",
        (
            f"{plural(len(dossier.articles), 'article')} · {plural(len(dossier.stories), 'story', 'stories')}"
            f" · {plural(len(dossier.rejected), 'rejected input')}"
            f" · generated {md(dossier.generated_at) or 'unknown'}"
        ),
        "",
    ]
    if dossier.stories:
        rows = [
            [
                str(i),
                md(s.headline) or "(untitled story)",
                md(s.event_date) or "unknown",
                str(len(s.article_ids)),
                str(s.sources),
                str(s.independent_sources),
            ]
            for i, s in enumerate(dossier.stories, 1)
        ]
        out += _table(["#", "Story", "Event date", "Articles", "Sources", "Independent sources"], rows)
    else:
        out += ["_No stories._", ""]
    yield "\n".join(out) + "\n"
    index = DossierIndex.of(dossier)
    for i, story in enumerate(dossier.stories, 1):
        yield "\n".join(_story_section(dossier, story, i, index)) + "\n"
    out = ["## Rejected inputs", ""]
    if dossier.rejected:
        out += [f"- {md(r.input)} — {md(r.reason)}" for r in dossier.rejected]
    else:
        out += ["None: every input was read."]
    yield "\n".join(out) + "\n"
