"""Annotation sheets (GUIDELINES.md Appendix A) -> canonical documents of one annotator.

An annotator who works outside Label Studio, from the text and the guidelines alone, delivers
one sheet per document: the three layers with code-point offsets, who annotated (for an AI agent
its model), the guidelines version and when. `apply_sheet` is pure: it checks the sheet against
the document's text (hash and every surface string) and returns a copy of the document holding
that annotator's layers, status `draft`, with provenance saying what the annotator was shown.
The converted document is then checked with the document validator (`wsw validate`): its errors,
and the warnings Appendix A turns into rules (an entity without a mention), refuse the sheet; its
other warnings are returned for the caller to print. Nothing in the sheet is re-ordered before
that check, so every JSON path reported is a path in the sheet. Every problem is collected and
reported with the sheet's file, the document id and the field.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime

from .core.document import LAYERS
from .core.inventory import load_inventory
from .validation import ERROR, Problem, validate_document

#: what an annotator working from a sheet was shown, besides the guidelines (recorded in provenance)
SHOWN_TEXT = "text (plain UTF-8 file of the document's text)"

#: the sheet's lists of annotations, in the order they are read
ITEM_KEYS = ("entities", "mentions", "quotes", "claims")

#: validation rules that only warn on a document but refuse a sheet, because Appendix A forbids the case
#: ("Every entity has at least one mention")
REFUSED_WARNINGS = frozenset({"ENTITY-UNUSED"})

#: a document id as the schema allows it (also the file name stem of the document)
DOC_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")

#: an ISO 8601 date and time with a time zone (Z or +hh:mm): a naive time cannot be compared or placed
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})")


@dataclass
class SheetResult:
    """The converted document, or the problems that stopped it (one line each), and warnings to print."""

    doc_id: str
    document: dict | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _json_type(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    for kind, name in ((bool, "boolean"), (dict, "an object"), (list, "a list"), (str, "a string"),
                       ((int, float), "a number")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__


def _found(container: dict, key: str) -> str:
    return "nothing (the field is missing)" if key not in container else _json_type(container[key])


def _time(sheet: dict, key: str, problems: list[str]) -> datetime | None:
    value = sheet.get(key)
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        shown = _found(sheet, key) if not isinstance(value, str) else repr(value)[:80]
        problems.append(f"$.{key}: expected an ISO 8601 date and time with a time zone, e.g. 2026-12-05T06:30:00Z, "
                        f"found {shown}")
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        problems.append(f"$.{key}: {value!r} is not a time of the calendar (month, day, hour or minute out of range)")
        return None


def _span(text: str, value: object, path: str, problems: list[str]) -> dict | None:
    """A checked span {start, end, text}: integer offsets inside the text whose surface matches."""
    if not isinstance(value, dict):
        problems.append(f"{path}: expected a span object {{start, end, text}}, found {_json_type(value)}")
        return None
    start, end, surface = value.get("start"), value.get("end"), value.get("text")
    if type(start) is not int or type(end) is not int:
        problems.append(f"{path}: offsets must be integers, found start={start!r} end={end!r}"[:300])
        return None
    if not 0 <= start < end <= len(text):
        problems.append(f"{path}: span [{start}, {end}) is not a non-empty range inside the text (0..{len(text)})"[:300])
        return None
    if text[start:end] != surface:
        problems.append(f"{path}: text[{start}:{end}] is {text[start:end]!r}, the sheet says {surface!r}"[:300])
        return None
    return {"start": start, "end": end, "text": surface}


def _spans(text: str, item: dict, path: str, what: str, problems: list[str]) -> list[dict] | None:
    """The fragments of a quote or claim, in the sheet's order (FRAGMENT-ORDER is checked by the validator)."""
    value = item.get("fragments")
    if not isinstance(value, list):
        problems.append(f"{path}.fragments: expected a list of spans, found {_found(item, 'fragments')}")
        return None
    if not value:
        problems.append(f"{path}.fragments: a {what} needs at least one fragment")
        return None
    frags = [_span(text, f, f"{path}.fragments[{j}]", problems) for j, f in enumerate(value)]
    return None if any(f is None for f in frags) else frags  # type: ignore[return-value]


def _attribution(value: object, path: str, kinds: tuple[str, ...], problems: list[str]) -> dict | None:
    if not isinstance(value, dict) or value.get("kind") not in kinds:
        problems.append(f"{path}: expected {{\"kind\": one of {', '.join(kinds)}}}, found {value!r}"[:300])
        return None
    kind = value["kind"]
    if kind in ("mention", "entity"):
        return {"kind": kind, kind: value.get(kind)}
    return {"kind": kind}


def _items(sheet: dict, key: str, problems: list[str]) -> list[tuple[str, dict]]:
    """(JSON path, object) of every entry of one of the sheet's lists; anything else is a problem."""
    value = sheet.get(key)
    if not isinstance(value, list):
        problems.append(f"$.{key}: expected a list of objects ([] when there is none), found {_found(sheet, key)}")
        return []
    items = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            items.append((f"$.{key}[{i}]", item))
        else:
            problems.append(f"$.{key}[{i}]: expected an object, found {_json_type(item)}")
    return items


def _layers(sheet: dict, text: str, problems: list[str]) -> dict[str, list]:
    """The four lists of the document, entry for entry as in the sheet (same order, so the same JSON paths)."""
    items = {key: _items(sheet, key, problems) for key in ITEM_KEYS}
    entities = [{"id": e.get("id"), "type": e.get("type"), "name": e.get("name"), "kb_id": e.get("kb_id")}
                for _, e in items["entities"]]
    types = {e["id"]: e["type"] for e in entities if isinstance(e["id"], str)}
    mentions = []
    for path, item in items["mentions"]:
        span = _span(text, item, path, problems)
        if span is None:
            continue
        entity = item.get("entity")
        if not isinstance(entity, str) or entity not in types:
            problems.append(f"{path}.entity: {entity!r} is not an entity of the sheet"[:300])
            continue
        mentions.append({"id": item.get("id"), **span, "type": types[entity], "kind": item.get("kind"),
                         "entity": entity})
    quotes = []
    for path, item in items["quotes"]:
        frags = _spans(text, item, path, "quote", problems)
        cue = None if item.get("cue") is None else _span(text, item["cue"], f"{path}.cue", problems)
        speaker = _attribution(item.get("speaker"), f"{path}.speaker", ("mention", "entity", "unknown"), problems)
        if frags is None or speaker is None or (item.get("cue") is not None and cue is None):
            continue
        quotes.append({"id": item.get("id"), "fragments": frags, "cue": cue, "speaker": speaker, "type": item.get("type")})
    claims = []
    for path, item in items["claims"]:
        frags = _spans(text, item, path, "claim", problems)
        claimant = _attribution(item.get("claimant"), f"{path}.claimant",
                                ("mention", "entity", "outlet", "unknown"), problems)
        check_worthy = item.get("check_worthy")
        if not isinstance(check_worthy, bool):
            problems.append(f"{path}.check_worthy: expected true or false, found {check_worthy!r}"[:300])
        if frags is None or claimant is None or not isinstance(check_worthy, bool):
            continue
        claims.append({"id": item.get("id"), "fragments": frags, "claimant": claimant, "quote": item.get("quote"),
                       "check_worthy": check_worthy})
    return {"entities": entities, "mentions": mentions, "quotes": quotes, "claims": claims}


def _notes(sheet: dict, problems: list[str]) -> list[str]:
    """The annotator's notes: a list of strings, one note each (absent or null: none)."""
    value = sheet.get("notes")
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"$.notes: expected a list of strings, one note each, found {_json_type(value)}")
        return []
    bad = [i for i, note in enumerate(value) if not isinstance(note, str)]
    for i in bad:
        problems.append(f"$.notes[{i}]: expected a string (one note), found {_json_type(value[i])}")
    return [] if bad else list(value)


def _annotator(sheet: dict, problems: list[str]) -> None:
    who = sheet.get("annotator")
    if not isinstance(who, dict):
        problems.append(f"$.annotator: expected {{id, kind, model, model_version}}, found {_found(sheet, 'annotator')}")
        return
    if not isinstance(who.get("id"), str) or not who["id"].strip():
        problems.append("$.annotator.id: expected the annotator's id (a non-empty string), found "
                        + (repr(who["id"])[:80] if isinstance(who.get("id"), str) else _found(who, "id")))
    for key in ("kind", "model", "model_version"):
        if who.get(key) is not None and not isinstance(who[key], str):
            problems.append(f"$.annotator.{key}: expected a string (or null), found {_json_type(who[key])} "
                            f"{who[key]!r}"[:300])
    kinds = load_inventory().producer_kinds
    if isinstance(who.get("kind"), str) and who["kind"] not in kinds:
        problems.append(f"$.annotator.kind: [LABEL-UNKNOWN] unknown producer kind (found {who['kind']!r}, "
                        f"expected one of {', '.join(kinds)})"[:300])


def producer_of(sheet: dict, workspace: str | None) -> dict:
    """The producer record of a sheet's annotator, with what it was shown and where it worked."""
    given = sheet.get("annotator")
    who: dict = given if isinstance(given, dict) else {}
    model = who.get("model")
    version = who.get("model_version")
    return {"kind": who.get("kind") or "agent", "id": who.get("id"), "version": version if isinstance(version, str) else None,
            "role": "annotated", "model": model if isinstance(model, str) else None,
            "shown": [SHOWN_TEXT, f"annotation/GUIDELINES.md {sheet.get('guidelines_version')}"],
            "workspace": workspace}


def _line(problem: Problem, refused: bool) -> str:
    """A validator finding as a sheet problem line: `json.path: [RULE] message (found …, expected …)`."""
    detail = [f"{name} {value}" for name, value in (("found", problem.found), ("expected", problem.expected))
              if value is not None]
    tail = f" ({', '.join(detail)})" if detail else ""
    if refused and problem.level != ERROR:
        return f"{problem.path}: [{problem.rule}] {problem.message}, which Appendix A of the guidelines forbids{tail}"
    prefix = "" if problem.level == ERROR else "warning: "
    return f"{problem.path}: [{problem.rule}] {prefix}{problem.message}{tail}"


def apply_sheet(doc: dict, sheet: object, workspace: str | None = None) -> SheetResult:
    """The document with the sheet's layers (status draft), or the problems found; `doc` is not changed."""
    doc_id = str(doc.get("id")) if isinstance(doc, dict) else "?"
    result = SheetResult(doc_id)
    problems = result.problems
    if not isinstance(doc, dict):
        problems.append(f"$.doc_id: the document is not a JSON object (found {_json_type(doc)})")
        return result
    if not isinstance(sheet, dict):
        problems.append(f"$: expected a JSON object, found {_json_type(sheet)}")
        return result
    if sheet.get("doc_id") != doc_id:
        problems.append(f"$.doc_id: expected {doc_id!r}, found {sheet.get('doc_id')!r}"[:300])
    text = doc.get("text")
    if not isinstance(text, str):
        problems.append(f"$.doc_id: the text of document {doc_id} is withheld ({_json_type(text)}), so the sheet's "
                        "spans cannot be checked; convert it against a copy of the document with its text")
        return result
    provenance = doc.get("provenance")
    if not isinstance(provenance, dict) or not isinstance(provenance.get("layers"), dict):
        problems.append(f"$.doc_id: document {doc_id} has no provenance.layers (not a canonical document?)")
        return result
    if sheet.get("text_sha256") != doc.get("text_sha256"):
        problems.append(f"$.text_sha256: the sheet was made on another text (expected {doc.get('text_sha256')}, "
                        f"found {sheet.get('text_sha256')!r})"[:300])
        return result
    _annotator(sheet, problems)
    if not isinstance(sheet.get("guidelines_version"), str):
        problems.append("$.guidelines_version: expected the guidelines version the annotator followed (a string), "
                        f"found {_found(sheet, 'guidelines_version')}")
    started, finished = _time(sheet, "started", problems), _time(sheet, "finished", problems)
    if started is not None and finished is not None and finished < started:
        problems.append(f"$.finished: {sheet['finished']!r} is before $.started {sheet['started']!r}")
    notes = _notes(sheet, problems)
    layers = _layers(sheet, text, problems)
    if problems:
        return result
    out = copy.deepcopy(doc)
    out.update(layers)
    producer = producer_of(sheet, workspace)
    for name in LAYERS:
        out["provenance"]["layers"][name] = {
            "status": "draft", "producers": [dict(producer)], "guidelines_version": sheet["guidelines_version"],
            "created": sheet["started"], "updated": sheet["finished"],
            # one sheet is one sitting for all three layers: its time is counted once, on the first layer
            "lead_time_seconds": (finished - started).total_seconds() if name == LAYERS[0] else None,  # type: ignore[operator]
            "changes": ["annotated: from scratch, from the text and the guidelines only (annotation sheet)",
                        *(f"note: {n}" for n in notes)],
        }
    # the lists are still in the sheet's order, so the validator's JSON paths are paths in the sheet
    for problem in validate_document(out, "<sheet>"):
        refused = problem.level == ERROR or problem.rule in REFUSED_WARNINGS
        (problems if refused else result.warnings).append(_line(problem, refused))
    if problems:
        return result
    out["mentions"].sort(key=lambda m: (m["start"], -m["end"], m["id"]))
    result.document = out
    return result


__all__ = ["REFUSED_WARNINGS", "SheetResult", "apply_sheet", "producer_of"]
