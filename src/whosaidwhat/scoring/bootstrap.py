"""Uncertainty and significance from per-document counts, as matrix products.

* Confidence intervals: document-level bootstrap. Each resample draws as many documents as the
  split has, with replacement; its counts are `weights @ counts`, where `weights[b, d]` says how
  often document d was drawn. The interval is the percentile interval of the metric over the
  resamples (NaN resamples, where a metric is undefined, are left out).
* Paired bootstrap (`wsw compare`): the same resamples for both systems; the two-sided p-value
  is the share of resampled differences at least as far from the observed difference as the
  observed difference is from 0, (1 + count) / (1 + resamples).
* Approximate randomization: each round swaps the two systems' counts on a random half of the
  documents; p = (1 + rounds with |difference| >= observed) / (1 + rounds).

Random numbers come from numpy's PCG64 seeded with the given seed, drawn in a fixed order, so
the same inputs and seed give the same intervals and p-values on any machine.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

#: at most this many weights (float64: 40 MB) are held at once. Each block of resamples costs one pass of BLAS over the
#: counts, so blocks of 5 resamples (an earlier 500,000 budget at 100,000 documents) made the product memory-bound;
#: blocks of 50 are 2.4x faster with the same draws.
WEIGHT_BLOCK = 5_000_000


def _chunks(total: int, n_docs: int, budget: int) -> Iterator[tuple[int, int]]:
    rows = max(1, budget // max(n_docs, 1))
    for start in range(0, total, rows):
        yield start, min(rows, total - start)


def bootstrap_sums(values: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """Column sums of `resamples` document-level bootstrap resamples of `values` (docs x counts).

    The draws are one stream of `integers(0, n_docs)` per resample in resample order, so the result does not depend on
    how the work is blocked (int32 draws give the same stream as int64 ones, and are cheaper).
    """
    n_docs, n_cols = values.shape
    out = np.zeros((resamples, n_cols))
    if n_docs == 0 or resamples == 0:
        return out
    rng = np.random.default_rng(seed)
    used = np.flatnonzero(values.any(axis=0))  # an all-zero column sums to zero in every resample
    columns = np.empty((len(used), n_docs))  # counts x docs: a good shape for BLAS; filled without a copy of `values`
    for k, column in enumerate(used):
        columns[k] = values[:, column]
    draw_type = np.int32 if n_docs < 2**31 else np.int64
    block = max(1, min(resamples, WEIGHT_BLOCK // n_docs))
    weights = np.empty((block, n_docs))
    for start, rows in _chunks(resamples, n_docs, WEIGHT_BLOCK):
        for r in range(rows):  # one draw and one histogram per resample: both stay in cache, unlike one big scatter
            weights[r] = np.bincount(rng.integers(0, n_docs, size=n_docs, dtype=draw_type), minlength=n_docs)
        out[start:start + rows, used] = (columns @ weights[:rows].T).T
    return out


def randomization_sums(a: np.ndarray, b: np.ndarray, rounds: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Column sums of both systems after swapping their rows on a random half of the documents, per round."""
    n_docs, n_cols = a.shape
    diff = (b - a).astype(np.float64)
    total_a, total_b = a.sum(axis=0).astype(np.float64), b.sum(axis=0).astype(np.float64)
    out_a, out_b = np.zeros((rounds, n_cols)), np.zeros((rounds, n_cols))
    if n_docs == 0 or rounds == 0:
        out_a[:], out_b[:] = total_a, total_b
        return out_a, out_b
    rng = np.random.default_rng(seed)
    for start, rows in _chunks(rounds, n_docs, WEIGHT_BLOCK):
        swap = rng.integers(0, 2, size=(rows, n_docs)).astype(np.float64)
        moved = swap @ diff
        out_a[start:start + rows] = total_a + moved
        out_b[start:start + rows] = total_b - moved
    return out_a, out_b


@dataclass(frozen=True)
class Interval:
    low: float | None
    high: float | None
    defined: int  # resamples in which the metric was defined


def percentile_interval(samples: np.ndarray, confidence: float) -> Interval:
    """Percentile bootstrap interval of one metric's resampled values (NaN ignored)."""
    finite = samples[~np.isnan(samples)]
    if finite.size == 0:
        return Interval(None, None, 0)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Interval(float(low), float(high), int(finite.size))


def intervals(metric_fn: Callable[[dict], dict], names: tuple[str, ...], values: np.ndarray, resamples: int, seed: int,
              confidence: float) -> dict[str, Interval]:
    """Bootstrap interval of every metric that `metric_fn` computes from column sums."""
    sums = bootstrap_sums(values, resamples, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        samples = metric_fn({name: sums[:, k] for k, name in enumerate(names)})
        metric_names = list(samples)
        matrix = np.stack([np.broadcast_to(samples[n], (resamples,)) for n in metric_names], axis=1)
        tail = (1.0 - confidence) / 2 * 100
        bounds = np.nanpercentile(matrix, [tail, 100 - tail], axis=0)
    defined = (~np.isnan(matrix)).sum(axis=0)
    return {name: Interval(None, None, 0) if defined[k] == 0 else
            Interval(float(bounds[0, k]), float(bounds[1, k]), int(defined[k])) for k, name in enumerate(metric_names)}


@dataclass(frozen=True)
class PairedTest:
    a: float | None
    b: float | None
    delta: float | None
    delta_low: float | None
    delta_high: float | None
    p_bootstrap: float | None
    p_randomization: float | None


def _p_value(extreme: np.ndarray, defined: np.ndarray) -> float | None:
    n = int(defined.sum())
    return None if n == 0 else (1 + int((extreme & defined).sum())) / (1 + n)


def paired_tests(metric_fn: Callable[[dict], dict], names: tuple[str, ...], a: np.ndarray, b: np.ndarray,
                 resamples: int, seed: int, confidence: float, methods: tuple[str, ...]) -> dict[str, PairedTest]:
    """Paired bootstrap and/or approximate randomization for every metric, system A minus system B."""
    def metrics_of(sums: np.ndarray) -> dict[str, np.ndarray]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return metric_fn({name: sums[..., k] for k, name in enumerate(names)})

    point_a, point_b = metrics_of(a.sum(axis=0).astype(np.float64)), metrics_of(b.sum(axis=0).astype(np.float64))
    boot_a: dict[str, np.ndarray] | None = None
    boot_b: dict[str, np.ndarray] = {}
    rand_a: dict[str, np.ndarray] | None = None
    rand_b: dict[str, np.ndarray] = {}
    if "bootstrap" in methods:
        both = bootstrap_sums(np.concatenate([a, b], axis=1), resamples, seed)
        boot_a, boot_b = metrics_of(both[:, :a.shape[1]]), metrics_of(both[:, a.shape[1]:])
    if "randomization" in methods:
        ra, rb = randomization_sums(a, b, resamples, seed + 1)
        rand_a, rand_b = metrics_of(ra), metrics_of(rb)
    tolerance = 1e-12
    out = {}
    for name in point_a:
        va, vb = float(point_a[name]), float(point_b[name])
        delta = va - vb
        if np.isnan(delta):
            out[name] = PairedTest(_none(va), _none(vb), None, None, None, None, None)
            continue
        low = high = p_boot = p_rand = None
        if boot_a is not None:
            d = np.broadcast_to(boot_a[name] - boot_b[name], (resamples,))
            defined = ~np.isnan(d)
            ci = percentile_interval(d, confidence)
            low, high = ci.low, ci.high
            p_boot = _p_value(np.abs(d - delta) >= abs(delta) - tolerance, defined)
        if rand_a is not None:
            d = np.broadcast_to(rand_a[name] - rand_b[name], (resamples,))
            p_rand = _p_value(np.abs(d) >= abs(delta) - tolerance, ~np.isnan(d))
        out[name] = PairedTest(va, vb, delta, low, high, p_boot, p_rand)
    return out


def _none(x: float) -> float | None:
    return None if np.isnan(x) else x
