"""Quotes and speakers on fictional text; the PolNeAR scorer on a tiny brat pair we write."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdossier.annotate.quotes import find_quotes, load_tagger
from newsdossier.clean.sentences import split_sentences
from newsdossier.evaluate import quotes as eval_quotes
from newsdossier.model import EntityMention


def quotes(text: str, entities=()):
    return [(text[q.start : q.end], q.direct, q.speaker) for q in find_quotes(text, split_sentences(text), list(entities))]


def test_direct_quote_with_speaker_after() -> None:
    text = "“We will reopen the terminal on Friday,” Mara Lind said on Monday."
    assert quotes(text) == [("“We will reopen the terminal on Friday,”", True, "Mara Lind")]


def test_said_before_and_cue_first() -> None:
    text = '"The harbour is closed until further notice," said Tomas Berg.'
    assert quotes(text)[0][1:] == (True, "Tomas Berg")


def test_block_quote_after_colon_spans_paragraphs() -> None:
    text = "Harbour master Tomas Berg said:\n\n“The strike has ended.\n\nWe begin loading the ships at dawn tomorrow.”\n"
    got = quotes(text)
    assert len(got) == 1
    assert got[0][0].startswith("“The strike") and got[0][0].endswith("tomorrow.”")
    assert got[0][1:] == (True, "Tomas Berg")


def test_pronoun_resolves_to_last_named_speaker() -> None:
    text = ("Union leader Mara Lind said the talks had failed.\n\n"
            "She said the dockers would stay out for a week.")
    got = quotes(text)
    assert [g[2] for g in got] == ["Mara Lind", "Mara Lind"]
    assert got[1][0] == "the dockers would stay out for a week"
    assert got[1][1] is False


def test_title_resolves_to_named_holder() -> None:
    text = ("Port Director Anna Vik visited the quay.\n\n"
            "The director said that the cranes were safe to use again.")
    assert quotes(text)[-1][2] == "Anna Vik"


def test_indirect_forms() -> None:
    got = quotes("The cranes were damaged in the storm, the port authority said.")
    assert got == [("The cranes were damaged in the storm", False, "the port authority")]
    got = quotes("According to the harbour union, three ships left the port.")
    assert got == [("three ships left the port", False, "the harbour union")]


def test_entities_drive_speakers_when_given() -> None:
    text = "Vellmar Ports said on Monday that the cranes would be replaced."
    entities = [EntityMention(0, len("Vellmar Ports"), "ORG")]
    got = quotes(text, entities)
    assert len(got) == 1 and got[0][0].endswith("the cranes would be replaced")  # PolNeAR keeps "that"
    assert got[0][1:] == (False, "Vellmar Ports")


def test_scare_quotes_are_not_quotes() -> None:
    assert all(not direct for _, direct, _ in quotes("The so-called “deal” was signed."))
    got = quotes("She wanted to speak “directly to the dock workers” about pay, Mara Lind said.")
    assert all(not direct for _, direct, _ in got)


TEXT = "“We stay out until Friday,” Mara Lind said. The cranes were old, the port authority said.\n"


def test_polnear_scorer(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc.txt").write_text(TEXT, encoding="utf-8")
    c1 = TEXT.index("“We")
    c2 = TEXT.index("The cranes")
    s2 = TEXT.index("the port")
    ann = (
        f"T1\tSource {TEXT.index('Mara')} {TEXT.index('Mara') + 9}\tMara Lind\n"
        f"T2\tContent {c1} {TEXT.index(',”') + 2}\tx\n"
        f"T3\tSource {s2} {s2 + 18}\tthe port authority\n"
        f"T4\tContent {c2} {c2 + 20}\tThe cranes were old\n"
        "E1\tAttribution:T2 Content:T2 Source:T1\nE2\tAttribution:T4 Content:T4 Source:T3\n"
    )
    (tmp_path / "attributions" / "doc_ab12.ann").write_text(ann, encoding="utf-8")
    docs = eval_quotes.load_dir(tmp_path)
    assert [g.direct for g in docs[0][2]] == [True, False]
    scores, ok, n, _ = eval_quotes.evaluate(docs, eval_quotes.ours)
    assert (scores[True].matched, scores[False].matched, ok, n) == (1, 1, 2, 2)
    assert eval_quotes.main(tmp_path) == 0


def test_eval_quotes_on_shared_data(shared_data: Path) -> None:
    folder = shared_data / "polnear" / "dev"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    docs = eval_quotes.load_dir(folder)[:10]
    scores, _, _, _ = eval_quotes.evaluate(docs, eval_quotes.ours)
    assert scores[True].matched > 0.5 * scores[True].gold


def _toy_tagger():
    import numpy as np

    from newsdossier.annotate.quote_tagger import LABELS, QuoteTagger

    tagger = QuoteTagger()
    tagger.labels_ = list(LABELS)
    tagger.features_ = {"w=said": 0, "L=1": 1, "b": 2}
    w = np.zeros((3, len(LABELS)), dtype=np.float32)
    w[0, LABELS.index("B-CUE")] = 5.0
    w[1, LABELS.index("B-CON")] = 3.0
    w[2, LABELS.index("O")] = 1.0
    tagger.weights_ = w
    t = np.zeros((len(LABELS), len(LABELS)), dtype=np.float32)
    t[LABELS.index("B-CON"), LABELS.index("I-CON")] = 3.0
    t[LABELS.index("I-CON"), LABELS.index("I-CON")] = 3.0
    tagger.transitions_ = t
    tagger.cue_lexicon_ = {"said": 0.9}
    return tagger


def test_tagger_viterbi_and_round_trip(tmp_path: Path) -> None:
    from newsdossier.annotate.quote_tagger import QuoteTagger

    tagger = _toy_tagger()
    X = [[["b", "w=said"], ["b", "L=1"], ["b"], ["b"]], [["b"]], []]
    want = [["B-CUE", "B-CON", "I-CON", "I-CON"], ["O"], []]
    assert tagger.predict(X) == want
    tagger.save(tmp_path)
    assert QuoteTagger.load(tmp_path).predict(X) == want


def test_source_bias_tips_a_close_call_to_source(monkeypatch) -> None:
    import numpy as np

    from newsdossier.annotate import quotes as quotes_module
    from newsdossier.annotate.quote_tagger import LABELS, QuoteTagger

    def toy():
        tagger = QuoteTagger()
        tagger.labels_ = list(LABELS)
        tagger.features_ = {"b": 0, "w=lind": 1}
        w = np.zeros((2, len(LABELS)), dtype=np.float32)
        w[0, LABELS.index("O")] = 1.0
        w[1, LABELS.index("B-SRC")] = 0.9  # just below O's 1.0 for "Lind"
        tagger.weights_ = w
        tagger.transitions_ = np.zeros((len(LABELS), len(LABELS)), dtype=np.float32)
        tagger.cue_lexicon_ = {}
        return tagger

    text = "Lind spoke."
    sents = split_sentences(text)
    assert quotes_module.tag_paragraphs(toy(), text, sents)[1] == [["B-SRC", "O", "O"]]
    monkeypatch.setattr(quotes_module, "SOURCE_BIAS", 0.0)
    assert quotes_module.tag_paragraphs(toy(), text, sents)[1] == [["O", "O", "O"]]


def test_batched_viterbi_matches_exhaustive_search_per_sequence() -> None:
    # paragraphs of different lengths (the batch runs longest first, finished rows frozen) decode as if
    # each were decoded alone: the best of all label sequences under emissions + transitions
    from itertools import product

    import numpy as np

    from newsdossier.annotate.quote_tagger import LABELS, QuoteTagger

    rng = np.random.default_rng(7)
    tagger = QuoteTagger()
    tagger.labels_ = list(LABELS)
    tagger.features_ = {f"f{i}": i for i in range(6)}
    tagger.weights_ = rng.normal(size=(6, len(LABELS))).astype(np.float32)
    tagger.transitions_ = rng.normal(size=(len(LABELS), len(LABELS))).astype(np.float32)
    X = [[[int(j) for j in rng.choice(6, size=2, replace=False)] for _ in range(n)] for n in (3, 0, 5, 1, 4)]
    got = tagger.predict(X, encoded=True)
    for seq, labels in zip(X, got):
        em = [tagger.weights_[f].sum(axis=0) for f in seq]
        best = max(product(range(len(LABELS)), repeat=len(seq)),
                   key=lambda path: sum(em[t][k] for t, k in enumerate(path))
                   + sum(tagger.transitions_[a, b] for a, b in zip(path, path[1:])), default=())
        assert labels == [LABELS[k] for k in best]


def test_quote_depth_marks_runs_between_marks() -> None:
    from newsdossier.annotate.quote_features import paragraphs, quote_depth

    text = 'a “b” c "d" e ” f\n“g « h » i\n„j"'
    inside = quote_depth(text, paragraphs(text))
    marked = "".join(ch for ch, k in zip(text, inside) if k)
    # curly and straight quotations with their marks; a stray closing mark alone; an opening mark inside
    # a quotation changes nothing and the next closing one ends it; a straight mark closes a low-9 one
    assert marked == '“b”"d"”“g « h »„j"'


def test_quote_depth_reads_two_apostrophes_as_a_straight_mark() -> None:
    from newsdossier.annotate.quote_features import paragraphs, quote_depth

    text = "Lind said ''we stay out,'' and left. It's the dockers' call.\n''All week.\n''Next.\nOut."
    inside = quote_depth(text, paragraphs(text))
    marked = "".join(ch for ch, k in zip(text, inside) if k)
    # a single apostrophe (an elision, a possessive) is no mark; a quotation open at a line end goes on
    # into a line that opens with two apostrophes, and they close it there as a straight mark would
    assert marked == "''we stay out,''''All week.''"


def test_direct_spans_join_paragraphs_and_skip_unbalanced_marks() -> None:
    from newsdossier.annotate.quote_rules import _direct_spans

    text = "Lind said:\n\n“The strike has ended.\n\nWe load at dawn.”\n“Open “never closed.\n\"Short\" end."
    got = [text[s:e] for s, e in _direct_spans(text)]
    assert got == ["“The strike has ended.\n\nWe load at dawn.”", '"Short"']


def test_snap_direct_content_to_its_quotation_marks() -> None:
    from newsdossier.annotate.quote_features import paragraphs, quote_depth
    from newsdossier.annotate.quotes import snap_to_marks

    text = "“We stay out. We mean it,” Mara Lind said. Then she left.\n"
    inside = quote_depth(text, paragraphs(text))
    close = text.index("”") + 1
    assert snap_to_marks(text, inside, 0, len(text) - 1) == (0, close)  # ran past the closing mark
    assert snap_to_marks(text, inside, 0, 10) == (0, close)  # cut short inside the quotation
    assert snap_to_marks(text, inside, 28, 40) == (28, 40)  # not a quotation: unchanged


def test_quote_depth_continues_multi_paragraph_quotes_only() -> None:
    from newsdossier.annotate.quote_features import paragraphs, quote_depth

    text = "“First part.\n“Second part.”\nOutside.\n\"Stray mark\nAlso outside."
    inside = quote_depth(text, paragraphs(text))
    assert inside[text.index("Second")] == 1
    assert inside[text.index("Outside")] == 0
    assert inside[text.index("Also")] == 0


def test_assemble_joins_interrupted_quote_and_borrows_source() -> None:
    from newsdossier.annotate.quotes import _Piece, assemble

    text = "“A b,” she said, “c d.” X said e and added f."
    tok = lambda s, k=0: (text.index(s, k), text.index(s, k) + len(s))
    p = [_Piece("CON", 0, 0, 3, *tok("“A b,”")), _Piece("SRC", 0, 4, 4, *tok("she")),
         _Piece("CUE", 0, 5, 5, *tok("said")), _Piece("CON", 0, 7, 10, *tok("“c d.”")),
         _Piece("SRC", 1, 0, 0, *tok("X")), _Piece("CUE", 1, 1, 1, *tok("said", 20)),
         _Piece("CON", 1, 2, 2, *tok("e")), _Piece("CUE", 1, 4, 5, *tok("added")), _Piece("CON", 1, 6, 6, *tok("f"))]
    got = [(text[s:e], src and text[src[0]:src[1]]) for s, e, src in assemble(text, p)]
    assert got == [("“A b,” she said, “c d.”", "she"), ("e", "X"), ("f", "X")]


def test_untagged_words_between_content_and_cue_are_its_source() -> None:
    from newsdossier.annotate.quotes import _Piece, assemble

    text = "The cranes were damaged, the port authority said. Lind said the ferry runs again."
    tok = lambda s, k=0: (text.index(s, k), text.index(s, k) + len(s))
    second = text.index("Lind")
    # the tagger found the content and the cue of the first sentence but no source between them
    p = [_Piece("CON", 0, 0, 3, *tok("The cranes were damaged")), _Piece("CUE", 0, 8, 8, *tok("said")),
         _Piece("SRC", 0, 10, 10, *tok("Lind")), _Piece("CUE", 0, 11, 11, *tok("said", second)),
         _Piece("CON", 0, 12, 15, *tok("the ferry runs again"))]
    got = [(text[s:e], src and text[src[0]:src[1]]) for s, e, src in assemble(text, p)]
    assert got == [("The cranes were damaged", "the port authority"), ("the ferry runs again", "Lind")]


def test_reported_content_right_after_a_cue_stays_with_that_cue() -> None:
    from newsdossier.annotate.quotes import _Piece, assemble

    # 'mocking A and saying B': A touches both cues; it is what was mocked, not part of what was said
    text = "Lind kept mocking the harbour board and pointedly saying the cranes were unsafe."
    tok = lambda s: (text.index(s), text.index(s) + len(s))
    p = [_Piece("SRC", 0, 0, 0, *tok("Lind")), _Piece("CUE", 0, 1, 2, *tok("kept mocking")),
         _Piece("CON", 0, 3, 6, *tok("the harbour board and")),
         _Piece("CUE", 0, 7, 8, *tok("pointedly saying")),
         _Piece("CON", 0, 9, 12, *tok("the cranes were unsafe"))]
    got = [(text[s:e], src and text[src[0]:src[1]]) for s, e, src in assemble(text, p)]
    assert got == [("the harbour board and", "Lind"), ("the cranes were unsafe", "Lind")]


def _clip(text: str, content: str, cue: str) -> str:
    from newsdossier.annotate.quote_clauses import clip_content
    from newsdossier.annotate.quote_features import paragraphs, quote_depth

    sents = split_sentences(text)
    s = text.index(content)
    c = text.index(cue)
    a, b = clip_content(text, quote_depth(text, paragraphs(text)), sents, [x.start for x in sents], s,
                        s + len(content), (c, c + len(cue)))
    return text[a:b]


def test_indirect_content_ends_with_a_fronted_clause() -> None:
    text = "While the unions argue that the levy hurts small ports, the minister has kept it for a year."
    content = "that the levy hurts small ports, the minister has kept it for a year"
    assert _clip(text, content, "argue") == "that the levy hurts small ports"
    # a list inside the clause is not its end
    text = "After Lind criticised the tolls, fees, and fines, the board met again."
    got = _clip(text, "the tolls, fees, and fines, the board met again", "criticised")
    assert got == "the tolls, fees, and fines"
    # no fronted clause: nothing is cut
    text = "Lind said the levy hurts small ports, and the board agreed."
    assert _clip(text, "the levy hurts small ports, and the board agreed", "said") == (
        "the levy hurts small ports, and the board agreed")


def test_indirect_content_stays_in_its_cues_sentence() -> None:
    text = "Berg said the ferry will run on Friday. The crews have been told to prepare the ramps."
    got = _clip(text, "the ferry will run on Friday. The crews have been told", "said")
    assert got == "the ferry will run on Friday"
    text = "The ramps are ready. The ferry will run on Friday, Berg said."
    got = _clip(text, "The ramps are ready. The ferry will run on Friday", "said")
    assert got == "The ferry will run on Friday"


def test_scorer_treats_capitalised_pronouns_as_unnamed() -> None:
    assert eval_quotes._names_nobody("He")
    assert eval_quotes._names_nobody("the official")
    assert eval_quotes._names_nobody("A spokesman for the ministry")
    assert not eval_quotes._names_nobody("Trump")
    assert not eval_quotes._names_nobody("the Kremlin")


def test_seed_orders_are_quotes_of_their_speaker(seeds_dir: Path) -> None:
    found = 0
    for path in sorted(seeds_dir.glob("00[012]_*.txt")):
        text = path.read_text(encoding="utf-8")
        qs = find_quotes(text, split_sentences(text), [])
        found += any(q.direct and q.speaker and "Putin" in q.speaker and "order" in text[q.start : q.end]
                     for q in qs)
    assert found == 3


def test_encoded_features_decode_like_strings() -> None:
    import numpy as np

    from newsdossier.annotate.quote_features import (
        featurize,
        paragraphs,
        quote_depth,
        sentence_starts,
        tokenize,
    )

    tagger = _toy_tagger()
    tagger.features_ = {"w=said": 0, "L=1": 1, "b": 2}
    text = "Mara Lind said the port is shut. “It stays shut,” she said.\n"
    para = paragraphs(text)[0]
    toks = tokenize(text, *para)
    args = (text, toks, sentence_starts(toks, split_sentences(text)), quote_depth(text, [para]), tagger.cue_lexicon_)
    as_strings = featurize(*args)
    as_ids = featurize(*args, tagger.features_)
    assert [[tagger.features_.get(f, -1) for f in fs] for fs in as_strings] == as_ids
    assert tagger.predict([as_strings]) == tagger.predict([as_ids], encoded=True)
    flat: list[int] = []
    counts = featurize(*args, tagger.features_, {}, flat)  # end to end, as tagging runs
    assert counts == [len(fs) for fs in as_ids] and flat == [f for fs in as_ids for f in fs]
    assert tagger.predict_flat(np.array(flat), counts, [len(toks)]) == tagger.predict([as_ids], encoded=True)



def test_article_feature_matrix_is_featurize_per_paragraph() -> None:
    # Tagging builds the features of a whole article with numpy (quote_encode); training builds them per
    # paragraph (featurize). Same features per token, in the same order, so the same label scores.
    import numpy as np

    from newsdossier.annotate.quote_encode import emissions, feature_matrix, padded_weights
    from newsdossier.annotate.quote_features import (
        featurize,
        paragraphs,
        quote_depth,
        sentence_starts,
        tokenize,
    )

    from newsdossier.annotate.quote_tagger import QuoteTagger

    tagger = load_tagger()
    if not isinstance(tagger, QuoteTagger):  # the shipped model is the neural tagger: check the CRF's code
        tagger = _toy_tagger()
    text = ("Mara Lind said the port is shut. “It stays shut,” she said, adding that talks go on.\n\n"
            "A spokesman told reporters on Monday the ferries would not sail, and said nothing more.\n"
            " \n“We wait,” Tomas Varga said. “Nobody knows how long.”\nOK.\n")
    sentences = split_sentences(text)
    paras = paragraphs(text)
    inside = quote_depth(text, paras)
    toks = [tokenize(text, s, e) for s, e in paras]
    flat: list[int] = []
    counts: list[int] = []
    for t in toks:
        counts += featurize(text, t, sentence_starts(t, sentences), inside, tagger.cue_lexicon_,
                            tagger.features_, {}, flat)
    per_token, k = [], 0
    for c in counts:
        per_token.append([f for f in flat[k : k + c] if f >= 0])
        k += c
    matrix = feature_matrix([t for ts in toks for t in ts], [len(t) for t in toks], sentences, inside,
                            tagger.cue_lexicon_, tagger.features_, {}, {})
    assert [[f for f in matrix[:, i].tolist() if f >= 0] for i in range(matrix.shape[1])] == per_token
    lengths = [len(t) for t in toks]
    scores = emissions(matrix, padded_weights(tagger.weights_))
    assert tagger.decode(scores, lengths) == tagger.predict_flat(np.array(flat), counts, lengths)

def test_signed_quotation_takes_the_name_after_the_dash() -> None:
    text = ("Readers wrote in about the ferry strike.\n"
            "“The harbour has never been this quiet.” ― Mara Lind\n"
            "“We waited three days for a boat.” — Tomas Varga\n")
    got = [(q[0].strip("“”"), q[2]) for q in quotes(text) if q[1]]
    assert got == [("The harbour has never been this quiet.", "Mara Lind"), ("We waited three days for a boat.", "Tomas Varga")]


def test_speaker_names_skip_calendar_words_and_possessives_name_nobody() -> None:
    from newsdossier.annotate.quote_speakers import Speaker, SpeakerResolver

    text = "The Gazette on Saturday"
    assert SpeakerResolver(text, [])._named_in(0, len(text)).text == "Gazette"
    text = "His aide spoke. “No,” she said."
    resolver = SpeakerResolver(text, [])
    resolver.remember(Speaker(0, 3, "His"), "ANY")
    she = text.index("she")
    assert resolver.resolve_source(she, she + 3).text == "she"  # not "His"


def test_quotations_interrupted_by_a_short_attribution_are_one_quote() -> None:
    from newsdossier.annotate.quotes import join_interrupted

    text = "“The port is shut,” Mara Lind said on Monday. “It will reopen in May.”\nOther news."
    first = (0, text.index(" Mara"), (20, 29), None)
    second = (text.index("“It"), text.index("\n"), None, None)
    assert join_interrupted(text, [first, second]) == [(0, text.index("\n"), (20, 29), None)]
    # a quotation in another paragraph, or one from another speaker, stays apart
    other = (text.index("“It"), text.index("\n"), (40, 44), None)
    assert join_interrupted(text, [first, other]) == [first, other]


def test_two_apostrophe_quotations_interrupted_by_an_attribution_are_one_quote() -> None:
    from newsdossier.annotate.quotes import is_direct, join_interrupted

    text = "''The port is shut,'' Mara Lind said, referring to the strike. ''It will reopen in May.''\nOther."
    src = (text.index("Mara"), text.index(" said"))
    first = (0, text.index(" Mara"), src, None)
    reported = (text.index("the strike"), text.index(". ''It"), src, None)
    second = (text.index("''It"), text.index("\n"), src, None)
    joined = join_interrupted(text, [first, reported, second])
    # one quote, and what the speaker referred to stays reported, nested in it
    assert joined == [(0, text.index("\n"), src, None), reported]
    assert not is_direct(text, 0, text.index("\n"))  # the scorer's kinds: only marks make a quote direct


def test_with_entities_a_pronoun_still_continues_the_last_named_speaker() -> None:
    # The pipeline passes entity mentions; a person named in passing after the speaker must not take
    # over the next "He said" (the previous speaker continues, as in the no-entity path).
    text = ("Mayor Ola Nordby said the bridge would reopen in May after talks with the lawyer Kari Lund.\n\n"
            "He said the repairs were nearly finished.")
    entities = [EntityMention(text.index(n), text.index(n) + len(n), "PERSON") for n in ("Ola Nordby", "Kari Lund")]
    got = quotes(text, entities)
    assert [g[2] for g in got] == ["Ola Nordby", "Ola Nordby"]


def test_a_title_with_a_nationality_skips_the_other_countrys_holder() -> None:
    text = ("Vellmar's President Ola Nordby flew to Tosk, where he met Tosk President Kari Lund.\n\n"
            "The Vellmar president said that the ferry line would reopen.")
    assert quotes(text)[-1][2] == "Ola Nordby"


def test_a_lead_in_before_a_quotation_is_not_part_of_the_quote() -> None:
    from newsdossier.annotate.quote_features import paragraphs, quote_depth
    from newsdossier.annotate.quotes import drop_lead_in

    def cut(text: str) -> str:
        inside = quote_depth(text, paragraphs(text))
        return text[drop_lead_in(text, inside, 0, len(text)) :]

    # a cue verb and a comma, or a colon, lead into the quotation: the quotation is the quote
    assert cut("Holding up the ledger, Lind said, “These figures do not add up.”") == "“These figures do not add up.”"
    assert cut("The notice on the gate reads: “Closed until spring.”") == "“Closed until spring.”"
    # a quoted fragment inside the reported words keeps them (an indirect quote with a quoted phrase)
    text = "that the levy was, “a tax on the harbour itself.”"
    assert cut(text) == text
    # a quotation that ends before the content does is not led into
    text = "Lind said: “Enough.” The council voted against her anyway and closed the harbour."
    assert cut(text) == text
    # a quotation opening lower-case continues the writer's sentence: the words before it stay
    text = "The levy, Lind said, “would empty the harbour by spring.”"
    assert cut(text) == text
    assert cut("Lind said, “It would empty the harbour.”") == "“It would empty the harbour.”"


def test_an_interrupted_quotation_joins_across_reported_words_in_its_attribution() -> None:
    from newsdossier.annotate.quotes import join_interrupted

    text = ("“We have the votes,” Lind said, referring to the council’s majority. “We will use them.”\n"
            "“The levy stays,” said Mara Greene, a Vellmar economist. “It has to.”\n")
    first = (0, text.index(" Lind"), (21, 25), None)
    reported = (text.index("the council"), text.index(". “We will"), None, None)  # tagged inside the attribution
    second = (text.index("“We will"), text.index("\n"), (21, 25), None)
    joined = (0, text.index("\n"), (21, 25), None)
    assert join_interrupted(text, [first, reported, second]) == [joined, reported]  # reported stays, nested
    # the full name and the surname alone are one source
    line = text.index("“The levy")
    greene, surname = text.index("Mara Greene, a Vellmar economist"), text.rindex("Vellmar")
    a = (line, text.index(" said, Mara") if " said, Mara" in text else text.index(" said Mara"), (greene, surname + 7), None)
    b = (text.index("“It has"), len(text) - 1, (greene + 5, greene + 11), None)
    assert join_interrupted(text, [a, b]) == [(line, len(text) - 1, (greene, surname + 7), None)]
    other = (b[0], b[1], (text.index("Lind"), text.index("Lind") + 4), None)
    assert join_interrupted(text, [a, other]) == [a, other]  # Lind is not Greene


def test_they_with_no_named_source_before_stays_unresolved_not_one_person() -> None:
    from newsdossier.annotate.quote_speakers import SpeakerResolver

    text = "The dockers met Kari Lund on Monday. They said the strike would go on."
    lund = text.index("Kari Lund")
    resolver = SpeakerResolver(text, [EntityMention(lund, lund + 9, "PERSON")])
    they = text.index("They")
    assert resolver.resolve_source(they, they + 4).text == "They"
    he = SpeakerResolver(text.replace("They", "He"), [EntityMention(lund, lund + 9, "PERSON")])
    assert he.resolve_source(they, they + 2).text == "Kari Lund"  # a singular pronoun still falls back


def test_speaker_phrases_are_trimmed_and_function_words_name_nobody() -> None:
    from newsdossier.annotate.quote_speakers import SpeakerResolver, trim_source

    text = "the harbour board, which\u00a0 said"
    assert text[slice(*trim_source(text, 0, text.index(" said")))] == "the harbour board"
    text = "Tosk officials said the levy would stay rather than go."
    resolver = SpeakerResolver(text, [])
    k = text.index("rather than")
    assert resolver.resolve_source(k, k + len("rather than")) is None


def test_a_name_is_the_speaker_only_when_it_heads_the_source_phrase() -> None:
    from newsdossier.annotate.quote_speakers import SpeakerResolver, heads_phrase

    text = ("Aides to Mara Lind said the vote was lost. The Tosk army said it would withdraw. "
            "Deputy Minister of Ports Kari Lund said the quay was safe. Vellmar Radio, which broadcast it, said so.")

    def mention(name: str, kind: str, after: int = 0) -> EntityMention:
        i = text.index(name, after)
        return EntityMention(i, i + len(name), kind)

    lind, tosk, lund = mention("Mara Lind", "PERSON"), mention("Tosk", "ORG"), mention("Kari Lund", "PERSON")
    radio = mention("Vellmar Radio", "ORG")
    assert not heads_phrase(text, 0, text.index(" said"), lind)  # a complement: the aides speak
    army = text.index("The Tosk army")
    assert not heads_phrase(text, army, army + len("The Tosk army"), tosk)  # a modifier: the army speaks
    deputy = text.index("Deputy")
    assert heads_phrase(text, deputy, lund.end, lund)  # a title with "of" before the name is fine
    resolver = SpeakerResolver(text, [lind, tosk, lund, radio])
    assert resolver.resolve_source(army, army + len("The Tosk army")).text == "The Tosk army"
    assert resolver.resolve_source(deputy, lund.end).text == "Kari Lund"
    which = text.index("which")
    assert resolver.resolve_source(which, which + 5).text == "Vellmar Radio"  # a relative names what it follows


def test_a_tagged_source_takes_the_rest_of_its_noun_phrase_up_to_the_cue() -> None:
    from newsdossier.annotate.quote_speakers import SpeakerResolver

    text = "Vellmar opposition sources said the talks had failed. Lind also said so."
    resolver = SpeakerResolver(text, [])
    assert resolver.resolve_source(0, len("Vellmar")).text == "Vellmar opposition sources"
    lind = text.index("Lind")
    assert resolver.resolve_source(lind, lind + 4).text == "Lind"  # an adverb is not part of the name


def test_a_cue_takes_the_source_right_after_it_even_when_a_later_cue_took_it_too() -> None:
    from newsdossier.annotate.quotes import _Piece, assemble

    # '“A,” said Lind of the decision to close B': the tagger marks 'decision' as a cue too, and the
    # source between the two cues joins the later one; 'said' still takes it, not a source from before.
    text = "Berg said x.\n“A,” said Lind of the decision to close b."
    tok = lambda s, k=0: (text.index(s, k), text.index(s, k) + len(s))
    p = [_Piece("SRC", 0, 0, 0, *tok("Berg")), _Piece("CUE", 0, 1, 1, *tok("said")), _Piece("CON", 0, 2, 2, *tok("x")),
         _Piece("CON", 1, 0, 3, *tok("“A,”")), _Piece("CUE", 1, 4, 4, *tok("said", 14)),
         _Piece("SRC", 1, 5, 8, *tok("Lind of the")), _Piece("CUE", 1, 9, 9, *tok("decision")),
         _Piece("CON", 1, 10, 12, *tok("to close b"))]
    got = [(text[s:e], src and text[src[0]:src[1]]) for s, e, src in assemble(text, p)]
    assert got == [("x", "Berg"), ("“A,”", "Lind of the"), ("to close b", "Lind of the")]
