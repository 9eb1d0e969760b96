"""Release rows to `Layers` with pyarrow compute: no Python object per span, bounded memory.

A record batch of the release's `documents` config holds the layers as lists of structs. Each
list column is flattened with its parent indices; labels become codes with `index_in` against
the inventory; id references become rows with `index_in` on "row<US>id" keys, so a mention's
entity, a speaker's mention and a claim's quote resolve inside their own document.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..inventory import Inventory
from .layers import NONE, Layers, Mentions, Passages

_SEP = "\x1f"


class MalformedGold(ValueError):
    """A gold row that cannot be scored (unknown label, dangling reference); names row and field."""

    def __init__(self, row: int, field: str, detail: str):
        super().__init__(f"{field}: {detail}")
        self.row, self.field, self.detail = row, field, detail


def _codes(values: pa.Array, labels: tuple[str, ...], parent: np.ndarray, field: str, allow_null: bool = False) -> np.ndarray:
    codes = pc.index_in(values, value_set=pa.array(labels, type=pa.string()))
    bad = pc.and_(pc.is_null(codes), pc.is_valid(values)) if allow_null else pc.is_null(codes)
    if pc.any(bad).as_py():
        k = int(np.flatnonzero(bad.to_numpy(zero_copy_only=False))[0])
        raise MalformedGold(int(parent[k]), field, f"{values[k].as_py()!r} is not one of {', '.join(labels)}")
    return pc.fill_null(codes, NONE).to_numpy(zero_copy_only=False).astype(np.int32)


def _keys(parent: np.ndarray, ids: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(pc.cast(pa.array(parent, type=pa.int64()), pa.string()), ids, _SEP)


def _rows(parent: np.ndarray, ids: pa.Array, targets: pa.Array, offset: int, field: str, required: bool) -> np.ndarray:
    """Row of the item each id names in the same document (NONE for null ids)."""
    found = pc.index_in(_keys(parent, ids), value_set=targets)
    dangling = pc.and_(pc.is_null(found), pc.is_valid(ids))
    if required:
        dangling = pc.or_(dangling, pc.is_null(ids))
    if pc.any(dangling).as_py():
        k = int(np.flatnonzero(dangling.to_numpy(zero_copy_only=False))[0])
        raise MalformedGold(int(parent[k]), field, f"{ids[k].as_py()!r} names no item of the document")
    rows = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(rows >= 0, rows + offset, NONE).astype(np.int32)


def _flat(column: pa.Array) -> tuple[np.ndarray, pa.StructArray]:
    """Parent row of each list item, and the items."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    parent = pc.list_parent_indices(column).to_numpy(zero_copy_only=False).astype(np.int64)
    return parent, pc.list_flatten(column)


class _Fields(dict):
    """Fields of a struct array; a field the file's schema lacks reads as all null."""

    def __init__(self, struct: pa.StructArray):
        super().__init__(zip([f.name for f in struct.type], struct.flatten()))
        self.length = len(struct)

    def __missing__(self, name: str) -> pa.Array:
        return pa.nulls(self.length, type=pa.string())


def _fields(struct: pa.StructArray) -> _Fields:
    """Fields of a struct array with the struct's own nulls merged in."""
    return _Fields(struct)


def _int(values: pa.Array) -> np.ndarray:
    return pc.fill_null(values, NONE).to_numpy(zero_copy_only=False).astype(np.int32)


class ArrowLayersBuilder:
    """Accumulates `Layers` from record batches of the `documents` config."""

    def __init__(self, inventory: Inventory, n_docs: int):
        self.inv = inventory
        self.n_docs = n_docs
        self.parts: dict[str, list[np.ndarray]] = {}
        self.offsets = {"entities": 0, "mentions": 0, "quotes": 0, "claims": 0}
        self.annotated = {layer: np.ones(n_docs, dtype=bool) for layer in ("mentions", "quotes", "claims")}

    def _keep(self, name: str, values: np.ndarray) -> None:
        self.parts.setdefault(name, []).append(values)

    def add(self, batch: pa.RecordBatch, doc_index: np.ndarray) -> None:
        """Append one batch; `doc_index[r]` is the gold index of the batch's row r."""
        inv, off = self.inv, self.offsets
        ent_parent, entities = _flat(batch.column("entities"))
        ent_keys = _keys(ent_parent, _fields(entities)["id"])
        self._keep("entity_doc", doc_index[ent_parent].astype(np.int32))

        m_parent, mentions = _flat(batch.column("mentions"))
        m = _fields(mentions)
        m_entity = _rows(m_parent, m["entity"], ent_keys, off["entities"], "mentions.entity", True)
        for name, values in (("m_doc", doc_index[m_parent].astype(np.int32)), ("m_start", _int(m["start"])),
                             ("m_end", _int(m["end"])), ("m_type", _codes(m["type"], inv.entity_types, m_parent, "mentions.type")),
                             ("m_kind", _codes(m["kind"], inv.mention_kinds, m_parent, "mentions.kind")),
                             ("m_entity", m_entity)):
            self._keep(name, values)
        m_keys = _keys(m_parent, m["id"])

        q_parent, quotes = _flat(batch.column("quotes"))
        q_keys = _keys(q_parent, _fields(quotes)["id"])
        for layer, parent, items, role in (("quotes", q_parent, quotes, "speaker"),
                                           ("claims", *_flat(batch.column("claims")), "claimant")):
            f = _fields(items)
            prefix = layer[0]
            frag_parent, fragments = _flat(f["fragments"])
            spans = _fields(fragments)
            self._keep(f"{prefix}_frag_owner", (frag_parent + off[layer]).astype(np.int32))
            self._keep(f"{prefix}_frag_start", _int(spans["start"]))
            self._keep(f"{prefix}_frag_end", _int(spans["end"]))
            source = _fields(f[role])
            kind = _codes(source["kind"], inv.attribution_kinds, parent, f"{layer}.{role}.kind")
            attr_mention = _rows(parent, source["mention"], m_keys, off["mentions"], f"{layer}.{role}.mention", False)
            attr_entity = _rows(parent, source["entity"], ent_keys, off["entities"], f"{layer}.{role}.entity", False)
            by_mention = attr_mention != NONE
            if by_mention.any():  # a speaker mention is in the same document, so in this batch
                attr_entity[by_mention] = m_entity[attr_mention[by_mention] - off["mentions"]]
            if layer == "quotes":
                cue = _fields(f["cue"])
                cue_start, cue_end = _int(cue["start"]), _int(cue["end"])
                label = _codes(f["type"], inv.quote_types, parent, "quotes.type")
                link = np.full(len(parent), NONE, dtype=np.int32)
            else:
                cue_start = cue_end = np.full(len(parent), NONE, dtype=np.int32)
                label = pc.fill_null(f["check_worthy"], False).to_numpy(zero_copy_only=False).astype(np.int32)
                link = _rows(parent, f["quote"], q_keys, off["quotes"], "claims.quote", False)
            for name, values in (("doc", doc_index[parent].astype(np.int32)), ("cue_start", cue_start),
                                 ("cue_end", cue_end), ("label", label), ("attr_kind", kind),
                                 ("attr_mention", attr_mention), ("attr_entity", attr_entity), ("link", link)):
                self._keep(f"{prefix}_{name}", values)
        status = _fields(_fields(batch.column("provenance").combine_chunks()
                                 if isinstance(batch.column("provenance"), pa.ChunkedArray)
                                 else batch.column("provenance"))["layers"])
        for layer in self.annotated:
            absent = pc.equal(_fields(status[layer])["status"], "absent")
            absent = pc.fill_null(absent, False).to_numpy(zero_copy_only=False)
            self.annotated[layer][doc_index[absent]] = False
        off["entities"] += len(entities)
        off["mentions"] += len(mentions)
        off["quotes"] += len(quotes)
        off["claims"] += len(self.parts["c_doc"][-1])  # the claims of this batch

    def _cat(self, name: str) -> np.ndarray:
        parts = self.parts.get(name)
        return np.concatenate(parts).astype(np.int32) if parts else np.zeros(0, np.int32)

    def finish(self) -> Layers:
        mentions = Mentions(*(self._cat(f"m_{k}") for k in ("doc", "start", "end", "type", "kind", "entity")))
        passages = {}
        for layer, p in (("quotes", "q"), ("claims", "c")):
            passages[layer] = Passages(
                doc=self._cat(f"{p}_doc"), frag_owner=self._cat(f"{p}_frag_owner"), frag_start=self._cat(f"{p}_frag_start"),
                frag_end=self._cat(f"{p}_frag_end"), cue_start=self._cat(f"{p}_cue_start"), cue_end=self._cat(f"{p}_cue_end"),
                label=self._cat(f"{p}_label"), attr_kind=self._cat(f"{p}_attr_kind"),
                attr_mention=self._cat(f"{p}_attr_mention"), attr_entity=self._cat(f"{p}_attr_entity"),
                link=self._cat(f"{p}_link"))
        entity_doc = self._cat("entity_doc")
        return Layers(self.n_docs, len(entity_doc), entity_doc, mentions, passages["quotes"], passages["claims"],
                      {k: v.copy() for k, v in self.annotated.items()})
