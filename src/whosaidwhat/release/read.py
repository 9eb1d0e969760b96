"""Reading a release back as canonical documents (for scoring against a release, or re-importing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core.problems import ProblemError, fail
from .features import SPLITS
from .rows import document_from_row
from .verify import iter_rows, load_manifest


def release_info(root: str | Path) -> dict:
    """The release's manifest (release.json): name, version, counts, corpus fingerprint..."""
    manifest, problems = load_manifest(Path(root))
    if manifest is None:
        raise ProblemError(problems)
    return manifest


def iter_release_documents(root: str | Path, split: str | None = None) -> Iterator[dict]:
    """Canonical documents of a release (all splits, or one), in release order, one at a time.

    Withheld documents come with `text` and span texts null, exactly as released.
    """
    root = Path(root)
    manifest = release_info(root)
    if split is not None and split not in SPLITS:
        fail("OPTION-INVALID", "unknown split", found=repr(split), expected=f"one of {', '.join(SPLITS)}")
    for name in [split] if split else SPLITS:
        for _, _, row in iter_rows(root, manifest["configs"]["documents"][name]["files"]):
            yield document_from_row(row)
