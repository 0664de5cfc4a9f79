"""The issue's seed targets, checked loosely on ../shared/seeds (skipped when absent).

No seed text is written here: lines are located by position and shape only. Targets the current
classifier does not reach are marked xfail (non-strict), so they stay visible and flip to XPASS when
the model improves: the opinion bullets of 001.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdossier.clean import clean_articles
from newsdossier.model import Article

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def cleaned(seed_articles: list[Article]) -> dict[str, Article]:
    return {Path(a.input).name[:3]: a for a in clean_articles(seed_articles)}


def line_kinds(a: Article) -> list[tuple[str, str]]:
    """(kind, stripped line) for each non-blank line, by the kind at the line's first character."""
    out, pos = [], 0
    for raw in a.text.splitlines(keepends=True):
        s = raw.strip()
        if s:
            i = pos + raw.index(s[0])
            out.append((next(g.kind for g in a.segments if g.start <= i < g.end), s))
        pos += len(raw)
    return out


def share(a: Article, kind: str, lines: list[tuple[str, str]]) -> float:
    total = sum(len(s) for _, s in lines)
    return sum(len(s) for k, s in lines if k == kind) / max(total, 1)


@pytest.mark.parametrize("name, footer_lines", [("000", 2), ("002", 12), ("003", 6)])
def test_footers_and_comment_forms_are_boilerplate(cleaned, name, footer_lines):
    kinds = line_kinds(cleaned[name])
    assert [k for k, _ in kinds[-footer_lines:]] == ["boilerplate"] * footer_lines
    assert kinds[-footer_lines - 1][0] != "boilerplate"  # and not more than the footer


def test_responses_of_002_are_reader_comments(cleaned):
    kinds = line_kinds(cleaned["002"])
    comment = [i for i, (k, _) in enumerate(kinds) if k == "reader_comment"]
    assert comment and comment == list(range(comment[0], comment[-1] + 1))
    assert kinds[comment[0]][1][0].isdigit()  # the "N Responses to ..." header opens the section
    assert kinds[comment[0] - 1][0] == "boilerplate"  # the post's byline closes the post


@pytest.mark.parametrize("name", ["003", "004"])
def test_attributed_reports_are_reporting(cleaned, name):
    kinds = [x for x in line_kinds(cleaned[name]) if x[0] != "boilerplate"]
    assert share(cleaned[name], "reporting", kinds) >= 0.9


def test_ministry_figures_of_001_are_reporting(cleaned):
    bullets = [x for x in line_kinds(cleaned["001"]) if x[1].startswith("•")]
    assert [k for k, _ in bullets[:4]] == ["reporting"] * 4


def test_report_half_of_002_is_mostly_reporting(cleaned):
    body = [x for x in line_kinds(cleaned["002"]) if x[0] not in ("boilerplate", "reader_comment")]
    assert share(cleaned["002"], "reporting", body[: len(body) // 3]) >= 0.6


def test_op_ed_half_of_002_is_opinion(cleaned):
    body = [x for x in line_kinds(cleaned["002"]) if x[0] not in ("boilerplate", "reader_comment")]
    assert share(cleaned["002"], "opinion", body[len(body) // 2 :]) >= 0.8


@pytest.mark.xfail(
    reason="classifier too weak: most opinion bullets of 001 score below neutral (a fine-tuned "
    "MiniLM teacher separates them better but cannot ship; distilling it did not help)",
    strict=False,
)
def test_opinion_bullets_of_001(cleaned):
    bullets = [x for x in line_kinds(cleaned["001"]) if x[1].startswith("•")]
    assert [k for k, _ in bullets[4:]] == ["opinion"] * (len(bullets) - 4)


def test_commentary_of_000_is_opinion(cleaned):
    kinds = [x for x in line_kinds(cleaned["000"]) if x[0] != "boilerplate"]
    assert kinds[0][0] == "opinion" and kinds[-1][0] == "opinion"


def test_op_ed_of_002_starts_at_its_section_break(cleaned):
    # the report and the op-ed are stacked on one page, set apart by a wider gap than the paragraphs'
    a = cleaned["002"]
    body = [x for x in line_kinds(a) if x[0] not in ("boilerplate", "reader_comment")]
    first = next(k for k, (kind, _) in enumerate(body) if kind == "opinion")
    assert a.text[: a.text.index(body[first][1])].endswith("\n\n\n")
    assert [k for k, _ in body[:first]] == ["reporting"] * first
    assert [k for k, _ in body[first:]] == ["opinion"] * (len(body) - first)


def test_reposted_blocks_of_000_stay_reproduced(cleaned):
    # each block opened by an introducing line ("...:") starts reproduced; the author's text is not
    kinds = [x for x in line_kinds(cleaned["000"]) if x[0] != "boilerplate"]
    intros = [k for k, (_, s) in enumerate(kinds) if s.endswith(":")]
    assert len(intros) == 2
    assert all(kinds[k + 1][0] == "reproduced" for k in intros)
    assert all(kind != "reproduced" for kind, _ in kinds[: intros[0]])
