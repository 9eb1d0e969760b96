"""corpus/splits.json: which split each document belongs to, read and checked in one place.

Statistics, the datasheet and the scorer all read it through `read_splits`, so a document
listed in two splits is refused everywhere alike. (The release builder adds its own,
stricter checks: known split names only, every listed file present.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .jsonfile import read_json_object

SHAPE = '{"version": ..., "rationale": ..., "splits": {"train": [ids], "validation": [ids], "test": [ids]}}'


@dataclass(frozen=True)
class Splits:
    """The parsed splits file: split name -> document ids (file order), plus its version and rationale."""

    path: Path
    members: dict[str, list[str]]
    version: str | None
    rationale: str | None
    raw: dict

    def owner(self) -> dict[str, str]:
        """doc id -> split name."""
        return {doc_id: split for split, ids in self.members.items() for doc_id in ids}


def read_splits(path: Path, what: str = "the splits file") -> Splits:
    """Read and check a splits file; every problem is a UserError naming the file."""
    data = read_json_object(path, what)
    members = data.get("splits")
    if not isinstance(members, dict) or not all(isinstance(v, list) and all(isinstance(i, str) for i in v)
                                                for v in members.values()):
        raise UserError(f"{path}: expected {SHAPE}")
    owner: dict[str, str] = {}
    for name, ids in members.items():
        for doc_id in ids:
            if doc_id in owner:
                where = f"twice in split {name!r}" if owner[doc_id] == name else \
                    f"in split {owner[doc_id]!r} and in split {name!r}"
                raise UserError(f"{path}: $.splits.{name}: document {doc_id!r} is {where}; a document "
                                "belongs to exactly one split (or scores would leak between them)")
            owner[doc_id] = name
    text = lambda key: data.get(key) if isinstance(data.get(key), str) else None  # noqa: E731
    return Splits(Path(path), {name: list(ids) for name, ids in members.items()}, text("version"), text("rationale"), data)
