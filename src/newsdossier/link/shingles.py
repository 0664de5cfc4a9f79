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
    found = [w for s, e in (spans or [(0, len(text))]) for w in map(str.lower, _WORD.findall(text, s, e))]
    get = _word_cache.get
    hashes = [get(w) for w in found]
    if None in hashes:
        hashes = [h if h is not None else _hash_new(w) for h, w in zip(hashes, found)]
    return np.array(hashes, dtype=np.uint64)


def word_positions(text: str, spans: Sequence[tuple[int, int]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Char starts and ends of the words :func:`word_hashes` counts (the same tokens, in order)."""
    found = [m.span() for s, e in (spans or [(0, len(text))]) for m in _WORD.finditer(text, s, e)]
    arr = np.array(found, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


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
