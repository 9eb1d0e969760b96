"""Shape checks from the JSON Schemas (schema/document.schema.json, schema/submission.schema.json).

JSON Schema patterns are ECMA-262 regular expressions, whose `$` is the end of the string. Python's
`$` also matches before a final newline, so `re.search("^[a-z]+$", "abc\\n")` accepts an id
ending in a newline. Both validators here (fastjsonschema for the quick clean/unclean answer,
jsonschema for the problems) read `$` as `\\Z`, so a value the schema refuses is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..core.jsonfile import read_json_object
from ..core.problems import Problem
from ..core.resources import schema_path

if TYPE_CHECKING:  # jsonschema is imported when a value fails the compiled check (a clean run never needs it)
    from jsonschema import ValidationError

DOCUMENT, SUBMISSION = "document", "submission"
_FILES = {DOCUMENT: "document.schema.json", SUBMISSION: "submission.schema.json"}
_DOLLAR = re.compile(r"(?<!\\)\$")
_OFFSETS = ("start", "end")
#: the name argument fastjsonschema's generated code passes down to the check of a nested value
_ITEM_NAME = re.compile(r'custom_formats, \(name_prefix or "data"\) \+ "[^"]*"(?:\.format\(\*\*locals\(\)\))?\)')


@lru_cache(maxsize=64)
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled with ECMA-262's `$` (the end of the string, never before a final newline)."""
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=2)
def schema(kind: str) -> dict[str, Any]:
    return read_json_object(schema_path(_FILES[kind]), f"the {kind} schema")


@lru_cache(maxsize=2)
def validator(kind: str) -> Any:
    """The jsonschema validator of `kind` (document or submission), with ECMA pattern semantics."""
    from jsonschema import Draft202012Validator, validators

    Draft202012Validator.check_schema(schema(kind))
    return validators.extend(Draft202012Validator, {"pattern": _pattern})(schema(kind))


@lru_cache(maxsize=2)
def fast_check(kind: str) -> Callable[[Any], Any] | None:
    """A compiled check (fastjsonschema, ~15x faster) that only says clean or not; None if not installed.

    fastjsonschema already reads `$` as `\\Z`. Anything it refuses goes through jsonschema,
    which alone writes the problems, so the report is the same with or without it.
    """
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    code = fastjsonschema.compile_to_code(schema(kind), use_formats=False, use_default=False)
    root = re.search(r"^def (\w+)\(", code, re.MULTILINE)
    # Only clean/unclean is used, never the exception's text: item names such as "data.mentions[3]" built
    # for every item of every document (with str.format(**locals())) are ~40% of the generated check
    quick = _ITEM_NAME.sub("custom_formats, name_prefix)", code)
    compiled: Callable[[Any], Any] | None = None
    try:
        namespace: dict[str, Any] = {}
        exec(compile(quick, f"<{kind} schema check>", "exec"), namespace)  # fastjsonschema's own code, names aside
        compiled = namespace[root.group(1)] if root else None
    except Exception:  # pragma: no cover - another fastjsonschema version: its own compiler
        compiled = None
    if compiled is None:  # pragma: no cover
        compiled = fastjsonschema.compile(schema(kind), use_formats=False, use_default=False)
    return compiled


def json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


_EXPECTED = {
    "type": "type {}",
    "pattern": "a string matching {}",
    "minimum": ">= {}",
    "minItems": "at least {} item(s)",
    "minLength": "at least {} character(s)",
    "enum": "one of {}",
}


def _rule(error: ValidationError) -> str:
    """SCHEMA, except for offsets: a non-integer is SPAN-OFFSET-TYPE and a negative one SPAN-RANGE."""
    parts = list(error.absolute_path)
    if parts and parts[-1] in _OFFSETS and error.validator in ("type", "minimum"):
        return "SPAN-OFFSET-TYPE" if error.validator == "type" else "SPAN-RANGE"
    return "SCHEMA"


def _unexpected(error: ValidationError) -> list[str]:
    """The keys an additionalProperties error is about, in the object's order."""
    allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [key for key in instance if key not in allowed]


def _problems(error: ValidationError, where: dict[str, Any], hints: dict[str, str]) -> list[Problem]:
    path = json_path(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {})) if isinstance(error.schema, dict) else ""
        return [Problem("SCHEMA", (hints.get(key) if path == "$" else None) or "unknown field", path=f"{path}.{key}",
                        found=repr(key), expected=f"one of {allowed}", **where) for key in _unexpected(error)]
    template = _EXPECTED.get(str(error.validator))
    expected = template.format(error.validator_value) if template else None
    found: str | None = repr(error.instance)
    if error.validator == "required":  # name the missing field itself
        found = None
        missing = re.match(r"'([^']*)' is a required property", error.message)
        if missing:
            path, expected = f"{path}.{missing.group(1)}", f"field {missing.group(1)!r}"
    return [Problem(_rule(error), error.message, path=path, found=found, expected=expected, **where)]


def schema_problems(doc: Any, kind: str, hints: dict[str, str] | None = None, **where: Any) -> list[Problem]:
    """Problems of `doc` against the `kind` schema (none when it matches), sorted by JSON path."""
    fast = fast_check(kind)
    if fast is not None:
        try:
            fast(doc)
            return []
        except Exception:  # refused (or not understood): jsonschema says exactly why
            pass
    errors = sorted(validator(kind).iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    return [problem for error in errors for problem in _problems(error, where, hints or {})]
