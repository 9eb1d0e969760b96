"""Every reported number as a pure function of summed per-document counts.

Each metric takes a mapping from count-column name to its sum, where a sum is a number (the
point estimate) or a numpy vector (one value per bootstrap resample), and returns values of
the same shape. Undefined values are NaN (reported as null), never a silent 0:

* precision = hits / predicted, undefined when nothing was predicted;
* recall = hits / gold, undefined when the gold has nothing;
* F1 = 2PR / (P + R); 0 when exactly one side is empty or P + R = 0; undefined when both are empty;
* accuracy = correct / matched, undefined when nothing matched;
* macro F1 = mean of the per-type F1 over the types with a defined F1 (present in gold or predictions).

The names below are the keys of `wsw score --format json` and of `wsw compare --metric`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .entities import SCHEMES, scheme_counts


def _as_float(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def prf(hits, predicted, gold) -> dict[str, np.ndarray]:
    """Precision, recall and F1 with the undefined-value rules of the module docstring."""
    h, act, pos = _as_float(hits), _as_float(predicted), _as_float(gold)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(act > 0, h / act, np.nan)
        recall = np.where(pos > 0, h / pos, np.nan)
        both = (act > 0) & (pos > 0)
        total = precision + recall
        f1 = np.where(both & (total > 0), 2 * precision * recall / total, 0.0)
    f1 = np.where((act == 0) & (pos == 0), np.nan, f1)
    return {"precision": precision, "recall": recall, "f1": f1}


def accuracy(correct, total) -> np.ndarray:
    c, t = _as_float(correct), _as_float(total)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, c / t, np.nan)


@dataclass(frozen=True)
class PRF:
    """Precision/recall/F1 from weighted hit columns and the predicted and gold count columns."""

    name: str
    hits: tuple[tuple[str, float], ...]
    predicted: str
    gold: str
    definition: str

    def evaluate(self, sums: Mapping) -> dict[str, np.ndarray]:
        hits = sum(weight * _as_float(sums[column]) for column, weight in self.hits)
        return {f"{self.name}.{k}": v for k, v in prf(hits, sums[self.predicted], sums[self.gold]).items()}


@dataclass(frozen=True)
class Accuracy:
    name: str
    correct: str
    total: str
    definition: str

    def evaluate(self, sums: Mapping) -> dict[str, np.ndarray]:
        return {self.name: accuracy(sums[self.correct], sums[self.total])}


@dataclass(frozen=True)
class MacroF1:
    name: str
    parts: tuple  # of PRF-like callables returning {..., f1}
    definition: str

    def evaluate(self, sums: Mapping) -> dict[str, np.ndarray]:
        if not self.parts:
            return {self.name: _as_float(np.nan)}
        f1s = np.stack([_scheme_type_f1(part, sums) for part in self.parts])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN, as documented
            return {self.name: np.nanmean(f1s, axis=0)}


@dataclass(frozen=True)
class SchemePRF:
    """Entity-scheme P/R/F1: hits are COR (+ 0.5 PAR for partial), overall or for one type."""

    name: str
    scheme: str
    type_name: str | None
    definition: str

    def counts(self, sums: Mapping) -> dict:
        return scheme_counts(sums, self.scheme, type_name=self.type_name)

    def evaluate(self, sums: Mapping) -> dict[str, np.ndarray]:
        c = self.counts(sums)
        hits = _as_float(c["COR"]) + (0.5 * _as_float(c["PAR"]) if self.scheme == "partial" else 0.0)
        return {f"{self.name}.{k}": v for k, v in prf(hits, c["ACT"], c["POS"]).items()}


def _scheme_type_f1(part: SchemePRF, sums: Mapping) -> np.ndarray:
    return part.evaluate(sums)[f"{part.name}.f1"]


_SCHEME_TEXT = {
    "strict": "COR = same boundaries and type",
    "exact": "COR = same boundaries, any type",
    "partial": "COR = same boundaries, PAR = overlap otherwise; hits = COR + 0.5 PAR",
    "ent_type": "COR = overlap with the same type",
}


def catalogue(type_names: tuple[str, ...]) -> list:
    """All metrics of a score, in report order."""
    metrics: list = []
    for scheme in SCHEMES:
        metrics.append(SchemePRF(f"entities.{scheme}", scheme, None, f"entity mentions, {scheme}: {_SCHEME_TEXT[scheme]}"))
        parts = tuple(SchemePRF(f"entities.{scheme}.{t}", scheme, t, f"{scheme}, type {t} only") for t in type_names)
        metrics.extend(parts)
        metrics.append(MacroF1(f"entities.{scheme}.macro_f1", parts,
                               f"mean {scheme} F1 over the types present in gold or predictions"))
    for layer, item, source in (("quotes", "quote", "speaker"), ("claims", "claim", "claimant")):
        metrics += [
            PRF(f"{layer}.attributed", ((f"{item}.source_ok", 1.0),), f"{item}.pred", f"{item}.gold",
                f"{layer} matched with the correct {source} (headline)"),
            PRF(f"{layer}.exact", ((f"{item}.exact", 1.0),), f"{item}.pred", f"{item}.gold",
                f"{layer} whose content is exactly the gold content"),
            PRF(f"{layer}.overlap", ((f"{item}.matched", 1.0),), f"{item}.pred", f"{item}.gold",
                f"{layer} matched by content overlap"),
            PRF(f"{layer}.chars", ((f"{item}.chars_shared", 1.0),), f"{item}.chars_pred", f"{item}.chars_gold",
                f"shared content code points of matched {layer}"),
            Accuracy(f"{layer}.{source}_accuracy", f"{item}.source_ok", f"{item}.matched",
                     f"correct {source} among matched {layer}"),
        ]
        if layer == "quotes":
            metrics += [
                Accuracy("quotes.type_accuracy", "quote.label_ok", "quote.matched", "correct quote type among matched quotes"),
                PRF("quotes.cue_exact", (("cue.exact", 1.0),), "cue.pred", "cue.gold", "cue spans with the same boundaries"),
                PRF("quotes.cue_overlap", (("cue.overlap", 1.0),), "cue.pred", "cue.gold", "cue spans matched by overlap"),
            ]
        else:
            metrics += [
                Accuracy("claims.check_worthy_accuracy", "claim.label_ok", "claim.matched",
                         "correct check-worthiness among matched claims"),
                Accuracy("claims.quote_link_accuracy", "claim.link_ok", "claim.matched",
                         "correct quote link among matched claims (both none, or linked quotes that match)"),
            ]
    return metrics


#: the numbers a leaderboard ranks by
HEADLINE = ("entities.strict.f1", "entities.strict.macro_f1", "quotes.attributed.f1", "claims.attributed.f1")


def evaluate_all(metrics, sums: Mapping) -> dict[str, np.ndarray]:
    """Flat {metric name: value(s)} of every metric."""
    out: dict[str, np.ndarray] = {}
    for metric in metrics:
        out.update(metric.evaluate(sums))
    return out
