"""System cards (`card.json`): read, checked against schema/system-card.schema.json, made displayable.

A card is untrusted. Reading it is bounded (at most `MAX_CARD_BYTES`, strict UTF-8 and JSON, no
NaN, no absurd nesting), checking it reports every schema problem as a line that names the
field and never echoes a long value, and what is displayed is clipped (`DISPLAY_LIMITS`) with a
warning saying so. Fields the schema only recommends are reported as warnings when missing;
`strict=True` turns those into refusals.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..core.jsonfile import parse_json
from ..core.problems import Problem
from ..core.resources import schema_path
from .safe import clip, visible

CARD_FILE = "card.json"
#: a card is a few hundred bytes; anything beyond this is refused unread
MAX_CARD_BYTES = 4 * 1024 * 1024
#: fields the schema recommends; missing ones are shown as "not stated"
RECOMMENDED = ("team", "url", "training_data", "saw_test_texts", "date")
#: free-text fields shown at most this long (the schema bounds the identity fields itself)
DISPLAY_LIMITS = {"description": 2000, "training_data": 2000}
KINDS = ("rules", "trained", "fine-tuned", "zero-shot")


@dataclass
class SystemCard:
    """A checked card, with every field ready to show (still to be escaped for its output)."""

    name: str
    version: str
    kind: str
    description: str
    license: str
    team: str | None
    url: str | None
    training_data: str | None
    saw_test_texts: bool | None
    date: str | None
    predictions: dict[str, str]
    raw: dict
    sha256: str
    warnings: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The card as the leaderboard records it (display values, not the raw JSON)."""
        return {"name": self.name, "version": self.version, "team": self.team, "url": self.url,
                "description": self.description, "kind": self.kind, "training_data": self.training_data,
                "saw_test_texts": self.saw_test_texts, "license": self.license, "date": self.date,
                "card_sha256": self.sha256, "missing": [k for k in RECOMMENDED if self.raw.get(k) is None]}


class CardError(Exception):
    """The card is refused; `problems` say why (every one found), `lines` the same as one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.lines = [p.line() for p in problems]
        super().__init__("; ".join(self.lines))

    @property
    def rules(self) -> list[str]:
        return [p.rule for p in self.problems]


def _problem(rule: str, message: str, **where) -> Problem:
    return Problem(rule, message, file=CARD_FILE, **where)


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    from ..core.jsonfile import read_json_object

    schema = read_json_object(schema_path("system-card.schema.json"), "the system card schema")
    return Draft202012Validator(schema)


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    names: dict[type, str] = {str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _path(error) -> str:
    parts = ["$"]
    for key in error.absolute_path:
        parts.append(f"[{key}]" if isinstance(key, int) else f".{visible(str(key), 60)}")
    return "".join(parts)


def _expected_type(error) -> str:
    value = error.validator_value
    return value if isinstance(value, str) else " or ".join(value)


def _pattern_hint(where: str) -> str:
    hint = {"$.url": "an absolute http(s) URL", "$.date": "a date YYYY-MM-DD"}.get(where)
    if hint is None and where.startswith("$.predictions"):
        hint = "a .jsonl or .parquet file in the card's folder (a file name, or a relative path without '..')"
    return hint or "one line of printable text"


def _describe(error) -> Problem:
    """One schema problem, worded without echoing the (possibly huge or hostile) value."""
    value = error.instance
    where = _path(error)
    kind = error.validator
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        return _problem("LB-CARD-SCHEMA", "required field(s) missing", path="$", found=", ".join(missing))
    shown = visible(repr(value), 60)
    text = {
        "maxLength": lambda: (f"longer than {error.validator_value:,} characters", f"{len(value):,}", None),
        "minLength": lambda: ("must not be empty", None, None),
        "type": lambda: ("wrong type", _json_type(value), _expected_type(error)),
        "enum": lambda: ("not an allowed value", shown, f"one of {', '.join(map(str, error.validator_value))}"),
        "const": lambda: ("not the allowed value", shown, repr(error.validator_value)),
        "pattern": lambda: ("does not have the required form",
                            visible(repr(value), 80) if isinstance(value, str) else _json_type(value), _pattern_hint(where)),
    }.get(kind)
    if text is None:
        return _problem("LB-CARD-SCHEMA", visible(error.message, 200), path=where)
    message, found, expected = text()
    return _problem("LB-CARD-SCHEMA", message, path=where, found=found, expected=expected)


def _read_bytes(folder: Path) -> bytes:
    """The bytes of the card, bounded; CardError when it cannot or may not be read."""
    path = folder / CARD_FILE
    try:
        if path.is_symlink():
            raise CardError([_problem("LB-SYMLINK", "is a symbolic link; a card must be a plain file in the system's folder")])
        size = path.stat().st_size
        if size > MAX_CARD_BYTES:
            raise CardError([_problem("LB-CARD-TOO-BIG", "a card is at most 4 MiB", found=f"{size:,} bytes",
                                      expected=f"at most {MAX_CARD_BYTES:,} bytes")])
        with path.open("rb") as fh:
            data = fh.read(MAX_CARD_BYTES + 1)
    except FileNotFoundError:
        raise CardError([_problem("LB-CARD-MISSING", "every system folder needs a system card "
                                  "(schema/system-card.schema.json)")]) from None
    except OSError as exc:
        raise CardError([_problem("FILE-READ", f"cannot be read ({exc.strerror or exc})")]) from None
    if len(data) > MAX_CARD_BYTES:
        raise CardError([_problem("LB-CARD-TOO-BIG", "a card is at most 4 MiB", found=f"more than {MAX_CARD_BYTES:,} bytes",
                                  expected=f"at most {MAX_CARD_BYTES:,} bytes")])
    return data


def _parse(data: bytes) -> dict:
    raw, problem = parse_json(data, file=CARD_FILE)
    if problem is not None:
        raise CardError([problem])
    if not isinstance(raw, dict):
        raise CardError([_problem("JSON-NOT-OBJECT", "a card must be a JSON object", path="$", found=_json_type(raw),
                                  expected="object")])
    return raw


def _check(raw: dict, strict: bool) -> list[str]:
    """The recommended fields missing; CardError with every schema problem when there is one."""
    problems = sorted({_describe(e) for e in _validator().iter_errors(raw)}, key=lambda p: (p.path or "", p.message))
    date = raw.get("date")
    if isinstance(date, str) and not any((p.path or "").startswith("$.date") for p in problems):
        try:
            _dt.date.fromisoformat(date)
        except ValueError:
            problems.append(_problem("DATE-INVALID", "not a calendar date", path="$.date", found=visible(repr(date), 20),
                                     expected="a date that exists"))
    missing = [k for k in RECOMMENDED if raw.get(k) is None]
    if strict and missing:
        problems.append(_problem("LB-CARD-STRICT", "recommended field(s) missing, required with --strict-cards",
                                 path="$", found=", ".join(missing)))
    if problems:
        raise CardError(problems)
    return missing


def _clipped(raw: dict, warnings: list[Problem]) -> tuple[str, str | None]:
    """(description, training data) as shown, with a warning for each one clipped."""
    description, cut = clip(raw["description"], DISPLAY_LIMITS["description"])
    if cut:
        warnings.append(_problem("LB-CARD-CLIPPED", "truncated for display", path="$.description",
                                 found=f"{len(raw['description']):,} characters",
                                 expected=f"at most {DISPLAY_LIMITS['description']:,}"))
    training = raw.get("training_data")
    if isinstance(training, dict):
        training = json.dumps(training, ensure_ascii=False, sort_keys=True)
    training_text = None
    if isinstance(training, str):
        training_text, cut = clip(training, DISPLAY_LIMITS["training_data"])
        if cut:
            warnings.append(_problem("LB-CARD-CLIPPED", "truncated for display", path="$.training_data",
                                     found=f"{len(training):,} characters",
                                     expected=f"at most {DISPLAY_LIMITS['training_data']:,}"))
    return description, training_text


def read_card(folder: Path, strict: bool = False) -> SystemCard:
    """The checked card of a system folder; CardError (every problem found) when it is refused."""
    data = _read_bytes(folder)
    raw = _parse(data)
    missing = _check(raw, strict)
    warnings = []
    if missing:
        warnings.append(_problem("LB-CARD-NOT-STATED", "not stated (recommended by schema/system-card.schema.json)",
                                 path="$", found=", ".join(missing)))
    description, training_text = _clipped(raw, warnings)
    return SystemCard(
        name=raw["name"], version=raw["version"], kind=raw["kind"], description=description, license=raw["license"],
        team=raw.get("team"), url=raw.get("url"), training_data=training_text, saw_test_texts=raw.get("saw_test_texts"),
        date=raw.get("date"), predictions=dict(raw.get("predictions") or {}), raw=raw,
        sha256=hashlib.sha256(data).hexdigest(), warnings=warnings)


def card_json_excerpt(card: SystemCard, limit: int = 20_000) -> str:
    """The raw card as indented JSON for display, clipped (its long fields already count against `limit`)."""
    def shorten(value, depth: int):
        if isinstance(value, str):
            return clip(value, 500)[0]
        if isinstance(value, (dict, list)) and depth > 8:
            return "…"
        if isinstance(value, dict):
            return {clip(str(k), 100)[0]: shorten(v, depth + 1) for k, v in list(value.items())[:100]}
        if isinstance(value, list):
            return [shorten(v, depth + 1) for v in value[:100]]
        return value

    return clip(json.dumps(shorten(card.raw, 0), ensure_ascii=False, indent=1), limit)[0]
