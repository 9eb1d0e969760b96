"""corpus/dataset.json: the one hand-written file of dataset-level facts (name, version, license
of the annotations, citation, maintainers, processes, limitations, release notes).

The dataset card, croissant.json and DATASHEET.md are all rendered from it plus statistics
computed from the documents, so they cannot disagree. Versions are semantic with dataset
meaning (see `VERSIONING`), and every version needs a changelog entry before it can be built.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

from ..core.errors import UserError

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")

#: What each part of a version number means for this dataset (printed in the card and datasheet).
VERSIONING = {
    "major": "existing annotations or the split assignment changed: scores are not comparable across majors",
    "minor": "documents or fields were added; existing documents, annotations and splits are unchanged",
    "patch": "the same data in a new serialization (packaging, card or metadata fixes)",
}

_TEXT = {"type": "string", "minLength": 1}
_TEXTS = {"type": "array", "items": _TEXT, "minItems": 1}

DATASET_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "pretty_name", "version", "summary", "description", "homepage", "citation", "maintainers",
                 "annotation_license", "language", "task_categories", "task_ids", "keywords", "source_data",
                 "annotation_process", "annotators", "personal_sensitive_information", "biases", "known_limitations",
                 "intended_uses", "out_of_scope_uses", "social_impact", "maintenance", "changelog"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "pretty_name": _TEXT,
        "version": {"type": "string", "pattern": SEMVER.pattern},
        "summary": _TEXT,
        "description": _TEXT,
        "homepage": {"type": ["string", "null"], "format": "uri"},
        # where the project (code, corpus sources, issue tracker) lives; the card's "Repository" and, with
        # `homepage`, croissant.json's `url`
        "repository": {"type": ["string", "null"], "format": "uri"},
        "citation": {"type": "object", "additionalProperties": False, "required": ["text", "bibtex"],
                     "properties": {"text": _TEXT, "bibtex": _TEXT}},
        "maintainers": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {"name": _TEXT, "contact": {"type": ["string", "null"]}, "url": {"type": ["string", "null"]}}}},
        "annotation_license": {"type": "object", "additionalProperties": False, "required": ["id", "name", "url"],
                               "properties": {"id": _TEXT, "name": _TEXT, "url": _TEXT}},
        "language": _TEXTS,
        "task_categories": _TEXTS,
        "task_ids": _TEXTS,
        "keywords": _TEXTS,
        "source_data": _TEXT,
        "annotation_process": _TEXT,
        "annotators": _TEXT,
        "annotation_platforms": {"type": "array", "items": _TEXT},
        "personal_sensitive_information": _TEXT,
        "biases": _TEXTS,
        "known_limitations": _TEXTS,
        "intended_uses": _TEXTS,
        "out_of_scope_uses": _TEXTS,
        "social_impact": _TEXT,
        "maintenance": _TEXT,
        "changelog": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["version", "date", "kind", "notes"],
            "properties": {"version": {"type": "string", "pattern": SEMVER.pattern},
                           "date": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                           "kind": {"enum": ["initial", "major", "minor", "patch"]},
                           "notes": _TEXTS}}},
    },
}


def parse_version(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of a semantic version string."""
    match = SEMVER.match(version)
    if not match:
        raise ValueError(f"{version!r} is not a semantic version MAJOR.MINOR.PATCH")
    return int(match[1]), int(match[2]), int(match[3])


def bump_kind(previous: str, current: str) -> str:
    """'major', 'minor', 'patch' or 'same': which part changed from `previous` to `current`."""
    a, b = parse_version(previous), parse_version(current)
    if b < a:
        raise ValueError(f"version {current} is lower than the previous {previous}")
    if b[0] != a[0]:
        return "major"
    if b[1] != a[1]:
        return "minor"
    return "patch" if b[2] != a[2] else "same"


def release_notes(meta: dict, version: str) -> dict:
    """The changelog entry of `version`."""
    for entry in meta["changelog"]:
        if entry["version"] == version:
            return entry
    raise KeyError(version)


def check_dataset_metadata(meta, where: str) -> None:
    """Raise a UserError naming every problem of a parsed dataset.json."""
    problems = []
    for error in sorted(Draft202012Validator(DATASET_SCHEMA).iter_errors(meta), key=lambda e: list(map(str, e.path))):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        problems.append(f"{where}: {path}: {error.message}")
    if problems:
        raise UserError("dataset metadata is invalid:\n" + "\n".join(problems))
    versions = [entry["version"] for entry in meta["changelog"]]
    if len(set(versions)) != len(versions):
        raise UserError(f"{where}: $.changelog: a version appears twice ({', '.join(versions)})")
    ordered = sorted(versions, key=parse_version, reverse=True)
    if versions != ordered:
        raise UserError(f"{where}: $.changelog: entries must be newest first (found {', '.join(versions)}, "
                        f"expected {', '.join(ordered)})")
    if versions[0] != meta["version"]:
        raise UserError(f"{where}: $.version is {meta['version']} but the newest changelog entry is {versions[0]}: "
                        "add the release notes of the new version at the top of $.changelog")
    for previous, entry in zip(meta["changelog"][1:], meta["changelog"]):
        kind = bump_kind(previous["version"], entry["version"])
        if entry["kind"] != kind:
            raise UserError(f"{where}: $.changelog: {entry['version']} is declared a {entry['kind']} release, but the "
                            f"number says {kind} (from {previous['version']}); see the versioning rules in the card")


def load_dataset_metadata(path: str | Path) -> dict:
    """Read and check dataset.json; user errors name the file and the field."""
    path = Path(path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: dataset metadata file not found (the card, Croissant and DATASHEET.md are made "
                        "from it)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not valid UTF-8 JSON ({exc})") from None
    check_dataset_metadata(meta, str(path))
    return meta
