"""Corrections after adjudication: item-level fixes found by a later consistency review, applied on top of gold.

A corrections file lists, per document and item, one field's value before and after, with the rule and the reason.
`apply_corrections` is pure: it refuses a correction whose item or current value does not match (so a correction
never applies to something else than what the reviewer saw), sets the value, and records the change and the
reviewer in the layer's provenance. Applying the same file twice changes nothing more.
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..core.errors import UserError
from ..core.jsonfile import read_json_object

FORMAT = "whosaidwhat-corrections/1"
#: field -> (list holding the item, layer of provenance)
FIELDS = {"check_worthy": ("claims", "claims"), "type": ("quotes", "quotes")}


def read_corrections(path: Path) -> tuple[dict, dict[str, list[dict]]]:
    """(the file, corrections by document id), every entry checked for shape."""
    data = read_json_object(path, "the corrections file")
    where = str(path)
    if data.get("format") != FORMAT:
        raise UserError(f"{where}: $.format: expected {FORMAT!r}, found {data.get('format')!r}")
    by = data.get("by")
    if not isinstance(by, dict) or not isinstance(by.get("id"), str):
        raise UserError(f"{where}: $.by: expected {{kind, id, model, version}} of who made the corrections")
    entries = data.get("corrections")
    if not isinstance(entries, list):
        raise UserError(f"{where}: $.corrections: expected a list")
    per_doc: dict[str, list[dict]] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("doc_id", "item", "field", "rule")):
            raise UserError(f"{where}: $.corrections[{i}]: expected doc_id, item, field, rule (strings), from and to")
        if entry["field"] not in FIELDS:
            raise UserError(f"{where}: {entry['doc_id']}: $.corrections[{i}].field: {entry['field']!r} cannot be "
                            f"corrected here (expected one of {', '.join(FIELDS)})")
        per_doc.setdefault(entry["doc_id"], []).append({**entry, "_index": i})
    return data, per_doc


def apply_corrections(doc: dict, entries: list[dict], by: dict, where: str) -> dict:
    """The document with its corrections applied and recorded; refuses any that does not match the document."""
    out = copy.deepcopy(doc)
    touched: set[str] = set()
    for entry in entries:
        key, layer = FIELDS[entry["field"]]
        item = next((x for x in out[key] if x.get("id") == entry["item"]), None)
        path = f"{where}: {doc['id']}: $.corrections[{entry['_index']}]"
        if item is None:
            raise UserError(f"{path}.item: no {key[:-1]} {entry['item']!r} in the document")
        if item.get(entry["field"]) == entry.get("to"):
            continue  # already applied
        if item.get(entry["field"]) != entry.get("from"):
            raise UserError(f"{path}.from: {entry['item']}.{entry['field']} is {item.get(entry['field'])!r}, "
                            f"the correction expects {entry.get('from')!r}")
        item[entry["field"]] = entry["to"]
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
