"""The hand-made data the GUM importer reads: the Wikipedia type table and per-document overrides.

Both live in annotation/gum/ as JSON so that every hand decision is data, reviewable in a diff
and recorded in the provenance of the documents it changes. Each override says `why`. Spans
are written as {start, end, text} and checked against the record text when applied, so an
override that no longer fits the data fails loudly instead of shifting silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.inventory import load_inventory
from ..core.jsonfile import read_json, regular_file_problem
from ..core.problems import Problem, ProblemError

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


@dataclass(frozen=True)
class _At:
    """Where in the data files a check looks: the file, the GUM document and the field."""

    file: str
    doc_id: str | None = None
    path: str | None = None

    def at(self, path: str) -> _At:
        return _At(self.file, self.doc_id, path if self.path is None else f"{self.path}{path}")

    def fail(self, message: str) -> ProblemError:
        """IMPORT-DATA-INVALID at this place."""
        return ProblemError([Problem("IMPORT-DATA-INVALID", message, file=self.file, doc_id=self.doc_id, path=self.path)])


def _check_why(where: _At, item: object) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("why"), str) or not item["why"].strip():
        raise where.fail("every override needs a non-empty 'why' saying what was wrong")


def _check_span(where: _At, span: object) -> None:
    if span is None:
        return
    if not (isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int)
            and isinstance(span.get("text"), str) and span["start"] < span["end"]):
        raise where.fail("a span must be {\"start\": int, \"end\": int, \"text\": str} with start < end")


def _parse_table(table: object, where: _At, labels: set[str]) -> tuple[dict[str, str], list[str]]:
    """entity_types.json: (Wikipedia title -> entity type, titles that are not names)."""
    if not isinstance(table, dict) or not isinstance(table.get("types"), dict):
        raise where.fail("expected an object with 'types' ({label: [Wikipedia titles]}) and 'not_names'")
    types_by_title: dict[str, str] = {}
    for label, titles in table["types"].items():
        if label not in labels:
            raise where.at(f"types.{label}").fail(f"unknown entity type (expected one of {', '.join(sorted(labels))})")
        if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
            raise where.at(f"types.{label}").fail("expected a list of Wikipedia titles")
        for title in titles:
            if title in types_by_title:
                raise where.at(f"types.{label}").fail(f"title {title!r} is also listed under {types_by_title[title]}")
            types_by_title[title] = label
    not_names = table.get("not_names", [])
    if not isinstance(not_names, list) or not all(isinstance(t, str) for t in not_names):
        raise where.at("not_names").fail("not_names must be a list of Wikipedia titles")
    return types_by_title, not_names


def _section(entry: dict, name: str, where: _At) -> dict:
    value = entry.get(name, {})
    if not isinstance(value, dict):
        raise where.at(name).fail("expected an object")
    return value


def _quotes_section(entry: dict, where: _At) -> list:
    value = entry.get("quotes", [])
    if not isinstance(value, list):
        raise where.at("quotes").fail("expected a list")
    return value


def _check_mention_override(where: _At, item: dict) -> None:
    _check_why(where, item)
    if not ({"name", "drop", "entity"} & set(item)):
        raise where.fail("a mention override sets 'name' (a span or null), 'drop': true or 'entity'")
    _check_span(where.at(".name"), item.get("name"))


def _check_entity_override(where: _At, item: dict, labels: set[str]) -> None:
    _check_why(where, item)
    if "type" in item and item["type"] not in labels:
        raise where.fail(f"unknown entity type {item['type']!r} (expected one of {', '.join(sorted(labels))})")
    if not ({"type", "keep", "drop", "merge_into", "kb_id"} & set(item)):
        raise where.fail("an entity override sets 'type', 'kb_id', 'keep': true, 'drop': true or 'merge_into'")
    kb_id = item.get("kb_id")
    if "kb_id" in item and not (kb_id is None or (isinstance(kb_id, str) and kb_id.startswith("wikipedia:"))):
        raise where.fail("kb_id must be null or 'wikipedia:<title>'")


def _check_added_quote(where: _At, item: dict) -> None:
    _check_why(where, item)
    for required in ("fragments", "cue", "speaker", "type"):
        if required not in item:
            raise where.fail(f"an added quote needs '{required}'")
    _check_quote_fields(where, item)


def _parse_document(doc_id: str, entry: object, where: _At, labels: set[str]) -> DocOverrides:
    """One document's overrides, every item checked."""
    if not isinstance(entry, dict):
        raise where.fail("expected an object with mentions, entities, attributions, quotes")
    unknown = set(entry) - {"mentions", "entities", "attributions", "quotes"}
    if unknown:
        raise where.fail(f"unknown section(s) {', '.join(sorted(unknown))} (expected mentions, entities, attributions, "
                         "quotes)")
    mentions = _section(entry, "mentions", where)
    entities = _section(entry, "entities", where)
    attributions = _section(entry, "attributions", where)
    quotes = _quotes_section(entry, where)
    for mid, item in mentions.items():
        _check_mention_override(where.at(f"mentions.{mid}"), item)
    for eid, item in entities.items():
        _check_entity_override(where.at(f"entities.{eid}"), item, labels)
    for aid, item in attributions.items():
        _check_why(where.at(f"attributions.{aid}"), item)
        _check_quote_fields(where.at(f"attributions.{aid}"), item)
    for i, item in enumerate(quotes):
        _check_added_quote(where.at(f"quotes[{i}]"), item)
    return DocOverrides(dict(mentions), dict(entities), dict(attributions), tuple(quotes))


def parse_data(table: object, overrides: object, table_path: str = TABLE_FILE,
               overrides_path: str = OVERRIDES_FILE) -> GumData:
    """Check the shape of both files and build the lookup the conversion uses."""
    labels = set(load_inventory().entity_types)
    types_by_title, not_names = _parse_table(table, _At(table_path), labels)
    docs = overrides.get("documents") if isinstance(overrides, dict) else None
    if not isinstance(docs, dict):
        raise _At(overrides_path).fail("expected an object with 'documents' ({GUM doc id: {mentions, entities, "
                                       "attributions, quotes}})")
    documents = {doc_id: _parse_document(doc_id, entry, _At(overrides_path, doc_id), labels)
                 for doc_id, entry in docs.items()}
    version = table.get("version", "?") if isinstance(table, dict) else "?"
    return GumData(types_by_title, frozenset(not_names), documents, str(version),
                   str(overrides.get("version", "?")) if isinstance(overrides, dict) else "?", table_path, overrides_path)


def _check_quote_fields(where: _At, item: dict) -> None:
    if "fragments" in item:
        if not isinstance(item["fragments"], list) or not item["fragments"]:
            raise where.at(".fragments").fail("fragments must be a non-empty list of spans")
        for k, span in enumerate(item["fragments"]):
            _check_span(where.at(f".fragments[{k}]"), span)
    if "cue" in item:
        _check_span(where.at(".cue"), item["cue"])
    if "type" in item and item["type"] not in QUOTE_TYPES:
        raise where.at(".type").fail(f"type must be one of {', '.join(QUOTE_TYPES)}, found {item['type']!r}")
    if "speaker" in item:
        speaker = item["speaker"]
        ok = speaker == "unknown" or (isinstance(speaker, str) and speaker) or (
            isinstance(speaker, dict) and isinstance(speaker.get("entity"), str))
        if not ok:
            raise where.at(".speaker").fail("speaker must be a GUM mention id, {\"entity\": GUM entity id} or \"unknown\"")


def _read_data_file(path: Path, hint: str) -> object:
    """One data file, read strictly; a missing or unreadable one says which folder the importer needs."""
    problem = regular_file_problem(path)
    if problem is not None:
        raise ProblemError([replace(problem, message=f"{problem.message}; {hint}")])
    return read_json(path, f"the GUM importer's {path.name}", hint)


def load_data(folder: str | Path, display: str | None = None) -> GumData:
    """Read annotation/gum/entity_types.json and overrides.json from `folder`.

    `display` is how the folder is named in provenance and messages (annotation/gum for the
    repository's own data), so that documents do not record a machine's absolute paths.
    """
    folder = Path(folder)
    hint = (f"the GUM importer needs {TABLE_FILE} and {OVERRIDES_FILE} (pass --data DIR, normally annotation/gum "
            "of the repository)")
    parsed = [_read_data_file(folder / name, hint) for name in (TABLE_FILE, OVERRIDES_FILE)]
    shown = display if display is not None else folder.as_posix()
    return parse_data(parsed[0], parsed[1], f"{shown}/{TABLE_FILE}", f"{shown}/{OVERRIDES_FILE}")
