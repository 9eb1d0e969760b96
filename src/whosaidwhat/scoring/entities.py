"""The entity track: nervaluate's four schemes (strict, exact, partial, ent_type), matched one-to-one.

Seven matchings over the overlapping (gold, prediction) pairs of each document give every
scheme, overall and per type (see eval/METRICS.md for the truth table):

    A  same boundaries and type                  strict COR; per type: COR of strict/exact/partial
    B  same boundaries, any type                 exact and partial COR
    C  any overlap, after A                      strict INC
    D  any overlap, after B                      exact INC, partial PAR
    E  overlap with the same type                ent_type COR, overall and per type
    F  any overlap, after E                      ent_type INC
    G  overlap with the same type, after A       per type: strict/exact INC, partial PAR

Each is `matching.match_pairs`: pairs ranked by overlap ratio (IoU) and then by canonical
position, grown to a maximum matching, so identical spans match first, as many pairs as
possible match, and the result never depends on input order. Per type, only spans of that type
take part (as in nervaluate), so a type confusion is a MIS of the gold type and a SPU of the
predicted type there, while overall it is one INC.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .intervals import canonical_order, intersection, overlapping_pairs, ranks
from .matching import match_pairs

SCHEMES = ("strict", "exact", "partial", "ent_type")
COR, INC, PAR, MISSED = 0, 1, 2, 3  # outcome codes; MISSED means MIS for gold and SPU for predictions
OUTCOME_NAMES = ("COR", "INC", "PAR", "MIS/SPU")

#: stored per-document count columns per entity type (overall: gold, pred and the letters A-F)
TYPE_COLUMNS = ("gold", "pred", "A", "G", "E")


@dataclass(frozen=True)
class Spans:
    """Labelled spans as columns: document index, half-open offsets and a label code per row."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray

    def __len__(self) -> int:
        return len(self.doc)

    @classmethod
    def from_rows(cls, rows) -> Spans:
        """From (doc, start, end, label) tuples; convenient in tests."""
        arr = np.asarray(list(rows), dtype=np.int64).reshape(-1, 4)
        return cls(arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].copy(), arr[:, 3].copy())

    def select(self, mask: np.ndarray) -> Spans:
        return Spans(self.doc[mask], self.start[mask], self.end[mask], self.label[mask])


@dataclass(frozen=True)
class SchemeOutcome:
    """What happened to every gold span and every prediction under one scheme."""

    gold: np.ndarray          # outcome code per gold span: COR, INC, PAR or MISSED (= MIS)
    pred: np.ndarray          # outcome code per prediction: COR, INC, PAR or MISSED (= SPU)
    gold_partner: np.ndarray  # index of the matched prediction, or -1
    pred_partner: np.ndarray  # index of the matched gold span, or -1


@dataclass(frozen=True)
class EntityMatching:
    """All matched pairs, as index arrays into the gold and predicted spans, per matching A..F."""

    gold_index: np.ndarray    # candidate pairs: gold side
    pred_index: np.ndarray    # candidate pairs: prediction side
    iou: np.ndarray           # overlap ratio of each candidate pair
    stages: dict              # letter -> indices (into the candidate pairs) of the accepted pairs
    n_gold: int
    n_pred: int

    def outcome(self, scheme: str, per_type: bool = False) -> SchemeOutcome:
        """Outcome of every span under `scheme`, overall or with matching restricted to one type."""
        if scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
        s = self.stages
        if per_type:
            plan = {"strict": ((s["A"], COR), (s["G"], INC)), "exact": ((s["A"], COR), (s["G"], INC)),
                    "partial": ((s["A"], COR), (s["G"], PAR)), "ent_type": ((s["E"], COR),)}[scheme]
        else:
            plan = {"strict": ((s["A"], COR), (s["C"], INC)), "exact": ((s["B"], COR), (s["D"], INC)),
                    "partial": ((s["B"], COR), (s["D"], PAR)), "ent_type": ((s["E"], COR), (s["F"], INC))}[scheme]
        gold = np.full(self.n_gold, MISSED, dtype=np.int8)
        pred = np.full(self.n_pred, MISSED, dtype=np.int8)
        gold_partner = np.full(self.n_gold, -1, dtype=np.int64)
        pred_partner = np.full(self.n_pred, -1, dtype=np.int64)
        for pairs, code in plan:
            g, p = self.gold_index[pairs], self.pred_index[pairs]
            gold[g] = code
            pred[p] = code
            gold_partner[g] = p
            pred_partner[p] = g
        return SchemeOutcome(gold, pred, gold_partner, pred_partner)


def match_entities(gold: Spans, pred: Spans, min_iou: float = 0.0) -> EntityMatching:
    """Run matchings A..G on the spans of each document (see the module docstring).

    A pair is a candidate when the spans share at least one code point and their overlap ratio
    |g ∩ p| / |g ∪ p| is at least `min_iou` (0: any overlap).
    """
    g_order = canonical_order(gold.doc, gold.start, gold.end, gold.label)
    p_order = canonical_order(pred.doc, pred.start, pred.end, pred.label)
    g_pos, p_pos = ranks(g_order), ranks(p_order)
    gi, pj = overlapping_pairs(gold.doc, gold.start, gold.end, pred.doc, pred.start, pred.end, g_order, p_order)
    gs, ge, ps, pe = gold.start[gi], gold.end[gi], pred.start[pj], pred.end[pj]
    inter = intersection(gs, ge, ps, pe)
    union = (ge - gs) + (pe - ps) - inter
    iou = inter / union
    if min_iou > 0:
        keep = iou >= min_iou
        gi, pj, gs, ge, ps, pe, iou = gi[keep], pj[keep], gs[keep], ge[keep], ps[keep], pe[keep], iou[keep]
    same_bounds = (gs == ps) & (ge == pe)
    same_label = gold.label[gi] == pred.label[pj]

    def match(mask: np.ndarray) -> np.ndarray:
        idx = np.flatnonzero(mask)
        return idx[match_pairs(gi[idx], pj[idx], g_pos, p_pos, [iou[idx]])]

    def free_after(stage: np.ndarray) -> np.ndarray:
        used_g = np.zeros(len(gold), dtype=bool)
        used_p = np.zeros(len(pred), dtype=bool)
        used_g[gi[stage]] = True
        used_p[pj[stage]] = True
        return ~(used_g[gi] | used_p[pj])

    stages = {"A": match(same_bounds & same_label), "B": match(same_bounds)}
    stages["C"] = match(free_after(stages["A"]))
    stages["D"] = match(free_after(stages["B"]))
    stages["E"] = match(same_label)
    stages["F"] = match(free_after(stages["E"]))
    stages["G"] = match(same_label & free_after(stages["A"]))
    return EntityMatching(gi, pj, iou, stages, len(gold), len(pred))


def entity_counts(matching: EntityMatching, gold: Spans, pred: Spans, n_docs: int, type_names: tuple[str, ...],
                  prefix: str = "ent") -> dict[str, np.ndarray]:
    """Per-document count columns: `{prefix}.{letter}` overall and `{prefix}.{TYPE}.{gold,pred,A,G,E}` per type."""
    n_types = len(type_names)
    columns: dict[str, np.ndarray] = {
        f"{prefix}.gold": np.bincount(gold.doc, minlength=n_docs),
        f"{prefix}.pred": np.bincount(pred.doc, minlength=n_docs),
    }
    pair_doc = gold.doc[matching.gold_index]
    for letter in "ABCDEF":  # G is only needed per type
        columns[f"{prefix}.{letter}"] = np.bincount(pair_doc[matching.stages[letter]], minlength=n_docs)

    def by_type(doc: np.ndarray, label: np.ndarray) -> np.ndarray:
        key = doc.astype(np.int64) * n_types + label
        return np.bincount(key, minlength=n_docs * n_types).reshape(n_docs, n_types)

    pair_label = gold.label[matching.gold_index]
    per_type = {
        "gold": by_type(gold.doc, gold.label),
        "pred": by_type(pred.doc, pred.label),
        "A": by_type(pair_doc[matching.stages["A"]], pair_label[matching.stages["A"]]),
        "G": by_type(pair_doc[matching.stages["G"]], pair_label[matching.stages["G"]]),
        "E": by_type(pair_doc[matching.stages["E"]], pair_label[matching.stages["E"]]),
    }
    for t, name in enumerate(type_names):
        for column in TYPE_COLUMNS:
            columns[f"{prefix}.{name}.{column}"] = per_type[column][:, t]
    return {name: values.astype(np.int32) for name, values in columns.items()}


def scheme_counts(sums, scheme: str, prefix: str = "ent", type_name: str | None = None) -> dict:
    """COR/INC/PAR/MIS/SPU of a scheme from summed count columns (numbers or numpy arrays)."""
    if type_name is None:
        base = f"{prefix}."
        cor, rest = {"strict": ("A", "C"), "exact": ("B", "D"), "partial": ("B", "D"), "ent_type": ("E", "F")}[scheme]
        cor_n, rest_n = sums[base + cor], sums[base + rest]
        gold, pred = sums[base + "gold"], sums[base + "pred"]
    else:
        base = f"{prefix}.{type_name}."
        gold, pred = sums[base + "gold"], sums[base + "pred"]
        if scheme == "ent_type":
            cor_n, rest_n = sums[base + "E"], 0 * sums[base + "E"]
        else:
            cor_n, rest_n = sums[base + "A"], sums[base + "G"]
    inc = rest_n if scheme in ("strict", "exact", "ent_type") else 0 * rest_n
    par = rest_n if scheme == "partial" else 0 * rest_n
    return {"COR": cor_n, "INC": inc, "PAR": par, "MIS": gold - cor_n - rest_n, "SPU": pred - cor_n - rest_n,
            "POS": gold, "ACT": pred}
