"""Release rows to `Layers` with pyarrow compute: no Python object per span, bounded memory.

A record batch of the release's `documents` config holds the layers as lists of structs. Each
list column is flattened with its parent indices; labels become codes with `index_in` against
the inventory; ids and the references to them are coded through one dictionary per batch and
resolved as integer (row, code) keys, so a mention's entity, a speaker's mention and a claim's
quote resolve inside their own document.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..core.inventory import Inventory
from .layers import NONE, Layers, Mentions, Passages


class MalformedGold(ValueError):
    """A gold row that cannot be scored (unknown label, dangling reference); names row and field."""

    def __init__(self, row: int, field: str, detail: str):
        super().__init__(f"{field}: {detail}")
        self.row, self.field, self.detail = row, field, detail


# -- between Arrow and numpy through the buffers ------------------------------------------------
#
# pyarrow imports pandas the first time it converts Python or numpy objects (`pa.array`,
# `pa.scalar`, `fill_null(values, 5)`, `Array.to_numpy`): 0.2 s and 40 MB of every `wsw score`
# process, for nothing. These helpers go through the buffers instead, and the scoring path uses
# them only (tests/scoring/test_fast_path.py checks that pandas stays out).

_NUMPY_TYPES = {pa.int8(): np.int8, pa.int16(): np.int16, pa.int32(): np.int32, pa.int64(): np.int64,
                pa.uint8(): np.uint8, pa.uint16(): np.uint16, pa.uint32(): np.uint32, pa.uint64(): np.uint64}


def _bits(buffer, offset: int, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=bool)
    raw = np.frombuffer(buffer, dtype=np.uint8, count=(offset + n + 7) // 8)
    return np.unpackbits(raw, count=offset + n, bitorder="little")[offset:].astype(bool)


def _np(values: pa.Array) -> np.ndarray:
    """The values of an integer or boolean array (whatever is stored where they are null)."""
    if pa.types.is_boolean(values.type):
        return _bits(values.buffers()[1], values.offset, len(values))
    dtype = _NUMPY_TYPES[values.type]
    if len(values) == 0:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(values.buffers()[1], dtype=dtype, count=values.offset + len(values))[values.offset:]


def valid(values) -> np.ndarray:
    """True where the value is not null (for a struct or list: where it is not null itself)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if values.null_count == 0:
        return np.ones(len(values), dtype=bool)
    bitmap = values.buffers()[0]
    if bitmap is None or values.null_count == len(values):
        return np.zeros(len(values), dtype=bool)
    return _bits(bitmap, values.offset, len(values))


def ints(values, fill: int = -1) -> np.ndarray:
    """An integer (or boolean) array as int64 numpy, nulls replaced by `fill`."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_null(values.type):
        return np.full(len(values), fill, dtype=np.int64)
    out = _np(values).astype(np.int64)
    if values.null_count:
        out[~valid(values)] = fill
    return out


def bools(values, fill: bool = False) -> np.ndarray:
    """A boolean array as numpy, nulls replaced by `fill`."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_null(values.type):
        return np.full(len(values), fill, dtype=bool)
    out = _np(values)
    if values.null_count:
        out[~valid(values)] = fill
    return out


def _validity(null: np.ndarray | None):
    return None if null is None or not null.any() else pa.py_buffer(np.packbits(~null, bitorder="little"))


def bool_array(values: np.ndarray) -> pa.Array:
    """A numpy boolean array as Arrow (a filter mask)."""
    values = np.asarray(values, dtype=bool)
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(np.packbits(values, bitorder="little"))])


def int64_array(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """A numpy integer array as Arrow int64, null where `null` is True."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [_validity(null), pa.py_buffer(values)])


def string_array(values) -> pa.Array:
    """Python strings (or None) as an Arrow string array."""
    values = list(values)
    null = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    encoded = [b"" if v is None else v.encode("utf-8", "surrogatepass") for v in values]
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    if offsets[-1] < 2**31:
        return pa.Array.from_buffers(pa.string(), len(values), [_validity(null), pa.py_buffer(offsets.astype(np.int32)),
                                                                 pa.py_buffer(b"".join(encoded))])
    return pa.Array.from_buffers(pa.large_string(), len(values), [_validity(null), pa.py_buffer(offsets),
                                                                   pa.py_buffer(b"".join(encoded))])


def _codes(values: pa.Array, labels: tuple[str, ...], parent: np.ndarray, field: str, allow_null: bool = False) -> np.ndarray:
    codes = pc.index_in(values, value_set=string_array(labels))
    bad = ~valid(codes) & valid(values) if allow_null else ~valid(codes)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise MalformedGold(int(parent[k]), field, f"{values[k].as_py()!r} is not one of {', '.join(labels)}")
    return ints(codes, NONE).astype(np.int32)


class _Ids:
    """Item ids and the references to them of one batch, coded through one dictionary.

    An item is (row, id); a reference (row, id) resolves to the first item with the same row and
    id, like an index_in on "row<US>id" strings, but with integer keys and a binary search.
    """

    def __init__(self, ids: dict[str, tuple[np.ndarray, pa.Array]], refs: dict[str, tuple[np.ndarray, pa.Array]]):
        arrays = [a.cast(pa.string()) for _, a in ids.values()] + [a.cast(pa.string()) for _, a in refs.values()]
        encoded = pc.dictionary_encode(pa.concat_arrays(arrays)) if arrays else None
        codes = ints(encoded.indices, -1) if encoded is not None else np.zeros(0, np.int64)
        self.width = (len(encoded.dictionary) if encoded is not None else 0) + 1
        self.targets, self.refs, start = {}, {}, 0
        for name, (parent, values) in ids.items():
            key = parent * self.width + codes[start:start + len(values)]
            order = np.argsort(key, kind="stable")
            self.targets[name] = (key[order], order)
            start += len(values)
        for name, (parent, values) in refs.items():
            self.refs[name] = (parent, values, codes[start:start + len(values)])
            start += len(values)

    def rows(self, ref: str, target: str, offset: int, field: str, required: bool) -> np.ndarray:
        """Row of the item each reference names in the same document (NONE for a null reference)."""
        parent, values, code = self.refs[ref]
        keys, order = self.targets[target]
        given = code >= 0
        found = np.full(len(code), -1, dtype=np.int64)
        if len(keys) and len(code):
            key = parent * self.width + code
            pos = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = given & (keys[pos] == key)
            found = np.where(hit, order[pos], -1)
        dangling = given & (found < 0)
        if required:
            dangling |= ~given
        if dangling.any():
            k = int(np.flatnonzero(dangling)[0])
            raise MalformedGold(int(parent[k]), field, f"{values[k].as_py()!r} names no item of the document")
        return np.where(found >= 0, found + offset, NONE).astype(np.int32)


def _flat(column: pa.Array) -> tuple[np.ndarray, pa.StructArray]:
    """Parent row of each list item, and the items."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return ints(pc.list_parent_indices(column)), pc.list_flatten(column)


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
    return ints(values, NONE).astype(np.int32)


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
        self._keep("entity_doc", doc_index[ent_parent].astype(np.int32))
        m_parent, mentions = _flat(batch.column("mentions"))
        m = _fields(mentions)
        q_parent, quotes = _flat(batch.column("quotes"))
        c_parent, claims = _flat(batch.column("claims"))
        q, c = _fields(quotes), _fields(claims)
        speaker, claimant = _fields(q["speaker"]), _fields(c["claimant"])
        ids = _Ids({"entities": (ent_parent, _fields(entities)["id"]), "mentions": (m_parent, m["id"]),
                    "quotes": (q_parent, q["id"])},
                   {"mentions.entity": (m_parent, m["entity"]),
                    "quotes.speaker.mention": (q_parent, speaker["mention"]),
                    "quotes.speaker.entity": (q_parent, speaker["entity"]),
                    "claims.claimant.mention": (c_parent, claimant["mention"]),
                    "claims.claimant.entity": (c_parent, claimant["entity"]),
                    "claims.quote": (c_parent, c["quote"])})

        m_entity = ids.rows("mentions.entity", "entities", off["entities"], "mentions.entity", True)
        for name, values in (("m_doc", doc_index[m_parent].astype(np.int32)), ("m_start", _int(m["start"])),
                             ("m_end", _int(m["end"])), ("m_type", _codes(m["type"], inv.entity_types, m_parent, "mentions.type")),
                             ("m_kind", _codes(m["kind"], inv.mention_kinds, m_parent, "mentions.kind")),
                             ("m_entity", m_entity)):
            self._keep(name, values)

        for layer, parent, f, source, role in (("quotes", q_parent, q, speaker, "speaker"),
                                               ("claims", c_parent, c, claimant, "claimant")):
            prefix = layer[0]
            frag_parent, fragments = _flat(f["fragments"])
            spans = _fields(fragments)
            self._keep(f"{prefix}_frag_owner", (frag_parent + off[layer]).astype(np.int32))
            self._keep(f"{prefix}_frag_start", _int(spans["start"]))
            self._keep(f"{prefix}_frag_end", _int(spans["end"]))
            kind = _codes(source["kind"], inv.attribution_kinds, parent, f"{layer}.{role}.kind")
            attr_mention = ids.rows(f"{layer}.{role}.mention", "mentions", off["mentions"], f"{layer}.{role}.mention", False)
            attr_entity = ids.rows(f"{layer}.{role}.entity", "entities", off["entities"], f"{layer}.{role}.entity", False)
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
                label = bools(f["check_worthy"]).astype(np.int32)
                link = ids.rows("claims.quote", "quotes", off["quotes"], "claims.quote", False)
            for name, values in (("doc", doc_index[parent].astype(np.int32)), ("cue_start", cue_start),
                                 ("cue_end", cue_end), ("label", label), ("attr_kind", kind),
                                 ("attr_mention", attr_mention), ("attr_entity", attr_entity), ("link", link)):
                self._keep(f"{prefix}_{name}", values)
        provenance = batch.column("provenance")
        status = _fields(_fields(provenance.combine_chunks() if isinstance(provenance, pa.ChunkedArray)
                                 else provenance)["layers"])
        for layer in self.annotated:
            absent = valid(pc.index_in(_fields(status[layer])["status"], value_set=string_array(["absent"])))
            self.annotated[layer][doc_index[absent]] = False
        off["entities"] += len(entities)
        off["mentions"] += len(mentions)
        off["quotes"] += len(quotes)
        off["claims"] += len(claims)

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
