"""Render stage: write_outputs, the HTML report (escaping, anchors, layers) and report.md."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from dossier_fixture import make_dossier, make_hostile_dossier
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdossier.model import Article, Cite, CitedText, Dossier, Story
from newsdossier.render import write_outputs
from newsdossier.render.highlight import Mark, cite_anchor, highlight
from newsdossier.render.html_report import render_index, render_story
from newsdossier.render.markdown_report import md, render_markdown
from newsdossier.render.story_view import StoryView, safe_url, story_filename

VOID = {"meta", "br", "img", "hr", "input", "link"}


class Page(HTMLParser):
    """Collects tags, ids, links and text, and fails on mis-nested or unclosed elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.text_by_id: dict[str, list[str]] = {}
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]

    def local_links(self) -> list[tuple[str, dict[str, str | None]]]:
        return [
            (a["href"][1:], a) for t, a in self.tags if t == "a" and (a.get("href") or "").startswith("#")
        ]


class TextOf(HTMLParser):
    """The character data inside the element with a given id (or inside <div class="text">)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif tag == "div" and dict(attrs).get("class") == "text":
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    return make_dossier()


@pytest.fixture(scope="module")
def story_page(dossier: Dossier) -> str:
    return render_story(dossier, dossier.stories[0])


# -- write_outputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "formats, expected",
    [
        (["json"], {"dossier.json"}),
        (["md"], {"report.md"}),
        (["html"], {"index.html", "stories/s-kestrel-2024.html", "stories/s-tern-2025.html"}),
        (
            ["json", "html", "md"],
            {
                "dossier.json",
                "report.md",
                "index.html",
                "stories/s-kestrel-2024.html",
                "stories/s-tern-2025.html",
            },
        ),
    ],
)
def test_write_outputs_writes_requested_formats_only(
    tmp_path: Path, dossier: Dossier, formats, expected
) -> None:
    out = tmp_path / "new" / "out"
    written = write_outputs(dossier, out, formats)
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != ".pages.json"}
    assert on_disk == expected
    assert {str(p.relative_to(out)) for p in written} == expected
    assert (out / "stories" / ".pages.json").is_file() == ("html" in formats)


def test_html_rewrites_only_the_story_pages_that_changed(tmp_path: Path, dossier: Dossier) -> None:
    write_outputs(dossier, tmp_path, ["html"])
    kestrel, tern = tmp_path / "stories" / "s-kestrel-2024.html", tmp_path / "stories" / "s-tern-2025.html"
    for page in (kestrel, tern):
        page.write_text("left alone", encoding="utf-8")
    # Same dossier: both pages still show the same, so neither is rendered again.
    write_outputs(dossier, tmp_path, ["html"])
    assert kestrel.read_text(encoding="utf-8") == tern.read_text(encoding="utf-8") == "left alone"
    # One story changes: only its page is rendered again; a deleted page is written again.
    stories = tuple(replace(s, headline="A new headline") if s.id == "s-kestrel-2024" else s
                    for s in dossier.stories)
    tern.unlink()
    write_outputs(replace(dossier, stories=stories), tmp_path, ["html"])
    assert "A new headline" in kestrel.read_text(encoding="utf-8")
    assert "left alone" not in tern.read_text(encoding="utf-8")
    # An unreadable manifest only means everything is rendered again.
    (tmp_path / "stories" / ".pages.json").write_text("{not json", encoding="utf-8")
    kestrel.write_text("left alone", encoding="utf-8")
    write_outputs(replace(dossier, stories=stories), tmp_path, ["html"])
    assert "A new headline" in kestrel.read_text(encoding="utf-8")


def test_write_outputs_json_is_the_validated_dump(tmp_path: Path, dossier: Dossier) -> None:
    (path,) = write_outputs(dossier, tmp_path, ["json"])
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "newsdossier/1" and len(doc["articles"]) == 7 and len(doc["stories"]) == 2
    again = write_outputs(dossier, tmp_path / "again", ["json"])[0]
    assert path.read_bytes() == again.read_bytes()


def test_write_outputs_refuses_invalid_dossier_and_unknown_format(tmp_path: Path, dossier: Dossier) -> None:
    bad = replace(
        dossier,
        stories=(
            replace(dossier.stories[0], claims=(replace(dossier.stories[0].claims[0], status="confirmed"),)),
        ),
    )
    with pytest.raises(jsonschema.ValidationError):
        write_outputs(bad, tmp_path / "bad", ["json"])
    assert not (tmp_path / "bad" / "dossier.json").exists()
    with pytest.raises(ValueError, match="pdf"):
        write_outputs(dossier, tmp_path / "x", ["pdf"])


def test_outputs_are_deterministic(dossier: Dossier) -> None:
    assert render_story(dossier, dossier.stories[0]) == render_story(
        make_dossier(), make_dossier().stories[0]
    )
    assert render_index(dossier) == render_index(make_dossier())
    assert render_markdown(dossier) == render_markdown(make_dossier())


# -- HTML ------------------------------------------------------------------------------------


def test_index_lists_stories_with_counts_links_and_rejected(dossier: Dossier) -> None:
    html = render_index(dossier)
    page = Page(html)
    assert page.errors == []
    hrefs = [a.get("href") for t, a in page.tags if t == "a"]
    assert hrefs == ["stories/s-kestrel-2024.html", "stories/s-tern-2025.html"]
    assert "Ferry Aurora Kestrel catches fire off Vellmar; crossing to Tosk suspended" in html
    assert re.search(
        r"2024-05-14</td>\s*<td class=\"num\">5</td>\s*<td class=\"num\">5</td>\s*<td class=\"num\">3</td>",
        html,
    )
    assert "corpus/broken.zip" in html and "bad CRC-32" in html


def test_story_page_is_well_formed_with_unique_ids(story_page: str) -> None:
    page = Page(story_page)
    assert page.errors == []
    ids = page.ids()
    assert len(ids) == len(set(ids))


def test_every_cite_links_to_an_existing_target_with_its_text(dossier: Dossier, story_page: str) -> None:
    page = Page(story_page)
    ids = set(page.ids())
    links = page.local_links()
    assert links and all(target in ids for target, _ in links)
    story = dossier.stories[0]
    cites = [c for s in story.summary for c in s.cites] + [c for t in story.timeline for c in t.cites]
    cites += [v for s in story.statements for v in s.variants]
    cites += [Cite(e.article_id, e.start, e.end) for c in story.claims for e in c.evidence]
    cites += [Cite(v.article_id, v.start, v.end) for g in story.quantities for v in g.values]
    titles = {target: attrs.get("title") or "" for target, attrs in links}
    for c in cites:
        anchor = cite_anchor(c.article_id, c.start, c.end)
        assert anchor in ids, anchor
        cited = dossier.article(c.article_id).text[c.start : c.end]
        assert " ".join(cited.split())[:60] in " ".join(titles[anchor].split())  # hover shows cited text


def test_summary_cites_link_into_the_article_text(dossier: Dossier, story_page: str) -> None:
    summary = story_page.split('id="summary"')[1].split("<h2")[0]
    first = dossier.stories[0].summary[0].cites[0]
    anchor = cite_anchor(first.article_id, first.start, first.end)
    assert f'href="#{anchor}"' in summary
    assert re.search(rf'<span class="cite-target"[^>]* id="{anchor}">The ferry', story_page)
    assert ".cite-target:target" in story_page


def test_crossing_cites_keep_one_id_and_a_highlight_rule(dossier: Dossier, story_page: str) -> None:
    crossing = dossier.stories[0].timeline[0].cites[0]
    anchor = cite_anchor(crossing.article_id, crossing.start, crossing.end)
    assert story_page.count(f' id="{anchor}"') == 1
    assert f'data-part-of="{anchor}"' in story_page
    assert f'body:has([id="{anchor}"]:target) [data-part-of="{anchor}"]' in story_page


def test_article_text_is_complete_and_segments_are_coloured(dossier: Dossier, story_page: str) -> None:
    view = StoryView(dossier, dossier.stories[0])
    assert TextOf(story_page).texts == [a.text for a in view.articles]
    for a in view.articles:
        for seg in a.segments:
            assert f'class="seg seg-{seg.kind}"' in story_page
    css = story_page.split("<style>")[1].split("</style>")[0]
    for kind in ("reporting", "opinion", "reproduced", "reader_comment", "boilerplate"):
        assert f".seg-{kind} {{" in css
    assert 'class="legend"' in story_page
    for layer in ("ent ent-person", "time", "qty", "quote quote-direct", "speaker"):
        assert f'<span class="{layer}" title=' in story_page.split('class="legend"')[1]


def test_story_sections_show_the_compare_data(story_page: str) -> None:
    assert 'class="badge badge-contested"' in story_page and 'class="badge badge-corroborated"' in story_page
    assert '<tr class="conflict">' in story_page  # the passenger numbers
    assert story_page.count('class="variant"') == 3  # one statement, three variants side by side
    assert "Ilse Brand, Brandt" in story_page  # aliases
    assert 'href="s-tern-2025.html"' in story_page  # related story
    assert "2024-05-15" in story_page.split('id="timeline"')[1]


def test_coverage_matrix_is_derived_from_evidence(dossier: Dossier) -> None:
    rows = StoryView(dossier, dossier.stories[0]).coverage()
    states = {r.article.source: [c.state for c in r.cells] for r in rows}
    assert states["Norland Press Agency"] == ["supports", "supports", "omits"]
    assert states["Coastal Times"] == ["supports", "contradicts", "omits"]
    by_source = {r.article.source: r for r in rows}
    assert by_source["Tosk Courier"].only_here == (3,) and by_source["Tosk Courier"].omitted_corroborated == (
        1,
    )
    assert by_source["Norland Press Agency"].only_here == (2,)


def test_hostile_strings_render_inert() -> None:
    hostile = make_hostile_dossier()
    pages = [render_index(hostile), render_story(hostile, hostile.stories[0])]
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "h3",
        "p",
        "nav",
        "a",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "div",
        "section",
        "blockquote",
        "article",
        "dl",
        "dt",
        "dd",
        "code",
        "strong",
        "br",
        "footer",
    }
    for html in pages:
        page = Page(html)
        assert page.errors == []
        assert {t for t, _ in page.tags} <= allowed
        for _, attrs in page.tags:
            assert not any(name.startswith("on") for name in attrs)
            assert not (attrs.get("href") or "").lower().lstrip().startswith("javascript:")
        assert "<script" not in html.lower() and "<img" not in html.lower() and "<svg" not in html.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "{{ 7*7 }}" in html and "{{" not in html.replace("{{ 7*7 }}", "")
    story = pages[1]
    assert "&lt;img src=x onerror=alert(1)&gt;" in story
    assert TextOf(story).texts == [hostile.articles[0].text]


def test_empty_stage_data_says_none_yet_and_broken_cites_are_not_links() -> None:
    a = Article(id="a1", input="in.txt", text="Only text, nothing annotated.")
    story = Story(
        id="../../evil name",
        headline="Bare story",
        article_ids=("a1",),
        summary=(CitedText("Dangling.", (Cite("a1", 5, 999), Cite("missing", 0, 3))),),
    )
    d = Dossier(articles=(a,), stories=(story,), generated_at="2025-01-01T00:00:00Z")
    html = render_story(d, story)
    for what in ("claims", "numbers", "statements", "entities", "timeline"):
        assert f"No {what} yet." in html
    assert html.count('class="cite broken"') == 2 and 'class="cite"' not in html
    assert Page(html).errors == []
    name = story_filename(story.id)
    assert "/" not in name and ".." not in name and name.endswith(".html")


def test_safe_url_only_links_http() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    for url in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "",
        None,
    ):
        assert safe_url(url) is None


# -- highlight -------------------------------------------------------------------------------


def test_overlapping_layers_nest_and_keep_every_class() -> None:
    text = "Alpha beta gamma delta"
    marks = [Mark(0, 10, "seg", 1), Mark(6, 16, "cite-target", 0, anchor="c-x-6-16"), Mark(6, 10, "ent", 4)]
    lit = highlight(text, marks)
    page = Page(str(lit.html))
    assert page.errors == [] and page.ids() == ["c-x-6-16"]
    assert re.sub(r"<[^>]+>", "", str(lit.html)) == text
    assert lit.split_anchors == [] or lit.split_anchors == ["c-x-6-16"]


spans = st.tuples(st.integers(-2, 42), st.integers(-2, 42))


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="ab<>&\"' \n", min_size=0, max_size=40), raw=st.lists(spans, max_size=12))
def test_highlight_is_well_formed_for_any_spans(text: str, raw: list[tuple[int, int]]) -> None:
    marks = [Mark(s, e, f"m{i % 3}", i % 4, anchor=f"c-a-{s}-{e}-{i}") for i, (s, e) in enumerate(raw)]
    lit = highlight(text, marks)
    page = Page(str(lit.html))
    assert page.errors == []
    assert TextOfAll(str(lit.html)).text == text
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    assert sorted(page.ids()) == sorted(m.anchor for m in valid)


class TextOfAll(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.feed(html)
        self.close()

    def handle_data(self, data: str) -> None:
        self.text += data


# -- Markdown --------------------------------------------------------------------------------


def test_markdown_carries_the_report_with_quoted_cites(dossier: Dossier) -> None:
    report = render_markdown(dossier)
    assert report.startswith("# News dossier\n")
    assert "## 1. Ferry Aurora Kestrel catches fire off Vellmar; crossing to Tosk suspended" in report
    assert "| C2 | The fire started in the engine room. | **contested** |" in report
    assert "| passenger |" in report and "**conflict**" in report
    assert "**Ilse Brandt**" in report and "Ilse Brand, Brandt" in report
    assert "- **2024-05-14** — The Aurora Kestrel catches fire off Vellmar.[^s1-" in report
    assert "### Coverage" in report and "| \\[4\\] Tosk Courier | · | · | ✓ | C3 | C1 |" in report
    assert "corpus/broken.zip — corrupt zip archive" in report
    # Every footnote reference has exactly one definition that quotes the cited characters.
    refs = set(re.findall(r"\[\^(s\d+-\d+)\](?!:)", report))
    defs = re.findall(r"^\[\^(s\d+-\d+)\]: ", report, flags=re.MULTILINE)
    assert refs == set(defs) and len(defs) == len(set(defs))
    assert (
        "characters 0–95: “The ferry Aurora Kestrel caught fire on Tuesday off the coast of Vellmar" in report
    )
    # Article texts are not dumped: uncited passages stay out.
    assert "Subscribe to our newsletter" not in report and "SeaDog77" not in report


def test_markdown_escapes_article_strings() -> None:
    report = render_markdown(make_hostile_dossier())
    assert "<script" not in report and "<img" not in report and "<a href" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "](javascript:" not in report.replace("\\](javascript:", "")
    assert md("*bold* _em_ `code` | [x](y) # h") == "\\*bold\\* \\_em\\_ \\`code\\` \\| \\[x\\](y) \\# h"
    assert md("1. not a list") == "1\\. not a list" and md("- nor this") == "\\- nor this"
    assert md("line one\nline two") == "line one line two"


def _md_reference(text: str) -> str:
    """md() spelled out step by step: HTML made literal, then each Markdown character escaped."""
    flat = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = re.sub(r"([\\`*_\[\]|~#])", r"\\\1", flat)
    return re.sub(r"^(\d+)([.)])|^([-+=>])", lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1)
                  else f"\\{m.group(3)}", flat)


@given(st.text(alphabet="ab 12.)-+=>&<;\\`*_[]|~#\n\té“", max_size=20))
def test_markdown_escaping_matches_the_step_by_step_reference(text: str) -> None:
    assert md(text) == _md_reference(text)


def test_statements_of_one_speaker_stand_under_one_name(dossier: Dossier) -> None:
    from newsdossier.model import Statement
    from newsdossier.render.story_view import statements_by_speaker

    story = dossier.stories[0]
    first = story.statements[0]
    other = Statement("Ola Nordby", None, first.variants[:1])
    again = Statement(first.speaker, first.entity_id, first.variants[1:2])
    spelled = Statement("ola  NORDBY", None, first.variants[2:3])
    groups = statements_by_speaker([first, other, again, spelled])
    assert groups == [[first, again], [other, spelled]]
    two = replace(dossier, stories=(replace(story, statements=(first, other, again)), *dossier.stories[1:]))
    page = render_story(two, two.stories[0])
    assert page.count(f"<h3>{first.speaker}") == 1 and page.count("<h3>Ola Nordby") == 1
    report = render_markdown(two)
    assert report.count(f"**{first.speaker}**") == 1 and "- Statement 2:" in report


def test_dossier_json_has_one_article_or_story_per_line(tmp_path: Path, dossier: Dossier) -> None:
    (path,) = write_outputs(dossier, tmp_path, ["json"])
    lines = path.read_text(encoding="utf-8").splitlines()
    doc = json.loads("\n".join(lines))
    for key in ("articles", "stories"):
        at = lines.index(f'  "{key}": [')
        items = lines[at + 1 : at + 1 + len(doc[key])]
        assert [json.loads(x.strip().removesuffix(",")) for x in items] == doc[key]


def test_dossier_json_is_written_item_by_item_as_dumps_makes_it(tmp_path: Path, dossier: Dossier) -> None:
    from newsdossier.render.json_writer import dumps

    (path,) = write_outputs(dossier, tmp_path, ["json"])
    assert path.read_text(encoding="utf-8") == dumps(dossier) + "\n"
    empty = replace(dossier, articles=(), stories=(), rejected=())
    (path,) = write_outputs(empty, tmp_path / "empty", ["json"])
    assert path.read_text(encoding="utf-8") == dumps(empty) + "\n"


@pytest.mark.parametrize("what", ["article", "story", "top"])
def test_an_invalid_item_leaves_the_earlier_dossier_json_as_it_was(tmp_path: Path, dossier: Dossier,
                                                                   what: str) -> None:
    (path,) = write_outputs(dossier, tmp_path, ["json"])
    before = path.read_bytes()
    if what == "article":  # the last article: the items before it are already written when it fails
        last = dossier.articles[-1]
        bad = replace(dossier, articles=(*dossier.articles[:-1], replace(last, opinion_share=2.0)))
    elif what == "story":
        bad = replace(dossier, stories=(*dossier.stories[:-1], replace(dossier.stories[-1], sources=-1)))
    else:
        bad = replace(dossier, generated_at="yesterday")
    with pytest.raises(jsonschema.ValidationError) as err:
        write_outputs(bad, tmp_path, ["json"])
    assert err.value.message != "dossier.json: an item is not newsdossier/1"  # the full check's own error
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["dossier.json"]
