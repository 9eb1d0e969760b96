"""The flat configs (entities, mentions, quotes, claims, producers) derived from a `documents` table with Arrow compute.

Vectorised: the layers are flattened out of their list columns, each item gets its document's
id, `uid` and split, and speakers/claimants are resolved to entity ids and names by joins on
(document, id). The result equals the rows `rows.flat_rows` builds one document at a time in
Python (a test and `wsw release --verify` check that), at a fraction of the cost of converting
Python rows.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .features import LAYERS, SCHEMAS

_NULL = pa.scalar(None, pa.string())


def _flatten(lists: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The items of a list array and, for each, the index of its document row."""
    return pc.list_flatten(lists), pc.list_parent_indices(lists)


def _positions(lists: pa.Array, parents: pa.Array) -> pa.Array:
    """For each flattened item, its position in its own list (0 first)."""
    if len(parents) == 0:
        return pa.array([], pa.int32())
    starts = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False).cumsum()
    starts = np.concatenate([[0], starts[:-1]])
    parent = parents.to_numpy(zero_copy_only=False)
    return pa.array(np.arange(len(parent)) - starts[parent], pa.int32())


def _uid(doc: pa.Array, item: pa.Array) -> pa.Array:
    """`<doc>/<item>`, null where the item is null (the same as `rows.uid`)."""
    return pc.binary_join_element_wise(doc, item, "/")


def _lookup(doc: pa.Array, key: pa.Array, table: pa.Table, values: list[str]) -> list[pa.Array]:
    """For each (doc, key), the `values` of the row of `table` with that (doc, id); null when absent."""
    wanted = pa.table({"doc": doc, "key": key, "row": pa.array(range(len(doc)), pa.int64())})
    if len(wanted) == 0 or len(table) == 0:
        return [pa.nulls(len(doc), table.schema.field(v).type) for v in values]
    joined = wanted.join(table, keys=["doc", "key"], right_keys=["doc", "id"], join_type="left outer",
                         use_threads=False).sort_by("row")
    return [joined.column(v).combine_chunks() for v in values]


def _resolve(doc: pa.Array, attribution: pa.Array, mentions: pa.Table, entities: pa.Table) -> tuple[pa.Array, pa.Array]:
    """Entity id and name an attribution points to (through its mention for kind `mention`)."""
    kind = pc.struct_field(attribution, "kind")
    (via_mention,) = _lookup(doc, pc.struct_field(attribution, "mention"), mentions, ["entity"])
    entity = pc.if_else(pc.equal(kind, "mention"), via_mention,
                        pc.if_else(pc.equal(kind, "entity"), pc.struct_field(attribution, "entity"), _NULL))
    (name,) = _lookup(doc, entity, entities, ["name"])
    return entity, name


def _mention_uid(doc_ids: pa.Array, attribution: pa.Array) -> pa.Array:
    """`uid` of the attribution's mention when its kind is `mention`, else null."""
    return pc.if_else(pc.equal(pc.struct_field(attribution, "kind"), "mention"),
                      _uid(doc_ids, pc.struct_field(attribution, "mention")), _NULL)


def _producers(docs: pa.Table, ids: pa.Array, splits: pa.Array) -> pa.Table:
    """One row per producer of each layer, in document order, then layer order, then list order."""
    layers = pc.struct_field(docs.column("provenance").combine_chunks(), "layers")
    parts = []
    for rank, layer in enumerate(LAYERS):
        record = pc.struct_field(layers, layer)
        lists = pc.struct_field(record, "producers")
        items, parent = _flatten(lists)
        position = _positions(lists, parent)
        doc_ids = pc.take(ids, parent)
        layer_name = pa.array([layer] * len(parent), pa.string())
        columns = {"doc_id": doc_ids, "layer": layer_name, "position": position,
                   "uid": pc.binary_join_element_wise(doc_ids, layer_name, pc.cast(position, pa.string()), "/"),
                   "status": pc.take(pc.struct_field(record, "status"), parent)}
        columns.update({name: pc.struct_field(items, name) for name in SCHEMAS["producers"].names
                        if name not in columns and name != "split"})
        columns["split"] = pc.take(splits, parent)
        parts.append(pa.table(columns, schema=SCHEMAS["producers"]).append_column(
            "_order", pa.array(np.asarray(parent.to_numpy(zero_copy_only=False), dtype=np.int64) * 3 + rank)))
    table = pa.concat_tables(parts)
    table = table.take(pc.sort_indices(table, [("_order", "ascending")]))  # stable: list order kept within a layer
    return table.drop_columns(["_order"])


def flat_tables(docs: pa.Table) -> dict[str, pa.Table]:
    """The flat configs' tables of the documents in `docs` (a `documents` table, `split` column included)."""
    ids = docs.column("id").combine_chunks()
    splits = docs.column("split").combine_chunks()
    ent, ent_doc = _flatten(docs.column("entities").combine_chunks())
    ent_ids = pc.take(ids, ent_doc)
    entities = pa.table({"doc": ent_doc, "id": pc.struct_field(ent, "id"), "name": pc.struct_field(ent, "name"),
                         "kb_id": pc.struct_field(ent, "kb_id")})
    tables = {"entities": pa.table(
        [ent_ids, pc.struct_field(ent, "id"), _uid(ent_ids, pc.struct_field(ent, "id"))]
        + [pc.struct_field(ent, f) for f in ("type", "name", "kb_id")] + [pc.take(splits, ent_doc)],
        schema=SCHEMAS["entities"])}

    men, men_doc = _flatten(docs.column("mentions").combine_chunks())
    men_ids = pc.take(ids, men_doc)
    mention_entity = pc.struct_field(men, "entity")
    mentions = pa.table({"doc": men_doc, "id": pc.struct_field(men, "id"), "entity": mention_entity})
    name, kb_id = _lookup(men_doc, mention_entity, entities, ["name", "kb_id"])
    tables["mentions"] = pa.table(
        [men_ids, pc.struct_field(men, "id"), _uid(men_ids, pc.struct_field(men, "id"))]
        + [pc.struct_field(men, f) for f in ("start", "end", "text", "type", "kind", "entity")]
        + [name, kb_id, _uid(men_ids, mention_entity), pc.take(splits, men_doc)], schema=SCHEMAS["mentions"])

    quo, quo_doc = _flatten(docs.column("quotes").combine_chunks())
    quo_ids = pc.take(ids, quo_doc)
    speaker = pc.struct_field(quo, "speaker")
    speaker_entity, speaker_name = _resolve(quo_doc, speaker, mentions, entities)
    tables["quotes"] = pa.table(
        [quo_ids, pc.struct_field(quo, "id"), _uid(quo_ids, pc.struct_field(quo, "id")), pc.struct_field(quo, "fragments"),
         pc.struct_field(quo, "cue"), speaker, speaker_entity, speaker_name, pc.struct_field(quo, "type"),
         _mention_uid(quo_ids, speaker), _uid(quo_ids, speaker_entity), pc.take(splits, quo_doc)],
        schema=SCHEMAS["quotes"])

    cla, cla_doc = _flatten(docs.column("claims").combine_chunks())
    cla_ids = pc.take(ids, cla_doc)
    claimant = pc.struct_field(cla, "claimant")
    claimant_entity, claimant_name = _resolve(cla_doc, claimant, mentions, entities)
    tables["claims"] = pa.table(
        [cla_ids, pc.struct_field(cla, "id"), _uid(cla_ids, pc.struct_field(cla, "id")), pc.struct_field(cla, "fragments"),
         claimant, claimant_entity, claimant_name, pc.struct_field(cla, "quote"), pc.struct_field(cla, "check_worthy"),
         _mention_uid(cla_ids, claimant), _uid(cla_ids, claimant_entity), _uid(cla_ids, pc.struct_field(cla, "quote")),
         pc.take(splits, cla_doc)],
        schema=SCHEMAS["claims"])

    tables["producers"] = _producers(docs, ids, splits)
    return tables
