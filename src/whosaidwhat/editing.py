"""Small, checked edits of a canonical document, addressed by surface strings instead of offsets.

Hand annotation and adjudication scripts say *what* to annotate ("the 2nd 'Peskov' after
'Kremlin spokesman'") and these functions compute code-point offsets, fill in surface text,
allocate ids, and refuse ambiguous or missing anchors. `save` validates before it writes.
"""

from __future__ import annotations

import re
from pathlib import Path

from .core.atomic import write_text
from .core.document import Span, dumps
from .core.jsonfile import read_json_object
from .core.problems import ERROR, Problem, ProblemError, fail
from .validation import validate_document


def _whole_word(text: str, start: int, end: int) -> bool:
    """True when [start, end) is not glued to word characters on either side ('he' is not in 'the')."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    def edge_ok(outside, inside):
        return not (outside.isalnum() or outside == "_") or not (inside.isalnum() or inside == "_")
    return edge_ok(before, text[start]) and edge_ok(after, text[end - 1])


def locate(text: str, surface: str, nth: int = 1, after: str | None = None, whole_word: bool = True) -> Span:
    """The span of the `nth` occurrence (1-based) of `surface`, counted from the first `after` anchor.

    By default only whole-word occurrences count, so 'he' never matches inside 'the'.
    """
    base = 0
    if after is not None:
        base = text.find(after)
        if base < 0:
            fail("EDIT-ANCHOR", "anchor not found in the text", found=repr(after))
    index, seen = base - 1, 0
    while seen < nth:
        index = text.find(surface, index + 1)
        if index < 0:
            fail("EDIT-ANCHOR", f"occurrence {nth} of {surface!r}" + (f" after {after!r}" if after else "") + " not found",
                 found=repr(surface))
        if not whole_word or _whole_word(text, index, index + len(surface)):
            seen += 1
    return {"start": index, "end": index + len(surface), "text": surface}


def occurrences(text: str, surface: str) -> list[int]:
    """Start offsets of every occurrence of `surface` (for checking that an anchor is unambiguous)."""
    found, index = [], text.find(surface)
    while index >= 0:
        found.append(index)
        index = text.find(surface, index + 1)
    return found


_ID_IN_CHANGE = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9_.:-]*?\d+(?![\w-])")


def next_id(doc: dict, prefix: str) -> str:
    """A fresh id with `prefix` (e, m, q, c), used nowhere in the document, nor in its change log.

    Ids of removed items are mentioned in `changes` ("review: q9: removed ..."), so they are
    never handed out again and old change notes keep pointing at one item only.
    """
    used = {item.get("id") for key in ("entities", "mentions", "quotes", "claims") for item in doc.get(key, [])}
    for record in doc.get("provenance", {}).get("layers", {}).values():
        for line in record.get("changes") or []:
            used.update(_ID_IN_CHANGE.findall(line))
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def add_entity(doc: dict, name: str, etype: str, kb_id: str | None = None) -> str:
    """Add a coreference cluster and return its id."""
    entity_id = next_id(doc, "e")
    doc["entities"].append({"id": entity_id, "type": etype, "name": name, "kb_id": kb_id})
    return entity_id


def add_mention(doc: dict, surface: str, entity: str, kind: str = "name", nth: int = 1, after: str | None = None) -> str:
    """Add a mention of `entity` at the given occurrence of `surface`; its type is the entity's."""
    entity_record = next((e for e in doc["entities"] if e["id"] == entity), None)
    if entity_record is None:
        fail("EDIT-ITEM", f"entity {entity!r} does not exist", doc_id=doc["id"], found=repr(entity))
    span = locate(doc["text"], surface, nth, after)
    for mention in doc["mentions"]:
        if (mention["start"], mention["end"]) == (span["start"], span["end"]):
            fail("EDIT-ITEM", f"a mention already covers {surface!r} at {span['start']} ({mention['id']})",
                 doc_id=doc["id"], found=mention["id"])
    mention_id = next_id(doc, "m")
    doc["mentions"].append({"id": mention_id, **span, "type": entity_record["type"], "kind": kind, "entity": entity})
    doc["mentions"].sort(key=lambda m: (m["start"], -m["end"]))
    return mention_id


def mention_at(doc: dict, surface: str, nth: int = 1, after: str | None = None) -> str:
    """Id of the existing mention exactly at that occurrence of `surface`."""
    span = locate(doc["text"], surface, nth, after)
    for mention in doc["mentions"]:
        if (mention["start"], mention["end"]) == (span["start"], span["end"]):
            return mention["id"]
    fail("EDIT-ITEM", f"no mention exactly at {surface!r} [{span['start']}, {span['end']})", doc_id=doc["id"])


def attribution(kind: str, ref: str | None = None) -> dict:
    """An attribution record: attribution('mention', 'm3'), attribution('outlet'), attribution('unknown')."""
    if kind == "mention":
        return {"kind": "mention", "mention": ref}
    if kind == "entity":
        return {"kind": "entity", "entity": ref}
    return {"kind": kind}


def fragments(doc: dict, parts: list) -> list[Span]:
    """Spans for a list of fragment anchors: each a string or a (surface, nth) / (surface, nth, after) tuple."""
    spans = []
    for part in parts:
        if isinstance(part, str):
            spans.append(locate(doc["text"], part))
        else:
            spans.append(locate(doc["text"], *part))
    return sorted(spans, key=lambda s: s["start"])


def add_quote(doc: dict, parts: list, speaker: dict, qtype: str, cue=None) -> str:
    """Add a quote from fragment anchors, a speaker attribution, a type and an optional cue anchor."""
    quote_id = next_id(doc, "q")
    cue_span = None if cue is None else (locate(doc["text"], cue) if isinstance(cue, str) else locate(doc["text"], *cue))
    doc["quotes"].append({"id": quote_id, "fragments": fragments(doc, parts), "cue": cue_span, "speaker": speaker, "type": qtype})
    return quote_id


def add_claim(doc: dict, parts: list, claimant: dict, check_worthy: bool, quote: str | None = None) -> str:
    """Add a claim from fragment anchors with its claimant, quote link and check-worthiness."""
    claim_id = next_id(doc, "c")
    doc["claims"].append({"id": claim_id, "fragments": fragments(doc, parts), "claimant": claimant,
                          "quote": quote, "check_worthy": check_worthy})
    return claim_id


def remove(doc: dict, item_id: str) -> dict:
    """Remove the item with this id from whichever list holds it, and return it."""
    for key in ("entities", "mentions", "quotes", "claims"):
        for i, item in enumerate(doc[key]):
            if item["id"] == item_id:
                return doc[key].pop(i)
    fail("EDIT-ITEM", f"no item {item_id!r}", doc_id=doc["id"], found=repr(item_id))


def record_change(doc: dict, layer: str, message: str) -> None:
    """Append a human-readable change note to a layer's provenance."""
    doc["provenance"]["layers"][layer].setdefault("changes", []).append(message)


def load(path: str | Path) -> dict:
    """Read a canonical document to edit (a ProblemError naming the file if it cannot be read)."""
    return read_json_object(Path(path), "the document")


def save(doc: dict, path: str | Path) -> None:
    """Validate, then write atomically in the canonical serialisation; refuse to write an invalid document."""
    errors = [p for p in validate_document(doc, str(path)) if p.level == ERROR]
    if errors:
        exc = ProblemError([Problem(p.rule, p.message, file=str(path), doc_id=p.doc_id, path=p.path, found=p.found,
                                    expected=p.expected) for p in errors])
        exc.message = "refusing to save an invalid document:\n" + "\n".join(p.line() for p in exc.problems)
        raise exc
    write_text(path, dumps(doc))
