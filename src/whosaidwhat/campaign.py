"""Where an annotation campaign stands: per document, who finished or skipped it and whether it can be adjudicated;
per annotator, documents done and median lead time.

`status(records)` is pure over plain records; the readers turn a Label Studio export (a pull folder keeps one as
labelstudio-export.json) or folders of canonical documents into those records.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from .document import LAYERS
from .errors import UserError
from .jsonfile import read_json


@dataclass(frozen=True)
class Work:
    """One annotator's work on one document: finished or skipped, and how long it took (seconds, if known)."""

    doc_id: str
    annotator: str
    skipped: bool = False
    lead_time: float | None = None


def status(records: list[Work], needed: int = 2) -> dict:
    """Per-document and per-annotator progress; a document is ready when `needed` annotators finished it."""
    docs: dict[str, dict] = {}
    people: dict[str, dict] = {}
    for work in records:
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


def from_export(tasks: object, where: str, names: dict[int, str] | None = None) -> list[Work]:
    """Records of a Label Studio JSON export: every annotation of every task (a cancelled one is a skip)."""
    if not isinstance(tasks, list):
        raise UserError(f"{where}: expected a Label Studio JSON export (a list of tasks), found {type(tasks).__name__}")
    records = []
    for i, task in enumerate(tasks):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise UserError(f"{where}: $[{i}]: expected a task with data, found {str(task)[:80]!r}")
        doc_id = task["data"].get("doc_id") or f"task-{task.get('id')}"
        pushed = ((task.get("meta") or {}).get("wsw") or {}).get("annotations") or {}
        by_import = {str(k): v for k, v in pushed.items()} if isinstance(pushed, dict) else {}
        for annotation in task.get("annotations") or []:
            user = annotation.get("completed_by")
            record = by_import.get(str(annotation.get("import_id"))) or {}
            who = record.get("annotator") or (names or {}).get(user) or f"ls-user-{user}"
            lead = annotation.get("lead_time")
            records.append(Work(str(doc_id), str(who), bool(annotation.get("was_cancelled")),
                                float(lead) if isinstance(lead, (int, float)) else None))
    return records


def from_documents(folder: Path) -> list[Work]:
    """Records of a folder of canonical documents, one annotator's work each (its first producer)."""
    records = []
    for path in sorted(folder.rglob("*.json")):
        doc = read_json(path, "the document")
        if not isinstance(doc, dict) or "provenance" not in doc:
            continue
        layer = doc["provenance"]["layers"][LAYERS[0]]
        producers = layer.get("producers") or []
        if not producers or layer.get("status") == "absent":
            continue
        lead = layer.get("lead_time_seconds")
        records.append(Work(doc["id"], producers[0]["id"], False, float(lead) if isinstance(lead, (int, float)) else None))
    return records
