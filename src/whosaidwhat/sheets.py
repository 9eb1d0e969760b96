"""Annotation sheets (GUIDELINES.md Appendix A) -> canonical documents of one annotator.

An annotator who works outside Label Studio, from the text and the guidelines alone, delivers
one sheet per document: the three layers with code-point offsets, who annotated (for an AI agent
its model), the guidelines version and when. `apply_sheet` is pure: it checks the sheet against
the document's text (hash and every surface string) and returns a copy of the document holding
that annotator's layers, status `draft`, with provenance saying what the annotator was shown.
The converted document is then checked with the document validator (`wsw validate`): its errors,
and the warnings Appendix A turns into rules (an entity without a mention), refuse the sheet; its
other warnings are returned for the caller to print. Nothing in the sheet is re-ordered before
that check, so every JSON path reported is a path in the sheet. Every problem is collected as a
`core.problems.Problem` of the annotation rules (SHEET-...) with the sheet's file, the document id
and the JSON path.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime

from .core.document import LAYERS
from .core.inventory import load_inventory
from .core.problems import ERROR, Problem, cut
from .validation import validate_document

#: what an annotator working from a sheet was shown, besides the guidelines (recorded in provenance)
SHOWN_TEXT = "text (plain UTF-8 file of the document's text)"

#: the sheet's lists of annotations, in the order they are read
ITEM_KEYS = ("entities", "mentions", "quotes", "claims")

#: every top-level key Appendix A defines; any other is refused (a misspelt "claim" would lose the claims)
SHEET_KEYS = ("doc_id", "text_sha256", "guidelines_version", "annotator", "started", "finished", *ITEM_KEYS, "notes")

#: validation rules that only warn on a document but refuse a sheet, because Appendix A forbids the case
#: ("Every entity has at least one mention"), and the sheet rule that refuses it
REFUSED_WARNINGS = {"ENTITY-UNUSED": "SHEET-ENTITY-UNUSED"}

#: a document id as the schema allows it (also the file name stem of the document)
DOC_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")

#: an ISO 8601 date and time with a time zone (Z or +hh:mm): a naive time cannot be compared or placed
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})")


@dataclass
class SheetResult:
    """The converted document, or the problems that stopped it, and warnings to print."""

    doc_id: str
    document: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Check:
    """Where the problems of one sheet go, with the file and document they are about."""

    file: str | None
    doc_id: str | None
    problems: list[Problem]

    def add(self, rule: str, path: str, message: str, found: object = None, expected: object = None) -> None:
        self.problems.append(Problem(rule, message, file=self.file, doc_id=self.doc_id, path=path,
                                     found=None if found is None else cut(found),
                                     expected=None if expected is None else cut(expected)))


def _json_type(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    for kind, name in ((bool, "boolean"), (dict, "an object"), (list, "a list"), (str, "a string"),
                       ((int, float), "a number")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__


def _found(container: dict, key: str) -> str:
    return "nothing (the field is missing)" if key not in container else _json_type(container[key])


def _time(sheet: dict, key: str, check: _Check) -> datetime | None:
    value = sheet.get(key)
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        shown = _found(sheet, key) if not isinstance(value, str) else repr(value)
        check.add("SHEET-TIME", f"$.{key}", "not an ISO 8601 date and time with a time zone", found=shown,
                  expected="e.g. 2026-12-05T06:30:00Z")
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        check.add("SHEET-TIME", f"$.{key}", "not a time of the calendar (month, day, hour or minute out of range)",
                  found=repr(value))
        return None


def _span(text: str, value: object, path: str, check: _Check) -> dict | None:
    """A checked span {start, end, text}: integer offsets inside the text whose surface matches."""
    if not isinstance(value, dict):
        check.add("SHEET-FIELD", path, "expected a span object {start, end, text}", found=_json_type(value))
        return None
    start, end, surface = value.get("start"), value.get("end"), value.get("text")
    if type(start) is not int or type(end) is not int:
        check.add("SHEET-SPAN", path, "offsets must be integers", found=f"start={start!r} end={end!r}")
        return None
    if not 0 <= start < end <= len(text):
        check.add("SHEET-SPAN", path, f"span [{start}, {end}) is not a non-empty range inside the text",
                  found=f"[{start}, {end})", expected=f"0 <= start < end <= {len(text)}")
        return None
    if text[start:end] != surface:
        check.add("SHEET-SPAN", path, f"the sheet's text is not text[{start}:{end}]", found=repr(surface),
                  expected=repr(text[start:end]))
        return None
    return {"start": start, "end": end, "text": surface}


def _spans(text: str, item: dict, path: str, what: str, check: _Check) -> list[dict] | None:
    """The fragments of a quote or claim, in the sheet's order (FRAGMENT-ORDER is checked by the validator)."""
    value = item.get("fragments")
    if not isinstance(value, list):
        check.add("SHEET-FIELD", f"{path}.fragments", "expected a list of spans", found=_found(item, "fragments"))
        return None
    if not value:
        check.add("SHEET-FIELD", f"{path}.fragments", f"a {what} needs at least one fragment", found="[]")
        return None
    frags = [_span(text, f, f"{path}.fragments[{j}]", check) for j, f in enumerate(value)]
    return None if any(f is None for f in frags) else frags  # type: ignore[return-value]


def _attribution(value: object, path: str, kinds: tuple[str, ...], check: _Check) -> dict | None:
    if not isinstance(value, dict) or value.get("kind") not in kinds:
        check.add("SHEET-FIELD", path, "not an attribution", found=repr(value),
                  expected=f"{{\"kind\": one of {', '.join(kinds)}}}")
        return None
    kind = value["kind"]
    if kind in ("mention", "entity"):
        return {"kind": kind, kind: value.get(kind)}
    return {"kind": kind}


def _items(sheet: dict, key: str, check: _Check) -> list[tuple[str, dict]]:
    """(JSON path, object) of every entry of one of the sheet's lists; anything else is a problem."""
    value = sheet.get(key)
    if not isinstance(value, list):
        check.add("SHEET-FIELD", f"$.{key}", "expected a list of objects ([] when there is none)",
                  found=_found(sheet, key))
        return []
    items = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            items.append((f"$.{key}[{i}]", item))
        else:
            check.add("SHEET-FIELD", f"$.{key}[{i}]", "expected an object", found=_json_type(item))
    return items


def _mentions(items: list[tuple[str, dict]], types: dict, text: str, check: _Check) -> list[dict]:
    mentions = []
    for path, item in items:
        span = _span(text, item, path, check)
        if span is None:
            continue
        entity = item.get("entity")
        if not isinstance(entity, str) or entity not in types:
            check.add("SHEET-REF", f"{path}.entity", "not an entity of the sheet", found=repr(entity),
                      expected="the id of an entity in $.entities")
            continue
        mentions.append({"id": item.get("id"), **span, "type": types[entity], "kind": item.get("kind"),
                         "entity": entity})
    return mentions


def _quotes(items: list[tuple[str, dict]], text: str, check: _Check) -> list[dict]:
    quotes = []
    for path, item in items:
        frags = _spans(text, item, path, "quote", check)
        cue = None if item.get("cue") is None else _span(text, item["cue"], f"{path}.cue", check)
        speaker = _attribution(item.get("speaker"), f"{path}.speaker", ("mention", "entity", "unknown"), check)
        if frags is None or speaker is None or (item.get("cue") is not None and cue is None):
            continue
        quotes.append({"id": item.get("id"), "fragments": frags, "cue": cue, "speaker": speaker, "type": item.get("type")})
    return quotes


def _claims(items: list[tuple[str, dict]], text: str, check: _Check) -> list[dict]:
    claims = []
    for path, item in items:
        frags = _spans(text, item, path, "claim", check)
        claimant = _attribution(item.get("claimant"), f"{path}.claimant", ("mention", "entity", "outlet", "unknown"), check)
        check_worthy = item.get("check_worthy")
        if not isinstance(check_worthy, bool):
            check.add("SHEET-FIELD", f"{path}.check_worthy", "expected true or false", found=repr(check_worthy))
        if frags is None or claimant is None or not isinstance(check_worthy, bool):
            continue
        claims.append({"id": item.get("id"), "fragments": frags, "claimant": claimant, "quote": item.get("quote"),
                       "check_worthy": check_worthy})
    return claims


def _layers(sheet: dict, text: str, check: _Check) -> dict[str, list]:
    """The four lists of the document, entry for entry as in the sheet (same order, so the same JSON paths)."""
    items = {key: _items(sheet, key, check) for key in ITEM_KEYS}
    entities = [{"id": e.get("id"), "type": e.get("type"), "name": e.get("name"), "kb_id": e.get("kb_id")}
                for _, e in items["entities"]]
    types = {e["id"]: e["type"] for e in entities if isinstance(e["id"], str)}
    return {"entities": entities, "mentions": _mentions(items["mentions"], types, text, check),
            "quotes": _quotes(items["quotes"], text, check), "claims": _claims(items["claims"], text, check)}


def _notes(sheet: dict, check: _Check) -> list[str]:
    """The annotator's notes: a list of strings, one note each (absent or null: none)."""
    value = sheet.get("notes")
    if value is None:
        return []
    if not isinstance(value, list):
        check.add("SHEET-FIELD", "$.notes", "expected a list of strings, one note each", found=_json_type(value))
        return []
    bad = [i for i, note in enumerate(value) if not isinstance(note, str)]
    for i in bad:
        check.add("SHEET-FIELD", f"$.notes[{i}]", "expected a string (one note)", found=_json_type(value[i]))
    return [] if bad else list(value)


def _annotator(sheet: dict, check: _Check) -> None:
    who = sheet.get("annotator")
    if not isinstance(who, dict):
        check.add("SHEET-FIELD", "$.annotator", "expected the annotator", found=_found(sheet, "annotator"),
                  expected="{id, kind, model, model_version}")
        return
    if not isinstance(who.get("id"), str) or not who["id"].strip():
        check.add("SHEET-FIELD", "$.annotator.id", "expected the annotator's id (a non-empty string)",
                  found=repr(who["id"]) if isinstance(who.get("id"), str) else _found(who, "id"))
    for key in ("kind", "model", "model_version"):
        if who.get(key) is not None and not isinstance(who[key], str):
            check.add("SHEET-FIELD", f"$.annotator.{key}", "expected a string (or null)",
                      found=f"{_json_type(who[key])} {who[key]!r}")
    kinds = load_inventory().producer_kinds
    if isinstance(who.get("kind"), str) and who["kind"] not in kinds:
        check.add("LABEL-UNKNOWN", "$.annotator.kind", "unknown producer kind", found=repr(who["kind"]),
                  expected=f"one of {', '.join(kinds)}")


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


def annotator_id(sheet: object) -> str | None:
    """The sheet's annotator id, if it gives one."""
    who = sheet.get("annotator") if isinstance(sheet, dict) else None
    value = who.get("id") if isinstance(who, dict) else None
    return value if isinstance(value, str) else None


def _against_document(doc: object, sheet: dict, check: _Check) -> str | None:
    """The document's text when the sheet can be checked against it (same id, same text), else None."""
    if not isinstance(doc, dict):
        check.add("SHEET-DOC-INVALID", "$.doc_id", "the document is not a JSON object", found=_json_type(doc))
        return None
    if sheet.get("doc_id") != check.doc_id:
        check.add("SHEET-DOC-ID", "$.doc_id", "the sheet is not of this document", found=repr(sheet.get("doc_id")),
                  expected=repr(check.doc_id))
    text = doc.get("text")
    if not isinstance(text, str):
        check.add("SHEET-DOC-INVALID", "$.doc_id", f"the text of the document is withheld ({_json_type(text)}), so the "
                  "sheet's spans cannot be checked; convert it against a copy of the document with its text")
        return None
    provenance = doc.get("provenance")
    if not isinstance(provenance, dict) or not isinstance(provenance.get("layers"), dict):
        check.add("SHEET-DOC-INVALID", "$.doc_id", "the document has no provenance.layers (not a canonical document?)")
        return None
    if sheet.get("text_sha256") != doc.get("text_sha256"):
        check.add("SHEET-TEXT-HASH", "$.text_sha256", "the sheet was made on another text",
                  found=repr(sheet.get("text_sha256")), expected=doc.get("text_sha256"))
        return None
    return text


def _header(sheet: dict, check: _Check) -> tuple[datetime | None, datetime | None]:
    """Checks of the sheet's keys, annotator, guidelines version and times; (started, finished)."""
    for key in sheet:
        if key not in SHEET_KEYS:
            check.add("SHEET-KEY-UNKNOWN", f"$.{key}", "not a key of an annotation sheet (Appendix A)", found=repr(key),
                      expected=f"only {', '.join(SHEET_KEYS)}")
    _annotator(sheet, check)
    if not isinstance(sheet.get("guidelines_version"), str):
        check.add("SHEET-FIELD", "$.guidelines_version", "expected the guidelines version the annotator followed "
                  "(a string)", found=_found(sheet, "guidelines_version"))
    started, finished = _time(sheet, "started", check), _time(sheet, "finished", check)
    if started is not None and finished is not None and finished < started:
        check.add("SHEET-TIME", "$.finished", "finished before $.started", found=sheet["finished"],
                  expected=f"at or after {sheet['started']}")
    return started, finished


def _provenance(out: dict, sheet: dict, workspace: str | None, notes: list[str], seconds: float) -> None:
    producer = producer_of(sheet, workspace)
    for name in LAYERS:
        out["provenance"]["layers"][name] = {
            "status": "draft", "producers": [dict(producer)], "guidelines_version": sheet["guidelines_version"],
            "created": sheet["started"], "updated": sheet["finished"],
            # one sheet is one sitting for all three layers: its time is counted once, on the first layer
            "lead_time_seconds": seconds if name == LAYERS[0] else None,
            "changes": ["annotated: from scratch, from the text and the guidelines only (annotation sheet)",
                        *(f"note: {n}" for n in notes)],
        }


def _validate(out: dict, check: _Check, warnings: list[Problem]) -> None:
    """The validator's findings on the converted document: errors and refused warnings stop it, others warn."""
    for found in validate_document(out, "<sheet>"):
        rule = REFUSED_WARNINGS.get(found.rule, found.rule) if found.level != ERROR else found.rule
        message = found.message + (", which Appendix A of the guidelines forbids" if rule != found.rule else "")
        problem = Problem(rule, message, file=check.file, doc_id=check.doc_id, path=found.path, found=found.found,
                          expected=found.expected)
        (check.problems if problem.is_error else warnings).append(problem)


def apply_sheet(doc: dict, sheet: object, workspace: str | None = None, file: str | None = None) -> SheetResult:
    """The document with the sheet's layers (status draft), or the problems found; `doc` is not changed."""
    doc_id = str(doc.get("id")) if isinstance(doc, dict) else "?"
    result = SheetResult(doc_id)
    check = _Check(file, doc_id, result.problems)
    if not isinstance(sheet, dict):
        check.add("JSON-NOT-OBJECT", "$", "expected a JSON object (one annotation sheet)", found=_json_type(sheet))
        return result
    text = _against_document(doc, sheet, check)
    if text is None:
        return result
    started, finished = _header(sheet, check)
    notes = _notes(sheet, check)
    layers = _layers(sheet, text, check)
    if check.problems or started is None or finished is None:
        return result
    out = copy.deepcopy(doc)
    out.update(layers)
    _provenance(out, sheet, workspace, notes, (finished - started).total_seconds())
    # the lists are still in the sheet's order, so the validator's JSON paths are paths in the sheet
    _validate(out, check, result.warnings)
    if check.problems:
        return result
    out["mentions"].sort(key=lambda m: (m["start"], -m["end"], m["id"]))
    result.document = out
    return result


__all__ = ["REFUSED_WARNINGS", "SHEET_KEYS", "SheetResult", "annotator_id", "apply_sheet", "producer_of"]
