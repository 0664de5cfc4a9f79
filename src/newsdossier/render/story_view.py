"""What a story page shows, computed once for the HTML and the Markdown report.

Pure functions over the Dossier: which articles a page lists and how they are numbered, what each
cite points at, the coverage matrix derived from the claims' evidence, safe file names and URLs.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Article, Claim, Dossier, Statement, Story
from .highlight import cite_anchor

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")


def story_filename(story_id: str) -> str:
    """``<story_id>.html`` when the id is a plain name, else a hash of it: a story id can never
    point a file (or a link) outside the ``stories/`` folder."""
    if _SAFE_NAME.match(story_id) and ".." not in story_id:
        return f"{story_id}.html"
    return f"story-{hashlib.sha256(story_id.encode('utf-8')).hexdigest()[:16]}.html"


def statements_by_speaker(statements: tuple[Statement, ...] | list[Statement]) -> list[list[Statement]]:
    """The statements grouped by speaker (one entity, else one spelling), in order of first appearance:
    a page names each speaker once, with all that speaker's statements under the name."""
    groups: dict[str, list[Statement]] = {}
    for st in statements:
        key = st.entity_id or "name:" + " ".join(st.speaker.lower().split())
        groups.setdefault(key, []).append(st)
    return list(groups.values())


def safe_url(url: str | None) -> str | None:
    """The url if it is an http(s) link, else None (``javascript:`` and friends are never linked)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def format_value(value: float | tuple[float, float]) -> str:
    """A normalised value for people: "3,000–6,000", "9,000 or more" (an open range), "up to 40"."""
    def one(x: float) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:,.6g}"

    if isinstance(value, (tuple, list)):
        lo, hi = float(value[0]), float(value[1])
        if math.isinf(hi) or math.isnan(hi):
            return f"{one(lo)} or more"
        if lo == 0 and hi > 0:
            return f"up to {one(hi)}"
        return f"{one(lo)}–{one(hi)}"
    return one(value)


def format_quantity(value: float | tuple[float, float], wording: str, unit: str | None = None) -> str:
    """The article's own wording of a number ("more than 9,000"), with the normalised value after it
    when the wording does not already show it ("around 800 (720–880)", "two (2)"), and the unit when
    the wording lacks it."""
    wording = " ".join(wording.split())
    norm = format_value(value)
    if not wording:
        out = norm
    elif _numbers_in(norm) <= _numbers_in(wording):
        out = wording
    else:
        out = f"{wording} ({norm})"
    if unit and unit.lower() not in wording.lower():
        out += f" {unit}"
    return out


def _numbers_in(text: str) -> set[str]:
    return {d.replace(",", "") for d in re.findall(r"\d[\d,.]*\d|\d", text)}


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


def shorten(text: str, limit: int = 280) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class CiteRef:
    """A cite resolved against the page: ``anchor`` is None when its target cannot exist there."""

    article_id: str
    start: int
    end: int
    number: int | None  # the article's number on the page, 1-based
    source: str
    text: str
    anchor: str | None

    @property
    def label(self) -> str:
        return f"[{self.number}]" if self.number is not None else "[?]"

    @property
    def hover(self) -> str:
        if self.anchor is None:
            return f"citation target unavailable ({self.article_id} {self.start}–{self.end})"
        return f"{self.source}: “{shorten(self.text)}”"


@dataclass(frozen=True, slots=True)
class CoverageCell:
    state: str  # supports | contradicts | both | omits
    cite: CiteRef | None  # the article's first evidence for the claim
    omits_corroborated: bool


@dataclass(frozen=True, slots=True)
class CoverageRow:
    article: Article
    number: int
    cells: tuple[CoverageCell, ...]
    only_here: tuple[int, ...]  # 1-based claim numbers only this article supports
    omitted_corroborated: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RelatedLink:
    story_id: str
    relation: str
    headline: str | None
    filename: str | None  # None when the related story is not in this dossier


def article_label(a: Article) -> str:
    return a.source or a.title or a.input


@dataclass(frozen=True, slots=True)
class DossierIndex:
    """A dossier's articles and story headlines by id. A report builds it once for all its story views:
    built per view, it made rendering quadratic (10k articles, 1.7k stories: 13 of 34 s)."""

    articles: Mapping[str, Article]
    headlines: Mapping[str, str | None]

    @classmethod
    def of(cls, dossier: Dossier) -> DossierIndex:
        return cls({a.id: a for a in dossier.articles}, {s.id: s.headline for s in dossier.stories})


class StoryView:
    def __init__(self, dossier: Dossier, story: Story, index: DossierIndex | None = None) -> None:
        self.story = story
        index = index or DossierIndex.of(dossier)
        self._all = index.articles
        self._targets: dict[str, dict[str, tuple[int, int, list[str]]]] | None = None
        self.articles = self._page_articles()
        self.numbers = {a.id: i for i, a in enumerate(self.articles, start=1)}
        headlines = index.headlines
        self.related = tuple(
            RelatedLink(
                r.story_id,
                r.relation,
                headlines.get(r.story_id),
                story_filename(r.story_id) if r.story_id in headlines else None,
            )
            for r in story.related
        )

    def _page_articles(self) -> list[Article]:
        """The story's members, then any article its cites point at from outside the story, so
        every cite has its target on the page."""
        ids = [i for i in dict.fromkeys(self.story.article_ids) if i in self._all]
        for c in self.all_cites():
            if c[0] in self._all and c[0] not in ids:
                ids.append(c[0])
        return [self._all[i] for i in ids]

    def all_cites(self) -> list[tuple[str, int, int, str]]:
        """(article_id, start, end, where) for every cite the story makes, in page order."""
        s = self.story
        out = [(c.article_id, c.start, c.end, "summary") for item in s.summary for c in item.cites]
        out += [(e.article_id, e.start, e.end, "claim") for c in s.claims for e in c.evidence]
        out += [(v.article_id, v.start, v.end, "number") for g in s.quantities for v in g.values]
        out += [(v.article_id, v.start, v.end, "statement") for st in s.statements for v in st.variants]
        out += [(c.article_id, c.start, c.end, "timeline") for t in s.timeline for c in t.cites]
        return out

    def cite(self, article_id: str, start: int, end: int) -> CiteRef:
        a = self._all.get(article_id)
        number = self.numbers.get(article_id)
        if a is None or number is None or not 0 <= start < end <= len(a.text):
            return CiteRef(article_id, start, end, number, a and article_label(a) or article_id, "", None)
        return CiteRef(
            article_id,
            start,
            end,
            number,
            article_label(a),
            a.text[start:end],
            cite_anchor(article_id, start, end),
        )

    def targets(self, article_id: str) -> dict[str, tuple[int, int, list[str]]]:
        """anchor -> (start, end, what cites it) for the valid cites into one article."""
        if self._targets is None:  # all articles' at once: one pass over the story's cites
            self._targets = {}
            for aid, start, end, where in self.all_cites():
                ref = self.cite(aid, start, end)
                if ref.anchor is None:
                    continue
                entry = self._targets.setdefault(aid, {}).setdefault(ref.anchor, (start, end, []))
                if where not in entry[2]:
                    entry[2].append(where)
        return self._targets.get(article_id, {})

    def entity_names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.story.entities}

    def coverage(self) -> list[CoverageRow]:
        """Articles x claims: who supports, contradicts or omits each claim, from the evidence."""
        claims = self.story.claims
        member_ids = set(self.story.article_ids)
        members = [a for a in self.articles if a.id in member_ids]
        evidence_of = []  # per claim: article id -> its evidence, in the claim's order
        for claim in claims:
            by_article: dict[str, list] = {}
            for e in claim.evidence:
                by_article.setdefault(e.article_id, []).append(e)
            evidence_of.append(by_article)
        # most cells are an omission: one shared cell per kind (corroborated claim or not)
        omits = {flag: CoverageCell("omits", None, flag) for flag in (False, True)}
        corroborated = [c.status == "corroborated" for c in claims]
        only_supporter: dict[str, list[int]] = {}  # article id -> claims it alone supports (1-based)
        for number, claim in enumerate(claims, 1):
            sup = _supporters(claim)
            if len(sup) == 1:
                only_supporter.setdefault(next(iter(sup)), []).append(number)
        rows = []
        for a in members:
            cells = []
            for by_article, corr in zip(evidence_of, corroborated):
                ev = by_article.get(a.id)
                if not ev:
                    cells.append(omits[corr])
                    continue
                agrees = {e.agrees for e in ev}
                state = "both" if len(agrees) == 2 else "supports" if True in agrees else "contradicts"
                cells.append(CoverageCell(state, self.cite(ev[0].article_id, ev[0].start, ev[0].end), False))
            only = tuple(only_supporter.get(a.id, ()))
            omitted = tuple(i for i, c in enumerate(cells, 1) if c.omits_corroborated)
            rows.append(CoverageRow(a, self.numbers[a.id], tuple(cells), only, omitted))
        return rows


def _supporters(claim: Claim) -> set[str]:
    return {e.article_id for e in claim.evidence if e.agrees}
