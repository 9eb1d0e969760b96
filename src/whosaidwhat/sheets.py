"""Annotation sheets (GUIDELINES.md Appendix A) -> canonical documents of one annotator.

An annotator who works outside Label Studio, from the text and the guidelines alone, delivers
one sheet per document: the three layers with code-point offsets, who annotated (for an AI agent
its model), the guidelines version and when. `apply_sheet` is pure: it checks the sheet against
the document's text (hash and every surface string) and returns a copy of the document holding
that annotator's layers, status `draft`, with provenance saying what the annotator was shown.
Every problem is collected and reported with the sheet's file, the document id and the field.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from .document import LAYERS

#: what an annotator working from a sheet was shown, besides the guidelines (recorded in provenance)
SHOWN_TEXT = "text (plain UTF-8 file of the document's text)"


@dataclass
class SheetResult:
    """The converted document, or the problems that stopped it (one line each)."""

    doc_id: str
    document: dict | None = None
    problems: list[str] = field(default_factory=list)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _span(text: str, value: object, path: str, problems: list[str]) -> dict | None:
    """A checked span {start, end, text}: integer offsets inside the text whose surface matches."""
    if not isinstance(value, dict):
        problems.append(f"{path}: expected a span object {{start, end, text}}, found {type(value).__name__}")
        return None
    start, end, surface = value.get("start"), value.get("end"), value.get("text")
    if type(start) is not int or type(end) is not int:
        problems.append(f"{path}: offsets must be integers, found start={start!r} end={end!r}")
        return None
    if not 0 <= start < end <= len(text):
        problems.append(f"{path}: span [{start}, {end}) is not a non-empty range inside the text (0..{len(text)})")
        return None
    if text[start:end] != surface:
        problems.append(f"{path}: text[{start}:{end}] is {text[start:end]!r}, the sheet says {surface!r}")
        return None
    return {"start": start, "end": end, "text": surface}


def _attribution(value: object, path: str, kinds: tuple[str, ...], problems: list[str]) -> dict | None:
    if not isinstance(value, dict) or value.get("kind") not in kinds:
        problems.append(f"{path}: expected {{\"kind\": one of {', '.join(kinds)}}}, found {value!r}"[:300])
        return None
    kind = value["kind"]
    if kind in ("mention", "entity"):
        return {"kind": kind, kind: value.get(kind)}
    return {"kind": kind}


def _layers(sheet: dict, text: str, problems: list[str]) -> dict[str, list]:
    entities = []
    for i, item in enumerate(sheet.get("entities") or []):
        if not isinstance(item, dict):
            problems.append(f"$.entities[{i}]: expected an object")
            continue
        entities.append({"id": item.get("id"), "type": item.get("type"), "name": item.get("name"),
                         "kb_id": item.get("kb_id")})
    types = {e["id"]: e["type"] for e in entities}
    mentions = []
    for i, item in enumerate(sheet.get("mentions") or []):
        span = _span(text, item, f"$.mentions[{i}]", problems)
        if span is None:
            continue
        entity = item.get("entity")
        if entity not in types:
            problems.append(f"$.mentions[{i}].entity: {entity!r} is not an entity of the sheet")
            continue
        mentions.append({"id": item.get("id"), **span, "type": types[entity], "kind": item.get("kind"),
                         "entity": entity})
    quotes = []
    for i, item in enumerate(sheet.get("quotes") or []):
        frags = [_span(text, f, f"$.quotes[{i}].fragments[{j}]", problems) for j, f in enumerate(item.get("fragments") or [])]
        cue = None if item.get("cue") is None else _span(text, item["cue"], f"$.quotes[{i}].cue", problems)
        speaker = _attribution(item.get("speaker"), f"$.quotes[{i}].speaker", ("mention", "entity", "unknown"), problems)
        if None in frags or not frags or speaker is None or (item.get("cue") is not None and cue is None):
            if not frags:
                problems.append(f"$.quotes[{i}].fragments: a quote needs at least one fragment")
            continue
        quotes.append({"id": item.get("id"), "fragments": sorted(frags, key=lambda s: s["start"]), "cue": cue,
                       "speaker": speaker, "type": item.get("type")})
    claims = []
    for i, item in enumerate(sheet.get("claims") or []):
        frags = [_span(text, f, f"$.claims[{i}].fragments[{j}]", problems) for j, f in enumerate(item.get("fragments") or [])]
        claimant = _attribution(item.get("claimant"), f"$.claims[{i}].claimant",
                                ("mention", "entity", "outlet", "unknown"), problems)
        if None in frags or not frags or claimant is None:
            if not frags:
                problems.append(f"$.claims[{i}].fragments: a claim needs at least one fragment")
            continue
        check_worthy = item.get("check_worthy")
        if not isinstance(check_worthy, bool):
            problems.append(f"$.claims[{i}].check_worthy: expected true or false, found {check_worthy!r}")
            continue
        claims.append({"id": item.get("id"), "fragments": sorted(frags, key=lambda s: s["start"]),
                       "claimant": claimant, "quote": item.get("quote"), "check_worthy": check_worthy})
    mentions.sort(key=lambda m: (m["start"], -m["end"], m["id"] or ""))
    return {"entities": entities, "mentions": mentions, "quotes": quotes, "claims": claims}


def producer_of(sheet: dict, workspace: str | None) -> dict:
    """The producer record of a sheet's annotator, with what it was shown and where it worked."""
    who = sheet.get("annotator") if isinstance(sheet.get("annotator"), dict) else {}
    model = who.get("model")
    version = who.get("model_version")
    return {"kind": who.get("kind") or "agent", "id": who.get("id"), "version": version if isinstance(version, str) else None,
            "role": "annotated", "model": model if isinstance(model, str) else None,
            "shown": [SHOWN_TEXT, f"annotation/GUIDELINES.md {sheet.get('guidelines_version')}"],
            "workspace": workspace}


def apply_sheet(doc: dict, sheet: object, workspace: str | None = None) -> SheetResult:
    """The document with the sheet's layers (status draft), or the problems found; `doc` is not changed."""
    doc_id = str(doc.get("id"))
    result = SheetResult(doc_id)
    if not isinstance(sheet, dict):
        result.problems.append(f"$: expected a JSON object, found {type(sheet).__name__}")
        return result
    problems = result.problems
    if sheet.get("doc_id") != doc_id:
        problems.append(f"$.doc_id: expected {doc_id!r}, found {sheet.get('doc_id')!r}")
    if sheet.get("text_sha256") != doc.get("text_sha256"):
        problems.append(f"$.text_sha256: the sheet was made on another text (expected {doc.get('text_sha256')}, "
                        f"found {sheet.get('text_sha256')!r})")
        return result
    who = sheet.get("annotator")
    if not isinstance(who, dict) or not isinstance(who.get("id"), str) or not who["id"]:
        problems.append("$.annotator.id: expected the annotator's id")
    if not isinstance(sheet.get("guidelines_version"), str):
        problems.append("$.guidelines_version: expected the guidelines version the annotator followed")
    started, finished = _time(sheet.get("started")), _time(sheet.get("finished"))
    if started is None or finished is None or finished < started:
        problems.append(f"$.started/$.finished: expected ISO 8601 times with started <= finished, found "
                        f"{sheet.get('started')!r} and {sheet.get('finished')!r}")
    layers = _layers(sheet, doc["text"], problems)
    if problems:
        return result
    out = copy.deepcopy(doc)
    out.update(layers)
    notes = [f"note: {n}" for n in sheet.get("notes") or [] if isinstance(n, str)]
    producer = producer_of(sheet, workspace)
    for name in LAYERS:
        out["provenance"]["layers"][name] = {
            "status": "draft", "producers": [dict(producer)], "guidelines_version": sheet["guidelines_version"],
            "created": sheet["started"], "updated": sheet["finished"],
            # one sheet is one sitting for all three layers: its time is counted once, on the first layer
            "lead_time_seconds": (finished - started).total_seconds() if name == LAYERS[0] else None,  # type: ignore[operator]
            "changes": ["annotated: from scratch, from the text and the guidelines only (annotation sheet)", *notes],
        }
    result.document = out
    return result


__all__ = ["SheetResult", "apply_sheet", "producer_of"]
