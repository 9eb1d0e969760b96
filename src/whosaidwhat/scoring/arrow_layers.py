"""Release rows to `Layers` with pyarrow compute: no Python object per span, bounded memory.

A record batch of the release's `documents` config holds the layers as lists of structs. Each
list column is flattened with its parent indices; labels become codes with `index_in` against
the inventory; ids and the references to them are coded through one dictionary per batch and
resolved as integer (row, code) keys, so a mention's entity, a speaker's mention and a claim's
quote resolve inside their own document.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..core.inventory import Inventory
from .layers import NONE, Layers, Mentions, Passages

#: report(batch row, JSON path, document rule, message, found, expected): how the builder tells its caller about
#: a gold row that breaks a document rule
Report = Callable[[int, str, str, str, "str | None", "str | None"], None]
#: the JSON path of the k-th span (or item) of a column
PathOf = Callable[[int], str]

#: at most this many problems of one kind are reported per batch (detection is vectorised; the count is exact)
SHOWN = 20
_INT32_MAX = 2**31 - 1


def within(parent: np.ndarray) -> np.ndarray:
    """Index of each flattened list item inside its own list (parents are ascending)."""
    if len(parent) == 0:
        return np.zeros(0, np.int64)
    return np.arange(len(parent)) - np.searchsorted(parent, parent, side="left")


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


def _codes(values: pa.Array, labels: tuple[str, ...], parent: np.ndarray, path: str, report: Report,
           allow_null: bool = False) -> np.ndarray:
    codes = pc.index_in(values, value_set=string_array(labels))
    bad = ~valid(codes) & valid(values) if allow_null else ~valid(codes)
    if bad.any():
        index = within(parent)
        for k in np.flatnonzero(bad)[:SHOWN].tolist():
            value = values[k].as_py()
            rule = "SCHEMA" if value is None else "LABEL-UNKNOWN"
            report(int(parent[k]), path.format(i=int(index[k])), rule, "missing label" if value is None else "unknown label",
                   repr(value), "one of " + ", ".join(labels))
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

    def rows(self, ref: str, target: str, offset: int, path: str, required: bool, report: Report) -> np.ndarray:
        """Row of the item each reference names in the same document (NONE for a null reference)."""
        parent, values, code = self.refs[ref]
        keys, order = self.targets[target]
        given = code >= 0
        found: np.ndarray = np.full(len(code), -1, dtype=np.int64)
        if len(keys) and len(code):
            key = parent * self.width + code
            pos = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = given & (keys[pos] == key)
            found = np.where(hit, order[pos], -1)
        dangling = given & (found < 0)
        if required:
            dangling |= ~given
        if dangling.any():
            index = within(parent)
            for k in np.flatnonzero(dangling)[:SHOWN].tolist():
                report(int(parent[k]), path.format(i=int(index[k])), "REF-DANGLING", "reference names no item of the document",
                       repr(values[k].as_py()), f"an id of the document's {target}")
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


class Offsets:
    """An offset column as int64 (NONE where null) and where a value is given (-1 is a value, not a null)."""

    def __init__(self, values: pa.Array, row: np.ndarray, path_of: PathOf, report: Report):
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if pa.types.is_integer(values.type) or pa.types.is_null(values.type):
            self.values, self.given = ints(values, NONE), valid(values)
            return
        for k in np.flatnonzero(valid(values))[:SHOWN].tolist():  # booleans, floats, strings
            report(int(row[k]), path_of(k), "SPAN-OFFSET-TYPE", "offset is not an integer", repr(values[k].as_py()),
                   "an integer")
        self.values, self.given = np.full(len(values), NONE, dtype=np.int64), np.ones(len(values), dtype=bool)


def check_spans(first: Offsets, last: Offsets, given: np.ndarray, length: np.ndarray, row: np.ndarray,
                path_of: PathOf, report: Report) -> None:
    """The span rules (`given`: the span exists; `length`: text length of each span's row, -1 if withheld): both
    offsets present, 0 <= start < end <= text length, and within 32 bits."""
    start, end = first.values, last.values
    missing = given & ~(first.given & last.given)
    usable = given & ~missing
    negative = usable & ((start < 0) | (end < 0))
    empty = usable & ~negative & (start >= end)
    past = usable & ~negative & ~empty & (((length >= 0) & (end > length)) | (end > _INT32_MAX))
    for bad, rule, message in ((missing, "SCHEMA", "span lacks an offset"), (negative, "SPAN-RANGE", "offset is negative"),
                               (empty, "SPAN-EMPTY", "span is empty or reversed"),
                               (past, "SPAN-RANGE", "span ends past the end of the text")):
        for k in np.flatnonzero(bad)[:SHOWN].tolist():
            expected = {"SCHEMA": "integer start and end", "SPAN-EMPTY": "start < end"}.get(rule)
            if expected is None:
                expected = ">= 0" if bad is negative else f"end <= {int(length[k])} (the text length)" \
                    if length[k] >= 0 else f"end <= {_INT32_MAX}"
            found = "null" if bad is missing else f"start={int(start[k])}, end={int(end[k])}"
            report(int(row[k]), path_of(k), rule, message, found, expected)


def check_fragment_order(owner: np.ndarray, start: np.ndarray, end: np.ndarray, row: np.ndarray,
                         path_of: PathOf, report: Report) -> None:
    """Fragments of one item in text order, not overlapping (FRAGMENT-ORDER); arrays are per fragment."""
    if len(owner) < 2:
        return
    bad = (owner[1:] == owner[:-1]) & (start[1:] < end[:-1])
    for k in np.flatnonzero(bad)[:SHOWN].tolist():
        report(int(row[k + 1]), path_of(k + 1), "FRAGMENT-ORDER", "fragment starts before the previous one ends",
               f"[{int(start[k + 1])}, {int(end[k + 1])}) after [{int(start[k])}, {int(end[k])})", f"start >= {int(end[k])}")


def _check_worthy(values: pa.Array, parent: np.ndarray, report: Report) -> np.ndarray:
    """check_worthy as 0/1; a missing or non-boolean value is reported."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    boolean = pa.types.is_boolean(values.type)
    bad = ~valid(values) if boolean else np.ones(len(values), dtype=bool)
    if bad.any():
        index = within(parent)
        for k in np.flatnonzero(bad)[:SHOWN].tolist():
            report(int(parent[k]), f"$.claims[{index[k]}].check_worthy", "SCHEMA", "check_worthy must be true or false",
                   repr(values[k].as_py()), "boolean")
    return bools(values).astype(np.int32) if boolean else np.zeros(len(values), np.int32)


class ArrowLayersBuilder:
    """Accumulates `Layers` from record batches of the `documents` config, checking the gold as it goes.

    Problems go to `report` (see `Report`); with problems the layers are not scorable and the
    caller stops after the last batch.
    """

    def __init__(self, inventory: Inventory, n_docs: int):
        self.inv = inventory
        self.n_docs = n_docs
        self.parts: dict[str, list[np.ndarray]] = {}
        self.offsets = {"entities": 0, "mentions": 0, "quotes": 0, "claims": 0}
        self.annotated = {layer: np.ones(n_docs, dtype=bool) for layer in ("mentions", "quotes", "claims")}

    def _keep(self, name: str, values: np.ndarray) -> None:
        self.parts.setdefault(name, []).append(values)

    def add(self, batch: pa.RecordBatch, doc_index: np.ndarray, length: np.ndarray, report: Report) -> None:
        """Append one batch; `doc_index[r]` is the gold index of the batch's row r, `length[r]` its text length."""
        ent_parent, entities = _flat(batch.column("entities"))
        self._keep("entity_doc", doc_index[ent_parent].astype(np.int32))
        m_parent, mentions = _flat(batch.column("mentions"))
        q_parent, quotes = _flat(batch.column("quotes"))
        c_parent, claims = _flat(batch.column("claims"))
        m, q, c = _fields(mentions), _fields(quotes), _fields(claims)
        speaker, claimant = _fields(q["speaker"]), _fields(c["claimant"])
        ids = _Ids({"entities": (ent_parent, _fields(entities)["id"]), "mentions": (m_parent, m["id"]),
                    "quotes": (q_parent, q["id"])},
                   {"mentions.entity": (m_parent, m["entity"]),
                    "quotes.speaker.mention": (q_parent, speaker["mention"]),
                    "quotes.speaker.entity": (q_parent, speaker["entity"]),
                    "claims.claimant.mention": (c_parent, claimant["mention"]),
                    "claims.claimant.entity": (c_parent, claimant["entity"]),
                    "claims.quote": (c_parent, c["quote"])})
        m_entity = self._mentions(m, m_parent, doc_index, length, ids, report)
        for layer, parent, f, source, role in (("quotes", q_parent, q, speaker, "speaker"),
                                               ("claims", c_parent, c, claimant, "claimant")):
            self._passages(layer, parent, f, source, role, doc_index, length, ids, m_entity, report)
        self._statuses(batch, doc_index)
        off = self.offsets
        off["entities"] += len(entities)
        off["mentions"] += len(mentions)
        off["quotes"] += len(quotes)
        off["claims"] += len(claims)

    def _mentions(self, m: _Fields, parent: np.ndarray, doc_index: np.ndarray, length: np.ndarray, ids: _Ids,
                  report: Report) -> np.ndarray:
        inv, off = self.inv, self.offsets
        index = within(parent)
        first = Offsets(m["start"], parent, lambda k: f"$.mentions[{index[k]}].start", report)
        last = Offsets(m["end"], parent, lambda k: f"$.mentions[{index[k]}].end", report)
        check_spans(first, last, np.ones(len(parent), bool), length[parent], parent,
                    lambda k: f"$.mentions[{index[k]}]", report)
        start, end = first.values, last.values
        m_entity = ids.rows("mentions.entity", "entities", off["entities"], "$.mentions[{i}].entity", True, report)
        for name, values in (("m_doc", doc_index[parent].astype(np.int32)), ("m_start", start.astype(np.int32)),
                             ("m_end", end.astype(np.int32)),
                             ("m_type", _codes(m["type"], inv.entity_types, parent, "$.mentions[{i}].type", report)),
                             ("m_kind", _codes(m["kind"], inv.mention_kinds, parent, "$.mentions[{i}].kind", report)),
                             ("m_entity", m_entity)):
            self._keep(name, values)
        return m_entity

    def _fragments(self, layer: str, parent: np.ndarray, f: _Fields, length: np.ndarray, report: Report) -> None:
        """A layer's fragments: checked (offsets, order) and kept."""
        prefix, off = layer[0], self.offsets
        index = within(parent)
        frag_parent, fragments = _flat(f["fragments"])
        spans = _fields(fragments)
        frag_index = within(frag_parent)
        rows = parent[frag_parent]

        def path_of(k: int) -> str:
            return f"$.{layer}[{index[frag_parent[k]]}].fragments[{frag_index[k]}]"

        first = Offsets(spans["start"], rows, lambda k: path_of(k) + ".start", report)
        last = Offsets(spans["end"], rows, lambda k: path_of(k) + ".end", report)
        check_spans(first, last, np.ones(len(rows), bool), length[rows], rows, path_of, report)
        start, end = first.values, last.values
        check_fragment_order(frag_parent, start, end, rows, path_of, report)
        self._keep(f"{prefix}_frag_owner", (frag_parent + off[layer]).astype(np.int32))
        self._keep(f"{prefix}_frag_start", start.astype(np.int32))
        self._keep(f"{prefix}_frag_end", end.astype(np.int32))

    def _cue(self, parent: np.ndarray, f: _Fields, length: np.ndarray, report: Report) -> tuple[np.ndarray, np.ndarray]:
        index = within(parent)
        cue_column = f["cue"]
        cue = _fields(cue_column)
        first = Offsets(cue["start"], parent, lambda k: f"$.quotes[{index[k]}].cue.start", report)
        last = Offsets(cue["end"], parent, lambda k: f"$.quotes[{index[k]}].cue.end", report)
        given = valid(cue_column) & (first.given | last.given)
        check_spans(first, last, given, length[parent], parent, lambda k: f"$.quotes[{index[k]}].cue", report)
        return (np.where(given, first.values, NONE).astype(np.int32),
                np.where(given, last.values, NONE).astype(np.int32))

    def _passages(self, layer: str, parent: np.ndarray, f: _Fields, source: _Fields, role: str, doc_index: np.ndarray,
                  length: np.ndarray, ids: _Ids, m_entity: np.ndarray, report: Report) -> None:
        inv, off, prefix = self.inv, self.offsets, layer[0]
        self._fragments(layer, parent, f, length, report)
        kind = _codes(source["kind"], inv.attribution_kinds, parent, f"$.{layer}[{{i}}].{role}.kind", report)
        attr_mention = ids.rows(f"{layer}.{role}.mention", "mentions", off["mentions"], f"$.{layer}[{{i}}].{role}.mention",
                                False, report)
        attr_entity = ids.rows(f"{layer}.{role}.entity", "entities", off["entities"], f"$.{layer}[{{i}}].{role}.entity",
                               False, report)
        by_mention = attr_mention != NONE
        if by_mention.any():  # a speaker mention is in the same document, so in this batch
            attr_entity[by_mention] = m_entity[attr_mention[by_mention] - off["mentions"]]
        if layer == "quotes":
            cue_start, cue_end = self._cue(parent, f, length, report)
            label = _codes(f["type"], inv.quote_types, parent, "$.quotes[{i}].type", report)
            link = np.full(len(parent), NONE, dtype=np.int32)
        else:
            cue_start = cue_end = np.full(len(parent), NONE, dtype=np.int32)
            label = _check_worthy(f["check_worthy"], parent, report)
            link = ids.rows("claims.quote", "quotes", off["quotes"], "$.claims[{i}].quote", False, report)
        for name, values in (("doc", doc_index[parent].astype(np.int32)), ("cue_start", cue_start),
                             ("cue_end", cue_end), ("label", label), ("attr_kind", kind),
                             ("attr_mention", attr_mention), ("attr_entity", attr_entity), ("link", link)):
            self._keep(f"{prefix}_{name}", values)

    def _statuses(self, batch: pa.RecordBatch, doc_index: np.ndarray) -> None:
        provenance = batch.column("provenance")
        status = _fields(_fields(provenance.combine_chunks() if isinstance(provenance, pa.ChunkedArray)
                                 else provenance)["layers"])
        for layer in self.annotated:
            absent = valid(pc.index_in(_fields(status[layer])["status"], value_set=string_array(["absent"])))
            self.annotated[layer][doc_index[absent]] = False

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
