"""Predictions as canonical documents: pre-annotations for an annotation campaign.

`predicted_document(document, line, system)` puts a system's submission line into a copy of the
canonical document it was made from: every layer replaced by the predictions, with surface texts
filled in, entity names taken from their longest name mention, and the layer provenance saying
who made it (status `silver`, producer kind `rule` or `model`, id and version of the system). A
folder of such documents is what `wsw labelstudio push` sends as predictions, so a campaign starts
from the system's output: `wsw predict --system rules corpus/documents --out p.jsonl --documents pre/`
then `wsw labelstudio push --project P pre/ --model-version rules-0.1.0`.
"""

from __future__ import annotations

import copy

from ..core.problems import fail

LAYERS = ("mentions", "quotes", "claims")


def _span(text: str, s: dict | None) -> dict | None:
    return None if s is None else {"start": s["start"], "end": s["end"], "text": text[s["start"]:s["end"]]}


def _who(a: dict) -> dict:
    return {"kind": a["kind"], **({"mention": a["mention"]} if a.get("mention") else {}),
            **({"entity": a["entity"]} if a.get("entity") else {})}


def _entity(e: dict, mentions: list[dict]) -> dict:
    """A predicted entity, named after its longest name mention (type from it when the line gives none)."""
    own = [m for m in mentions if m["entity"] == e["id"]]
    named = [m for m in own if m["kind"] == "name"] or own
    best = max(named, key=lambda m: (m["end"] - m["start"], -m["start"]), default=None)
    return {"id": e["id"], "type": e.get("type") or (best["type"] if best else "MISC"),
            "name": best["text"] if best else e["id"], "kb_id": None}


def predicted_document(document: dict, line: dict, system) -> dict:
    """A canonical document holding `line`'s predictions instead of the document's own layers."""
    if "metadata" not in document or "provenance" not in document:
        fail("PRED-DOCUMENTS-NEED-CANONICAL", "--documents needs canonical documents (files, folders or JSONL), "
             "not release rows", doc_id=str(document.get("id")), found="a release row (no metadata/provenance)",
             expected="a canonical document")
    text = document["text"]
    doc = copy.deepcopy(document)
    mentions = [{"id": m["id"], "start": m["start"], "end": m["end"], "text": text[m["start"]:m["end"]],
                 "type": m["type"], "kind": m.get("kind") or "name", "entity": m.get("entity")}
                for m in line.get("mentions", [])]
    doc["entities"] = [_entity(e, mentions) for e in line.get("entities", [])]
    doc["mentions"] = mentions
    doc["quotes"] = [{"id": q["id"], "fragments": [_span(text, f) for f in q["fragments"]], "cue": _span(text, q.get("cue")),
                      "speaker": _who(q["speaker"]), "type": q["type"]} for q in line.get("quotes", [])]
    doc["claims"] = [{"id": c["id"], "fragments": [_span(text, f) for f in c["fragments"]], "claimant": _who(c["claimant"]),
                      "quote": c.get("quote"), "check_worthy": bool(c["check_worthy"])} for c in line.get("claims", [])]
    producer = {"kind": "rule" if system.kind == "rules" else "model", "id": system.name, "version": system.version,
                "role": "predicted"}
    for layer in LAYERS:
        doc["provenance"]["layers"][layer] = {
            "status": "silver", "producers": [producer], "guidelines_version": None, "created": None, "updated": None,
            "lead_time_seconds": None, "changes": [],
            "notes": f"pre-annotation: `wsw predict --system {system.name}` ({system.name} {system.version})"}
    return doc
