"""A Label Studio JSON export -> canonical documents, one per (document, annotator), and a report.

Pure: `convert_export` takes the parsed export and returns documents and a report; `output.py`
writes them. Works on both kinds of 1.23 JSON export: the synchronous one (`completed_by` is a
user id, predictions are ids) and snapshots (`completed_by` may be an object, predictions full).

What happens to each thing in an export (also in the report):
- a submitted annotation -> a document under annotators/<annotator id>/, layers status `draft`,
  the annotator as producer with `workspace` saying where the annotation is in Label Studio;
- an annotation created by `push --annotator-from-provenance` -> the same, but every layer gets
  the provenance it was pushed with back (see provenance.py), and the annotator id it was pushed as;
- a prediction (with --predictions) -> predictions/<model version folder>/: the version's
  characters other than letters, digits, '.', '_' and '-' are replaced and, when anything was
  replaced or the version is long, a hash of the whole version is added, so that two versions
  never share a folder (wsw's own model versions are long and share their first 100 characters);
- a cancelled (skipped) annotation, a draft, a prediction when predictions are not asked for,
  a task nobody annotated -> not converted, listed under `skipped` with the reason;
- an older annotation of the same document by the same annotator -> `skipped` (superseded);
- two annotator ids that would share one output folder (also when they differ only by case, which
  collide on case-insensitive file systems) -> a ProblemError naming both: nothing is converted;
- anything that cannot be converted -> a `Problem` (rule LS-...) in `problems`, with task,
  annotation and region; the document is not written unless `partial` is set, and then the
  omission is recorded in the layer provenance `changes`. A layer whose every item failed keeps
  its annotated status (`draft`) with a `changes` line saying that all its items failed: it is
  not `absent` (which would claim nobody annotated it).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.document import LAYERS, SCHEMA_VERSION, text_sha256
from ..core.inventory import Inventory, load_inventory
from ..core.jsonfile import parse_json
from ..core.problems import Problem, ProblemError, cut_repr
from ..validation import validate_document
from ..validation.reading import locate_constant
from . import mapping as M
from .annotators import Annotators, is_placeholder
from .decode import Decoded, control_of, decode_result, layer_of_problem
from .encode import WSW_KEY
from .provenance import Location, record_for, records_of, restore, usable

__all__ = ["Annotators", "Converted", "convert_export", "parse_export", "check_export_shape", "REPORT_KIND"]

REPORT_KIND = "wsw-labelstudio-report"
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
_FOLDER = re.compile(r"[^A-Za-z0-9._-]")
FAILED_LAYER = "all items of this layer failed to convert"


@dataclass
class Converted:
    """Documents to write (relative path -> document), the report, and the problems as `Problem`s."""

    documents: dict
    report: dict
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.report["problems"]


def _folder_name(value: str) -> str:
    return _FOLDER.sub("_", value)[:100] or "_"


def version_folder(version: str) -> str:
    """The folder of a model version: readable, and distinct for distinct versions (a hash when needed)."""
    clean = _FOLDER.sub("_", version)
    if clean == version == version.lower() and 0 < len(version) <= 100 and version not in (".", ".."):
        return version  # no upper case: versions differing only by case would share a folder on macOS
    return f"{clean[:60]}-{hashlib.sha256(version.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _timestamp(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _lead_time(value) -> tuple[float | None, str | None]:
    """(seconds, None), or (None, why the value was not used) for a value that is not a duration."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"lead_time {cut_repr(value)} is not a number of seconds; recorded as null"
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not math.isfinite(seconds) or seconds < 0:
        return None, f"lead_time {cut_repr(value)} is not a finite, non-negative number of seconds; recorded as null"
    return seconds, None


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
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, (list, tuple)) else ()
    for key, item in items:
        found = (unwritable(key, f"{path} key") if isinstance(key, str) else None) or \
            unwritable(item, f"{path}.{key}" if isinstance(value, dict) else f"{path}[{key}]")
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


def report_entry(problem: Problem) -> dict:
    """A problem as a report entry: the Problem's fields plus annotation, annotator and control."""
    entry = problem.as_dict()
    for key in ("annotation", "annotator", "control"):
        entry[key] = problem.extra.get(key)
    return entry


@dataclass
class _Job:
    """One annotation or prediction to convert into one document."""

    tid: object
    base: dict
    result: object
    folder: str
    record_for: Callable
    aid: object
    annotator: str
    order: tuple
    adjust: Callable | None = None


def _foreign_fields(task: dict, inventory: Inventory) -> list[str]:
    """Controls of the task's results that are not in wsw's labeling config."""
    ours = {M.MENTION, M.ATTRIBUTION, M.ANNOTATED_LAYERS, M.UNMENTIONED, *M.per_region_controls(inventory)}
    names = set()
    for kind in ("annotations", "predictions"):
        for entry in task.get(kind) or [] if isinstance(task.get(kind), list) else []:
            result = entry.get("result") if isinstance(entry, dict) else None
            for item in result if isinstance(result, list) else []:
                name = item.get("from_name") if isinstance(item, dict) else None
                if isinstance(name, str) and name not in ours:
                    names.add(name)
    return sorted(names)


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
        self.problems: list[Problem] = []
        self.skipped: list[dict] = []
        self.written: list[dict] = []
        self.documents: dict[str, dict] = {}
        self.candidates: dict[tuple, tuple] = {}  # (folder, doc_id) -> (sort key, relpath, doc, entry)
        self.folder_owner: dict[str, tuple[str, str]] = {}  # folder, lower-cased -> (folder, annotator id)
        self.tasks = 0

    def problem(self, rule: str, task, doc_id, message: str, annotation=None, annotator=None, region=None,
                control=None, **detail) -> None:
        self.problems.append(Problem(rule, message, file=self.source, doc_id=doc_id if isinstance(doc_id, str) else None,
                                     task=task if isinstance(task, (int, str)) and not isinstance(task, bool) else None,
                                     region=region if isinstance(region, str) else None,
                                     extra={"annotation": annotation, "annotator": annotator, "control": control},
                                     **detail))

    def skip(self, task, doc_id, reason, annotation=None, annotator=None):
        self.skipped.append({"task": task, "doc_id": doc_id, "annotation": annotation, "annotator": annotator,
                             "reason": reason})

    # -- tasks -------------------------------------------------------------------------------
    def task(self, task) -> None:
        self.tasks += 1
        if not isinstance(task, dict):
            self.problem("LS-EXPORT-SHAPE", None, None, f"task {self.tasks} is not an object")
            return
        tid = task.get("id")
        data: dict = task["data"] if isinstance(task.get("data"), dict) else {}
        base = self.base_document(tid, data, task)
        if base is None:
            return
        base["push_records"] = records_of(task.get("meta"))
        base["project"] = task.get("project")
        annotations, predictions, drafts = (_list(task.get(k)) for k in ("annotations", "predictions", "drafts"))
        if not annotations and not predictions:
            self.skip(tid, base["id"], "no annotations yet")
        for draft in drafts:
            self.draft(tid, base["id"], draft)
        for annotation in annotations:
            self.annotation(tid, base, annotation)
        for prediction in predictions:
            self.prediction(tid, base, prediction)

    def draft(self, tid, doc_id, draft) -> None:
        did = draft.get("id") if isinstance(draft, dict) else draft
        user = draft.get("user") if isinstance(draft, dict) else None
        self.skip(tid, doc_id, "draft (saved but not submitted); drafts are not converted", annotation=f"draft {did}",
                  annotator=user if isinstance(user, (int, str)) and "@" not in str(user) else None)

    def base_document(self, tid, data: dict, task: dict) -> dict | None:
        doc_id, text, wsw = data.get("doc_id"), data.get("text"), data.get(WSW_KEY)
        foreign = _foreign_fields(task, self.inv)
        if foreign and not (isinstance(wsw, dict) and isinstance(doc_id, str)):
            self.problem("LS-CONFIG-FOREIGN", tid, doc_id, "the project's labeling config is not the one wsw generates "
                         f"(its results use the controls {', '.join(foreign[:5])}) and its tasks were not pushed with "
                         "`wsw labelstudio push`: create the project with push, or export one that was",
                         found=", ".join(foreign), expected="the controls of `wsw labelstudio config`")
            return None
        why = self.task_problem(doc_id, text, wsw)
        if why is not None or not isinstance(wsw, dict) or not isinstance(text, str):
            if why is not None:
                self.problem(why[0], tid, doc_id, why[1])
            return None
        actual = text_sha256(text)
        if wsw.get("text_sha256") != actual:
            self.problem("LS-TASK-TEXT-CHANGED", tid, doc_id, f"task text was changed in Label Studio: its SHA-256 is "
                                                              f"{actual}, the pushed document's is {wsw.get('text_sha256')}")
            return None
        return {"schema_version": wsw.get("schema_version") or SCHEMA_VERSION, "id": doc_id, "text": text,
                "text_sha256": actual, "metadata": wsw["metadata"], "source": wsw["source"],
                "pushed_layers": wsw.get("layers"), "prediction_model_version": wsw.get("prediction_model_version")}

    @staticmethod
    def task_problem(doc_id, text, wsw) -> tuple[str, str] | None:
        if not isinstance(doc_id, str) or not _DOC_ID.match(doc_id):
            return "LS-TASK-NOT-WSW", (f"task data.doc_id {cut_repr(doc_id)} is missing or not a document id "
                                       "(tasks must be pushed with `wsw labelstudio push`)")
        if not isinstance(text, str) or not text:
            return "LS-TASK-TEXT", "task data.text is missing or empty"
        bad = _lone_surrogate(text)
        if bad is not None:
            return "LS-TASK-TEXT", (f"task data.text holds a lone surrogate U+{ord(text[bad]):04X} at code point {bad} "
                                    "(a broken \\ud83d-style escape, not Unicode text); the task was not pushed by wsw "
                                    "or was edited: fix its text in Label Studio")
        if not isinstance(wsw, dict) or not isinstance(wsw.get("metadata"), dict) or not isinstance(wsw.get("source"), dict):
            return "LS-TASK-NOT-WSW", (f"task data.{WSW_KEY} (metadata and source provenance) is missing; "
                                       "tasks must be pushed with `wsw labelstudio push`")
        return None

    def pushed_record(self, tid, doc_id, base, annotation, aid):
        pushed = record_for(base["push_records"], annotation)
        why = usable(pushed, annotation.get("completed_by")) if pushed is not None else None
        if why:
            self.problem("LS-PUSH-RECORD", tid, doc_id, f"{why}; converted as an annotation made in Label Studio", aid,
                         control="meta")
            return None
        return pushed

    def annotation(self, tid, base, annotation) -> None:
        doc_id = base["id"]
        if not isinstance(annotation, dict):
            self.problem("LS-ANNOTATION-SHAPE", tid, doc_id, f"annotation is not an object: {cut_repr(annotation)}")
            return
        aid, completed_by = annotation.get("id"), annotation.get("completed_by")
        pushed = self.pushed_record(tid, doc_id, base, annotation, aid)
        annotator, why = self.annotators.resolve(completed_by, pushed["annotator"] if pushed else None)
        if annotator is None:
            self.problem("LS-ANNOTATOR-UNKNOWN", tid, doc_id, why or "no annotator", annotation=aid)
            return
        if annotation.get("was_cancelled"):
            self.skip(tid, doc_id, "cancelled (skipped) by the annotator", aid, annotator)
            return
        lead, why = _lead_time(annotation.get("lead_time"))
        if why:
            self.problem("LS-LEAD-TIME", tid, doc_id, why, aid, annotator, control="lead_time")
        where = self.location(tid, base, annotation, pushed)
        producer = {"kind": "human", "id": annotator, "version": None, "role": "annotated", "workspace": where.workspace}
        updated = _timestamp(annotation.get("updated_at"))
        record = {"status": "draft", "producers": [producer], "guidelines_version": None,
                  "created": _timestamp(annotation.get("created_at")), "updated": updated,
                  "lead_time_seconds": lead,
                  "changes": [], "notes": f"Label Studio task {tid}, annotation {aid}, completed_by user {where.user}"
                                          + (" (ground truth)" if annotation.get("ground_truth") else "")}

        def adjust(doc) -> dict:
            if pushed is None:
                return {"provenance": "label-studio"}
            editor, _ = self.annotators.resolve(annotation.get("updated_by"))
            changed = restore(doc, pushed, annotator, where, editor or annotator, updated)
            return {"provenance": "pushed", "changed_in_label_studio": changed}

        def layer_record(layer, annotated):
            if not annotated:
                return {"status": "absent", "producers": []}
            return dict(record, producers=[dict(producer)], changes=list(record["changes"]))

        order = (updated or record["created"] or "", aid if isinstance(aid, int) else 0)
        self.claim_folder(f"annotators/{_folder_name(annotator)}", annotator)
        self.convert_one(_Job(tid, base, annotation.get("result"), f"annotators/{_folder_name(annotator)}",
                              layer_record, aid, annotator, order, adjust))

    def location(self, tid, base, annotation, pushed) -> Location:
        completed_by = annotation.get("completed_by")
        user = completed_by.get("id") if isinstance(completed_by, dict) else completed_by
        pushed_to, pushed_email = (pushed or {}).get("pushed_to"), (pushed or {}).get("email")
        return Location(self.server_url or (pushed_to if isinstance(pushed_to, str) else None),
                        annotation.get("project") or base["project"], tid, annotation.get("id"), user,
                        self.annotators.email_of(completed_by) or (pushed_email if is_placeholder(pushed_email) else None))

    def prediction(self, tid, base, prediction) -> None:
        doc_id = base["id"]
        if not isinstance(prediction, dict):
            if self.include_predictions:
                self.problem("LS-ANNOTATION-SHAPE", tid, doc_id, f"prediction {cut_repr(prediction)} is listed by id only; "
                             "export a snapshot with full predictions (`wsw labelstudio pull` does)")
            else:
                self.skip(tid, doc_id, "prediction (use --predictions to convert)", annotation=f"prediction {prediction}")
            return
        pid = prediction.get("id")
        version = prediction.get("model_version") or "unknown-model"
        if not isinstance(version, str) or _lone_surrogate(version) is not None:
            self.problem("LS-ANNOTATION-SHAPE", tid, doc_id, f"prediction model_version {cut_repr(version)} is not a text",
                         f"prediction {pid}")
            return
        if not self.include_predictions:
            self.skip(tid, doc_id, "prediction (use --predictions to convert)", annotation=f"prediction {pid}",
                      annotator=version)
            return
        pushed = base.get("pushed_layers") if version == base.get("prediction_model_version") else None

        def layer_record(layer, annotated):
            if isinstance(pushed, dict) and isinstance(pushed.get(layer), dict):
                return dict(pushed[layer])  # our own pre-annotation: its provenance comes back unchanged
            if not annotated:
                return {"status": "absent", "producers": []}
            return {"status": "silver", "producers": [{"kind": "model", "id": version, "version": None,
                                                       "role": "pre-annotated"}],
                    "created": _timestamp(prediction.get("created_at")), "updated": _timestamp(prediction.get("updated_at")),
                    "changes": [], "notes": f"Label Studio task {tid}, prediction {pid}"}

        self.convert_one(_Job(tid, base, prediction.get("result"), f"predictions/{version_folder(version)}", layer_record,
                              f"prediction {pid}", version,
                              (_timestamp(prediction.get("updated_at")) or "", pid if isinstance(pid, int) else 0)))

    def claim_folder(self, folder: str, owner: str) -> None:
        """One output folder per annotator: two ids that would share one (also only by case) are refused."""
        folder_, other = self.folder_owner.setdefault(folder.lower(), (folder, owner))
        if other == owner:
            return
        if folder_ != folder:
            raise ProblemError([Problem(
                "LS-ANNOTATOR-CASE", f"annotator ids {other!r} and {owner!r} differ only by case: their folders "
                f"{folder_}/ and {folder}/ are one folder on case-insensitive file systems (macOS, Windows), so one would "
                "replace the other's documents; nothing was converted. Give them ids that differ in more than case "
                "(--annotators map)", file=self.source, found=f"{other!r} and {owner!r}", expected="ids unique ignoring case")])
        raise ProblemError([Problem(
            "LS-ANNOTATOR-COLLISION", f"annotator ids {other!r} and {owner!r} would both be written to {folder}/ "
            "(folder names keep only letters, digits, '.', '_' and '-'), so one would replace the other's documents; "
            "nothing was converted. Give them ids that differ in those characters (--annotators map)",
            file=self.source, found=f"{other!r} and {owner!r}", expected="one folder per annotator id")])

    # -- one annotation or prediction -> one document ------------------------------------------
    def convert_one(self, job: _Job) -> None:
        decoded = decode_result(job.base["text"], job.result, self.inv, self.unit)
        for p in decoded.problems:
            self.problem(p.rule, job.tid, job.base["id"], p.message, job.aid, job.annotator, p.region, control_of(p))
        if decoded.problems and not self.partial:
            return
        doc = self.document(job, decoded)
        extra = job.adjust(doc) if job.adjust is not None else {}
        bad_value = unwritable(doc)
        if bad_value:  # a value from the export (a name, a time...) that no JSON file can hold
            self.problem("LS-VALUE-UNWRITABLE", job.tid, job.base["id"], f"cannot be written as JSON: {bad_value}",
                         job.aid, job.annotator)
            return
        if self.invalid(job, doc):
            return
        relpath = f"{job.folder}/{job.base['id']}.json"
        entry = {"task": job.tid, "doc_id": job.base["id"], "annotation": job.aid, "annotator": job.annotator,
                 "path": relpath, "unit": decoded.unit, "complete": not decoded.problems, **extra}
        self.keep_newest(job, relpath, doc, entry)

    def layers(self, job: _Job, decoded: Decoded) -> dict:
        """Layer provenance: annotated where ticked, where items converted, or where items failed (--partial)."""
        ticked = set(decoded.annotated_layers or ())
        members = {"mentions": decoded.entities or decoded.mentions, "quotes": decoded.quotes, "claims": decoded.claims}
        layers = {}
        for layer in LAYERS:
            failed = [p for p in decoded.problems if layer_of_problem(p) == layer]
            if layer not in ticked and not members[layer] and not failed:
                layers[layer] = job.record_for(layer, False)
                continue
            record = job.record_for(layer, True)
            changes = []
            if decoded.unit == "utf16":
                changes.append("offsets converted from UTF-16 code units to code points")
            if failed and not members[layer]:
                changes.append(f"FAILED: {FAILED_LAYER} ({len(failed)} problem(s)); the layer was annotated, its "
                               "items are left out")
            changes.extend(f"left out {_change_line(p)}" for p in failed)
            if changes:
                record.setdefault("changes", []).extend(changes)
            layers[layer] = record
        return layers

    def document(self, job: _Job, decoded: Decoded) -> dict:
        base = job.base
        return {"schema_version": base["schema_version"], "id": base["id"], "text": base["text"],
                "text_sha256": base["text_sha256"], "metadata": base["metadata"],
                "provenance": {"source": base["source"], "layers": self.layers(job, decoded)},
                "entities": decoded.entities, "mentions": decoded.mentions, "quotes": decoded.quotes,
                "claims": decoded.claims}

    def invalid(self, job: _Job, doc: dict) -> bool:
        where = f"{self.source}: task {job.tid} {('annotation ' + str(job.aid)) if isinstance(job.aid, int) else job.aid}"
        errors = 0
        for p in validate_document(doc, where, self.inv):
            errors += p.level == "error"
            self.problem(p.rule, job.tid, job.base["id"], p.message, job.aid, job.annotator, path=p.path,
                         found=p.found, expected=p.expected)
        return errors > 0

    def keep_newest(self, job: _Job, relpath: str, doc: dict, entry: dict) -> None:
        key = (job.folder, job.base["id"])
        previous = self.candidates.get(key)
        if previous is None or job.order > previous[0]:
            if previous is not None:
                self.skip(previous[3]["task"], job.base["id"], f"superseded by a newer annotation ({job.aid}) of the same "
                          "document by the same annotator", previous[3]["annotation"], job.annotator)
            self.candidates[key] = (job.order, relpath, doc, entry)
        else:
            self.skip(job.tid, job.base["id"], f"superseded by a newer annotation ({previous[3]['annotation']}) of the same "
                      "document by the same annotator", job.aid, job.annotator)

    def finish(self) -> Converted:
        for key in self.annotators.unused():
            self.problem("LS-MAP-UNUSED", None, None, f"annotator map key {key!r} matched no user of the export: it was "
                         "not applied (a typo, or a user who did not annotate?)", found=key)
        for _, relpath, doc, entry in sorted(self.candidates.values(), key=lambda c: c[1]):
            self.documents[relpath] = doc
            self.written.append(entry)
        errors = [report_entry(p) for p in self.problems if p.is_error]
        warnings = [report_entry(p) for p in self.problems if not p.is_error]
        report = {"kind": REPORT_KIND, "source": self.source, "tasks": self.tasks,
                  "documents_written": len(self.written), "problem_count": len(errors),
                  "warning_count": len(warnings), "skipped_count": len(self.skipped),
                  "offsets": self.unit, "predictions_included": self.include_predictions, "partial": self.partial,
                  "written": self.written, "problems": errors, "warnings": warnings, "skipped": self.skipped}
        return Converted(self.documents, printable(report), list(self.problems))


def _change_line(problem: Problem) -> str:
    where = f"region {problem.region}" if problem.region else "annotation"
    control = f" ({control_of(problem)})" if control_of(problem) else ""
    return f"{where}{control}: [{problem.rule}] {problem.message}"


# -- reading an export --------------------------------------------------------------------------
_CONLL_LINE = re.compile(r"^\S+( -X- _ | )\S+$")


def _other_format(text: str) -> str | None:
    """The export format of Label Studio (or a kin) that `text` is, when it is not JSON: CSV, TSV, CONLL."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines or text.lstrip()[:1] in "[{":
        return None
    first = lines[0]
    if first.startswith("-DOCSTART-") or sum(1 for line in lines if _CONLL_LINE.match(line)) >= max(1, len(lines) // 2):
        return "a CONLL export (one token per line)"
    if "\t" in first:
        return "a TSV export (tab-separated columns)"
    if "," in first:
        return "a CSV export (comma-separated columns)"
    return None


def parse_export(data: bytes, source: str):
    """Parse a Label Studio JSON export with the strict JSON reader; other formats and bad JSON are a ProblemError."""
    value, problem = parse_json(data, file=source)
    if problem is None:
        return value
    if problem.rule == "JSON-SYNTAX":
        text = data.decode("utf-8", "replace")
        kind = _other_format(text)
        if kind:
            raise ProblemError([Problem("LS-EXPORT-FORMAT", f"this is {kind}, not a Label Studio JSON export: CSV, TSV and "
                                        "CONLL exports drop region ids, relations and per-region values; export the "
                                        "project as JSON (or use `wsw labelstudio pull`); nothing was converted",
                                        file=source, found=kind, expected="a JSON export (a list of tasks)")])
    lineno, path = problem.lineno, problem.path
    if problem.rule == "JSON-CONSTANT" and problem.found in ("NaN", "Infinity", "-Infinity"):
        lineno, path = locate_constant(data.decode("utf-8"))  # where the NaN is: line and JSON path
    raise ProblemError([Problem(problem.rule, f"not a readable JSON export: {problem.message}; nothing was converted",
                                file=source, lineno=lineno, path=path or problem.path, found=problem.found,
                                expected=problem.expected)])


def check_export_shape(export, source: str) -> list:
    """The task list of a Label Studio JSON export, or a ProblemError that says what the file is instead."""
    if isinstance(export, dict) and isinstance(export.get("tasks"), list):
        return export["tasks"]
    if not isinstance(export, list):
        raise ProblemError([Problem("LS-EXPORT-SHAPE", "not a Label Studio JSON export", file=source, path="$",
                                    found=type(export).__name__, expected="a list of tasks")])
    first = next((t for t in export if isinstance(t, dict)), None)
    if first is not None and "annotations" not in first and "data" not in first:
        if "annotation_id" in first or "annotator" in first:
            raise ProblemError([Problem("LS-EXPORT-FORMAT", "this is a JSON_MIN export, which drops relations and region "
                                        "ids; export as JSON (or use `wsw labelstudio pull`)", file=source, path="$[0]",
                                        found="JSON_MIN", expected="a JSON export")])
        raise ProblemError([Problem("LS-EXPORT-SHAPE", "tasks have neither 'data' nor 'annotations'; expected a Label "
                                    "Studio JSON export", file=source, path="$[0]", found=", ".join(sorted(first)[:8]),
                                    expected="data, annotations")])
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
