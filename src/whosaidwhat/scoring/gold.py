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
from typing import Protocol

import numpy as np

from ..core.errors import UserError
from ..core.inventory import Inventory
from ..core.jsonfile import read_json
from ..splits import read_splits
from .layers import Layers, LayersBuilder
from .memory import release_free_memory

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
        """Ids of the documents of `split` (UserError for an unknown split)."""

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
    """A JSON file of the gold data; anything unreadable is a UserError naming the file."""
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
            raise UserError(f"{self.root / 'splits.json'}: no split {split!r}; it has {', '.join(self.splits) or 'none'}")
        return list(self.splits[split])

    def known_ids(self) -> set[str]:
        ids = {i for ids in self.splits.values() for i in ids}
        ids.update(p.stem for p in (self.root / "documents").glob("*.json"))
        return ids

    def documents(self, split: str) -> Iterator[tuple[str, dict]]:
        for doc_id in self.split_ids(split):
            path = self.root / "documents" / f"{doc_id}.json"
            if not path.is_file():
                raise UserError(f"{path}: missing, but {self.root / 'splits.json'} lists {doc_id!r} in split {split!r}")
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
            raise UserError(f"{self.folder}: no <split>-00000-of-0000N.parquet files; is {root} a WhoSaidWhat release?")
        version = _version_from(root / "release.json", "version") or _version_from(root / "croissant.json", "version")
        splits_version = _version_from(root / "release.json", "corpus", "splits_version")
        self.info = GoldInfo("release", str(root), version, splits_version, tuple(self.files))
        self._ids: dict[str, list[str]] = {}

    def _batches(self, split: str, columns, batch_size: int = 2048, prune: bool = False) -> Iterator[tuple[Path, list[dict]]]:
        """Record batches of `columns`; with `prune`, only the nested fields scoring reads (SCORED_FIELDS)."""
        import pyarrow.parquet as pq

        if split not in self.files:
            raise UserError(f"{self.folder}: no split {split!r}; it has {', '.join(self.files)}")
        for path in self.files[split]:
            try:
                parquet = pq.ParquetFile(path)
                missing = [c for c in columns if c not in parquet.schema_arrow.names]
                if missing:
                    raise UserError(f"{path}: not a `documents` config file: missing column(s) {', '.join(missing)}")
                selected = _scored_leaves(parquet, columns) if prune else list(columns)
                for batch in parquet.iter_batches(batch_size=batch_size, columns=selected, use_threads=False):
                    yield path, batch
            except UserError:
                raise
            except Exception as exc:  # pyarrow raises several types for damaged files
                raise UserError(f"{path}: cannot read Parquet ({exc})") from None

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
                    raise UserError(f"{self.folder}: document {doc_id!r} is in split {owner[doc_id]!r} and in split "
                                    f"{split!r}; a document belongs to exactly one split")
        return set(owner)

    def documents(self, split: str) -> Iterator[tuple[str, dict]]:
        for path, batch in self._batches(split, self.COLUMNS):
            for row in batch.to_pylist():
                yield f"{path}", row

    def load_split(self, split: str, index: dict[str, int], inventory: Inventory) -> LoadedSplit:
        """Vectorised: each record batch goes to numpy columns through pyarrow compute.

        Texts are not kept: only their lengths (for range checks) and where each one is, so a
        surface-text check can read it back from its row group.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        from .arrow_layers import ArrowLayersBuilder, MalformedGold, ints

        builder = ArrowLayersBuilder(inventory, len(index))
        pool = pa.default_memory_pool()
        hashes = [""] * len(index)
        lengths = np.full(len(index), -2, dtype=np.int64)
        where = np.zeros((len(index), 2), dtype=np.int64)  # (file number, row in file)
        row_in = {}
        for path, batch in self._batches(split, self.COLUMNS, batch_size=4096, prune=True):
            ids = batch.column("id").to_pylist()
            try:
                doc_index = np.fromiter((index[i] for i in ids), dtype=np.int64, count=len(ids))
            except (KeyError, TypeError):
                unknown = [i for i in ids if i not in index]
                raise UserError(f"{path}: document id {unknown[0]!r} is not listed in split {split!r}") from None
            if (lengths[doc_index] != -2).any() or len(set(ids)) != len(ids):
                raise UserError(f"{path}: a document appears twice in split {split!r}")
            lengths[doc_index] = ints(pc.utf8_length(batch.column("text")), -1)
            first = row_in.get(path, 0)
            where[doc_index, 0] = self.files[split].index(path)
            where[doc_index, 1] = np.arange(first, first + len(ids))
            row_in[path] = first + len(ids)
            for i, digest in zip(doc_index.tolist(), batch.column("text_sha256").to_pylist()):
                hashes[i] = digest
            try:
                builder.add(batch, doc_index)
            except MalformedGold as exc:
                raise UserError(f"{path}: {ids[exc.row]}: $.{exc.field}: gold document is malformed ({exc.detail}); "
                                "run `wsw release --verify` on it") from None
            pool.release_unused()  # mimalloc would otherwise keep the decoding buffers of every batch
        missing = [doc_id for doc_id, i in index.items() if lengths[i] == -2]
        if missing:
            raise UserError(f"{self.folder}: split {split!r} lacks document(s) {', '.join(missing[:5])}")
        return LoadedSplit(builder.finish(), lengths, hashes, _RowGroupTexts(self.files[split], where))


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
        raise UserError(f"{root}: gold data must be a corpus folder (documents/, splits.json) or a release folder "
                        "(data/documents/*.parquet)")
    if (root / "splits.json").is_file():
        return CorpusGold(root)
    if (root / "data" / "documents").is_dir():
        return ReleaseGold(root)
    raise UserError(f"{root}: neither a corpus folder (needs splits.json and documents/) nor a release folder "
                    "(needs data/documents/<split>-*.parquet)")


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
    provenance = doc.get("provenance")
    if isinstance(provenance, str):
        try:
            provenance = json.loads(provenance)
        except json.JSONDecodeError:
            return None
    try:
        return provenance["layers"][layer]["status"]
    except (TypeError, KeyError):
        return None


def _load_documents(documents, split: str, index: dict[str, int], inventory: Inventory) -> LoadedSplit:
    """The dict path: canonical documents one at a time into a `LayersBuilder`; texts kept as Arrow strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .arrow_layers import ints, string_array

    builder = LayersBuilder(inventory, len(index))
    chunks, pending = [], []  # texts are kept as Arrow strings (one buffer), not Python objects
    text_row = np.full(len(index), -1, dtype=np.int64)
    hashes = [""] * len(index)
    seen = 0
    for where, doc in documents:
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(doc_id, str) or doc_id not in index:
            raise UserError(f"{where}: document id {doc_id!r} is not listed in split {split!r}")
        i = index[doc_id]
        if text_row[i] >= 0:
            raise UserError(f"{where}: document {doc_id!r} appears twice in split {split!r}")
        text_row[i] = seen
        seen += 1
        try:
            text, digest = doc["text"], doc["text_sha256"]
            if not (text is None or isinstance(text, str)) or not (isinstance(digest, str) and _HEX64.match(digest)):
                raise ValueError("text must be a string or null and text_sha256 64 hex digits, found "
                                 f"{type(text).__name__} and {str(digest)[:70]!r}")
            if text is not None:
                text.encode("utf-8")  # a lone surrogate (a broken \ud83d escape) is not text: UnicodeEncodeError
            pending.append(text)
            if len(pending) == 1024:
                chunks.append(string_array(pending))
                pending = []
            hashes[i] = digest
            for layer in LAYER_NAMES:
                if _layer_status(doc, layer) == "absent":
                    builder.mark_absent(i, layer)
            builder.add(i, doc)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as exc:
            # ValueError includes UnicodeEncodeError; OverflowError: an offset beyond 64 bits
            raise UserError(f"{where}: {doc_id}: gold document is malformed ({type(exc).__name__}: {str(exc)[:200]}); "
                            "run `wsw validate` on the gold data") from None
    missing = [doc_id for doc_id, i in index.items() if text_row[i] < 0]
    if missing:
        raise UserError(f"split {split!r} lists document(s) that are not in the gold data: {', '.join(missing[:5])}")
    chunks.append(string_array(pending))
    texts = pa.concat_arrays(chunks)
    lengths = ints(pc.utf8_length(texts), -1)[text_row]
    return LoadedSplit(builder.finish(), lengths, hashes, lambda i: texts[int(text_row[i])].as_py())


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

    def order(doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        perm = np.argsort(doc, kind="stable")
        rank = np.empty(len(perm), dtype=np.int64)
        rank[perm] = np.arange(len(perm))
        return perm, rank

    def renumber(refs: np.ndarray, rank: np.ndarray) -> np.ndarray:
        return np.where(refs >= 0, rank[np.maximum(refs, 0)] if len(rank) else -1, -1)

    def put(*arrays) -> None:
        for array in arrays:
            digest.update(np.ascontiguousarray(array, dtype="<i8").tobytes())
            digest.update(b"|")

    e_perm, e_rank = order(layers.entity_doc)
    m = layers.mentions
    m_perm, m_rank = order(m.doc)
    put(layers.entity_doc[e_perm], m.doc[m_perm], m.start[m_perm], m.end[m_perm], m.type[m_perm], m.kind[m_perm],
        renumber(m.entity, e_rank)[m_perm])
    q_rank = None
    for items in (layers.quotes, layers.claims):
        perm, rank = order(items.doc)
        owner = renumber(items.frag_owner, rank)
        f_perm = np.argsort(owner, kind="stable")
        link = renumber(items.link, q_rank) if q_rank is not None else items.link
        put(items.doc[perm], items.cue_start[perm], items.cue_end[perm], items.label[perm], items.attr_kind[perm],
            renumber(items.attr_mention, m_rank)[perm], renumber(items.attr_entity, e_rank)[perm], link[perm],
            owner[f_perm], items.frag_start[f_perm], items.frag_end[f_perm])
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
        raise UserError(f"{source.info.path}: split {split!r} lists document(s) more than once: {', '.join(duplicates[:5])}")
    doc_ids = sorted(ids)
    index = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    loaded = source.load_split(split, index, inventory)
    release_free_memory()
    absent = {layer: int((~loaded.layers.annotated[layer]).sum()) for layer in LAYER_NAMES}
    known = frozenset(i for i in source.known_ids() if i not in index)
    return GoldSet(source.info, split, doc_ids, index, known, loaded.text_sha256, loaded.text_length,
                   loaded.fetch_text, loaded.layers,
                   content_checksum(doc_ids, loaded.text_sha256, loaded.layers, inventory),
                   int((loaded.text_length < 0).sum()), absent)
