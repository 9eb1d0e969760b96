"""`wsw predict --engine dask`: one task per input shard, each writing its own predictions file.

A task reads its shard (`shards.DocumentShard`), predicts every document with a text, checks
every line with `wsw score`'s checks (as the local engine does) and writes one part file
atomically. It returns what the client needs to merge, in input order: the (id, location) of every
document it read, the ids whose text is withheld, the counts, the part's name, size and SHA-256,
or the first error with everything read before it. The client then reports exactly the error the
local engine would have met first (a duplicate id across shards included), or:

* `--out FILE.jsonl|.parquet`: parts go to a hidden staging folder beside FILE with a manifest
  written once every part exists; FILE is then assembled from the parts in manifest order
  (JSONL: concatenated; Parquet: the same 512-row groups as the local writer), so its bytes are
  the local engine's; the staging folder is removed.
* `--out 'DIR/NAME-*.jsonl'` (a `*` in the name, dask engine only): the parts are staged the
  same way, moved to DIR/NAME-00000.jsonl, ... (one per input shard, numbered in input order)
  once all exist, and DIR/NAME-manifest.json, listing every part (documents, bytes, SHA-256,
  input shard), is written last. No manifest: not complete.

On any failure the run's tasks are cancelled, the client waits for those still running on a
worker (so that none writes afterwards), removes the staging folder and writes no manifest
and no output file. A worker that dies mid-task has the task rerun elsewhere by Dask; parts are
written atomically, so a rerun simply writes its part again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import UserError
from ..core.problems import Problem, ProblemError, fail
from .failure import Failure, shown_problems
from .paths import FileRef
from .shards import DocumentShard

MANIFEST_FORMAT = "whosaidwhat-shards/1"


# -- what runs on a worker -------------------------------------------------------------------------

@dataclass(frozen=True)
class PredictJob:
    system: str
    options: tuple[tuple[str, str], ...]
    parts: str                 # absolute folder of the part files
    part_name: str             # file name pattern with one `{:05d}`
    documents: str | None      # absolute staging folder of --documents, or None
    out_shown: str             # --out as given (for messages)
    version: str               # whosaidwhat version of the client


@dataclass
class ShardResult:
    index: int
    seen: list = field(default_factory=list)       # (doc id, location) of every document read, in order
    withheld: list = field(default_factory=list)
    predicted: int = 0
    part: str | None = None                        # file name, once written
    bytes: int = 0
    sha256: str = ""
    seconds: float = 0.0
    failure: Failure | None = None                 # the first error


_SYSTEMS: dict = {}


def _system(name: str, options: tuple):
    """The system, built once per worker process (systems are stateless per document)."""
    key = (name, options)
    if key not in _SYSTEMS:
        from ..systems.registry import load_system

        _SYSTEMS.clear()
        _SYSTEMS[key] = load_system(name, dict(options))
    return _SYSTEMS[key]


def shard_documents(shard: DocumentShard, wanted: set | None):
    """(location as the local engine writes it, document) of every document of the shard, in order."""
    from ..systems.inputs import check_document
    from ..validation import NOT_PARSED, iter_documents

    if shard.error is not None:
        shard.error.raise_()
    if shard.release_file is not None:
        yield from _release_rows(shard.release_file, shard.row_groups)
        return
    for ref in shard.files:
        for where, doc, problems in iter_documents(Path(ref.path)):
            where = ref.show(where)
            if doc is NOT_PARSED:
                raise shown_problems(ProblemError(problems[:1]), ref)
            check_document(doc, where)
            if wanted is None or doc["id"] in wanted:
                yield where, doc


def _release_rows(ref: FileRef, row_groups: tuple[int, ...]):
    """Rows of a release `documents` file, as `ReleaseGold.documents` gives them."""
    import pyarrow.parquet as pq

    from ..scoring.gold import ReleaseGold

    columns = ReleaseGold.COLUMNS
    try:
        parquet = pq.ParquetFile(ref.path)
        missing = [c for c in columns if c not in parquet.schema_arrow.names]
        batches = list(parquet.iter_batches(batch_size=2048, row_groups=list(row_groups), columns=list(columns),
                                            use_threads=False)) if not missing else []
    except Exception as exc:  # pyarrow raises several types for damaged files
        fail("PRED-PARQUET", "cannot read Parquet", file=ref.shown, found=str(exc))
    if missing:
        fail("PRED-PARQUET", "not a `documents` config file: missing column(s)", file=ref.shown,
             found=", ".join(missing), expected=", ".join(columns))
    for batch in batches:
        for row in batch.to_pylist():
            yield ref.shown, row


def _version_error(client_version: str) -> ProblemError:
    from .. import __version__

    return ProblemError([Problem("ENGINE-WORKER-SETUP", "dask: a worker runs another whosaidwhat than the client; install "
                                 "the same version on every worker", found=__version__, expected=client_version)])


def _write_error(out: str, exc: OSError) -> ProblemError:
    return ProblemError([Problem("PRED-OUT-WRITE", "cannot be written; nothing was written", file=out,
                                 found=exc.strerror or str(exc))])


def predict_shard(shard: DocumentShard, job: PredictJob, wanted_sets: dict) -> ShardResult:
    """Predict one shard into its part file (atomically); errors are returned, not raised."""
    from .. import __version__
    from ..core.inventory import load_inventory
    from ..scoring.submission import LineChecker
    from ..systems.outputs import PredictionWriter
    from ..systems.runner import check_line

    result = ShardResult(shard.index)
    if job.version != __version__:
        result.failure = Failure.of(_version_error(job.version))
        return result
    started = time.perf_counter()
    name = job.part_name.format(shard.index)
    part = Path(job.parts) / name
    try:
        system = _system(job.system, job.options)
        checker = LineChecker(load_inventory())
        wanted = wanted_sets.get(shard.wanted) if shard.wanted is not None else None
        with PredictionWriter(part) as writer:
            for where, doc in shard_documents(shard, wanted):
                result.seen.append((doc["id"], where))
                if doc.get("text") is None:
                    result.withheld.append(doc["id"])
                    continue
                line = system.predict(doc)
                check_line(line, doc, where, system.name, checker)
                writer.write(line)
                result.predicted += 1
                if job.documents is not None:
                    from ..core.atomic import write_text
                    from ..core.document import dumps
                    from ..systems.documents import predicted_document

                    write_text(Path(job.documents) / f"{doc['id']}.json", dumps(predicted_document(doc, line, system)))
    except UserError as exc:
        result.failure = Failure.of(exc)
    except OSError as exc:  # reading turns its own errors into UserError: this is the output
        result.failure = Failure.of(_write_error(job.out_shown, exc))
    else:
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        result.part, result.bytes, result.sha256 = name, part.stat().st_size, digest.hexdigest()
    result.seconds = time.perf_counter() - started
    return result


# -- the client ------------------------------------------------------------------------------------

def is_pattern(out: Path) -> bool:
    return "*" in out.name


def pattern_parts(out: Path) -> tuple[Path, str, Path]:
    """(folder, part name pattern with `{:05d}`, manifest path) of `--out DIR/NAME-*.EXT`."""
    from ..systems.outputs import output_format

    if out.name.count("*") != 1:
        fail("PRED-OUT-PATTERN", "--out: a shard pattern has exactly one `*` (replaced by the shard number)",
             file=str(out), found=f"{out.name.count('*')} `*`", expected="e.g. silver/pred-*.jsonl")
    output_format(out)
    head, tail = out.name.split("*")
    manifest = out.parent / f"{head}manifest.json"
    def escape(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    return out.parent, escape(head) + "{:05d}" + escape(tail), manifest


def check_pattern_out(out: Path) -> None:
    """Refuse a pattern whose place already holds parts or a manifest (a rerun must not mix runs)."""
    import re

    folder, name, manifest = pattern_parts(out)
    for parent in [folder, *folder.parents]:
        if parent.exists():
            if not parent.is_dir():
                fail("PRED-OUT-PATH", f"--out: {parent} is a file, not a folder", file=str(out))
            break
    head, tail = out.name.split("*")
    shape = re.compile(re.escape(head) + r"\d{5}" + re.escape(tail) + "$")
    old = sorted(p.name for p in folder.iterdir() if shape.match(p.name)) if folder.is_dir() else []
    if manifest.exists() or old:
        found = manifest.name if manifest.exists() else old[0]
        fail("OUT-EXISTS", f"--out: {folder / found} already exists; remove the old shards and {manifest.name}, "
             "or give another pattern", file=str(out), found=found)


def _merge(parts: list[Path], out: Path, fmt: str) -> None:
    """Assemble `out` from the parts, byte for byte what the local engine writes."""
    from ..core.atomic import atomic_open

    if fmt == "jsonl":
        with atomic_open(out, "wb") as fh:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, fh, 1 << 20)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..systems.outputs import PredictionWriter, parquet_schema

    schema = parquet_schema()
    size = PredictionWriter.ROWS_PER_GROUP
    with atomic_open(out, "wb") as fh:
        writer = pq.ParquetWriter(fh, schema, compression="zstd", use_dictionary=True, write_statistics=True,
                                  store_schema=True)
        try:
            pending = []
            rows = 0
            for part in parts:
                table = pq.read_table(part, schema=schema)
                pending.append(table)
                rows += table.num_rows
                if rows >= size:
                    whole = pa.concat_tables(pending)
                    full = rows - rows % size
                    for start in range(0, full, size):
                        writer.write_table(whole.slice(start, size).combine_chunks())
                    pending, rows = [whole.slice(full)], rows - full
            if rows:
                writer.write_table(pa.concat_tables(pending).combine_chunks())
        finally:
            writer.close()


def _finish(manifest: dict, parts_dir: Path, out: Path, fmt: str, pattern: bool, manifest_path: Path,
            moved: list[str]) -> None:
    """Every part exists: put them in place and write the manifest last (pattern), or assemble `out`."""
    from ..core.atomic import write_text

    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    if pattern:
        for entry in manifest["shards"]:
            os.replace(parts_dir / entry["file"], manifest_path.parent / entry["file"])
            moved.append(entry["file"])
        write_text(manifest_path, text)
    else:
        write_text(manifest_path, text)
        _merge([parts_dir / e["file"] for e in manifest["shards"]], out, fmt)


def _remove_run(folder: Path, names: list[str]) -> None:
    """Remove the parts a run had moved into place before it failed (writing the manifest, say)."""
    for name in names:
        with contextlib.suppress(OSError):
            (folder / name).unlink()


@dataclass
class DaskPredictSummary:
    system: str
    version: str
    out: str
    format: str
    predicted: int = 0
    withheld: list = field(default_factory=list)
    seconds: float = 0.0
    shards: int = 0
    manifest: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class _Staging:
    """Where a run stages its parts (and --documents) before anything is put in place."""

    out: Path
    pattern: bool
    parts_dir: Path
    part_name: str
    manifest_path: Path
    folder: Path
    documents: Path | None = None
    moved: list[str] = field(default_factory=list)

    @classmethod
    def make(cls, out: Path, documents_out: Path | None) -> _Staging:
        if is_pattern(out):  # parts are staged, then moved to their names: none is visible before all are done
            folder, part_name, manifest_path = pattern_parts(out)
            folder.mkdir(parents=True, exist_ok=True)
            head = out.name.split("*")[0]
            parts_dir = Path(tempfile.mkdtemp(prefix=f".{head}parts-", dir=folder))
        else:
            folder = out.parent
            folder.mkdir(parents=True, exist_ok=True)
            parts_dir = Path(tempfile.mkdtemp(prefix=f".{out.name}.parts-", dir=out.parent))
            part_name, manifest_path = "part-{:05d}" + out.suffix.lower(), parts_dir / "manifest.json"
        staging = cls(out, is_pattern(out), parts_dir, part_name, manifest_path, folder)
        if documents_out is not None:
            documents_out.parent.mkdir(parents=True, exist_ok=True)
            staging.documents = Path(tempfile.mkdtemp(prefix=f".{documents_out.name}.", dir=documents_out.parent))
        return staging

    def finish(self, manifest: dict, fmt: str, documents_out: Path | None) -> None:
        try:
            _finish(manifest, self.parts_dir, self.out, fmt, self.pattern, self.manifest_path, self.moved)
            if self.documents is not None and documents_out is not None:
                self.documents.chmod(0o755)
                if documents_out.exists():
                    documents_out.rmdir()  # checked empty by the caller
                self.documents.rename(documents_out)
                self.documents = None
        except OSError as exc:
            raise _write_error(str(self.out), exc) from None

    def clean(self, ok: bool) -> None:
        shutil.rmtree(self.parts_dir, ignore_errors=True)
        if self.pattern and not ok:
            _remove_run(self.folder, self.moved)
        if self.documents is not None:
            shutil.rmtree(self.documents, ignore_errors=True)


def _collect(ordered, shards: list, summary: DaskPredictSummary) -> list[dict]:
    """The manifest entries of the shards' results, in order; the first error (duplicate ids included) raised."""
    from ..systems.inputs import duplicate

    seen: dict[str, str] = {}
    entries = []
    for _, result in ordered:
        for doc_id, where in result.seen:
            if doc_id in seen:
                duplicate(doc_id, where, seen[doc_id])
            seen[doc_id] = where
        if result.failure is not None:
            result.failure.raise_()
        summary.predicted += result.predicted
        summary.withheld.extend(result.withheld)
        entries.append({"file": result.part, "documents": result.predicted, "withheld": len(result.withheld),
                        "bytes": result.bytes, "sha256": result.sha256, "input": shards[result.index].label})
    return entries


def predict_on_dask(choice, system, system_name: str, options: dict, inputs, splits, out: Path,
                    documents_out: Path | None, show_progress: bool):
    """Run `wsw predict` on Dask; returns a summary shaped like the local engine's (plus shards/manifest)."""
    from .. import __version__
    from ..systems.outputs import output_format
    from ..systems.runner import all_withheld
    from .cluster import connect
    from .shards import document_shards

    fmt = output_format(out)
    started = time.perf_counter()
    shards, wanted_sets = document_shards(inputs, tuple(splits))
    staging = _Staging.make(out, documents_out)
    job = PredictJob(system_name, tuple(sorted(options.items())), str(staging.parts_dir.absolute()), staging.part_name,
                     str(staging.documents.absolute()) if staging.documents else None, str(out), __version__)
    summary = DaskPredictSummary(system.name, system.version, str(out), fmt, shards=len(shards))
    ok = False
    try:
        with connect(choice) as session:
            wanted = {k: session.scatter(v) for k, v in wanted_sets.items()}
            results = contextlib.closing(session.run_in_order(  # type: ignore[type-var]
                predict_shard, shards, job, wanted, desc=f"{system.name} {system.version}", show=show_progress,
                label=lambda i: f"shard {shards[i].label}"))
            with results as ordered:
                entries = _collect(ordered, shards, summary)
        if summary.predicted == 0:
            if summary.withheld:
                all_withheld(summary.withheld)
            fail("PRED-NO-DOCUMENTS", "no documents found in the input; nothing was written")
        manifest = {"format": MANIFEST_FORMAT, "kind": "predictions", "system": system.name,
                    "system_version": system.version, "whosaidwhat": __version__, "format_of_shards": fmt,
                    "documents": summary.predicted, "withheld": summary.withheld, "shards": entries}
        staging.finish(manifest, fmt, documents_out)
        summary.manifest = str(staging.manifest_path) if staging.pattern else None
        ok = True
    finally:
        staging.clean(ok)
    summary.seconds = time.perf_counter() - started
    return summary


def announce(summary, out: Path, fmt: str) -> None:
    """The one-line summary of the local engine, with where the shards and manifest are."""
    rate = summary.predicted / summary.seconds if summary.seconds > 0 else float("inf")
    where = f"{summary.shards} shard(s) + {summary.manifest}" if summary.manifest else str(out)
    print(f"{summary.system} {summary.version}: {summary.predicted} document(s) predicted -> {where} "
          f"({summary.format}, {rate:.0f} docs/s, dask)", file=sys.stderr)
