"""The flat configs' rows that a run of documents implies, collected column by column (for the row checks).

The values are exactly those of `rows.flat_rows` (the Python reference, one dict per row, which a
test compares with this), but gathered straight into one list per column, so the tables the row
checks compare with the written Parquet files are built without a dict per row and without
`pa.Table.from_pylist` looking every column up in every row. Like `flat_rows`, this is plain Python,
independent of the Arrow compute (`flat.flat_tables`) that wrote the files.
"""

from __future__ import annotations

import pyarrow as pa

from .features import FLAT_CONFIGS, SCHEMAS
from .rows import LAYERS, uid

#: producer fields copied into each `producers` row, in column order
_PRODUCER = ("kind", "id", "version", "role", "model", "shown", "workspace")


def _withheld(span: dict | None) -> dict | None:
    return None if span is None else {"start": span["start"], "end": span["end"], "text": None}


def _fragments(item: dict, withhold: bool) -> list | None:
    return [_withheld(f) for f in item["fragments"]] if withhold else item.get("fragments")


class _Doc:
    """What resolving one document's references needs: its entities by id and each mention's entity."""

    def __init__(self, doc: dict):
        self.id = doc["id"]
        self.entities = {e["id"]: e for e in doc["entities"]}
        self.mention_entity = {m["id"]: m["entity"] for m in doc["mentions"]}

    def resolve(self, value: dict) -> tuple[str | None, str | None]:
        """Entity id and name a speaker or claimant points to (through its mention for kind `mention`)."""
        kind = value["kind"]
        entity_id = self.mention_entity.get(value.get("mention")) if kind == "mention" else \
            value.get("entity") if kind == "entity" else None
        entity = self.entities.get(entity_id)
        return entity_id, (entity["name"] if entity else None)

    def mention_uid(self, value: dict) -> str | None:
        return uid(self.id, value.get("mention")) if value["kind"] == "mention" else None


class ExpectedFlat:
    """The rows of every flat config implied by the documents added, in order, as Arrow tables."""

    def __init__(self, split: str | None):
        self.split = split
        self.items: dict[str, list[tuple]] = {config: [] for config in FLAT_CONFIGS}  # rows as tuples, column order

    def add(self, doc: dict, withhold: bool) -> None:
        """Add the rows of one document; a malformed document (KeyError, TypeError, AttributeError) adds none."""
        known = _Doc(doc)
        rows = {"entities": self._entities(doc, known), "mentions": self._mentions(doc, known, withhold),
                "quotes": self._quotes(doc, known, withhold), "claims": self._claims(doc, known, withhold),
                "producers": self._producers(doc, known)}
        for config, items in rows.items():
            self.items[config] += items

    def _entities(self, doc: dict, known: _Doc) -> list[tuple]:
        return [(known.id, e.get("id"), uid(known.id, e["id"]), e.get("type"), e.get("name"), e.get("kb_id"),
                 self.split) for e in doc["entities"]]

    def _mentions(self, doc: dict, known: _Doc, withhold: bool) -> list[tuple]:
        rows = []
        for m in doc["mentions"]:
            entity = known.entities.get(m["entity"]) or {}
            rows.append((known.id, m.get("id"), uid(known.id, m["id"]), m.get("start"), m.get("end"),
                         None if withhold else m.get("text"), m.get("type"), m.get("kind"), m.get("entity"),
                         entity.get("name"), entity.get("kb_id"), uid(known.id, m["entity"]), self.split))
        return rows

    def _quotes(self, doc: dict, known: _Doc, withhold: bool) -> list[tuple]:
        rows = []
        for q in doc["quotes"]:
            entity_id, name = known.resolve(q["speaker"])
            cue = _withheld(q.get("cue")) if withhold else q.get("cue")
            rows.append((known.id, q.get("id"), uid(known.id, q["id"]), _fragments(q, withhold), cue, q["speaker"],
                         entity_id, name, q.get("type"), known.mention_uid(q["speaker"]), uid(known.id, entity_id),
                         self.split))
        return rows

    def _claims(self, doc: dict, known: _Doc, withhold: bool) -> list[tuple]:
        rows = []
        for c in doc["claims"]:
            entity_id, name = known.resolve(c["claimant"])
            rows.append((known.id, c.get("id"), uid(known.id, c["id"]), _fragments(c, withhold), c["claimant"],
                         entity_id, name, c.get("quote"), c.get("check_worthy"), known.mention_uid(c["claimant"]),
                         uid(known.id, entity_id), uid(known.id, c.get("quote")), self.split))
        return rows

    def _producers(self, doc: dict, known: _Doc) -> list[tuple]:
        rows = []
        for layer in LAYERS:
            record = doc["provenance"]["layers"][layer]
            for position, producer in enumerate(record["producers"]):
                rows.append((known.id, layer, position, f"{known.id}/{layer}/{position}", record["status"],
                             *(producer.get(name) for name in _PRODUCER), self.split))
        return rows

    def tables(self) -> dict[str, pa.Table]:
        """config -> the rows added so far, with the config's schema."""
        tables = {}
        for config, items in self.items.items():
            schema = SCHEMAS[config]
            columns = list(zip(*items)) if items else [() for _ in schema]
            tables[config] = pa.Table.from_arrays([pa.array(list(column), f.type) for column, f in zip(columns, schema)],
                                                  schema=schema)
        return tables
