"""The attribution tagger's label scores for a whole article at once, with numpy (tagging only).

:func:`quote_features.featurize` defines the features (training uses it, one paragraph at a time, in
Python). :func:`emissions` builds the same features of all tokens of an article as a matrix of feature
indexes - one row per feature slot, in ``featurize``'s order, -1 where a token has none (the first word
of a paragraph has no previous word) or the model does not know it - and sums the weight rows slot by
slot. That is the order, and the float32 arithmetic, of ``featurize`` + the tagger's sparse product,
so the scores are the same to the bit (a -1 adds a zero row, which changes no sum).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Sentence
from .quote_features import Token, small_tables, word_features

# Columns of the per-word table: own features, as the previous word, as the next word, then one each.
_OWN, _PREV, _NEXT = slice(0, 5), slice(5, 8), slice(8, 11)
_TWO_BEFORE, _TWO_AFTER, _CUE_LEFT, _CUE_RIGHT, _STRONG = 11, 12, 13, 14, 15
_SLOTS = 27  # features a token can have (see ``featurize``)
_MAX_WORDS = 100_000  # as ``featurize``: the word cache is dropped when it grows past this


def _word_rows(texts: Sequence[str], cue_lex: Mapping[str, float], get,
               cache: dict) -> tuple[np.ndarray, Sequence[str], np.ndarray]:
    """Per token, its row in a table of the article's distinct words; their lower-cased forms; the table
    (one row of encoded word features per word, in the _OWN.. _STRONG columns)."""
    distinct = list(dict.fromkeys(texts))
    found = list(map(cache.get, distinct))
    if None in found:
        for i, x in enumerate(found):
            if x is None:
                f = word_features(distinct[i], cue_lex, get)
                found[i] = cache[distinct[i]] = (f[0], (*f[2], *f[3], *f[4], f[5], f[6], f[7], f[8], f[1]))
    index = {word: i for i, word in enumerate(distinct)}
    lowered, table = zip(*found)
    return (np.fromiter(map(index.__getitem__, texts), dtype=np.intp, count=len(texts)), lowered,
            np.array(table, dtype=np.intp))


def _bigrams(lowered: Sequence[str], get, cache: dict) -> np.ndarray:
    """Per pair of neighbouring tokens, the features (pair as seen from the second, from the first)."""
    pairs = list(zip(lowered, lowered[1:]))
    found = list(map(cache.get, pairs))
    for i, x in enumerate(found):
        if x is None:
            a, b = pairs[i]
            found[i] = cache[pairs[i]] = (get("w-1|w=" + a + "|" + b, -1), get("w|w+1=" + a + "|" + b, -1))
    return np.array(found, dtype=np.intp).reshape(-1, 2)


def _sentence_starts(starts: np.ndarray, ends: np.ndarray, first: np.ndarray,
                     sentences: Sequence[Sentence]) -> np.ndarray:
    """:func:`quote_features.sentence_starts` for all tokens: a paragraph's first token, or one with a
    sentence start between the end of the token before and its own start."""
    at = np.array([s.start for s in sentences], dtype=np.intp)
    if not len(at):
        return first.copy()
    previous_end = np.concatenate(([-1], ends[:-1]))
    k = np.searchsorted(at, previous_end, side="left")  # the first sentence start at or after it
    return first | ((k < len(at)) & (at[np.minimum(k, len(at) - 1)] <= starts))


def _segment_any(flags: np.ndarray, seg_starts: np.ndarray, seg: np.ndarray) -> np.ndarray:
    return (np.add.reduceat(flags.astype(np.intp), seg_starts) > 0)[seg]


@dataclass(frozen=True)
class TokenLayout:
    """Where each token of paragraphs laid end to end stands: paragraph edges, sentences, the nearest
    strong cue word on each side within its sentence (both taggers' features read it)."""

    first: np.ndarray  # opens its paragraph
    last: np.ndarray  # closes its paragraph
    sent: np.ndarray  # opens a sentence
    ins: np.ndarray  # inside a quotation
    seg: np.ndarray  # its sentence's number
    seg_starts: np.ndarray  # each sentence's first token
    idx: np.ndarray  # 0 .. n - 1
    before: np.ndarray  # the nearest strong cue word before it (-1: none)
    has_left: np.ndarray  # ... and in its sentence
    after: np.ndarray  # the nearest strong cue word after it (n: none)
    has_right: np.ndarray  # ... and in its sentence


def token_layout(starts: np.ndarray, ends: np.ndarray, sizes: Sequence[int], sentences: Sequence[Sentence],
                 inside: bytearray, strong: np.ndarray) -> TokenLayout:
    n = len(starts)
    sizes = np.array(sizes, dtype=np.intp)
    sizes = sizes[sizes > 0]
    first = np.zeros(n, dtype=bool)
    first[np.cumsum(sizes) - sizes] = True
    last = np.zeros(n, dtype=bool)
    last[np.cumsum(sizes) - 1] = True
    sent = _sentence_starts(starts, ends, first, sentences)
    ins = np.frombuffer(inside, dtype=np.uint8)[starts].astype(bool)
    seg = np.cumsum(sent) - 1
    seg_starts = np.flatnonzero(sent)
    seg_ends = np.append(seg_starts[1:], n)[seg]  # first token after each token's sentence
    idx = np.arange(n)
    before = np.maximum.accumulate(np.where(strong, idx, -1))
    before = np.concatenate(([-1], before[:-1]))
    after = np.minimum.accumulate(np.where(strong, idx, n)[::-1])[::-1]
    after = np.append(after[1:], n)
    return TokenLayout(first, last, sent, ins, seg, seg_starts, idx, before, before >= seg_starts[seg], after,
                       after < seg_ends)


def feature_matrix(tokens: Sequence[Token], sizes: Sequence[int], sentences: Sequence[Sentence],
                   inside: bytearray, cue_lex: Mapping[str, float], encode: Mapping[str, int], cache: dict,
                   pairs: dict) -> np.ndarray:
    """(_SLOTS, tokens) feature indexes of the tokens of all paragraphs end to end (``sizes`` of them in
    each), -1 where none. ``cache`` and ``pairs`` keep the encoded words and word pairs across calls: one
    of each per model."""
    get = encode.get
    for kept in (cache, pairs):
        if len(kept) > _MAX_WORDS:
            kept.clear()
    tables = cache.get(None)
    if tables is None:
        tables = cache[None] = small_tables(get)
    state, pstate, nstate, sc, sq, lb, rb, l_far, r_far, f_bos, f_bop, f_eop = tables
    n = len(tokens)
    out = np.full((_SLOTS, n), -1, dtype=np.intp)
    if not n:
        return out
    starts, ends, texts = zip(*tokens)
    starts, ends = np.array(starts, dtype=np.intp), np.array(ends, dtype=np.intp)
    rows, lowered, table = _word_rows(texts, cue_lex, get, cache)
    table = table[rows]
    lowered = list(map(lowered.__getitem__, rows.tolist()))
    strong = table[:, _STRONG].astype(bool)
    # Sentences: a cue word or a quotation anywhere in one counts for all its tokens; the nearest strong
    # cue word before / after each token in its sentence.
    lay = token_layout(starts, ends, sizes, sentences, inside, strong)
    first, last, sent, seg, seg_starts, idx = lay.first, lay.last, lay.sent, lay.seg, lay.seg_starts, lay.idx
    before, has_left, after, has_right = lay.before, lay.has_left, lay.after, lay.has_right
    ins = lay.ins.astype(np.intp)
    left = np.where(has_left, idx - before, 0)
    right = np.where(has_right, after - idx, 0)
    # lb / rb by distance: 1..12 their own, farther the "far" one, none the None one
    by_left = np.array([lb[d] for d in range(13)] + [l_far, lb[None]], dtype=np.intp)
    by_right = np.array([rb[d] for d in range(13)] + [r_far, rb[None]], dtype=np.intp)
    out[0:5] = table[:, _OWN].T
    out[5] = np.array(state, dtype=np.intp)[ins]
    out[6] = by_left[np.where(has_left, np.minimum(left, 13), 14)]
    out[7] = by_right[np.where(has_right, np.minimum(right, 13), 14)]
    out[8] = np.array(sc, dtype=np.intp)[_segment_any(strong, seg_starts, seg).astype(np.intp)]
    out[9] = np.array(sq, dtype=np.intp)[_segment_any(ins == 1, seg_starts, seg).astype(np.intp)]
    out[10, sent] = f_bos
    out[11, first] = f_bop
    out[12, last] = f_eop
    has_prev, has_next = ~first, ~last
    prev_i, next_i = np.flatnonzero(has_prev), np.flatnonzero(has_next)
    out[13:16, prev_i] = table[prev_i - 1, _PREV].T
    out[16, prev_i] = np.array(pstate, dtype=np.intp)[ins[prev_i - 1]]
    bigrams = _bigrams(lowered, get, pairs)  # row i: tokens i and i + 1
    out[17, prev_i] = bigrams[prev_i - 1, 0]
    two_back = np.flatnonzero(has_prev & np.concatenate(([False], has_prev[:-1])))
    out[18, two_back] = table[two_back - 2, _TWO_BEFORE]
    out[19:22, next_i] = table[next_i + 1, _NEXT].T
    out[22, next_i] = np.array(nstate, dtype=np.intp)[ins[next_i + 1]]
    out[23, next_i] = bigrams[next_i, 1]
    two_on = np.flatnonzero(has_next & np.append(has_next[1:], False))
    out[24, two_on] = table[two_on + 2, _TWO_AFTER]
    out[25, has_left] = table[before[has_left], _CUE_LEFT]
    out[26, has_right] = table[after[has_right], _CUE_RIGHT]
    return out


def padded_weights(weights: np.ndarray) -> np.ndarray:
    """The tagger's weights with a row of zeros appended: the row index -1 reads."""
    return np.vstack([weights, np.zeros((1, weights.shape[1]), dtype=weights.dtype)])


def emissions(features: np.ndarray, padded: np.ndarray) -> np.ndarray:
    """Per token, the label scores: the weight rows of its features (``padded``: see :func:`padded_weights`)
    added one slot after another."""
    rows = padded[features]  # (slots, tokens, labels): one gather, then the sums in slot order
    scores = rows[0].copy()
    for slot in rows[1:]:
        scores += slot
    return scores
