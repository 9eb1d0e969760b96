"""`wsw validate --engine dask`: one task per group of files, problems merged in file order.

A task validates every document of its files exactly as `validation.validate_paths` does (schema,
semantic rules, the file-name rule) and returns, per document, its location, id and problems.
The one rule that looks across documents, DOC-ID-DUPLICATE (ids unique per folder or JSONL
file), is applied by the client while it walks the results in file order, so the problems, their
order, the counts and where `--max-errors` stops are the local engine's. Problems are printed as
soon as every earlier shard has arrived; after `--max-errors` the remaining tasks are cancelled.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .paths import FileRef, shown_problem


@dataclass
class FileResult:
    shown: str
    suffix: str
    #: one entry per document: (location, id or None, parsed, problems)
    documents: list = field(default_factory=list)


def validate_shard(files: tuple[FileRef, ...], version: str) -> list[FileResult]:
    """Validate the documents of `files` (all but DOC-ID-DUPLICATE), in order."""
    from .. import __version__
    from ..core.errors import UserError
    from ..core.inventory import load_inventory
    from ..validation import NOT_PARSED, Problem, iter_documents, validate_document

    if version != __version__:
        raise UserError(f"dask: a worker runs whosaidwhat {__version__}, the client {version}; install the same "
                        "version on every worker")
    inventory = load_inventory()
    out = []
    for ref in files:
        path = Path(ref.path)
        shown = Path(ref.shown)
        result = FileResult(ref.shown, path.suffix)
        for where, doc, problems in iter_documents(path):
            where = ref.show(where)
            if doc is NOT_PARSED:
                result.documents.append((where, None, False, [shown_problem(p, ref) for p in problems]))
                continue
            problems = validate_document(doc, where, inventory)
            doc_id = doc.get("id") if isinstance(doc, dict) else None
            if isinstance(doc_id, str) and shown.suffix == ".json" and shown.stem != doc_id:
                problems.append(Problem(where, doc_id, "$.id", "FILE-NAME", "file name does not match the document id",
                                        shown.name, f"{doc_id}.json"))
            result.documents.append((where, doc_id if isinstance(doc_id, str) else None, True, problems))
        out.append(result)
    return out


def validate_on_dask(choice, files: list[Path], progress: bool, max_errors: int | None) -> Iterator:
    """Problems, then the `ValidationSummary`, like `validation.validate_paths`."""
    from .. import __version__
    from ..validation import ERROR, Problem, ValidationSummary
    from .cluster import connect
    from .shards import file_shards

    shards = file_shards(files)
    summary = ValidationSummary()
    ids_by_container: dict[str, dict[str, str]] = {}
    with connect(choice) as session:
        results = session.run_in_order(validate_shard, shards, __version__, desc="validating", show=progress,
                                       label=lambda i: f"the shard of {shards[i][0].shown}")
        with contextlib.closing(results):
            for _, file_results in results:
                for result in file_results:
                    summary.files += 1
                    container = result.shown if result.suffix == ".jsonl" else str(Path(result.shown).parent)
                    for where, doc_id, parsed, problems in result.documents:
                        if parsed:
                            summary.documents += 1
                            if doc_id is not None:
                                seen = ids_by_container.setdefault(container, {})
                                if doc_id in seen:
                                    problems = [*problems, Problem(
                                        where, doc_id, "$.id", "DOC-ID-DUPLICATE", "document id already used",
                                        f"also in {seen[doc_id]}", "ids unique per folder / JSONL file")]
                                else:
                                    seen[doc_id] = where
                        for problem in problems:
                            if problem.level == ERROR:
                                summary.errors += 1
                            else:
                                summary.warnings += 1
                            yield problem
                        if max_errors is not None and summary.errors >= max_errors:
                            summary.truncated = True
                            yield summary
                            return
    yield summary
