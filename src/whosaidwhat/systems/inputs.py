"""The documents `wsw predict` reads: files, folders, JSONL files, corpus folders and release folders.

Streaming: one document is parsed at a time. A corpus folder (with `documents/` and
`splits.json`) and a release folder (with `data/documents/*.parquet`) can be narrowed to splits.
Documents are yielded in a fixed order (paths as given, folders sorted, JSONL lines and release
rows in file order), so the same inputs give the same predictions file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..core.problems import ProblemError, fail
from ..validation import NOT_PARSED, iter_documents, iter_input_files

if TYPE_CHECKING:
    from ..scoring.gold import ReleaseGold

_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class InputDocument:
    where: str        # file, file:line or release shard
    document: dict    # id, text (str or None) and whatever else the source holds


def is_release(path: Path) -> bool:
    return path.is_dir() and (path / "data" / "documents").is_dir()


def is_corpus(path: Path) -> bool:
    return path.is_dir() and (path / "documents").is_dir()


def release_splits(path: Path, splits: tuple[str, ...]) -> tuple[ReleaseGold, list[str]]:
    """(the release at `path`, the names of its splits to read: `splits`, or all when empty); an unknown split is
    refused (PRED-SPLIT-UNKNOWN). Shared by the local reader and the Dask engine's sharding."""
    from ..scoring.gold import ReleaseGold

    release = ReleaseGold(path)
    names = list(release.files)
    unknown = [s for s in splits if s not in names]
    if unknown:
        fail("PRED-SPLIT-UNKNOWN", f"no split {', '.join(map(repr, unknown))} in the release", file=str(path),
             found=", ".join(unknown), expected=f"one of {', '.join(names)}")
    return release, [s for s in names if not splits or s in splits]


def _release_documents(path: Path, splits: tuple[str, ...]) -> Iterator[InputDocument]:
    release, chosen = release_splits(path, splits)
    for split in chosen:
        for where, row in release.documents(split):
            yield InputDocument(where, row)


def _corpus_filter(path: Path, splits: tuple[str, ...]) -> set[str] | None:
    if not splits:
        return None
    from ..splits import read_splits

    if not (path / "splits.json").is_file():
        fail("PRED-SPLIT-NEEDS-CORPUS", "--split needs a corpus folder with splits.json or a release folder",
             file=str(path), found="no splits.json", expected="splits.json")
    members = read_splits(path / "splits.json").members
    unknown = [s for s in splits if s not in members]
    if unknown:
        fail("PRED-SPLIT-UNKNOWN", f"no split {', '.join(map(repr, unknown))}", file=str(path / "splits.json"),
             found=", ".join(unknown), expected=f"one of {', '.join(members)}")
    return {doc_id for s in splits for doc_id in members[s]}


def _file_documents(path: Path, wanted: set[str] | None) -> Iterator[InputDocument]:
    for file in iter_input_files([path]):
        for where, doc, problems in iter_documents(file):
            if doc is NOT_PARSED:
                raise ProblemError(problems[:1])
            check_document(doc, where)
            if wanted is None or doc["id"] in wanted:
                yield InputDocument(where, doc)


def check_document(doc, where: str) -> None:
    """The little `predict` needs of a document: an object with an id and a text (a string, or null if withheld)."""
    if not isinstance(doc, dict):
        fail("JSON-NOT-OBJECT", f"not a canonical document (a JSON object); run `wsw validate {where.split(':')[0]}`",
             file=where, path="$", found=type(doc).__name__, expected="object")
    doc_id = doc.get("id")
    if not (isinstance(doc_id, str) and _DOC_ID.match(doc_id)):
        fail("PRED-INPUT-ID", "not a document id; run `wsw validate` on it", file=where, path="$.id",
             found=repr(doc_id), expected=f"a string matching {_DOC_ID.pattern}")
    if "text" not in doc or not (doc["text"] is None or isinstance(doc["text"], str)):
        fail("PRED-INPUT-TEXT", "expected the article text; run `wsw validate` on it", file=where, doc_id=doc_id,
             path="$.text", found=type(doc.get("text")).__name__ if "text" in doc else "no text",
             expected="a string, or null if withheld")


def duplicate(doc_id: str, where: str, first: str) -> NoReturn:
    """Stop: `doc_id` at `where` was already read at `first`."""
    fail("PRED-DOC-DUPLICATE", f"document id also in {first}; a predictions file holds one line per document",
         file=where, doc_id=doc_id, path="$.id", found=f"{doc_id} twice", expected="each id once")


def iter_input_documents(paths: Iterable[str | Path], splits: tuple[str, ...] = ()) -> Iterator[InputDocument]:
    """Every document under `paths`; document ids must be unique across all of them."""
    seen: dict[str, str] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            fail("PATH-MISSING", "no such file or folder", file=str(path))
        if is_release(path):
            source = _release_documents(path, splits)
        else:
            if splits and not is_corpus(path):
                fail("PRED-SPLIT-NEEDS-CORPUS", "--split needs a corpus folder (documents/ and splits.json) or a "
                     "release folder", file=str(path), found="neither", expected="a corpus or release folder")
            source = _file_documents(path, _corpus_filter(path, splits) if is_corpus(path) else None)
        for item in source:
            doc_id = item.document["id"]
            if doc_id in seen:
                duplicate(doc_id, item.where, seen[doc_id])
            seen[doc_id] = item.where
            yield item
