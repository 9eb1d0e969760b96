"""Canonical document -> Label Studio task (data, and results for predictions or annotations).

Pure functions. The mapping is described in `mapping.py`; `decode.py` is the inverse and
`decode(encode(doc)) == doc` for the layers (tested on emoji, combining marks, CRLF and
interrupted quotes).
"""

from __future__ import annotations

from ..core.document import LAYERS
from ..core.problems import fail
from . import mapping as M

#: key under which the canonical metadata and provenance travel in the task data
WSW_KEY = "wsw"


def _region(region_id: str, from_name: str, kind: str, start: int, end: int, text: str, payload: dict) -> dict:
    value = {"start": start, "end": end, "text": text, **payload}
    return {"id": region_id, "from_name": from_name, "to_name": M.TEXT, "type": kind, "origin": "prediction",
            "value": value}


def _per_region(region: dict, from_name: str, kind: str, payload: dict) -> dict:
    """A per-region choice or text item: same id and offsets as its region."""
    value = {"start": region["value"]["start"], "end": region["value"]["end"], **payload}
    if kind != "textarea":
        value["text"] = region["value"]["text"]
    return {"id": region["id"], "from_name": from_name, "to_name": M.TEXT, "type": kind,
            "origin": "prediction", "value": value}


def _relation(from_id: str, to_id: str, label: str) -> dict:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def _fragment_ids(item_id: str, count: int) -> list[str]:
    return [item_id if i == 0 else f"{item_id}{M.FRAGMENT_SUFFIX}{i + 1}" for i in range(count)]


def _source(result: list, head: dict, attribution: dict, relation: str, choice_control: str, entity_control: str) -> None:
    kind = attribution.get("kind")
    if kind == "mention":
        result.append(_relation(head["id"], attribution["mention"], relation))
    elif kind == "entity":
        result.append(_per_region(head, entity_control, "textarea", {"text": [attribution["entity"]]}))
    else:
        result.append(_per_region(head, choice_control, "choices", {"choices": [kind]}))


def document_to_results(doc: dict) -> list[dict]:
    """All layers of a canonical document as Label Studio result items."""
    text = doc["text"]
    if text is None:
        fail("LS-PUSH-TEXT-WITHHELD", "text is withheld (null); rehydrate it before pushing to Label Studio",
             doc_id=doc.get("id"), path="$.text")
    result = _mention_results(doc, text) + _unmentioned_results(doc)
    for quote in doc.get("quotes", []):
        result.extend(_quote_results(text, quote))
    for claim in doc.get("claims", []):
        result.extend(_claim_results(text, claim))
    layers = [name for name in LAYERS if doc["provenance"]["layers"][name]["status"] != "absent"]
    if layers:
        result.append({"id": M.ANNOTATED_LAYERS, "from_name": M.ANNOTATED_LAYERS, "to_name": M.TEXT,
                       "type": "choices", "origin": "prediction", "value": {"choices": layers}})
    return result


def _mention_results(doc: dict, text: str) -> list[dict]:
    """Mention regions with kind and entity key; the entity's name and kb id on its first mention."""
    result: list[dict] = []
    entities = {e["id"]: e for e in doc.get("entities", [])}
    named: set[str] = set()
    for mention in doc.get("mentions", []):
        region = _region(mention["id"], M.MENTION, "labels", mention["start"], mention["end"],
                         text[mention["start"]:mention["end"]], {"labels": [mention["type"]]})
        result.append(region)
        result.append(_per_region(region, M.MENTION_KIND, "choices", {"choices": [mention["kind"]]}))
        result.append(_per_region(region, M.ENTITY_KEY, "textarea", {"text": [mention["entity"]]}))
        entity = entities.get(mention["entity"])
        if entity is None or entity["id"] in named:
            continue
        named.add(entity["id"])
        result.append(_per_region(region, M.ENTITY_NAME, "textarea", {"text": [entity["name"]]}))
        if entity.get("kb_id"):
            result.append(_per_region(region, M.ENTITY_KB, "textarea", {"text": [entity["kb_id"]]}))
    return result


def _unmentioned_results(doc: dict) -> list[dict]:
    """Entities without a mention: lines of the document-level unmentioned_entities text."""
    mentioned = {mention["entity"] for mention in doc.get("mentions", [])}
    lines = []
    for entity in doc.get("entities", []):
        if entity["id"] in mentioned:
            continue
        if "|" in entity["name"] or "|" in (entity.get("kb_id") or ""):
            fail("LS-UNMENTIONED-PIPE", f"entity {entity['id']} has no mention and its name or kb_id contains '|', "
                 f"which the {M.UNMENTIONED} field cannot carry", doc_id=doc["id"], path=f"$.entities[{entity['id']}]",
                 found=entity["name"], expected="no '|'")
        parts = [entity["id"], entity["type"], entity["name"]] + ([entity["kb_id"]] if entity.get("kb_id") else [])
        lines.append(" | ".join(parts))
    if not lines:
        return []
    return [{"id": M.UNMENTIONED, "from_name": M.UNMENTIONED, "to_name": M.TEXT, "type": "textarea",
             "origin": "prediction", "value": {"text": ["\n".join(lines)]}}]


def _quote_results(text: str, quote: dict) -> list[dict]:
    result = _fragment_regions(text, quote, M.QUOTE)
    head = result[0]
    result.append(_per_region(head, M.QUOTE_TYPE, "choices", {"choices": [quote["type"]]}))
    _source(result, head, quote["speaker"], M.SAID_BY, M.SPEAKER, M.SPEAKER_ENTITY)
    if quote.get("cue") is not None:
        cue = quote["cue"]
        cue_id = f"{quote['id']}{M.CUE_SUFFIX}"
        result.append(_region(cue_id, M.ATTRIBUTION, "labels", cue["start"], cue["end"],
                              text[cue["start"]:cue["end"]], {"labels": [M.CUE]}))
        result.append(_relation(head["id"], cue_id, M.CUE_OF))
    return result


def _claim_results(text: str, claim: dict) -> list[dict]:
    result = _fragment_regions(text, claim, M.CLAIM)
    head = result[0]
    if claim["check_worthy"]:
        result.append(_per_region(head, M.CHECK_WORTHY, "choices", {"choices": [M.CHECK_WORTHY_VALUE]}))
    _source(result, head, claim["claimant"], M.CLAIMED_BY, M.CLAIMANT, M.CLAIMANT_ENTITY)
    if claim.get("quote"):
        result.append(_relation(head["id"], claim["quote"], M.MADE_IN))
    return result


def _fragment_regions(text: str, item: dict, label: str) -> list[dict]:
    ids = _fragment_ids(item["id"], len(item["fragments"]))
    regions = [_region(rid, M.ATTRIBUTION, "labels", f["start"], f["end"], text[f["start"]:f["end"]], {"labels": [label]})
               for rid, f in zip(ids, item["fragments"])]
    return regions


def _fragment_relations(doc: dict) -> list[dict]:
    out: list[dict] = []
    for key in ("quotes", "claims"):
        for item in doc.get(key, []):
            ids = _fragment_ids(item["id"], len(item["fragments"]))
            out.extend(_relation(a, b, M.CONTINUES) for a, b in zip(ids, ids[1:]))
    return out


def encode_results(doc: dict) -> list[dict]:
    """Result items of every layer, fragment links included."""
    return document_to_results(doc) + _fragment_relations(doc)


def annotation_results(doc: dict) -> list[dict]:
    """Result items of every layer as an annotator's own work (`origin` manual, not prediction)."""
    results = encode_results(doc)
    for item in results:
        if "origin" in item:
            item["origin"] = "manual"
    return results


def model_version_of(doc: dict) -> str:
    """A prediction's model_version summarising who produced the document's layers.

    `kind:id@version` per producer, joined with `+`; layers with different producers are named
    (`mentions=...;quotes=...`). Capped at 200 characters (Label Studio stores at most 255).
    """
    per_layer = {}
    for name in LAYERS:
        record = doc["provenance"]["layers"][name]
        if record["status"] == "absent":
            continue
        producers = "+".join(f"{p['kind']}:{p['id']}" + (f"@{p['version']}" if p.get("version") else "")
                             for p in record.get("producers", [])) or "unknown"
        per_layer[name] = f"{record['status']}/{producers}"
    distinct = set(per_layer.values())
    if not distinct:
        summary = "wsw:no-layers"
    elif len(distinct) == 1:
        summary = "wsw:" + distinct.pop()
    else:
        summary = "wsw:" + ";".join(f"{k}={v}" for k, v in per_layer.items())
    if len(summary) > 200:
        import hashlib

        summary = summary[:187] + "~" + hashlib.sha256(summary.encode()).hexdigest()[:12]
    return summary


def document_to_task(doc: dict, mode: str | None = "predictions", model_version: str | None = None) -> dict:
    """A Label Studio task for one canonical document.

    `data` carries the text, the document id (the idempotency key), display fields and, under
    `wsw`, everything needed to rebuild a canonical document from an export alone. `mode` is
    `predictions` (layers as pre-annotations), `annotations` (as a finished annotation by the
    importing user) or None (text only).
    """
    if doc.get("text") is None:
        fail("LS-PUSH-TEXT-WITHHELD", "text is withheld (null); rehydrate it before pushing to Label Studio",
             doc_id=doc.get("id"), path="$.text")
    metadata = doc["metadata"]
    version = model_version or model_version_of(doc)
    data = {
        "text": doc["text"],
        "doc_id": doc["id"],
        "title": metadata.get("title"),
        "outlet": metadata.get("outlet"),
        "published": metadata.get("published"),
        "url": metadata.get("url"),
        WSW_KEY: {
            "schema_version": doc["schema_version"],
            "text_sha256": doc["text_sha256"],
            "metadata": metadata,
            "source": doc["provenance"]["source"],
            "layers": doc["provenance"]["layers"],
            "prediction_model_version": version if mode == "predictions" else None,
        },
    }
    task: dict = {"data": data}
    has_layers = any(doc["provenance"]["layers"][n]["status"] != "absent" for n in LAYERS)
    if mode and has_layers:
        results = encode_results(doc)
        if mode == "predictions":
            task["predictions"] = [{"model_version": version, "result": results}]
        elif mode == "annotations":
            task["annotations"] = [{"result": annotation_results(doc)}]
        else:
            raise ValueError(f"unknown mode {mode!r}")
    return task
