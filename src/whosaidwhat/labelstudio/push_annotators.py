"""`push --annotator-from-provenance`: annotations made outside Label Studio, each as its annotator's own.

Every document in the folders was made by one annotator, named by its layer provenance
(`annotators.annotator_of`). For each document:

1. the annotator's placeholder user is found, or created (`annotators.ensure_users`);
2. if the project has no task with the document's `data.doc_id`, the task is imported (text
   only, one task per document shared by all annotators) together with the annotations of all
   annotators of that document and their push records (`provenance.py`), in one request per batch;
3. on an existing task (whose text must be the document's), unless the task already has an
   annotation by that user, the push record is written into the task's meta and the annotation
   is created with `completed_by` = that user, `lead_time` from the layer provenance and a
   `unique_id` the server refuses to see twice.

Existing tasks are listed with their annotations, page by page. Everything that can be checked
(documents, annotator ids, texts against existing tasks, user conflicts) is checked before the
first change is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..core.document import text_sha256
from ..core.inventory import load_inventory
from ..core.problems import fail
from . import provenance as P
from .annotators import annotator_of, check_case_collisions, ensure_users, placeholder_email
from .client import Client
from .decode import decode_result
from .encode import annotation_results, document_to_task
from .push import ensure_project, read_documents


@dataclass
class Item:
    """One document of one annotator, as read from a folder."""

    where: str
    doc: dict
    annotator: str


@dataclass
class AnnotatorPushResult:
    project_id: int
    project_created: bool
    config_differs: bool = False
    documents: int = 0
    tasks_imported: int = 0
    annotations_created: int = 0
    already_present: int = 0
    users: dict = field(default_factory=dict)  # annotator id -> Label Studio user id
    users_created: list = field(default_factory=list)
    duplicates: dict = field(default_factory=dict)  # doc_id -> task ids, when a document has several tasks
    differing: list = field(default_factory=list)  # already present, but not what the folder holds

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def read_annotated(paths: Iterable) -> list[Item]:
    """All documents under `paths` with their annotators; any problem stops the push before anything is sent."""
    items = [Item(where, doc, annotator_of(doc, where)) for where, doc in read_documents(paths, annotator_of)]  # type: ignore[arg-type]
    check_case_collisions(item.annotator for item in items)
    return items


def lead_time_of(doc: dict) -> float | None:
    """The annotation's lead time: the layers' `lead_time_seconds`, one value if they agree, else their sum."""
    values = [r.get("lead_time_seconds") for r in doc["provenance"]["layers"].values() if r["status"] != "absent"]
    values = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not values:
        return None
    return values[0] if len(set(values)) == 1 else sum(values)


def _task_text_sha(task) -> str | None:
    data = task.data if isinstance(task.data, dict) else {}
    return text_sha256(data["text"]) if isinstance(data.get("text"), str) else None


def _list_tasks(client: Client, project_id: int) -> dict:
    """doc_id -> tasks carrying it (with meta and annotations), oldest first."""
    out: dict[str, list] = {}
    for task in client.iter_tasks(project_id, page_size=100, fields="all"):
        data = task.data if isinstance(task.data, dict) else {}
        if isinstance(data.get("doc_id"), str):
            out.setdefault(data["doc_id"], []).append(task)
    for tasks in out.values():
        tasks.sort(key=lambda t: t.id)
    return out


def _field(obj, name):
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _differs(doc: dict, annotation, inventory) -> list:
    """The layers in which an existing annotation differs from `doc` (decoded and compared), [] if none."""
    decoded = decode_result(doc["text"], _field(annotation, "result") or [], inventory)
    if decoded.problems:
        return ["(the annotation in Label Studio does not convert cleanly)"]
    items = {"entities": decoded.entities, "mentions": decoded.mentions, "quotes": decoded.quotes,
             "claims": decoded.claims}
    annotated = set(decoded.annotated_layers or ()) | {
        layer for layer, keys in P.LAYER_ITEMS.items() if any(items[k] for k in keys)}
    there, here = P.fingerprints_of(items, annotated), P.fingerprints(doc)
    return [layer for layer in there if there[layer] != here[layer]]


class _Pusher:
    """One run of push_annotations: the project, its tasks, the users, and what was done."""

    def __init__(self, client: Client, project, result: AnnotatorPushResult):
        self.client = client
        self.project = project
        self.result = result
        self.inventory = load_inventory()

    def record(self, item: Item, task_data: dict) -> dict:
        return P.push_record(item.doc, item.annotator, self.result.users[item.annotator],
                             placeholder_email(item.annotator), self.client.credentials.url, item.where, task_data)

    def new_tasks(self, groups: dict, batch_size: int) -> None:
        """Import the tasks of documents the project lacks, with every annotator's annotation and push record."""
        batch: list[dict] = []
        for doc_id, group in groups.items():
            task = document_to_task(group[0].doc, None)
            task["data"]["wsw"]["layers"] = None  # one task for all annotators: their layers are in the push records
            records, annotations = {}, []
            for item in group:
                key = P.push_key(self.project.id, doc_id, item.annotator)
                records[str(key)] = self.record(item, task["data"])
                annotations.append({"id": key, "result": annotation_results(item.doc), "ground_truth": False,
                                    "completed_by": self.result.users[item.annotator],
                                    "lead_time": lead_time_of(item.doc)})
            task["meta"] = P.with_records({}, records)
            task["annotations"] = annotations
            batch.append(task)
            if len(batch) >= batch_size:
                self.flush(batch)
        self.flush(batch)

    def flush(self, batch: list) -> None:
        if batch:
            tasks, annotations = self.client.import_tasks_counted(self.project.id, batch)
            self.result.tasks_imported += tasks
            self.result.annotations_created += annotations
            batch.clear()

    def existing_task(self, doc_id: str, candidates: list, group: list) -> None:
        """Add the annotations a task lacks: record first, then the annotation (idempotent by unique_id)."""
        existing: dict[int, list] = {}
        for task in candidates:
            for annotation in getattr(task, "annotations", None) or []:
                existing.setdefault(_field(annotation, "completed_by"), []).append(annotation)
        task = candidates[0]
        new = []
        for item in group:
            user = self.result.users[item.annotator]
            if user in existing:
                self.result.already_present += 1
                newest = max(existing[user], key=lambda a: _field(a, "id") or 0)
                layers = _differs(item.doc, newest, self.inventory)
                if layers:
                    self.result.differing.append({"where": item.where, "doc_id": doc_id, "annotator": item.annotator,
                                                  "task": _field(newest, "task"), "annotation": _field(newest, "id"),
                                                  "layers": layers})
            else:
                new.append(item)
        if not new:
            return
        data = task.data if isinstance(task.data, dict) else {}
        records = {str(P.push_key(self.project.id, doc_id, item.annotator)): self.record(item, data) for item in new}
        self.client.set_task_meta(task.id, P.with_records(getattr(task, "meta", None), records))
        for item in new:
            made = self.client.create_annotation(
                task.id, annotation_results(item.doc), self.result.users[item.annotator], lead_time_of(item.doc),
                P.unique_id(self.project.id, doc_id, item.annotator), P.push_key(self.project.id, doc_id, item.annotator))
            if made is None:  # created by an earlier, interrupted run
                self.result.already_present += 1
            else:
                self.result.annotations_created += 1


def push_annotations(client: Client, title: str, items: list[Item], batch_size: int = 100,
                     update_config: bool = False, progress: Callable[[int], None] | None = None) -> AnnotatorPushResult:
    """Create each annotator's annotation of each document unless it is there already; return what was done."""
    project, created, differs = ensure_project(client, title, update_config)
    result = AnnotatorPushResult(project_id=project.id, project_created=created, config_differs=differs,
                                 documents=len(items))
    tasks = {} if created else _list_tasks(client, project.id)
    result.duplicates = {d: [t.id for t in ts] for d, ts in tasks.items() if len(ts) > 1}
    _check_texts(items, tasks, title)
    result.users, result.users_created = ensure_users(client, [item.annotator for item in items])

    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.doc["id"], []).append(item)
    pusher = _Pusher(client, project, result)
    missing = {doc_id: group for doc_id, group in sorted(groups.items()) if doc_id not in tasks}
    pusher.new_tasks(missing, batch_size)
    if progress:
        progress(sum(len(group) for group in missing.values()))
    for doc_id, group in sorted(groups.items()):
        if doc_id in tasks:
            pusher.existing_task(doc_id, tasks[doc_id], group)
            if progress:
                progress(len(group))
    return result


def _check_texts(items: list[Item], tasks: dict, title: str) -> None:
    """Every document pushed onto an existing task must have the task's text (checked before any change)."""
    for item in items:
        doc_id = item.doc["id"]
        if doc_id in tasks and _task_text_sha(tasks[doc_id][0]) != item.doc["text_sha256"]:
            fail("LS-PUSH-TEXT-DIFFERS", f"the text of document {doc_id} differs from the text of its task "
                 f"{tasks[doc_id][0].id} in project {title!r}; an annotation must be of the same text; nothing was pushed",
                 file=item.where, doc_id=doc_id, task=tasks[doc_id][0].id, path="$.text_sha256",
                 found=item.doc["text_sha256"], expected=_task_text_sha(tasks[doc_id][0]))
