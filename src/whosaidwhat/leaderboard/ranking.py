"""Ranks and tie groups per track, from `wsw compare`'s paired tests with a multiple-comparison correction.

Per track (entities, quotes, claims) the systems that submitted the track are ordered by the
track's headline metric (point estimate, descending; equal values share a rank, "1224"). Each
system is then compared with the one ranked directly above it by the paired tests of `wsw
compare` (`scoring.compare.compare_counts`, the same documents, resamples and seed): approximate
randomization by default, or the paired bootstrap. With n systems that is a family of n - 1
tests; their p-values are adjusted by Holm's step-down method (Holm 1979), which controls the
family-wise error rate at `alpha` without assuming the tests are independent. A system starts a
new tie group when its difference from the system above is significant (adjusted p <= alpha);
otherwise it joins the group above. Tie groups are read top-down, so a group can hold systems
whose ends differ significantly (A~B, B~C, A vs C not tested), as in any adjacent-pairs scheme.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ..core.inventory import Inventory
from ..scoring.compare import compare_counts
from ..scoring.counts import CountTable
from ..scoring.settings import ScoreSettings


@dataclass(frozen=True)
class Track:
    key: str
    layer: str          # the submission layer that enters a system into the track
    title: str
    metric: str         # the ranking metric (a `wsw score` / `wsw compare` metric name)
    also: tuple         # further metrics shown with intervals: (column name, metric name)


TRACKS = (
    Track("entities", "mentions", "Entities: name mentions, strict (boundaries and type)", "entities.strict.f1",
          (("precision", "entities.strict.precision"), ("recall", "entities.strict.recall"),
           ("macro_f1", "entities.strict.macro_f1"))),
    Track("quotes", "quotes", "Quotes: content matched and speaker correct", "quotes.attributed.f1",
          (("precision", "quotes.attributed.precision"), ("recall", "quotes.attributed.recall"))),
    Track("claims", "claims", "Claims: content matched and claimant correct", "claims.attributed.f1",
          (("precision", "claims.attributed.precision"), ("recall", "claims.attributed.recall"))),
)

TESTS = {"randomization": "p_randomization", "bootstrap": "p_bootstrap"}


def metric_value(result: dict, name: str) -> dict:
    """{value, ci_low, ci_high} of a metric in a `wsw score` result (headline metrics and their P/R)."""
    parts = name.split(".")
    if parts[0] == "entities":
        block = result["entities"]["schemes"][parts[1]]
        return block[parts[2]]
    return result[parts[0]][parts[1]][parts[2]]


def holm(pvalues: list[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (None stays None and does not count in the family)."""
    given = {i: p for i, p in enumerate(pvalues) if p is not None}
    present = sorted(given, key=lambda i: (given[i], i))
    m = len(present)
    adjusted: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, i in enumerate(present):
        running = max(running, min(1.0, (m - rank) * given[i]))
        adjusted[i] = running
    return adjusted


@dataclass
class Contender:
    id: str
    result: dict
    counts: CountTable
    layers_submitted: dict
    key: str = ""  # the score's cache key: with a cache, paired tests are looked up by the two keys


def _paired(above: Contender, below: Contender, metric: str, inventory: Inventory, settings: ScoreSettings,
            cache) -> dict:
    key = cache.pair_key(above.key, below.key, metric) if cache is not None and above.key and below.key else None
    if key is not None:
        hit = cache.load_pair(key)
        if hit is not None:
            return hit
    tests = compare_counts(above.counts, below.counts, inventory, settings, [metric], ("bootstrap", "randomization"))[metric]
    if key is not None:
        cache.store_pair(key, tests)
    return tests


def rank_track(track: Track, contenders: list[Contender], inventory: Inventory, settings: ScoreSettings,
               alpha: float, test: str, cache=None) -> dict:
    """The track's rows (rank, tie group, metrics with intervals, test against the system above) and who is not in it."""
    rows: list[dict] = []
    absent: list[dict] = []
    for c in contenders:
        scored = c.result.get("submission", {}).get("documents_scored")
        if scored == 0:
            absent.append({"system": c.id, "reason": f"predicts none of the {c.result['gold']['documents']} documents of "
                                                     f"split {c.result['gold']['split']!r}"})
            continue
        if not c.layers_submitted.get(track.layer):
            absent.append({"system": c.id, "reason": f"no line of the submission has a `{track.layer}` field"})
            continue
        value = metric_value(c.result, track.metric)
        if value["value"] is None:
            absent.append({"system": c.id, "reason": f"{track.metric} is undefined (nothing predicted and no gold item)"})
            continue
        rows.append({"system": c.id, "contender": c, "score": value,
                     **{column: metric_value(c.result, name) for column, name in track.also}})
    rows.sort(key=lambda r: (-r["score"]["value"], r["system"]))
    raw: list[float | None] = [None]
    for above, row in pairwise(rows):
        tests = _paired(above["contender"], row["contender"], track.metric, inventory, settings, cache)
        row["versus_above"] = {"system": above["system"], "delta": tests["delta"], "delta_ci_low": tests["delta_low"],
                               "delta_ci_high": tests["delta_high"], "p_bootstrap": tests["p_bootstrap"],
                               "p_randomization": tests["p_randomization"]}
        raw.append(tests[TESTS[test]])
    adjusted = holm(raw)
    group, rank = 0, 0
    for i, row in enumerate(rows):
        if i == 0 or row["score"]["value"] < rows[i - 1]["score"]["value"]:
            rank = i + 1
        p_adjusted = adjusted[i]
        significant = i > 0 and p_adjusted is not None and p_adjusted <= alpha
        if i == 0 or significant:
            group += 1
        row["rank"], row["tie_group"] = rank, group
        if i > 0:
            row["versus_above"].update({"p": raw[i], "p_adjusted": adjusted[i], "significant": significant})
        else:
            row["versus_above"] = None
        del row["contender"]
    return {"key": track.key, "title": track.title, "metric": track.metric, "rows": rows, "not_ranked": absent}


def method(alpha: float, test: str, settings: ScoreSettings) -> dict:
    """The ranking method in words and numbers, recorded in leaderboard.json and shown on the page."""
    names = {"randomization": "approximate randomization (documents' counts swapped between the two systems)",
             "bootstrap": "paired bootstrap over documents"}
    return {
        "order": "descending point estimate of the track's metric; equal values share a rank",
        "comparison": "each system against the system ranked directly above it, on the same documents",
        "test": f"{names[test]}, two-sided, {settings.resamples} resamples/rounds, seed {settings.seed} (`wsw compare`)",
        "test_key": test,
        "correction": "Holm-Bonferroni step-down adjustment over the n-1 adjacent comparisons of each track "
                      "(family-wise error rate)",
        "alpha": alpha,
        "tie_group": "a system starts a new tie group when its adjusted p-value against the system above is at most "
                     "alpha; otherwise it shares the group of the system above",
        "intervals": f"{settings.confidence:.0%} percentile bootstrap intervals over documents "
                     f"({settings.resamples} resamples, seed {settings.seed})",
    }
