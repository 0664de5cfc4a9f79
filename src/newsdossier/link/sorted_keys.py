"""Sorted key arrays with values alongside: what link's counters and caches keep (numpy arrays rather than
dicts: millions of pairs at 100k articles)."""

from __future__ import annotations

import numpy as np


def merge_sorted(keys: np.ndarray, values: np.ndarray, new_keys: np.ndarray, new_values: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Sorted ``new_keys`` put among sorted ``keys`` as ``np.insert`` at their ``searchsorted`` positions
    would (new before equal old), with their values; without ``np.insert``'s sort of the positions."""
    if not len(keys):
        return new_keys, new_values
    at = np.searchsorted(keys, new_keys) + np.arange(len(new_keys))
    is_new = np.zeros(len(keys) + len(new_keys), dtype=bool)
    is_new[at] = True
    out_keys, out_values = np.empty(len(is_new), dtype=keys.dtype), np.empty(len(is_new), dtype=values.dtype)
    out_keys[at], out_values[at] = new_keys, new_values
    out_keys[~is_new], out_values[~is_new] = keys, values
    return out_keys, out_values


def run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal neighbours in ``values`` starts (for sorted keys: each distinct key's first
    position)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))


def take(parts: list[np.ndarray]) -> np.ndarray:
    """The arrays of ``parts`` concatenated; the list is emptied, so each part is freed once copied."""
    out = np.concatenate(parts)
    parts.clear()
    return out


def first_of_equal(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` ascending, each with the value at its first occurrence (as ``np.unique``'s
    ``return_index`` picks it). Each copy is freed once used: pass arrays nothing else holds (at 100k
    articles these are millions of pairs, and ``np.unique`` holds several copies at once)."""
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    values = values[order]
    del order
    first = run_starts(keys)
    return keys[first], values[first]
