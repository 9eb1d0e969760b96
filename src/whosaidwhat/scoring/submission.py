"""Reading and checking a submission: JSONL or Parquet, one document's predictions per line or row.

The shape is schema/submission.schema.json (the canonical layers without the text). Problems
are data (`SubmissionProblem`: rule id, line, document id, JSON path, found vs expected);
nothing is scored when there is any. Two paths check the same rules:

* the per-line path: `parse_line` (strict JSON: no NaN, no key twice, no lone surrogate) and
  `LineChecker`, which enforces the schema and the semantic rules line by line (running
  jsonschema on every line would cost about 0.3 ms per document; the test suite proves on
  generated lines that the checker accepts exactly what the schema accepts). It is the only
  code that writes problems;
* the fast path: blocks of lines parsed by pyarrow.json with an explicit schema (Parquet:
  record batches) and every rule checked at once with pyarrow compute and numpy
  (`arrow_submission`), without a Python object per span. Each line it cannot vouch for goes
  through the per-line path, in file order, so the problems, their order and the cap are the
  per-line path's (tests/scoring/test_fast_path.py checks both paths against each other).

Checked documents of the scored split become numpy columns (`Layers`); the parsed lines are
never kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.inventory import Inventory
from ..core.references import attribution_problems
from .gold import GoldSet
from .layers import MAX_VALUE, Layers, LayersBuilder
from .memory import release_free_memory

#: rule id -> what it means. eval/submissions/README.md lists them with examples.
RULES: dict[str, str] = {
    "SUB-FILE": "the submission file cannot be read as JSONL (.jsonl) or Parquet (.parquet)",
    "SUB-ENCODING": "a line is not valid UTF-8, or a string holds a lone surrogate (a \\ud800-\\udfff escape "
                    "without its pair)",
    "SUB-JSON": "a line is not one complete JSON object (broken or truncated), or holds NaN/Infinity, a key twice "
                "in one object, an integer of thousands of digits or nesting thousands of levels deep",
    "SUB-SHAPE": "a field is missing, unknown or of the wrong type (schema/submission.schema.json)",
    "SUB-OFFSET-TYPE": "an offset is not a JSON integer (5.0, \"5\" and true are refused)",
    "SUB-DOC-UNKNOWN": "the document id is not in the gold data",
    "SUB-DOC-DUPLICATE": "two lines predict the same document",
    "SUB-TEXT-HASH": "text_sha256 differs from the gold document's (predictions made on another text)",
    "SUB-SPAN-EMPTY": "a span has start >= end (zero-length or reversed)",
    "SUB-SPAN-RANGE": "a span lies outside the gold text",
    "SUB-SPAN-TEXT": "a span's text differs from gold_text[start:end] (offsets in another unit?)",
    "SUB-FRAGMENT-ORDER": "fragments are out of text order or overlap",
    "SUB-LABEL-UNKNOWN": "a label is not in schema/labels.json",
    "SUB-ID-DUPLICATE": "an item id is used twice in one line",
    "SUB-REF-DANGLING": "a reference names no item of the right kind in the same line",
    "SUB-REF-SHAPE": "an attribution's mention/entity fields do not fit its kind",
}

_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
_ITEM_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
TOP_KEYS = ("id", "text_sha256", "entities", "mentions", "quotes", "claims")
LAYER_KEYS = ("entities", "mentions", "quotes", "claims")
_FIELDS = {  # item -> (required, optional)
    "entities": (("id",), ("type", "name", "kb_id")),
    "mentions": (("id", "start", "end", "type"), ("text", "kind", "entity")),
    "quotes": (("id", "fragments", "speaker", "type"), ("cue",)),
    "claims": (("id", "fragments", "claimant", "check_worthy"), ("quote",)),
    "span": (("start", "end"), ("text",)),
    "attribution": (("kind",), ("mention", "entity")),
}
_KEY_SETS = {layer: (frozenset(required + optional), frozenset(required)) for layer, (required, optional) in _FIELDS.items()}
_NO_TEXT_HINT = {"text": "submissions carry no article text", "metadata": "submissions carry no metadata",
                 "provenance": "submissions carry no provenance", "schema_version": "submissions carry no schema_version"}


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class SubmissionProblem:
    """One finding about a submission line."""

    where: str
    doc_id: str
    path: str
    rule: str
    message: str
    found: str | None = None
    expected: str | None = None

    def line(self) -> str:
        """`file:line: doc_id: json.path: [RULE] message (found …, expected …)`."""
        detail = [f"found {self.found}"] if self.found is not None else []
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        tail = f" ({', '.join(detail)})" if detail else ""
        return f"{self.where}: {self.doc_id}: {self.path}: [{self.rule}] {self.message}{tail}"

    def as_dict(self) -> dict:
        return {"where": self.where, "doc_id": self.doc_id, "path": self.path, "rule": self.rule,
                "message": self.message, "found": self.found, "expected": self.expected}


@dataclass
class SubmissionInfo:
    """What was read, for the record of a score."""

    path: str
    format: str
    sha256: str = ""
    lines: int = 0
    scored: int = 0
    missing: list[str] = field(default_factory=list)
    other_split: list[str] = field(default_factory=list)
    layers: dict = field(default_factory=lambda: {layer: False for layer in ("mentions", "quotes", "claims")})
    unchecked_ranges: int = 0  # scored documents whose gold text is withheld: offsets not range-checked

    @property
    def empty(self) -> bool:
        return self.scored == 0


class SubmissionError(Exception):
    """The submission has problems; nothing was scored."""

    def __init__(self, problems: list[SubmissionProblem], total: int):
        super().__init__(f"{total} problem(s)")
        self.problems = problems
        self.total = total


class LineChecker:
    """Checks one parsed line against the schema and the gold data; collects problems."""

    def __init__(self, inventory: Inventory):
        self.types = frozenset(inventory.entity_types)
        self.kinds = frozenset(inventory.mention_kinds)
        self.quote_types = frozenset(inventory.quote_types)
        self.roles = {"speaker": inventory.attribution_kinds_for("speaker"),
                      "claimant": inventory.attribution_kinds_for("claimant")}
        self.good_ids: set[str] = set()  # item ids already found valid (m1, q1, ...): most lines reuse them

    def check(self, obj, where: str, text: str | None) -> tuple[str, list[SubmissionProblem]]:
        """Problems of the line's shape and id (document id or '?' first); `text`: the gold text, None if not known."""
        self.where, self.problems = where, []
        self.text = text
        if not isinstance(obj, dict):
            self.doc_id = "?"
            self.add("$", "SUB-SHAPE", "a line must be a JSON object", _json_type(obj), "object")
            return self.doc_id, self.problems
        doc_id = obj.get("id")
        self.doc_id = doc_id if isinstance(doc_id, str) else "?"
        self.object_keys("$", obj, ("id",), TOP_KEYS[1:])
        if "id" in obj and not (isinstance(doc_id, str) and _DOC_ID.match(doc_id)):
            self.add("$.id", "SUB-SHAPE", "document id is not a valid id", _short(doc_id), "a string matching ^[a-z0-9][a-z0-9._-]{0,127}$")
        return self.doc_id, self.problems

    def check_layers(self, obj: dict, gold_sha: str | None) -> list[SubmissionProblem]:
        """Everything below the document id (call after `check` found the id usable)."""
        sha = obj.get("text_sha256")
        if sha is not None:
            if not (isinstance(sha, str) and _SHA.match(sha)):
                self.add("$.text_sha256", "SUB-SHAPE", "text_sha256 is not a SHA-256", _short(sha), "64 lower-case hex digits or null")
            elif gold_sha is not None and sha != gold_sha:
                self.add("$.text_sha256", "SUB-TEXT-HASH", "predictions were made on a different text", sha, gold_sha)
        layers = {}
        for layer in LAYER_KEYS:
            if layer not in obj:
                layers[layer] = []
                continue
            value = obj[layer]
            if not isinstance(value, list):
                self.add(f"$.{layer}", "SUB-SHAPE", f"{layer} must be an array", _json_type(value), "array")
                layers[layer] = []
                continue
            required, optional = _FIELDS[layer]
            allowed, needed = _KEY_SETS[layer]
            items = []
            for i, item in enumerate(value):
                if type(item) is dict and item.keys() <= allowed and needed <= item.keys():
                    items.append((layer, i, item))  # the common case: no path string is built
                elif not isinstance(item, dict):
                    self.add(f"$.{layer}[{i}]", "SUB-SHAPE", "an item must be an object", _json_type(item), "object")
                elif self.object_keys(f"$.{layer}[{i}]", item, required, optional):
                    items.append((layer, i, item))
            layers[layer] = items
        self.check_ids(layers)
        entity_ids = {item["id"] for _, _, item in layers["entities"] if isinstance(item.get("id"), str)}
        mention_ids = {item["id"] for _, _, item in layers["mentions"] if isinstance(item.get("id"), str)}
        quote_ids = {item["id"] for _, _, item in layers["quotes"] if isinstance(item.get("id"), str)}
        for layer, i, entity in layers["entities"]:
            path = f"$.{layer}[{i}]"
            self.optional_label(f"{path}.type", entity.get("type"), self.types, "entity type")
            for key in ("name", "kb_id"):
                self.optional_string(f"{path}.{key}", entity.get(key))
        limit = len(self.text) if self.text is not None else MAX_VALUE
        for layer, i, mention in layers["mentions"]:
            if self._valid_mention(mention, entity_ids, limit):
                continue
            path = f"$.{layer}[{i}]"
            self.span(path, mention)
            self.label(f"{path}.type", mention.get("type"), self.types, "entity type")
            self.optional_label(f"{path}.kind", mention.get("kind"), self.kinds, "mention kind")
            target = mention.get("entity")
            if target is not None:
                if not isinstance(target, str):
                    self.add(f"{path}.entity", "SUB-SHAPE", "entity must be an id", _json_type(target), "string or null")
                elif target not in entity_ids:
                    self.add(f"{path}.entity", "SUB-REF-DANGLING", "mention names an entity that is not in $.entities",
                             _short(target), "an id in $.entities")
        for layer, role in (("quotes", "speaker"), ("claims", "claimant")):
            for name, i, item in layers[layer]:
                path = f"$.{name}[{i}]"
                self.fragments(f"{path}.fragments", item.get("fragments"))
                self.attribution(f"{path}.{role}", item.get(role), role, mention_ids, entity_ids)
                if layer == "quotes":
                    cue = item.get("cue")
                    if cue is not None:
                        if not isinstance(cue, dict):
                            self.add(f"{path}.cue", "SUB-SHAPE", "cue must be a span or null", _json_type(cue), "object or null")
                        elif self.object_keys(f"{path}.cue", cue, *_FIELDS["span"]):
                            self.span(f"{path}.cue", cue)
                    self.label(f"{path}.type", item.get("type"), self.quote_types, "quote type")
                else:
                    if "check_worthy" in item and not isinstance(item["check_worthy"], bool):
                        self.add(f"{path}.check_worthy", "SUB-SHAPE", "check_worthy must be true or false",
                                 _short(item["check_worthy"]), "boolean")
                    link = item.get("quote")
                    if link is not None:
                        if not isinstance(link, str):
                            self.add(f"{path}.quote", "SUB-SHAPE", "quote must be a quote id or null", _json_type(link), "string or null")
                        elif link not in quote_ids:
                            self.add(f"{path}.quote", "SUB-REF-DANGLING", "claim links to a quote that is not in $.quotes",
                                     _short(link), "an id in $.quotes or null")
        return self.problems

    # -- helpers -------------------------------------------------------------------------------
    def add(self, path: str, rule: str, message: str, found=None, expected=None) -> None:
        self.problems.append(SubmissionProblem(self.where, self.doc_id, path, rule, message, found, expected))

    def object_keys(self, path: str, obj: dict, required, optional) -> bool:
        """Required keys present and no unknown key; False (after reporting) otherwise."""
        ok = True
        for key in required:
            if key not in obj:
                self.add(f"{path}.{key}", "SUB-SHAPE", "required field is missing", None, f"field {key!r}")
                ok = False
        for key in obj:
            if key not in required and key not in optional:
                hint = _NO_TEXT_HINT.get(key, "unknown field") if path == "$" else "unknown field"
                self.add(f"{path}.{key}", "SUB-SHAPE", hint, _short(key), "one of " + ", ".join((*required, *optional)))
                ok = False
        return ok

    def _valid_mention(self, mention: dict, entity_ids: set, limit: int) -> bool:
        """The common case in one pass: a mention with nothing to report (`check_layers` explains the others)."""
        start, end, label = mention["start"], mention["end"], mention["type"]
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= limit:
            return False
        if type(label) is not str or label not in self.types:
            return False
        kind, entity, surface = mention.get("kind"), mention.get("entity"), mention.get("text")
        if kind is not None and (type(kind) is not str or kind not in self.kinds):
            return False
        if entity is not None and (type(entity) is not str or entity not in entity_ids):
            return False
        if surface is not None and (type(surface) is not str or (self.text is not None and surface != self.text[start:end])):
            return False
        return True

    def check_ids(self, layers: dict) -> None:
        ids = [item.get("id") for layer in LAYER_KEYS for _, _, item in layers[layer]]
        if len(set(map(repr, ids))) == len(ids) and all(type(i) is str and i in self.good_ids for i in ids):
            return  # the common case: ids seen valid before, no duplicate
        seen: dict[str, str] = {}
        for layer in LAYER_KEYS:
            for name, i, item in layers[layer]:
                path = f"$.{name}[{i}]"
                value = item.get("id")
                if not (isinstance(value, str) and _ITEM_ID.match(value)):
                    self.add(f"{path}.id", "SUB-SHAPE", "item id is not a valid id", _short(value), "a string matching ^[A-Za-z0-9_.:-]+$")
                elif value in seen:
                    self.add(f"{path}.id", "SUB-ID-DUPLICATE", "id already used in this line",
                             f"{value!r} (first at {seen[value]})", "an id unique in the line")
                else:
                    seen[value] = path
                    if len(self.good_ids) < 100_000:
                        self.good_ids.add(value)

    def label(self, path: str, value, allowed: frozenset, what: str) -> None:
        if not isinstance(value, str):
            self.add(path, "SUB-SHAPE", f"{what} must be a string", _json_type(value), "string")
        elif value not in allowed:
            self.add(path, "SUB-LABEL-UNKNOWN", f"unknown {what}", _short(value), "one of " + ", ".join(sorted(allowed)))

    def optional_label(self, path: str, value, allowed: frozenset, what: str) -> None:
        if value is not None:
            self.label(path, value, allowed, what)

    def optional_string(self, path: str, value) -> None:
        if value is not None and not isinstance(value, str):
            self.add(path, "SUB-SHAPE", "must be a string or null", _json_type(value), "string or null")

    def span(self, path: str, span: dict) -> bool:
        """Check offsets (and surface text); True when the span is usable."""
        start, end = span.get("start"), span.get("end")
        for key, value in (("start", start), ("end", end)):
            if type(value) is not int:  # bool is an int subclass; floats like 5.0 are refused too
                if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
                    self.add(f"{path}.{key}", "SUB-OFFSET-TYPE", "offset must be a JSON integer", _short(value), "an integer like 5")
                else:
                    self.add(f"{path}.{key}", "SUB-SHAPE", "offset must be an integer", _json_type(value), "integer")
                return False
        if start < 0 or end < 0:
            self.add(path, "SUB-SPAN-RANGE", "offsets must not be negative", f"start={start}, end={end}", ">= 0")
            return False
        if end > MAX_VALUE:
            self.add(path, "SUB-SPAN-RANGE", "offset is larger than any text", f"end={end}", f"end <= {MAX_VALUE}")
            return False
        if start >= end:
            self.add(path, "SUB-SPAN-EMPTY", "span is empty or reversed", f"start={start}, end={end}", "start < end")
            return False
        surface = span.get("text")
        if surface is not None and not isinstance(surface, str):
            self.add(f"{path}.text", "SUB-SHAPE", "text must be a string or null", _json_type(surface), "string or null")
            return False
        if self.text is None:
            return True
        if end > len(self.text):
            self.add(path, "SUB-SPAN-RANGE", "span ends past the end of the gold text", f"end={end}",
                     f"end <= {len(self.text)} (text length in code points)")
            return False
        if surface is not None and surface != self.text[start:end]:
            hint = _where_it_is(self.text, surface, start)
            self.add(f"{path}.text", "SUB-SPAN-TEXT", "text differs from gold_text[start:end]" + (f"; {hint}" if hint else ""),
                     _short(surface), _short(self.text[start:end]))
            return False
        return True

    def fragments(self, path: str, fragments) -> None:
        if not isinstance(fragments, list):
            self.add(path, "SUB-SHAPE", "fragments must be an array of spans", _json_type(fragments), "array")
            return
        if not fragments:
            self.add(path, "SUB-SHAPE", "a quote or claim needs at least one fragment", "[]", "at least 1 span")
            return
        usable = []
        for i, frag in enumerate(fragments):
            p = f"{path}[{i}]"
            if not isinstance(frag, dict):
                self.add(p, "SUB-SHAPE", "a fragment must be a span object", _json_type(frag), "object")
            elif self.object_keys(p, frag, *_FIELDS["span"]) and self.span(p, frag):
                usable.append((i, frag["start"], frag["end"]))
        for (_, s1, e1), (j, s2, e2) in zip(usable, usable[1:]):
            if s2 < e1:
                self.add(f"{path}[{j}]", "SUB-FRAGMENT-ORDER", "fragment starts before the previous one ends",
                         f"[{s2}, {e2}) after [{s1}, {e1})", f"start >= {e1}")

    def attribution(self, path: str, value, role: str, mention_ids: set, entity_ids: set) -> None:
        if not isinstance(value, dict):
            self.add(path, "SUB-SHAPE", f"{role} must be an object", _json_type(value), "object with a kind")
            return
        if not self.object_keys(path, value, *_FIELDS["attribution"]):
            return
        kind = value.get("kind")
        allowed = self.roles[role]
        if not isinstance(kind, str):
            self.add(f"{path}.kind", "SUB-SHAPE", "kind must be a string", _json_type(kind), "string")
            return
        if kind not in allowed:
            self.add(f"{path}.kind", "SUB-LABEL-UNKNOWN", f"kind not allowed for a {role}", _short(kind), "one of " + ", ".join(allowed))
            return
        for key in ("mention", "entity"):
            if value.get(key) is not None and not isinstance(value[key], str):
                self.add(f"{path}.{key}", "SUB-SHAPE", f"{key} must be an id or null", _json_type(value[key]), "string or null")
                return
        for problem in attribution_problems(value, role, mention_ids, entity_ids):
            rule = "SUB-REF-DANGLING" if problem.problem == "dangling" else "SUB-REF-SHAPE"
            found = "null" if problem.found is None else _short(problem.found)
            self.add(f"{path}.{problem.field}", rule, problem.message, found, problem.expected)


class _LazyText:
    """A gold text whose length is known and whose characters are read only if a span's text is checked."""

    __slots__ = ("length", "gold", "index", "value")

    def __init__(self, length: int, gold: GoldSet, index: int):
        self.length, self.gold, self.index, self.value = length, gold, index, None

    def _text(self) -> str:
        if self.value is None:
            self.value = self.gold.text(self.index)
        return self.value

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key):
        return self._text()[key]

    def find(self, *args) -> int:
        return self._text().find(*args)


def _where_it_is(text: str, surface: str, start: int) -> str | None:
    """Where the surface string really occurs, nearest to `start` (helps fix unit mix-ups)."""
    if not surface:
        return None
    best, index = None, text.find(surface)
    while index != -1:
        if best is None or abs(index - start) < abs(best - start):
            best = index
        index = text.find(surface, index + 1)
    return "it does not occur in the gold text" if best is None else f"it occurs at [{best}, {best + len(surface)})"


# -- reading files ---------------------------------------------------------------------------------
#
# Two paths, one set of messages. The per-line path (`_Reading.take`) parses a line with the
# strict parser (`parse_line`) and checks it with `LineChecker`: it is the only code that writes
# problems. The fast path parses a block of lines with pyarrow.json (or a Parquet record batch)
# into Arrow and checks every rule at once (`arrow_submission.check_batch`); every line it cannot
# vouch for (one with a problem, or anything unusual) goes through the per-line path, in file
# order, so the problems, their order and the cap are exactly the per-line path's, while a
# clean file never touches it. `read_submission(..., fast=False)` is the per-line path alone.

class _NotJSON(ValueError):
    """NaN, Infinity or -Infinity: Python's json reads them, JSON does not have them."""


class _DuplicateKey(ValueError):
    """An object names the same key twice: Python's json keeps the last value, strict JSON refuses it."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _reject_constant(name: str):
    raise _NotJSON(name)


def _no_duplicate_keys(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # only an escape can put a surrogate into decoded UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value, path: str = "$") -> tuple[str, str] | None:
    """(JSON path, the surrogate) of the first key or string value holding a lone surrogate."""
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        return (path, match.group()) if match else None
    if isinstance(value, dict):
        for key, item in value.items():
            match = _SURROGATE.search(key)
            if match:
                return f"{path}.{ascii(key)}", match.group()
            found = _lone_surrogate(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _lone_surrogate(item, f"{path}[{i}]")
            if found:
                return found
    return None


def parse_line(raw: bytes, where: str) -> tuple[object | None, SubmissionProblem | None]:
    """One JSONL line (with its newline) through the strict parser: (value, None) or (None, the problem).

    Strict: UTF-8, JSON's grammar, no NaN or Infinity, no key twice in one object, no lone
    surrogate (a \\ud800-\\udfff escape without its pair), and nothing Python cannot read safely
    (integers of thousands of digits, nesting thousands of levels deep).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, SubmissionProblem(where, "?", "$", "SUB-ENCODING", f"not UTF-8 at byte {exc.start}",
                                       _short(raw[exc.start:exc.start + 4]), "UTF-8")
    try:
        obj = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip())
        found = "end of line" if truncated else _short(text[exc.pos:exc.pos + 20])
        return None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON", f"{exc.msg} at column {exc.colno}", found,
                                       "a complete JSON object (line truncated?)" if truncated else "valid JSON")
    except _NotJSON as exc:
        return None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON", f"{exc} is not a JSON value", str(exc),
                                       "a number such as 1.5, or null")
    except _DuplicateKey as exc:
        return None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON",
                                       f"key {_short(exc.key)} appears twice in one object", f"{_short(exc.key)} twice",
                                       "each key once per object (strict JSON)")
    except RecursionError:
        return None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON", "nested too deeply to read",
                                       f"{len(text):,} characters",
                                       "a submission line (arrays and objects a few levels deep)")
    except ValueError as exc:  # an integer beyond Python's digit limit (int_max_str_digits)
        return None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON", f"cannot be read: {str(exc)[:120]}", None,
                                       "integers of at most a few digits (offsets)")
    if _SURROGATE_ESCAPE.search(text):
        found = _lone_surrogate(obj)
        if found is not None:
            return None, SubmissionProblem(where, _guess_id(text), found[0], "SUB-ENCODING",
                                           "a lone surrogate (a \\ud800-\\udfff escape without its pair) is not text",
                                           f"U+{ord(found[1]):04X}", "a character, or a surrogate pair")
    return obj, None


def _guess_id(text: str) -> str:
    match = re.search(r'"id"\s*:\s*"([a-z0-9][a-z0-9._-]{0,127})"', text)
    return match.group(1) if match else "?"


class _Restart(Exception):
    """The fast path met something only the per-line path places exactly (a damaged Parquet file)."""


class _Reading:
    """One reading of a submission: problems so far, the first line of each document, what was built."""

    def __init__(self, path: Path, gold: GoldSet, inventory: Inventory, max_problems: int):
        self.path, self.gold, self.inventory, self.max_problems = path, gold, inventory, max_problems
        self.info = SubmissionInfo(str(path), path.suffix.lower()[1:])
        self.jsonl = self.info.format == "jsonl"
        self.checker = LineChecker(inventory)
        self.builder = LayersBuilder(inventory, len(gold.doc_ids))  # documents of the per-line path
        self.slow_docs = 0
        self.fast_builder = None                                      # documents of the fast path
        self.order = np.zeros(len(gold.doc_ids), dtype=np.int64)       # gold index -> its line number
        self.problems: list[SubmissionProblem] = []
        self.total = 0
        self.first_line: dict[str, int] = {}
        self.other_split: set[str] = set()

    def where_of(self, number: int) -> str:
        return f"{self.path}:{number}" if self.jsonl else f"{self.path}:row {number}"

    def report(self, found: list[SubmissionProblem]) -> None:
        self.total += len(found)
        self.problems.extend(found[: max(0, self.max_problems - len(self.problems))])

    def take(self, number: int, obj, problem: SubmissionProblem | None) -> None:
        """The per-line path: check one parsed line, report its problems or keep its layers."""
        gold, info, checker = self.gold, self.info, self.checker
        info.lines += 1
        if problem is not None:
            self.report([problem])
            return
        where = self.where_of(number)
        index = gold.index.get(obj.get("id")) if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None
        length = int(gold.text_length[index]) if index is not None else -1
        text = _LazyText(length, gold, index) if length >= 0 else None
        doc_id, found = checker.check(obj, where, text)
        if found:
            self.report(found)
            return
        if doc_id in self.first_line:
            self.report([SubmissionProblem(where, doc_id, "$.id", "SUB-DOC-DUPLICATE", "document already predicted",
                                           f"also on {self.where_of(self.first_line[doc_id])}", "one line per document")])
            return
        self.first_line[doc_id] = number
        if index is None and doc_id not in gold.other_ids:
            self.report([SubmissionProblem(where, doc_id, "$.id", "SUB-DOC-UNKNOWN", "no gold document has this id",
                                           _short(doc_id), f"an id of {gold.info.kind} {gold.info.path}")])
            return
        found = checker.check_layers(obj, gold.text_sha256[index] if index is not None else None)
        if found:
            self.report(found)
            return
        for layer in info.layers:
            info.layers[layer] = info.layers[layer] or layer in obj
        if index is None:
            self.other_split.add(doc_id)
            return
        if text is None:
            info.unchecked_ranges += 1
        self.builder.add(index, obj)
        self.order[index] = number
        self.slow_docs += 1
        info.scored += 1

    def take_clean(self, number: int, doc_id: str) -> None:
        """A line the fast path found clean: only the rule across lines is left to check."""
        if doc_id in self.first_line:
            where = self.where_of(number)
            self.report([SubmissionProblem(where, doc_id, "$.id", "SUB-DOC-DUPLICATE", "document already predicted",
                                           f"also on {self.where_of(self.first_line[doc_id])}", "one line per document")])
        else:
            self.first_line[doc_id] = number

    def take_all_clean(self, first: int, ids: list[str]) -> None:
        """`take_clean` for consecutive clean lines from line `first` on."""
        numbers = dict(zip(ids, range(first, first + len(ids))))
        if len(numbers) == len(ids) and self.first_line.keys().isdisjoint(numbers):
            self.first_line.update(numbers)
        else:
            for number, doc_id in enumerate(ids, start=first):
                self.take_clean(number, doc_id)

    def keep_clean(self, checked, numbers: np.ndarray, ids: list, batch, ctx) -> None:
        """Record the clean rows of a checked batch (`checked.ok`) and keep their layers."""
        from .arrow_layers import bool_array
        from .arrow_submission import ArrowSubmissionBuilder, check_batch

        if self.total:
            return  # nothing will be scored: no need to keep anything
        info, ok = self.info, checked.ok
        index = checked.index[ok]
        scored = index >= 0
        info.lines += int(ok.sum())
        for layer in info.layers:
            info.layers[layer] = info.layers[layer] or bool((checked.present[layer] & ok).any())
        other = checked.other & ok
        if other.any():
            self.other_split.update(ids[r] for r in np.flatnonzero(other).tolist())
        if not scored.any():
            return
        info.scored += int(scored.sum())
        info.unchecked_ranges += int((self.gold.text_length[index[scored]] < 0).sum())
        self.order[index[scored]] = numbers[ok][scored]
        keep = ok & (checked.index >= 0)
        if not keep.all():  # build from the clean rows of the scored split alone
            checked = check_batch(batch.filter(bool_array(keep)), ctx)
            assert checked.ok.all(), "the checks of a row depend on that row only"
        if self.fast_builder is None:
            self.fast_builder = ArrowSubmissionBuilder(len(self.gold.doc_ids))
        self.fast_builder.add(checked)

    def finish(self) -> tuple[Layers, SubmissionInfo]:
        from .arrow_submission import merge_layers

        info = self.info
        if self.total:
            raise SubmissionError(self.problems, self.total)
        # no problem, so every line of the scored split was kept and has its line number in `order`
        info.missing = [self.gold.doc_ids[i] for i in np.flatnonzero(self.order == 0).tolist()]
        info.other_split = sorted(self.other_split)
        self.first_line = {}
        slow = self.builder.finish()
        if self.fast_builder is None:
            layers = slow
        elif self.slow_docs == 0:
            layers = self.fast_builder.finish()
        else:  # documents from both paths: in line order, as one LayersBuilder would have them
            layers = merge_layers(self.fast_builder.finish(), slow, self.order)
        self.builder = self.fast_builder = slow = None  # free the parts before handing memory back
        release_free_memory()
        return layers, info


# -- JSONL ---------------------------------------------------------------------------------------

_BLOCK = 1 << 22     # bytes of JSONL parsed at once (whole lines): larger blocks are hardly faster but
                     # raise the peak memory of `wsw score` (it must stay far below nervaluate's)
_LONG_LINE = 8192    # a longer line is looked at before pyarrow sees it, and with more than
_MAX_OPENINGS = 4096  # this many `{` and `[` it goes to the per-line path: pyarrow's parser
                      # recurses, and nesting ~10,000 levels deep overflows its stack


def _blocks(path: Path, digest) -> Iterator[tuple[int, bytes, list[bytes], bytes]]:
    """(number of the first line, the block, its lines without their newline, the newline of the
    last one) over the file, about _BLOCK bytes at a time; blocks hold whole lines."""
    with path.open("rb") as fh:
        first, rest = 1, b""
        while True:
            chunk = fh.read(_BLOCK)
            if not chunk:
                if rest:
                    yield first, rest, [rest], b""  # the file's last line has no newline
                return
            digest.update(chunk)
            data = rest + chunk if rest else chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                rest = data
                continue
            block, rest = (data, b"") if cut == len(data) else (data[:cut], data[cut:])
            lines = block.split(b"\n")
            lines.pop()  # the empty string after the last newline
            yield first, block, lines, b"\n"
            first += len(lines)


def _fast_lines(block: bytes, lines: list[bytes]) -> np.ndarray:
    """Lines pyarrow may see: they start with `{`, hold no CR but a final one, decode as UTF-8 and
    are not deeply nested; the others go to the per-line path.

    These guards are enough because pyarrow parses with the explicit schema: it refuses NaN,
    Infinity, non-integer offsets, unknown fields, a key twice in one object, lone surrogates and
    control characters in strings, and then the whole block goes line by line. What it would
    get wrong is kept from it: invalid UTF-8 (it lets that through into strings), a line that is
    not an object (`null` first in a block crashes it), a lone CR (it splits the line there) and
    nesting thousands deep (its parser recurses).
    """
    n = len(lines)
    arr = np.frombuffer(block, dtype=np.uint8)
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    if n > 1:
        np.cumsum(lengths[:-1] + 1, out=starts[1:])
    fast = lengths > 0
    fast[fast] = arr[starts[fast]] == 0x7B  # "{"
    if b"\r" in block:
        cr = np.flatnonzero(arr == 0x0D)
        line = np.searchsorted(starts, cr, side="right") - 1
        lone = cr != starts[line] + lengths[line] - 1
        fast[line[lone]] = False
    for k in np.flatnonzero(fast & (lengths > _LONG_LINE)).tolist():
        if lines[k].count(b"{") + lines[k].count(b"[") > _MAX_OPENINGS:
            fast[k] = False
    if not block.isascii():  # pyarrow lets invalid UTF-8 through into strings
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            high = np.flatnonzero(arr >= 0x80)
            for k in np.unique(np.searchsorted(starts, high, side="right") - 1).tolist():
                try:
                    lines[k].decode("utf-8")
                except UnicodeDecodeError:
                    fast[k] = False
    return fast


def _parse_jsonl(buffer: bytes, rows: int):
    """`rows` lines as one Arrow record batch of SCHEMA, or None when pyarrow refuses any of them."""
    import pyarrow as pa
    import pyarrow.json as pj

    from .arrow_submission import SCHEMA

    if len(buffer) >= 2**31 - 2:
        return None
    try:
        table = pj.read_json(pa.BufferReader(buffer),
                             read_options=pj.ReadOptions(use_threads=False, block_size=len(buffer) + 1),
                             parse_options=pj.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="error"))
    except Exception:  # ArrowInvalid mostly; a message quoting invalid UTF-8 even raises UnicodeDecodeError
        return None
    if table.num_rows != rows:  # two objects on one line
        return None
    return table.combine_chunks().to_batches()[0]


def _read_jsonl(reading: _Reading, digest, fast: bool) -> None:
    from .arrow_submission import LAYERS, Context, check_batch

    ctx = Context(reading.gold, reading.inventory) if fast else None
    for first, block, lines, last_newline in _blocks(reading.path, digest):
        rows = np.flatnonzero(_fast_lines(block, lines)) if fast else np.zeros(0, dtype=np.int64)
        batch = _parse_jsonl(block if len(rows) == len(lines) else b"\n".join([lines[k] for k in rows.tolist()]),
                             len(rows)) if len(rows) else None
        ids: list = []
        ok = np.zeros(len(rows), dtype=bool)
        if batch is not None:
            checked = check_batch(batch, ctx)
            ok = checked.ok
            for layer in LAYERS:  # an absent field and `"field": null` are both null in Arrow; null is refused
                key = f'"{layer}"'.encode()
                suspect = ok & ~checked.present[layer]
                if suspect.any() and (key in block or b"\\" in block):
                    for r in np.flatnonzero(suspect).tolist():
                        if key in lines[rows[r]] or b"\\" in lines[rows[r]]:
                            ok[r] = False
            ids = checked.ids
        if len(rows) == len(lines) and ok.all():
            reading.take_all_clean(first, ids)  # the usual block: every line clean
        else:
            row_of_line = [-1] * len(lines)
            for r, k in enumerate(rows.tolist()):
                if ok[r]:
                    row_of_line[k] = r
            for k, line in enumerate(lines):
                number = first + k
                r = row_of_line[k]
                if r >= 0:
                    reading.take_clean(number, ids[r])
                elif line.strip():
                    raw = line + (b"\n" if k < len(lines) - 1 else last_newline)
                    reading.take(number, *parse_line(raw, reading.where_of(number)))
        if ok.any():
            reading.keep_clean(checked, first + rows, ids, batch, ctx)


# -- Parquet -------------------------------------------------------------------------------------

_PARQUET_BATCH = 4096  # rows per Parquet record batch (decoded one at a time, on one thread)


def _hash_file(path: Path, digest) -> None:
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)


def _parquet_rows(path: Path, digest) -> Iterator[tuple[int, object | None, SubmissionProblem | None]]:
    """The per-line path's rows: (row number, row as a dict without null fields, problem)."""
    import pyarrow.parquet as pq

    _hash_file(path, digest)
    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
    except Exception as exc:  # pyarrow raises several types for damaged files
        yield 0, None, SubmissionProblem(str(path), "?", "$", "SUB-FILE", f"cannot read Parquet ({exc})", None,
                                         "a Parquet file")
        return
    unknown = [n for n in names if n not in TOP_KEYS]
    if unknown or "id" not in names:
        yield 0, None, SubmissionProblem(str(path), "?", "$", "SUB-SHAPE", "unexpected Parquet columns",
                                         ", ".join(names), "an `id` column and any of " + ", ".join(TOP_KEYS[1:]))
        return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                number += 1
                yield number, {k: v for k, v in row.items() if v is not None}, None
    except Exception as exc:
        yield number + 1, None, SubmissionProblem(f"{path}:row {number + 1}", "?", "$", "SUB-FILE",
                                                  f"cannot read Parquet ({exc})", None, "a Parquet file")


def _read_parquet_fast(reading: _Reading, digest) -> None:
    """Record batches checked whole; rows with a problem go through the per-line path."""
    import pyarrow.parquet as pq

    from .arrow_submission import Context, check_batch, conform_batch

    _hash_file(reading.path, digest)
    try:
        parquet = pq.ParquetFile(reading.path)
        names = parquet.schema_arrow.names
        batches = parquet.iter_batches(batch_size=_PARQUET_BATCH, use_threads=False)
    except Exception:
        raise _Restart from None
    if "id" not in names or any(n not in TOP_KEYS for n in names):
        raise _Restart
    ctx = Context(reading.gold, reading.inventory)
    number = 0
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            break
        except Exception:  # a damaged file: the per-line path says at which row
            raise _Restart from None
        conformed = conform_batch(batch)
        checked = check_batch(conformed, ctx) if conformed is not None else None
        ok = checked.ok if checked is not None else np.zeros(batch.num_rows, dtype=bool)
        ids = checked.ids if checked is not None else []
        numbers = np.arange(number + 1, number + 1 + batch.num_rows)
        rows = None
        for r, good in enumerate(ok.tolist()):
            number += 1
            if good:
                reading.take_clean(number, ids[r])
            else:
                try:
                    rows = rows or batch.to_pylist()
                except Exception:
                    raise _Restart from None
                reading.take(number, {k: v for k, v in rows[r].items() if v is not None}, None)
        if ok.any():
            reading.keep_clean(checked, numbers, ids, conformed, ctx)


def read_submission(path: str | Path, gold: GoldSet, inventory: Inventory,
                    max_problems: int = 50, fast: bool = True) -> tuple[Layers, SubmissionInfo]:
    """Check a submission against the gold split and return its predictions as `Layers`.

    Raises `SubmissionError` (with up to `max_problems` problems and the total) when anything
    is wrong, and `FileNotFoundError` for a missing file. `fast=False` checks every line with
    the per-line path alone (same result, for tests and as the reference).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise SubmissionError([SubmissionProblem(str(path), "?", "$", "SUB-FILE", "unknown submission format", path.suffix or "no suffix",
                                                 ".jsonl (one JSON object per line) or .parquet")], 1)
    if not path.is_file():
        raise FileNotFoundError(path)
    reading = _Reading(path, gold, inventory, max_problems)
    digest = hashlib.sha256()
    if suffix == ".jsonl":
        _read_jsonl(reading, digest, fast)
    else:
        try:
            if not fast:
                raise _Restart
            _read_parquet_fast(reading, digest)
        except _Restart:
            reading = _Reading(path, gold, inventory, max_problems)
            digest = hashlib.sha256()
            for number, obj, problem in _parquet_rows(path, digest):
                reading.take(number, obj, problem)
    reading.info.sha256 = digest.hexdigest()
    return reading.finish()


def submission_line(doc: dict) -> dict:
    """A canonical document reduced to a submission line: its layers without any surface text."""
    def span(s):
        return None if s is None else {"start": s["start"], "end": s["end"]}

    def source(a):
        return {k: v for k, v in a.items() if v is not None}

    return {
        "id": doc["id"],
        "text_sha256": doc.get("text_sha256"),
        "entities": [{"id": e["id"], "type": e.get("type")} for e in doc.get("entities") or ()],
        "mentions": [{"id": m["id"], "start": m["start"], "end": m["end"], "type": m["type"], "kind": m.get("kind"),
                      "entity": m.get("entity")} for m in doc.get("mentions") or ()],
        "quotes": [{"id": q["id"], "fragments": [span(f) for f in q["fragments"]], "cue": span(q.get("cue")),
                    "speaker": source(q["speaker"]), "type": q["type"]} for q in doc.get("quotes") or ()],
        "claims": [{"id": c["id"], "fragments": [span(f) for f in c["fragments"]], "claimant": source(c["claimant"]),
                    "quote": c.get("quote"), "check_worthy": c["check_worthy"]} for c in doc.get("claims") or ()],
    }
