"""Krippendorff's unitizing alpha (|cu-alpha, nominal) over code points: agreement on where spans are.

Each annotator's spans of a layer partition the text into labelled segments and gaps (what nobody marked).
Observed disagreement counts the code points where two annotators' segments carry different labels; expected
disagreement is what the same segments would give if placed at random. Gaps pair with anything at any
position (their length counts once), units pair only as whole units (their length counts squared), following
Krippendorff, Mathet, Bouvry and Widlöcher (2016), "On the reliability of unitizing textual continua: Further
developments", Quality & Quantity 50, section on |cu-alpha. Definitions in eval/METRICS.md section 8.
"""

from __future__ import annotations

from collections.abc import Iterable

GAP = ""


def segmentation(spans: Iterable[tuple[int, int]], length: int, label: str = "span") -> list[tuple[str, int, int]]:
    """A partition of [0, length) into `label` segments (overlapping spans merged) and gaps."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, cursor = [], 0
    for start, end in merged:
        if start > cursor:
            out.append((GAP, cursor, start))
        out.append((label, start, end))
        cursor = end
    if cursor < length:
        out.append((GAP, cursor, length))
    return out


def coincidences(coders: dict[str, list[tuple[str, int, int]]]) -> tuple[dict, dict, int]:
    """The sums |cu-alpha is made of, for one continuum: observed coincidences per label pair, each label's own
    segment weight (gap lengths, unit lengths squared), and the number of coders. Sums of several documents add up."""
    m = len(coders)
    observed: dict[tuple[str, str], float] = {}
    names = list(coders)
    for i in names:
        for j in names:
            if i == j:
                continue
            for c, s1, e1 in coders[i]:
                for k, s2, e2 in coders[j]:
                    overlap = min(e1, e2) - max(s1, s2)
                    if overlap > 0:
                        observed[(c, k)] = observed.get((c, k), 0.0) + overlap / (m - 1)
    own: dict[str, float] = {}
    for segs in coders.values():
        for label, s, e in segs:
            own[label] = own.get(label, 0.0) + ((e - s) if label == GAP else (e - s) ** 2)
    return observed, own, m


def alpha_from(parts: list[tuple[dict, dict, int]]) -> float | None:
    """|cu-alpha from the summed coincidences of one or more continua (documents); None when undefined."""
    observed: dict[tuple[str, str], float] = {}
    own: dict[str, float] = {}
    for obs, weights, _ in parts:
        for key, value in obs.items():
            observed[key] = observed.get(key, 0.0) + value
        for key, value in weights.items():
            own[key] = own.get(key, 0.0) + value
    total = sum(observed.values())
    labels = sorted(set(own) | {c for c, _ in observed})
    if total == 0:
        return None
    margin = {c: sum(v for (x, _), v in observed.items() if x == c) for c in labels}
    denominator = total * total - sum(own.values())
    if denominator <= 0:
        return None
    expected_agreement = sum(total * (margin[c] * margin[c] - own.get(c, 0.0)) / denominator for c in labels)
    observed_disagreement = total - sum(observed.get((c, c), 0.0) for c in labels)
    expected_disagreement = total - expected_agreement
    if expected_disagreement <= 0:
        return None
    return 1.0 - observed_disagreement / expected_disagreement


def unitizing_alpha(coders: dict[str, list[tuple[str, int, int]]]) -> float | None:
    """|cu-alpha of two or more coders' segmentations of one continuum (None when undefined)."""
    if len(coders) < 2:
        return None
    return alpha_from([coincidences(coders)])
