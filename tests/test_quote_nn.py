"""The neural quote tagger's numpy forward pass against a plain LSTM written out here, on made-up weights."""

from __future__ import annotations

import math

import numpy as np

from newsdossier.annotate.quote_features import paragraphs, quote_depth, tokenize
from newsdossier.annotate.quote_nn import DENSE, BiLSTM, NeuralQuoteTagger
from newsdossier.annotate.quote_tagger import LABELS
from newsdossier.clean.sentences import split_sentences


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _exported(w_ih, w_hh, b):
    """Torch's layout (gates i, f, g, o; rows = gates) to the module's (i, f, o, g; i/f/o halved; transposed)."""
    H = w_hh.shape[-1]
    perm = np.r_[0:H, H : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]
    scale = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(np.float32)
    return (w_ih[perm] * scale[:, None]).T, (w_hh[perm] * scale[:, None]).T, b[perm] * scale


def _reference(x, w_ih, w_hh, b):
    """One direction of a textbook LSTM over one sequence (rows of x), gates in torch's order."""
    H = w_hh.shape[1]
    h, c, out = np.zeros(H), np.zeros(H), []
    for row in x:
        z = w_ih @ row + w_hh @ h + b
        i = 1 / (1 + np.exp(-z[:H]))
        f = 1 / (1 + np.exp(-z[H : 2 * H]))
        g = np.tanh(z[2 * H : 3 * H])
        o = 1 / (1 + np.exp(-z[3 * H :]))
        c = f * c + i * g
        h = o * np.tanh(c)
        out.append(h)
    return np.array(out)


def _net(rng, n_vec=5, vec_dim=3, vocab=4, emb=2, H=3):
    d_in = vec_dim + emb + len(DENSE)
    torch_like = [(rng.normal(size=(4 * H, d_in)) * 0.5, rng.normal(size=(4 * H, H)) * 0.5, rng.normal(size=4 * H) * 0.5)
                  for _ in range(2)]
    parts = [_exported(*p) for p in torch_like]
    arrays = {"vectors": np.vstack([rng.normal(size=(n_vec, vec_dim)), np.zeros((1, vec_dim))]),
              "embed": rng.normal(size=(vocab + 1, emb)),
              "w_in": np.stack([p[0] for p in parts], axis=1), "w_hh": np.stack([p[1] for p in parts]),
              "b_in": np.stack([p[2] for p in parts]), "w_out": rng.normal(size=(2 * H, len(LABELS))),
              "b_out": rng.normal(size=len(LABELS))}
    return BiLSTM(arrays), arrays, torch_like


def test_one_unit_by_hand() -> None:
    # one hidden unit, no input weights: the states follow from the biases alone
    bi, bf, bg, bo = 0.3, -0.2, 0.5, 0.1
    w_ih = np.zeros((4, 3 + 2 + len(DENSE)))
    w_hh = np.zeros((4, 1))
    b = np.array([bi, bf, bg, bo])
    wi, wh, bb = _exported(w_ih, w_hh, b)
    arrays = {"vectors": np.zeros((2, 3)), "embed": np.zeros((2, 2)), "w_in": np.stack([wi, wi], axis=1),
              "w_hh": np.stack([wh, wh]), "b_in": np.stack([bb, bb]),
              "w_out": np.eye(2, len(LABELS)), "b_out": np.zeros(len(LABELS))}
    net = BiLSTM(arrays)
    got = net.scores(np.zeros(2, dtype=np.intp), np.zeros(2, dtype=np.intp),
                     np.zeros((2, len(DENSE)), dtype=np.float32), [2])
    c1 = _sigmoid(bi) * math.tanh(bg)
    h1 = _sigmoid(bo) * math.tanh(c1)
    c2 = _sigmoid(bf) * c1 + _sigmoid(bi) * math.tanh(bg)
    h2 = _sigmoid(bo) * math.tanh(c2)
    # column 0: forward state (h1 at the first token, h2 at the second); column 1: backward (reversed)
    assert np.allclose(got[:, 0], [h1, h2], atol=1e-6)
    assert np.allclose(got[:, 1], [h2, h1], atol=1e-6)
    assert np.allclose(got[:, 2:], 0)


def test_batched_forward_matches_plain_lstm() -> None:
    rng = np.random.default_rng(7)
    net, arrays, torch_like = _net(rng)
    lengths = [3, 0, 6, 1, 4]  # unsorted, with an empty sequence
    n = sum(lengths)
    vrow = rng.integers(0, 6, size=n)
    wid = rng.integers(0, 5, size=n)
    dense = rng.integers(0, 2, size=(n, len(DENSE))).astype(np.float32)
    got = net.scores(vrow, wid, dense, lengths)
    x = np.concatenate([arrays["vectors"][vrow], arrays["embed"][wid], dense], axis=1)
    k = 0
    for size in lengths:
        seq = x[k : k + size]
        fwd = _reference(seq, *torch_like[0])
        bwd = _reference(seq[::-1], *torch_like[1])[::-1]
        want = np.concatenate([fwd, bwd], axis=1) @ arrays["w_out"] + arrays["b_out"] if size else np.zeros((0, 7))
        assert np.allclose(got[k : k + size], want, atol=1e-5)
        k += size


def test_article_scores_with_word_table_and_save_load(tmp_path) -> None:
    rng = np.random.default_rng(3)
    vec_vocab = ["said", "the", "port", "would", "reopen"]
    vocab = ["said", "port", "lind", "“"]
    net, _, _ = _net(rng, n_vec=len(vec_vocab), vocab=len(vocab))
    tagger = NeuralQuoteTagger(LABELS, rng.normal(size=(7, 7)), {"said": 0.8, "told": 0.6}, vec_vocab, vocab, net,
                               {"source_bias": 0.1})
    tagger.save(tmp_path)
    loaded = NeuralQuoteTagger.load(tmp_path)
    assert loaded.source_bias == 0.1 and loaded.vocab == vocab
    texts = ["Mara Lind said the port would reopen.\n\n“We are ready,” she said. The port said so too.",
             "The port would reopen, Lind told reporters.\nNothing else."]
    for text in texts * 2:  # the second pass reads the words' gates from the table
        paras = paragraphs(text)
        inside = quote_depth(text, paras)
        toks = [tokenize(text, s, e) for s, e in paras]
        tokens = [t for ts in toks for t in ts]
        sizes = [len(t) for t in toks]
        sents = split_sentences(text)
        for t in (tagger, loaded):
            want = t.net.scores(*t.inputs.encode(tokens, sizes, sents, inside), sizes)
            # float16 vectors in the saved file: the loaded model is close, the tagger itself exact
            assert np.allclose(t.article_scores(tokens, sizes, sents, inside), want, atol=1e-5)
        assert np.allclose(loaded.article_scores(tokens, sizes, sents, inside),
                           tagger.article_scores(tokens, sizes, sents, inside), atol=1e-2)


def test_kept_words_are_capped_and_dropping_them_changes_no_score(monkeypatch) -> None:
    """A long run meets more words than MAX_WORDS: the kept words and their gate rows are dropped and
    made again as they come, with the same scores, and the gate table does not grow past the cap."""
    from newsdossier.annotate import quote_nn

    rng = np.random.default_rng(5)
    vec_vocab = ["said", "the", "port", "would", "reopen"]
    vocab = ["said", "port", "lind", "“"]
    net, _, _ = _net(rng, n_vec=len(vec_vocab), vocab=len(vocab))
    args = (LABELS, rng.normal(size=(7, 7)), {"said": 0.8}, vec_vocab, vocab, net, {})
    texts = [f"Official {k} said the port {k} would reopen on day {k}.\n\nNothing else {k}." for k in range(40)]
    articles = []
    for text in texts:
        paras = paragraphs(text)
        toks = [tokenize(text, s, e) for s, e in paras]
        articles.append(([t for ts in toks for t in ts], [len(t) for t in toks], split_sentences(text),
                         quote_depth(text, paras)))
    plain = NeuralQuoteTagger(*args)
    want = [plain.article_scores(*a) for a in articles]
    monkeypatch.setattr(quote_nn, "MAX_WORDS", 12)
    capped = NeuralQuoteTagger(*args)
    for a, w in zip(articles * 2, want * 2):
        assert np.array_equal(capped.article_scores(*a), w)
        assert len(capped.inputs.rows) <= 12 + len(a[0]) and len(capped.inputs.cache) <= 12 + len(a[0])
    assert capped.inputs.generation > 3  # the words were dropped again and again
    assert len(capped._table) <= 1024  # not the doubling of every word ever met


def test_distillation_targets_are_the_softmax_of_the_teachers_mean_scores() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from quotes_nn_teachers import ensemble_targets

    rng = np.random.default_rng(0)
    table = [rng.normal(size=(6, 7)).astype(np.float32) for _ in range(2)]

    class Teacher:
        def __init__(self, scores):
            self.net, self.table = self, scores

        def scores(self, vrow, wid, dense, lengths):  # here a row's "vector rows" are its tokens' numbers
            assert sum(lengths) == len(vrow)
            return self.table[vrow]

    cuts = [0, 3, 4, 6]  # three paragraphs of 3, 1 and 2 tokens
    rows = [(np.arange(a, b), None, None, np.zeros(b - a, dtype=int)) for a, b in zip(cuts, cuts[1:])]
    rows = [(v, v, v, y) for v, _, _, y in rows]
    got = ensemble_targets([Teacher(t) for t in table], rows, temperature=2.0, chunk=2)  # chunks of two rows
    assert [g.shape for g in got] == [(3, 7), (1, 7), (2, 7)]
    mean = (table[0] + table[1]) / 2
    want = np.exp(mean / 2) / np.exp(mean / 2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.concatenate(got), want, rtol=1e-5)
    # a constant added to a token's scores (which the CRF decode ignores) leaves its targets alone
    shifted = [Teacher(t + rng.normal(size=(6, 1)).astype(np.float32)) for t in table]
    np.testing.assert_allclose(np.concatenate(ensemble_targets(shifted, rows, 2.0)), want, rtol=1e-4)
