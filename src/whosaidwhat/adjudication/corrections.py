"""Corrections after adjudication: item-level fixes found by a later consistency review, applied on top of gold.

A corrections file lists, per document and item, one field's value before and after, with the rule and the reason.
`apply_corrections` is pure: it refuses a correction whose item or current value does not match (so a correction
never applies to something else than what the reviewer saw), sets the value, and records the change and the
reviewer in the layer's provenance. Applying the same file twice changes nothing more. A `mention`, `entity` or
`claim` correction whose `to` is null deletes the item (guidelines 1.4 C13); the document must still validate afterwards, so
an item that a quote, claim or mention points to cannot disappear unnoticed.
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..core.jsonfile import read_json_object
from ..core.problems import cut, fail

FORMAT = "whosaidwhat-corrections/1"
#: field -> the lists that may hold the item (first match by id wins), in the order they are searched
FIELDS: dict[str, tuple[str, ...]] = {
    "check_worthy": ("claims",),
    "type": ("quotes",),
    "fragments": ("claims", "quotes"),  # a span boundary: the whole list of fragments, before and after
    "name": ("entities",),
    "entity_type": ("entities",),  # the entity's type and, with it, the type of every one of its mentions
    "kb_id": ("entities",),  # the entity's knowledge-base link (`wikipedia:<title>` or null)
    "claimant": ("claims",),  # the claim's attribution: {kind, mention, entity} (guidelines 4.4)
    "entity": ("entities",),  # the whole entity {type, name, kb_id}; `to` null deletes it (when no mention is left)
    "claim": ("claims",),  # the whole claim {fragments, claimant, quote, check_worthy}; `to` null deletes it
    "mention": ("mentions",),  # a mention's span and kind: {start, end, text, kind}
}
#: the provenance layer a list belongs to
LAYER_OF = {"claims": "claims", "quotes": "quotes", "entities": "mentions", "mentions": "mentions"}
#: the keys a whole-item field states, per field
_ITEM_KEYS = {"mention": ("start", "end", "text", "kind"), "entity": ("type", "name", "kb_id"),
              "claim": ("fragments", "claimant", "quote", "check_worthy")}
#: fields whose `to: null` deletes the item (guidelines 1.4 C13)
DELETABLE = frozenset({"mention", "entity", "claim"})


def _current(item: dict, field: str) -> object:
    """The value of `field` on `item` as a correction states it."""
    if field == "entity_type":
        return item.get("type")
    if field in _ITEM_KEYS:
        return {k: item.get(k) for k in _ITEM_KEYS[field]}
    return item.get(field)


def _set(doc: dict, item: dict, field: str, value: object) -> None:
    """Set `field` of `item` to `value`, keeping what depends on it consistent (an entity's mentions share its type)."""
    if field == "entity_type":
        item["type"] = value
        for mention in doc["mentions"]:
            if mention.get("entity") == item["id"]:
                mention["type"] = value
    elif field in _ITEM_KEYS:
        assert isinstance(value, dict)
        item.update({k: value[k] for k in _ITEM_KEYS[field]})
    else:
        item[field] = value


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


def _find(out: dict, entry: dict, where: str, path: str) -> tuple[str, dict] | None:
    """(list, item) the correction names; None when an earlier application of it deleted the item."""
    field = entry["field"]
    found = [(key, x) for key in FIELDS[field] for x in out[key] if x.get("id") == entry["item"]]
    if found:
        return found[0]
    if field in DELETABLE and entry.get("to") is None and _deleted_before(out, entry["item"], field):
        return None
    fail("CORRECTION-MISMATCH", f"no item {entry['item']!r} in {' or '.join(FIELDS[field])} of the document", file=where,
         doc_id=out["id"], path=f"{path}.item", found=repr(entry["item"]))


def _apply_one(out: dict, entry: dict, where: str) -> str | None:
    """Apply one correction to `out`; the layer it changed, or None when it was applied already."""
    field = entry["field"]
    path = f"$.corrections[{entry['_index']}]"
    found = _find(out, entry, where, path)
    if found is None:
        return None  # deleted by an earlier application of this correction
    key, item = found
    deleting = field in DELETABLE and entry.get("to") is None
    if not deleting and _current(item, field) == entry.get("to"):
        return None  # already applied
    if _current(item, field) != entry.get("from"):
        fail("CORRECTION-MISMATCH", f"{entry['item']}.{field} is not what the correction expects", file=where,
             doc_id=out["id"], path=f"{path}.from", found=repr(_current(item, field)), expected=repr(entry.get("from")))
    if deleting:
        out[key] = [x for x in out[key] if x is not item]
    else:
        _set(out, item, field, entry["to"])
    return LAYER_OF[key]


def _deleted_before(doc: dict, item_id: str, field: str) -> bool:
    """Whether the layer that records corrections of `field` says one deleted `item_id`: applying the same file
    again finds the item gone and changes nothing."""
    changes = doc["provenance"]["layers"][LAYER_OF[FIELDS[field][0]]].get("changes") or []
    return any(isinstance(c, str) and c.startswith(f"correction: {item_id}.{field} ") and " -> None (" in c for c in changes)


def _shown(value: object) -> str:
    """A value as the change log shows it: spans as `[start, end) 'text'`, everything else as repr."""
    if isinstance(value, list) and all(isinstance(v, dict) and "start" in v for v in value):
        return " + ".join(f"[{v['start']}, {v['end']}) {v.get('text')!r}" for v in value)
    if isinstance(value, dict) and "start" in value:
        return f"[{value['start']}, {value['end']}) {value.get('text')!r} {value.get('kind')}"
    if isinstance(value, dict) and isinstance(value.get("fragments"), list):
        return f"claim {_shown(value['fragments'])} by {value.get('claimant')}"
    if isinstance(value, dict) and "name" in value:
        return f"{value.get('type')} {value.get('name')!r} {value.get('kb_id')}"
    return repr(value)


def apply_corrections(doc: dict, entries: list[dict], by: dict, where: str, guidelines_version: str = "1.2") -> dict:
    """The document with its corrections applied and recorded; refuses any that does not match the document.

    `guidelines_version` is the version the reviewer followed (the corrections file's `guidelines_version`).
    """
    out = copy.deepcopy(doc)
    touched: set[str] = set()
    for entry in entries:
        layer = _apply_one(out, entry, where)
        if layer is None:
            continue
        record = out["provenance"]["layers"][layer]
        record.setdefault("changes", []).append(
            f"correction: {entry['item']}.{entry['field']} {_shown(entry.get('from'))} -> {_shown(entry['to'])} "
            f"({entry['rule']}: {entry.get('reason') or ''}) [by {by['id']}]")
        touched.add(layer)
    for layer in touched:
        producers = out["provenance"]["layers"][layer]["producers"]
        producer = {"kind": by.get("kind") or "agent", "id": by["id"], "version": by.get("version"),
                    "role": by.get("role") or "corrected (consistency review after adjudication)", "model": by.get("model"),
                    "shown": ["text", f"annotation/GUIDELINES.md {guidelines_version}", "the adjudicated gold"]}
        if producer not in producers:
            producers.append(producer)
    return out


__all__ = ["FORMAT", "apply_corrections", "read_corrections"]
