"""`wsw release --out DIR`: corpus -> a verified, versioned Hugging Face dataset folder.

Each split is cut into shards of a fixed number of documents (in id order); a shard task reads
its documents one at a time, validates each, turns it into rows of all four configs and writes
them as Parquet while the statistics for the card accumulate. Shard tasks run in parallel
processes, but what a shard contains never depends on the number of processes, so the output
is byte-identical however it was built. Once a shard's files are closed, the shard task
reads them back and runs on every row the same checks as `wsw release --verify` (in parallel,
like the writing). Everything is written to a temporary folder beside DIR and moved into place
only after the finished folder passes the rest of `--verify` (checksums, manifest, schemas,
counts, card, Croissant): an interrupted or failed build leaves the previous release (or
nothing), and a release that is installed verifies.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from .. import __version__
from ..core.atomic import write_text
from ..core.document import SCHEMA_VERSION
from ..core.errors import UserError
from ..core.inventory import Inventory, load_inventory, parse_inventory
from ..core.problems import Problem, ProblemError, fail
from ..validation import validate_document
from .card import render_attributions, render_card
from .checksums import SUMS, render_sums
from .corpus import CorpusPlan, plan_corpus, read_document
from .croissant import render_croissant
from .facts import agreement_facts, baseline_facts
from .features import DOCUMENT_CONFIGS, FORMAT_VERSION, SCHEMAS, SPLITS
from .flat import flat_tables
from .metadata import load_dataset_metadata
from .parquet import DEFAULT_DOCS_PER_SHARD, DEFAULT_ROW_GROUP_SIZE, ShardFile, shard_name
from .rows import as_arrow_rows, document_row, is_redistributable
from .study import StudySources, build_study, default_campaign
from .summary import CorpusSummary
from .target import check_overlap, check_target, install, new_build_folder, recover, target_lock
from .verify import check_row_run, content_digest, fewer_collections, verify_release

MANIFEST = "release.json"
MAX_REPORTED_PROBLEMS = 50
SPLIT_COLUMN = SCHEMAS["documents"].get_field_index("split")
#: prctl option: the signal a process gets when its parent dies (linux/prctl.h)
PR_SET_PDEATHSIG = 1


def manifest_json(manifest: dict) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"


def example_row(row: dict, text_limit: int = 300, items: int = 2) -> dict:
    """A `documents` row cut down for the card: the text shortened and each layer to its first items."""
    shown = json.loads(json.dumps(row))
    if shown["text"] is not None and len(shown["text"]) > text_limit:
        shown["text"] = shown["text"][:text_limit] + " [...]"
    for layer in ("entities", "mentions", "quotes", "claims"):
        total = len(shown[layer])
        shown[layer] = shown[layer][:items]
        if total > items:
            shown[layer].append(f"[... {total - items} more]")
    shown["provenance"]["source"]["cleaning"] = shown["provenance"]["source"]["cleaning"][:items]
    return shown


def write_generated_files(root: Path, manifest: dict) -> None:
    """release.json, README.md (+ ATTRIBUTIONS.md), croissant.json and SHA256SUMS, all rendered from the manifest."""
    write_text(root / MANIFEST, manifest_json(manifest))
    write_text(root / "README.md", render_card(manifest))
    attributions = render_attributions(manifest)
    if attributions is not None:
        write_text(root / "ATTRIBUTIONS.md", attributions)
    write_text(root / "croissant.json", render_croissant(manifest))
    write_text(root / SUMS, render_sums(root))



@dataclass(frozen=True)
class ShardTask:
    """Shard `index` of `total` of one split: which document files go into it, and where."""

    root: str
    split: str
    index: int
    total: int
    files: tuple[str, ...]
    row_group_size: tuple[tuple[str, int], ...]
    inventory: dict
    check_rows: bool = True


@dataclass
class ShardResult:
    """What building one shard produced: its files, facts about its documents, or its problems."""

    files: dict[str, dict] = field(default_factory=dict)  # config -> {path, num_rows, num_bytes, size}
    summary: CorpusSummary = field(default_factory=CorpusSummary)
    fingerprint: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    example: dict | None = None
    row_problems: list[Problem] = field(default_factory=list)  # what `--verify` would say about the written rows

    def report(self, problems: list[Problem]) -> None:
        """Count problems; keep the first MAX_REPORTED_PROBLEMS."""
        self.error_count += len(problems)
        self.problems.extend(problems[: max(0, MAX_REPORTED_PROBLEMS - len(self.problems))])


def _doc_problems(path: Path, inventory: Inventory) -> tuple[dict | None, str | None, list[Problem]]:
    """(document, file digest, []) or (None, None, its errors)."""
    try:
        doc, digest = read_document(path)
    except ProblemError as exc:
        return None, None, exc.problems
    errors = [p for p in validate_document(doc, str(path), inventory) if p.is_error]
    if doc.get("id") != path.stem:
        errors.append(Problem("FILE-NAME", "the file name does not match the document id", file=str(path),
                              doc_id=str(doc.get("id")), path="$.id", found=path.name, expected=f"{doc.get('id')}.json"))
    return (None, None, errors) if errors else (doc, digest, [])


class _ShardWriter:
    """The Parquet files of one shard of every document config, fed one document at a time."""

    def __init__(self, task: ShardTask, result: ShardResult):
        self.task = task
        self.result = result
        self.groups = dict(task.row_group_size)
        self.root = Path(task.root)
        self.writers = {c: ShardFile(self.root / "data" / c / shard_name(task.split, task.index, task.total), SCHEMAS[c],
                                     self.groups[c]) for c in DOCUMENT_CONFIGS}
        self.pending: list[dict] = []
        self.pending_files: list[Path] = []

    def add(self, row: dict, path: Path) -> None:
        self.pending.append(row)
        self.pending_files.append(path)
        if len(self.pending) >= self.groups["documents"]:
            self.flush()

    def flush(self) -> None:
        """One row group of documents, and the flat configs' rows derived from it."""
        if not self.pending:
            return
        try:
            table = pa.Table.from_pylist(self.pending, schema=SCHEMAS["documents"])  # `split` is not a document field:
            table = table.set_column(SPLIT_COLUMN, "split", pa.array([self.task.split] * table.num_rows, pa.string()))
        except (pa.ArrowException, OverflowError, TypeError, ValueError):
            self.result.report(unstorable(self.pending, self.pending_files))
        else:
            self.writers["documents"].add(table)
            for config, flat in flat_tables(table).items():
                self.writers[config].add(flat)
        self.pending.clear()
        self.pending_files.clear()

    def close(self) -> None:
        for config, writer in self.writers.items():
            writer.close()
            self.result.files[config] = {"path": writer.path.relative_to(self.root).as_posix(),
                                         "num_rows": writer.num_rows, "num_bytes": writer.num_bytes,
                                         "size": writer.path.stat().st_size}

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.abort()


def build_shard(task: ShardTask) -> ShardResult:
    """Read, validate and convert one shard's documents, writing shard `index` of every document config."""
    with fewer_collections():
        return _build_shard(task)


def _build_shard(task: ShardTask) -> ShardResult:
    inventory = parse_inventory(task.inventory)
    result = ShardResult()
    shard = _ShardWriter(task, result)
    validated: dict[str, bytes] = {}  # id -> content_digest of each document that validated
    try:
        for name in task.files:
            path = Path(name)
            doc, digest, errors = _doc_problems(path, inventory)
            if errors:
                result.report(errors)
            if doc is None or result.error_count:
                continue  # keep validating to report every problem, but write nothing more
            if task.check_rows:  # of the document exactly as validated, before any conversion
                validated[doc["id"]] = content_digest(doc)
            withhold = not is_redistributable(doc)
            row = document_row(doc, withhold)
            shard.add(row, path)
            result.summary.add(task.split, doc)
            result.fingerprint.append(f"{doc['id']}\t{task.split}\t{digest}\n")
            if result.example is None and not withhold:
                result.example = example_row({**as_arrow_rows([row], "documents")[0], "split": task.split})
        if not result.error_count:
            shard.flush()
        shard.close()
        if not result.error_count and task.check_rows:
            result.row_problems = check_shard_rows(shard.root, result.files, inventory, validated, task.split)
        return result
    except BaseException:
        shard.abort()
        raise


def unstorable(rows: list[dict], files: list[Path]) -> list[Problem]:
    """Which documents of a row group Arrow refuses (a value out of a column type's range), and where."""
    errors = []
    for row, path in zip(rows, files):
        for column in SCHEMAS["documents"]:
            try:
                pa.array([row.get(column.name)], type=column.type)
            except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
                errors.append(Problem("REL-UNSTORABLE", "a value does not fit the release's Parquet column type",
                                      file=str(path), doc_id=row.get("id"), path=f"$.{column.name}", found=str(exc),
                                      expected=str(column.type)))
                break
    return errors or [Problem("REL-UNSTORABLE", "these documents cannot be converted to Parquet rows",
                              file=f"{files[0]}...{files[-1]}")]


def check_shard_rows(root: Path, files: dict[str, dict], inventory: Inventory, validated: dict[str, bytes],
                     split: str) -> list[Problem]:
    """`wsw release --verify`'s row checks on one freshly written shard of every config.

    The one check of `--verify` that spans shards, an id appearing twice, cannot fail here:
    `plan_corpus` puts every id in one split, and each file holds the document its name says.
    """
    try:
        return check_row_run(root, {config: [info["path"]] for config, info in files.items()}, inventory, split,
                             validated=validated)
    except ProblemError as exc:  # a file that cannot be read back
        return exc.problems


def plan_shards(plan: CorpusPlan, root: Path, docs_per_shard: int, row_group_size: dict,
                inventory: Inventory, check_rows: bool = True) -> list[ShardTask]:
    """The shard tasks of a release: each split cut into runs of `docs_per_shard` documents (at least one shard)."""
    if docs_per_shard < 1:
        raise ValueError("docs_per_shard must be positive")
    groups = tuple(sorted({**DEFAULT_ROW_GROUP_SIZE, **(row_group_size or {})}.items()))
    tasks = []
    for split in SPLITS:
        files = [str(p) for p in plan.files(split)]
        total = max(1, -(-len(files) // docs_per_shard))
        for index in range(total):
            chunk = tuple(files[index * docs_per_shard:(index + 1) * docs_per_shard])
            tasks.append(ShardTask(str(root), split, index, total, chunk, groups, inventory.raw, check_rows))
    return tasks


def _watch_parent(parent: int) -> None:
    """Exit when the parent process is gone (reparented): the fallback where the kernel cannot be asked."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def die_with_parent(parent: int) -> None:
    """Worker initializer: a shard worker must not outlive the build that started it (a kill -9 of `wsw release`
    would otherwise leave workers holding their memory until they finish their shard).

    On Linux the kernel sends the worker SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere a
    thread polls the parent's pid. Either way a parent already gone when the worker starts ends it at once.
    """
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """The process pool that builds shards: spawned workers (forking a process that already runs Arrow threads
    can deadlock) that die with this process."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=die_with_parent, initargs=(os.getpid(),))


def run_shards(tasks: list[ShardTask], workers: int) -> Iterator[ShardResult]:
    """Results in task order, built by `workers` processes (in this process when 1 or a single task).

    The largest shards are started first, so workers finish together; results are still handed
    back in task order, which alone decides what the release contains.
    """
    if workers <= 1 or len(tasks) <= 1:
        yield from map(build_shard, tasks)
        return
    with worker_pool(min(workers, len(tasks))) as pool:
        try:
            largest_first = sorted(range(len(tasks)), key=lambda i: -len(tasks[i].files))
            futures = {i: pool.submit(build_shard, tasks[i]) for i in largest_first}
            for i in range(len(tasks)):
                yield futures[i].result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def plan_owner(plan: CorpusPlan) -> dict[str, str]:
    """Document id -> split, from the plan of the release."""
    return {doc_id: split for split, ids in plan.splits.items() for doc_id in ids}


def gold_checksums(corpus_dir: Path, inventory: Inventory):
    """split -> the gold content checksum `wsw score` records for that split of this corpus (computed on demand)."""
    cache: dict[str, str | None] = {}

    def checksum(split: str) -> str | None:
        if split not in cache:
            from ..scoring import load_gold, open_gold

            try:
                cache[split] = load_gold(open_gold(corpus_dir), split, inventory).content_sha256
            except UserError:
                cache[split] = None
        return cache[split]
    return checksum


def build_disagreement(root: Path, corpus_dir: Path, campaign: Path | None, plan: CorpusPlan, summary: dict,
                       inventory: Inventory) -> tuple[dict[str, dict[str, list[dict]]], dict]:
    """Write the disagreement configs into `root`; refuse the release (nothing installed) if their sources have problems."""
    sources = StudySources(corpus_dir, campaign, plan_owner(plan), frozenset(summary["withheld"]))
    files, facts = build_study(root, sources, inventory)
    if sources.problems:
        raise ProblemError(sources.problems[:MAX_REPORTED_PROBLEMS], total=len(sources.problems))
    return files, facts


@dataclass
class _Collected:
    """The shard results of a build, merged in task order."""

    files: dict[str, dict[str, list[dict]]] = field(
        default_factory=lambda: {config: {split: [] for split in SPLITS} for config in DOCUMENT_CONFIGS})
    summary: CorpusSummary = field(default_factory=CorpusSummary)
    example: dict | None = None
    fingerprint: Any = field(default_factory=hashlib.sha256)
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    row_problems: list[Problem] = field(default_factory=list)

    def merge(self, task: ShardTask, result: ShardResult) -> None:
        self.error_count += result.error_count
        self.problems.extend(result.problems[: max(0, MAX_REPORTED_PROBLEMS - len(self.problems))])
        self.row_problems.extend(result.row_problems[: max(0, MAX_REPORTED_PROBLEMS - len(self.row_problems))])
        if self.error_count or self.row_problems:
            return
        for config, info in result.files.items():
            self.files[config][task.split].append(info)
        self.summary.merge(result.summary)
        self.fingerprint.update("".join(result.fingerprint).encode("utf-8"))
        if self.example is None and result.example is not None:
            self.example = result.example


def _collect(plan: CorpusPlan, tasks: list[ShardTask], workers: int | None, progress: bool | None) -> _Collected:
    collected = _Collected()
    show = sys.stderr.isatty() and plan.total > 1000 if progress is None else progress
    with tqdm(total=plan.total, unit="doc", desc="release", disable=not show, file=sys.stderr) as bar:
        for task, result in zip(tasks, run_shards(tasks, workers or os.cpu_count() or 1)):
            bar.update(len(task.files))
            collected.merge(task, result)
    if collected.error_count:
        raise ProblemError(collected.problems, total=collected.error_count)
    if collected.row_problems:
        raise ProblemError(collected.row_problems)
    return collected


def _manifest(meta: dict, plan: CorpusPlan, collected: _Collected, summary: dict, inventory: Inventory) -> dict:
    return {
        "name": meta["name"],
        "pretty_name": meta["pretty_name"],
        "version": meta["version"],
        "format_version": FORMAT_VERSION,
        "document_schema_version": SCHEMA_VERSION,
        "inventory_version": inventory.version,
        "built_with": {"whosaidwhat": __version__, "pyarrow": pa.__version__},
        "corpus": {"documents": plan.total, "fingerprint": collected.fingerprint.hexdigest(),
                   "splits_version": plan.splits_version, "splits_rationale": plan.splits_rationale},
        "configs": {config: {split: {"num_rows": sum(f["num_rows"] for f in shards),
                                     "num_bytes": sum(f["num_bytes"] for f in shards),
                                     "files": [{"path": f["path"], "num_rows": f["num_rows"], "size": f["size"]}
                                               for f in shards]}
                             for split, shards in by_split.items()} for config, by_split in collected.files.items()},
        "summary": summary,
        "example": collected.example,
        "rehydrated": [],
        "dataset": meta,
        "inventory": inventory.raw,
    }


@dataclass(frozen=True)
class _Inputs:
    """What a build reads, resolved."""

    corpus_dir: Path
    metadata_path: Path
    campaign: Path | None
    baselines_dir: Path


def _inputs(corpus_dir: Path, metadata_path: str | Path | None, campaign_dir: str | Path | None,
            baselines_dir: str | Path | None, version: str) -> _Inputs:
    if campaign_dir is not None and not Path(campaign_dir).is_dir():
        fail("PATH-MISSING", "the annotation campaign folder does not exist", file=str(campaign_dir),
             expected="a folder holding decisions/ and corrections.json")
    campaign = Path(campaign_dir) if campaign_dir is not None else default_campaign(corpus_dir, version)
    return _Inputs(corpus_dir, Path(metadata_path) if metadata_path else corpus_dir / "dataset.json", campaign,
                   corpus_dir.parent / "eval" / "baselines" if baselines_dir is None else Path(baselines_dir))


def build_release(corpus_dir: str | Path, out: str | Path, *, metadata_path: str | Path | None = None,
                  version: str | None = None, force: bool = False, docs_per_shard: int = DEFAULT_DOCS_PER_SHARD,
                  row_group_size: dict | None = None, workers: int | None = None,
                  inventory: Inventory | None = None, progress: bool | None = None, check_rows: bool = True,
                  baselines_dir: str | Path | None = None, campaign_dir: str | Path | None = None) -> dict:
    """Build the release of `corpus_dir` at `out` and return its manifest (release.json).

    With `check_rows` (the default) every written shard is read back and checked row by row as
    `--verify` does; without it the source documents are still validated and checksums,
    schemas, counts, card and Croissant still verified (the fast path for large silver releases).

    The card also reports the agreement of the annotation passes kept in CORPUS/annotations/ and the
    baseline results in `baselines_dir` (default: eval/baselines/ beside the corpus folder, as in the
    repository), when there are any. The disagreement configs (`annotations`, `decisions`, `corrections`,
    see `study.py`) come from CORPUS/annotations/ and the campaign folder `campaign_dir` (default:
    annotation/campaigns/corpus-X.Y/ beside the corpus folder for version X.Y.Z, when it exists).

    The output folder is locked for the run (a second run on it is refused), may not overlap any input,
    and an install interrupted by a kill is finished, and left-over build folders removed, by the next run.
    """
    corpus_dir, out = Path(corpus_dir), Path(out).absolute()
    meta = load_dataset_metadata(metadata_path or corpus_dir / "dataset.json")
    if version is not None and version != meta["version"]:
        fail("REL-VERSION-MISMATCH", f"--version {version} was asked for, but dataset.json says version "
             f"{meta['version']}: bump $.version and add release notes there first",
             file=str(metadata_path or corpus_dir / "dataset.json"), path="$.version", found=meta["version"],
             expected=version)
    inputs = _inputs(corpus_dir, metadata_path, campaign_dir, baselines_dir, meta["version"])
    check_overlap(out, {"the corpus folder": corpus_dir, "the metadata file": inputs.metadata_path,
                        "the annotation campaign folder": inputs.campaign, "the baselines folder": inputs.baselines_dir})
    inventory = inventory or load_inventory()
    plan = plan_corpus(corpus_dir)
    with target_lock(out):
        recover(out)
        check_target(out, force)
        tmp = new_build_folder(out)
        try:
            tasks = plan_shards(plan, tmp, docs_per_shard, row_group_size or {}, inventory, check_rows)
            collected = _collect(plan, tasks, workers, progress)
            summary = collected.summary.result()
            study_files, study = build_disagreement(tmp, corpus_dir, inputs.campaign, plan, summary, inventory)
            collected.files.update(study_files)
            manifest = _manifest(meta, plan, collected, summary, inventory)
            manifest["agreement"] = agreement_facts(corpus_dir, plan_owner(plan))
            manifest["study"] = study
            manifest["baselines"] = baseline_facts(inputs.baselines_dir, gold_checksums(corpus_dir, inventory))
            write_generated_files(tmp, manifest)
            found = verify_release(tmp, deep=True, rows=False)  # the rows were checked shard by shard
            if found:
                raise ProblemError(found)
            install(tmp, out)
            return manifest
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
