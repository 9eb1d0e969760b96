"""corpus/dataset.json: the one hand-written file of dataset-level facts (name, version, license
of the annotations, citation, maintainers, processes, limitations, release notes).

The dataset card, croissant.json and DATASHEET.md are all rendered from it plus statistics
computed from the documents, so they cannot disagree. Versions are semantic with dataset
meaning (see `VERSIONING`), and every version needs a changelog entry before it can be built.
"""

from __future__ import annotations

import re
from pathlib import Path

from jsonschema import Draft202012Validator

from ..core.jsonfile import read_json_object
from ..core.problems import Problem, ProblemError

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


def _changelog_problems(meta: dict, where: str) -> list[Problem]:
    """The release notes must be newest first, one per version, the first of this version, each bump named right."""
    versions = [entry["version"] for entry in meta["changelog"]]
    if len(set(versions)) != len(versions):
        return [Problem("REL-METADATA", "a version appears twice", file=where, path="$.changelog",
                        found=", ".join(versions))]
    ordered = sorted(versions, key=parse_version, reverse=True)
    if versions != ordered:
        return [Problem("REL-METADATA", "entries must be newest first", file=where, path="$.changelog",
                        found=", ".join(versions), expected=", ".join(ordered))]
    if versions[0] != meta["version"]:
        return [Problem("REL-METADATA", f"$.version is {meta['version']} but the newest changelog entry is "
                        f"{versions[0]}: add the release notes of the new version at the top of $.changelog",
                        file=where, path="$.version", found=meta["version"], expected=versions[0])]
    problems = []
    for previous, entry in zip(meta["changelog"][1:], meta["changelog"]):
        kind = bump_kind(previous["version"], entry["version"])
        if entry["kind"] != kind:
            problems.append(Problem("REL-METADATA", f"{entry['version']} is declared a {entry['kind']} release, but "
                                    f"the number says {kind} (from {previous['version']}); see the versioning rules "
                                    "in the card", file=where, path="$.changelog", found=entry["kind"], expected=kind))
    return problems


def check_dataset_metadata(meta, where: str) -> None:
    """Raise a ProblemError (REL-METADATA) naming every problem of a parsed dataset.json."""
    problems = []
    for error in sorted(Draft202012Validator(DATASET_SCHEMA).iter_errors(meta), key=lambda e: list(map(str, e.path))):
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        problems.append(Problem("REL-METADATA", error.message, file=where, path=path))
    problems = problems or _changelog_problems(meta, where)
    if problems:
        raise ProblemError(problems)


def load_dataset_metadata(path: str | Path) -> dict:
    """Read (strictly, see core.jsonfile) and check dataset.json; problems name the file and the field."""
    path = Path(path)
    meta = read_json_object(path, "the dataset metadata (the card, Croissant and DATASHEET.md are made from it)")
    check_dataset_metadata(meta, str(path))
    return meta
