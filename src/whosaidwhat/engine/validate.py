"""`wsw validate --engine dask`: one task per group of files, problems merged in file order.

A task runs `validation.check_file` on each of its files, exactly as `validation.validate_paths`
does locally (every rule that looks at one document), and returns the per-document results. The
client feeds them, in file order, to the same `validation.Merge` the local engine uses (the one
rule across documents, DOC-ID-DUPLICATE, the counts and the `--max-errors` stop), so the
problems, their order, the counts and where `--max-errors` stops are the local engine's. Problems
are printed as soon as every earlier shard has arrived; after `--max-errors` the remaining tasks
are cancelled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.problems import Problem
from .paths import FileRef


@dataclass
class FileResult:
    shown: str
    #: one `validation.DocumentResult` per document, in file order
    documents: list[Any] = field(default_factory=list)


def validate_shard(files: tuple[FileRef, ...], version: str) -> list[FileResult]:
    """Validate the documents of `files` (all but DOC-ID-DUPLICATE), in order."""
    from .. import __version__
    from ..core.inventory import load_inventory
    from ..core.problems import fail
    from ..validation import check_file

    if version != __version__:
        fail("ENGINE-WORKER-SETUP", f"dask: a worker runs whosaidwhat {__version__}, the client {version}; install the same "
             "version on every worker", found=__version__, expected=version)
    inventory = load_inventory()
    return [FileResult(ref.shown, list(check_file(Path(ref.path), inventory, ref.shown))) for ref in files]


def validate_on_dask(choice: Any, files: list[Path], progress: bool, max_errors: int | None) -> Iterator[Any]:
    """Problems, then the `ValidationSummary`, like `validation.validate_paths`."""
    from .. import __version__
    from ..validation import Merge
    from .cluster import connect
    from .shards import file_shards

    shards = file_shards(files)
    merge = Merge(max_errors)
    with connect(choice) as session:
        results = session.run_in_order(validate_shard, shards, __version__, desc="validating", show=progress,
                                       label=lambda i: f"the shard of {shards[i][0].shown}")
        try:
            for _, file_results in results:
                for result in file_results:
                    merge.summary.files += 1
                    for document in result.documents:
                        problems: list[Problem] = merge.add(document)
                        yield from problems
                        if merge.stopped:
                            yield merge.summary
                            return
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # cancels the tasks not yet done
    yield merge.summary
