"""Per-document metric counts: the one intermediate every number of a score is computed from.

A `CountTable` holds one row per gold document and one integer column per count (gold spans,
matched pairs, correct speakers, ...). Counts add up: a corpus total is a column sum, tables of
disjoint documents concatenate, and a bootstrap resample is a weighted sum of rows, i.e. a
matrix product. Saved as Parquet (`wsw score --per-doc FILE`) they can be merged or re-scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class CountTable:
    """Rows: documents (`doc_ids`); columns: named integer counts (`names`), as a (docs x counts) matrix."""

    doc_ids: tuple[str, ...]
    names: tuple[str, ...]
    values: np.ndarray

    @classmethod
    def from_columns(cls, doc_ids, columns: dict[str, np.ndarray]) -> CountTable:
        names = tuple(columns)
        fits = all(len(c) == 0 or (int(c.max()) < 2**31 and int(c.min()) >= -2**31) for c in columns.values())
        values = np.zeros((len(doc_ids), len(names)), dtype=np.int32 if fits else np.int64)  # int32 halves memory
        for k, name in enumerate(names):
            values[:, k] = columns[name]
        return cls(tuple(doc_ids), names, values)

    @classmethod
    def from_columns_consumed(cls, doc_ids, columns: dict[str, np.ndarray]) -> CountTable:
        """Like `from_columns`, emptying `columns` as it goes so both never coexist in full."""
        names = tuple(columns)
        fits = all(len(c) == 0 or (int(c.max()) < 2**31 and int(c.min()) >= -2**31) for c in columns.values())
        values = np.zeros((len(doc_ids), len(names)), dtype=np.int32 if fits else np.int64)
        for k, name in enumerate(names):
            values[:, k] = columns.pop(name)
        return cls(tuple(doc_ids), names, values)

    def __len__(self) -> int:
        return len(self.doc_ids)

    def index(self, name: str) -> int:
        return self.names.index(name)

    def column(self, name: str) -> np.ndarray:
        return self.values[:, self.index(name)]

    def sums(self) -> dict[str, int]:
        """Corpus totals of every column."""
        return dict(zip(self.names, (int(v) for v in self.values.sum(axis=0))))

    def select(self, names) -> CountTable:
        names = tuple(names)
        return CountTable(self.doc_ids, names, self.values[:, [self.index(n) for n in names]])

    @staticmethod
    def concat(tables: list[CountTable]) -> CountTable:
        """Rows of several tables over disjoint documents, with identical columns."""
        if not tables:
            raise ValueError("nothing to concatenate")
        names = tables[0].names
        for table in tables[1:]:
            if table.names != names:
                raise ValueError("count tables have different columns (different scorer settings or versions?)")
        doc_ids = tuple(d for t in tables for d in t.doc_ids)
        if len(set(doc_ids)) != len(doc_ids):
            raise ValueError("count tables share documents; concatenate tables of disjoint documents only")
        return CountTable(doc_ids, names, np.concatenate([t.values for t in tables]))

    def to_arrow(self):
        import pyarrow as pa

        arrays = [pa.array(self.doc_ids, type=pa.string())] + [pa.array(self.values[:, k]) for k in range(len(self.names))]
        return pa.table(arrays, names=["doc_id", *self.names])

    def write_parquet(self, path: str | Path, metadata: dict[str, str] | None = None) -> None:
        """Write atomically as Parquet, one row per document; `metadata` goes into the file's key-value metadata."""
        import pyarrow.parquet as pq

        from ..core.atomic import atomic_open

        table = self.to_arrow()
        if metadata:
            table = table.replace_schema_metadata({k.encode(): v.encode() for k, v in metadata.items()})
        with atomic_open(path, "wb") as fh:
            pq.write_table(table, fh)

    @classmethod
    def read_parquet(cls, path: str | Path) -> CountTable:
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        names = tuple(n for n in table.column_names if n != "doc_id")
        values = np.stack([table.column(n).to_numpy() for n in names], axis=1) if names else np.zeros((table.num_rows, 0))
        return cls(tuple(table.column("doc_id").to_pylist()), names, values.astype(np.int64))
