"""Reading a corpus folder for a release: the split assignment and the documents, streamed.

Checks that need the whole picture (every split id has a file, every file is in exactly one
split) run before anything is written; documents are then read one at a time, in a fixed
order (split order, then id), so the same corpus always gives the same rows in the same order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.jsonfile import parse_json, read_bytes, read_json_object
from ..core.problems import Problem, ProblemError, fail
from .features import SPLITS

SHAPE = '{"version", "rationale", "splits": {"train": [ids], "validation": [ids], "test": [ids]}}'


@dataclass(frozen=True)
class CorpusPlan:
    """What a release will contain: document files by split, in release order."""

    corpus_dir: Path
    splits: dict[str, list[str]]  # split -> sorted ids
    splits_version: str | None
    splits_rationale: str | None

    def files(self, split: str) -> list[Path]:
        return [self.corpus_dir / "documents" / f"{doc_id}.json" for doc_id in self.splits[split]]

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.splits.values())


def _layout(corpus_dir: Path) -> tuple[Path, Path]:
    docs_dir, splits_file = corpus_dir / "documents", corpus_dir / "splits.json"
    if not docs_dir.is_dir():
        fail("REL-CORPUS-LAYOUT", "no documents folder", file=str(docs_dir),
             expected="a corpus folder with documents/<id>.json and splits.json")
    if not splits_file.exists():
        fail("REL-CORPUS-LAYOUT", "not found; a release needs the split assignment", file=str(splits_file),
             expected=SHAPE)
    return docs_dir, splits_file


def _split_ids(raw_splits: dict, splits_file: Path, docs_dir: Path) -> tuple[dict[str, list[str]], dict[str, str],
                                                                                list[Problem]]:
    """split -> sorted ids, id -> split, and the problems of the lists."""
    where = str(splits_file)
    problems = [Problem("REL-SPLITS-SHAPE", "unknown split", file=where, path=f"$.splits.{name}", found=name,
                        expected=", ".join(SPLITS)) for name in sorted(set(raw_splits) - set(SPLITS))]
    owner: dict[str, str] = {}
    splits: dict[str, list[str]] = {}
    for split in SPLITS:
        ids = raw_splits.get(split, [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append(Problem("REL-SPLITS-SHAPE", "expected a list of document ids", file=where,
                                    path=f"$.splits.{split}", found=type(ids).__name__, expected="[ids]"))
            continue
        for doc_id in ids:
            if doc_id in owner:
                problems.append(Problem("REL-SPLITS-DUPLICATE", "a document belongs to exactly one split", file=where,
                                        doc_id=doc_id, path=f"$.splits.{split}", found=f"also in {owner[doc_id]}"))
            owner[doc_id] = split
            if not (docs_dir / f"{doc_id}.json").is_file():
                problems.append(Problem("REL-SPLITS-NO-FILE", "listed, but there is no such document file", file=where,
                                        doc_id=doc_id, path=f"$.splits.{split}",
                                        expected=str(docs_dir / (doc_id + ".json"))))
        splits[split] = sorted(set(ids))
    return splits, owner, problems


def plan_corpus(corpus_dir: str | Path) -> CorpusPlan:
    """Read CORPUS/splits.json (strictly, see core.jsonfile) and check it against CORPUS/documents/; every
    problem is listed (ProblemError)."""
    corpus_dir = Path(corpus_dir)
    docs_dir, splits_file = _layout(corpus_dir)
    data = read_json_object(splits_file, "the split assignment", hint=f"expected {SHAPE}")
    raw_splits = data.get("splits")
    if not isinstance(raw_splits, dict):
        fail("REL-SPLITS-SHAPE", "expected an object {split name: [document ids]}", file=str(splits_file),
             path="$.splits", found=type(raw_splits).__name__, expected=SHAPE)
    splits, owner, problems = _split_ids(raw_splits, splits_file, docs_dir)
    on_disk = {p.stem for p in docs_dir.glob("*.json")}
    problems += [Problem("REL-SPLITS-UNASSIGNED", "in no split of splits.json (add it to train, validation or test)",
                         file=str(docs_dir / (doc_id + ".json")), doc_id=doc_id) for doc_id in sorted(on_disk - set(owner))]
    if problems:
        raise ProblemError(problems)
    return CorpusPlan(corpus_dir, splits, _text(data.get("version")), _text(data.get("rationale")))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def read_document(path: Path) -> tuple[dict, str]:
    """A parsed document file and the SHA-256 of its bytes; unreadable files are ProblemErrors."""
    data = read_bytes(path)
    doc, problem = parse_json(data, file=str(path))
    if problem is not None:
        raise ProblemError([problem])
    if not isinstance(doc, dict):
        fail("JSON-NOT-OBJECT", "a document must be a JSON object", file=str(path), path="$",
             found=type(doc).__name__, expected="object")
    return doc, hashlib.sha256(data).hexdigest()
