"""Word shingles as 64-bit integers, vectorised: what duplicate detection and reuse search compare.

A word's number is a hash of the word itself (not its position in some vocabulary), so the same text
gives the same shingles whatever other articles are in the batch: a duplicate or a reused passage found
in one run is found again when articles are added.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+")
_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd: a rolling polynomial over words, wrapping at 2**64
_word_cache: dict[str, int] = {}


def _hash_new(w: str) -> int:
    if len(_word_cache) > 2_000_000:
        _word_cache.clear()
    h = _word_cache[w] = int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
    return h


def word_hashes(text: str, spans: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
    """A hash per lower-cased word of ``text`` (inside ``spans`` if given), in text order."""
    spans = spans or [(0, len(text))]
    lowered = text.lower()
    if len(lowered) == len(text) and "\u03a3" not in text:
        # every character lowered to one character (which is \w exactly when the original is) and no
        # capital sigma (the one letter str.lower() lowers by context): the words of the lowered text
        # are the lowered words, found in one pass instead of a lower() per word
        found = [w for s, e in spans for w in _WORD.findall(lowered, s, e)]
    else:
        found = [w for s, e in spans for w in map(str.lower, _WORD.findall(text, s, e))]
    get = _word_cache.get
    hashes = list(map(get, found))
    if None in hashes:
        hashes = [h if h is not None else _hash_new(w) for h, w in zip(hashes, found)]
    return np.array(hashes, dtype=np.uint64)


def _word_table() -> np.ndarray:
    """Whether each Basic Multilingual Plane code point is a ``\\w`` character (``re``'s rule for str:
    ``isalnum()`` or ``_``)."""
    table = np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)
    table[ord("_")] = True
    return table


_IS_WORD = _word_table()


def word_positions(text: str, spans: Sequence[tuple[int, int]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Char starts and ends of the words :func:`word_hashes` counts (the same tokens, in order).

    From a table of word characters over the whole text at once, not a regex match object per word
    (this runs for every article that shares a passage)."""
    code = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    wide = code > 0xFFFF
    is_word = _IS_WORD[np.where(wide, 0, code)]
    if wide.any():
        is_word[wide] = [text[i].isalnum() for i in np.flatnonzero(wide).tolist()]
    starts, ends = [], []
    for s, e in spans or [(0, len(text))]:
        edges = np.diff(np.concatenate(([False], is_word[s:e], [False])).view(np.int8))
        starts.append(np.flatnonzero(edges == 1) + s)
        ends.append(np.flatnonzero(edges == -1) + s)
    if not starts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(starts).astype(np.int64), np.concatenate(ends).astype(np.int64)


def shingles(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """The hash of each run of ``k`` consecutive words, in text order (len(words) - k + 1 of them)."""
    n = len(word_hashes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            out = out * _MULT + word_hashes[i : i + n]
        out ^= out >> np.uint64(29)
    return out
