"""Locate the data files the package reads: the JSON Schemas and the label inventory.

In a wheel they are packaged as `whosaidwhat/_schema`; in a source checkout they are the
repository's `schema/` folder. The repository copy wins so that edits are seen at once.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_REPO_ROOT = PACKAGE_DIR.parent.parent


def repo_root() -> Path | None:
    """The source checkout this package runs from, or None when installed from a wheel."""
    if (_REPO_ROOT / "schema" / "labels.json").is_file() and (_REPO_ROOT / "pyproject.toml").is_file():
        return _REPO_ROOT
    return None


def schema_dir() -> Path:
    """Folder holding document.schema.json, labels.json and the other schemas."""
    root = repo_root()
    if root is not None:
        return root / "schema"
    packaged = PACKAGE_DIR / "_schema"
    if packaged.is_dir():
        return packaged
    raise FileNotFoundError("whosaidwhat schema files not found (neither schema/ in a checkout nor whosaidwhat/_schema)")


def schema_path(name: str) -> Path:
    """Path of one file in the schema folder, e.g. schema_path('labels.json')."""
    return schema_dir() / name


def default_corpus_dir() -> Path:
    """The bundled corpus (`corpus/` of the checkout), or ./corpus when installed elsewhere."""
    root = repo_root()
    return (root / "corpus") if root is not None else Path("corpus")
