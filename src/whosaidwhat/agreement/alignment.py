"""One-to-one alignment of two annotations' items in one document, and the labels compared on aligned items.

Items are aligned the way the scorer matches spans (eval/METRICS.md section 1): passages as sets
of code points, identical spans first, then the highest IoU at or above a threshold, ties by
text position. Entities of annotation B are mapped to A's entities by shared mention spans, so
that "same speaker" and "same claimant" can be compared although the two annotators chose
their own entity ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


def points(item: dict) -> frozenset[int]:
    """The code points an item covers: its fragments, or its own span."""
    spans = item.get("fragments") or [item]
    return frozenset(i for s in spans for i in range(s["start"], s["end"]))


def offsets(item: dict) -> tuple[tuple[int, int], ...]:
    """The exact boundaries of an item (its fragments in order, or its span)."""
    spans = item.get("fragments") or [item]
    return tuple(sorted((s["start"], s["end"]) for s in spans))


def iou(a: frozenset[int], b: frozenset[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def align(a_items: list[dict], b_items: list[dict], min_iou: float) -> list[tuple[int, int]]:
    """Pairs (index in a, index in b): identical boundaries first, then greedy by IoU, ties by position."""
    a_pts, b_pts = [points(x) for x in a_items], [points(x) for x in b_items]
    candidates = []
    for i, pa in enumerate(a_pts):
        for j, pb in enumerate(b_pts):
            if pa & pb:
                score = iou(pa, pb)
                if score >= min_iou or offsets(a_items[i]) == offsets(b_items[j]):
                    exact = offsets(a_items[i]) == offsets(b_items[j])
                    candidates.append((not exact, -score, min(pa), min(pb), i, j))
    candidates.sort()
    used_a, used_b, pairs = set(), set(), []
    for *_, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def entity_map(a: dict, b: dict) -> dict[str, str]:
    """B's entity id -> the A entity it stands for, one to one: pairs sharing most exact mention spans first.

    One to one, so that B splitting or merging A's chains is a disagreement (a B entity left unmapped, or mapped to
    another A entity), never folded into agreement; ties go to the ids that sort first.
    """
    a_at: dict[tuple[int, int], list[str]] = {}
    for m in a.get("mentions", []):
        a_at.setdefault((m["start"], m["end"]), []).append(m["entity"])
    votes: Counter = Counter()
    for m in b.get("mentions", []):
        for target in a_at.get((m["start"], m["end"]), []):
            votes[(m["entity"], target)] += 1
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for (b_id, a_id), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if b_id not in mapping and a_id not in taken:
            mapping[b_id] = a_id
            taken.add(a_id)
    return mapping


def pair_exact(a_items: list[dict], b_items: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs of items with identical spans (same type preferred), in A's order."""
    free: dict[tuple[int, int], list[int]] = {}
    for j, m in enumerate(b_items):
        free.setdefault((m["start"], m["end"]), []).append(j)
    pairs = []
    for i, m in enumerate(a_items):
        candidates = free.get((m["start"], m["end"]))
        if candidates:
            same = [j for j in candidates if b_items[j].get("type") == m.get("type")]
            j = (same or candidates)[0]
            candidates.remove(j)
            pairs.append((i, j))
    return pairs


def source_label(doc: dict, attribution: dict | None, mapping: dict[str, str] | None = None) -> str:
    """A comparable label for a speaker or claimant: outlet, unknown, or the (mapped) entity it resolves to."""
    if not attribution:
        return "none"
    kind = attribution.get("kind")
    if kind in ("outlet", "unknown"):
        return kind
    entity = attribution.get("entity")
    if kind == "mention":
        entity = next((m["entity"] for m in doc.get("mentions", []) if m["id"] == attribution.get("mention")), None)
    if entity is None:
        return "none"
    if mapping is None:
        return f"entity:{entity}"
    return f"entity:{mapping[entity]}" if entity in mapping else f"unmapped:{entity}"


@dataclass
class LayerPairs:
    """What two annotations of one document share in one layer: sizes, exact and overlap matches, labels."""

    n_a: int = 0
    n_b: int = 0
    exact: int = 0
    matched: int = 0
    labels: dict[str, list[tuple[object, object]]] | None = None
    pairs: list[tuple[int, int]] | None = None


def _mention_layer(a: dict, b: dict, layer: str) -> LayerPairs:
    """'names' (name mentions) or 'mentions': identical spans paired, the entity type compared."""
    def pick(doc: dict) -> list[dict]:
        return [m for m in doc["mentions"] if layer == "mentions" or m["kind"] == "name"]

    items_a, items_b = pick(a), pick(b)
    pairs = pair_exact(items_a, items_b)
    types: dict[str, list[tuple[object, object]]] = {
        "entity type": [(items_a[i]["type"], items_b[j]["type"]) for i, j in pairs]}
    strict = sum(1 for x, y in types["entity type"] if x == y)
    return LayerPairs(len(items_a), len(items_b), strict, len(pairs), types, pairs)


def _passage_labels(a: dict, b: dict, layer: str, items_a: list[dict], items_b: list[dict],
                    pairs: list[tuple[int, int]]) -> dict[str, list[tuple[object, object]]]:
    """The labels compared on aligned quotes (type, speaker) or claims (check-worthiness, claimant)."""
    mapping = entity_map(a, b)
    if layer == "quotes":
        return {"quote type": [(items_a[i]["type"], items_b[j]["type"]) for i, j in pairs],
                "speaker": [(source_label(a, items_a[i]["speaker"]), source_label(b, items_b[j]["speaker"], mapping))
                            for i, j in pairs]}
    if layer == "claims":
        return {"check-worthiness": [(items_a[i]["check_worthy"], items_b[j]["check_worthy"]) for i, j in pairs],
                "claimant": [(source_label(a, items_a[i]["claimant"]), source_label(b, items_b[j]["claimant"], mapping))
                             for i, j in pairs]}
    return {}


def compare_layer(a: dict, b: dict, layer: str, min_iou: float = 0.5) -> LayerPairs:
    """Aligned items of one layer: 'names' (name mentions), 'mentions', 'cues', 'quotes' or 'claims'."""
    if layer in ("names", "mentions"):
        return _mention_layer(a, b, layer)
    if layer == "cues":
        items_a = [q["cue"] for q in a["quotes"] if q.get("cue")]
        items_b = [q["cue"] for q in b["quotes"] if q.get("cue")]
    else:
        items_a, items_b = list(a[layer]), list(b[layer])
    pairs = align(items_a, items_b, min_iou)
    exact = sum(1 for i, j in pairs if offsets(items_a[i]) == offsets(items_b[j]))
    labels = _passage_labels(a, b, layer, items_a, items_b, pairs)
    return LayerPairs(len(items_a), len(items_b), exact, len(pairs), labels, pairs)
