"""Splitting inputs into shards, in the order the local engine reads them.

* Documents (`wsw predict`, `wsw validate`): a JSONL file is a shard; consecutive `.json` files
  of a folder are grouped, `FILES_PER_SHARD` at a time; a release folder gives one shard per
  Parquet row group of its `documents` files. The shards' order is the local engine's reading
  order, so results merged shard after shard are in that order too.
* A submission (`wsw score`): a JSONL file is cut into line-aligned byte ranges (the client only
  seeks to the cut points, it does not read the file); a Parquet file into groups of row groups.

Sizes: by default about four shards per worker, capped (`SHARD_BYTES`, `SHARD_ROWS`) so that no
task holds too much; the environment variables WSW_DASK_SHARD_FILES, WSW_DASK_SHARD_BYTES and
WSW_DASK_SHARD_ROWS set them (tests use small shards to have many).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UserError
from ..core.problems import fail
from .failure import Failure
from .paths import FileRef


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.isdigit() and int(value) > 0 else default


FILES_PER_SHARD = _env_int("WSW_DASK_SHARD_FILES", 256)
SHARD_BYTES = _env_int("WSW_DASK_SHARD_BYTES", 64 << 20)
SHARD_ROWS = _env_int("WSW_DASK_SHARD_ROWS", 20_000)
TASKS_PER_WORKER = 4


@dataclass(frozen=True)
class DocumentShard:
    """Documents read by one task: files (JSON/JSONL) or row groups of one release Parquet file."""

    index: int
    label: str                                  # for the manifest and progress
    files: tuple[FileRef, ...] = ()
    wanted: int | None = None                   # key of the scattered id set of a corpus --split, or None
    release_file: FileRef | None = None
    row_groups: tuple[int, ...] = ()
    error: Failure | None = None                # an error the local engine raises at this point


def _groups(files: list[Path]) -> list[list[Path]]:
    groups: list[list[Path]] = []
    for file in files:
        if file.suffix == ".jsonl" or not groups or groups[-1][-1].suffix == ".jsonl" \
                or len(groups[-1]) >= FILES_PER_SHARD:
            groups.append([file])
        else:
            groups[-1].append(file)
    return groups


def _label(files: list[Path]) -> str:
    return str(files[0]) if len(files) == 1 else f"{files[0]} .. {files[-1]} ({len(files)} files)"


def _release_shards(path: Path, splits: tuple[str, ...], found: list[dict]) -> None:
    """Add the fields of one shard per row group of the release's documents files (of `splits`) to `found`."""
    import pyarrow.parquet as pq

    from ..systems.inputs import release_splits

    release, chosen = release_splits(path, splits)
    for split in chosen:
        for file in release.files[split]:
            try:
                groups = pq.ParquetFile(file).num_row_groups
            except Exception as exc:  # pyarrow raises several types for damaged files
                fail("PRED-PARQUET", "cannot read Parquet", file=str(file), found=str(exc))
            found.extend({"label": f"{file}#row-group-{group}", "release_file": FileRef.of(file),
                          "row_groups": (group,)} for group in range(groups))


def _input_shards(path: Path, splits: tuple[str, ...], wanted_sets: dict[int, set], found: list[dict]) -> None:
    """Add the fields of the shards of one input path (files, folder, corpus or release) to `found`."""
    from ..systems.inputs import _corpus_filter, is_corpus, is_release
    from ..validation import iter_input_files

    if not path.exists() and not path.is_symlink():
        fail("PATH-MISSING", "no such file or folder", file=str(path))
    if is_release(path):
        _release_shards(path, splits, found)
        return
    if splits and not is_corpus(path):
        fail("PRED-SPLIT-NEEDS-CORPUS", "--split needs a corpus folder (documents/ and splits.json) or a "
             "release folder", file=str(path), found="neither", expected="a corpus or release folder")
    key = None
    if is_corpus(path) and splits:
        key = len(wanted_sets)
        wanted_sets[key] = _corpus_filter(path, splits) or set()
    found.extend({"label": _label(group), "files": tuple(FileRef.of(f) for f in group), "wanted": key}
                 for group in _groups(list(iter_input_files([path]))))


def document_shards(paths, splits: tuple[str, ...] = ()) -> tuple[list[DocumentShard], dict[int, set]]:
    """Shards of `wsw predict`'s inputs and the id sets of corpus --split filters (key -> ids).

    An input error the local engine would raise (unknown split, not a release) becomes a shard
    carrying that error, at the position where the local engine meets it, and ends the list.
    """
    shards: list[DocumentShard] = []
    wanted_sets: dict[int, set] = {}
    for raw in paths:
        path = Path(raw)
        found: list[dict] = []
        try:
            _input_shards(path, splits, wanted_sets, found)
        except UserError as exc:
            found.append({"label": str(path), "error": Failure.of(exc)})
        base = len(shards)
        shards.extend([DocumentShard(index=base + i, **fields) for i, fields in enumerate(found)])
        if shards and shards[-1].error is not None:
            break
    return shards, wanted_sets


def file_shards(files: list[Path]) -> list[tuple[FileRef, ...]]:
    """`wsw validate`'s files (already expanded, in order), grouped into shards."""
    return [tuple(FileRef.of(f) for f in group) for group in _groups(files)]


@dataclass(frozen=True)
class SubmissionShard:
    """Part of a submission file: bytes [start, end) of a JSONL file, or row groups of a Parquet file."""

    index: int
    file: FileRef
    format: str                  # "jsonl" or "parquet"
    start: int = 0
    end: int = 0
    row_groups: tuple[int, ...] = ()
    first_row: int = 0           # Parquet: rows before this shard


def _per_task(total: int, workers: int, cap: int) -> int:
    return max(1, min(cap, math.ceil(total / max(1, workers * TASKS_PER_WORKER))))


def jsonl_cuts(path: Path, workers: int) -> list[tuple[int, int]]:
    """Line-aligned byte ranges covering the file; found by seeking, not by reading the file."""
    size = path.stat().st_size
    target = _per_task(size, workers, SHARD_BYTES)
    cuts = [0]
    with path.open("rb") as fh:
        while cuts[-1] + target < size:
            fh.seek(cuts[-1] + target - 1)
            while True:  # the next line start at or after the target
                chunk = fh.read(1 << 16)
                if not chunk:
                    cut = size
                    break
                newline = chunk.find(b"\n")
                if newline >= 0:
                    cut = fh.tell() - len(chunk) + newline + 1
                    break
            if cut >= size:
                break
            cuts.append(cut)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a] or [(0, 0)]


def submission_shards(path: Path, fmt: str, workers: int) -> list[SubmissionShard]:
    """Shards of a submission file; a Parquet file that cannot be opened is the caller's to report."""
    ref = FileRef.of(path)
    if fmt == "jsonl":
        return [SubmissionShard(i, ref, fmt, start=a, end=b) for i, (a, b) in enumerate(jsonl_cuts(path, workers))]
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    rows = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    target = _per_task(sum(rows), workers, SHARD_ROWS)
    shards: list[SubmissionShard] = []
    group: list[int] = []
    first = count = 0
    for g, n in enumerate(rows):
        group.append(g)
        count += n
        if count >= target:
            shards.append(SubmissionShard(len(shards), ref, fmt, row_groups=tuple(group), first_row=first))
            first += count
            group, count = [], 0
    if group or not shards:
        shards.append(SubmissionShard(len(shards), ref, fmt, row_groups=tuple(group), first_row=first))
    return shards
