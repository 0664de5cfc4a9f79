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
