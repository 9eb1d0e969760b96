"""The hand-made data the GUM importer reads: the Wikipedia type table and per-document overrides.

Both live in annotation/gum/ as JSON so that every hand decision is data, reviewable in a diff
and recorded in the provenance of the documents it changes. Each override says `why`. Spans
are written as {start, end, text} and checked against the record text when applied, so an
override that no longer fits the data fails loudly instead of shifting silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import UserError
from ..core.inventory import load_inventory

TABLE_FILE = "entity_types.json"
OVERRIDES_FILE = "overrides.json"
QUOTE_TYPES = ("direct", "indirect", "mixed")


@dataclass(frozen=True)
class DocOverrides:
    """Hand corrections for one GUM document, keyed by GUM ids."""

    mentions: dict = field(default_factory=dict)
    entities: dict = field(default_factory=dict)
    attributions: dict = field(default_factory=dict)
    quotes: tuple = ()


@dataclass(frozen=True)
class GumData:
    """Everything hand-made the conversion reads, with the files it came from."""

    types_by_title: dict
    not_names: frozenset
    documents: dict
    table_version: str
    overrides_version: str
    table_path: str = TABLE_FILE
    overrides_path: str = OVERRIDES_FILE

    def for_doc(self, doc_id: str) -> DocOverrides:
        return self.documents.get(doc_id, DocOverrides())


def empty_data() -> GumData:
    """No tables and no overrides: the rules alone (used by tests of single rules)."""
    return GumData({}, frozenset(), {}, "none", "none")


def _fail(where: str, message: str) -> UserError:
    return UserError(f"{where}: {message}")


def _check_why(where: str, item: dict) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("why"), str) or not item["why"].strip():
        raise _fail(where, "every override needs a non-empty 'why' saying what was wrong")


def _check_span(where: str, span) -> None:
    if span is None:
        return
    if not (isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int)
            and isinstance(span.get("text"), str) and span["start"] < span["end"]):
        raise _fail(where, "a span must be {\"start\": int, \"end\": int, \"text\": str} with start < end")


def parse_data(table: dict, overrides: dict, table_path: str = TABLE_FILE,
               overrides_path: str = OVERRIDES_FILE) -> GumData:
    """Check the shape of both files and build the lookup the conversion uses."""
    labels = set(load_inventory().entity_types)
    if not isinstance(table, dict) or not isinstance(table.get("types"), dict):
        raise _fail(table_path, "expected an object with 'types' ({label: [Wikipedia titles]}) and 'not_names'")
    types_by_title: dict[str, str] = {}
    for label, titles in table["types"].items():
        if label not in labels:
            raise _fail(table_path, f"types.{label}: unknown entity type (expected one of {', '.join(sorted(labels))})")
        for title in titles:
            if title in types_by_title:
                raise _fail(table_path, f"types.{label}: title {title!r} is also listed under {types_by_title[title]}")
            types_by_title[title] = label
    not_names = table.get("not_names", [])
    if not isinstance(not_names, list) or not all(isinstance(t, str) for t in not_names):
        raise _fail(table_path, "not_names must be a list of Wikipedia titles")
    documents: dict[str, DocOverrides] = {}
    docs = overrides.get("documents") if isinstance(overrides, dict) else None
    if not isinstance(docs, dict):
        raise _fail(overrides_path, "expected an object with 'documents' ({GUM doc id: {mentions, entities, attributions, quotes}})")
    for doc_id, entry in docs.items():
        base = f"{overrides_path}: {doc_id}"
        unknown = set(entry) - {"mentions", "entities", "attributions", "quotes"}
        if unknown:
            raise _fail(base, f"unknown section(s) {', '.join(sorted(unknown))} (expected mentions, entities, attributions, quotes)")
        for mid, item in entry.get("mentions", {}).items():
            where = f"{base}: mentions.{mid}"
            _check_why(where, item)
            if not ({"name", "drop", "entity"} & set(item)):
                raise _fail(where, "a mention override sets 'name' (a span or null), 'drop': true or 'entity'")
            _check_span(where + ".name", item.get("name"))
        for eid, item in entry.get("entities", {}).items():
            where = f"{base}: entities.{eid}"
            _check_why(where, item)
            if "type" in item and item["type"] not in labels:
                raise _fail(where, f"unknown entity type {item['type']!r} (expected one of {', '.join(sorted(labels))})")
            if not ({"type", "keep", "drop", "merge_into", "kb_id"} & set(item)):
                raise _fail(where, "an entity override sets 'type', 'kb_id', 'keep': true, 'drop': true or 'merge_into'")
            if "kb_id" in item and not (item["kb_id"] is None or (isinstance(item["kb_id"], str)
                                                                 and item["kb_id"].startswith("wikipedia:"))):
                raise _fail(where, "kb_id must be null or 'wikipedia:<title>'")
        for aid, item in entry.get("attributions", {}).items():
            where = f"{base}: attributions.{aid}"
            _check_why(where, item)
            _check_quote_fields(where, item)
        for i, item in enumerate(entry.get("quotes", [])):
            where = f"{base}: quotes[{i}]"
            _check_why(where, item)
            for required in ("fragments", "cue", "speaker", "type"):
                if required not in item:
                    raise _fail(where, f"an added quote needs '{required}'")
            _check_quote_fields(where, item)
        documents[doc_id] = DocOverrides(entry.get("mentions", {}), entry.get("entities", {}),
                                         entry.get("attributions", {}), tuple(entry.get("quotes", [])))
    return GumData(types_by_title, frozenset(not_names), documents, str(table.get("version", "?")),
                   str(overrides.get("version", "?")), table_path, overrides_path)


def _check_quote_fields(where: str, item: dict) -> None:
    if "fragments" in item:
        if not isinstance(item["fragments"], list) or not item["fragments"]:
            raise _fail(where, "fragments must be a non-empty list of spans")
        for k, span in enumerate(item["fragments"]):
            _check_span(f"{where}.fragments[{k}]", span)
    if "cue" in item:
        _check_span(where + ".cue", item["cue"])
    if "type" in item and item["type"] not in QUOTE_TYPES:
        raise _fail(where, f"type must be one of {', '.join(QUOTE_TYPES)}, found {item['type']!r}")
    if "speaker" in item:
        speaker = item["speaker"]
        ok = speaker == "unknown" or (isinstance(speaker, str) and speaker) or (
            isinstance(speaker, dict) and isinstance(speaker.get("entity"), str))
        if not ok:
            raise _fail(where, "speaker must be a GUM mention id, {\"entity\": GUM entity id} or \"unknown\"")


def load_data(folder: str | Path, display: str | None = None) -> GumData:
    """Read annotation/gum/entity_types.json and overrides.json from `folder`.

    `display` is how the folder is named in provenance and messages (annotation/gum for the
    repository's own data), so that documents do not record a machine's absolute paths.
    """
    folder = Path(folder)
    parsed = []
    for name in (TABLE_FILE, OVERRIDES_FILE):
        path = folder / name
        try:
            parsed.append(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise UserError(f"{path}: not found; the GUM importer needs {TABLE_FILE} and {OVERRIDES_FILE} "
                            f"(pass --data DIR, normally annotation/gum of the repository)") from None
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    shown = display if display is not None else folder.as_posix()
    return parse_data(parsed[0], parsed[1], f"{shown}/{TABLE_FILE}", f"{shown}/{OVERRIDES_FILE}")
