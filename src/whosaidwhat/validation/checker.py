"""The one checker of annotation layers, for gold documents and for submissions (two modes).

A canonical document (document mode) and a submission line (submission mode) carry the same
layers: entities, mentions, quotes, claims. Their shape is checked by their JSON Schema
(`schemas.py`); everything else is checked here, once, by the same code:

* both modes: offsets (SPAN-OFFSET-TYPE for 5.0, SPAN-EMPTY, SPAN-RANGE, SPAN-TEXT when a
  surface string and the text are both there), fragment order, ids unique in the document,
  labels from labels.json, and its relation rules (`relations.py`: references, attribution kinds);
* document mode only: the text itself (lone surrogates, TEXT-HASH, TEXT-MISSING), metadata dates,
  provenance labels, absent layers, MENTION-TYPE, and the warnings about span boundaries and
  unused entities;
* submission mode only: the text is the gold document's (maybe withheld, then offsets are only
  bounded by `max_offset`) and `text_sha256` must equal the gold's (SUB-TEXT-HASH).

The checks are tolerant of shapes the schema refused: a value of the wrong type is the schema's
problem, never a second one here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from ..core.document import text_sha256
from ..core.inventory import Inventory
from ..core.problems import Problem
from ..core.references import attribution_problems
from .relations import LAYER_OF, Link, relations
from .text import Graphemes, offset_hint, plural_ending

#: guidelines 2.5: `wikipedia:<English Wikipedia title>`; a title neither starts nor ends with whitespace
_KB_ID = re.compile(r"wikipedia:\S(?:.*\S)?\Z", re.DOTALL)

_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone UTF-16 half: not a character, cannot be encoded
_LAYERS = ("entities", "mentions", "quotes", "claims")
_FROM_DOCUMENT: Any = object()


def _items(doc: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    value = doc.get(key)
    if not isinstance(value, list):
        return []
    return [(f"$.{key}[{i}]", item) for i, item in enumerate(value) if isinstance(item, dict)]


def _ascii_edges(text: str, start: int, end: int) -> bool:
    """True when the code points on both sides of both span ends (those inside the text) are ASCII."""
    return (text[start] < "\x80" and text[end - 1] < "\x80" and (start == 0 or text[start - 1] < "\x80")
            and (end == len(text) or text[end] < "\x80"))


def _cuts_word(text: str, start: int, end: int, actual: str) -> bool:
    """`inside_word` at start, or at end unless only a plural ending follows (`actual` is text[start:end])."""
    return ((start > 0 and actual[0].isalnum() and text[start - 1].isalnum())
            or (end < len(text) and actual[-1].isalnum() and text[end].isalnum() and not plural_ending(text, end)))


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Run:
    """One document (or submission line) being checked: its text, its ids, the problems so far."""

    def __init__(self, checker: Checker, doc: dict[str, Any], where: dict[str, Any], text: Any,
                 flagged: frozenset[str] = frozenset()):
        self.checker, self.doc, self.where = checker, doc, where
        self.flagged = flagged  # JSON paths the schema already refused
        self.text = text
        self.graphemes = Graphemes(text) if isinstance(text, str) else None
        self.problems: list[Problem] = []
        self.items = {layer: _items(doc, layer) for layer in _LAYERS}  # (JSON path, item), made once per document
        self.ids = {kind: {item["id"] for _, item in self.items[layer] if isinstance(item.get("id"), str)}
                    for kind, layer in LAYER_OF.items()}

    def add(self, rule: str, path: str, message: str, found: Any = None, expected: Any = None) -> None:
        self.problems.append(Problem(rule, message, path=path, found=found, expected=expected, **self.where))

    # -- spans ---------------------------------------------------------------------------------
    def span(self, path: str, span: dict[str, Any]) -> bool:
        """Check one span; True when its offsets are usable."""
        start: Any = span.get("start")
        end: Any = span.get("end")
        text = self.text
        if not (type(start) is int and type(end) is int and 0 <= start < end and text is not None):
            return self.unusual_span(path, span, start, end)
        if end > len(text):
            self.add("SPAN-RANGE", path, f"span ends past the end of the {self.checker.text_name}", f"end={end}",
                     f"end <= {len(text)} (text length in code points)")
            return False
        actual = text[start:end]
        surface = span.get("text")
        if surface != actual and not (surface is None and self.checker.submission):
            self.surface(path, surface, start, actual)
        if self.checker.warnings:
            self.boundaries(path, surface, start, end, actual)
        return True

    def unusual_span(self, path: str, span: dict[str, Any], start: Any, end: Any) -> bool:
        """`span` for what is not two plain integers 0 <= start < end over a known text."""
        for name, value in (("start", start), ("end", end)):
            if isinstance(value, float):
                whole = str(int(value)) if value == value and abs(value) < 1e18 else "42"
                self.add("SPAN-OFFSET-TYPE", f"{path}.{name}", "offset written as a number with a fraction part",
                         repr(value), f"an integer such as {whole}")
        if not (_is_offset(start) and _is_offset(end)) or start < 0 or end < 0:
            return False  # the schema's problem (SPAN-OFFSET-TYPE, SPAN-RANGE) or the float above
        if start >= end:
            self.add("SPAN-EMPTY", path, "span is empty or reversed", f"start={start}, end={end}", "start < end")
            return False
        if self.text is None:
            return self.span_without_text(path, span, end)
        return self.span(path, {**span, "start": int(start), "end": int(end)})  # an int subclass: as the int

    def span_without_text(self, path: str, span: dict[str, Any], end: int) -> bool:
        limit = self.checker.max_offset
        if limit is not None and end > limit:
            self.add("SPAN-RANGE", path, "offset is larger than any text", f"end={end}", f"end <= {limit}")
            return False
        if not self.checker.submission and span.get("text") is not None and self.doc.get("text", "") is None:
            self.add("SPAN-TEXT", f"{path}.text", "text is withheld but the span carries its surface string",
                     repr(span.get("text")), "null")
        return True

    def surface(self, path: str, surface: Any, start: int, actual: str) -> None:
        """SPAN-TEXT: the span's surface string differs from text[start:end] (`actual`)."""
        hint = offset_hint(self.text, surface, start, f"the {self.checker.text_name}") if isinstance(surface, str) else None
        self.add("SPAN-TEXT", f"{path}.text", f"surface text does not match {self.checker.text_name}[start:end]"
                 + (f"; {hint}" if hint else ""), repr(surface), repr(actual))

    def boundaries(self, path: str, surface: Any, start: int, end: int, actual: str) -> None:
        """The warnings about where a span starts and ends: SPAN-SPLITS-CHAR, SPAN-WHITESPACE, SPAN-SPLITS-WORD."""
        text, graphemes = self.text, self.graphemes
        assert graphemes is not None
        if _ascii_edges(text, start, end):  # letters, digits, spaces and ASCII punctuation around both ends
            # only CR LF is one cluster of two ASCII characters: text[start] is actual[0], text[end - 1] actual[-1]
            splits_char = (actual[0] == "\n" and start > 0 and text[start - 1] == "\r") or (
                actual[-1] == "\r" and end < len(text) and text[end] == "\n")
        else:
            splits_char = graphemes.splits(start) or graphemes.splits(end)
        if splits_char:
            self.add("SPAN-SPLITS-CHAR", path, "span boundary splits a character (a grapheme cluster)",
                     f"[{start}, {end})", "boundaries between grapheme clusters (UAX #29)")
        if actual[0].isspace() or actual[-1].isspace():
            self.add("SPAN-WHITESPACE", path, "span has leading or trailing whitespace", repr(actual), "trimmed span")
        if surface == actual and _cuts_word(text, start, end, actual):
            self.add("SPAN-SPLITS-WORD", path, "span boundary falls inside a word",
                     repr(text[max(0, start - 10):end + 10]), "boundaries at word edges")

    def fragments(self, path: str, fragments: Any) -> None:
        if not isinstance(fragments, list):
            return
        usable = []
        for i, frag in enumerate(fragments):
            if isinstance(frag, dict) and self.span(f"{path}[{i}]", frag):
                usable.append((frag["start"], frag["end"]))
        for k, ((s1, e1), (s2, e2)) in enumerate(zip(usable, usable[1:]), start=1):
            if s2 < e1:
                self.add("FRAGMENT-ORDER", f"{path}[{k}]", "fragment starts before the previous one ends",
                         f"[{s2}, {e2}) after [{s1}, {e1})", f"start >= {e1}")

    # -- labels, ids, relations ----------------------------------------------------------------
    def label(self, path: str, key: str, value: Any, allowed: Sequence[str], what: str) -> None:
        """LABEL-UNKNOWN at `path`.`key` when the string `value` is not one of `allowed`."""
        if isinstance(value, str) and value not in allowed:
            self.add("LABEL-UNKNOWN", f"{path}.{key}", f"unknown {what}", repr(value), "one of " + ", ".join(allowed))

    def unique_ids(self) -> None:
        seen: dict[str, str] = {}
        for layer in _LAYERS:
            for path, item in self.items[layer]:
                item_id = item.get("id")
                if not isinstance(item_id, str):
                    continue
                if item_id in seen:
                    self.add("ID-DUPLICATE", f"{path}.id", "id already used", f"{item_id!r} (first at {seen[item_id]})",
                             "an id unique in the document")
                else:
                    seen[item_id] = path

    def reference(self, path: str, item: dict[str, Any], link: Link) -> None:
        value = item.get(link.field)
        if value is None:
            if link.required and not self.checker.submission and f"{path}.{link.field}" not in self.flagged:
                self.add("REF-DANGLING", f"{path}.{link.field}", f"a {link.source} must have a {link.field} "
                         f"(labels.json link {link.name} is required)", "null", "an id in " + self.targets(link))
            return
        if isinstance(value, str) and not any(value in self.ids[kind] for kind in link.targets):
            self.add("REF-DANGLING", f"{path}.{link.field}", f"{link.source} points to a {' or '.join(link.targets)} "
                     "that does not exist", repr(value), "an id in " + self.targets(link))

    @staticmethod
    def targets(link: Link) -> str:
        return " or ".join(f"$.{LAYER_OF[kind]}" for kind in link.targets)

    def attribution(self, item_path: str, value: Any, role: str) -> None:
        if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
            return  # the schema's problem
        path = f"{item_path}.{role}"
        kind = value["kind"]
        allowed = self.checker.relations.kinds.get(role, ())
        if kind not in allowed:
            self.add("LABEL-UNKNOWN", f"{path}.kind", f"kind not allowed for a {role}", repr(kind), "one of " + ", ".join(allowed))
            return
        if any(value.get(f) is not None and not isinstance(value.get(f), str) for f in ("mention", "entity")):
            return  # a non-string reference is a SCHEMA problem already
        for problem in attribution_problems(value, role, self.ids["mention"], self.ids["entity"]):
            rule = "REF-DANGLING" if problem.problem == "dangling" else "REF-SHAPE"
            found = "null" if problem.found is None else repr(problem.found)
            self.add(rule, f"{path}.{problem.field}", problem.message, found, problem.expected)

    def layer_items(self, layer: str) -> None:
        """Spans, labels and relations of every item of one layer."""
        checker = self.checker
        references, attributions = checker.relations.for_layer(layer)
        for path, item in self.items[layer]:
            if layer == "entities":
                self.label(path, "type", item.get("type"), checker.inventory.entity_types, "entity type")
            elif layer == "mentions":
                self.span(path, item)
                self.label(path, "type", item.get("type"), checker.inventory.entity_types, "entity type")
                self.label(path, "kind", item.get("kind"), checker.inventory.mention_kinds, "mention kind")
            else:
                self.fragments(f"{path}.fragments", item.get("fragments"))
                if isinstance(item.get("cue"), dict):
                    self.span(f"{path}.cue", item["cue"])
                if layer == "quotes":
                    self.label(path, "type", item.get("type"), checker.inventory.quote_types, "quote type")
            for link in attributions:
                self.attribution(path, item.get(link.field), link.field)
            for link in references:
                self.reference(path, item, link)

    def run_layers(self) -> None:
        self.unique_ids()
        for layer in _LAYERS:
            self.layer_items(layer)


class _DocumentRun(_Run):
    """The document-mode passes: the text, metadata, provenance, consistency and unused entities."""

    def run(self) -> list[Problem]:
        if self.check_text():
            self.check_hash()
        self.check_date()
        self.check_provenance()
        self.run_layers()
        self.check_mention_types()
        self.check_unused_entities()
        self.check_kb_ids()
        self.check_absent_layers()
        return self.problems

    def check_text(self) -> bool:
        """The text is valid Unicode, and withheld only where its license forbids redistribution."""
        if self.text is not None:
            match = _SURROGATE.search(self.text)
            if match is not None:
                bad = match.start()
                self.add("FILE-ENCODING", "$.text", f"the text holds a lone surrogate at offset {bad} (not Unicode text)",
                         f"U+{ord(self.text[bad]):04X}", "text without \\ud800-\\udfff escapes")
                self.text, self.graphemes = None, None
                return False
        metadata = self.doc.get("metadata")
        license_ = metadata.get("license") if isinstance(metadata, dict) else None
        if self.doc.get("text", "") is None and isinstance(license_, dict) and license_.get("redistributable") is True:
            self.add("TEXT-MISSING", "$.text", "text is null but the document's license allows redistribution, so no "
                     "offset can be checked", "null", "the article text (withhold only non-redistributable texts)")
        return True

    def check_hash(self) -> None:
        declared = self.doc.get("text_sha256")
        if isinstance(self.text, str) and isinstance(declared, str):
            actual = text_sha256(self.text)
            if declared != actual:
                self.add("TEXT-HASH", "$.text_sha256", "hash does not match the text (text edited without updating the hash?)",
                         declared, actual)

    def check_date(self) -> None:
        metadata = self.doc.get("metadata")
        published = metadata.get("published") if isinstance(metadata, dict) else None
        if isinstance(published, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", published):
            year, month, *day = (int(part) for part in published.split("-"))
            try:
                datetime.date(year, month, day[0] if day else 1)
            except ValueError:
                self.add("DATE-INVALID", "$.metadata.published", "not a calendar date", repr(published),
                         "YYYY, YYYY-MM or YYYY-MM-DD with a real month and day")

    def layers(self) -> dict[str, Any]:
        provenance = self.doc.get("provenance")
        layers = provenance.get("layers") if isinstance(provenance, dict) else None
        return layers if isinstance(layers, dict) else {}

    def check_provenance(self) -> None:
        inv = self.checker.inventory
        for name, record in self.layers().items():
            if not isinstance(record, dict):
                continue
            base = f"$.provenance.layers.{name}"
            self.label(base, "status", record.get("status"), inv.layer_statuses, "layer status")
            producers = record.get("producers")
            for i, producer in enumerate(producers if isinstance(producers, list) else []):
                if isinstance(producer, dict):
                    self.label(f"{base}.producers[{i}]", "kind", producer.get("kind"), inv.producer_kinds, "producer kind")

    def check_mention_types(self) -> None:
        if not self.checker.inventory.raw.get("consistency", {}).get("mention_type_equals_entity_type"):
            return
        types = {e["id"]: e.get("type") for _, e in self.items["entities"] if isinstance(e.get("id"), str)}
        for path, mention in self.items["mentions"]:
            target, own = mention.get("entity"), mention.get("type")
            if isinstance(target, str) and target in types and isinstance(own, str) and own != types[target]:
                self.add("MENTION-TYPE", f"{path}.type", f"mention type differs from the type of entity {target}",
                         repr(own), repr(types[target]))

    def check_unused_entities(self) -> None:
        used = {m.get("entity") for _, m in self.items["mentions"]}
        for path, entity in self.items["entities"]:
            if isinstance(entity.get("id"), str) and entity["id"] not in used:
                self.add("ENTITY-UNUSED", path, "entity has no mention", repr(entity["id"]), "at least one mention")

    def check_kb_ids(self) -> None:
        for path, entity in self.items["entities"]:
            kb_id = entity.get("kb_id")
            if isinstance(kb_id, str) and not _KB_ID.match(kb_id):
                self.add("KB-ID-FORMAT", f"{path}.kb_id", "kb_id is not a Wikipedia link (guidelines 2.5)", repr(kb_id),
                         "'wikipedia:<English Wikipedia title>' or null")

    def check_absent_layers(self) -> None:
        members = {"mentions": ("entities", "mentions"), "quotes": ("quotes",), "claims": ("claims",)}
        layers = self.layers()
        for layer, keys in members.items():
            record = layers.get(layer)
            if isinstance(record, dict) and record.get("status") == "absent":
                for key in keys:
                    if isinstance(self.doc.get(key), list) and self.doc[key]:
                        self.add("LAYER-ABSENT", f"$.{key}", f"layer {layer} is marked absent but has items",
                                 f"{len(self.doc[key])} items", "status gold/silver/draft, or no items")


class _SubmissionRun(_Run):
    def run(self, gold_sha: str | None) -> list[Problem]:
        sha = self.doc.get("text_sha256")
        if isinstance(sha, str) and gold_sha is not None and sha != gold_sha:
            self.add("SUB-TEXT-HASH", "$.text_sha256", "predictions were made on a different text", sha, gold_sha)
        self.run_layers()
        return self.problems


class Checker:
    """The rules below the shape, in document mode (gold) or submission mode (predictions)."""

    def __init__(self, inventory: Inventory, submission: bool = False, max_offset: int | None = None):
        self.inventory = inventory
        self.submission = submission
        self.warnings = not submission  # the warnings are about annotation quality: gold only
        self.max_offset = max_offset
        self.text_name = "gold text" if submission else "text"
        self.relations = relations(inventory)

    def document(self, doc: dict[str, Any], flagged: frozenset[str] = frozenset(), **where: Any) -> list[Problem]:
        """Problems of a parsed document; `flagged`: the paths of its schema problems (not reported twice)."""
        text = doc.get("text")
        return _DocumentRun(self, doc, where, text if isinstance(text, str) else None, flagged).run()

    def submission_line(self, line: dict[str, Any], text: Any, gold_sha: str | None, **where: Any) -> list[Problem]:
        """Problems of a submission line against its gold text (None: unknown or withheld) and hash."""
        return _SubmissionRun(self, line, where, text).run(gold_sha)


def shown_id(value: Any) -> str | None:
    """A document id as a location shows it: None unless a string, control characters escaped (an id
    ending in a newline must not split the one-line report)."""
    if not isinstance(value, str):
        return None
    return value if value.isprintable() else value.encode("unicode_escape", "backslashreplace").decode("ascii")
