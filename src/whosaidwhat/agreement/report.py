"""Inter-annotator agreement over folders of annotations: span F1 per layer, chance-corrected label agreement,
document-bootstrap intervals, and the independence of every compared pair, checked from provenance.

`measure(folders)` is the whole computation; it reads nothing but the documents it is given.
Definitions are in eval/METRICS.md ("Inter-annotator agreement").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from ..core.problems import fail
from .alignment import LayerPairs, compare_layer
from .chance import cohen_kappa, krippendorff_alpha_nominal
from .independence import dependence, shared_preannotation
from .unitizing import alpha_from, coincidences, segmentation

#: (measure, layer, numerator) of the span F1 figures: F1 = 2 * numerator / (items of A + items of B)
SPAN_MEASURES = (
    ("names: strict F1 (span and type)", "names", "exact"),
    ("names: span F1 (type ignored)", "names", "matched"),
    ("all mentions: strict F1", "mentions", "exact"),
    ("quote content: exact F1", "quotes", "exact"),
    ("quote content: overlap F1 (IoU >= 0.5)", "quotes", "matched"),
    ("quotes: attributed F1 (overlap, same speaker)", "quotes", "attributed"),
    ("cues: exact F1", "cues", "exact"),
    ("claims: exact F1", "claims", "exact"),
    ("claims: overlap F1 (IoU >= 0.5)", "claims", "matched"),
    ("claims: attributed F1 (overlap, same claimant)", "claims", "attributed"),
)
LAYERS = ("names", "mentions", "quotes", "cues", "claims")
#: label -> layer whose aligned items carry it
LABELS = {"entity type": "names", "quote type": "quotes", "speaker": "quotes", "check-worthiness": "claims",
          "claimant": "claims"}
IDENTITY_LABELS = ("speaker", "claimant")


def _fragments(items: list[dict]) -> list[tuple[int, int]]:
    return [(f["start"], f["end"]) for item in items for f in item["fragments"]]


#: layer -> the spans whose positions unitizing alpha compares (overlapping spans of one annotator are merged)
UNITIZED = {
    "names": lambda d: [(m["start"], m["end"]) for m in d["mentions"] if m["kind"] == "name"],
    "quote content": lambda d: _fragments(d["quotes"]),
    "claims": lambda d: _fragments(d["claims"]),
}


@dataclass
class DocPair:
    """One document annotated in two folders, with its per-layer comparison."""

    doc_id: str
    layers: dict[str, LayerPairs]


@dataclass
class PairReport:
    """Agreement between two folders on the documents both hold whose annotations are independent."""

    a: str
    b: str
    documents: list[str]
    excluded: dict[str, str]
    shared_preannotation: list[str]
    figures: dict[str, dict] = field(default_factory=dict)


def _docs_in(folder: dict[str, dict], other: dict[str, dict]) -> list[str]:
    return sorted(set(folder) & set(other))


def _counts(pairs: list[DocPair], layer: str, numerator: str) -> np.ndarray:
    """Per-document [numerator, n_a + n_b] for one span measure."""
    rows = []
    for p in pairs:
        lp = p.layers[layer]
        if numerator == "attributed":
            key = "speaker" if layer == "quotes" else "claimant"
            num = sum(1 for x, y in (lp.labels or {}).get(key, []) if x == y)
        else:
            num = getattr(lp, numerator)
        rows.append((2 * num, lp.n_a + lp.n_b))
    return np.array(rows, dtype=float).reshape(-1, 2)


def _f1(rows: np.ndarray) -> float | None:
    total = rows[:, 1].sum()
    return float(rows[:, 0].sum() / total) if total else None


def _labels(pairs: list[DocPair], label: str) -> list[list[tuple]]:
    """Per document, the aligned (A label, B label) pairs; identity labels are made document-specific."""
    out = []
    for p in pairs:
        values = (p.layers[LABELS[label]].labels or {}).get(label, [])
        if label in IDENTITY_LABELS:
            values = [(_identity(x, p.doc_id, 0), _identity(y, p.doc_id, 1)) for x, y in values]
        out.append(values)
    return out


def _interval(stat, n_docs: int, resamples: int, seed: int, confidence: float) -> tuple[float | None, float | None]:
    """Percentile bootstrap over documents of `stat(indices)`."""
    if n_docs < 2 or resamples <= 0:
        return None, None
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        value = stat(rng.integers(0, n_docs, n_docs))
        if value is not None:
            values.append(value)
    if not values:
        return None, None
    tail = (1 - confidence) / 2 * 100
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def _figure(value: float | None, interval: tuple[float | None, float | None], n: int) -> dict:
    return {"value": value, "ci_low": interval[0], "ci_high": interval[1], "n": n}


def _doc_pairs(name_a: str, a: dict[str, dict], name_b: str, b: dict[str, dict],
               min_iou: float) -> tuple[list[DocPair], dict[str, str], set[str]]:
    """The shared documents compared layer by layer, those excluded as not independent (with why), and the
    pre-annotations both sides were shown; AGREE-TEXT-DIFFERS when two annotations are of different texts."""
    excluded: dict[str, str] = {}
    pairs: list[DocPair] = []
    pre: set[str] = set()
    for doc_id in _docs_in(a, b):
        da, db = a[doc_id], b[doc_id]
        if da.get("text_sha256") != db.get("text_sha256"):
            fail("AGREE-TEXT-DIFFERS", f"the two annotations ({name_a} and {name_b}) are of different texts; agreement "
                                       "needs one text", file=name_b, doc_id=doc_id, path="$.text_sha256",
                 found=str(db.get("text_sha256")), expected=str(da.get("text_sha256")))
        reason = dependence(da, db)
        if reason is not None:
            excluded[doc_id] = reason
            continue
        pre.update(shared_preannotation(da, db))
        pairs.append(DocPair(doc_id, {layer: compare_layer(da, db, layer, min_iou) for layer in LAYERS}))
    return pairs, excluded, pre


def compare_pair(name_a: str, a: dict[str, dict], name_b: str, b: dict[str, dict], min_iou: float, resamples: int,
                 seed: int, confidence: float) -> PairReport:
    """Every figure for one pair of folders, on their shared, independent documents."""
    pairs, excluded, pre = _doc_pairs(name_a, a, name_b, b, min_iou)
    report = PairReport(name_a, name_b, [p.doc_id for p in pairs], excluded, sorted(pre))
    n = len(pairs)

    def interval(stat) -> tuple[float | None, float | None]:
        return _interval(stat, n, resamples, seed, confidence) if n else (None, None)

    for measure, layer, numerator in SPAN_MEASURES:
        rows = _counts(pairs, layer, numerator)
        report.figures[measure] = _figure(_f1(rows), interval(lambda idx, rows=rows: _f1(rows[idx])),
                                          round(rows[:, 1].sum() / 2) if n else 0)
    for layer, spans_of in UNITIZED.items():
        parts = [coincidences({"A": segmentation(spans_of(a[p.doc_id]), len(a[p.doc_id]["text"] or "")),
                               "B": segmentation(spans_of(b[p.doc_id]), len(b[p.doc_id]["text"] or ""))})
                 for p in pairs]
        report.figures[f"{layer}: unitizing alpha (code points)"] = _figure(
            alpha_from(parts) if parts else None,
            _interval(lambda idx, parts=parts: alpha_from([parts[i] for i in idx]), n, resamples, seed, confidence), n)
    for label in LABELS:
        per_doc = _labels(pairs, label)
        pooled = lambda idx, per_doc=per_doc: cohen_kappa([x for i in idx for x in per_doc[i]])  # noqa: E731
        value = cohen_kappa([x for doc in per_doc for x in doc])
        report.figures[f"{label}: Cohen's kappa"] = _figure(value, _interval(pooled, n, resamples, seed, confidence),
                                                            sum(map(len, per_doc)))
    return report


def _identity(label: object, doc_id: str, folder: int) -> object:
    """A speaker/claimant label comparable across items: entities made document-specific, unmapped ones folder-specific."""
    text = str(label)
    if text.startswith("entity:"):
        return f"{doc_id}/{text}"
    if text.startswith("unmapped:"):
        return f"{doc_id}/{folder}/{text}"
    return label


def _independent_others(folders: dict[str, dict[str, dict]], names: list[str], doc_id: str,
                        doc: dict) -> list[tuple[int, dict]]:
    """(folder number, annotation) of the other folders' annotations of `doc_id` made independently of the pivot's
    and of every other one counted before."""
    others: list[tuple[int, dict]] = []
    for index, name in enumerate(names[1:], start=1):
        other = folders[name].get(doc_id)
        if other is None or dependence(doc, other) is not None:
            continue
        if any(dependence(other, kept) is not None for _, kept in others):
            continue
        others.append((index, other))
    return others


def _units_of(doc_id: str, doc: dict, label: str, compared: list[tuple[int, dict[str, LayerPairs]]]) -> list[list]:
    """One unit per pivot item carrying `label`: the pivot's label, then each aligned other folder's."""
    layer = LABELS[label]
    size = len([m for m in doc["mentions"] if m["kind"] == "name"]) if layer == "names" else len(doc[layer])
    found: list[list] = [[] for _ in range(size)]
    for index, layers in compared:
        lp = layers[layer]
        for (i, _), (first, second) in zip(lp.pairs or [], (lp.labels or {})[label]):
            if label in IDENTITY_LABELS:
                first, second = _identity(first, doc_id, 0), _identity(second, doc_id, index)
            if not found[i]:
                found[i].append(first)
            found[i].append(second)
    return found


def alpha_across(folders: dict[str, dict[str, dict]], min_iou: float) -> dict[str, dict]:
    """Krippendorff's alpha (nominal) per label across all folders, items aligned to the first folder's items.

    A unit is an item of the first folder (the pivot); each other folder that annotated the document independently
    of the pivot and of every other folder counted for it contributes the label of its aligned item, or nothing.
    Documents the first folder does not hold are not units (METRICS.md section 8).
    """
    names = list(folders)
    pivot = folders[names[0]]
    units: dict[str, list[list]] = {label: [] for label in LABELS}
    for doc_id, doc in sorted(pivot.items()):
        others = _independent_others(folders, names, doc_id, doc)
        if not others:
            continue
        compared = [(index, {layer: compare_layer(doc, other, layer, min_iou) for layer in ("names", "quotes", "claims")})
                    for index, other in others]
        for label in LABELS:
            units[label] += _units_of(doc_id, doc, label, compared)
    return {label: {"value": krippendorff_alpha_nominal(u), "units": sum(1 for x in u if len(x) >= 2)}
            for label, u in units.items()}


def measure(folders: dict[str, dict[str, dict]], min_iou: float = 0.5, resamples: int = 1000, seed: int = 12345,
            confidence: float = 0.95) -> dict:
    """Pairwise reports for every pair of folders, their mean, and alpha across all folders."""
    if len(folders) < 2:
        fail("AGREE-TOO-FEW", "agreement needs at least two folders of annotations", found=str(len(folders)),
             expected="2 or more")
    reports = [compare_pair(x, folders[x], y, folders[y], min_iou, resamples, seed, confidence)
               for x, y in combinations(folders, 2)]
    usable = [r for r in reports if r.documents]
    if not usable:
        lines = "; ".join(f"{r.a} vs {r.b}: " + (", ".join(f"{d} ({why})" for d, why in list(r.excluded.items())[:5])
                                                 or "no document in common") for r in reports)
        fail("AGREE-NOTHING-SHARED", f"no pair of folders shares an independently annotated document: {lines}")
    mean = {}
    for key in usable[0].figures:
        values = [r.figures[key]["value"] for r in usable if r.figures[key]["value"] is not None]
        mean[key] = sum(values) / len(values) if values else None
    return {
        "settings": {"min_iou": min_iou, "resamples": resamples, "seed": seed, "confidence": confidence},
        "pairs": [{"a": r.a, "b": r.b, "documents": r.documents, "excluded": r.excluded,
                   "shared_preannotation": r.shared_preannotation, "figures": r.figures} for r in reports],
        "mean_over_pairs": mean,
        "alpha": alpha_across(folders, min_iou),
        "guidelines": {name: guidelines_of(docs) for name, docs in folders.items()},
    }


def guidelines_of(docs: dict[str, dict]) -> list[str]:
    """The guidelines versions a folder's annotators followed (from each layer's provenance)."""
    versions = {layer.get("guidelines_version") for doc in docs.values()
                for layer in (doc.get("provenance") or {}).get("layers", {}).values() if isinstance(layer, dict)}
    return sorted(v for v in versions if isinstance(v, str))
