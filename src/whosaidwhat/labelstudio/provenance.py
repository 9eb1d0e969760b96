"""The provenance of pushed annotations, kept in Label Studio so that a pull gives it back.

Label Studio keeps no free-form data per annotation, but it keeps (and exports) a task's `meta`
object and an annotation's `import_id`, a number its creator may set. `push` gives the annotation
of annotator X on document D in project P the *push key* `import_id` = a hash of (P, D, X), and
writes a *push record* under `task.meta["wsw"]["annotations"]["<push key>"]`:

    annotator, user, email        the annotator id and its placeholder user (see annotators.py)
    pushed_at, pushed_to, pushed_from   when, to which server, from which file
    layers                        the document's layer provenance as pushed (producers with
                                  model, shown, workspace; status; times; lead time; changes; notes)
    fingerprints                  per layer, a hash of its content (items and whether it is annotated)
    order                         the ids of entities, mentions, quotes and claims in document order
    document                      metadata/source/schema_version, only where they differ from the task's

A task imported by the push carries its records and annotations in the same request. On an
existing task the record is written first, then the annotation is created with a `unique_id`
derived from the same (P, D, X): the server refuses a known unique_id (409), so a repeated or
retried push can neither add a second annotation nor leave a second record.

`restore` puts the record back on conversion: a layer whose content is unchanged gets its pushed
record exactly, plus where it was in Label Studio; a layer changed in Label Studio keeps the pushed
record too, with status `draft`, the editing user as an extra `corrected` producer and a line in
`changes`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from ..core.document import LAYERS

META_KEY = "wsw"
RECORDS_KEY = "annotations"
LAYER_ITEMS = {"mentions": ("entities", "mentions"), "quotes": ("quotes",), "claims": ("claims",)}
ITEM_KEYS = ("entities", "mentions", "quotes", "claims")
DOCUMENT_KEYS = ("schema_version", "metadata", "source")
_NAMESPACE = uuid.UUID("6f1d3c0e-8b7a-5e2f-9a41-77d0c3b5e210")


def push_key(project_id: int, doc_id: str, annotator: str) -> int:
    """The annotation's import_id and the key of its push record: a 60-bit hash of (project, document, annotator)."""
    digest = hashlib.sha256(f"wsw\n{project_id}\n{doc_id}\n{annotator}".encode()).hexdigest()
    return int(digest[:15], 16)


def unique_id(project_id: int, doc_id: str, annotator: str) -> str:
    """The annotation's unique_id: the same (project, document, annotator) always gives the same UUID."""
    return str(uuid.uuid5(_NAMESPACE, f"wsw\n{project_id}\n{doc_id}\n{annotator}"))


def record_for(records: dict, annotation: dict):
    """The push record of an exported annotation (found by its import_id), or None."""
    key = annotation.get("import_id")
    return records.get(str(key)) if isinstance(key, int) and not isinstance(key, bool) else None


def fingerprints_of(items: dict, annotated: set) -> dict:
    """Per layer, a SHA-256 of its items (in id order) and of whether it is annotated at all."""
    out = {}
    for layer, keys in LAYER_ITEMS.items():
        content: dict = {"annotated": layer in annotated}
        for key in keys:
            content[key] = sorted(items.get(key) or [], key=lambda item: str(item.get("id")))
        data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        out[layer] = hashlib.sha256(data.encode("utf-8")).hexdigest()
    return out


def fingerprints(doc: dict) -> dict:
    """Layer fingerprints of a canonical document (a layer is annotated unless its status is `absent`)."""
    annotated = {n for n in LAYERS if doc["provenance"]["layers"][n]["status"] != "absent"}
    return fingerprints_of(doc, annotated)


def records_of(meta) -> dict:
    """The push records of a task's meta (unique_id -> record), {} when there are none."""
    ours = meta.get(META_KEY) if isinstance(meta, dict) else None
    records = ours.get(RECORDS_KEY) if isinstance(ours, dict) else None
    return records if isinstance(records, dict) else {}


def with_records(meta, new: dict) -> dict:
    """A copy of a task's meta with `new` records added; everything else in it is kept."""
    meta = copy.deepcopy(meta) if isinstance(meta, dict) else {}
    ours = meta.get(META_KEY) if isinstance(meta.get(META_KEY), dict) else {}
    ours[RECORDS_KEY] = {**records_of(meta), **new}
    meta[META_KEY] = ours
    return meta


def push_record(doc: dict, annotator: str, user_id: int, email: str, url: str, pushed_from: str,
                task_data: dict) -> dict:
    """What push writes into the task's meta before creating the annotation of `doc`."""
    record = {"annotator": annotator, "user": user_id, "email": email,
              "pushed_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "pushed_to": url,
              "pushed_from": pushed_from, "layers": copy.deepcopy(doc["provenance"]["layers"]),
              "fingerprints": fingerprints(doc), "order": {k: [item["id"] for item in doc[k]] for k in ITEM_KEYS}}
    wsw = task_data["wsw"] if isinstance(task_data.get("wsw"), dict) else {}
    task_values = {"schema_version": wsw.get("schema_version"), "metadata": wsw.get("metadata"),
                   "source": wsw.get("source")}
    differs = {k: (doc[k] if k != "source" else doc["provenance"]["source"]) for k in DOCUMENT_KEYS}
    differs = {k: v for k, v in differs.items() if v != task_values[k]}
    if differs:
        record["document"] = copy.deepcopy(differs)
    return record


def usable(record, completed_by) -> str | None:
    """None if a push record can be used for an annotation by `completed_by`, else why not."""
    if not isinstance(record, dict) or not isinstance(record.get("layers"), dict) \
            or not isinstance(record.get("fingerprints"), dict) or not isinstance(record.get("annotator"), str):
        return "its push record in the task meta is malformed"
    user = completed_by.get("id") if isinstance(completed_by, dict) else completed_by
    if record.get("user") != user:
        return f"its push record names user {record.get('user')!r}, but completed_by is {user!r}"
    for layer in LAYERS:
        pushed = record["layers"].get(layer)
        if not isinstance(pushed, dict) or not isinstance(pushed.get("producers"), list):
            return f"its push record has no provenance for the {layer} layer"
    return None


@dataclass(frozen=True)
class Location:
    """Where an annotation is in Label Studio."""

    url: str | None
    project: object
    task: object
    annotation: object
    user: object
    email: str | None = None  # only a placeholder address, never a real one

    @property
    def workspace(self) -> str:
        if self.url:
            return f"{self.url}/projects/{self.project}/data?task={self.task}&annotation={self.annotation}"
        return f"Label Studio project {self.project}, task {self.task}, annotation {self.annotation}"

    def line(self, prefix: str = "") -> str:
        """One line for a layer's `changes`: "Label Studio: [prefix]pulled from <server>, project P, task T, ..."."""
        user = f"user {self.user}" + (f" <{self.email}>" if self.email else "")
        server = self.url or "an export"
        return (f"Label Studio: {prefix}pulled from {server}, project {self.project}, task {self.task}, "
                f"annotation {self.annotation}, completed_by {user}")


def _text(value) -> str:
    return value if isinstance(value, str) and value else "?"


def _lines(value) -> list:
    return list(value) if isinstance(value, list) else []


def restore(doc: dict, record: dict, annotator: str, where: Location, editor: str, updated: str | None) -> list:
    """Give a converted document the provenance its annotation was pushed with; return the layers changed since.

    `doc` is the converted document (its layer records made from the annotation; their `changes`,
    such as "left out ...", are kept). `annotator` is the id the annotation converts to; when a map
    renamed it, producers named like the pushed annotator are renamed too.
    """
    now = fingerprints(doc)
    changed = []
    for layer in LAYERS:
        same = now[layer] == record["fingerprints"].get(layer)
        if not same:
            changed.append(layer)
        _restore_layer(doc, record, layer, same, annotator, where, editor, updated)
    _restore_order(doc, record)
    document = record["document"] if isinstance(record.get("document"), dict) else {}
    for key, value in document.items():
        if key == "source":
            doc["provenance"]["source"] = copy.deepcopy(value)
        elif key in ("schema_version", "metadata"):
            doc[key] = copy.deepcopy(value)
    return changed


def _restore_layer(doc: dict, record: dict, layer: str, same: bool, annotator: str, where: Location, editor: str,
                   updated: str | None) -> None:
    """The pushed record of one layer back, with where it is now and what changed in Label Studio."""
    pushed_annotator = record["annotator"]
    built = doc["provenance"]["layers"][layer]
    pushed = copy.deepcopy(record["layers"][layer])
    if same and pushed.get("status") == "absent":
        doc["provenance"]["layers"][layer] = pushed
        return
    pushed_from = f"pushed by wsw at {_text(record.get('pushed_at'))} from {_text(record.get('pushed_from'))}; "
    notes = [where.line(pushed_from) + (", unchanged since the push" if same else "")]
    if built["status"] == "absent":  # removed in Label Studio after the push
        built["changes"] = _lines(built.get("changes")) + notes + [f"the pushed {layer} layer was removed in Label Studio"]
        return
    for producer in pushed["producers"]:
        if isinstance(producer, dict) and producer.get("id") == pushed_annotator:
            producer["id"] = annotator
            if not producer.get("workspace"):
                producer["workspace"] = where.workspace
    if annotator != pushed_annotator:
        notes.append(f"annotator id {pushed_annotator} mapped to {annotator} by the annotator map")
    if not same:
        pushed["status"] = "draft"
        pushed["producers"].append({"kind": "human", "id": editor, "version": None, "role": "corrected",
                                    "workspace": where.workspace})
        pushed["updated"] = updated
        notes.append(f"changed in Label Studio after the push (annotation last updated {updated or 'at an unknown time'})")
    pushed["changes"] = _lines(pushed.get("changes")) + notes + _lines(built.get("changes"))
    doc["provenance"]["layers"][layer] = pushed


def _restore_order(doc: dict, record: dict) -> None:
    """Items in the order they were pushed in (new ones last)."""
    orders = record["order"] if isinstance(record.get("order"), dict) else {}
    for key in ITEM_KEYS:
        order = orders.get(key)
        if isinstance(order, list):
            position = {item_id: n for n, item_id in enumerate(order) if isinstance(item_id, str)}
            doc[key] = sorted(doc[key], key=lambda item: position.get(item["id"], len(position)))
