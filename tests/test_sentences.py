"""The project's sentence splitter: exact spans, robust to scraped-text quirks."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdossier.clean.sentences import MAX_SENTENCE_CHARS, split_sentences


def texts(t: str) -> list[str]:
    return [t[s.start : s.end] for s in split_sentences(t)]


def test_abbreviations_and_quotes():
    t = "Mr. Okafor of the U.S. Navy arrived at 5 p.m. on Monday. “We are ready,” he said. Then he left."
    assert texts(t) == [
        "Mr. Okafor of the U.S. Navy arrived at 5 p.m. on Monday.",
        "“We are ready,” he said.",
        "Then he left.",
    ]


def test_quote_closing_after_full_stop_stays_with_sentence():
    assert texts("She said “It is over.” The rest followed.") == [
        "She said “It is over.”",
        "The rest followed.",
    ]


def test_missing_space_after_full_stop():
    assert texts("The ferry docked at noon.The crew went ashore.") == [
        "The ferry docked at noon.",
        "The crew went ashore.",
    ]


def test_glued_stop_rule_leaves_initials_and_domains_alone():
    assert texts("Visit example.org today. Mr.Brandt spoke.") == [
        "Visit example.org today.",
        "Mr.Brandt spoke.",
    ]


def test_bullets_are_boundaries_and_not_part_of_the_sentence():
    t = "  • Ten buses were added\n  • The depot opened – finally – on Friday.\nHome • News • Sport"
    assert texts(t) == [
        "Ten buses were added",
        "The depot opened – finally – on Friday.",
        "Home",
        "News",
        "Sport",
    ]


def test_lines_are_hard_boundaries_and_blank_text_gives_nothing():
    assert texts("A headline without a stop\nThe body starts here.") == [
        "A headline without a stop",
        "The body starts here.",
    ]
    assert split_sentences("") == [] and split_sentences(" \n\t\n") == []


def test_no_sentence_punctuation_is_capped():
    t = " ".join(["word"] * 3000)
    spans = split_sentences(t)
    assert len(spans) > 1 and all(s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)


def test_mixed_scripts():
    assert texts("Первое предложение. Второе! 第一句。第二句。 Done.") == [
        "Первое предложение.",
        "Второе!",
        "第一句。",
        "第二句。",
        "Done.",
    ]


def test_five_megabyte_single_line_finishes():
    t = ("x" * 99 + " ") * 50_000  # 5 MB, one line, no punctuation
    spans = split_sentences(t)
    assert spans[0].start == 0 and spans[-1].end == len(t) - 1
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_start_end_window():
    t = "First one. Second one. Third one."
    spans = split_sentences(t, 11, 22)
    assert [t[s.start : s.end] for s in spans] == ["Second one."]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab .?!\n“”"•Ж中 ')), max_size=300))
def test_spans_are_ordered_stripped_and_inside_text(t):
    spans = split_sentences(t)
    prev = 0
    for s in spans:
        assert prev <= s.start < s.end <= len(t)
        assert not t[s.start].isspace() and not t[s.end - 1].isspace()
        prev = s.end


TRICKY = [
    "Dr. Vance met Gen. Oduya at 9 a.m. in St. Albans. They talked. They talked.",
    "Prices rose 2.5 per cent. (See table 1.) The board met on Jan. 4.",
    "Items: 1) boats 2) buses 3) trains. Then i.e. nothing else!! Really?!",
    "“Stop,” she said. “Stop.” He did not stop. He did not stop.",
    "a.  b.  a.  b. ",
]


@settings(max_examples=80, deadline=None)
@given(st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=st.sampled_from(list("ab Mr.Dr .?!()12“”\"'")), max_size=200),
))
def test_pysbd_segment_gives_what_pysbd_segment_gives(t):
    # The project locates pysbd's sentences without pysbd's per-sentence regexes; same strings.
    import pysbd

    from newsdossier.clean.sentences import pysbd_segment

    assert pysbd_segment(t) == pysbd.Segmenter(language="en", clean=False).segment(t)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab cD Mr\t1-,;:’'é\u00a0")), max_size=60),
       st.sampled_from(["", ".", "!", "?", " ", ". "]))
def test_lines_with_one_closing_mark_skip_pysbd_with_the_same_result(body, end):
    # pysbd_segment returns such a line whole without running pysbd: it must be what pysbd returns.
    import pysbd

    from newsdossier.clean.sentences import pysbd_segment

    t = body + end
    assert pysbd_segment(t) == pysbd.Segmenter(language="en", clean=False).segment(t)
