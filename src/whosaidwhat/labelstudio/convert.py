"""A Label Studio JSON export -> canonical documents, one per (document, annotator), and a report.

Pure: `convert_export` takes the parsed export and returns documents and a report; `output.py`
writes them. Works on both kinds of 1.23 JSON export: the synchronous one (`completed_by` is a
user id, predictions are ids) and snapshots (`completed_by` may be an object, predictions full).

What happens to each thing in an export (also in the report):
- a submitted annotation -> a document under annotators/<annotator id>/, layers status `draft`,
  the annotator as producer with `workspace` saying where the annotation is in Label Studio;
- an annotation created by `push --annotator-from-provenance` -> the same, but every layer gets
  the provenance it was pushed with back (see provenance.py), and the annotator id it was pushed as;
- a cancelled (skipped) annotation, a draft, a prediction when predictions are not asked for,
  a task nobody annotated -> not converted, listed under `skipped` with the reason;
- an older annotation of the same document by the same annotator -> `skipped` (superseded);
- two annotator ids (or model versions) that would share one output folder -> a UserError naming
  both: nothing is converted, because one of them would otherwise overwrite the other;
- anything that cannot be converted -> listed under `problems` with task, annotation and region;
  the document is not written unless `partial` is set, and then the omission is recorded in the
  layer provenance `changes`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

from ..core.document import LAYERS, SCHEMA_VERSION, text_sha256
from ..core.inventory import Inventory, load_inventory
from ..validation import ERROR, validate_document
from .annotators import Annotators, is_placeholder
from .decode import decode_result
from .encode import WSW_KEY
from .provenance import Location, record_for, records_of, restore, usable

__all__ = ["Annotators", "Converted", "convert_export", "parse_export", "check_export_shape", "REPORT_KIND"]

REPORT_KIND = "wsw-labelstudio-report"
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
_FOLDER = re.compile(r"[^A-Za-z0-9._-]")


@dataclass
class Converted:
    """Documents to write (relative path -> document) and the report."""

    documents: dict
    report: dict

    @property
    def ok(self) -> bool:
        return not self.report["problems"]


def _folder_name(value: str) -> str:
    return _FOLDER.sub("_", value)[:100] or "_"


def _timestamp(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _lead_time(value) -> tuple[float | None, str | None]:
    """(seconds, None), or (None, why the value was not used) for a value that is not a duration."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"lead_time {_short(value)} is not a number of seconds; recorded as null"
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds) or seconds < 0:
        return None, f"lead_time {_short(value)} is not a finite, non-negative number of seconds; recorded as null"
    return seconds, None


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _lone_surrogate(text: str) -> int | None:
    """Offset of the first lone surrogate (a JSON `\\udXXX` escape that is not Unicode text), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def unwritable(value, path: str = "$") -> str | None:
    """Where a value cannot be written as strict UTF-8 JSON (a lone surrogate, NaN or an infinity), or None."""
    if isinstance(value, str):
        at = _lone_surrogate(value)
        return None if at is None else f"{path}: holds a lone surrogate U+{ord(value[at]):04X} at offset {at} (not Unicode text)"
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path}: {value!r} is not a JSON number"
    if isinstance(value, dict):
        for key, item in value.items():
            found = unwritable(key, f"{path} key") or unwritable(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            found = unwritable(item, f"{path}[{n}]")
            if found:
                return found
    return None


def printable(value):
    """The value with every string safe to print and write as UTF-8 (lone surrogates shown as `\\udXXX`)
    and every NaN or infinity as a string: for reports, which must be written whatever the export held."""
    if isinstance(value, str):
        return value if _lone_surrogate(value) is None else value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [printable(v) for v in value]
    return value


class _Converter:
    def __init__(self, inventory: Inventory, unit: str, include_predictions: bool, annotators: Annotators,
                 partial: bool, source: str, server_url: str | None = None):
        self.inv = inventory
        self.unit = unit
        self.include_predictions = include_predictions
        self.annotators = annotators
        self.partial = partial
        self.source = source
        self.server_url = server_url
        self.problems: list[dict] = []
        self.warnings: list[dict] = []
        self.skipped: list[dict] = []
        self.written: list[dict] = []
        self.documents: dict[str, dict] = {}
        self.candidates: dict[tuple, tuple] = {}  # (folder, doc_id) -> (sort key, relpath, doc, entry)
        self.folder_owner: dict[str, str] = {}  # output folder -> the annotator id or model version it holds
        self.tasks = 0

    def problem(self, task, doc_id, message, annotation=None, annotator=None, region=None, control=None, level="error"):
        entry = {"task": task, "doc_id": doc_id, "annotation": annotation, "annotator": annotator,
                 "region": region, "control": control, "message": message}
        (self.problems if level == "error" else self.warnings).append(entry)

    def skip(self, task, doc_id, reason, annotation=None, annotator=None):
        self.skipped.append({"task": task, "doc_id": doc_id, "annotation": annotation, "annotator": annotator,
                             "reason": reason})

    # -- tasks -------------------------------------------------------------------------------
    def task(self, task) -> None:
        self.tasks += 1
        if not isinstance(task, dict):
            self.problem(None, None, f"task {self.tasks} is not an object")
            return
        tid = task.get("id")
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        doc_id = data.get("doc_id")
        base = self.base_document(tid, doc_id, data)
        if base is not None:
            base["push_records"] = records_of(task.get("meta"))
            base["project"] = task.get("project")
        annotations = task.get("annotations") if isinstance(task.get("annotations"), list) else []
        predictions = task.get("predictions") if isinstance(task.get("predictions"), list) else []
        drafts = task.get("drafts") if isinstance(task.get("drafts"), list) else []
        if base is None:
            return
        if not annotations and not predictions:
            self.skip(tid, doc_id, "no annotations yet")
        for draft in drafts:
            did = draft.get("id") if isinstance(draft, dict) else draft
            user = draft.get("user") if isinstance(draft, dict) else None
            self.skip(tid, doc_id, "draft (saved but not submitted); drafts are not converted", annotation=f"draft {did}",
                      annotator=user if isinstance(user, (int, str)) and "@" not in str(user) else None)
        for annotation in annotations:
            self.annotation(tid, base, annotation)
        for prediction in predictions:
            self.prediction(tid, base, prediction)

    def base_document(self, tid, doc_id, data) -> dict | None:
        if not isinstance(doc_id, str) or not _DOC_ID.match(doc_id):
            self.problem(tid, doc_id, f"task data.doc_id {doc_id!r} is missing or not a document id "
                                      "(tasks must be pushed with `wsw labelstudio push`)")
            return None
        text = data.get("text")
        wsw = data.get(WSW_KEY)
        if not isinstance(text, str) or not text:
            self.problem(tid, doc_id, "task data.text is missing or empty")
            return None
        bad = _lone_surrogate(text)
        if bad is not None:
            self.problem(tid, doc_id, f"task data.text holds a lone surrogate U+{ord(text[bad]):04X} at code point {bad} "
                                      "(a broken \\ud83d-style escape, not Unicode text); the task was not pushed by wsw "
                                      "or was edited: fix its text in Label Studio")
            return None
        if not isinstance(wsw, dict) or not isinstance(wsw.get("metadata"), dict) or not isinstance(wsw.get("source"), dict):
            self.problem(tid, doc_id, f"task data.{WSW_KEY} (metadata and source provenance) is missing; "
                                      "tasks must be pushed with `wsw labelstudio push`")
            return None
        actual = text_sha256(text)
        if wsw.get("text_sha256") != actual:
            self.problem(tid, doc_id, f"task text was changed in Label Studio: its SHA-256 is {actual}, "
                                      f"the pushed document's is {wsw.get('text_sha256')}")
            return None
        return {"schema_version": wsw.get("schema_version") or SCHEMA_VERSION, "id": doc_id, "text": text,
                "text_sha256": actual, "metadata": wsw["metadata"], "source": wsw["source"],
                "pushed_layers": wsw.get("layers"), "prediction_model_version": wsw.get("prediction_model_version")}

    def annotation(self, tid, base, annotation) -> None:
        doc_id = base["id"]
        if not isinstance(annotation, dict):
            self.problem(tid, doc_id, f"annotation is not an object: {annotation!r}")
            return
        aid = annotation.get("id")
        completed_by = annotation.get("completed_by")
        pushed = record_for(base["push_records"], annotation)
        if pushed is not None:
            why = usable(pushed, completed_by)
            if why:
                self.problem(tid, doc_id, f"{why}; converted as an annotation made in Label Studio", aid,
                             control="meta", level="warning")
                pushed = None
        annotator, why = self.annotators.resolve(completed_by, pushed["annotator"] if pushed else None)
        if annotator is None:
            self.problem(tid, doc_id, why, annotation=aid)
            return
        if annotation.get("was_cancelled"):
            self.skip(tid, doc_id, "cancelled (skipped) by the annotator", aid, annotator)
            return
        lead, why = _lead_time(annotation.get("lead_time"))
        if why:
            self.problem(tid, doc_id, why, aid, annotator, control="lead_time", level="warning")
        user = completed_by.get("id") if isinstance(completed_by, dict) else completed_by
        pushed_to, pushed_email = (pushed or {}).get("pushed_to"), (pushed or {}).get("email")
        where = Location(self.server_url or (pushed_to if isinstance(pushed_to, str) else None),
                         annotation.get("project") or base["project"], tid, aid, user,
                         self.annotators.email_of(completed_by) or (pushed_email if is_placeholder(pushed_email) else None))
        producer = {"kind": "human", "id": annotator, "version": None, "role": "annotated", "workspace": where.workspace}
        record = {"status": "draft", "producers": [producer], "guidelines_version": None,
                  "created": _timestamp(annotation.get("created_at")), "updated": _timestamp(annotation.get("updated_at")),
                  "lead_time_seconds": lead,
                  "changes": [], "notes": f"Label Studio task {tid}, annotation {aid}, completed_by user {user}"
                                          + (" (ground truth)" if annotation.get("ground_truth") else "")}
        key_time = record["updated"] or record["created"] or ""

        def adjust(doc) -> dict:
            if pushed is None:
                return {"provenance": "label-studio"}
            editor, _ = self.annotators.resolve(annotation.get("updated_by"))
            changed = restore(doc, pushed, annotator, where, editor or annotator, record["updated"])
            return {"provenance": "pushed", "changed_in_label_studio": changed}

        self.convert_one(tid, base, annotation.get("result"), f"annotators/{_folder_name(annotator)}",
                         lambda layer, annotated: dict(record, producers=[dict(producer)], changes=list(record["changes"]))
                         if annotated else {"status": "absent", "producers": []},
                         aid, annotator, (key_time, aid if isinstance(aid, int) else 0), adjust)

    def prediction(self, tid, base, prediction) -> None:
        doc_id = base["id"]
        if not isinstance(prediction, dict):
            if self.include_predictions:
                self.problem(tid, doc_id, f"prediction {prediction!r} is listed by id only; export a snapshot with full "
                                          "predictions (`wsw labelstudio pull` does)")
            else:
                self.skip(tid, doc_id, "prediction (use --predictions to convert)", annotation=f"prediction {prediction}")
            return
        pid = prediction.get("id")
        version = prediction.get("model_version") or "unknown-model"
        if not isinstance(version, str) or _lone_surrogate(version) is not None:
            self.problem(tid, doc_id, f"prediction model_version {_short(version)} is not a text", f"prediction {pid}")
            return
        if not self.include_predictions:
            self.skip(tid, doc_id, "prediction (use --predictions to convert)", annotation=f"prediction {pid}",
                      annotator=version)
            return
        pushed = base.get("pushed_layers") if version == base.get("prediction_model_version") else None

        def record_for(layer, annotated):
            if isinstance(pushed, dict) and isinstance(pushed.get(layer), dict):
                return dict(pushed[layer])  # our own pre-annotation: its provenance comes back unchanged
            if not annotated:
                return {"status": "absent", "producers": []}
            return {"status": "silver", "producers": [{"kind": "model", "id": version, "version": None,
                                                       "role": "pre-annotated"}],
                    "created": _timestamp(prediction.get("created_at")), "updated": _timestamp(prediction.get("updated_at")),
                    "changes": [], "notes": f"Label Studio task {tid}, prediction {pid}"}

        self.convert_one(tid, base, prediction.get("result"), f"predictions/{_folder_name(version)}", record_for,
                         f"prediction {pid}", version,
                         (_timestamp(prediction.get("updated_at")) or "", pid if isinstance(pid, int) else 0))

    def claim_folder(self, folder: str, owner: str) -> None:
        """One output folder per annotator (or model version): two ids that would share one are refused."""
        other = self.folder_owner.setdefault(folder, owner)
        if other != owner:
            from ..core.errors import UserError

            kind = "annotator ids" if folder.startswith("annotators/") else "model versions"
            raise UserError(f"{self.source}: {kind} {other!r} and {owner!r} would both be written to {folder}/ "
                            "(folder names keep only letters, digits, '.', '_' and '-'), so one would replace the "
                            "other's documents; nothing was converted. Give them ids that differ in those characters"
                            + (" (--annotators map)" if kind == "annotator ids" else ""))

    def convert_one(self, tid, base, result, folder, record_for, aid, annotator, order, adjust=None) -> None:
        doc_id = base["id"]
        self.claim_folder(folder, annotator)
        decoded = decode_result(base["text"], result, self.inv, self.unit)
        for issue in decoded.issues:
            self.problem(tid, doc_id, issue.message, aid, annotator, issue.region, issue.control)
        if decoded.issues and not self.partial:
            return
        ticked = set(decoded.annotated_layers or ())
        members = {"mentions": decoded.entities or decoded.mentions, "quotes": decoded.quotes, "claims": decoded.claims}
        layers = {}
        for layer in LAYERS:
            has_items = bool(members[layer])
            if layer in ticked or has_items:
                record = record_for(layer, True)
                if decoded.unit == "utf16":
                    record.setdefault("changes", []).append("offsets converted from UTF-16 code units to code points")
                for issue in decoded.issues:
                    if issue.layer == layer:
                        record.setdefault("changes", []).append(f"left out {issue.line()}")
                layers[layer] = record
            else:
                layers[layer] = record_for(layer, False)
        doc = {"schema_version": base["schema_version"], "id": doc_id, "text": base["text"], "text_sha256": base["text_sha256"],
               "metadata": base["metadata"], "provenance": {"source": base["source"], "layers": layers},
               "entities": decoded.entities, "mentions": decoded.mentions, "quotes": decoded.quotes, "claims": decoded.claims}
        extra = adjust(doc) if adjust is not None else {}
        where = f"{self.source}: task {tid} {('annotation ' + str(aid)) if isinstance(aid, int) else aid}"
        bad_value = unwritable(doc)
        if bad_value:  # a value from the export (a name, a time...) that no JSON file can hold
            self.problem(tid, doc_id, f"cannot be written as JSON: {bad_value}", aid, annotator)
            return
        errors = 0
        for p in validate_document(doc, where, self.inv):
            level = "error" if p.level == ERROR else "warning"
            errors += level == "error"
            self.problem(tid, doc_id, f"[{p.rule}] {p.message}" + (f" (found {p.found}, expected {p.expected})" if p.found else ""),
                         aid, annotator, None, p.path, level)
        if errors:
            return
        relpath = f"{folder}/{doc_id}.json"
        entry = {"task": tid, "doc_id": doc_id, "annotation": aid, "annotator": annotator, "path": relpath,
                 "unit": decoded.unit, "complete": not decoded.issues, **extra}
        key = (folder, doc_id)
        previous = self.candidates.get(key)
        if previous is None or order > previous[0]:
            if previous is not None:
                self.skip(previous[3]["task"], doc_id, f"superseded by a newer annotation ({aid}) of the same document "
                                                       "by the same annotator", previous[3]["annotation"], annotator)
            self.candidates[key] = (order, relpath, doc, entry)
        else:
            self.skip(tid, doc_id, f"superseded by a newer annotation ({previous[3]['annotation']}) of the same document "
                                   "by the same annotator", aid, annotator)

    def finish(self) -> Converted:
        for _, relpath, doc, entry in sorted(self.candidates.values(), key=lambda c: c[1]):
            self.documents[relpath] = doc
            self.written.append(entry)
        report = {"kind": REPORT_KIND, "source": self.source, "tasks": self.tasks,
                  "documents_written": len(self.written), "problem_count": len(self.problems),
                  "warning_count": len(self.warnings), "skipped_count": len(self.skipped),
                  "offsets": self.unit, "predictions_included": self.include_predictions, "partial": self.partial,
                  "written": self.written, "problems": self.problems, "warnings": self.warnings, "skipped": self.skipped}
        return Converted(self.documents, printable(report))


class _NotJSON(ValueError):
    """NaN, Infinity or -Infinity: Python's json accepts them, JSON (and every other reader) does not."""


def _reject_constant(name: str):
    raise _NotJSON(name)


def _constant_position(text: str, name: str) -> str:
    """'line L column C' of the first `name` outside a string (only run once parsing has failed)."""
    in_string = escaped = False
    line, column = 1, 1
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif text.startswith(name, i) and (name[0] == "-" or text[i - 1:i] != "-"):
            return f"line {line} column {column}"
        if ch == "\n":
            line, column = line + 1, 1
        else:
            column += 1
    return "somewhere"


def parse_export(data: bytes, source: str):
    """Parse the bytes of a Label Studio JSON export; anything that is not strict JSON is a UserError."""
    from ..core.errors import UserError

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{source}: not UTF-8 (byte {exc.start}); expected a Label Studio JSON export") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except _NotJSON as exc:
        raise UserError(f"{source}: not valid JSON: {exc} at {_constant_position(text, str(exc))} is not a JSON number "
                        "(NaN and infinities cannot be stored or read back); nothing was converted") from None
    except RecursionError:
        raise UserError(f"{source}: not valid JSON: nested too deeply to read; nothing was converted") from None
    except ValueError as exc:  # JSONDecodeError, or an integer beyond Python's digit limit
        raise UserError(f"{source}: not valid JSON ({str(exc)[:200]}); is the file truncated? Nothing was converted") from None


def check_export_shape(export, source: str) -> list:
    """The task list of a Label Studio JSON export, or a UserError that says what the file is instead."""
    from ..core.errors import UserError

    if isinstance(export, dict) and isinstance(export.get("tasks"), list):
        return export["tasks"]
    if not isinstance(export, list):
        raise UserError(f"{source}: not a Label Studio JSON export (expected a list of tasks, found {type(export).__name__})")
    first = next((t for t in export if isinstance(t, dict)), None)
    if first is not None and "annotations" not in first and "data" not in first:
        if "annotation_id" in first or "annotator" in first:
            raise UserError(f"{source}: this is a JSON_MIN export, which drops relations and region ids; "
                            "export as JSON (or use `wsw labelstudio pull`)")
        raise UserError(f"{source}: tasks have neither 'data' nor 'annotations'; expected a Label Studio JSON export")
    return export


def convert_export(export, *, inventory: Inventory | None = None, unit: str = "codepoints",
                   include_predictions: bool = False, annotators: Annotators | None = None,
                   partial: bool = False, source: str = "<export>", server_url: str | None = None) -> Converted:
    """Convert a parsed Label Studio JSON export into canonical documents and a report.

    `server_url` (known when pulling) goes into each annotation's `workspace`.
    """
    tasks = check_export_shape(export, source)
    converter = _Converter(inventory or load_inventory(), unit, include_predictions, annotators or Annotators(),
                           partial, source, server_url)
    for task in tasks:
        converter.task(task)
    return converter.finish()
