"""Whether two annotations of a document were made independently, decided from their provenance alone.

Two annotations are independent when no producer worked on both and neither producer was shown
the other's work (`producers[].shown` names what a producer saw). A shared pre-annotation system
does not break independence, but it is reported, since it pulls both towards the same answers.
"""

from __future__ import annotations

from ..core.document import LAYERS

#: producer roles that are not annotation work (an importer copying text, a converter)
NON_ANNOTATING = ("imported", "converted", "pulled")


def producers(doc: dict) -> list[dict]:
    """Every producer of any layer of the document (duplicates removed, order kept)."""
    seen, out = set(), []
    for layer in LAYERS:
        record = doc.get("provenance", {}).get("layers", {}).get(layer) or {}
        for producer in record.get("producers") or []:
            key = (producer.get("kind"), producer.get("id"))
            if key not in seen and producer.get("role") not in NON_ANNOTATING:
                seen.add(key)
                out.append(producer)
    return out


def shown(doc: dict) -> list[str]:
    """Everything the document's producers record having been shown."""
    return [item for p in producers(doc) for item in p.get("shown") or [] if isinstance(item, str)]


def dependence(a: dict, b: dict) -> str | None:
    """Why annotations `a` and `b` of one document are not independent, or None if their provenance shows they are."""
    ids_a = {p.get("id") for p in producers(a)}
    ids_b = {p.get("id") for p in producers(b)}
    if not ids_a or not ids_b:
        return "a side records no producer, so its independence cannot be checked"
    common = sorted(str(i) for i in ids_a & ids_b)
    if common:
        return f"shared producer {', '.join(common)}"
    for mine, theirs, label in ((a, ids_b, "A"), (b, ids_a, "B")):
        for item in shown(mine):
            hit = next((pid for pid in theirs if pid and pid in item), None)
            if hit:
                return f"{label}'s producer was shown {item!r}, which is the other annotator's work ({hit})"
    return None


def shared_preannotation(a: dict, b: dict) -> list[str]:
    """Pre-annotation inputs both sides were shown (allowed, but reported)."""
    pre = lambda doc: {item for item in shown(doc) if item.lower().startswith("pre-annotation")}  # noqa: E731
    return sorted(pre(a) & pre(b))
