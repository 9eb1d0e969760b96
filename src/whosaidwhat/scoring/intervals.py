"""Vectorised interval arithmetic on columnar spans: canonical order and all overlapping pairs.

Spans are half-open code-point intervals [start, end) with start < end, grouped (by document,
or by document and type). Everything here is numpy over whole columns: no Python loop runs per
span, and finding overlaps costs O(n log n + number of overlapping pairs), not O(n²) per group.
"""

from __future__ import annotations

import numpy as np

#: offsets and group ids are packed as (group << OFFSET_BITS) | offset into one int64 sort key
OFFSET_BITS = 32
_MAX_OFFSET = (1 << OFFSET_BITS) - 1
_MAX_GROUP = (1 << (63 - OFFSET_BITS)) - 1


def canonical_order(*keys: np.ndarray) -> np.ndarray:
    """Permutation that sorts rows by `keys` (first key most significant); keys are non-negative ints.

    Packs the keys into one int64 when their bit widths fit (one fast argsort), else falls back
    to `np.lexsort`; both give the same order up to ties between identical rows.
    """
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    widths = [max(int(k.max()), 0).bit_length() or 1 for k in keys]
    if sum(widths) <= 63:
        packed = np.zeros(n, dtype=np.int64)
        for key, width in zip(keys, widths):
            packed <<= width
            packed |= key.astype(np.int64, copy=False)
        return np.argsort(packed, kind="stable")  # timsort: fast on the mostly sorted columns of a corpus
    return np.lexsort(tuple(reversed(keys)))


def ranks(order: np.ndarray) -> np.ndarray:
    """Inverse permutation: the position of each row in `order`."""
    out = np.empty(len(order), dtype=np.int64)
    out[order] = np.arange(len(order), dtype=np.int64)
    return out


def _key(group: np.ndarray, offset: np.ndarray) -> np.ndarray:
    return (group.astype(np.int64) << OFFSET_BITS) | offset.astype(np.int64)


def check_limits(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
    """Refuse inputs that do not fit the packed sort keys (texts of 4 billion code points)."""
    if len(start) and (int(end.max()) > _MAX_OFFSET or int(start.min()) < 0):
        raise ValueError(f"offsets must lie in [0, {_MAX_OFFSET}]")
    if len(group) and (int(group.max()) > _MAX_GROUP or int(group.min()) < 0):
        raise ValueError(f"group ids must lie in [0, {_MAX_GROUP}]")


def expand_ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For query i and every t in [lo[i], hi[i]), yield the pair (i, t), as two flat arrays."""
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    query = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    target = np.arange(total, dtype=np.int64) - np.repeat(first - lo, counts)
    return query, target


def overlapping_pairs(a_group: np.ndarray, a_start: np.ndarray, a_end: np.ndarray,
                      b_group: np.ndarray, b_start: np.ndarray, b_end: np.ndarray,
                      a_order: np.ndarray | None = None, b_order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs (i, j) where a[i] and b[j] are in the same group and share a code point.

    Two disjoint cases cover every overlapping pair exactly once: b starts inside a
    (a.start <= b.start < a.end), or a starts strictly inside b (b.start < a.start < b.end).
    Each case is a contiguous range of a start-sorted array, found with `searchsorted`.
    `a_order`/`b_order`, if given, must sort their side by (group, start) (a canonical order does).
    """
    check_limits(a_group, a_start, a_end)
    check_limits(b_group, b_start, b_end)
    oa = np.argsort(_key(a_group, a_start), kind="stable") if a_order is None else a_order
    ob = np.argsort(_key(b_group, b_start), kind="stable") if b_order is None else b_order
    ka = _key(a_group[oa], a_start[oa])
    kb = _key(b_group[ob], b_start[ob])
    # case 1: b.start in [a.start, a.end)
    lo = np.searchsorted(kb, ka, side="left")
    hi = np.searchsorted(kb, _key(a_group[oa], a_end[oa]), side="left")
    q1, t1 = expand_ranges(lo, hi)
    # case 2: a.start in (b.start, b.end)
    lo = np.searchsorted(ka, kb, side="right")
    hi = np.searchsorted(ka, _key(b_group[ob], b_end[ob]), side="left")
    q2, t2 = expand_ranges(lo, hi)
    i = np.concatenate([oa[q1], oa[t2]])
    j = np.concatenate([ob[t1], ob[q2]])
    return i, j


def intersection(a_start, a_end, b_start, b_end) -> np.ndarray:
    """Number of shared code points of paired intervals (0 when disjoint)."""
    return np.maximum(np.minimum(a_end, b_end) - np.maximum(a_start, b_start), 0)
