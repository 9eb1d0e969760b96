"""Submission lines as Arrow: one explicit schema, every rule as a vectorised check, numpy layers out.

A record batch of submission lines (parsed from JSONL by `pyarrow.json` with `SCHEMA`, or read
from Parquet and conformed to it) is checked column by column with pyarrow compute and numpy:
no Python object per span. The result is, per row, whether `LineChecker` (the exact per-line
path in `submission.py`: the submission schema, then the document rules in submission mode)
would find no problem at all; rows it cannot vouch for are handed to that path, which alone
writes problem messages. The checks may therefore be stricter than the per-line path, never
looser: `tests/scoring/test_fast_path.py` checks that on the bad-input fixtures and on randomly
corrupted submissions. (Patterns agree exactly: RE2's `$` and the per-line path's, which reads
the schema's `$` as JSON Schema defines it, are both the end of the string.)

What the explicit schema already guarantees (pyarrow refuses the whole block otherwise, and the
block goes to the per-line path): no unknown field at any level, every field of its JSON type
(strings are strings, offsets JSON integers within 64 bits: 5.0, 1e2, "5", true, NaN and
Infinity are refused), no key twice in one object, no lone surrogate. What is left to check
here: nulls and missing required fields (both are null in Arrow), patterns, labels, ranges,
fragment order, id uniqueness, references and surface texts.

Rows that pass are turned into `Layers` columns with the same row order and the same values as
`LayersBuilder.add` gives for the parsed line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..core.inventory import Inventory
from ..validation.relations import relations
from .arrow_layers import bool_array, bools, int64_array, ints, string_array, valid
from .layers import MAX_VALUE, NONE, Layers, Mentions, Passages

_SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])


def _attribution() -> pa.StructType:
    return pa.struct([("kind", pa.string()), ("mention", pa.string()), ("entity", pa.string())])


#: the submission line (schema/submission.schema.json) as Arrow types
SCHEMA = pa.schema([
    ("id", pa.string()),
    ("text_sha256", pa.string()),
    ("entities", pa.list_(pa.struct([("id", pa.string()), ("type", pa.string()), ("name", pa.string()),
                                     ("kb_id", pa.string())]))),
    ("mentions", pa.list_(pa.struct([("id", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                                     ("type", pa.string()), ("text", pa.string()), ("kind", pa.string()),
                                     ("entity", pa.string())]))),
    ("quotes", pa.list_(pa.struct([("id", pa.string()), ("fragments", pa.list_(_SPAN)), ("speaker", _attribution()),
                                   ("type", pa.string()), ("cue", _SPAN)]))),
    ("claims", pa.list_(pa.struct([("id", pa.string()), ("fragments", pa.list_(_SPAN)), ("claimant", _attribution()),
                                   ("check_worthy", pa.bool_()), ("quote", pa.string())]))),
])
LAYERS = ("entities", "mentions", "quotes", "claims")

# RE2 patterns: `$` is the end of the string only, as in JSON Schema (schema/submission.schema.json)
_DOC_ID = r"^[a-z0-9][a-z0-9._-]{0,127}$"
_ITEM_ID = r"^[A-Za-z0-9_.:-]+$"
_SHA = r"^[0-9a-f]{64}$"
_DENSE_KEYS = 1 << 22  # (row, id) keys looked up in a dense table up to this many slots


def _fields(struct: pa.Array) -> dict[str, pa.Array]:
    """Fields of a struct array, the struct's own nulls merged in."""
    return dict(zip([f.name for f in struct.type], struct.flatten()))


def _flat(lists: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Parent index of every list item, and the items."""
    return ints(pc.list_parent_indices(lists)), pc.list_flatten(lists)


def _rows_with(parent: np.ndarray, bad: np.ndarray, n: int) -> np.ndarray:
    """Rows (of n) that have at least one bad item."""
    out = np.zeros(n, dtype=bool)
    out[parent[bad]] = True
    return out


# -- conforming Parquet batches to SCHEMA ------------------------------------------------------

_INTEGERS = (pa.types.is_int8, pa.types.is_int16, pa.types.is_int32, pa.types.is_int64, pa.types.is_uint8,
             pa.types.is_uint16, pa.types.is_uint32, pa.types.is_uint64)


def _conform_string(values: pa.Array, target: pa.DataType) -> pa.Array | None:
    is_view = getattr(pa.types, "is_string_view", lambda _: False)  # pyarrow >= 16
    ok = pa.types.is_large_string(values.type) or is_view(values.type)
    return pc.cast(values, target) if ok else None


def _conform_int64(values: pa.Array, target: pa.DataType) -> pa.Array | None:
    kind = values.type
    if not any(test(kind) for test in _INTEGERS):
        return None
    if pa.types.is_uint64(kind) and len(values) and (pc.max(values).as_py() or 0) >= 2**63:
        return None  # beyond int64: the per-line path reports the offset
    return pc.cast(values, target)


def _conform_list(values: pa.Array, target: pa.DataType) -> pa.Array | None:
    kind = values.type
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
        return None
    if pa.types.is_large_list(kind):
        values = pc.cast(values, pa.list_(kind.value_type))
    items = _conform(values.values, target.value_type)
    if items is None:
        return None
    return pa.ListArray.from_arrays(values.offsets, items, mask=pc.is_null(values) if values.null_count else None)


def _conform_struct(values: pa.Array, target: pa.DataType) -> pa.Array | None:
    kind = values.type
    if not pa.types.is_struct(kind):
        return None
    names = [f.name for f in kind]
    wanted = [f.name for f in target]
    if any(name not in wanted for name in names):
        return None  # an unknown field: every item holding it is a problem of the per-line path
    children = []
    for f in target:
        child = _conform(values.field(f.name), f.type) if f.name in names else pa.nulls(len(values), type=f.type)
        if child is None:
            return None
        children.append(child)
    mask = pc.is_null(values) if values.null_count else None
    return pa.StructArray.from_arrays(children, fields=list(target), mask=mask)


_CONFORM = ((pa.types.is_string, _conform_string), (pa.types.is_int64, _conform_int64),
            (pa.types.is_list, _conform_list), (pa.types.is_struct, _conform_struct))


def _conform(values: pa.Array, target: pa.DataType) -> pa.Array | None:
    """`values` as `target`, when that changes no Python value `to_pylist` would give; else None."""
    kind = values.type
    if kind == target:
        return values
    if pa.types.is_null(kind):
        return pa.nulls(len(values), type=target)
    if pa.types.is_dictionary(kind):
        return _conform(values.dictionary_decode(), target)
    for is_target, conform in _CONFORM:  # a boolean target accepts nothing else: None
        if is_target(target):
            return conform(values, target)
    return None


def conform_batch(batch: pa.RecordBatch) -> pa.RecordBatch | None:
    """A Parquet record batch with SCHEMA's columns and types, or None if that would change a value."""
    columns = []
    for f in SCHEMA:
        if f.name in batch.schema.names:
            column = batch.column(f.name)
            if isinstance(column, pa.ChunkedArray):
                column = column.combine_chunks()
            if column.offset:  # from_arrays below works on the buffers: make the slice its own array
                column = pa.concat_arrays([column])
            try:
                column = _conform(column, f.type)
            except (pa.ArrowException, ValueError, TypeError):
                column = None
            if column is None:
                return None
        else:
            column = pa.nulls(batch.num_rows, type=f.type)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)


# -- the checks ----------------------------------------------------------------------------------

class Context:
    """What the checks need from the gold split and the label inventory, built once per reading."""

    def __init__(self, gold, inventory: Inventory):
        self.gold = gold
        self._gold_sha = None
        self.gold_length = np.asarray(gold.text_length, dtype=np.int64)
        labels = string_array
        self.types = labels(inventory.entity_types)
        self.kinds = labels(inventory.mention_kinds)
        self.quote_types = labels(inventory.quote_types)
        self.attribution_kinds = labels(inventory.attribution_kinds)
        kinds = relations(inventory).kinds  # labels.json's relation rules, as the per-line path reads them
        self.roles = {role: labels(kinds.get(role, ())) for role in ("speaker", "claimant")}
        self.default_kind = inventory.mention_kinds.index("name")
        self.mention_code = inventory.attribution_kinds.index("mention") if "mention" in inventory.attribution_kinds else -2
        self.entity_code = inventory.attribution_kinds.index("entity") if "entity" in inventory.attribution_kinds else -2

    @property
    def gold_sha(self) -> pa.Array:
        """The gold text hashes by document index (built when a line first gives a text_sha256)."""
        if self._gold_sha is None:
            self._gold_sha = string_array(self.gold.text_sha256)
        return self._gold_sha


def _codes(values: pa.Array, labels: pa.Array) -> np.ndarray:
    """Index of each value in `labels`; -1 for null or unknown."""
    return ints(pc.index_in(values, value_set=labels), -1)


def _span_ok(start: pa.Array, end: pa.Array, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(usable, start, end): offsets present, 0 <= start < end <= limit (limit <= MAX_VALUE)."""
    s, e = ints(start, -1), ints(end, -1)
    ok = valid(start) & valid(end) & (s >= 0) & (s < e) & (e <= limit)
    return ok, s, e


@dataclass
class _Surfaces:
    """Spans whose optional surface text must equal the gold text: checked together, document by document."""

    row: list = field(default_factory=list)
    start: list = field(default_factory=list)
    end: list = field(default_factory=list)
    text: list = field(default_factory=list)

    def add(self, use: np.ndarray, row: np.ndarray, start: np.ndarray, end: np.ndarray, text: pa.Array) -> None:
        if use.any():
            self.row.append(row[use])
            self.start.append(start[use])
            self.end.append(end[use])
            self.text.append(text.filter(bool_array(use)))

    def mismatched_rows(self, index: np.ndarray, gold, n: int) -> np.ndarray:
        """Rows holding a span whose text differs from gold_text[start:end].

        The one per-span Python loop of the fast path, and only over spans that carry the
        optional `text` (a system that writes them pays one string comparison per span).
        """
        bad = np.zeros(n, dtype=bool)
        if not self.row:
            return bad
        row = np.concatenate(self.row)
        start, end = np.concatenate(self.start), np.concatenate(self.end)
        texts = pa.concat_arrays(self.text).to_pylist()
        doc = index[row]
        order = np.argsort(doc, kind="stable")  # one text per document; a release reads its row groups in order
        current, text = -1, ""
        for k in order.tolist():
            if doc[k] != current:
                current = int(doc[k])
                text = gold.text(current)
            if text[int(start[k]):int(end[k])] != texts[k]:
                bad[row[k]] = True
        return bad


@dataclass
class Checked:
    """The outcome for one batch: which rows are clean, and their layers as numpy columns."""

    ok: np.ndarray              # per row: the per-line path would find no problem
    index: np.ndarray           # per row: gold document index, -1 when not in the scored split
    other: np.ndarray           # per row: a document of another split
    present: dict               # layer -> per row: the field is there (not null)
    ids: list                   # per row: the document id (str, or None)
    columns: dict               # name -> numpy column (item level), for `LayersBuilder`
    counts: dict                # layer -> number of items in the batch


def _id_resolver(f: dict, parent: dict, bad: np.ndarray) -> Callable[[int, str, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Mark rows with an invalid or repeated item id in `bad`; return how references resolve to items.

    Ids must be valid and unique across the four layers of a line; references are resolved through
    one dictionary of every id and reference string of the batch.
    """
    n = len(bad)
    q_attr, c_attr = _fields(f["quotes"]["speaker"]), _fields(f["claims"]["claimant"])
    id_arrays = [f[layer]["id"] for layer in LAYERS]
    id_parent = np.concatenate([parent[layer] for layer in LAYERS])
    ref_arrays = [f["mentions"]["entity"], q_attr["mention"], q_attr["entity"], c_attr["mention"], c_attr["entity"],
                  f["claims"]["quote"]]
    everything = pa.concat_arrays([a.cast(pa.string()) for a in id_arrays + ref_arrays])
    encoded = pc.dictionary_encode(everything)
    codes = ints(encoded.indices, -1)
    width = len(encoded.dictionary) + 1
    good_code = bools(pc.match_substring_regex(encoded.dictionary, _ITEM_ID))
    n_ids = len(id_parent)
    id_codes, ref_codes = codes[:n_ids], codes[n_ids:]
    id_ok = (id_codes >= 0) & (good_code[np.maximum(id_codes, 0)] if len(good_code) else False)
    bad |= _rows_with(id_parent, ~id_ok, n)
    keys = id_parent * width + id_codes
    starts = np.cumsum([0] + [len(a) for a in id_arrays])
    ref_starts = np.cumsum([0] + [len(a) for a in ref_arrays])
    ok_items = np.flatnonzero(id_ok)
    if n * width <= _DENSE_KEYS:  # the usual case: a few dozen distinct ids in a block
        table = np.full(n * width, -1, dtype=np.int64)
        table[keys[ok_items]] = ok_items
        duplicate = table[keys[ok_items]] != ok_items  # a key held by two items keeps only one of them
        bad[id_parent[ok_items[duplicate]]] = True

        def resolve(which: int, layer: str, ref_parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """(item index in `layer` or -1, whether the reference is given) of reference column `which`."""
            code = ref_codes[ref_starts[which]:ref_starts[which + 1]]
            given = code >= 0
            k = LAYERS.index(layer)
            item = table[np.where(given, ref_parent * width + code, 0)] if len(table) else np.full(len(code), -1)
            found = given & (item >= starts[k]) & (item < starts[k + 1])
            return np.where(found, item - starts[k], -1), given
    else:  # many distinct ids (long random ids): sorted keys and a binary search
        ordered = np.sort(keys[ok_items])
        duplicate = ordered[1:] == ordered[:-1]
        bad[ordered[1:][duplicate] // width] = True
        lookups = {}
        for k, layer in enumerate(LAYERS):
            layer_keys = keys[starts[k]:starts[k + 1]]
            order = np.argsort(layer_keys, kind="stable")
            lookups[layer] = (layer_keys[order], order)

        def resolve(which: int, layer: str, ref_parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """(item index in `layer` or -1, whether the reference is given) of reference column `which`."""
            code = ref_codes[ref_starts[which]:ref_starts[which + 1]]
            given = code >= 0
            sorted_keys, order = lookups[layer]
            if not len(sorted_keys):
                return np.full(len(code), -1, dtype=np.int64), given
            key = ref_parent * width + code
            pos = np.minimum(np.searchsorted(sorted_keys, key), len(sorted_keys) - 1)
            found = given & (sorted_keys[pos] == key)
            return np.where(found, order[pos], -1), given

    return resolve


def _check_documents(batch: pa.RecordBatch, ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """(bad rows, gold index or -1, rows of other splits, document ids): the rules of the line's id and hash."""
    n = batch.num_rows
    ids = batch.column("id")
    doc_ids = ids.to_pylist()
    good_id = bools(pc.match_substring_regex(ids, _DOC_ID))
    gold_index = ctx.gold.index
    index = np.fromiter((gold_index.get(i, -1) for i in doc_ids), dtype=np.int64, count=n)
    other = np.zeros(n, dtype=bool)
    for r in np.flatnonzero(index < 0).tolist():
        other[r] = doc_ids[r] in ctx.gold.other_ids
    bad = ~good_id | ((index < 0) & ~other)
    sha = batch.column("text_sha256")
    has_sha = valid(sha)
    if has_sha.any():
        gold_sha = ctx.gold_sha.take(int64_array(np.maximum(index, 0), null=index < 0))
        same = bools(pc.equal(sha, gold_sha), fill=True)  # null where the gold hash is unknown: not compared
        bad |= has_sha & ~(bools(pc.match_substring_regex(sha, _SHA)) & same)
    return bad, index, other, doc_ids


def check_batch(batch: pa.RecordBatch, ctx: Context) -> Checked:
    """Every rule of the per-line path, as vectorised checks over one batch of lines."""
    n = batch.num_rows
    bad, index, other, doc_ids = _check_documents(batch, ctx)

    length = np.where(index >= 0, ctx.gold_length[np.maximum(index, 0)], -1) if len(ctx.gold_length) else np.full(n, -1)
    limit = np.where(length >= 0, length, MAX_VALUE)
    text_known = length >= 0
    surfaces = _Surfaces()

    present, parent, items, f = {}, {}, {}, {}
    for layer in LAYERS:
        column = batch.column(layer)
        present[layer] = valid(column)
        parent[layer], items[layer] = _flat(column)
        f[layer] = _fields(items[layer])
        bad |= _rows_with(parent[layer], ~valid(items[layer]), n)

    resolve = _id_resolver(f, parent, bad)
    q_attr, c_attr = _fields(f["quotes"]["speaker"]), _fields(f["claims"]["claimant"])

    # entities
    e_type = f["entities"]["type"]
    bad |= _rows_with(parent["entities"], valid(e_type) & (_codes(e_type, ctx.types) < 0), n)

    # mentions
    m, mp = f["mentions"], parent["mentions"]
    m_ok, m_start, m_end = _span_ok(m["start"], m["end"], limit[mp])
    m_type = _codes(m["type"], ctx.types)
    m_kind = _codes(m["kind"], ctx.kinds)
    m_has_kind = valid(m["kind"])
    m_entity, m_has_entity = resolve(0, "entities", mp)
    m_ok &= (m_type >= 0) & (~m_has_kind | (m_kind >= 0)) & (~m_has_entity | (m_entity >= 0))
    bad |= _rows_with(mp, ~m_ok, n)
    surfaces.add(m_ok & valid(m["text"]) & text_known[mp], mp, m_start, m_end, m["text"])

    columns = {"entity_doc": index[parent["entities"]], "m_doc": index[mp], "m_start": m_start, "m_end": m_end,
               "m_type": m_type, "m_kind": np.where(m_has_kind, m_kind, ctx.default_kind), "m_entity": m_entity}

    # quotes and claims
    for layer, role, prefix, first_ref in (("quotes", "speaker", "q", 1), ("claims", "claimant", "c", 3)):
        g, gp = f[layer], parent[layer]
        item_ok = np.ones(len(gp), dtype=bool)
        frag_owner, fragments = _flat(g["fragments"])
        item_ok &= ints(pc.list_value_length(g["fragments"]), 0) >= 1
        spans = _fields(fragments)
        frag_row = gp[frag_owner]
        fr_ok, fr_start, fr_end = _span_ok(spans["start"], spans["end"], limit[frag_row])
        fr_ok &= valid(fragments)
        surfaces.add(fr_ok & valid(spans["text"]) & text_known[frag_row], frag_row, fr_start, fr_end, spans["text"])
        same = frag_owner[1:] == frag_owner[:-1]
        overlap = same & (fr_start[1:] < fr_end[:-1])
        item_ok &= ~_rows_with(frag_owner, ~fr_ok, len(gp))
        item_ok &= ~_rows_with(frag_owner[1:], overlap, len(gp))

        attribution = q_attr if layer == "quotes" else c_attr
        kind = attribution["kind"]
        attr_kind = _codes(kind, ctx.attribution_kinds)
        allowed = bools(pc.is_in(kind, value_set=ctx.roles[role]))
        mention, has_mention = resolve(first_ref, "mentions", gp)
        entity, has_entity = resolve(first_ref + 1, "entities", gp)
        by_mention, by_entity = attr_kind == ctx.mention_code, attr_kind == ctx.entity_code
        attr_ok = valid(g[role]) & allowed & np.where(
            by_mention, (mention >= 0) & ~has_entity,
            np.where(by_entity, (entity >= 0) & ~has_mention, ~has_mention & ~has_entity))
        item_ok &= attr_ok
        if layer == "quotes":
            cue = g["cue"]
            has_cue = valid(cue)
            cue_fields = _fields(cue)
            cue_ok, cue_start, cue_end = _span_ok(cue_fields["start"], cue_fields["end"], limit[gp])
            item_ok &= ~has_cue | cue_ok
            surfaces.add(has_cue & cue_ok & valid(cue_fields["text"]) & text_known[gp], gp, cue_start, cue_end,
                         cue_fields["text"])
            label = _codes(g["type"], ctx.quote_types)
            item_ok &= label >= 0
            link = np.full(len(gp), NONE, dtype=np.int64)
            cue_start, cue_end = np.where(has_cue, cue_start, NONE), np.where(has_cue, cue_end, NONE)
        else:
            worthy = g["check_worthy"]
            item_ok &= valid(worthy)
            label = bools(worthy).astype(np.int64)
            link, has_link = resolve(5, "quotes", gp)
            item_ok &= ~has_link | (link >= 0)
            cue_start = cue_end = np.full(len(gp), NONE, dtype=np.int64)
        bad |= _rows_with(gp, ~item_ok, n)
        attr_entity = np.where(by_mention & (mention >= 0), m_entity[np.maximum(mention, 0)] if len(m_entity) else -1,
                               np.where(by_entity, entity, -1))
        columns.update({f"{prefix}_doc": index[gp], f"{prefix}_frag_owner": frag_owner, f"{prefix}_frag_start": fr_start,
                        f"{prefix}_frag_end": fr_end, f"{prefix}_cue_start": cue_start, f"{prefix}_cue_end": cue_end,
                        f"{prefix}_label": label, f"{prefix}_attr_kind": attr_kind,
                        f"{prefix}_attr_mention": np.where(by_mention, mention, -1), f"{prefix}_attr_entity": attr_entity,
                        f"{prefix}_link": link})

    bad |= surfaces.mismatched_rows(index, ctx.gold, n)
    counts = {layer: len(parent[layer]) for layer in LAYERS}
    return Checked(~bad, index, other, present, doc_ids, columns, counts)


# -- building layers -----------------------------------------------------------------------------

#: reference columns: name -> the item table it points into
_REFERENCES = {"m_entity": "entities", "q_frag_owner": "quotes", "q_attr_mention": "mentions",
               "q_attr_entity": "entities", "c_frag_owner": "claims", "c_attr_mention": "mentions",
               "c_attr_entity": "entities", "c_link": "quotes"}


class ArrowSubmissionBuilder:
    """Accumulates the layers of checked batches whose every row is clean and in the scored split."""

    def __init__(self, n_docs: int):
        self.n_docs = n_docs
        self.parts: dict[str, list[np.ndarray]] = {}
        self.offsets = dict.fromkeys(LAYERS, 0)

    def add(self, checked: Checked) -> None:
        for name, values in checked.columns.items():
            target = _REFERENCES.get(name)
            if target is not None and self.offsets[target]:
                values = np.where(values >= 0, values + self.offsets[target], NONE)
            self.parts.setdefault(name, []).append(values.astype(np.int32))
        for layer in LAYERS:
            self.offsets[layer] += checked.counts[layer]

    def _cat(self, name: str) -> np.ndarray:
        parts = self.parts.get(name)
        return np.concatenate(parts) if parts else np.zeros(0, np.int32)

    def finish(self) -> Layers:
        mentions = Mentions(*(self._cat(f"m_{k}") for k in ("doc", "start", "end", "type", "kind", "entity")))
        passages = {}
        for layer, p in (("quotes", "q"), ("claims", "c")):
            passages[layer] = Passages(**{k: self._cat(f"{p}_{k}") for k in (
                "doc", "frag_owner", "frag_start", "frag_end", "cue_start", "cue_end", "label", "attr_kind",
                "attr_mention", "attr_entity", "link")})
        entity_doc = self._cat("entity_doc")
        return Layers(self.n_docs, len(entity_doc), entity_doc, mentions, passages["quotes"], passages["claims"],
                      {layer: np.ones(self.n_docs, dtype=bool) for layer in ("mentions", "quotes", "claims")})


def merge_layers(first: Layers, second: Layers, order_of_doc: np.ndarray) -> Layers:
    """Both sides' rows in one `Layers`, documents in the order `order_of_doc` gives them.

    Within a document rows keep their order, and references are renumbered, so the result is
    what one `LayersBuilder` would give for the lines in that order.
    """
    def cat(a: np.ndarray, b: np.ndarray, shift: int = 0) -> np.ndarray:
        return np.concatenate([a, np.where(b >= 0, b + shift, NONE) if shift else b]).astype(np.int32)

    def permutation(doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        perm = np.argsort(order_of_doc[doc], kind="stable")
        rank = np.empty(len(perm), dtype=np.int64)
        rank[perm] = np.arange(len(perm))
        return perm, rank

    def renumber(refs: np.ndarray, rank: np.ndarray) -> np.ndarray:
        return np.where(refs >= 0, rank[np.maximum(refs, 0)] if len(rank) else NONE, NONE).astype(np.int32)

    entity_doc = cat(first.entity_doc, second.entity_doc)
    e_perm, e_rank = permutation(entity_doc)
    m1, m2 = first.mentions, second.mentions
    n_e, n_m = len(first.entity_doc), len(m1.doc)
    m_doc = cat(m1.doc, m2.doc)
    m_perm, m_rank = permutation(m_doc)
    mentions = Mentions(m_doc[m_perm], cat(m1.start, m2.start)[m_perm], cat(m1.end, m2.end)[m_perm],
                        cat(m1.type, m2.type)[m_perm], cat(m1.kind, m2.kind)[m_perm],
                        renumber(cat(m1.entity, m2.entity, n_e), e_rank)[m_perm])
    passages: dict[str, Passages] = {}
    q_rank = np.zeros(0, dtype=np.int64)  # the quotes' ranks, set before the claims need them
    for layer in ("quotes", "claims"):
        a, b = getattr(first, layer), getattr(second, layer)
        n_items = len(a.doc)
        doc = cat(a.doc, b.doc)
        perm, rank = permutation(doc)
        owner = renumber(cat(a.frag_owner, b.frag_owner, n_items), rank)
        f_perm = np.argsort(owner, kind="stable")
        link = cat(a.link, b.link, len(first.quotes.doc))
        passages[layer] = Passages(
            doc=doc[perm], frag_owner=owner[f_perm], frag_start=cat(a.frag_start, b.frag_start)[f_perm],
            frag_end=cat(a.frag_end, b.frag_end)[f_perm], cue_start=cat(a.cue_start, b.cue_start)[perm],
            cue_end=cat(a.cue_end, b.cue_end)[perm], label=cat(a.label, b.label)[perm],
            attr_kind=cat(a.attr_kind, b.attr_kind)[perm],
            attr_mention=renumber(cat(a.attr_mention, b.attr_mention, n_m), m_rank)[perm],
            attr_entity=renumber(cat(a.attr_entity, b.attr_entity, n_e), e_rank)[perm],
            link=(renumber(link, q_rank) if layer == "claims" else link)[perm])
        if layer == "quotes":
            q_rank = rank
    return Layers(first.n_docs, len(entity_doc), entity_doc[e_perm], mentions, passages["quotes"], passages["claims"],
                  {k: first.annotated[k] & second.annotated[k] for k in first.annotated})
