"""Strict JSON from files the user gave us: one parser for every reader, no NaN or Infinity, no duplicate keys.

`parse_json_bytes` says *why* bytes are not JSON (for callers that report problems as data);
`read_json` turns that, or an I/O failure, into one UserError naming the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import UserError


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An object's members as a dict; a key given twice is refused (json would silently keep the last value)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r} in one object: which value is meant is ambiguous")
            seen.add(key)
    return result


def parse_json_bytes(data: bytes) -> tuple[object, str | None]:
    """(value, None), or (None, why the bytes are not JSON): never raises for bad content.

    Covers invalid UTF-8, syntax errors (a truncated file), NaN/Infinity, a key given twice in
    one object, integers beyond Python's digit limit and nesting too deep for the parser.
    """
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_reject_constant, object_pairs_hook=_unique_keys), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start})"
    except RecursionError:
        return None, "not valid JSON (nested too deeply to read)"
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, a duplicate key, an integer of too many digits
        return None, f"not valid JSON ({str(exc)[:200]})"


def read_json(path: Path, what: str, hint: str = ""):
    """The parsed content of `path`, or UserError "<path>: cannot read <what> (<reason>)[; <hint>]"."""
    tail = f"; {hint}" if hint else ""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read {what} ({exc.strerror or exc}){tail}") from None
    value, why = parse_json_bytes(data)
    if why is not None:
        raise UserError(f"{path}: cannot read {what} ({why}){tail}")
    return value


def read_json_object(path: Path, what: str, hint: str = "") -> dict:
    """Like `read_json`, and the content must be a JSON object."""
    data = read_json(path, what, hint)
    if not isinstance(data, dict):
        raise UserError(f"{path}: cannot read {what} (expected a JSON object, found {type(data).__name__})"
                        + (f"; {hint}" if hint else ""))
    return data
