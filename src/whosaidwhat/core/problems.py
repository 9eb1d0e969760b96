"""One model of "this input is wrong", shared by every checker of every stage.

A `Problem` is data: a registered rule id (whose severity and meaning live in
`whosaidwhat.core.rules`), where it is (file, line, document id, JSON path, Label Studio
task and region), a message, and what was found versus expected. Checkers collect problems;
commands raise `ProblemError` to stop with them. Long or unprintable values are cut and
escaped here, once, so that no message can flood or corrupt a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from .errors import UserError

ERROR, WARNING, NOTE = "error", "warning", "note"
SEVERITIES = (ERROR, WARNING, NOTE)

#: the longest found/expected value and document id a message shows (a 10^6-character id is cut)
VALUE_LIMIT = 120
MESSAGE_LIMIT = 400


@dataclass(frozen=True)
class Rule:
    """A registered rule: stable id, severity, the stage whose checker reports it, what it means."""

    id: str
    severity: str
    stage: str
    meaning: str
    usage: bool = False  # a mistake in how the command was called (exit code 2), not in the data

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id}: severity {self.severity!r} is not one of {SEVERITIES}")


def printable(text: str, keep_newlines: bool = False) -> str:
    """`text` safe for any terminal: control characters and lone surrogates (undecodable file names) escaped.

    Newlines are escaped too (a value must not split a one-line report) unless `keep_newlines` (a multi-line
    message that the command composed itself).
    """
    if text.isprintable() and text.isascii():
        return text
    keep = "\n" if keep_newlines else ""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}" if code < 0xDC80 or code > 0xDCFF else f"\\x{code - 0xDC00:02x}")
        elif ch in keep or ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def cut(value: Any, limit: int = VALUE_LIMIT) -> str:
    """A value for a message: strings as they are, other values as repr, cut to `limit` characters."""
    text = value if isinstance(value, str) else repr(value)
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def cut_repr(value: Any, limit: int = 60) -> str:
    """A value as Python writes it (`'abc'`, `5.0`, `None`), cut to `limit` characters: for found/expected."""
    return cut(repr(value), limit)


def _cut_optional(value: Any, limit: int = VALUE_LIMIT) -> str | None:
    return None if value is None else cut(value, limit)


@dataclass(frozen=True)
class Problem:
    """One finding: rule id, location, message, found versus expected."""

    rule: str
    message: str
    file: str | None = None
    lineno: int | None = None
    doc_id: str | None = None
    path: str | None = None  # JSON path into the document or line, e.g. $.quotes[2].fragments[0]
    task: int | str | None = None  # Label Studio task id
    region: str | None = None  # Label Studio region (result) id
    found: str | None = None
    expected: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # machine-readable detail for callers

    def __post_init__(self) -> None:
        definition(self.rule)  # an unregistered rule is a programming error, caught by the tests
        object.__setattr__(self, "message", cut(self.message, MESSAGE_LIMIT))
        object.__setattr__(self, "found", _cut_optional(self.found))
        object.__setattr__(self, "expected", _cut_optional(self.expected))
        object.__setattr__(self, "doc_id", _cut_optional(self.doc_id, 80))
        object.__setattr__(self, "file", _cut_optional(self.file, 300))
        object.__setattr__(self, "path", _cut_optional(self.path, 200))  # a JSON path through a 10**6-character key

    @property
    def level(self) -> str:
        return definition(self.rule).severity

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def where(self) -> str:
        """`file:line: doc_id: json.path: task N region R`, leaving out what is not known."""
        parts = []
        if self.file is not None:
            parts.append(self.file if self.lineno is None else f"{self.file}:{self.lineno}")
        if self.doc_id is not None:
            parts.append(self.doc_id)
        if self.path is not None:
            parts.append(self.path)
        ls = " ".join(x for x in (f"task {self.task}" if self.task is not None else "",
                                  f"region {self.region}" if self.region is not None else "") if x)
        if ls:
            parts.append(ls)
        return ": ".join(parts)

    def line(self) -> str:
        """The one-line report: `where: [RULE] message (found …, expected …)`; warnings and notes say so."""
        detail = []
        if self.found is not None:
            detail.append(f"found {self.found}")
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        tail = f" ({', '.join(detail)})" if detail else ""
        prefix = "" if self.level == ERROR else f"{self.level}: "
        where = self.where()
        return printable(f"{where + ': ' if where else ''}[{self.rule}] {prefix}{self.message}{tail}")

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "level": self.level, "file": self.file, "line": self.lineno, "doc_id": self.doc_id,
                "path": self.path, "task": self.task, "region": self.region, "message": self.message,
                "found": self.found, "expected": self.expected}


def definition(rule_id: str) -> Rule:
    """The registered rule `rule_id`; KeyError names it when it is not registered."""
    from .rules import REGISTRY

    try:
        return REGISTRY[rule_id]
    except KeyError:
        raise KeyError(f"rule {rule_id!r} is not registered in whosaidwhat.core.rules") from None


class ProblemError(UserError):
    """Stop with one or more problems: the CLI prints the first (and how many more) as one line."""

    def __init__(self, problems: Iterable[Problem], total: int | None = None):
        self.problems = list(problems)
        if not self.problems:
            raise ValueError("ProblemError needs at least one problem")
        self.total = len(self.problems) if total is None else total
        more = f" (and {self.total - 1} more problem(s))" if self.total > 1 else ""
        usage = all(definition(p.rule).usage for p in self.problems)
        super().__init__(self.problems[0].line() + more, exit_code=2 if usage else 1)

    @property
    def rules(self) -> list[str]:
        return [p.rule for p in self.problems]


def fail(rule: str, message: str, **where: Any) -> NoReturn:
    """Raise `ProblemError` with one problem: `fail("OUT-OVERLAPS-INPUT", "...", file=str(path))`."""
    raise ProblemError([Problem(rule, message, **where)])
