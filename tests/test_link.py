"""Link stage: duplicates, reuse, event clustering, stable ids, related stories. Fictional fixtures only."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from newsdossier.link import link_articles
from newsdossier.link.reuse import mark_reproduced
from newsdossier.model import Article, Published, Segment, TimeMention, article_id

# -- fixture builder: fictional events of a few kinds, reported in varied words -----------------------
KINDS = {
    "strike": [
        "Dock workers at the port of {place} walked out on {day}, halting the container terminal, union leader {person} said.",
        "The strike at {place} left {n} ships waiting offshore, according to harbour officials.",
        "{person}, who leads the dockers' union, told reporters the walkout would last until wages rose.",
        "Port operator {org} said it regretted the stoppage and urged workers back to talks.",
        "Shipping lines warned that cargo bound for {place} would be diverted if the dispute dragged on.",
        "About {n} workers joined the picket lines outside the terminal gates in {place}.",
    ],
    "flood": [
        "Heavy rain flooded the river town of {place} on {day}, forcing {n} residents from their homes, mayor {person} said.",
        "Rescue crews from {org} used boats to reach families stranded on rooftops in {place}.",
        "{person} declared a state of emergency as the river rose above its banks in {place}.",
        "The floodwater cut the main road into {place} and knocked out power to {n} homes.",
        "Forecasters expect more rain over {place} before the water recedes, {org} said.",
        "Residents of {place} piled sandbags along the embankment through the night.",
    ],
    "election": [
        "{person} won the mayoral election in {place} on {day} with {n} votes, the electoral board said.",
        "Turnout in {place} was higher than at the last vote, officials from {org} reported.",
        "{person} thanked supporters at a rally in the centre of {place} and promised new bus lines.",
        "The defeated candidate conceded on {day} evening and congratulated {person}.",
        "{org} observers said the count in {place} had been orderly.",
        "The new mayor of {place} takes office next month after {n} ballots were counted.",
    ],
}
EVENT_DETAILS = [
    dict(place="Vellmar", person="Mara Lind", org="Vellmar Port Authority", n="40"),
    dict(place="Ostheim", person="Jonas Brekke", org="Ostheim Harbour Company", n="1200"),
    dict(place="Kirrin Bay", person="Ilse Vanterpool", org="Kirrin Civil Defence", n="350"),
    dict(place="Durnhall", person="Tomas Okafor", org="Durnhall Rescue Service", n="75"),
    dict(place="Sallow Creek", person="Petra Quill", org="Sallow Electoral Watch", n="9100"),
    dict(place="Branvik", person="Odile Marchetti", org="Branvik Citizens League", n="5300"),
]


def make_event(kind: str, details: dict, day: str, count: int, seed: int, weekday: str = "Monday") -> list[Article]:
    """``count`` articles on one event: each a different selection and order of the kind's sentences."""
    rng = random.Random(seed)
    out = []
    for k in range(count):
        sents = rng.sample(KINDS[kind], 4)
        text = " ".join(s.format(day=weekday, **details) for s in sents) + f"\n\nReport {seed}-{k}."
        out.append(Article(id=article_id(text), input=f"fixture-{seed}-{k}", text=text,
                           source=f"Outlet {seed % 7}-{k}", published=Published(day, "metadata")))
    return out


def by_story(arts: list[Article]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a in arts:
        groups.setdefault(a.story_id, set()).add(a.id)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def stream() -> tuple[list[Article], list[list[Article]]]:
    """Six events: two strikes and two floods a year apart (look-alikes), an election, a lone flood."""
    events = [
        make_event("strike", EVENT_DETAILS[0], "2019-03-04", 3, 1),
        make_event("strike", EVENT_DETAILS[1], "2020-05-11", 3, 2),
        make_event("flood", EVENT_DETAILS[2], "2018-10-01", 3, 3),
        make_event("flood", EVENT_DETAILS[3], "2021-02-15", 3, 4),
        make_event("election", EVENT_DETAILS[4], "2020-05-11", 4, 5),
        make_event("flood", EVENT_DETAILS[5], "2022-07-07", 1, 6),
    ]
    return [a for e in events for a in e], events


def test_events_spread_over_years_come_out_as_separate_stories(stream):
    arts, events = stream
    linked, stories = link_articles(arts)
    assert by_story(linked) == {frozenset(a.id for a in e) for e in events}
    assert len(stories) == 6
    assert all(a.story_id for a in linked)


def test_single_article_event_stays_alone(stream):
    arts, events = stream
    linked, stories = link_articles(arts)
    lone = events[-1][0].id
    story = next(s for s in stories if lone in s.article_ids)
    assert story.article_ids == (lone,)
    # one article shares nothing: its names are listed as its entities, most mentioned first
    assert not any(w.startswith("shared") for w in story.why)
    assert any(w.startswith("entities: ") for w in story.why)


def test_burst_of_twenty_articles_in_a_day_is_one_story():
    burst = make_event("strike", EVENT_DETAILS[0], "2019-03-04", 20, 11)
    other = make_event("election", EVENT_DETAILS[4], "2019-03-04", 3, 12)
    linked, stories = link_articles(burst + other)
    assert by_story(linked) == {frozenset(a.id for a in burst), frozenset(a.id for a in other)}


def test_look_alike_events_are_related_as_recurrence(stream):
    arts, events = stream
    _, stories = link_articles(arts)
    strike_2019 = next(s for s in stories if events[0][0].id in s.article_ids)
    strike_2020 = next(s for s in stories if events[1][0].id in s.article_ids)
    relations = {r.story_id: r.relation for r in strike_2019.related}
    assert relations.get(strike_2020.id) == "recurrence"
    assert any(w.startswith("recurrence of " + strike_2020.id) for w in strike_2019.why)


def test_same_stories_in_any_order(stream):
    arts, _ = stream
    a1, s1 = link_articles(arts)
    shuffled = arts[:]
    random.Random(3).shuffle(shuffled)
    a2, s2 = link_articles(shuffled)
    assert s1 == s2
    assert [a.id for a in a2] == [a.id for a in shuffled]  # input order kept
    assert {a.id: a.story_id for a in a1} == {a.id: a.story_id for a in a2}


def test_running_twice_gives_the_same_result(stream):
    arts, _ = stream
    linked, stories = link_articles(arts)
    again, stories2 = link_articles(linked, stories)
    assert stories2 == stories
    assert again == linked


def test_incremental_add_keeps_existing_ids(stream):
    arts, events = stream
    first = [a for e in events for a in e[:2]]
    _, old = link_articles(first)
    later = [a for e in events for a in e[2:]]
    linked, new = link_articles(first + later, old)
    new_by_id = {s.id: s for s in new}
    for s in old:
        assert s.id in new_by_id, "an existing story lost its id"
        assert set(s.article_ids) <= set(new_by_id[s.id].article_ids)
    assert by_story(linked) == {frozenset(a.id for a in e) for e in events}


def test_story_fields(stream):
    arts, events = stream
    _, stories = link_articles(arts)
    election = next(s for s in stories if events[4][0].id in s.article_ids)
    assert election.event_date == "2020-05-11"
    assert election.sources == 4 and election.independent_sources == 4
    assert "Sallow Creek" in election.headline or "Petra Quill" in election.headline
    assert any(w.startswith("shared entities:") and "Quill" in w for w in election.why)  # as the articles spell it


# -- syndication, duplicates and reuse ---------------------------------------------------------------
WIRE = (
    "The council of Marrowfield voted on Tuesday to close the old coal plant on the river by the end of "
    "next year, ending more than a century of mining in the valley. Council leader Anouk Tervoort said the "
    "decision had been difficult but that the plant's owners had failed to meet pollution limits for three "
    "years running. About 260 workers will be offered places at the new battery factory being built at "
    "the edge of town, according to the regional development agency. Union representatives said they "
    "would seek guarantees in writing before the plant's gates close."
)
OWN = (
    "Marrowfield's coal plant will shut next year after a council vote on Tuesday. Anouk Tervoort, who leads "
    "the council, told our reporter the owners had ignored pollution rules again and again. Workers at the "
    "plant, about 260 of them, are promised jobs at the battery factory, but many doubt the pay will match."
)


def _art(text: str, source: str, date: str = "2023-04-12") -> Article:
    return Article(id=article_id(text), input=source, text=text, source=source,
                   published=Published(date, "metadata"))


def test_syndicated_wire_copy_counts_once():
    copies = [_art(WIRE + f"\n\nDistributed by the Wire Agency. © {o}", o) for o in ("Daily Ledger", "Valley Post", "Northern Echo")]
    own = _art(OWN, "Marrowfield Courier")
    linked, stories = link_articles(copies + [own])
    assert len(stories) == 1
    story = stories[0]
    assert story.sources == 4
    assert story.independent_sources == 2
    dups = [a for a in linked if a.duplicate_of]
    assert len(dups) == 2 and {a.duplicate_of for a in dups} == {min(copies, key=lambda a: a.id).id}
    assert all(a.reuse for a in dups)
    own_linked = next(a for a in linked if a.id == own.id)
    assert own_linked.reuse == () and own_linked.duplicate_of is None


def test_reposted_report_inside_a_blog_post_is_marked_reproduced():
    report = _art(WIRE, "Wire Agency", "2023-04-11")
    intro = "This is a scandal, and I have said so for years. Here is what the agency reports:\n\n"
    outro = "\n\nFrankly the council should have acted a decade ago."
    post_text = intro + WIRE + outro
    post = replace(_art(post_text, "Some Blog", "2023-04-12"),
                   segments=(Segment("opinion", 0, len(intro)), Segment("reporting", len(intro), len(intro) + len(WIRE)),
                             Segment("opinion", len(intro) + len(WIRE), len(post_text))))
    linked, stories = link_articles([post, report])
    blog = linked[0]
    assert [r.article_id for r in blog.reuse] == [report.id]
    assert blog.reuse[0].chars >= len(WIRE) - 5
    assert linked[1].reuse == ()
    reproduced = [s for s in blog.segments if s.kind == "reproduced"]
    assert reproduced and reproduced[0].start <= len(intro) + 5
    assert blog.segments[0].kind == "opinion" and blog.segments[-1].kind == "opinion"
    _assert_partition(blog)
    assert "scandal" not in stories[0].headline and "Frankly" not in stories[0].headline


def _assert_partition(a: Article) -> None:
    pos = 0
    for s in a.segments:
        assert s.start == pos and s.end > s.start
        pos = s.end
    assert pos == len(a.text)


def test_mark_reproduced_keeps_a_partition():
    text = "x" * 100
    a = Article(id="a", input="-", text=text,
                segments=(Segment("reporting", 0, 40), Segment("boilerplate", 40, 50), Segment("opinion", 50, 100)))
    segs = mark_reproduced(a, [(30, 70), (90, 95)])
    b = replace(a, segments=segs)
    _assert_partition(b)
    assert [(s.kind, s.start, s.end) for s in segs] == [
        ("reporting", 0, 30), ("reproduced", 30, 40), ("boilerplate", 40, 50), ("reproduced", 50, 70),
        ("opinion", 70, 90), ("reproduced", 90, 95), ("opinion", 95, 100)]


# -- dates and headlines from annotations ---------------------------------------------------------------
def test_event_date_comes_from_the_text_not_the_publication_date():
    arts = []
    for k, (pub, lag) in enumerate([("2019-03-05", 1), ("2019-03-06", 2), ("2019-03-09", 5)]):
        base = make_event("strike", EVENT_DETAILS[0], pub, 1, 40 + k)[0]
        i = base.text.index("Dock workers") if "Dock workers" in base.text else 0
        arts.append(replace(base, times=(TimeMention(i, i + 5, "2019-03-04"),)))
    _, stories = link_articles(arts)
    assert len(stories) == 1
    assert stories[0].event_date == "2019-03-04"


def test_headline_is_never_an_opinion_line():
    opinion = "What a disgrace this whole affair is, and everyone in town knows who is to blame for it."
    text = opinion + "\n\n" + WIRE
    a = replace(_art(text, "Opinionated Times"), title=opinion,
                segments=(Segment("opinion", 0, len(opinion) + 2), Segment("reporting", len(opinion) + 2, len(text))))
    _, stories = link_articles([a])
    assert stories[0].headline != opinion
    assert stories[0].headline in WIRE


def test_empty_input():
    assert link_articles([]) == ([], [])
