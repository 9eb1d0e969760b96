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

from ..core.jsonfile import parse_json_bytes
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
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The card as the leaderboard records it (display values, not the raw JSON)."""
        return {"name": self.name, "version": self.version, "team": self.team, "url": self.url,
                "description": self.description, "kind": self.kind, "training_data": self.training_data,
                "saw_test_texts": self.saw_test_texts, "license": self.license, "date": self.date,
                "card_sha256": self.sha256, "missing": [k for k in RECOMMENDED if self.raw.get(k) is None]}


class CardError(Exception):
    """The card is refused; `lines` say why, one problem each."""

    def __init__(self, lines: list[str]):
        super().__init__("; ".join(lines))
        self.lines = lines


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path("system-card.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _path(error) -> str:
    parts = ["$"]
    for key in error.absolute_path:
        parts.append(f"[{key}]" if isinstance(key, int) else f".{visible(str(key), 60)}")
    return "".join(parts)


def _describe(error) -> str:
    """One schema problem, worded without echoing the (possibly huge or hostile) value."""
    value = error.instance
    where = _path(error)
    kind = error.validator
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(value, dict) and k not in value]
        return f"$: required field(s) missing: {', '.join(missing)}"
    if kind == "maxLength":
        return f"{where}: longer than {error.validator_value:,} characters ({len(value):,})"
    if kind == "minLength":
        return f"{where}: must not be empty"
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else " or ".join(error.validator_value)
        return f"{where}: must be {expected}, found {_json_type(value)}"
    if kind == "enum":
        return f"{where}: must be one of {', '.join(map(str, error.validator_value))}, found {visible(repr(value), 60)}"
    if kind == "const":
        return f"{where}: must be {error.validator_value!r}, found {visible(repr(value), 60)}"
    if kind == "pattern":
        hint = {"$.url": "an absolute http(s) URL", "$.date": "a date YYYY-MM-DD"}.get(where)
        if hint is None and where.startswith("$.predictions"):
            hint = "a .jsonl or .parquet file in the card's folder (a file name, or a relative path without '..')"
        found = visible(repr(value), 80) if isinstance(value, str) else _json_type(value)
        return f"{where}: must be {hint or 'one line of printable text'}, found {found}"
    return f"{where}: {visible(error.message, 200)}"


def read_card(folder: Path, strict: bool = False) -> SystemCard:
    """The checked card of a system folder; CardError (every problem found) when it is refused."""
    path = folder / CARD_FILE
    try:
        if path.is_symlink():
            raise CardError([f"{CARD_FILE}: is a symbolic link; a card must be a plain file in the system's folder"])
        size = path.stat().st_size
        if size > MAX_CARD_BYTES:
            raise CardError([f"{CARD_FILE}: {size:,} bytes; a card is at most {MAX_CARD_BYTES:,} bytes"])
        with path.open("rb") as fh:
            data = fh.read(MAX_CARD_BYTES + 1)
    except FileNotFoundError:
        raise CardError([f"no {CARD_FILE}: every system folder needs a system card (schema/system-card.schema.json)"]) from None
    except OSError as exc:
        raise CardError([f"{CARD_FILE}: cannot be read ({exc.strerror or exc})"]) from None
    if len(data) > MAX_CARD_BYTES:
        raise CardError([f"{CARD_FILE}: more than {MAX_CARD_BYTES:,} bytes; a card is at most {MAX_CARD_BYTES:,} bytes"])
    raw, why = parse_json_bytes(data)
    if why is not None:
        raise CardError([f"{CARD_FILE}: {why}"])
    if not isinstance(raw, dict):
        raise CardError([f"{CARD_FILE}: must be a JSON object, found {_json_type(raw)}"])
    problems = sorted({_describe(e) for e in _validator().iter_errors(raw)})
    date = raw.get("date")
    if isinstance(date, str) and not any(p.startswith("$.date") for p in problems):
        try:
            _dt.date.fromisoformat(date)
        except ValueError:
            problems.append(f"$.date: not a calendar date, found {visible(repr(date), 20)}")
    missing = [k for k in RECOMMENDED if raw.get(k) is None]
    if strict and missing:
        problems.append(f"$: recommended field(s) missing, required with --strict-cards: {', '.join(missing)}")
    if problems:
        raise CardError([f"{CARD_FILE}: {p}" for p in problems])
    warnings = []
    if missing:
        warnings.append(f"{CARD_FILE}: not stated: {', '.join(missing)} (recommended by schema/system-card.schema.json)")
    description, cut = clip(raw["description"], DISPLAY_LIMITS["description"])
    if cut:
        warnings.append(f"{CARD_FILE}: $.description truncated from {len(raw['description']):,} to "
                        f"{DISPLAY_LIMITS['description']:,} characters")
    training = raw.get("training_data")
    if isinstance(training, dict):
        training = json.dumps(training, ensure_ascii=False, sort_keys=True)
    training_text = None
    if isinstance(training, str):
        training_text, cut = clip(training, DISPLAY_LIMITS["training_data"])
        if cut:
            warnings.append(f"{CARD_FILE}: $.training_data truncated from {len(training):,} to "
                            f"{DISPLAY_LIMITS['training_data']:,} characters")
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
