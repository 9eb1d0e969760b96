"""Streaming, byte-reproducible Parquet writing, one shard file at a time.

Rows are buffered one row group at a time, so memory stays bounded whatever the shard size.
Writer settings are fixed here and nothing time-dependent is written, so the same rows always
give the same bytes with the same pyarrow version. Files are named
`<split>-00000-of-00003.parquet`, the layout `datasets` and the Hub recognise.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

#: Every setting that affects the bytes, fixed. zstd level 3 is compact and fast to read;
#: page checksums let readers detect corruption.
WRITER_OPTIONS = dict(
    version="2.6",
    compression="zstd",
    compression_level=3,
    use_dictionary=True,
    write_statistics=True,
    data_page_version="1.0",
    write_page_checksum=True,
)

#: Documents per shard: every config's shard k holds the items of the same documents. Shards
#: are built in parallel, so this also sets the unit of parallel work.
DEFAULT_DOCS_PER_SHARD = 5_000
DEFAULT_ROW_GROUP_SIZE = {"documents": 1_000, "entities": 50_000, "mentions": 50_000, "quotes": 20_000, "claims": 20_000,
                          "producers": 50_000, "annotations": 1_000, "decisions": 20_000, "corrections": 20_000}


def shard_name(split: str, index: int, total: int) -> str:
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


class ShardFile:
    """One Parquet file of one config, written in row groups of `row_group_size` rows (created even if empty)."""

    def __init__(self, path: Path, schema: pa.Schema, row_group_size: int):
        if row_group_size < 1:
            raise ValueError("row_group_size must be positive")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.schema = schema
        self.row_group_size = row_group_size
        self.num_rows = 0
        self.num_bytes = 0  # in-memory Arrow size of the rows, as `datasets` reports dataset sizes
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._writer = pq.ParquetWriter(path, schema, **WRITER_OPTIONS)

    def _write(self, table: pa.Table) -> None:
        self._writer.write_table(table, row_group_size=max(1, table.num_rows))
        self.num_rows += table.num_rows
        self.num_bytes += table.nbytes

    def add(self, table: pa.Table) -> None:
        """Queue rows; every full row group is written at once."""
        if table.num_rows == 0:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        if self._pending_rows >= self.row_group_size:
            rows = pa.concat_tables(self._pending).combine_chunks()
            full = rows.num_rows - rows.num_rows % self.row_group_size
            for start in range(0, full, self.row_group_size):
                self._write(rows.slice(start, self.row_group_size))
            rest = rows.slice(full)
            self._pending, self._pending_rows = ([rest] if rest.num_rows else []), rest.num_rows

    def close(self) -> None:
        if self._pending_rows:
            self._write(pa.concat_tables(self._pending).combine_chunks())
            self._pending, self._pending_rows = [], 0
        self._writer.close()

    def abort(self) -> None:
        self._writer.close()
