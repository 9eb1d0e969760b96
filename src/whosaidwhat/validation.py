"""Validation of canonical documents: JSON Schema for shape, code for everything else.

Every problem is data (`Problem`): a stable rule id, a level, where it is (file, document id,
JSON path) and what was found versus expected. All problems are collected, not just the first.
The rule catalogue `RULES` is the one place their meaning is written down.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .core.document import text_sha256
from .core.inventory import Inventory, load_inventory
from .core.references import attribution_problems
from .core.resources import schema_path

ERROR = "error"
WARNING = "warning"

#: rule id -> (level, what it means). Each has a fixture under tests/fixtures/invalid/.
RULES: dict[str, tuple[str, str]] = {
    "FILE-READ": (ERROR, "the file cannot be read (missing, a dangling link, no permission)"),
    "FILE-ENCODING": (ERROR, "the file is not valid UTF-8, or the text holds a lone surrogate"),
    "JSON-SYNTAX": (ERROR, "the file (or JSONL line) is not valid JSON, e.g. truncated"),
    "SCHEMA": (ERROR, "the document does not match schema/document.schema.json"),
    "FILE-NAME": (ERROR, "a document file's name must be <id>.json"),
    "DOC-ID-DUPLICATE": (ERROR, "two documents in the same folder or JSONL file share an id"),
    "TEXT-HASH": (ERROR, "text_sha256 is not the SHA-256 of the text"),
    "TEXT-MISSING": (ERROR, "only a text that may not be redistributed can be withheld (null)"),
    "DATE-INVALID": (ERROR, "a date must exist in the calendar"),
    "SPAN-OFFSET-TYPE": (ERROR, "offsets must be JSON integers, not numbers with a fraction part (5.0)"),
    "SPAN-EMPTY": (ERROR, "a span must have start < end"),
    "SPAN-RANGE": (ERROR, "a span must lie inside the text"),
    "SPAN-TEXT": (ERROR, "a span's surface text must equal text[start:end]"),
    "SPAN-SPLITS-CHAR": (WARNING, "a span boundary falls between a base character and its combining mark, or inside CRLF"),
    "SPAN-WHITESPACE": (WARNING, "a span starts or ends with whitespace"),
    "SPAN-SPLITS-WORD": (WARNING, "a span starts or ends inside a word (a letter or digit on both sides of the boundary)"),
    "FRAGMENT-ORDER": (ERROR, "fragments must be in text order and must not overlap"),
    "ID-DUPLICATE": (ERROR, "ids of entities, mentions, quotes and claims must be unique within a document"),
    "REF-DANGLING": (ERROR, "a reference must name an existing item of the right kind"),
    "REF-SHAPE": (ERROR, "an attribution's fields must fit its kind"),
    "LABEL-UNKNOWN": (ERROR, "a label must exist in schema/labels.json"),
    "MENTION-TYPE": (ERROR, "a mention's type must equal its entity's type"),
    "ENTITY-UNUSED": (WARNING, "an entity has no mention"),
    "LAYER-ABSENT": (ERROR, "a layer marked absent must be empty"),
}


@dataclass(frozen=True)
class Problem:
    """One finding of the validator."""

    file: str
    doc_id: str
    path: str
    rule: str
    message: str
    found: str | None = None
    expected: str | None = None

    @property
    def level(self) -> str:
        return RULES[self.rule][0]

    def line(self) -> str:
        """The one-line report: `file: doc_id: json.path: [RULE] message (found …, expected …)`."""
        detail = []
        if self.found is not None:
            detail.append(f"found {self.found}")
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        tail = f" ({', '.join(detail)})" if detail else ""
        prefix = "" if self.level == ERROR else "warning: "
        return f"{self.file}: {self.doc_id}: {self.path}: [{self.rule}] {prefix}{self.message}{tail}"

    def as_dict(self) -> dict:
        return {**asdict(self), "level": self.level}


def _short(value, limit: int = 60) -> str:
    """A value for a message: repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@lru_cache(maxsize=1)
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(schema_path("document.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone UTF-16 half: not a character, cannot be encoded


class _Checker:
    """Semantic checks of one parsed document; tolerant of shapes the schema already rejected."""

    def __init__(self, doc: dict, file: str, inventory: Inventory):
        self.doc = doc
        self.file = file
        self.inv = inventory
        self.doc_id = doc.get("id") if isinstance(doc.get("id"), str) else "?"
        self.text = doc.get("text") if isinstance(doc.get("text"), str) else None
        self.withheld = doc.get("text", "") is None
        self.problems: list[Problem] = []
        self.mention_ids = {m.get("id") for _, m in self.items("mentions") if isinstance(m.get("id"), str)}
        self.entity_ids = {e.get("id") for _, e in self.items("entities") if isinstance(e.get("id"), str)}

    def add(self, path: str, rule: str, message: str, found=None, expected=None) -> None:
        self.problems.append(Problem(self.file, self.doc_id, path, rule, message, found, expected))

    # -- helpers -------------------------------------------------------------------------
    def items(self, key: str) -> list[tuple[str, dict]]:
        value = self.doc.get(key)
        if not isinstance(value, list):
            return []
        return [(f"$.{key}[{i}]", item) for i, item in enumerate(value) if isinstance(item, dict)]

    def label(self, path: str, value, allowed: tuple[str, ...], what: str) -> None:
        if isinstance(value, str) and value not in allowed:
            self.add(path, "LABEL-UNKNOWN", f"unknown {what}", _short(value), "one of " + ", ".join(allowed))

    def span(self, path: str, span: dict) -> bool:
        """Check one span; True when its offsets are usable."""
        start, end = span.get("start"), span.get("end")
        for name, value in (("start", start), ("end", end)):
            if isinstance(value, float):
                self.add(f"{path}.{name}", "SPAN-OFFSET-TYPE", "offset written as a number with a fraction part",
                         repr(value), "an integer such as " + (str(int(value)) if value == value and abs(value) < 1e18 else "42"))
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            return False
        if start >= end:
            self.add(path, "SPAN-EMPTY", "span is empty or reversed", f"start={start}, end={end}", "start < end")
            return False
        surface = span.get("text")
        if self.text is None:
            if self.withheld and surface is not None:
                self.add(f"{path}.text", "SPAN-TEXT", "text is withheld but the span carries its surface string",
                         _short(surface), "null")
            return True
        if end > len(self.text):
            self.add(path, "SPAN-RANGE", "span ends past the end of the text",
                     f"end={end}", f"end <= {len(self.text)} (text length in code points)")
            return False
        actual = self.text[start:end]
        if surface != actual:
            hint = _offset_hint(self.text, surface, start) if isinstance(surface, str) else None
            self.add(f"{path}.text", "SPAN-TEXT", "surface text does not match text[start:end]" + (f"; {hint}" if hint else ""),
                     _short(surface), _short(actual))
        if _splits_character(self.text, start) or _splits_character(self.text, end):
            self.add(path, "SPAN-SPLITS-CHAR", "span boundary splits a character sequence",
                     f"[{start}, {end})", "boundaries outside combining sequences and CRLF")
        if actual[:1].isspace() or actual[-1:].isspace():
            self.add(path, "SPAN-WHITESPACE", "span has leading or trailing whitespace", _short(actual), "trimmed span")
        if surface == actual and (_inside_word(self.text, start) or (_inside_word(self.text, end)
                                                                      and not _plural_ending(self.text, end))):
            self.add(path, "SPAN-SPLITS-WORD", "span boundary falls inside a word",
                     _short(self.text[max(0, start - 10):end + 10]), "boundaries at word edges")
        return True

    def fragments(self, path: str, fragments) -> None:
        if not isinstance(fragments, list):
            return
        usable = []
        for i, frag in enumerate(fragments):
            if isinstance(frag, dict) and self.span(f"{path}[{i}]", frag):
                usable.append((i, frag["start"], frag["end"]))
        for (_, s1, e1), (j, s2, e2) in zip(usable, usable[1:]):
            if s2 < e1:
                self.add(f"{path}[{j}]", "FRAGMENT-ORDER", "fragment starts before the previous one ends",
                         f"[{s2}, {e2}) after [{s1}, {e1})", f"start >= {e1}")

    # -- checks --------------------------------------------------------------------------
    def run(self) -> list[Problem]:
        if self.check_text():
            self.check_hash()
        self.check_metadata()
        self.check_ids()
        self.check_provenance()
        self.check_entities_and_mentions()
        self.check_quotes()
        self.check_claims()
        self.check_absent_layers()
        return self.problems

    def check_text(self) -> bool:
        """The text is valid Unicode, and withheld only where its license forbids redistribution."""
        if self.text is not None:
            match = _SURROGATE.search(self.text)
            if match is not None:
                bad = match.start()
                self.add("$.text", "FILE-ENCODING", f"the text holds a lone surrogate at offset {bad} (not Unicode text)",
                         f"U+{ord(self.text[bad]):04X}", "text without \\ud800-\\udfff escapes")
                self.text = None
                return False
        metadata = self.doc.get("metadata")
        license_ = metadata.get("license") if isinstance(metadata, dict) else None
        if self.withheld and isinstance(license_, dict) and license_.get("redistributable") is True:
            self.add("$.text", "TEXT-MISSING", "text is null but the document's license allows redistribution, so no "
                     "offset can be checked", "null", "the article text (withhold only non-redistributable texts)")
        return True

    def check_metadata(self) -> None:
        metadata = self.doc.get("metadata")
        published = metadata.get("published") if isinstance(metadata, dict) else None
        if isinstance(published, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", published):
            year, month, *day = (int(part) for part in published.split("-"))
            try:
                datetime.date(year, month, day[0] if day else 1)
            except ValueError:
                self.add("$.metadata.published", "DATE-INVALID", "not a calendar date", _short(published),
                         "YYYY, YYYY-MM or YYYY-MM-DD with a real month and day")

    def check_hash(self) -> None:
        declared = self.doc.get("text_sha256")
        if self.text is not None and isinstance(declared, str):
            actual = text_sha256(self.text)
            if declared != actual:
                self.add("$.text_sha256", "TEXT-HASH", "hash does not match the text (text edited without updating the hash?)",
                         declared, actual)

    def check_ids(self) -> None:
        seen: dict[str, str] = {}
        for key in ("entities", "mentions", "quotes", "claims"):
            for path, item in self.items(key):
                item_id = item.get("id")
                if not isinstance(item_id, str):
                    continue
                if item_id in seen:
                    self.add(f"{path}.id", "ID-DUPLICATE", "id already used", f"{item_id!r} (first at {seen[item_id]})",
                             "an id unique in the document")
                else:
                    seen[item_id] = path

    def check_provenance(self) -> None:
        layers = self.doc.get("provenance", {}).get("layers", {}) if isinstance(self.doc.get("provenance"), dict) else {}
        if not isinstance(layers, dict):
            return
        for name, record in layers.items():
            if not isinstance(record, dict):
                continue
            base = f"$.provenance.layers.{name}"
            self.label(f"{base}.status", record.get("status"), self.inv.layer_statuses, "layer status")
            producers = record.get("producers")
            for i, producer in enumerate(producers if isinstance(producers, list) else []):
                if isinstance(producer, dict):
                    self.label(f"{base}.producers[{i}].kind", producer.get("kind"), self.inv.producer_kinds, "producer kind")

    def check_entities_and_mentions(self) -> None:
        entities = {item.get("id"): item for _, item in self.items("entities") if isinstance(item.get("id"), str)}
        used: set = set()
        for path, entity in self.items("entities"):
            self.label(f"{path}.type", entity.get("type"), self.inv.entity_types, "entity type")
        for path, mention in self.items("mentions"):
            self.span(path, mention)
            self.label(f"{path}.type", mention.get("type"), self.inv.entity_types, "entity type")
            self.label(f"{path}.kind", mention.get("kind"), self.inv.mention_kinds, "mention kind")
            target = mention.get("entity")
            if not isinstance(target, str):
                continue
            if target not in entities:
                self.add(f"{path}.entity", "REF-DANGLING", "mention points to an entity that does not exist",
                         _short(target), "an id in $.entities")
                continue
            used.add(target)
            entity_type = entities[target].get("type")
            if (self.inv.raw.get("consistency", {}).get("mention_type_equals_entity_type")
                    and isinstance(mention.get("type"), str) and mention.get("type") != entity_type):
                self.add(f"{path}.type", "MENTION-TYPE", f"mention type differs from the type of entity {target}",
                         _short(mention.get("type")), _short(entity_type))
        for path, entity in self.items("entities"):
            if isinstance(entity.get("id"), str) and entity.get("id") not in used:
                self.add(path, "ENTITY-UNUSED", "entity has no mention", _short(entity.get("id")), "at least one mention")

    def attribution(self, path: str, value, role: str) -> None:
        if not isinstance(value, dict):
            return
        kind = value.get("kind")
        allowed = self.inv.attribution_kinds_for(role)
        if not isinstance(kind, str):
            return
        if kind not in allowed:
            self.add(f"{path}.kind", "LABEL-UNKNOWN", f"kind not allowed for a {role}", _short(kind), "one of " + ", ".join(allowed))
            return
        if any(value.get(f) is not None and not isinstance(value.get(f), str) for f in ("mention", "entity")):
            return  # a non-string reference is a SCHEMA problem already
        for problem in attribution_problems(value, role, self.mention_ids, self.entity_ids):
            rule = "REF-DANGLING" if problem.problem == "dangling" else "REF-SHAPE"
            found = "null" if problem.found is None else _short(problem.found)
            self.add(f"{path}.{problem.field}", rule, problem.message, found, problem.expected)

    def check_quotes(self) -> None:
        for path, quote in self.items("quotes"):
            self.fragments(f"{path}.fragments", quote.get("fragments"))
            if isinstance(quote.get("cue"), dict):
                self.span(f"{path}.cue", quote["cue"])
            self.label(f"{path}.type", quote.get("type"), self.inv.quote_types, "quote type")
            self.attribution(f"{path}.speaker", quote.get("speaker"), "speaker")

    def check_claims(self) -> None:
        quote_ids = {q.get("id") for _, q in self.items("quotes") if isinstance(q.get("id"), str)}
        for path, claim in self.items("claims"):
            self.fragments(f"{path}.fragments", claim.get("fragments"))
            self.attribution(f"{path}.claimant", claim.get("claimant"), "claimant")
            link = claim.get("quote")
            if isinstance(link, str) and link not in quote_ids:
                self.add(f"{path}.quote", "REF-DANGLING", "claim links to a quote that does not exist", _short(link), "an id in $.quotes or null")

    def check_absent_layers(self) -> None:
        provenance = self.doc.get("provenance")
        layers = provenance.get("layers") if isinstance(provenance, dict) else None
        if not isinstance(layers, dict):
            return
        members = {"mentions": ("entities", "mentions"), "quotes": ("quotes",), "claims": ("claims",)}
        for layer, keys in members.items():
            record = layers.get(layer)
            if isinstance(record, dict) and record.get("status") == "absent":
                for key in keys:
                    if isinstance(self.doc.get(key), list) and self.doc[key]:
                        self.add(f"$.{key}", "LAYER-ABSENT", f"layer {layer} is marked absent but has items",
                                 f"{len(self.doc[key])} items", "status gold/silver/draft, or no items")


def _inside_word(text: str, offset: int) -> bool:
    """True when letters or digits stand on both sides of `offset` ('it' cut out of 'Additionally')."""
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def _plural_ending(text: str, end: int) -> bool:
    """True when only a plural ending follows the span in its word ('Boeing 747' in 'Boeing 747s', 'iPod Touch' in
    'iPod Touches'; guidelines 7A A6b)."""
    for ending in ("s", "es"):
        if text[end:end + len(ending)] == ending and not text[end + len(ending):end + len(ending) + 1].isalnum():
            return True
    return False


def _splits_character(text: str, offset: int) -> bool:
    """True when `offset` falls before a combining or spacing mark (Mn, Mc, Me) or between CR and LF."""
    if offset <= 0 or offset >= len(text):
        return False
    if text[offset - 1] == "\r" and text[offset] == "\n":
        return True
    return unicodedata.combining(text[offset]) != 0 or unicodedata.category(text[offset]) in ("Mn", "Mc", "Me")


def _offset_hint(text: str, surface: str, start: int) -> str | None:
    """Say where the surface string really is, to help fix shifted offsets."""
    if not surface:
        return None
    nearest = None
    index = text.find(surface)
    while index != -1:
        if nearest is None or abs(index - start) < abs(nearest - start):
            nearest = index
        index = text.find(surface, index + 1)
    if nearest is None:
        return "the surface string does not occur in the text"
    return f"it occurs at [{nearest}, {nearest + len(surface)})"


def _json_path(error) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


@lru_cache(maxsize=1)
def _fast_schema_check():
    """A compiled schema check (fastjsonschema, ~15x faster) used only to skip clean documents.

    It answers valid/invalid; any document it rejects goes through jsonschema, which alone
    writes the problems, so the report is the same with or without it. None if not installed.
    """
    try:
        import fastjsonschema
    except ImportError:
        return None
    schema = json.loads(schema_path("document.schema.json").read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema, use_formats=False, use_default=False)


def _schema_problems(doc: dict, file: str) -> list[Problem]:
    fast = _fast_schema_check()
    if fast is not None:
        try:
            fast(doc)
            return []
        except Exception:  # rejected (or not understood): let jsonschema say exactly why
            pass
    doc_id = doc.get("id") if isinstance(doc.get("id"), str) else "?"
    problems = []
    for error in sorted(_schema_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        found = None if error.validator in ("required", "additionalProperties") else _short(error.instance)
        expected = {
            "type": f"type {error.validator_value}",
            "pattern": f"a string matching {error.validator_value}",
            "minimum": f">= {error.validator_value}",
            "minItems": f"at least {error.validator_value} item(s)",
            "minLength": f"at least {error.validator_value} character(s)",
        }.get(error.validator)
        message = error.message if len(error.message) < 200 else error.message[:197] + "..."
        problems.append(Problem(file, doc_id, _json_path(error), "SCHEMA", message, found, expected))
    return problems


def validate_document(doc, file: str = "<memory>", inventory: Inventory | None = None) -> list[Problem]:
    """All problems of one parsed document: schema first, then the semantic rules."""
    if not isinstance(doc, dict):
        return [Problem(file, "?", "$", "SCHEMA", "a document must be a JSON object", type(doc).__name__, "object")]
    inventory = inventory or load_inventory()
    return _schema_problems(doc, file) + _Checker(doc, file, inventory).run()


class _NotJSON(ValueError):
    """NaN, Infinity or -Infinity in a JSON text."""


def _reject_constant(name: str):
    raise _NotJSON(name)


#: what `_parse` returns for a document it could not parse (JSON `null` parses to None)
NOT_PARSED = object()


def _parse(data: bytes, file: str, doc_hint: str = "?") -> tuple[object, list[Problem]]:
    """Decode and parse one JSON text; `doc_hint` names the document when it cannot be parsed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return NOT_PARSED, [Problem(file, doc_hint, "$", "FILE-ENCODING", f"not UTF-8 at byte {exc.start}",
                                    _short(data[exc.start:exc.start + 4]), "UTF-8")]
    try:
        return json.loads(text, parse_constant=_reject_constant), []
    except _NotJSON as exc:
        return NOT_PARSED, [Problem(file, doc_hint, "$", "JSON-SYNTAX", f"{exc} is not JSON (NaN and Infinity are JavaScript)",
                                    str(exc), "a JSON number")]
    except RecursionError:
        return NOT_PARSED, [Problem(file, doc_hint, "$", "JSON-SYNTAX", "nested too deeply to read", "deep nesting",
                                    "a document nested a few levels deep")]
    except json.JSONDecodeError as exc:
        truncated = not text.rstrip().endswith(("}", "]"))
        found = "end of file" if truncated else _short(text[exc.pos:exc.pos + 20])
        expected = "a complete JSON document (the file seems truncated)" if truncated else "valid JSON"
        return NOT_PARSED, [Problem(file, doc_hint, "$", "JSON-SYNTAX", f"{exc.msg} (line {exc.lineno}, column {exc.colno})", found, expected)]
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        return NOT_PARSED, [Problem(file, doc_hint, "$", "JSON-SYNTAX", f"unreadable number: {str(exc)[:120]}", "a huge number",
                                    "numbers of ordinary size")]


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders (recursively, sorted) into .json and .jsonl files.

    A corpus folder (one with a `documents/` subfolder, like corpus/) stands for its documents:
    its raw inputs (corpus/raw/, which may hold upstream JSON such as GUM records) and other
    metadata files are not canonical documents and are not validated as such.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and (path / "documents").is_dir():
            path = path / "documents"
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (child.suffix in (".json", ".jsonl") and not child.name.startswith(".")
                        and (child.is_file() or (child.is_symlink() and not child.exists()))):
                    yield child  # a dangling link is reported, not skipped
        else:
            yield path


def iter_documents(path: Path) -> Iterator[tuple[str, object, list[Problem]]]:
    """Parsed documents of one file as (location, doc or NOT_PARSED, parse problems); JSONL gives one per line."""
    try:
        if path.suffix == ".jsonl":
            with path.open("rb") as fh:
                for number, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    where = f"{path}:{number}"
                    doc, problems = _parse(line, where)
                    yield where, doc, problems
        else:
            where = str(path)
            doc, problems = _parse(path.read_bytes(), where, f"{path.stem} (from the file name)")
            yield where, doc, problems
    except OSError as exc:
        yield str(path), NOT_PARSED, [Problem(str(path), f"{path.stem} (from the file name)", "$", "FILE-READ",
                                              f"cannot read the file: {exc.strerror or exc}", type(exc).__name__,
                                              "a readable file")]


@dataclass
class ValidationSummary:
    files: int = 0
    documents: int = 0
    errors: int = 0
    warnings: int = 0
    truncated: bool = False


def validate_paths(paths: Iterable[str | Path], inventory: Inventory | None = None,
                   progress=None, max_errors: int | None = None) -> Iterator[Problem | ValidationSummary]:
    """Validate every document under `paths`, yielding problems as found and a summary last.

    Streams: one document is in memory at a time, so silver corpora of any size can be checked.
    With `max_errors`, stops after the document holding that many errors (summary.truncated).
    """
    inventory = inventory or load_inventory()
    summary = ValidationSummary()
    ids_by_container: dict[str, dict[str, str]] = {}
    for path in iter_input_files(paths):
        summary.files += 1
        for where, doc, problems in iter_documents(path):
            if doc is not NOT_PARSED:
                summary.documents += 1
                problems = validate_document(doc, where, inventory)
                doc_id = doc.get("id") if isinstance(doc, dict) else None
                if isinstance(doc_id, str):
                    if path.suffix == ".json" and path.stem != doc_id:
                        problems.append(Problem(where, doc_id, "$.id", "FILE-NAME", "file name does not match the document id",
                                                path.name, f"{doc_id}.json"))
                    container = str(path if path.suffix == ".jsonl" else path.parent)
                    seen = ids_by_container.setdefault(container, {})
                    if doc_id in seen:
                        problems.append(Problem(where, doc_id, "$.id", "DOC-ID-DUPLICATE", "document id already used",
                                                f"also in {seen[doc_id]}", "ids unique per folder / JSONL file"))
                    else:
                        seen[doc_id] = where
            for problem in problems:
                if problem.level == ERROR:
                    summary.errors += 1
                else:
                    summary.warnings += 1
                yield problem
            if progress is not None:
                progress.update(1)
            if max_errors is not None and summary.errors >= max_errors:
                summary.truncated = True
                yield summary
                return
    yield summary
