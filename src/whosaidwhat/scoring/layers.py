"""Annotation layers as numpy columns: what the scorer reads, for gold and predictions alike.

A `LayersBuilder` takes parsed documents (canonical gold documents or submission lines) one at
a time and appends their mentions, quotes and claims to compact int32 buffers; `finish()`
returns `Layers`, plain frozen dataclasses of numpy arrays. Labels become integer codes in the
order of schema/labels.json, and every id reference (mention -> entity, speaker -> mention,
claim -> quote) becomes a row index, so scoring never touches a Python dict per span.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

import numpy as np

from ..core.inventory import Inventory

NONE = -1  # "no row" / "no label" in every reference and code column


@dataclass(frozen=True)
class Mentions:
    """Entity mentions: one row per mention."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    type: np.ndarray    # entity type code (index in Inventory.entity_types)
    kind: np.ndarray    # mention kind code (index in Inventory.mention_kinds)
    entity: np.ndarray  # entity row, or NONE


@dataclass(frozen=True)
class Passages:
    """Quotes or claims: one row per item, fragments flattened into their own columns."""

    doc: np.ndarray
    frag_owner: np.ndarray    # per fragment: row of its quote/claim
    frag_start: np.ndarray
    frag_end: np.ndarray
    cue_start: np.ndarray     # quotes: cue offsets, NONE when there is no cue
    cue_end: np.ndarray
    label: np.ndarray         # quotes: quote type code; claims: check_worthy as 0/1
    attr_kind: np.ndarray     # attribution kind code (index in Inventory.attribution_kinds)
    attr_mention: np.ndarray  # kind mention: mention row; else NONE
    attr_entity: np.ndarray   # kind entity: entity row; kind mention: that mention's entity row (if any); else NONE
    link: np.ndarray          # claims: row of the quote it was made in, or NONE

    def __len__(self) -> int:
        return len(self.doc)

    def content_length(self) -> np.ndarray:
        """Code points of content per item (fragments do not overlap, so lengths add up)."""
        return np.bincount(self.frag_owner, weights=self.frag_end - self.frag_start, minlength=len(self)).astype(np.int64)


@dataclass(frozen=True)
class Layers:
    """One side (gold or predictions) of a set of documents, indexed 0..n_docs-1."""

    n_docs: int
    n_entities: int
    entity_doc: np.ndarray
    mentions: Mentions
    quotes: Passages
    claims: Passages
    #: per layer, whether each document has it annotated (gold layers can be `absent`)
    annotated: dict = field(default_factory=dict)


#: columns are int32: offsets and counts of one split fit easily, and memory halves against int64
MAX_VALUE = 2**31 - 1


def _int32_buffer() -> array:
    buffer = array("i")
    assert buffer.itemsize == 4, "array('i') must be 32-bit"
    return buffer


def _numpy(buffer: array) -> np.ndarray:
    """A read-only int32 view of a finished buffer (no copy)."""
    return np.frombuffer(buffer, dtype=np.int32) if len(buffer) else np.zeros(0, np.int32)


class _Columns:
    """Named append-only int32 buffers."""

    def __init__(self, *names: str):
        self.buffers = {name: _int32_buffer() for name in names}

    def append(self, **values: int) -> None:
        for name, value in values.items():
            self.buffers[name].append(value)

    def numpy(self, name: str) -> np.ndarray:
        return _numpy(self.buffers[name])


class _Rows:
    """Rows of one document's items, by id, for resolving its references."""

    def __init__(self, entities: dict[str, int], mentions: dict[str, int], mention_entity: dict[str, int]):
        self.entities, self.mentions, self.mention_entity = entities, mentions, mention_entity
        self.quotes: dict[str, int] = {}

    def source(self, attribution: dict) -> tuple[int, int]:
        """(mention row, entity row) of a speaker or claimant (NONE where it names none)."""
        kind = attribution["kind"]
        if kind == "mention":
            return self.mentions[attribution["mention"]], self.mention_entity[attribution["mention"]]
        if kind == "entity":
            return NONE, self.entities[attribution["entity"]]
        return NONE, NONE


class LayersBuilder:
    """Collects documents into `Layers`. Input must already be valid (gold validated, submission checked)."""

    def __init__(self, inventory: Inventory, n_docs: int):
        self.n_docs = n_docs
        self.types = {label: i for i, label in enumerate(inventory.entity_types)}
        self.kinds = {label: i for i, label in enumerate(inventory.mention_kinds)}
        self.default_kind = self.kinds["name"]
        self.quote_types = {label: i for i, label in enumerate(inventory.quote_types)}
        self.attr_kinds = {label: i for i, label in enumerate(inventory.attribution_kinds)}
        self.entity_doc = _int32_buffer()
        self.mentions = _Columns("doc", "start", "end", "type", "kind", "entity")
        self.passages = {layer: _Columns("doc", "cue_start", "cue_end", "label", "attr_kind", "attr_mention", "attr_entity", "link")
                         for layer in ("quotes", "claims")}
        self.fragments = {layer: _Columns("owner", "start", "end") for layer in ("quotes", "claims")}
        self.annotated = {layer: np.ones(n_docs, dtype=bool) for layer in ("mentions", "quotes", "claims")}

    def mark_absent(self, doc_index: int, layer: str) -> None:
        """Record that the gold document does not annotate `layer` (status absent)."""
        self.annotated[layer][doc_index] = False

    def add(self, doc_index: int, doc: dict) -> None:
        """Append one document's layers; ids are resolved to rows within the document."""
        entity_rows: dict[str, int] = {}
        for entity in doc.get("entities") or ():
            entity_rows[entity["id"]] = len(self.entity_doc)
            self.entity_doc.append(doc_index)
        rows = _Rows(entity_rows, *self._add_mentions(doc_index, doc.get("mentions") or (), entity_rows))
        for item in doc.get("quotes") or ():
            rows.quotes[item["id"]] = self._add_passage("quotes", doc_index, item, rows)
        for item in doc.get("claims") or ():
            self._add_passage("claims", doc_index, item, rows)

    def _add_mentions(self, doc_index: int, mentions, entity_rows: dict[str, int]) -> tuple[dict, dict]:
        """Append a document's mentions; (mention id -> row, mention id -> its entity row)."""
        buffers = self.mentions.buffers
        first = len(buffers["doc"])
        mention_rows = {mention["id"]: first + i for i, mention in enumerate(mentions)}
        entities = [NONE if mention.get("entity") is None else entity_rows[mention["entity"]] for mention in mentions]
        buffers["doc"].extend([doc_index] * len(mentions))
        buffers["start"].extend([mention["start"] for mention in mentions])
        buffers["end"].extend([mention["end"] for mention in mentions])
        buffers["type"].extend([self.types[mention["type"]] for mention in mentions])
        buffers["kind"].extend([self.default_kind if mention.get("kind") is None else self.kinds[mention["kind"]]
                                for mention in mentions])
        buffers["entity"].extend(entities)
        return mention_rows, dict(zip(mention_rows, entities))

    def _add_passage(self, layer: str, doc_index: int, item: dict, rows: _Rows) -> int:
        """Append one quote or claim with its fragments; its row."""
        columns = self.passages[layer]
        row = len(columns.buffers["doc"])
        for fragment in item["fragments"]:
            self.fragments[layer].append(owner=row, start=fragment["start"], end=fragment["end"])
        attribution = item["speaker" if layer == "quotes" else "claimant"]
        kind = attribution["kind"]
        attr_mention, attr_entity = rows.source(attribution)
        if layer == "quotes":
            cue = item.get("cue")
            label, link = self.quote_types[item["type"]], NONE
        else:
            cue = None
            label = int(bool(item["check_worthy"]))
            link = rows.quotes[item["quote"]] if item.get("quote") is not None else NONE
        columns.append(doc=doc_index, cue_start=cue["start"] if cue else NONE, cue_end=cue["end"] if cue else NONE,
                       label=label, attr_kind=self.attr_kinds[kind], attr_mention=attr_mention,
                       attr_entity=attr_entity, link=link)
        return row

    def finish(self) -> Layers:
        m = self.mentions
        mentions = Mentions(*(m.numpy(name) for name in ("doc", "start", "end", "type", "kind", "entity")))
        passages = {}
        for layer in ("quotes", "claims"):
            c, f = self.passages[layer], self.fragments[layer]
            passages[layer] = Passages(
                doc=c.numpy("doc"), frag_owner=f.numpy("owner"), frag_start=f.numpy("start"), frag_end=f.numpy("end"),
                cue_start=c.numpy("cue_start"), cue_end=c.numpy("cue_end"), label=c.numpy("label"),
                attr_kind=c.numpy("attr_kind"), attr_mention=c.numpy("attr_mention"), attr_entity=c.numpy("attr_entity"),
                link=c.numpy("link"))
        entity_doc = _numpy(self.entity_doc)
        return Layers(self.n_docs, len(entity_doc), entity_doc, mentions, passages["quotes"], passages["claims"],
                      {k: v.copy() for k, v in self.annotated.items()})
