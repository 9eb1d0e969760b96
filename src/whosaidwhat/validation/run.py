"""Validating documents: one document, one file, and many files merged in order (local and Dask alike).

`check_file` applies every rule that looks at one document (schema, semantic rules, FILE-NAME);
`Merge` applies the one rule across documents (DOC-ID-DUPLICATE: ids unique per folder or JSONL
file), counts errors and warnings and stops after `--max-errors`. `validate_paths` runs both on
this machine; `engine.validate` runs `check_file` in Dask tasks and `Merge` on the client, so the
problems, their order, the counts and where `--max-errors` stops are the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.inventory import Inventory, load_inventory
from ..core.problems import ERROR, Problem
from .checker import Checker, shown_id
from .reading import iter_input_files, read_documents
from .schemas import DOCUMENT, schema_problems


def validate_document(doc: Any, file: str = "<memory>", inventory: Inventory | None = None,
                      lineno: int | None = None) -> list[Problem]:
    """All problems of one parsed document: schema first, then the semantic rules."""
    if not isinstance(doc, dict):
        return [Problem("SCHEMA", "a document must be a JSON object", file=file, lineno=lineno, path="$",
                        found=type(doc).__name__, expected="object")]
    where: dict[str, Any] = {"file": file, "lineno": lineno, "doc_id": shown_id(doc.get("id"))}
    shape = schema_problems(doc, DOCUMENT, None, **where)
    flagged = frozenset(p.path for p in shape if p.path is not None)
    return shape + _checker(inventory).document(doc, flagged, **where)


_CHECKERS: dict[int, Checker] = {}


def _checker(inventory: Inventory | None) -> Checker:
    inventory = inventory or load_inventory()
    checker = _CHECKERS.get(id(inventory))
    if checker is None or checker.inventory is not inventory:
        checker = _CHECKERS[id(inventory)] = Checker(inventory)
    return checker


@dataclass
class DocumentResult:
    """What `check_file` found about one document (picklable: Dask tasks return it)."""

    file: str
    lineno: int | None
    doc_id: str | None
    parsed: bool
    container: str  # the folder or JSONL file whose document ids must be unique
    problems: list[Problem] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.file if self.lineno is None else f"{self.file}:{self.lineno}"


def check_file(path: Path, inventory: Inventory | None = None, shown: str | None = None) -> Iterator[DocumentResult]:
    """Every rule but DOC-ID-DUPLICATE for each document of `path`; messages name `shown` (default: the path)."""
    shown_path = Path(shown) if shown is not None else path
    file = str(shown_path)
    container = file if path.suffix == ".jsonl" else str(shown_path.parent)
    for read in read_documents(path):
        problems = [p if p.file != str(path) else dataclasses.replace(p, file=file) for p in read.problems]
        doc, doc_id = read.doc, None
        if read.parsed:
            problems = validate_document(doc, file, inventory, read.lineno)
            doc_id = doc.get("id") if isinstance(doc, dict) and isinstance(doc.get("id"), str) else None
            if doc_id is not None and path.suffix == ".json" and shown_path.stem != doc_id:
                problems.append(Problem("FILE-NAME", "file name does not match the document id", file=file, doc_id=shown_id(doc_id),
                                        path="$.id", found=shown_path.name, expected=f"{doc_id}.json"))
        yield DocumentResult(file, read.lineno, doc_id, read.parsed, container, problems)


@dataclass
class ValidationSummary:
    files: int = 0
    documents: int = 0
    errors: int = 0
    warnings: int = 0
    truncated: bool = False


class Merge:
    """Documents in file order -> problems to report, with DOC-ID-DUPLICATE, counts and the --max-errors stop."""

    def __init__(self, max_errors: int | None = None):
        self.summary = ValidationSummary()
        self.max_errors = max_errors
        self.ids: dict[str, dict[str, str]] = {}

    def add(self, result: DocumentResult) -> list[Problem]:
        problems = list(result.problems)
        if result.parsed:
            self.summary.documents += 1
            if result.doc_id is not None:
                seen = self.ids.setdefault(result.container, {})
                if result.doc_id in seen:
                    problems.append(Problem("DOC-ID-DUPLICATE", "document id already used", file=result.file,
                                            lineno=result.lineno, doc_id=shown_id(result.doc_id), path="$.id",
                                            found=f"also in {seen[result.doc_id]}", expected="ids unique per folder / JSONL file"))
                else:
                    seen[result.doc_id] = result.where
        for problem in problems:
            if problem.is_error:
                self.summary.errors += 1
            else:
                self.summary.warnings += 1
        if self.max_errors is not None and self.summary.errors >= self.max_errors:
            self.summary.truncated = True
        return problems

    @property
    def stopped(self) -> bool:
        return self.summary.truncated


def validate_paths(paths: Iterable[str | Path], inventory: Inventory | None = None,
                   progress: Any = None, max_errors: int | None = None) -> Iterator[Problem | ValidationSummary]:
    """Validate every document under `paths`, yielding problems as found and a summary last.

    Streams: one document is in memory at a time, so silver corpora of any size can be checked.
    With `max_errors`, stops after the document holding that many errors (summary.truncated).
    """
    inventory = inventory or load_inventory()
    merge = Merge(max_errors)
    for path in iter_input_files(paths):
        merge.summary.files += 1
        for result in check_file(path, inventory):
            yield from merge.add(result)
            if progress is not None:
                progress.update(1)
            if merge.stopped:
                yield merge.summary
                return
    yield merge.summary


__all__ = ["ERROR", "DocumentResult", "Merge", "ValidationSummary", "check_file", "validate_document", "validate_paths"]
