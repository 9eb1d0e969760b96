"""Push canonical documents to a Label Studio project, idempotently.

Label Studio re-imports duplicates and ignores task ids, so tasks are keyed by `data.doc_id`:
the project's doc ids are listed first and only missing documents are imported. Pushing the same
corpus twice imports nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.inventory import load_inventory
from ..core.problems import Problem, ProblemError, fail
from ..validation import ERROR, NOT_PARSED, iter_documents, iter_input_files, validate_document
from .client import Client
from .config import build_config
from .encode import document_to_task

MODES = ("predictions", "annotations", "none")


@dataclass
class PushResult:
    project_id: int
    project_created: bool
    documents: int = 0
    imported: int = 0
    already_present: int = 0
    duplicates: dict = field(default_factory=dict)  # doc_id -> task ids, when a doc has several tasks
    config_differs: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def read_documents(paths: Iterable[str | Path],
                   annotator_of: Callable[[dict, str], str | None] | None = None) -> Iterator[tuple[str, dict]]:
    """Valid canonical documents under `paths`; any invalid one stops the push before anything is sent.

    With `annotator_of` (documents made by one annotator each), the annotator is checked first,
    and a document id may occur once per annotator instead of once in all.
    """
    inventory = load_inventory()
    seen: dict[tuple, str] = {}
    for path in iter_input_files(paths):
        for where, doc, problems in iter_documents(path):
            annotator = annotator_of(doc, where) if annotator_of is not None and doc is not NOT_PARSED else None
            if doc is not NOT_PARSED:
                problems = [p for p in validate_document(doc, where, inventory) if p.level == ERROR]
            if problems:
                raise ProblemError([_as_problem(p, where) for p in problems])
            _check_pushable(doc, where, annotator, seen)
            yield where, doc


def _as_problem(p, where: str) -> Problem:
    """A validation problem of a document that stops the push (its rule is a document rule)."""
    return Problem(p.rule, f"{p.message}; not a valid canonical document, nothing was pushed (run `wsw validate {where}`)",
                   file=p.file or where, lineno=p.lineno, doc_id=p.doc_id, path=p.path, found=p.found, expected=p.expected)


def _check_pushable(doc: dict, where: str, annotator: str | None, seen: dict) -> None:
    if doc.get("text") is None:
        fail("LS-PUSH-TEXT-WITHHELD", f"document {doc['id']} has its text withheld (null); restore it with "
             "`wsw rehydrate` before pushing; nothing was pushed", file=where, doc_id=doc["id"], path="$.text")
    key = (annotator, doc["id"])
    if key in seen:
        whose = f" of annotator {annotator}" if annotator else ""
        fail("LS-PUSH-DUPLICATE-DOC", f"document id {doc['id']!r}{whose} also in {seen[key]}; nothing was pushed",
             file=where, doc_id=doc["id"], found=seen[key])
    seen[key] = where


def ensure_project(client: Client, title: str, update_config: bool = False) -> tuple[Any, bool, bool]:
    """(project, created, config differs): find the project by title or create it with the generated config."""
    if len(title.strip()) < 3:
        fail("LS-PROJECT-TITLE", f"project name {title!r} is too short: Label Studio needs at least 3 characters",
             found=title, expected="at least 3 characters")
    config = build_config()
    project = client.find_project(title)
    if project is None:
        project = client.create_project(title, config, "WhoSaidWhat annotation campaign (created by wsw labelstudio push)")
        return project, True, False
    full = client.project(project.id)
    differs = (getattr(full, "label_config", None) or "").strip() != config.strip()
    if differs and update_config:
        client.update_config(project.id, config)
        differs = False
    return full, False, differs


def push(client: Client, title: str, documents: Iterable[tuple[str, dict]], mode: str = "predictions",
         model_version: str | None = None, batch_size: int = 100, update_config: bool = False,
         progress: Callable[[int], None] | None = None) -> PushResult:
    """Import the documents that the project does not have yet; return what was done."""
    if mode not in MODES:
        fail("OPTION-INVALID", f"unknown push mode {mode!r}", found=mode, expected=", ".join(MODES))
    project, created, differs = ensure_project(client, title, update_config)
    result = PushResult(project_id=project.id, project_created=created, config_differs=differs)
    existing = {} if created else client.task_doc_ids(project.id)
    result.duplicates = {d: ids for d, ids in existing.items() if len(ids) > 1}
    batch: list[dict] = []

    def flush():
        if batch:
            result.imported += client.import_tasks(project.id, batch)
            if progress:
                progress(len(batch))
            batch.clear()

    for _, doc in documents:
        result.documents += 1
        if doc["id"] in existing:
            result.already_present += 1
            if progress:
                progress(1)
            continue
        batch.append(document_to_task(doc, None if mode == "none" else mode, model_version))
        if len(batch) >= batch_size:
            flush()
    flush()
    return result
