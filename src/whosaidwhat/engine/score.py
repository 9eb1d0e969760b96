"""`wsw score --engine dask`: per-document counts computed shard by shard, merged, then scored once.

Each task takes a shard of the submission (a line-aligned byte range of a JSONL file, or row
groups of a Parquet file: `shards.SubmissionShard`), reads it itself, loads only the gold
documents its lines name (a corpus's `documents/<id>.json`, or the release row groups that hold
them), and runs the local engine's own functions on them: `load_gold`, `read_submission` (every
check), `count_table`. It returns a mergeable piece: the per-document counts of the documents it
scored, what the submission record adds up (lines, documents scored, layers submitted, other
split ids) and its problems with shard-relative line numbers. Gold documents no line predicted
are counted by a second wave of tasks (gold against no predictions), as the local engine counts
them.

The client meanwhile loads the gold split itself with `load_gold` (for the record: version,
content checksum, withheld texts, absent layers; and so a damaged gold is reported with the local
engine's message) and hashes the submission file. It merges the counts in gold id order and
scores them with `scoring.score_counts`: the bootstrap resamples documents on the client with the
same seeded draws, so every number, interval included, is the local engine's (eval/METRICS.md 6).

Problems are line-local, so the shards' problem lists concatenated in file order, line numbers
shifted, are the local engine's list. The one rule across lines, DOC-ID-DUPLICATE, is exact
within a shard; if a document id appears in two shards, or a problem names no line (a damaged
Parquet file), the client re-reads the submission with the local engine to report exactly what it
would. A submission the local engine would refuse before reading (unknown suffix, a missing file,
a Parquet file that does not open) goes the local way from the start.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.errors import UserError
from ..core.problems import Problem, ProblemError, fail
from .failure import Failure
from .shards import SubmissionShard

# -- gold, a subset at a time ------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldSpec:
    """What a task needs to load gold documents by id."""

    kind: str                       # "corpus" or "release"
    root: str                       # absolute
    split: str
    info: object                    # the client's GoldInfo (paths as given, for messages and the record)
    files: tuple[str, ...] = ()     # release: absolute paths of the split's documents files


def _corpus_subset(spec: GoldSpec, ids: list[str], known: set[str]):
    from ..scoring.gold import CorpusGold

    class CorpusSubset(CorpusGold):
        """Some documents of a corpus split; everything else about the corpus as the client saw it."""

        def __init__(self):
            self.root = Path(spec.root)
            self.splits = {spec.split: ids}
            self.info = spec.info

        def known_ids(self) -> set[str]:
            return set(known)

    return CorpusSubset()


def _release_subset(spec: GoldSpec, folder: Path, rows: dict[tuple[int, int], list[str]], known: set[str]):
    """A one-file release in `folder` holding the rows of `rows` ((file, row group) -> ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ..scoring.gold import ReleaseGold

    tables = []
    for (file_no, group), ids in sorted(rows.items()):
        table = pq.ParquetFile(spec.files[file_no]).read_row_group(group)
        tables.append(table.filter(pc.is_in(table.column("id"), value_set=pa.array(ids, type=pa.string()))))
    target = folder / "data" / "documents" / f"{spec.split}-00000-of-00001.parquet"
    target.parent.mkdir(parents=True)
    if tables:
        pq.write_table(pa.concat_tables(tables, promote_options="default"), target)
    else:  # no document: an empty file of the right shape
        schema = pq.ParquetFile(spec.files[0]).schema_arrow
        pq.write_table(schema.empty_table(), target)

    class ReleaseSubset(ReleaseGold):
        def __init__(self):
            super().__init__(folder)
            self.info = spec.info

        def known_ids(self) -> set[str]:
            return set(known)

    return ReleaseSubset()


def _load_subset(spec: GoldSpec, folder: Path, index: np.ndarray, split_ids, locations, other: list[str], inventory):
    """The gold documents of global indices `index` as a GoldSet (ids of other splits in `other`)."""
    import pyarrow as pa

    from ..scoring.gold import load_gold

    ids = split_ids.take(pa.array(index, type=pa.int64())).to_pylist()
    known = set(ids) | set(other)
    if spec.kind == "corpus":
        source = _corpus_subset(spec, ids, known)
    else:
        files, groups = locations
        rows: dict[tuple[int, int], list[str]] = {}
        for i, doc_id in zip(index.tolist(), ids):
            rows.setdefault((int(files[i]), int(groups[i])), []).append(doc_id)
        source = _release_subset(spec, folder, rows, known)
    return load_gold(source, spec.split, inventory)


# -- what runs on a worker -------------------------------------------------------------------------

@dataclass
class ShardScore:
    index: int
    lines_spanned: int = 0          # line (JSONL) or row (Parquet) numbers this shard takes up
    ids: list = field(default_factory=list)   # the document id of every line that has one (duplicates across shards)
    problems: list = field(default_factory=list)   # (problem, line in shard, line in shard named by "also on" or None)
    total: int = 0
    counts: object | None = None    # CountTable of the documents scored here
    lines: int = 0
    scored: int = 0
    layers: dict = field(default_factory=dict)
    unchecked_ranges: int = 0
    other_split: list = field(default_factory=list)
    local_reason: str | None = None  # why only the local engine can report this exactly
    gold_failed: Failure | None = None   # the gold (or the worker) failed: the local engine's error
    seconds: float = 0.0


_LEADING_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*"([a-z0-9][a-z0-9._-]{0,127})"')


def _line_ids(data: bytes) -> list:
    """The document id of each non-empty line (None where there is none), as cheaply as possible."""
    import json

    ids = []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        match = _LEADING_ID.match(line)
        if match:
            ids.append(match.group(1).decode())
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            ids.append(None)
            continue
        ids.append(obj.get("id") if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None)
    return ids


def _number(where: str, prefix: str, jsonl: bool) -> int | None:
    """The shard-relative line (row) number in a location of the temporary shard file, or None."""
    tail = where[len(prefix):] if where.startswith(prefix) else None
    if tail is None:
        return None
    match = re.fullmatch(r":(\d+)" if jsonl else r":row (\d+)", tail)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class GoldOnly:
    """Gold documents (global indices) that no line predicted: counted against no predictions."""

    index: int
    subset: tuple[int, ...]


def _read_shard(shard: SubmissionShard, part: Path, result: ShardScore, split_ids, other_ids):
    """Copy the shard into `part`; (gold indices, other splits' ids) of its lines, or None (local_reason set)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if shard.format == "jsonl":
        with open(shard.file.path, "rb") as fh:
            fh.seek(shard.start)
            data = fh.read(shard.end - shard.start)
        part.write_bytes(data)
        result.lines_spanned = data.count(b"\n")
        ids = _line_ids(data)
    else:
        try:
            table = pq.ParquetFile(shard.file.path).read_row_groups(list(shard.row_groups))
        except Exception as exc:  # a damaged file: the local engine says at which row
            result.local_reason = f"cannot read row groups {shard.row_groups} ({exc})"
            return None
        pq.write_table(table, part)
        result.lines_spanned = table.num_rows
        ids = table.column("id").to_pylist() if "id" in table.column_names else []
        ids = [i if isinstance(i, str) else None for i in ids]
    result.ids = [i for i in ids if i is not None]
    names = pa.array(sorted(set(result.ids)), type=pa.string())
    position = pc.index_in(names, value_set=split_ids)
    index = np.asarray(position.drop_null(), dtype=np.int64)
    other = pc.filter(names, pc.is_in(names, value_set=other_ids)).to_pylist()
    return index, other


def _where(problem) -> str:
    """A submission problem's location as text (`file:line` / `file:row N`)."""
    where = getattr(problem, "where", None)
    if isinstance(where, str):
        return where
    return str(problem.file) if problem.lineno is None else f"{problem.file}:{problem.lineno}"


_DUPLICATE = ("DOC-ID-DUPLICATE",)


def _shard_problems(error, result: ShardScore, prefix: str, jsonl: bool) -> None:
    """The problems of a shard, with shard-relative line numbers (local_reason when one names no line)."""
    result.total = error.total
    for problem in error.problems:
        number = _number(_where(problem), prefix, jsonl)
        also = None
        if problem.rule in _DUPLICATE and (problem.found or "").startswith("also on "):
            also = _number(problem.found[len("also on "):], prefix, jsonl)
            if also is None:
                number = None
        if number is None:
            result.local_reason = f"a problem names no line: {problem.line()}"
            break
        result.problems.append((problem, number, also))


def _version_error(client_version: str) -> ProblemError:
    from .. import __version__

    return ProblemError([Problem("ENGINE-WORKER-SETUP", "dask: a worker runs another whosaidwhat than the client; "
                                 "install the same version on every worker", found=__version__,
                                 expected=client_version)])


def score_shard(task: SubmissionShard | GoldOnly, gold: GoldSpec, split_ids, other_ids, locations, settings,
                max_problems: int, version: str) -> ShardScore:
    """Check and count one shard of the submission (or a `GoldOnly` set of gold documents)."""
    from .. import __version__
    from ..core.inventory import load_inventory
    from ..scoring import SubmissionError, count_table, read_submission

    started = time.perf_counter()
    shard = task if isinstance(task, SubmissionShard) else None
    result = ShardScore(task.index)
    if version != __version__:  # returned, not raised: a ProblemError does not travel as an exception
        result.gold_failed = Failure.of(_version_error(version))
        return result
    inventory = load_inventory()
    with tempfile.TemporaryDirectory(prefix="wsw-score-") as tmp:
        folder = Path(tmp)
        jsonl = shard is None or shard.format == "jsonl"
        part = folder / ("shard.jsonl" if jsonl else "shard.parquet")
        if isinstance(task, GoldOnly):
            part.write_bytes(b"")
            index, other = np.asarray(task.subset, dtype=np.int64), []
        else:
            read = _read_shard(task, part, result, split_ids, other_ids)
            if read is None:
                return result
            index, other = read
        try:
            gold_set = _load_subset(gold, folder / "gold", np.sort(index), split_ids, locations, other, inventory)
        except UserError as exc:
            result.gold_failed = Failure.of(exc)
            return result
        try:
            layers, info = read_submission(part, gold_set, inventory, max_problems)
        except SubmissionError as error:
            _shard_problems(error, result, str(part), jsonl)
            return result
        counts = count_table(gold_set, layers, settings, inventory)
    missing = set(info.missing)
    keep = [k for k, doc_id in enumerate(counts.doc_ids) if doc_id not in missing] if shard is not None \
        else list(range(len(counts.doc_ids)))
    from ..scoring.counts import CountTable

    result.counts = CountTable(tuple(counts.doc_ids[k] for k in keep), counts.names, counts.values[keep])
    result.lines, result.scored = info.lines, info.scored
    result.layers, result.unchecked_ranges = dict(info.layers), info.unchecked_ranges
    result.other_split = list(info.other_split)
    result.seconds = time.perf_counter() - started
    return result


# -- the client ------------------------------------------------------------------------------------

class _Background(threading.Thread):
    """Run `fn` in a thread; `get()` returns its value or raises its exception."""

    def __init__(self, fn):
        super().__init__(daemon=True)
        self.fn, self.value, self.error = fn, None, None
        self.start()

    def run(self):
        try:
            self.value = self.fn()
        except BaseException as exc:  # re-raised in the caller's thread
            self.error = exc

    def get(self):
        self.join()
        if self.error is not None:
            raise self.error
        return self.value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _relocate(problem, number: int, also: int | None, shown: str, jsonl: bool):
    where = f"{shown}:{number}" if jsonl else f"{shown}:row {number}"
    if isinstance(getattr(problem, "where", None), str):
        changes: dict = {"where": where}
    else:  # a core Problem: JSONL lines have a line number, Parquet rows are named in the file
        changes = {"file": shown, "lineno": number} if jsonl else {"file": where, "lineno": None}
    if also is not None:
        changes["found"] = f"also on {shown}:{also}" if jsonl else f"also on {shown}:row {also}"
    return dataclasses.replace(problem, **changes)


def _gold_spec(source, gold_path: Path, split: str):
    """The task's view of the gold, the sorted split ids, the other splits' ids and (release) row locations."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..scoring.gold import ReleaseGold

    ids = sorted(source.split_ids(split))
    other = sorted(source.known_ids() - set(ids))
    locations = None
    files: tuple[str, ...] = ()
    if isinstance(source, ReleaseGold):
        paths = source.files[split]
        files = tuple(str(Path(p).absolute()) for p in paths)
        position = {doc_id: k for k, doc_id in enumerate(ids)}
        file_no = np.full(len(ids), -1, dtype=np.int32)
        group_no = np.full(len(ids), -1, dtype=np.int32)
        for f, path in enumerate(paths):
            parquet = pq.ParquetFile(path)
            for g in range(parquet.num_row_groups):
                for doc_id in parquet.read_row_group(g, columns=["id"]).column("id").to_pylist():
                    k = position[doc_id]
                    file_no[k], group_no[k] = f, g
        locations = (file_no, group_no)
        kind = "release"
    else:
        kind = "corpus"
    spec = GoldSpec(kind, str(Path(gold_path).absolute()), split, source.info, files)
    return spec, pa.array(ids, type=pa.string()), pa.array(other, type=pa.string()), locations


def _local(gold, pred: Path, settings, inventory, max_errors: int):
    """The local engine's reading and scoring, on the gold already loaded."""
    from ..scoring import read_submission, score_layers

    layers, info = read_submission(pred, gold, inventory, max_errors)
    return score_layers(gold, layers, info, settings, inventory)


def _needs_local(pred: Path, fmt: str) -> bool:
    """True when the submission is one only the local engine reads (missing, another format, odd columns)."""
    import pyarrow.parquet as pq

    if fmt not in ("jsonl", "parquet") or not pred.is_file():
        return True
    if fmt == "parquet":
        try:
            names = pq.ParquetFile(pred).schema_arrow.names
        except Exception:
            return True
        allowed = ("id", "text_sha256", "entities", "mentions", "quotes", "claims")
        return "id" not in names or any(n not in allowed for n in names)
    return False


@dataclass
class _Merged:
    """The shards' pieces added up in file order."""

    shown: str
    jsonl: bool
    pieces: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    total: int = 0
    seen: set = field(default_factory=set)
    lines: int = 0
    scored: int = 0
    unchecked: int = 0
    layers: dict = field(default_factory=lambda: {layer: False for layer in ("mentions", "quotes", "claims")})
    other_split: set = field(default_factory=set)
    offset: int = 0
    local_reason: str | None = None
    gold_failed: Failure | None = None

    def add(self, piece: ShardScore) -> None:
        self.local_reason = self.local_reason or piece.local_reason
        self.gold_failed = self.gold_failed or piece.gold_failed
        ids = set(piece.ids)
        if not self.seen.isdisjoint(ids):
            self.local_reason = self.local_reason or "a document id in two shards"
        self.seen |= ids
        for problem, number, also in piece.problems:
            self.problems.append(_relocate(problem, number + self.offset, None if also is None else also + self.offset,
                                           self.shown, self.jsonl))
        self.total += piece.total
        self.offset += piece.lines_spanned
        if piece.counts is not None:
            self.pieces.append(piece.counts)
            self.lines, self.scored = self.lines + piece.lines, self.scored + piece.scored
            self.unchecked += piece.unchecked_ranges
            for layer in self.layers:
                self.layers[layer] = self.layers[layer] or bool(piece.layers.get(layer))
            self.other_split.update(piece.other_split)


def _count_unpredicted(session, gold, merged: _Merged, run, progress: bool) -> list[int]:
    """Count the gold documents no line predicted (against no predictions); their gold indices."""
    done = {d for t in merged.pieces for d in t.doc_ids}
    missing_index = [k for k, doc_id in enumerate(gold.doc_ids) if doc_id not in done]
    if missing_index:
        size = max(1, -(-len(missing_index) // (session.workers * 4)))
        starts = range(0, len(missing_index), size)
        tasks = [GoldOnly(k, tuple(missing_index[j:j + size])) for k, j in enumerate(starts)]
        extra = run(tasks, desc="unpredicted gold", show=progress, label=lambda i: "counting unpredicted gold documents")
        with contextlib.closing(extra):
            for _, piece in extra:
                if piece.gold_failed:
                    piece.gold_failed.raise_()
                merged.pieces.append(piece.counts)
    return missing_index


def score_on_dask(choice, gold_path: Path, pred: Path, settings, inventory, max_errors: int, progress: bool):
    """(result, counts) as `scoring.score_layers` gives them; SubmissionError / UserError like the local engine."""
    from .. import __version__
    from ..scoring import SubmissionError, SubmissionInfo, load_gold, open_gold, score_counts
    from .cluster import connect
    from .shards import submission_shards

    source = open_gold(gold_path)
    gold_job = _Background(lambda: load_gold(open_gold(gold_path), settings.split, inventory))
    fmt = pred.suffix.lower()[1:]
    if _needs_local(pred, fmt):
        return _local(gold_job.get(), pred, settings, inventory, max_errors)
    sha = _Background(lambda: _sha256(pred))
    try:
        spec, split_ids, other_ids, locations = _gold_spec(source, gold_path, settings.split)
    except UserError:
        gold_job.get()  # the local engine's message for a damaged gold
        raise
    shown = str(pred)
    merged = _Merged(shown, fmt == "jsonl")
    with connect(choice) as session:
        shards = submission_shards(pred, fmt, session.workers)
        common = [session.scatter(split_ids), session.scatter(other_ids),
                  session.scatter(locations) if locations is not None else None]

        def run(tasks, **how):
            return session.run_in_order(score_shard, tasks, spec, *common, settings, max_errors, __version__, **how)

        results = run(shards, desc="scoring", show=progress, label=lambda i: f"submission shard {i} of {shown}")
        with contextlib.closing(results):
            for _, piece in results:
                merged.add(piece)
        gold = gold_job.get()  # a damaged gold: the local engine's error, before any submission problem
        if merged.gold_failed:
            merged.gold_failed.raise_()
        if merged.local_reason:
            return _local(gold, pred, settings, inventory, max_errors)
        if merged.total:
            raise SubmissionError(merged.problems[:max_errors], merged.total)
        missing_index = _count_unpredicted(session, gold, merged, run, progress)
    counts = _merge_counts(merged.pieces, gold.doc_ids)
    info = SubmissionInfo(str(pred), fmt)
    info.sha256 = sha.get()
    info.lines, info.scored, info.unchecked_ranges = merged.lines, merged.scored, merged.unchecked
    info.layers = merged.layers
    info.missing = [gold.doc_ids[k] for k in missing_index]
    info.other_split = sorted(merged.other_split)
    return score_counts(gold, counts, info, settings, inventory), counts


def _merge_counts(pieces: list, doc_ids: list[str]):
    """One CountTable, rows in gold id order, with the integer width the local engine would pick."""
    from ..scoring.counts import CountTable

    names = pieces[0].names if pieces else ()
    for piece in pieces:
        if piece.names != names:
            fail("ENGINE-MERGE", "dask: count tables of two shards have different columns (workers with different "
                 "whosaidwhat versions?)")
    merged = CountTable.concat(pieces) if pieces else None
    position = {doc_id: k for k, doc_id in enumerate(merged.doc_ids)} if merged else {}
    if merged is None or len(position) != len(doc_ids) or any(d not in position for d in doc_ids):
        fail("ENGINE-MERGE", "dask: the shards' counts do not cover the gold split exactly; nothing was scored")
    order = np.fromiter((position[d] for d in doc_ids), dtype=np.int64, count=len(doc_ids))
    values = merged.values[order]
    fits = values.size == 0 or (int(values.max()) < 2**31 and int(values.min()) >= -2**31)
    return CountTable(tuple(doc_ids), names, values.astype(np.int32 if fits else np.int64, copy=False))
