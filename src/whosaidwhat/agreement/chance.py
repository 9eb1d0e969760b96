"""Chance-corrected agreement on nominal labels: Cohen's kappa for two coders, Krippendorff's alpha for any number.

Pure functions over plain lists. Definitions (with sources) are in eval/METRICS.md, section
"Inter-annotator agreement"; alpha is checked against the `krippendorff` package in the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of (label by coder 1, label by coder 2) pairs; None when undefined (no pairs, or p_e = 1)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def _coincidences(units: Sequence[Sequence[Hashable | None]]) -> dict[tuple[Hashable, Hashable], float]:
    """The coincidence matrix of the pairable units (two labels or more), as {(c, k): weight}."""
    coincidence: dict[tuple[Hashable, Hashable], float] = {}
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    coincidence[(c, k)] = coincidence.get((c, k), 0.0) + pairs / (m - 1)
    return coincidence


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha (nominal) of units, each the labels its coders gave (None = not coded).

    Units with fewer than two labels are not pairable and are left out, as in Krippendorff (2011).
    None when undefined (fewer than two pairable values, or one label only).
    """
    coincidence = _coincidences(units)
    n = sum(coincidence.values())
    if n <= 1:
        return None
    marginal: dict[Hashable, float] = {}
    for (c, _), value in coincidence.items():
        marginal[c] = marginal.get(c, 0.0) + value
    observed_disagreement = sum(v for (c, k), v in coincidence.items() if c != k) / n
    expected_disagreement = sum(marginal[c] * marginal[k] for c in marginal for k in marginal if c != k) / (n * (n - 1))
    if expected_disagreement == 0:
        return None
    return 1.0 - observed_disagreement / expected_disagreement
