"""release.json read back: parsed safely and checked for the shape every reader relies on.

A release folder may come from anywhere (a download, a copy someone edited), so nothing here
trusts it: the JSON is parsed without NaN/Infinity and with Python's number and nesting limits
turned into problems, and the fields that `--verify`, `wsw rehydrate` and the release reader
use (the configs' file lists, row counts, the label inventory) are checked against a schema
before any of them is touched. Every problem is one line naming the file and the JSON path.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from jsonschema import Draft202012Validator

from ..core.jsonfile import load_json
from ..core.problems import Problem
from .features import CONFIGS, FORMAT_VERSION, SPLITS

MANIFEST = "release.json"

_COUNT = {"type": "integer", "minimum": 0}
_LABELS = {"type": "array", "items": {"type": "object", "required": ["label", "definition"],
                                      "properties": {"label": {"type": "string"}, "definition": {"type": "string"}}}}


def _split_entry(config: str, split: str) -> dict:
    return {
        "type": "object",
        "required": ["num_rows", "files"],
        "properties": {
            "num_rows": _COUNT,
            "num_bytes": _COUNT,
            "files": {"type": "array", "minItems": 1, "items": {
                "type": "object",
                "required": ["path", "num_rows"],
                "properties": {
                    # the only layout a release has: no absolute paths, no `..`, no other config's folder
                    "path": {"type": "string", "pattern": rf"^data/{config}/{split}-[0-9]{{5}}-of-[0-9]{{5}}\.parquet$"},
                    "num_rows": _COUNT,
                    "size": _COUNT,
                }}},
        },
    }


#: What readers of a release rely on in release.json (the rest is descriptive and only rendered).
MANIFEST_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format_version", "configs", "inventory"],
    "properties": {
        "format_version": {"type": "string"},
        "configs": {
            "type": "object",
            # readers need only `documents`; `--verify` names any other config that is missing (format 1.0
            # releases predate `entities` and `producers`)
            "required": ["documents"],
            "properties": {config: {"type": "object", "required": list(SPLITS),
                                    "properties": {split: _split_entry(config, split) for split in SPLITS}}
                           for config in CONFIGS},
        },
        "rehydrated": {"type": "array", "items": {"type": "string"}},
        "inventory": {
            "type": "object",
            "required": ["inventory_version", "entity_types", "mention_kinds", "quote_types", "attribution_kinds",
                         "layer_statuses", "producer_kinds", "links"],
            "properties": {
                "inventory_version": {"type": "string"},
                "entity_types": _LABELS,
                "mention_kinds": _LABELS,
                "quote_types": _LABELS,
                "attribution_kinds": {"type": "array", "items": {
                    "type": "object", "required": ["label", "definition", "allowed_for"],
                    "properties": {"label": {"type": "string"}, "definition": {"type": "string"},
                                   "allowed_for": {"type": "array", "items": {"type": "string"}}}}},
                "layer_statuses": _LABELS,
                "producer_kinds": _LABELS,
                "links": {"type": "array", "items": {"type": "object"}},
                "consistency": {"type": "object"},
            },
        },
    },
}


def _json_path(error) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def manifest_problems(manifest: object, path: Path) -> list[Problem]:
    """What is wrong with the shape of a parsed release.json (empty when readers can rely on it)."""
    return [Problem("REL-MANIFEST-SHAPE", error.message, file=str(path), path=_json_path(error))
            for error in sorted(Draft202012Validator(MANIFEST_SCHEMA).iter_errors(manifest),
                                key=lambda e: list(map(str, e.absolute_path)))]


def load_manifest(root: Path) -> tuple[dict | None, list[Problem]]:
    """(release.json, []) when it is readable and well-formed, else (None, its problems)."""
    path = root / MANIFEST
    if not path.exists():
        return None, [Problem("REL-NOT-RELEASE", f"missing; is {root} a WhoSaidWhat release (built by "
                              "`wsw release --out`)?", file=str(path))]
    manifest, problem = load_json(path)
    if problem is not None:
        return None, [problem]
    if isinstance(manifest, dict):
        major = str(manifest.get("format_version", "?")).split(".")[0]
        if major != FORMAT_VERSION.split(".")[0]:
            return None, [Problem("REL-FORMAT-VERSION", "format_version is not supported by this version of wsw",
                                  file=str(path), path="$.format_version", found=repr(manifest.get("format_version")),
                                  expected=f"{FORMAT_VERSION.split('.')[0]}.x")]
    problems = manifest_problems(manifest, path)
    return (None, problems) if problems else (cast(dict, manifest), [])
