"""Strict JSON from files the user gave us: one reader for every file and every JSONL line.

Strict means: UTF-8; JSON's grammar; no NaN or Infinity; no key twice in one object (Python's
json would silently keep the last value, so a document with "quotes" twice would lose one);
no lone surrogate (a \\ud800-\\udfff escape without its pair); nothing Python cannot read
safely (integers of thousands of digits, nesting thousands of levels deep). Paths that are not
regular files (a FIFO named doc.json) are refused before they are opened, since reading one
can block forever; archives named .json/.jsonl are named as such.

`parse_json` reports what is wrong as a `Problem` (for checkers that collect problems);
`read_json` raises it as a `ProblemError` (for commands that stop at the first bad file).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Protocol

from .problems import Problem, ProblemError, cut

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

#: leading bytes of binary formats users mistake for JSON(L): zip (also .xlsx/.docx), gzip, Parquet, bzip2, xz, 7z, PDF
_MAGIC = {b"PK\x03\x04": "a zip archive", b"\x1f\x8b": "a gzip file", b"PAR1": "a Parquet file", b"BZh": "a bzip2 file",
          b"\xfd7zXZ\x00": "an xz file", b"7z\xbc\xaf": "a 7z archive", b"%PDF": "a PDF file"}


class _Constant(ValueError):
    """NaN, Infinity or -Infinity in the input."""


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _reject_constant(name: str) -> None:
    raise _Constant(name)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An object's members as a dict; a key given twice is refused."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def lone_surrogate(value: object, path: str = "$") -> tuple[str, str] | None:
    """(JSON path, the surrogate) of the first key or string value holding a lone surrogate, or None."""
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        return (path, match.group()) if match else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _SURROGATE.search(key):
                return f"{path}.{ascii(key)}", _SURROGATE.search(key).group()  # type: ignore[union-attr]
            found = lone_surrogate(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = lone_surrogate(item, f"{path}[{i}]")
            if found:
                return found
    return None


def binary_kind(data: bytes) -> str | None:
    """What binary format `data` starts with ("a zip archive"), or None when it may be text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:4096]:
        return "binary data (NUL bytes)"
    return None


def _guess_id(text: str) -> str | None:
    """The top-level document id of unparsable JSON, for the message: only an `"id"` before the first nested value."""
    head = text.lstrip()[1:]
    nested = min((i for i in (head.find("{"), head.find("[")) if i >= 0), default=len(head))
    match = re.search(r'"id"\s*:\s*"([a-z0-9][a-z0-9._-]{0,127})"', head[:nested])
    return match.group(1) if match else None


class _At(Protocol):
    def __call__(self, rule: str, message: str, **detail: Any) -> Problem: ...


def _not_utf8(data: bytes, exc: UnicodeDecodeError, first_line: bool, at: _At) -> Problem:
    kind = binary_kind(data) if first_line else None
    if kind:
        return at("FILE-BINARY", f"this is {kind}, not JSON text", found=kind, expected="UTF-8 JSON text")
    return at("FILE-ENCODING", f"not UTF-8 at byte {exc.start}", found=cut(data[exc.start:exc.start + 4]), expected="UTF-8")


def _not_json(exc: Exception, data: bytes, text: str, lineno: int | None, at: _At) -> Problem:
    """The problem for an exception of json.loads under the strict hooks."""
    if isinstance(exc, json.JSONDecodeError):
        kind = binary_kind(data) if lineno in (None, 1) else None
        if kind:
            return at("FILE-BINARY", f"this is {kind}, not JSON text", found=kind, expected="UTF-8 JSON text")
        truncated = exc.pos >= len(text.rstrip())
        position = f"line {exc.lineno} column {exc.colno}" if lineno is None else f"column {exc.colno}"
        return at("JSON-SYNTAX", f"{exc.msg} at {position}", path="$",
                  found="end of input" if truncated else cut(text[exc.pos:exc.pos + 20]),
                  expected="complete JSON (truncated?)" if truncated else "valid JSON")
    if isinstance(exc, _Constant):
        return at("JSON-CONSTANT", f"{exc} is not a JSON value", path="$", found=str(exc),
                  expected="a number such as 1.5, or null")
    if isinstance(exc, _DuplicateKey):
        return at("JSON-DUPLICATE-KEY", f"key {cut(exc.key)} appears twice in one object", path="$",
                  found=f"{cut(exc.key)} twice", expected="each key once per object")
    if isinstance(exc, RecursionError):
        return at("JSON-SYNTAX", "nested too deeply to read", path="$", found=f"{len(text):,} characters",
                  expected="arrays and objects a few levels deep")
    # an integer beyond Python's digit limit (int_max_str_digits)
    return at("JSON-CONSTANT", f"cannot be read: {str(exc)[:120]}", path="$", expected="integers of at most a few thousand digits")


def parse_json(data: bytes, file: str | None = None, lineno: int | None = None,
               doc_id: str | None = None) -> tuple[object, Problem | None]:
    """(value, None), or (None, the problem): never raises for bad content."""

    text = ""

    def at(rule: str, message: str, **detail: Any) -> Problem:
        # the document id of bad JSON is guessed only when there is a problem to report (it costs on every line)
        return Problem(rule, message, file=file, lineno=lineno, doc_id=doc_id or _guess_id(text[:4096]), **detail)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, _not_utf8(data, exc, lineno in (None, 1), at)
    try:
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, _Constant and _DuplicateKey are ValueErrors
        return None, _not_json(exc, data, text, lineno, at)
    found_at = lone_surrogate(value) if _SURROGATE_ESCAPE.search(text) else None
    if found_at is not None:
        return None, at("FILE-ENCODING", "a lone surrogate (a \\ud800-\\udfff escape without its pair) is not text",
                        path=found_at[0], found=f"U+{ord(found_at[1]):04X}", expected="a character, or a surrogate pair")
    return value, None


def regular_file_problem(path: Path) -> Problem | None:
    """A problem when `path` cannot be read as a regular file (missing, FIFO, device, folder), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return Problem("FILE-READ", f"cannot read ({exc.strerror or exc})", file=str(path))
    if stat.S_ISDIR(mode):
        return Problem("FILE-READ", "is a folder, not a file", file=str(path), expected="a file")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device or special file"
        return Problem("FILE-NOT-REGULAR", f"is {kind}, not a regular file: not read", file=str(path), found=kind,
                       expected="a regular file")
    return None


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, or ProblemError (FILE-READ, FILE-NOT-REGULAR) naming it."""
    problem = regular_file_problem(path)
    if problem is not None:
        raise ProblemError([problem])
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ProblemError([Problem("FILE-READ", f"cannot read ({exc.strerror or exc})", file=str(path))]) from None


def load_json(path: Path, doc_id: str | None = None) -> tuple[Any, Problem | None]:
    """(value, None), or (None, why the file cannot be read as strict JSON): the whole read as data, never raising."""
    problem = regular_file_problem(path)
    if problem is not None:
        return None, problem
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, Problem("FILE-READ", f"cannot read ({exc.strerror or exc})", file=str(path))
    return parse_json(data, file=str(path), doc_id=doc_id)


def read_json(path: Path, what: str = "JSON", hint: str = "") -> Any:
    """The parsed content of `path`, or ProblemError naming the file, the rule and (with `hint`) what to do."""
    tail = f"; {hint}" if hint else ""
    unreadable = regular_file_problem(path)
    if unreadable is not None:
        raise ProblemError([Problem(unreadable.rule, f"cannot read {what}: {unreadable.message}{tail}", file=str(path),
                                    found=unreadable.found, expected=unreadable.expected)])
    value, problem = parse_json(read_bytes(path), file=str(path))
    if problem is not None:
        raise ProblemError([Problem(problem.rule, f"cannot read {what}: {problem.message}{tail}", file=str(path),
                                    doc_id=problem.doc_id, path=problem.path, found=problem.found,
                                    expected=problem.expected)])
    return value


def read_json_object(path: Path, what: str = "JSON", hint: str = "") -> dict[str, Any]:
    """Like `read_json`, and the content must be a JSON object."""
    data = read_json(path, what, hint)
    if not isinstance(data, dict):
        raise ProblemError([Problem("JSON-NOT-OBJECT", f"cannot read {what}: expected a JSON object"
                                    + (f"; {hint}" if hint else ""), file=str(path), path="$",
                                    found=type(data).__name__, expected="object")])
    return data
