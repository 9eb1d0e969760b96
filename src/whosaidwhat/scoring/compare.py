"""Is system A better than system B on this gold split? Paired tests over per-document counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from ..core.inventory import Inventory
from .bootstrap import paired_tests
from .counts import CountTable
from .metrics import HEADLINE, catalogue, evaluate_all
from .settings import ScoreSettings

METHODS = ("bootstrap", "randomization")


def metric_names(inventory: Inventory) -> list[str]:
    """Every metric a comparison can test (per-type rows included)."""
    return list(evaluate_all(catalogue(inventory.entity_types), defaultdict(int)))


def compare_counts(a: CountTable, b: CountTable, inventory: Inventory, settings: ScoreSettings,
                   metrics: list[str] | None = None, methods: tuple[str, ...] = METHODS) -> dict[str, dict]:
    """{metric: {a, b, delta, delta_low, delta_high, p_bootstrap, p_randomization}} for A minus B."""
    if a.doc_ids != b.doc_ids or a.names != b.names:
        raise ValueError("the two count tables must cover the same documents with the same columns")
    wanted = list(metrics or HEADLINE)
    known = set(metric_names(inventory))
    unknown = [m for m in wanted if m not in known]
    if unknown:
        raise ValueError(f"unknown metric(s): {', '.join(unknown)}")
    every = catalogue(inventory.entity_types)

    def metric_fn(sums):
        values = evaluate_all(every, sums)
        return {name: values[name] for name in wanted}

    tests = paired_tests(metric_fn, a.names, a.values, b.values, settings.resamples, settings.seed, settings.confidence,
                         methods)
    return {name: asdict(test) for name, test in tests.items()}
