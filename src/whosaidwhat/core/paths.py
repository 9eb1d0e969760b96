"""How two paths given by a user relate, so that no command writes its output over (or around) its input."""

from __future__ import annotations

from pathlib import Path


def overlap(path: Path, other: Path) -> str | None:
    """How `path` relates to `other` once both are resolved: 'is', 'is inside', 'holds', or None when apart."""
    a, b = Path(path).resolve(), Path(other).resolve()
    if a == b:
        return "is"
    if b in a.parents:
        return "is inside"
    if a in b.parents:
        return "holds"
    return None
