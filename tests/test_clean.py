"""The CLEAN stage: every segment kind on fictional articles, edge cases, and the partition invariant."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdossier.clean import clean_articles
from newsdossier.model import SEGMENT_KINDS, Article, Segment, article_id

REPORT = (
    "Ferry service to Lundholm resumes after storm\n\n"
    "The regional transport office said on Tuesday that ferries to Lundholm would resume on Thursday "
    "after a three-day suspension.\n"
    "About 1,200 passengers were stranded on the mainland, according to the harbour master.\n\n"
)
REPOST = (
    "The Coastal Courier reports:\n\n"
    "Engineers inspected the pier at Lundholm on Monday and found minor damage to two mooring posts.\n"
    "Repairs are scheduled to finish by Wednesday evening, the operator said.\n\n"
)
OPINION = (
    "Frankly, I think this whole saga is an absolute disgrace. We should be ashamed that our island is still "
    "served by such pathetic, rusting old boats. Enough is enough!\n\n"
)
COMMENTS = (
    "3 Responses to “Ferry service to Lundholm resumes after storm”\n\n"
    "Tomas Berg says:\nMarch 3, 2021 at 5:02 pm\nAbout time too.\n\n"
    "Ina Holm says:\nMarch 3, 2021 at 6:10 pm\nThe boats are fine, the schedule is the problem.\n\n"
)
FOOTER = (
    "Leave a Reply\nYour email address will not be published. Required fields are marked *\n"
    "Notify me of new posts by email.\nShare this:\nTwitter\nFacebook\n"
    "Copyright © 2021 Example Media. All rights reserved."
)
BLOG = REPORT + REPOST + OPINION + COMMENTS + FOOTER


def article(text: str, source: str | None = None, segments: tuple[Segment, ...] = ()) -> Article:
    return Article(article_id(text), "test", text, source=source, segments=segments)


def kind_at(a: Article, fragment: str) -> str:
    """The kind of the segment holding the first character of ``fragment``."""
    i = a.text.index(fragment)
    return next(s.kind for s in a.segments if s.start <= i < s.end)


def assert_partition(a: Article) -> None:
    assert all(s.kind in SEGMENT_KINDS for s in a.segments)
    if not a.text:
        assert a.segments == ()
        return
    assert a.segments[0].start == 0 and a.segments[-1].end == len(a.text)
    for x, y in zip(a.segments, a.segments[1:]):
        assert x.end == y.start and x.start < x.end


def test_each_segment_kind_on_a_blog_post():
    (a,) = clean_articles([article(BLOG)])
    assert_partition(a)
    assert kind_at(a, "The regional transport office said") == "reporting"
    assert kind_at(a, "About 1,200 passengers") == "reporting"
    assert kind_at(a, "Engineers inspected the pier") == "reproduced"
    assert kind_at(a, "Repairs are scheduled") == "reproduced"
    assert kind_at(a, "Frankly, I think") == "opinion"
    assert kind_at(a, "3 Responses to") == "reader_comment"
    assert kind_at(a, "Ina Holm says:") == "reader_comment"
    assert kind_at(a, "The boats are fine") == "reader_comment"
    for line in FOOTER.splitlines():
        assert kind_at(a, line) == "boilerplate", line
    assert 0.0 < a.opinion_share < 0.6
    assert a.sentences and all(a.text[s.start].strip() for s in a.sentences)


def test_opinion_share_formula():
    (a,) = clean_articles([article(BLOG)])
    chars = {k: sum(s.end - s.start for s in a.segments if s.kind == k) for k in SEGMENT_KINDS}
    expected = chars["opinion"] / (chars["reporting"] + chars["opinion"] + chars["reproduced"])
    assert abs(a.opinion_share - expected) < 1e-9


def test_attributed_evaluation_is_reporting():
    text = "The mayor said the new bridge is a disgraceful waste of money and an insult to taxpayers.\n"
    (a,) = clean_articles([article(text)])
    assert [s.kind for s in a.segments] == ["reporting"]


def test_quote_introduced_by_speech_is_reporting_not_reproduced():
    text = (
        "The minister spoke after the vote.\n\nShe said:\n\n“I am proud of this country.\n\n"
        "I believe we did the right thing, and I would do it again.”\n"
    )
    (a,) = clean_articles([article(text)])
    assert {s.kind for s in a.segments} == {"reporting"}


def test_block_quote_marker_is_reproduced():
    text = "The council met on Monday and approved the budget.\n\n> Budget approved by 7 votes to 2.\n"
    (a,) = clean_articles([article(text)])
    assert kind_at(a, "> Budget") == "reproduced"


def test_prefilled_comment_segment_is_kept_and_the_rest_segmented():
    body = REPORT + FOOTER + "\n\n"
    tail = "Great piece, thanks!\nI disagree with every word.\n"
    text = body + tail
    fixed = Segment("reader_comment", len(body), len(text))
    (a,) = clean_articles([article(text, segments=(fixed,))])
    assert_partition(a)
    assert fixed in a.segments
    assert kind_at(a, "The regional transport office said") == "reporting"
    assert kind_at(a, "Leave a Reply") == "boilerplate"


def test_fully_prefilled_article_is_unchanged():
    text = "Some text here.\n"
    segs = (Segment("reporting", 0, len(text)),)
    (a,) = clean_articles([article(text, segments=segs)])
    assert a.segments == segs


def test_empty_text():
    (a,) = clean_articles([article("")])
    assert a.segments == () and a.sentences == () and a.opinion_share == 0.0


def test_white_space_only():
    (a,) = clean_articles([article(" \n\n\t")])
    assert_partition(a)
    assert [s.kind for s in a.segments] == ["boilerplate"]


def test_all_boilerplate_page_is_kept_and_says_so():
    (a,) = clean_articles([article("Skip to content\n" + FOOTER)])
    assert_partition(a)
    assert {s.kind for s in a.segments} == {"boilerplate"}
    assert a.opinion_share == 0.0


def test_five_megabyte_single_line():
    text = ("lorem ipsum dolor sit amet " * 200_000)[:5_000_000]
    (a,) = clean_articles([article(text)])
    assert_partition(a)
    assert {s.kind for s in a.segments} <= {"reporting", "opinion"}


def test_no_sentence_punctuation_and_mixed_scripts():
    text = "breaking news from the harbour\nвсе паромы отменены\n渡轮停航 今天\nferries will resume thursday"
    (a,) = clean_articles([article(text)])
    assert_partition(a)
    assert len(a.sentences) == 4


def test_lines_repeated_across_same_source_are_boilerplate_whatever_the_batch_order():
    promo = "Get the Harbour Bulletin app"
    texts = [
        f"Story {i} headline\n\nThe harbour office said {n} ships docked on {d}.\n\n{promo}\n"
        for i, (n, d) in enumerate([(3, "Monday"), (7, "Friday"), (12, "Sunday")])
    ]
    arts = [article(t, source="Harbour Bulletin") for t in texts]
    forward = clean_articles(arts)
    backward = clean_articles(arts[::-1])[::-1]
    assert forward == backward
    for a in forward:
        assert kind_at(a, promo) == "boilerplate"
    (alone,) = clean_articles([arts[0]])
    assert kind_at(alone, promo) != "boilerplate"  # one article is no repetition
    other = clean_articles([replace(arts[0], source="Other"), arts[1]])
    assert kind_at(other[0], promo) != "boilerplate"  # another source's furniture is not evidence


POOL = [
    "The port authority said ten ships were delayed.",
    "I think this is an outrageous scandal!",
    "The Daily Example reports:",
    "Share this:",
    "2 Comments to “A story”",
    "Ana says:",
    "Leave a Reply",
    "• Bullet point about buses",
    "“A quoted remark,” she said.",
    "Connecting to %s",
    "",
    "   ",
    "混合 text Ж",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(POOL), st.text(max_size=40)), max_size=25),
    st.sampled_from(["\n", "\n\n", " "]),
    st.integers(min_value=0, max_value=3),
)
def test_partition_invariant(lines, sep, prefilled):
    text = sep.join(lines)
    segs: tuple[Segment, ...] = ()
    if prefilled and len(text) > 4:
        cut = len(text) * prefilled // 4
        segs = (Segment("reader_comment", cut, len(text)),) if cut < len(text) else ()
    (a,) = clean_articles([article(text, segments=segs)])
    assert_partition(a)
    for s in segs:  # kept; it may only grow over neighbouring white space
        g = next(g for g in a.segments if g.start <= s.start < g.end)
        assert g.kind == s.kind and g.end >= s.end
        assert not text[g.start : s.start].strip() and not text[s.end : g.end].strip()
    assert 0.0 <= a.opinion_share <= 1.0


def test_long_legal_notices_are_boilerplate_but_copyright_news_is_not() -> None:
    from newsdossier.clean.boilerplate import strong_evidence

    notice = (
        "© 2031 Tidewater Wire. All rights reserved. Republication or redistribution of Tidewater content, "
        "including by framing or similar means, is prohibited without the prior written consent of the agency."
    )
    aggregator = (
        "Harbourline collects headlines from many outlets and the content belongs to its publishers. We use "
        "cookies to improve your experience, and by browsing on you agree to the Cookie Policy of the site. "
        "© 2031 Harbourline Digital. All rights reserved."
    )
    news = (
        "Copyright lawyers argued for three days before the judge in Vellmar, who said the case would take "
        "months to resolve and that both sides should first try mediation and then report back to the court."
    )
    assert strong_evidence(notice) and strong_evidence(aggregator)
    assert not strong_evidence(news)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(POOL), st.text(max_size=40)), max_size=15), st.sampled_from(["\n", "\n\n"]))
def test_sentences_of_a_line_are_the_article_sentences_inside_it(lines, sep):
    # clean splits each article once and hands each line its share; same as splitting the line alone.
    from newsdossier.clean import _line_sentences
    from newsdossier.clean.lines import split_lines
    from newsdossier.clean.sentences import split_sentences

    text = sep.join(lines)
    found = split_lines(text)
    got = _line_sentences(text, found, range(len(found)), split_sentences(text))
    for i, ln in enumerate(found):
        assert got[i] == split_sentences(text, ln.start, ln.end)


# -- where a reposted block ends, and pages that stack a report and an op-ed -------------------------

REPOST_THEN_COMMENT = (
    "What a week for the valley.\n\n"
    "The Larchmont Gazette reports:\n\n"
    "The county council voted on Tuesday to close the Millbrook bridge for repairs, a spokeswoman said.\n\n"
    "Work will start in May and take about six weeks, the council's engineer told reporters.\n\n"
    "Shop owners on Mill Street said they expected fewer customers during the closure.\n\n"
    "The bridge has needed work for years, and the delays only made the job bigger and costlier.\n\n"
    "Closing the only bridge in May, right before the tourist season, was hardly going to go down well.\n\n"
    "The shops on Mill Street will probably feel it most, just as the summer visitors start to arrive.\n"
)


def test_reposted_block_ends_where_the_text_stops_citing_sources():
    # The reposted report attributes every paragraph; the author's paragraphs after it cite nobody and
    # read only mildly subjective one by one, yet the block ends before them and they read as commentary.
    (a,) = clean_articles([article(REPOST_THEN_COMMENT)])
    assert_partition(a)
    assert kind_at(a, "The county council voted") == "reproduced"
    assert kind_at(a, "Shop owners on Mill Street said") == "reproduced"
    for fragment in ("The bridge has needed work", "Closing the only bridge", "The shops on Mill Street"):
        assert kind_at(a, fragment) == "opinion", fragment


def test_block_end_attribution_style_is_relative_to_the_block_head():
    from newsdossier.clean.lines import split_lines
    from newsdossier.clean.reproduced import reproduced_lines

    def block_of(paragraphs: list[tuple[str, int]]) -> list[str]:
        text = "The Orchard Times reports:\n\n" + "\n\n".join(p for p, _ in paragraphs)
        lines = split_lines(text)
        attributed = {ln.text: n for ln, (_, n) in zip(lines[1:], paragraphs)}
        rep = reproduced_lines(
            lines,
            list(range(len(lines))),
            lambda i: -0.1,  # every paragraph reads mildly as reporting
            lambda i: (attributed.get(lines[i].text, 0), 1),
        )
        return [lines[i].text for i in sorted(rep)]

    citing = [("Lead.", 0), ("Officials said A.", 1), ("Police said B.", 1), ("Plain C.", 0), ("Plain D.", 0)]
    assert block_of(citing) == ["Lead.", "Officials said A.", "Police said B."]
    # a block that never cited anyone gives no such signal: it runs to its end
    plain = [("Lead.", 0), ("Plain A.", 0), ("Plain B.", 0), ("Plain C.", 0), ("Plain D.", 0)]
    assert len(block_of(plain)) == 5
    # an attributed paragraph after unattributed ones stays in the block
    late = [("Lead.", 0), ("Officials said A.", 1), ("Plain B.", 0), ("Police said C.", 1)]
    assert len(block_of(late)) == 4


def test_section_breaks_are_gaps_wider_than_the_usual_paragraph_gap():
    from newsdossier.clean.passages import section_breaks

    assert section_breaks([0, 1, 1, 2, 1, 1]) == [False, False, False, True, False, False]
    assert section_breaks([0, 0, 0, 1, 0]) == [False, False, False, True, False]
    assert not any(section_breaks([0, 1, 1, 1]))  # uniform gaps: one section
    assert not any(section_breaks([0, 1, 2, 2, 2]))  # a narrower gap (headline) is no break
    assert not any(section_breaks([0, 1, 2, 1, 2]))  # ties: the wider gap is the usual one
    assert section_breaks([]) == [] and section_breaks([3]) == [False]


REPORT_THEN_OP_ED = (
    "Harbour tax vote passes\n\n"
    "The Eastport council approved a new harbour tax on Monday by six votes to three, the clerk said.\n\n"
    "The tax will add two crowns to every ferry ticket from June, according to the council's budget office.\n\n"
    "Opposition members said they would ask the regional court to review the decision.\n\n\n"
    "Six years of debate, three votes, and now a new tax on every ticket. It is that simple.\n\n"
    "The council first discussed a harbour levy in 2025, when ferry traffic fell by a fifth.\n\n"
    "This tax is a lazy, shameful grab at the pockets of islanders who have no other way home. "
    "It should be scrapped before a single ticket is sold.\n"
)


def test_op_ed_after_a_section_break_is_opinion_as_a_whole():
    (a,) = clean_articles([article(REPORT_THEN_OP_ED)])
    assert_partition(a)
    for fragment in ("The Eastport council approved", "The tax will add", "Opposition members said"):
        assert kind_at(a, fragment) == "reporting", fragment
    # its factual-sounding opening lines belong to the op-ed's argument
    for fragment in ("Six years of debate", "The council first discussed", "This tax is a lazy"):
        assert kind_at(a, fragment) == "opinion", fragment


def test_units_are_judged_whole_only_on_composite_pages():
    from newsdossier.clean import _passage_kinds
    from newsdossier.clean.lines import split_lines
    from newsdossier.model import Sentence

    text = "\n\n".join(f"Sentence {k} of the unit, long enough to count as full evidence in the model." for k in range(4))
    lines = split_lines(text)
    flat = [(i, Sentence(ln.start, ln.end)) for i, ln in enumerate(lines)]
    probs, attr = [0.45, 0.3, 0.45, 0.3], [False] * 4  # each near the neutral 0.4, unattributed
    one_section = _passage_kinds(lines, flat, probs, attr, set(), 0.4, [False] * 4)
    assert one_section == ["reporting"] * 4  # the HMM: mixed weak evidence stays reporting
    two_sections = _passage_kinds(lines, flat, probs, attr, set(), 0.4, [False, False, True, False])
    assert two_sections == ["opinion"] * 4  # each unit cites nobody: read as a whole, commentary
    attr = [False, True, False, True]
    assert _passage_kinds(lines, flat, probs, attr, set(), 0.4, [False, False, True, False])[1] == "reporting"


def test_unit_reads_as_opinion():
    from newsdossier.clean.passages import unit_reads_as_opinion

    assert unit_reads_as_opinion([0.4, 0.4, 0.4], [False] * 3, [100] * 3, neutral=0.4)  # cites nobody
    assert not unit_reads_as_opinion([0.4, 0.4, 0.4], [True, True, False], [100] * 3, neutral=0.4)
    assert not unit_reads_as_opinion([0.1, 0.2], [False, False], [100, 100], neutral=0.4)
    assert not unit_reads_as_opinion([], [], [], neutral=0.4)


def test_a_headline_set_apart_does_not_make_a_page_composite():
    from newsdossier.clean import _passage_kinds
    from newsdossier.clean.lines import split_lines
    from newsdossier.model import Sentence

    body = "\n\n".join(f"Sentence {k} of the body, long enough to count as full evidence in the model." for k in range(4))
    text = "A headline\n\n\n" + body
    lines = split_lines(text)
    flat = [(i, Sentence(ln.start, ln.end)) for i, ln in enumerate(lines)]
    probs, attr = [0.3, 0.45, 0.3, 0.45, 0.3], [False] * 5
    breaks = [False, True, False, False, False]
    assert _passage_kinds(lines, flat, probs, attr, set(), 0.4, breaks) == ["reporting"] * 5
