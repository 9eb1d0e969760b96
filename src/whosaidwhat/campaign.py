"""Where an annotation campaign stands: per document, who finished or skipped it and whether it can be adjudicated;
per annotator, documents done and median lead time.

`status(records)` is pure over plain records; the readers turn a Label Studio export (a pull folder keeps one as
labelstudio-export.json) or folders of canonical documents into those records. One annotator's work on one
document counts once, however many sources (or annotations of one export) repeat it. A JSON file of a document
folder that is not an annotated canonical document (a raw record, a document without layer provenance or without a
producer id) is skipped with a warning; an export whose tasks or annotations have the wrong shape is refused.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .core.document import LAYERS
from .core.jsonfile import read_json
from .core.problems import Problem, cut, fail


@dataclass(frozen=True)
class Work:
    """One annotator's work on one document: finished or skipped, and how long it took (seconds, if known)."""

    doc_id: str
    annotator: str
    skipped: bool = False
    lead_time: float | None = None


def unique(records: list[Work]) -> list[Work]:
    """One record per (document, annotator): a finished annotation wins over a skip, the first one over later ones.

    The same source given twice, a document in two folders, or an annotator who submitted a document twice must
    not count twice toward "ready for adjudication" or an annotator's total.
    """
    kept: dict[tuple[str, str], Work] = {}
    for work in records:
        key = (work.doc_id, work.annotator)
        if key not in kept or (kept[key].skipped and not work.skipped):
            kept[key] = work
    return list(kept.values())


def status(records: list[Work], needed: int = 2) -> dict:
    """Per-document and per-annotator progress; a document is ready when `needed` annotators finished it."""
    docs: dict[str, dict] = {}
    people: dict[str, dict] = {}
    for work in unique(records):
        doc = docs.setdefault(work.doc_id, {"finished": [], "skipped": []})
        doc["skipped" if work.skipped else "finished"].append(work.annotator)
        person = people.setdefault(work.annotator, {"done": 0, "skipped": 0, "lead_times": []})
        person["skipped" if work.skipped else "done"] += 1
        if work.lead_time is not None and not work.skipped:
            person["lead_times"].append(work.lead_time)
    documents = {d: {"finished": sorted(v["finished"]), "skipped": sorted(v["skipped"]),
                     "ready_for_adjudication": len(set(v["finished"])) >= needed} for d, v in sorted(docs.items())}
    annotators = {a: {"done": v["done"], "skipped": v["skipped"],
                      "median_lead_time_seconds": statistics.median(v["lead_times"]) if v["lead_times"] else None}
                  for a, v in sorted(people.items())}
    return {"needed": needed, "documents": documents, "annotators": annotators,
            "ready": sum(1 for v in documents.values() if v["ready_for_adjudication"]), "total": len(documents)}


def _user_key(user: object) -> object:
    """Label Studio's `completed_by`: a user id, or (in some exports) a user object with an id."""
    if isinstance(user, dict):
        return user.get("id") if isinstance(user.get("id"), (int, str)) else user.get("email")
    return user if isinstance(user, (int, str)) or user is None else repr(user)


def _shape(where: str, path: str, message: str, value: object) -> NoReturn:
    fail("CAMPAIGN-EXPORT-SHAPE", message, file=where, path=path, found=f"{type(value).__name__} {cut(value, 60)}")


def _task_doc_id(task: object, i: int, where: str) -> str:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        _shape(where, f"$[{i}]", "expected a task with data", task)
    doc_id = task["data"].get("doc_id")
    if doc_id is None:
        doc_id = f"task-{task.get('id')}"
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
        _shape(where, f"$[{i}].data.doc_id", "expected a document id", doc_id)
    return str(doc_id)


def _pushed(task: dict) -> dict:
    """The annotations wsw pushed with the task (meta.wsw.annotations), by import id."""
    meta = task.get("meta")
    wsw = meta.get("wsw") if isinstance(meta, dict) else None
    pushed = wsw.get("annotations") if isinstance(wsw, dict) else None
    return {str(k): v for k, v in pushed.items() if isinstance(v, dict)} if isinstance(pushed, dict) else {}


def _lead(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _annotation_work(annotation: dict, doc_id: str, by_import: dict, names: dict[int, str] | None) -> Work:
    user = _user_key(annotation.get("completed_by"))
    record = by_import.get(str(annotation.get("import_id"))) or {}
    pushed_by = record.get("annotator") if isinstance(record.get("annotator"), str) else None
    named = names.get(user) if names and isinstance(user, int) else None
    who = pushed_by or named or f"ls-user-{user}"
    return Work(doc_id, str(who), bool(annotation.get("was_cancelled")), _lead(annotation.get("lead_time")))


def from_export(tasks: object, where: str, names: dict[int, str] | None = None) -> list[Work]:
    """Records of a Label Studio JSON export: every annotation of every task (a cancelled one is a skip)."""
    if not isinstance(tasks, list):
        _shape(where, "$", "expected a Label Studio JSON export (a list of tasks)", tasks)
    records = []
    for i, task in enumerate(tasks):
        doc_id = _task_doc_id(task, i, where)
        annotations = task.get("annotations")
        if annotations is None:
            annotations = []
        if not isinstance(annotations, list):
            _shape(where, f"$[{i}].annotations", "expected a list of annotations", annotations)
        by_import = _pushed(task)
        for j, annotation in enumerate(annotations):
            if not isinstance(annotation, dict):
                _shape(where, f"$[{i}].annotations[{j}]", "expected an annotation object", annotation)
            records.append(_annotation_work(annotation, doc_id, by_import, names))
    return records


def _first_layer(doc: object) -> tuple[dict | None, str | None]:
    """(the provenance record of the first layer, None) or (None, why the document is not a canonical one)."""
    if not isinstance(doc, dict):
        return None, f"not a canonical document (a JSON {type(doc).__name__}, not an object)"
    provenance = doc.get("provenance")
    layers = provenance.get("layers") if isinstance(provenance, dict) else None
    if not isinstance(layers, dict):
        return None, "not a canonical document (no provenance.layers: a raw record?)"
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        return None, "the document has no id"
    layer = layers.get(LAYERS[0])
    if not isinstance(layer, dict):
        return None, f"no provenance record of the {LAYERS[0]} layer (provenance.layers.{LAYERS[0]})"
    return layer, None


def _work_of(doc: object) -> tuple[Work | None, str | None]:
    """(the annotator's work a document records, None) or (None, why it is not counted; None when not annotated)."""
    layer, why = _first_layer(doc)
    if layer is None or not isinstance(doc, dict):
        return None, why
    if layer.get("status") == "absent":
        return None, None  # not annotated (yet): no work to count
    producers = layer.get("producers")
    first = producers[0] if isinstance(producers, list) and producers else None
    if not isinstance(first, dict) or not isinstance(first.get("id"), str) or not first["id"].strip():
        return None, f"provenance.layers.{LAYERS[0]}.producers[0] names no annotator id"
    return Work(doc["id"], first["id"], False, _lead(layer.get("lead_time_seconds"))), None


def from_documents(folder: Path, warnings: list[Problem] | None = None) -> list[Work]:
    """Records of a folder of canonical documents, one annotator's work each (its first producer).

    A JSON file that is not an annotated canonical document is skipped; why is appended to `warnings`
    (a CAMPAIGN-SKIPPED problem).
    """
    records = []
    for path in sorted(folder.rglob("*.json")):
        work, why = _work_of(read_json(path, "the document"))
        if work is not None:
            records.append(work)
        elif why is not None and warnings is not None:
            warnings.append(Problem("CAMPAIGN-SKIPPED", f"{why}; skipped", file=str(path)))
    return records
