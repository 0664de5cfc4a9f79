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
