"""Finding and reading documents: files and folders in, parsed documents (or their problems) out.

Every file goes through the strict JSON reader (`core.jsonfile`): a FIFO named doc.json is refused
instead of waited on, binary files are named as such, duplicate keys, NaN and lone surrogates are
problems with their line and JSON path.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.jsonfile import parse_json, regular_file_problem
from ..core.problems import Problem

#: what a reader gives for a document it could not parse (JSON `null` parses to None)
NOT_PARSED: Any = object()

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)


@dataclass
class DocumentRead:
    """One document of a file: where it is, the parsed value (or NOT_PARSED), the problems of reading it."""

    file: str
    lineno: int | None
    doc: Any
    problems: list[Problem] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.file if self.lineno is None else f"{self.file}:{self.lineno}"

    @property
    def parsed(self) -> bool:
        return self.doc is not NOT_PARSED


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders (recursively, sorted) into .json and .jsonl files.

    A corpus folder (one with a `documents/` subfolder, like corpus/) stands for its documents:
    its raw inputs (corpus/raw/, which may hold upstream JSON such as GUM records) and other
    metadata files are not canonical documents and are not validated as such.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and (path / "documents").is_dir():
            path = path / "documents"
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix in (".json", ".jsonl") and not child.name.startswith(".") and not child.is_dir():
                    yield child  # a dangling link or a FIFO is reported, not skipped
        else:
            yield path


def _marked_path(value: Any, mark: object, path: str = "$") -> str | None:
    if value is mark:
        return path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _marked_path(item, mark, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}")
        if found:
            return found
    return None


def locate_constant(text: str) -> tuple[int | None, str | None]:
    """(line in `text`, JSON path) of the first NaN/Infinity outside strings; None where not found."""
    line = None
    for match in _TOKENS.finditer(text):
        if match.group(1):
            line = text.count("\n", 0, match.start()) + 1
            break
    mark = object()
    try:
        value = json.loads(text, parse_constant=lambda _: mark)
    except (ValueError, RecursionError):
        return line, None
    return line, _marked_path(value, mark)


def _parse(data: bytes, file: str, lineno: int | None, hint: str | None) -> tuple[Any, list[Problem]]:
    value, problem = parse_json(data, file=file, lineno=lineno)
    if problem is None:
        return value, []
    changes: dict[str, Any] = {}
    if problem.doc_id is None and hint is not None:
        changes["doc_id"] = hint
    if problem.path is None:
        changes["path"] = "$"
    if problem.rule == "JSON-CONSTANT" and problem.found in ("NaN", "Infinity", "-Infinity"):
        line, path = locate_constant(data.decode("utf-8"))
        changes["path"] = path or problem.path
        if lineno is None and line is not None:
            changes["lineno"] = line  # a .json file: the line of the file
    return NOT_PARSED, [dataclasses.replace(problem, **changes) if changes else problem]


def _read_jsonl(path: Path) -> Iterator[DocumentRead]:
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            doc, problems = _parse(line, str(path), number, None)
            yield DocumentRead(str(path), number, doc, problems)
            if problems and problems[0].rule == "FILE-BINARY":
                return  # an archive named .jsonl: one problem, not one per "line" of it


def read_documents(path: Path) -> Iterator[DocumentRead]:
    """The documents of one file, parsed; JSONL gives one per line."""
    hint = f"{path.stem} (from the file name)"
    problem = regular_file_problem(path)
    if problem is not None:
        yield DocumentRead(str(path), None, NOT_PARSED, [dataclasses.replace(problem, doc_id=hint, path="$")])
        return
    try:
        if path.suffix == ".jsonl":
            yield from _read_jsonl(path)
        else:
            doc, problems = _parse(path.read_bytes(), str(path), None, hint)
            yield DocumentRead(str(path), None, doc, problems)
    except OSError as exc:
        yield DocumentRead(str(path), None, NOT_PARSED, [Problem("FILE-READ", f"cannot read the file: {exc.strerror or exc}",
                                                                 file=str(path), doc_id=hint, path="$",
                                                                 found=type(exc).__name__, expected="a readable file")])


def iter_documents(path: Path) -> Iterator[tuple[str, Any, list[Problem]]]:
    """(location, doc or NOT_PARSED, parse problems) per document of one file: `read_documents` as tuples."""
    for read in read_documents(path):
        yield read.where, read.doc, read.problems
