"""Reading and checking a submission: JSONL or Parquet, one document's predictions per line or row.

The shape is schema/submission.schema.json (the canonical layers without the text). The checker
here enforces that schema and the semantic rules in one streaming pass, because running
jsonschema on every line costs about 0.3 ms per document (30 s for 100k documents); the test
suite proves on generated lines that it accepts exactly what the schema accepts. Problems are
data (`SubmissionProblem`: rule id, line, document id, JSON path, found vs expected); nothing
is scored when there is any. Checked documents of the scored split go straight into a
`LayersBuilder`, so only numpy columns are kept, never the parsed lines.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..inventory import Inventory
from ..references import attribution_problems
from .gold import GoldSet
from .layers import MAX_VALUE, Layers, LayersBuilder
from .memory import release_free_memory

#: rule id -> what it means. eval/submissions/README.md lists them with examples.
RULES: dict[str, str] = {
    "SUB-FILE": "the submission file cannot be read as JSONL (.jsonl) or Parquet (.parquet)",
    "SUB-ENCODING": "a line is not valid UTF-8",
    "SUB-JSON": "a line is not one complete JSON object (broken or truncated), or holds NaN/Infinity, an integer "
                "of thousands of digits or nesting thousands of levels deep",
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

class _NotJSON(ValueError):
    """NaN, Infinity or -Infinity: Python's json reads them, JSON does not have them."""


def _reject_constant(name: str):
    raise _NotJSON(name)


def _jsonl_lines(path: Path, digest) -> Iterator[tuple[str, object | None, SubmissionProblem | None]]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            digest.update(raw)
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield where, None, SubmissionProblem(where, "?", "$", "SUB-ENCODING", f"not UTF-8 at byte {exc.start}",
                                                     _short(raw[exc.start:exc.start + 4]), "UTF-8")
                continue
            try:
                obj = json.loads(text, parse_constant=_reject_constant)
            except json.JSONDecodeError as exc:
                truncated = exc.pos >= len(text.rstrip())
                found = "end of line" if truncated else _short(text[exc.pos:exc.pos + 20])
                yield where, None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON",
                                                     f"{exc.msg} at column {exc.colno}", found,
                                                     "a complete JSON object (line truncated?)" if truncated else "valid JSON")
                continue
            except _NotJSON as exc:
                yield where, None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON",
                                                     f"{exc} is not a JSON value", str(exc), "a number such as 1.5, or null")
                continue
            except RecursionError:
                yield where, None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON",
                                                     "nested too deeply to read", f"{len(text):,} characters",
                                                     "a submission line (arrays and objects a few levels deep)")
                continue
            except ValueError as exc:  # an integer beyond Python's digit limit (int_max_str_digits)
                yield where, None, SubmissionProblem(where, _guess_id(text), "$", "SUB-JSON",
                                                     f"cannot be read: {str(exc)[:120]}", None,
                                                     "integers of at most a few digits (offsets)")
                continue
            yield where, obj, None


def _guess_id(text: str) -> str:
    match = re.search(r'"id"\s*:\s*"([a-z0-9][a-z0-9._-]{0,127})"', text)
    return match.group(1) if match else "?"


def _parquet_rows(path: Path, digest) -> Iterator[tuple[str, object | None, SubmissionProblem | None]]:
    import pyarrow.parquet as pq

    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
    except Exception as exc:  # pyarrow raises several types for damaged files
        yield str(path), None, SubmissionProblem(str(path), "?", "$", "SUB-FILE", f"cannot read Parquet ({exc})", None,
                                                 "a Parquet file")
        return
    unknown = [n for n in names if n not in TOP_KEYS]
    if unknown or "id" not in names:
        yield str(path), None, SubmissionProblem(str(path), "?", "$", "SUB-SHAPE", "unexpected Parquet columns",
                                                 ", ".join(names), "an `id` column and any of " + ", ".join(TOP_KEYS[1:]))
        return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                number += 1
                yield f"{path}:row {number}", {k: v for k, v in row.items() if v is not None}, None
    except Exception as exc:
        yield f"{path}:row {number + 1}", None, SubmissionProblem(f"{path}:row {number + 1}", "?", "$", "SUB-FILE",
                                                                  f"cannot read Parquet ({exc})", None, "a Parquet file")


def read_submission(path: str | Path, gold: GoldSet, inventory: Inventory,
                    max_problems: int = 50) -> tuple[Layers, SubmissionInfo]:
    """Check a submission against the gold split and return its predictions as `Layers`.

    Raises `SubmissionError` (with up to `max_problems` problems and the total) when anything
    is wrong, and `FileNotFoundError` for a missing file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise SubmissionError([SubmissionProblem(str(path), "?", "$", "SUB-FILE", "unknown submission format", path.suffix or "no suffix",
                                                 ".jsonl (one JSON object per line) or .parquet")], 1)
    if not path.is_file():
        raise FileNotFoundError(path)
    info = SubmissionInfo(str(path), suffix[1:])
    digest = hashlib.sha256()
    rows = _jsonl_lines(path, digest) if suffix == ".jsonl" else _parquet_rows(path, digest)
    checker = LineChecker(inventory)
    builder = LayersBuilder(inventory, len(gold.doc_ids))
    problems: list[SubmissionProblem] = []
    total = 0
    first_line: dict[str, str] = {}
    other_split: set[str] = set()

    def report(found: list[SubmissionProblem]) -> None:
        nonlocal total
        total += len(found)
        problems.extend(found[: max(0, max_problems - len(problems))])

    for where, obj, problem in rows:
        info.lines += 1
        if problem is not None:
            report([problem])
            continue
        index = gold.index.get(obj.get("id")) if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None
        length = int(gold.text_length[index]) if index is not None else -1
        text = _LazyText(length, gold, index) if length >= 0 else None
        doc_id, found = checker.check(obj, where, text)
        if found:
            report(found)
            continue
        if doc_id in first_line:
            report([SubmissionProblem(where, doc_id, "$.id", "SUB-DOC-DUPLICATE", "document already predicted",
                                      f"also on {first_line[doc_id]}", "one line per document")])
            continue
        first_line[doc_id] = where
        if index is None and doc_id not in gold.other_ids:
            report([SubmissionProblem(where, doc_id, "$.id", "SUB-DOC-UNKNOWN", "no gold document has this id",
                                      _short(doc_id), f"an id of {gold.info.kind} {gold.info.path}")])
            continue
        found = checker.check_layers(obj, gold.text_sha256[index] if index is not None else None)
        if found:
            report(found)
            continue
        for layer in info.layers:
            info.layers[layer] = info.layers[layer] or layer in obj
        if index is None:
            other_split.add(doc_id)
            continue
        if text is None:
            info.unchecked_ranges += 1
        builder.add(index, obj)
        info.scored += 1
    info.sha256 = digest.hexdigest()
    if total:
        raise SubmissionError(problems, total)
    info.missing = [d for d in gold.doc_ids if d not in first_line]
    info.other_split = sorted(other_split)
    del first_line
    release_free_memory()
    return builder.finish(), info


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
