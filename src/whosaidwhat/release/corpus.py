"""Reading a corpus folder for a release: the split assignment and the documents, streamed.

Checks that need the whole picture (every split id has a file, every file is in exactly one
split) run before anything is written; documents are then read one at a time, in a fixed
order (split order, then id), so the same corpus always gives the same rows in the same order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UserError
from ..core.jsonfile import parse_json_bytes
from .features import SPLITS


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


def plan_corpus(corpus_dir: str | Path) -> CorpusPlan:
    """Read CORPUS/splits.json and check it against CORPUS/documents/; every problem is listed."""
    corpus_dir = Path(corpus_dir)
    docs_dir = corpus_dir / "documents"
    splits_file = corpus_dir / "splits.json"
    if not docs_dir.is_dir():
        raise UserError(f"{docs_dir}: no documents folder (expected a corpus with documents/<id>.json and splits.json)")
    if not splits_file.is_file():
        raise UserError(f"{splits_file}: not found; a release needs the split assignment "
                        '{"version", "rationale", "splits": {"train": [ids], "validation": [ids], "test": [ids]}}')
    try:
        data = json.loads(splits_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{splits_file}: not valid UTF-8 JSON ({exc})") from None
    raw_splits = data.get("splits") if isinstance(data, dict) else None
    if not isinstance(raw_splits, dict):
        raise UserError(f"{splits_file}: $.splits: expected an object {{split name: [document ids]}}")
    problems = []
    unknown = sorted(set(raw_splits) - set(SPLITS))
    if unknown:
        problems.append(f"{splits_file}: $.splits: unknown split(s) {', '.join(unknown)} (expected {', '.join(SPLITS)})")
    owner: dict[str, str] = {}
    splits: dict[str, list[str]] = {}
    for split in SPLITS:
        ids = raw_splits.get(split, [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append(f"{splits_file}: $.splits.{split}: expected a list of document ids")
            continue
        for doc_id in ids:
            if doc_id in owner:
                problems.append(f"{splits_file}: $.splits.{split}: {doc_id} is also in {owner[doc_id]} "
                                "(a document belongs to exactly one split)")
            owner[doc_id] = split
            if not (docs_dir / f"{doc_id}.json").is_file():
                problems.append(f"{splits_file}: $.splits.{split}: {doc_id}: no file {docs_dir / (doc_id + '.json')}")
        splits[split] = sorted(set(ids))
    on_disk = {p.stem for p in docs_dir.glob("*.json")}
    for doc_id in sorted(on_disk - set(owner)):
        problems.append(f"{docs_dir / (doc_id + '.json')}: {doc_id}: in no split of {splits_file} "
                        "(add it to train, validation or test)")
    if problems:
        raise UserError("the corpus cannot be released:\n" + "\n".join(problems))
    return CorpusPlan(corpus_dir, splits, data.get("version"), data.get("rationale"))


def read_document(path: Path) -> tuple[dict, str]:
    """A parsed document file and the SHA-256 of its bytes; unreadable files are user errors."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    doc, why = parse_json_bytes(data)
    if why is not None:
        raise UserError(f"{path}: {why}; run `wsw validate {path}`")
    if not isinstance(doc, dict):
        raise UserError(f"{path}: a document must be a JSON object")
    return doc, hashlib.sha256(data).hexdigest()
