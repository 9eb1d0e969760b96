"""Gold data for scoring: a corpus folder or a release folder, behind one small interface.

A `GoldSource` names its splits, yields canonical documents (text may be null where a release
withholds it) and loads a split as columns. `load_gold` turns one split into a `GoldSet`:
documents indexed in id order, their layers as numpy columns, text lengths for range checks,
texts on demand for surface-text checks, and a content checksum that depends only on what is
scored (document ids, text hashes, annotations, not item ids or surface strings), so the same
gold read from the corpus or from a release, with or without texts, has the same checksum.
A corpus is read document by document; a release column by column with pyarrow compute
(`arrow_layers`), without a Python object per span.

Layouts:
* corpus: `documents/<id>.json` and `splits.json` {"version", "rationale", "splits": {split: [ids]}};
  the version comes from `dataset.json` ("version") when present;
* release: `data/documents/<split>-NNNNN-of-NNNNN.parquet` (rows are canonical documents with
  list-of-struct layers), version from `release.json` (or `croissant.json`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..core.inventory import Inventory
from ..core.jsonfile import read_json
from ..core.problems import ProblemError, fail
from ..splits import read_splits
from .gold_checks import GoldProblems, document_problems, gold_problem
from .layers import Layers, LayersBuilder

LAYER_NAMES = ("mentions", "quotes", "claims")
_SHARD = re.compile(r"^(?P<split>[A-Za-z0-9_]+)-\d{5}-of-\d{5}\.parquet$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class GoldInfo:
    """Where the gold came from, for the record of every score."""

    kind: str                 # "corpus" or "release"
    path: str
    version: str | None
    splits_version: str | None
    splits: tuple[str, ...]


class GoldSource(Protocol):
    """What the scorer needs from a gold data folder."""

    info: GoldInfo

    def split_ids(self, split: str) -> list[str]:
        """Ids of the documents of `split` (GOLD-SPLIT-UNKNOWN for an unknown split)."""

    def known_ids(self) -> set[str]:
        """Ids of every document in the gold data, in any split."""

    def documents(self, split: str) -> Iterator[tuple[str, dict]]:
        """(location, canonical document) for every document of `split`."""

    def load_split(self, split: str, index: dict[str, int], inventory: Inventory) -> LoadedSplit:
        """The layers, text lengths and hashes of `split` (documents numbered by `index`) and a text reader."""


@dataclass
class LoadedSplit:
    """What a source hands to `load_gold`: layers, text lengths and hashes, and a way to get a text."""

    layers: Layers
    text_length: np.ndarray          # code points per document index; -1 where the text is withheld
    text_sha256: list[str]           # by document index
    fetch_text: Callable[[int], str | None]  # document index -> text (None if withheld), read when needed


def _read_json(path: Path, hint: str = ""):
    """A JSON file of the gold data; anything unreadable is a ProblemError naming the file."""
    return read_json(path, "gold data", hint)


def _version_from(path: Path, *keys: str) -> str | None:
    if not path.is_file():
        return None
    value = _read_json(path)
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


class CorpusGold:
    """A corpus folder: documents/<id>.json plus splits.json."""

    def __init__(self, root: Path):
        self.root = root
        splits = read_splits(root / "splits.json", "gold data")
        self.splits = splits.members
        self.info = GoldInfo("corpus", str(root), _version_from(root / "dataset.json", "version"),
                             splits.version, tuple(self.splits))

    def split_ids(self, split: str) -> list[str]:
        if split not in self.splits:
            fail("GOLD-SPLIT-UNKNOWN", "the gold data has no such split", file=str(self.root / "splits.json"),
                 path="$.splits", found=split, expected="one of " + (", ".join(self.splits) or "(none)"))
        return list(self.splits[split])

    def known_ids(self) -> set[str]:
        ids = {i for ids in self.splits.values() for i in ids}
        ids.update(p.stem for p in (self.root / "documents").glob("*.json"))
        return ids

    def documents(self, split: str) -> Iterator[tuple[str, dict]]:
        for doc_id in self.split_ids(split):
            path = self.root / "documents" / f"{doc_id}.json"
            if not path.is_file():
                fail("GOLD-DOC-MISSING", f"no such document file, but {self.root / 'splits.json'} lists it in split "
                     f"{split!r}", file=str(path), doc_id=doc_id)
            yield str(path), _read_json(path, "run `wsw validate` on it")


    def load_split(self, split: str, index: dict[str, int], inventory: Inventory) -> LoadedSplit:
        return _load_documents(self.documents(split), split, index, inventory)


#: the nested fields of a release's `documents` rows that scoring reads (list levels left out);
#: the rest (surface strings, names, producers, ...) is not decoded at all
SCORED_FIELDS = frozenset({
    "id", "text", "text_sha256",
    *(f"provenance.layers.{layer}.status" for layer in LAYER_NAMES),
    "entities.id", *(f"mentions.{k}" for k in ("id", "start", "end", "type", "kind", "entity")),
    *(f"{layer}.{k}" for layer in ("quotes", "claims") for k in ("id", "fragments.start", "fragments.end")),
    "quotes.cue.start", "quotes.cue.end", "quotes.type", "claims.quote", "claims.check_worthy",
    *(f"quotes.speaker.{k}" for k in ("kind", "mention", "entity")),
    *(f"claims.claimant.{k}" for k in ("kind", "mention", "entity")),
})
_LIST_LEVEL = re.compile(r"\.list\.(element|item)(?=\.|$)")


def _scored_leaves(parquet, columns) -> list[str]:
    """The Parquet leaf columns of SCORED_FIELDS under `columns`; a column none of whose leaves is
    named there (say, provenance stored as a JSON string) is read whole."""
    leaves = [parquet.schema.column(i).path for i in range(len(parquet.schema))]
    selected = []
    for column in columns:
        mine = [leaf for leaf in leaves if leaf == column or leaf.startswith(column + ".")]
        wanted = [leaf for leaf in mine if _LIST_LEVEL.sub("", leaf) in SCORED_FIELDS]
        selected.extend(wanted or [column])
    return selected


class ReleaseGold:
    """A release folder: the `documents` config, read with pyarrow one record batch at a time."""

    COLUMNS = ("id", "text", "text_sha256", "provenance", "entities", "mentions", "quotes", "claims")

    def __init__(self, root: Path):
        self.root = root
        self.folder = root / "data" / "documents"
        self.files: dict[str, list[Path]] = {}
        for path in sorted(self.folder.glob("*.parquet")):
            match = _SHARD.match(path.name)
            if match:
                self.files.setdefault(match["split"], []).append(path)
        if not self.files:
            fail("GOLD-LAYOUT", f"no <split>-00000-of-0000N.parquet files; is {root} a WhoSaidWhat release?",
                 file=str(self.folder))
        version = _version_from(root / "release.json", "version") or _version_from(root / "croissant.json", "version")
        splits_version = _version_from(root / "release.json", "corpus", "splits_version")
        self.info = GoldInfo("release", str(root), version, splits_version, tuple(self.files))
        self._ids: dict[str, list[str]] = {}

    def _batches(self, split: str, columns, batch_size: int = 2048, prune: bool = False) -> Iterator[tuple[Path, Any]]:
        """Record batches of `columns`; with `prune`, only the nested fields scoring reads (SCORED_FIELDS)."""
        import pyarrow.parquet as pq

        if split not in self.files:
            fail("GOLD-SPLIT-UNKNOWN", "the gold data has no such split", file=str(self.folder), found=split,
                 expected="one of " + ", ".join(self.files))
        for path in self.files[split]:
            try:
                parquet = pq.ParquetFile(path)
                missing = [c for c in columns if c not in parquet.schema_arrow.names]
                if missing:
                    fail("GOLD-LAYOUT", "not a `documents` config file: missing column(s)", file=str(path),
                         found=", ".join(missing), expected=", ".join(columns))
                selected = _scored_leaves(parquet, columns) if prune else list(columns)
                for batch in parquet.iter_batches(batch_size=batch_size, columns=selected, use_threads=False):
                    yield path, batch
            except ProblemError:
                raise
            except Exception as exc:  # pyarrow raises several types for damaged files
                fail("GOLD-PARQUET", f"cannot read Parquet ({exc})", file=str(path))

    def split_ids(self, split: str) -> list[str]:
        if split not in self._ids:
            self._ids[split] = [i for _, batch in self._batches(split, ("id",))
                                for i in batch.column("id").to_pylist()]
        return list(self._ids[split])

    def known_ids(self) -> set[str]:
        owner: dict[str, str] = {}
        for split in self.files:
            for doc_id in self.split_ids(split):
                if owner.setdefault(doc_id, split) != split:
                    fail("GOLD-DOC-DUPLICATE", "a document belongs to exactly one split", file=str(self.folder),
                         doc_id=doc_id, found=f"in split {owner[doc_id]!r} and in split {split!r}")
        return set(owner)

    def documents(self, split: str) -> Iterator[tuple[str, dict]]:
        for path, batch in self._batches(split, self.COLUMNS):
            for row in batch.to_pylist():
                yield f"{path}", row

    def load_split(self, split: str, index: dict[str, int], inventory: Inventory) -> LoadedSplit:
        """Vectorised: each record batch goes to numpy columns through pyarrow compute, checked as it goes.

        Texts are not kept: only their lengths (for range checks) and where each one is, so a
        surface-text check can read it back from its row group.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        from .arrow_layers import ArrowLayersBuilder, ints

        builder = ArrowLayersBuilder(inventory, len(index))
        pool = pa.default_memory_pool()
        hashes = [""] * len(index)
        lengths = np.full(len(index), -2, dtype=np.int64)
        where = np.zeros((len(index), 2), dtype=np.int64)  # (file number, row in file)
        row_in: dict[Path, int] = {}
        problems = GoldProblems()
        for path, batch in self._batches(split, self.COLUMNS, batch_size=4096, prune=True):
            ids = batch.column("id").to_pylist()
            doc_index = self._rows(path, ids, split, index, lengths)
            texts = batch.column("text")
            lengths[doc_index] = -1 if pa.types.is_null(texts.type) else ints(pc.utf8_length(texts), -1)
            first = row_in.get(path, 0)
            where[doc_index, 0] = self.files[split].index(path)
            where[doc_index, 1] = np.arange(first, first + len(ids))
            row_in[path] = first + len(ids)
            for i, digest, doc_id in zip(doc_index.tolist(), batch.column("text_sha256").to_pylist(), ids):
                hashes[i] = digest
                if not (isinstance(digest, str) and _HEX64.match(digest)):
                    problems.add([gold_problem("SCHEMA", "text_sha256 must be 64 lower-case hex digits", str(path),
                                               doc_id, "$.text_sha256", repr(digest), "a SHA-256")])

            def report(row: int, json_path: str, rule: str, message: str, found: str | None, expected: str | None,
                       file: str = str(path), names: list = ids) -> None:
                problems.add([gold_problem(rule, message, file, names[row], json_path, found, expected)])

            builder.add(batch, doc_index, lengths[doc_index], report)
            pool.release_unused()  # mimalloc would otherwise keep the decoding buffers of every batch
        problems.stop()
        missing = [doc_id for doc_id, i in index.items() if lengths[i] == -2]
        if missing:
            fail("GOLD-DOC-MISSING", f"split {split!r} lacks document(s) {', '.join(missing[:5])}",
                 file=str(self.folder), doc_id=missing[0])
        return LoadedSplit(builder.finish(), lengths, hashes, _RowGroupTexts(self.files[split], where))

    def _rows(self, path: Path, ids: list, split: str, index: dict[str, int], lengths: np.ndarray) -> np.ndarray:
        """Gold index of each row of a batch; GOLD-DOC-UNLISTED, GOLD-DOC-DUPLICATE."""
        try:
            doc_index = np.fromiter((index[i] for i in ids), dtype=np.int64, count=len(ids))
        except (KeyError, TypeError):
            unknown = next(i for i in ids if i not in index)
            fail("GOLD-DOC-UNLISTED", f"the document is not listed in split {split!r}", file=str(path),
                 doc_id=None if unknown is None else str(unknown), path="$.id", found=repr(unknown))
        if (lengths[doc_index] != -2).any() or len(set(ids)) != len(ids):
            seen = {i for i in ids if lengths[index[i]] != -2}
            twice = next((i for i in ids if i in seen), None) or next(i for i in ids if ids.count(i) > 1)
            fail("GOLD-DOC-DUPLICATE", f"the document appears twice in split {split!r}", file=str(path), doc_id=twice)
        return doc_index


class _RowGroupTexts:
    """Reads a release text back by (file, row), keeping the last row group's texts."""

    def __init__(self, files: list[Path], where: np.ndarray):
        self.files, self.where = files, where
        self.cached: tuple | None = None

    def __call__(self, index: int) -> str | None:
        import pyarrow.parquet as pq

        file_number, row = (int(x) for x in self.where[index])
        parquet = pq.ParquetFile(self.files[file_number])
        starts = np.cumsum([0] + [parquet.metadata.row_group(g).num_rows for g in range(parquet.num_row_groups)])
        group = int(np.searchsorted(starts, row, side="right") - 1)
        if self.cached is None or self.cached[:2] != (file_number, group):
            self.cached = (file_number, group, parquet.read_row_group(group, columns=["text"]).column("text"))
        return self.cached[2][row - int(starts[group])].as_py()


def open_gold(path: str | Path) -> GoldSource:
    """The gold source at `path`: a corpus folder or a release folder."""
    root = Path(path)
    if not root.is_dir():
        fail("GOLD-LAYOUT", "gold data must be a corpus folder (documents/, splits.json) or a release folder "
                            "(data/documents/*.parquet)", file=str(root))
    if (root / "splits.json").is_file():
        return CorpusGold(root)
    if (root / "data" / "documents").is_dir():
        return ReleaseGold(root)
    fail("GOLD-LAYOUT", "neither a corpus folder (needs splits.json and documents/) nor a release folder "
                        "(needs data/documents/<split>-*.parquet)", file=str(root))


@dataclass
class GoldSet:
    """One split of the gold data, ready to score against."""

    info: GoldInfo
    split: str
    doc_ids: list[str]
    index: dict[str, int]
    other_ids: frozenset      # ids of the gold documents of other splits
    text_sha256: list[str]
    text_length: np.ndarray   # code points per document; -1 where the text is withheld
    fetch_text: Callable[[int], str | None]
    layers: Layers
    content_sha256: str
    withheld: int
    absent_layers: dict = field(default_factory=dict)  # layer -> number of documents where it is not annotated

    def text(self, index: int) -> str | None:
        """The gold text of a document (read from the source when needed), None if withheld."""
        return self.fetch_text(index)


def _layer_status(doc: dict, layer: str) -> str | None:
    provenance: Any = doc.get("provenance")
    if isinstance(provenance, str):
        try:
            provenance = json.loads(provenance)
        except json.JSONDecodeError:
            return None
    try:
        return provenance["layers"][layer]["status"]
    except (TypeError, KeyError):
        return None


class _DocumentReader:
    """The dict path: canonical documents one at a time, each checked by the document rules, into a
    `LayersBuilder`; texts kept as Arrow strings (one buffer), not Python objects."""

    def __init__(self, split: str, index: dict[str, int], inventory: Inventory):
        self.split, self.index, self.inventory = split, index, inventory
        self.builder = LayersBuilder(inventory, len(index))
        self.chunks: list = []
        self.pending: list[str | None] = []
        self.text_row = np.full(len(index), -1, dtype=np.int64)
        self.hashes = [""] * len(index)
        self.seen = 0
        self.problems = GoldProblems()

    def place(self, where: str, doc: object) -> int:
        """The gold index of a document (GOLD-DOC-UNLISTED, GOLD-DOC-DUPLICATE), its text row taken."""
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(doc_id, str) or doc_id not in self.index:
            fail("GOLD-DOC-UNLISTED", f"the document is not listed in split {self.split!r}", file=where,
                 doc_id=doc_id if isinstance(doc_id, str) else None, path="$.id", found=repr(doc_id))
        i = self.index[doc_id]
        if self.text_row[i] >= 0:
            fail("GOLD-DOC-DUPLICATE", f"the document appears twice in split {self.split!r}", file=where, doc_id=doc_id)
        self.text_row[i] = self.seen
        self.seen += 1
        return i

    def take(self, where: str, doc: object) -> None:
        found = document_problems(doc, where, self.inventory)
        if found and not (isinstance(doc, dict) and isinstance(doc.get("id"), str)):
            self.problems.add(found)  # no usable id: nothing to place
            return
        i = self.place(where, doc)
        assert isinstance(doc, dict)
        self.pending.append(doc.get("text") if isinstance(doc.get("text"), str) else None)
        if len(self.pending) == 1024:
            from .arrow_layers import string_array

            self.chunks.append(string_array(self.pending))
            self.pending = []
        if found:
            self.problems.add(found)
            return
        if self.problems:
            return  # nothing will be scored: no need to build anything
        self.hashes[i] = doc["text_sha256"]
        for layer in LAYER_NAMES:
            if _layer_status(doc, layer) == "absent":
                self.builder.mark_absent(i, layer)
        try:
            self.builder.add(i, doc)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as exc:
            # a shape the document rules let through but the scorer cannot read (a gap in the rules)
            self.problems.add([gold_problem("SCHEMA", f"the scorer cannot read the document ({type(exc).__name__}: "
                                                      f"{str(exc)[:200]})", where, str(doc.get("id")), "$")])

    def finish(self) -> LoadedSplit:
        import pyarrow as pa
        import pyarrow.compute as pc

        from .arrow_layers import ints, string_array

        self.problems.stop()
        missing = [doc_id for doc_id, i in self.index.items() if self.text_row[i] < 0]
        if missing:
            fail("GOLD-DOC-MISSING", f"split {self.split!r} lists document(s) that are not in the gold data: "
                                     f"{', '.join(missing[:5])}", doc_id=missing[0])
        self.chunks.append(string_array(self.pending))
        texts = pa.concat_arrays(self.chunks)
        text_row = self.text_row
        lengths = ints(pc.utf8_length(texts), -1)[text_row]
        return LoadedSplit(self.builder.finish(), lengths, self.hashes, lambda i: texts[int(text_row[i])].as_py())


def _load_documents(documents, split: str, index: dict[str, int], inventory: Inventory) -> LoadedSplit:
    """Canonical documents `(location, document)` of one split, checked, as a `LoadedSplit`."""
    reader = _DocumentReader(split, index, inventory)
    for where, doc in documents:
        reader.take(where, doc)
    return reader.finish()


def content_checksum(doc_ids: list[str], hashes: list[str], layers: Layers, inventory: Inventory) -> str:
    """SHA-256 of what is scored: ids, text hashes, labels and every layer column, in canonical order.

    Rows are put in document order (keeping each document's list order) and references are
    renumbered accordingly, so the checksum does not depend on the order documents were read in,
    on surface texts or on item ids; a corpus and a release built from it agree.
    """
    digest = hashlib.sha256()
    digest.update("".join(f"{doc_id}\t{text_hash}\n" for doc_id, text_hash in zip(doc_ids, hashes)).encode())
    for group in ("entity_types", "mention_kinds", "quote_types", "attribution_kinds"):
        digest.update(("|".join(getattr(inventory, group)) + "\n").encode())

    def order(doc: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(stable sort permutation, rank of each row); (None, None) when `doc` is in order already (the usual case)."""
        if len(doc) < 2 or bool((doc[1:] >= doc[:-1]).all()):
            return None, None
        perm = np.argsort(doc, kind="stable")
        rank = np.empty(len(perm), dtype=np.int64)
        rank[perm] = np.arange(len(perm))
        return perm, rank

    def renumber(refs: np.ndarray, rank: np.ndarray | None) -> np.ndarray:
        if rank is None:
            return np.where(refs >= 0, refs, -1)
        return np.where(refs >= 0, rank[np.maximum(refs, 0)] if len(rank) else -1, -1)

    def put(*arrays) -> None:
        for array in arrays:
            digest.update(np.ascontiguousarray(array, dtype="<i8").tobytes())
            digest.update(b"|")

    def at(array: np.ndarray, perm: np.ndarray | None) -> np.ndarray:
        return array if perm is None else array[perm]

    e_perm, e_rank = order(layers.entity_doc)
    m = layers.mentions
    m_perm, m_rank = order(m.doc)
    put(at(layers.entity_doc, e_perm), at(m.doc, m_perm), at(m.start, m_perm), at(m.end, m_perm), at(m.type, m_perm),
        at(m.kind, m_perm), at(renumber(m.entity, e_rank), m_perm))
    q_rank: np.ndarray | None = None
    for items in (layers.quotes, layers.claims):
        perm, rank = order(items.doc)
        owner = renumber(items.frag_owner, rank)
        f_perm, _ = order(owner)
        link = items.link if items is layers.quotes else renumber(items.link, q_rank)  # claims link to quotes
        put(at(items.doc, perm), at(items.cue_start, perm), at(items.cue_end, perm), at(items.label, perm),
            at(items.attr_kind, perm), at(renumber(items.attr_mention, m_rank), perm),
            at(renumber(items.attr_entity, e_rank), perm), at(link, perm),
            at(owner, f_perm), at(items.frag_start, f_perm), at(items.frag_end, f_perm))
        q_rank = rank
    for layer in LAYER_NAMES:
        put(layers.annotated[layer])
    return digest.hexdigest()


def load_gold(source: GoldSource, split: str, inventory: Inventory) -> GoldSet:
    """Read one split into a `GoldSet` (documents indexed in sorted id order)."""
    ids = source.split_ids(split)
    if len(set(ids)) != len(ids):
        seen, duplicates = set(), []
        for i in ids:
            if i in seen:
                duplicates.append(i)
            seen.add(i)
        fail("GOLD-DOC-DUPLICATE", f"split {split!r} lists document(s) more than once", file=source.info.path,
             doc_id=duplicates[0], found=", ".join(duplicates[:5]))
    doc_ids = sorted(ids)
    index = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    loaded = source.load_split(split, index, inventory)
    absent = {layer: int((~loaded.layers.annotated[layer]).sum()) for layer in LAYER_NAMES}
    known = frozenset(i for i in source.known_ids() if i not in index)
    return GoldSet(source.info, split, doc_ids, index, known, loaded.text_sha256, loaded.text_length,
                   loaded.fetch_text, loaded.layers,
                   content_checksum(doc_ids, loaded.text_sha256, loaded.layers, inventory),
                   int((loaded.text_length < 0).sum()), absent)


class MemoryGold:
    """Gold documents given in memory as one split (`wsw agreement` scores one annotation against another)."""

    def __init__(self, documents: list[dict], split: str, name: str = "<memory>"):
        self.docs, self.split = list(documents), split
        self.info = GoldInfo("memory", name, None, None, (split,))

    def split_ids(self, split: str) -> list[str]:
        if split != self.split:
            fail("GOLD-SPLIT-UNKNOWN", "the gold data has no such split", file=self.info.path, found=split,
                 expected=self.split)
        return [doc["id"] for doc in self.docs if isinstance(doc, dict) and isinstance(doc.get("id"), str)]

    def known_ids(self) -> set[str]:
        return set(self.split_ids(self.split))

    def documents(self, split: str) -> Iterator[tuple[str, dict]]:
        self.split_ids(split)
        for k, doc in enumerate(self.docs):
            yield f"{self.info.path}[{k}]", doc

    def load_split(self, split: str, index: dict[str, int], inventory: Inventory) -> LoadedSplit:
        return _load_documents(self.documents(split), split, index, inventory)
