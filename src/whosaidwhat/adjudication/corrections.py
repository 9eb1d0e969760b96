"""Corrections after adjudication: item-level fixes found by a later consistency review, applied on top of gold.

A corrections file lists, per document and item, one field's value before and after, with the rule and the reason.
`apply_corrections` is pure: it refuses a correction whose item or current value does not match (so a correction
never applies to something else than what the reviewer saw), sets the value, and records the change and the
reviewer in the layer's provenance. Applying the same file twice changes nothing more.
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..core.jsonfile import read_json_object
from ..core.problems import cut, fail

FORMAT = "whosaidwhat-corrections/1"
#: field -> (list holding the item, layer of provenance)
FIELDS = {"check_worthy": ("claims", "claims"), "type": ("quotes", "quotes")}


def _entry(entry: object, i: int, where: str) -> dict:
    """One correction, checked for shape."""
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("doc_id", "item", "field", "rule")):
        fail("CORRECTION-FIELD", "expected doc_id, item, field, rule (strings), from and to", file=where,
             path=f"$.corrections[{i}]", found=cut(entry))
    if entry["field"] not in FIELDS:
        fail("CORRECTION-FIELD", "this field cannot be corrected here", file=where, doc_id=entry["doc_id"],
             path=f"$.corrections[{i}].field", found=repr(entry["field"]), expected=f"one of {', '.join(FIELDS)}")
    return entry


def read_corrections(path: Path) -> tuple[dict, dict[str, list[dict]]]:
    """(the file, corrections by document id), every entry checked for shape."""
    data = read_json_object(path, "the corrections file")
    where = str(path)
    if data.get("format") != FORMAT:
        fail("CORRECTION-FORMAT", "not a corrections file", file=where, path="$.format", found=repr(data.get("format")),
             expected=repr(FORMAT))
    by = data.get("by")
    if not isinstance(by, dict) or not isinstance(by.get("id"), str):
        fail("CORRECTION-FIELD", "expected who made the corrections", file=where, path="$.by", found=cut(by),
             expected="{kind, id, model, version}")
    entries = data.get("corrections")
    if not isinstance(entries, list):
        fail("CORRECTION-FIELD", "expected a list of corrections", file=where, path="$.corrections",
             found=type(entries).__name__, expected="a list")
    per_doc: dict[str, list[dict]] = {}
    for i, entry in enumerate(entries):
        checked = _entry(entry, i, where)
        per_doc.setdefault(checked["doc_id"], []).append({**checked, "_index": i})
    return data, per_doc


def _apply_one(out: dict, entry: dict, where: str) -> str | None:
    """Apply one correction to `out`; the layer it changed, or None when it was applied already."""
    key, layer = FIELDS[entry["field"]]
    item = next((x for x in out[key] if x.get("id") == entry["item"]), None)
    path = f"$.corrections[{entry['_index']}]"
    if item is None:
        fail("CORRECTION-MISMATCH", f"no {key[:-1]} {entry['item']!r} in the document", file=where, doc_id=out["id"],
             path=f"{path}.item", found=repr(entry["item"]))
    if item.get(entry["field"]) == entry.get("to"):
        return None  # already applied
    if item.get(entry["field"]) != entry.get("from"):
        fail("CORRECTION-MISMATCH", f"{entry['item']}.{entry['field']} is not what the correction expects", file=where,
             doc_id=out["id"], path=f"{path}.from", found=repr(item.get(entry["field"])), expected=repr(entry.get("from")))
    item[entry["field"]] = entry["to"]
    return layer


def apply_corrections(doc: dict, entries: list[dict], by: dict, where: str) -> dict:
    """The document with its corrections applied and recorded; refuses any that does not match the document."""
    out = copy.deepcopy(doc)
    touched: set[str] = set()
    for entry in entries:
        layer = _apply_one(out, entry, where)
        if layer is None:
            continue
        record = out["provenance"]["layers"][layer]
        record.setdefault("changes", []).append(
            f"correction: {entry['item']}.{entry['field']} {entry.get('from')!r} -> {entry['to']!r} "
            f"({entry['rule']}: {entry.get('reason') or ''}) [by {by['id']}]")
        touched.add(layer)
    for layer in touched:
        producers = out["provenance"]["layers"][layer]["producers"]
        producer = {"kind": by.get("kind") or "agent", "id": by["id"], "version": by.get("version"),
                    "role": "corrected (consistency review after adjudication)", "model": by.get("model"),
                    "shown": ["text", "annotation/GUIDELINES.md 1.2", "the adjudicated gold"]}
        if producer not in producers:
            producers.append(producer)
    return out


__all__ = ["FORMAT", "apply_corrections", "read_corrections"]
