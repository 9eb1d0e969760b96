"""Canonical document <-> release rows: pure conversions, one per config, and their inverse.

Rows are handed to Arrow with the config's schema, which fills absent optional fields with
nulls and ignores keys that are not columns. A document whose license forbids redistribution
keeps its offsets and `text_sha256` but loses `text` and every span's surface text
(`withhold=True`).
"""

from __future__ import annotations

from ..core.document import SCHEMA_VERSION

#: layers in document order (the order of `provenance.layers` and of the `producers` rows of a document)
LAYERS = ("mentions", "quotes", "claims")


def uid(doc_id: str | None, item_id: str | None) -> str | None:
    """The release-wide id of an item: `<doc_id>/<id>` (neither may contain `/`), or None without an item."""
    return None if doc_id is None or item_id is None else f"{doc_id}/{item_id}"


def is_redistributable(doc: dict) -> bool:
    """Whether the article text may be published (metadata.license.redistributable)."""
    return bool(doc["metadata"]["license"]["redistributable"])


def _withheld_span(span: dict | None) -> dict | None:
    return None if span is None else {"start": span["start"], "end": span["end"], "text": None}


def withheld_copy(doc: dict) -> dict:
    """The document as a release shows it when its text may not be redistributed: offsets and
    `text_sha256` kept, `text` and every span's surface text null."""
    return {
        **doc,
        "text": None,
        "mentions": [{**m, "text": None} for m in doc["mentions"]],
        "quotes": [{**q, "fragments": [_withheld_span(f) for f in q["fragments"]], "cue": _withheld_span(q.get("cue"))}
                   for q in doc["quotes"]],
        "claims": [{**c, "fragments": [_withheld_span(f) for f in c["fragments"]]} for c in doc["claims"]],
    }


def document_row(doc: dict, withhold: bool) -> dict:
    """The `documents` row of a (validated) canonical document.

    The canonical document already has the row's shape: Arrow takes the columns and struct
    fields the schema declares (`schema_version` is not a column) and turns optional fields
    that are absent into nulls, so no copy is made unless the text must be withheld.
    """
    return withheld_copy(doc) if withhold else doc


def flat_rows(doc: dict, withhold: bool, split: str | None = None) -> dict[str, list[dict]]:
    """Rows of the flat configs (`entities`, `mentions`, `quotes`, `claims`, `producers`) of one document,
    each with its doc id, release-wide `uid`, references as uids, the speaker/claimant resolved to an
    entity id and name, and the document's `split`.

    This is the reference implementation, one document at a time in Python; `flat.flat_tables` builds
    the same rows with Arrow compute, and `wsw release --verify` checks the two agree (through
    `expected.ExpectedFlat`, the same values gathered column by column, which a test holds equal to these rows).
    """
    if withhold:
        doc = withheld_copy(doc)
    doc_id = doc["id"]
    entities = {e["id"]: e for e in doc["entities"]}
    mention_entity = {m["id"]: m["entity"] for m in doc["mentions"]}

    def resolve(value: dict) -> tuple[str | None, str | None]:
        kind = value["kind"]
        entity_id = mention_entity.get(value.get("mention")) if kind == "mention" else \
            value.get("entity") if kind == "entity" else None
        entity = entities.get(entity_id)
        return entity_id, (entity["name"] if entity else None)

    def mention_uid(value: dict) -> str | None:
        return uid(doc_id, value.get("mention")) if value["kind"] == "mention" else None

    base = {"doc_id": doc_id, "split": split}
    rows: dict[str, list[dict]] = {
        "entities": [{**e, **base, "uid": uid(doc_id, e["id"])} for e in doc["entities"]],
        "mentions": [],
        "quotes": [],
        "claims": [],
        "producers": [],
    }
    for m in doc["mentions"]:
        entity = entities.get(m["entity"]) or {}
        rows["mentions"].append({**m, **base, "uid": uid(doc_id, m["id"]), "entity_name": entity.get("name"),
                                 "entity_kb_id": entity.get("kb_id"), "entity_uid": uid(doc_id, m["entity"])})
    for q in doc["quotes"]:
        entity_id, name = resolve(q["speaker"])
        rows["quotes"].append({**q, **base, "uid": uid(doc_id, q["id"]), "speaker_entity": entity_id,
                               "speaker_name": name, "speaker_mention_uid": mention_uid(q["speaker"]),
                               "speaker_entity_uid": uid(doc_id, entity_id)})
    for c in doc["claims"]:
        entity_id, name = resolve(c["claimant"])
        rows["claims"].append({**c, **base, "uid": uid(doc_id, c["id"]), "claimant_entity": entity_id,
                               "claimant_name": name, "claimant_mention_uid": mention_uid(c["claimant"]),
                               "claimant_entity_uid": uid(doc_id, entity_id), "quote_uid": uid(doc_id, c.get("quote"))})
    for layer in LAYERS:
        record = doc["provenance"]["layers"][layer]
        for position, producer in enumerate(record["producers"]):
            rows["producers"].append({**producer, **base, "layer": layer, "position": position,
                                      "uid": f"{doc_id}/{layer}/{position}", "status": record["status"]})
    return rows


# -- the inverse: a `documents` row back to a canonical document --------------------------------------

def _drop_none(record: dict, keep: tuple[str, ...] = ()) -> dict:
    return {k: v for k, v in record.items() if v is not None or k in keep}


def _attribution(value: dict) -> dict:
    """A speaker or claimant of a row: its set fields only (`kind` and one of `mention`/`entity`, or `kind` alone)."""
    return {k: v for k, v in value.items() if v is not None}


def _entity(entity: dict) -> dict:
    """An entity of a row: every field but a null id, type or name (`kb_id` is kept even when null)."""
    if entity["id"] is None or entity["type"] is None or entity["name"] is None:
        return _drop_none(entity, keep=("kb_id",))
    return entity


def _producer(row: dict) -> dict:
    """A producer record of a row: the four original fields always, the optional ones only when set."""
    return {k: v for k, v in row.items() if v is not None or k in ("kind", "id", "version", "role")}


def _metadata(row_metadata: dict) -> dict:
    """The canonical `metadata` of a row's: optional fields only where set."""
    meta = dict(row_metadata)
    metadata = {k: meta[k] for k in ("title", "outlet", "url", "published", "language")}
    if meta.get("authors"):
        metadata["authors"] = list(meta["authors"])
    metadata["license"] = _drop_none(meta["license"], keep=("url",))
    if meta.get("annotation_license") is not None:
        metadata["annotation_license"] = _drop_none(meta["annotation_license"], keep=("url",))
    if meta.get("text_origin") is not None:
        metadata["text_origin"] = meta["text_origin"]
    return metadata


def _layer(record: dict) -> dict:
    """The canonical provenance record of one layer of a row."""
    layer = {"status": record["status"], "producers": [_producer(p) for p in record["producers"]]}
    for key in ("guidelines_version", "created", "updated", "lead_time_seconds", "notes"):
        if record.get(key) is not None:
            layer[key] = record[key]
    if record.get("changes"):
        layer["changes"] = list(record["changes"])
    return layer


def document_from_row(row: dict) -> dict:
    """The canonical document of a `documents` row (text null where withheld), valid per the schema.

    Optional fields that are null in the row are left out, as the canonical writers do; use
    `normalise_document` on the original to compare. The row's mentions, spans and entities that
    need no change are taken over, not copied (rows read from Parquet are fresh objects; this is on
    the path of every row `--verify` checks).
    """
    metadata = _metadata(row["metadata"])
    source = row["provenance"]["source"]
    layers = {name: _layer(record) for name, record in row["provenance"]["layers"].items()}
    return {
        "schema_version": SCHEMA_VERSION,
        "id": row["id"],
        "text": row["text"],
        "text_sha256": row["text_sha256"],
        "metadata": metadata,
        "provenance": {"source": {"raw_file": source["raw_file"], "raw_sha256": source["raw_sha256"],
                                  "importer": source["importer"], "cleaning": list(source["cleaning"] or []),
                                  "derived_from": source["derived_from"]},
                       "layers": layers},
        "entities": [_entity(e) for e in row["entities"]],
        "mentions": list(row["mentions"]),
        "quotes": [{"id": q["id"], "fragments": q["fragments"], "cue": q["cue"], "speaker": _attribution(q["speaker"]),
                    "type": q["type"]} for q in row["quotes"]],
        "claims": [{"id": c["id"], "fragments": c["fragments"], "claimant": _attribution(c["claimant"]),
                    "quote": c["quote"], "check_worthy": c["check_worthy"]} for c in row["claims"]],
    }


def as_arrow_rows(rows: list[dict], config: str) -> list[dict]:
    """Rows as they read back from Parquet: every column and struct field present, nulls filled."""
    import pyarrow as pa

    from .features import SCHEMAS

    return pa.Table.from_pylist(rows, schema=SCHEMAS[config]).to_pylist()


def normalise_document(doc: dict) -> dict:
    """A canonical document as it comes back from a release row (null optional fields dropped)."""
    return document_from_row(as_arrow_rows([document_row(doc, withhold=doc.get("text") is None)], "documents")[0])
