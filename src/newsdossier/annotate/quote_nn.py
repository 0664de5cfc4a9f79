"""A small BiLSTM giving the attribution tagger's label scores (Source / Cue / Content, BIO), in numpy.

The network reads, per token, a frozen static word vector (the subjectivity model's 64-dimensional
vectors, distilled from all-MiniLM-L6-v2), a trained embedding of frequent lower-cased words and dense
hand features (inside a quotation, shape, punctuation, learned cue strength, sentence and paragraph
edges, distance to the nearest strong cue word in the sentence); one BiLSTM layer over each paragraph
and a linear layer give the per-label scores, which a CRF's transitions decode (Viterbi, as the
hand-feature tagger does). Trained with torch by ``scripts/train_quotes_nn.py`` (a training-time extra);
here the forward pass runs in numpy from ``nn.npz`` + ``nn.json``: no torch and no pickle at run time.

All paragraphs of an article run as one batch, both directions at once (stacked as a leading axis of
2), longest first, so step t touches only the rows still running.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ..model import Sentence
from .quote_features import Token, word_shape

# Dense hand features per token, in this order.
_PUNCT = (",", ".", ":", ";", '"', "“", "”", "'", "(", ")", "-", "—", "?")
_SHAPES = ("d", "Xx", "X", "x", "o")
DENSE = (["in", "vec"] + ["sh=" + s for s in _SHAPES] + ["p=" + p for p in _PUNCT]
         + ["cue", "strong", "cue=hi", "cue=mid", "cue=lo", "bos", "bop", "eop", "sent_cue", "sent_quote"]
         + ["L=" + b for b in ("none", "1", "2", "3", "4-6", "7-12", "far")]
         + ["R=" + b for b in ("none", "1", "2", "3", "4-6", "7-12", "far")])
_N_WORD_DENSE = 2 + len(_SHAPES) + len(_PUNCT) + 5  # the per-word part: vec .. cue=lo (column "in" stays 0)


def _shape(w: str) -> str:
    """The hand-feature tagger's word shape, anything but a word or number being "o"."""
    shape = word_shape(w)
    return shape if shape in _SHAPES else "o"


def _bucket_index(d: np.ndarray, has: np.ndarray) -> np.ndarray:
    """0 none, 1..3 themselves, 4 for 4-6, 5 for 7-12, 6 farther."""
    b = np.where(d <= 3, d, np.where(d <= 6, 4, np.where(d <= 12, 5, 6)))
    return np.where(has, b, 0)


# Distinct words whose inputs (and, in the tagger, input-gate rows: 2 KB each) are kept between
# articles; past it all are dropped and made again as they come. A long run meets far more words than
# this: at 100,000 the gate table alone held ~256 MB in every pool worker; the words that recur are
# few, so they are soon made again.
MAX_WORDS = 20_000


class Inputs:
    """What the network needs to read words: the frozen vectors' index, the trained vocabulary, the cue
    lexicon; per distinct word a cached (vector row, vocabulary id, dense part) triple."""

    def __init__(self, vec_index: Mapping[str, int], vocab: Mapping[str, int], cue_lex: Mapping[str, float]):
        self.vec_index = vec_index
        self.vocab = vocab
        self.cue_lex = cue_lex
        self.n_vec = len(vec_index)  # row of the zero vector for unknown words
        self.cache: dict[str, tuple[int, int, tuple]] = {}
        self.rows: dict[str, int] = {}
        self.generation = 0

    def word(self, text: str) -> tuple[int, int, tuple]:
        got = self.cache.get(text)
        if got is not None:
            return got
        w = text.lower()
        v = self.vec_index.get(w, self.n_vec)
        c = self.cue_lex.get(w, 0.0)
        sh = _shape(text)
        dense = (0.0, float(v < self.n_vec), *(float(sh == s) for s in _SHAPES),
                 *(float(text == p) for p in _PUNCT),
                 c, float(c >= 0.25), float(c >= 0.5), float(0.2 <= c < 0.5), float(0.05 <= c < 0.2))
        got = (v, self.vocab.get(w, 0), dense)
        if len(self.cache) > MAX_WORDS:
            self.cache.clear()
        self.cache[text] = got
        return got

    def encode(self, tokens: Sequence[Token], sizes: Sequence[int], sentences: Sequence[Sentence],
               inside: bytearray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vector rows, vocabulary ids, dense features (tokens x len(DENSE))) of all tokens end to end."""
        n = len(tokens)
        dense = np.zeros((n, len(DENSE)), dtype=np.float32)
        if not n:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), dense
        vrow, wid, dense_w = zip(*map(self.word, [t.text for t in tokens]))
        dense[:, :_N_WORD_DENSE] = dense_w
        _token_features(tokens, sizes, sentences, inside, dense[:, _N_WORD_DENSE - 4] > 0, dense)
        return np.array(vrow, dtype=np.intp), np.array(wid, dtype=np.intp), dense

    def word_rows(self, texts: Sequence[str]) -> np.ndarray:
        """Per token, its row in ``self.rows`` (the words in the order first seen: text -> row), which
        grows as new words come; :meth:`word` gives each row's inputs."""
        rows = self.rows
        if len(rows) > MAX_WORDS:
            rows.clear()
            self.generation += 1
        get = rows.get
        found = list(map(get, texts))
        if None in found:
            for i, x in enumerate(found):
                if x is None:
                    x = rows.get(texts[i])
                    if x is None:
                        x = rows[texts[i]] = len(rows)
                    found[i] = x
        return np.array(found, dtype=np.intp)


# The per-token columns of DENSE (the others belong to the word wherever it stands).
TOKEN_COLUMNS = np.array([0, *range(_N_WORD_DENSE, len(DENSE))])
WORD_COLUMNS = np.arange(1, _N_WORD_DENSE)


def _token_features(tokens: Sequence[Token], sizes: Sequence[int], sentences: Sequence[Sentence],
                    inside: bytearray, strong: np.ndarray, dense: np.ndarray) -> None:
    """Fill the per-token columns of ``dense`` (inside a quotation, sentence and paragraph edges, the
    sentence's cue word and quotation, the distance buckets to the nearest strong cue word)."""
    from .quote_encode import _segment_any, token_layout

    n = len(tokens)
    starts = np.fromiter((t.start for t in tokens), dtype=np.intp, count=n)
    ends = np.fromiter((t.end for t in tokens), dtype=np.intp, count=n)
    lay = token_layout(starts, ends, sizes, sentences, inside, strong)
    idx = lay.idx
    k = _N_WORD_DENSE
    dense[:, 0] = lay.ins
    dense[:, k] = lay.sent
    dense[:, k + 1] = lay.first
    dense[:, k + 2] = lay.last
    dense[:, k + 3] = _segment_any(strong, lay.seg_starts, lay.seg)
    dense[:, k + 4] = _segment_any(lay.ins, lay.seg_starts, lay.seg)
    dense[idx, k + 5 + _bucket_index(idx - lay.before, lay.has_left)] = 1.0
    dense[idx, k + 12 + _bucket_index(lay.after - idx, lay.has_right)] = 1.0


class BiLSTM:
    """The network's weights (numpy) and its forward pass.

    ``vectors`` (words + 1 zero row, 64) frozen; ``embed`` (vocabulary, E) with row 0 for unknown words;
    ``w_in`` (64 + E + len(DENSE), 2, 4H) and ``b_in`` (2, 4H): input to gates of both directions;
    ``w_hh`` (2, H, 4H): hidden to gates; ``w_out`` (2H, labels), ``b_out``. Gate order i, f, o, g with
    the i, f, o columns pre-scaled by 1/2, so that one tanh serves all gates (sigmoid(x) = (1 +
    tanh(x / 2)) / 2)."""

    def __init__(self, arrays: Mapping[str, np.ndarray]):
        self.vectors = np.ascontiguousarray(arrays["vectors"], dtype=np.float32)
        self.embed = np.ascontiguousarray(arrays["embed"], dtype=np.float32)
        self.w_in = np.ascontiguousarray(arrays["w_in"], dtype=np.float32)
        self.b_in = np.ascontiguousarray(arrays["b_in"], dtype=np.float32)
        self.w_hh = np.ascontiguousarray(arrays["w_hh"], dtype=np.float32)
        self.w_out = np.ascontiguousarray(arrays["w_out"], dtype=np.float32)
        self.b_out = np.ascontiguousarray(arrays["b_out"], dtype=np.float32)
        self.hidden = self.w_hh.shape[1]

    def scores(self, vrow: np.ndarray, wid: np.ndarray, dense: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """Per token (end to end, ``lengths`` per sequence) the label scores."""
        n = len(vrow)
        H = self.hidden
        L = self.w_out.shape[1]
        if not n:
            return np.zeros((0, L), dtype=np.float32)
        x = np.concatenate([self.vectors[vrow], self.embed[wid], dense], axis=1)
        gates_in = (x @ self.w_in.reshape(x.shape[1], -1)).reshape(n, 2, 4 * H) + self.b_in
        return self.recur(gates_in, lengths)

    def word_gates(self, vrow: np.ndarray, wid: np.ndarray, dense_words: np.ndarray) -> np.ndarray:
        """The words' part of the input gates (words x 8H): vector, embedding, per-word dense columns."""
        E = self.embed.shape[1]
        V = self.vectors.shape[1]
        w = self.w_in.reshape(self.w_in.shape[0], -1)
        x = np.concatenate([self.vectors[vrow], self.embed[wid], dense_words[:, WORD_COLUMNS]], axis=1)
        return x @ np.concatenate([w[: V + E], w[V + E + WORD_COLUMNS]])

    def token_weights(self) -> np.ndarray:
        """The rows of the input weights for the per-token dense columns (columns x 8H)."""
        V, E = self.vectors.shape[1], self.embed.shape[1]
        return np.ascontiguousarray(self.w_in.reshape(self.w_in.shape[0], -1)[V + E + TOKEN_COLUMNS])

    def recur(self, gates_in: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """The label scores from the input gates of all tokens end to end ((tokens, 2, 4H), bias included)."""
        n = len(gates_in)
        H = self.hidden
        lengths = np.asarray(lengths, dtype=np.intp)
        order = np.argsort(-lengths, kind="stable")
        lens = lengths[order]
        lens = lens[lens > 0]
        order = order[: len(lens)]
        B, T = len(lens), int(lens[0])
        offsets = np.concatenate(([0], np.cumsum(lengths)))[order]
        t = np.arange(T)
        valid = t[:, None] < lens[None, :]  # (T, B)
        fwd = np.where(valid, offsets[None, :] + t[:, None], n)  # token at step t, forward
        bwd = np.where(valid, offsets[None, :] + lens[None, :] - 1 - t[:, None], n)
        padded = np.concatenate([gates_in, np.zeros((1, 2, 4 * H), dtype=np.float32)])
        steps = np.empty((T, 2, B, 4 * H), dtype=np.float32)
        steps[:, 0] = padded[fwd, 0]
        steps[:, 1] = padded[bwd, 1]
        live = valid.sum(axis=1).tolist()
        # out[s] holds the hidden states after step s; out[T] (never written) is the zero state before
        # step 0
        out = np.zeros((T + 1, 2, B, H), dtype=np.float32)
        c = np.zeros((2, B, H), dtype=np.float32)
        g = np.empty((2, B, 4 * H), dtype=np.float32)
        tc = np.empty((2, B, H), dtype=np.float32)
        tmp = np.empty((2, B, H), dtype=np.float32)
        w_hh = self.w_hh
        H2, H3 = 2 * H, 3 * H
        views: dict[int, tuple] = {}  # the buffers' slices for m running rows, made once per m
        h = out[T][:, : live[0]]
        for s in range(T):
            m = live[s]
            v = views.get(m)
            if v is None:
                gm = g[:, :m]
                v = views[m] = (gm, gm[:, :, :H3], gm[:, :, :H], gm[:, :, H:H2], gm[:, :, H2:H3], gm[:, :, H3:],
                                c[:, :m], tc[:, :m], tmp[:, :m])
            gm, sig, ig, fg, og, gg, cm, tm, pm = v
            if h.shape[1] != m:
                h = h[:, :m]
            np.matmul(h, w_hh, gm)
            gm += steps[s, :, :m]
            np.tanh(gm, gm)
            sig *= 0.5
            sig += 0.5
            cm *= fg
            np.multiply(ig, gg, pm)
            cm += pm
            np.tanh(cm, tm)
            h = out[s, :, :m]
            np.multiply(og, tm, h)
        out = out[:T]
        feats = np.empty((n + 1, 2 * H), dtype=np.float32)
        feats[fwd[valid], :H] = out[:, 0][valid]
        feats[bwd[valid], H:] = out[:, 1][valid]
        return feats[:n] @ self.w_out + self.b_out


class NeuralQuoteTagger:
    """Labels, CRF transitions, cue lexicon, vocabularies and the :class:`BiLSTM`; ``decode`` is the
    hand-feature tagger's Viterbi."""

    def __init__(self, labels: Sequence[str], transitions: np.ndarray, cue_lexicon: Mapping[str, float],
                 vec_vocab: Sequence[str], vocab: Sequence[str], net: BiLSTM, params: dict | None = None):
        self.labels_ = list(labels)
        self.transitions_ = np.asarray(transitions, dtype=np.float32)
        self.cue_lexicon_ = dict(cue_lexicon)
        self.vec_vocab = list(vec_vocab)
        self.vocab = list(vocab)
        self.net = net
        self.params = dict(params or {})
        self.source_bias = float(self.params.get("source_bias", 0.0))  # added to the Source labels' scores
        self.inputs = Inputs({w: i for i, w in enumerate(self.vec_vocab)},
                             {w: i + 1 for i, w in enumerate(self.vocab)}, self.cue_lexicon_)
        # the words' part of the input gates, one row per row of ``inputs.rows``, filled as words come
        self._table = np.zeros((0, 8 * net.hidden), dtype=np.float32)
        self._strong = np.zeros(0, dtype=bool)
        self._filled, self._table_generation = 0, 0
        self._token_weights = net.token_weights()

    def decode(self, emissions: np.ndarray, lengths: Sequence[int]) -> list[list[str]]:
        from .quote_tagger import QuoteTagger

        return QuoteTagger.decode(self, emissions, lengths)

    def article_scores(self, tokens: Sequence[Token], sizes: Sequence[int], sentences: Sequence[Sentence],
                       inside: bytearray) -> np.ndarray:
        n = len(tokens)
        net, inputs = self.net, self.inputs
        if not n:
            return np.zeros((0, len(self.labels_)), dtype=np.float32)
        texts = [t.text for t in tokens]
        rows = inputs.word_rows(texts)
        if self._table_generation != inputs.generation:  # the words were dropped: so are their rows
            self._filled, self._table_generation = 0, inputs.generation
            self._table = np.zeros((0, self._table.shape[1]), dtype=np.float32)
            self._strong = np.zeros(0, dtype=bool)
        if len(inputs.rows) > self._filled:  # words not seen before: their part of the gates, once
            new = list(inputs.rows)[self._filled :]
            vrow, wid, dense_w = zip(*map(inputs.word, new))
            dense = np.zeros((len(new), len(DENSE)), dtype=np.float32)
            dense[:, :_N_WORD_DENSE] = dense_w
            gates = net.word_gates(np.array(vrow, dtype=np.intp), np.array(wid, dtype=np.intp), dense)
            need = self._filled + len(new)
            if need > len(self._table):
                size = max(need, min(2 * len(self._table), MAX_WORDS + 2048), 1024)
                table = np.empty((size, gates.shape[1]), dtype=np.float32)
                table[: self._filled] = self._table[: self._filled]
                strong = np.zeros(size, dtype=bool)
                strong[: self._filled] = self._strong[: self._filled]
                self._table, self._strong = table, strong
            self._table[self._filled : need] = gates
            self._strong[self._filled : need] = dense[:, _N_WORD_DENSE - 4] > 0
            self._filled = need
        dense = np.zeros((n, len(DENSE)), dtype=np.float32)
        _token_features(tokens, sizes, sentences, inside, self._strong[rows], dense)
        gates_in = self._table[rows]
        gates_in += dense[:, TOKEN_COLUMNS] @ self._token_weights
        gates_in = gates_in.reshape(n, 2, -1)
        gates_in += net.b_in
        return net.recur(gates_in, sizes)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"labels": self.labels_, "transitions": self.transitions_.round(5).tolist(),
                "params": self.params, "dense": DENSE,
                "cue_lexicon": {k: round(v, 4) for k, v in sorted(self.cue_lexicon_.items())},
                "vocab": self.vocab}
        (folder / "nn.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        net = self.net
        np.savez_compressed(folder / "nn.npz", vec_vocab=np.array(self.vec_vocab),
                            vectors=net.vectors[:-1].astype(np.float16), embed=net.embed, w_in=net.w_in,
                            b_in=net.b_in, w_hh=net.w_hh, w_out=net.w_out, b_out=net.b_out)

    @classmethod
    def load(cls, folder: Path) -> NeuralQuoteTagger:
        meta = json.loads((folder / "nn.json").read_text(encoding="utf-8"))
        if meta.get("dense") != DENSE:
            raise ValueError(f"{folder}: the model's dense features differ from this code's")
        with np.load(folder / "nn.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        vectors = np.vstack([arrays["vectors"].astype(np.float32), np.zeros((1, arrays["vectors"].shape[1]),
                                                                            dtype=np.float32)])
        arrays["vectors"] = vectors
        net = BiLSTM(arrays)
        return cls(meta["labels"], np.asarray(meta["transitions"]), meta["cue_lexicon"],
                   [str(w) for w in arrays["vec_vocab"]], meta["vocab"], net, meta["params"])
