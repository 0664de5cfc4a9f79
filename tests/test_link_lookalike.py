"""Look-alike events a year apart, reported mostly without dates (fictional fixture), and the seeds.

Two strikes at one fictional port, the same union leader and the same action, a year apart. Only one
article carries a publication date; one later article refers back ("a similar walkout in 2019"). The
stories must come out as the two events, linked as a recurrence.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsdossier.link import link_articles
from newsdossier.model import Article, Published, TimeMention, article_id

WAGES_2019 = [
    "Dock workers at the port of Vellmar walked out over wages, halting the container terminal, union leader Mara Lind said.",
    "The wage strike left 40 container ships waiting offshore, harbour master Henrik Sol said.",
    "Mara Lind said the dockers would not return until the port raised hourly pay by eight percent.",
    "Mediator Clara Voss met both sides at the Vellmar town hall, but the pay talks broke up without a deal.",
    "Exporters of timber and paper warned that the container backlog at Vellmar was costing them orders.",
    "The Vellmar Port Authority called the pay demand unaffordable and offered three percent.",
]
SAFETY_2020 = [
    "Dock workers at the port of Vellmar walked out after a crane collapsed at the grain terminal, union leader Mara Lind said.",
    "The safety strike stranded 12 grain carriers at anchor, according to inspector Tomas Okafor.",
    "Mara Lind said no one would return to the quays until every crane had been inspected.",
    "Okafor's inspectors found corroded bolts on two more cranes at the grain terminal.",
    "The farmers' cooperative Agrivel said wheat exports through Vellmar had stopped because of the walkout.",
    "The Vellmar Port Authority promised new cranes and an independent safety audit.",
]
BACK_REFERENCE = "Dock workers at Vellmar staged a similar walkout in 2019."


def _articles(pool: list[str], count: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for k in range(count):
        text = " ".join(rng.sample(pool, 4)) + f"\n\nDesk report {seed}-{k}."
        out.append(Article(id=article_id(text), input=f"lookalike-{seed}-{k}", text=text, source=f"Outlet {seed}-{k}"))
    return out


@pytest.fixture(scope="module")
def events() -> tuple[list[Article], list[Article]]:
    first = _articles(WAGES_2019, 4, 1)
    first[0] = Article(id=first[0].id, input=first[0].input, text=first[0].text, source=first[0].source,
                       published=Published("2019-03-04", "metadata"))  # the one dated article
    later = _articles(SAFETY_2020, 3, 2)
    text = later[0].text.replace("\n\nDesk", " " + BACK_REFERENCE + "\n\nDesk")
    year = text.index("2019")
    later[0] = Article(id=article_id(text), input=later[0].input, text=text, source=later[0].source,
                       times=(TimeMention(year, year + 4, "2019"),))
    return first, later


def test_look_alike_events_without_dates_stay_apart(events):
    first, later = events
    linked, stories = link_articles(first + later)
    groups = {frozenset(s.article_ids) for s in stories}
    assert groups == {frozenset(a.id for a in first), frozenset(a.id for a in later)}
    one = next(s for s in stories if first[0].id in s.article_ids)
    two = next(s for s in stories if later[0].id in s.article_ids)
    assert {r.story_id: r.relation for r in one.related}.get(two.id) == "recurrence"
    assert one.event_date == "2019-03-04" and two.event_date is None


def test_look_alike_split_does_not_depend_on_order(events):
    first, later = events
    arts = first + later
    _, s1 = link_articles(arts)
    shuffled = arts[:]
    random.Random(5).shuffle(shuffled)
    _, s2 = link_articles(shuffled)
    assert s1 == s2


def test_without_time_evidence_the_content_alone_joins_them(events):
    """The fixture is hard: with the date and the back-reference removed, the two events merge."""
    first, later = events
    plain = [Article(id=a.id, input=a.input, text=a.text, source=a.source) for a in first + later]
    _, stories = link_articles(plain)
    assert len(stories) == 1


# -- the seeds (../shared/seeds; skipped when absent) -----------------------------------------------------
@pytest.fixture(scope="module")
def seed_stories(seed_articles):
    from newsdossier.annotate import annotate_articles
    from newsdossier.clean import clean_articles

    linked, stories = link_articles(annotate_articles(clean_articles(seed_articles)))
    name = {a.id: Path(a.input).name[:3] for a in linked}
    return {frozenset(name[i] for i in s.article_ids): s for s in stories}


@pytest.mark.shared
def test_seeds_are_two_stories_linked_as_recurrence(seed_stories):
    assert set(seed_stories) == {frozenset({"000", "001", "002", "003"}), frozenset({"004"})}
    e1 = seed_stories[frozenset({"000", "001", "002", "003"})]
    e2 = seed_stories[frozenset({"004"})]
    assert {r.story_id: r.relation for r in e1.related}.get(e2.id) == "recurrence"
    assert e1.event_date in ("2016-03-14", "2016-03-15")


@pytest.mark.shared
@pytest.mark.xfail(reason="004 carries no publication date (no metadata, byline or dateline), so its 'Monday' "
                          "cannot be resolved; with one, the day comes out (see test_link_incremental's "
                          "relative-day test)", strict=False)
def test_seed_recurrence_has_its_own_event_date(seed_stories):
    assert seed_stories[frozenset({"004"})].event_date in ("2017-12-11", "2017-12-12")


def test_rivals_are_re_dealt_against_cores_that_grow_clearest_first():
    """A free article that shares one detail with the other event's dated core but more with the free
    articles of its own event ends on its own side: the cores grow as articles are dealt, clearest first."""
    import numpy as np

    from newsdossier.link.events import separate_rivals

    terms = [{"a"}, {"a", "q", "r"}, {"q", "r", "p"}, {"b", "p"}]  # 0 and 3: the dated cores

    def contrast(x, core_a, core_b):
        ta = set().union(*(terms[i] for i in core_a))
        tb = set().union(*(terms[i] for i in core_b))
        return len(terms[x] & (ta - tb)) - len(terms[x] & (tb - ta))

    conflict = np.zeros((4, 4), dtype=bool)
    conflict[0, 3] = conflict[3, 0] = True
    content = np.full((4, 4), 0.9)
    assert separate_rivals([[0, 1, 2], [3]], conflict, content, contrast, 0.5) == [[0, 1, 2], [3]]
    assert separate_rivals([[0, 1], [2, 3]], conflict, content, contrast, 0.5) == [[0, 1, 2], [3]]
