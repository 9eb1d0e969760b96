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
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from .. import __version__
from ..core.atomic import write_text
from ..core.document import SCHEMA_VERSION
from ..core.errors import UserError
from ..core.inventory import Inventory, load_inventory, parse_inventory
from ..validation import ERROR, validate_document
from .card import render_attributions, render_card
from .checksums import SUMS, render_sums
from .corpus import CorpusPlan, plan_corpus, read_document
from .croissant import render_croissant
from .facts import agreement_facts, baseline_facts
from .features import CONFIGS, FORMAT_VERSION, SCHEMAS, SPLITS
from .flat import flat_tables
from .metadata import load_dataset_metadata
from .parquet import DEFAULT_DOCS_PER_SHARD, DEFAULT_ROW_GROUP_SIZE, ShardFile, shard_name
from .rows import as_arrow_rows, document_row, is_redistributable
from .summary import CorpusSummary
from .verify import check_row_run, content_digest, verify_release

MANIFEST = "release.json"
MAX_REPORTED_PROBLEMS = 50
SPLIT_COLUMN = SCHEMAS["documents"].get_field_index("split")


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


def check_target(out: Path, force: bool) -> None:
    if not out.exists():
        if out.parent.exists() and not out.parent.is_dir():
            raise UserError(f"{out}: {out.parent} exists and is not a folder")
        out.parent.mkdir(parents=True, exist_ok=True)  # like `mkdir -p`: releases/<name> works on a fresh clone
        return
    if not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    if not force:
        raise UserError(f"{out}: already exists; choose a new folder or pass --force to replace that release")
    if any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise UserError(f"{out}: --force replaces only an earlier release (a folder with {MANIFEST}) or an empty "
                        "folder; this one is neither, so nothing was touched")


def _open_permissions(root: Path) -> None:
    """Temporary files and folders are private (0600/0700); a release is for sharing: use the umask."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [root, *root.rglob("*")]:
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)


def install(tmp: Path, out: Path) -> None:
    """Move a finished release folder into place, replacing an earlier one only at the very end."""
    _open_permissions(tmp)
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
        os.rename(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, out)


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
    problems: list[str] = field(default_factory=list)
    error_count: int = 0
    example: dict | None = None
    row_problems: list[str] = field(default_factory=list)  # what `--verify` would say about the written rows


def build_shard(task: ShardTask) -> ShardResult:
    """Read, validate and convert one shard's documents, writing shard `index` of every config."""
    inventory = parse_inventory(task.inventory)
    groups = dict(task.row_group_size)
    root = Path(task.root)
    result = ShardResult()
    writers = {c: ShardFile(root / "data" / c / shard_name(task.split, task.index, task.total), SCHEMAS[c], groups[c])
               for c in CONFIGS}
    pending: list[dict] = []
    pending_files: list[Path] = []
    validated: dict[str, bytes] = {}  # id -> content_digest of each document that validated

    def write_documents() -> None:
        """One row group of documents, and the flat configs' rows derived from it."""
        try:
            table = pa.Table.from_pylist(pending, schema=SCHEMAS["documents"])  # `split` is not a document field:
            table = table.set_column(SPLIT_COLUMN, "split", pa.array([task.split] * table.num_rows, pa.string()))
        except (pa.ArrowException, OverflowError, TypeError, ValueError):
            errors = unstorable(pending, pending_files)
            result.error_count += len(errors)
            result.problems.extend(errors[: max(0, MAX_REPORTED_PROBLEMS - len(result.problems))])
        else:
            writers["documents"].add(table)
            for config, flat in flat_tables(table).items():
                writers[config].add(flat)
        pending.clear()
        pending_files.clear()

    try:
        for name in task.files:
            path = Path(name)
            try:
                doc, digest = read_document(path)
            except UserError as exc:
                errors = [exc.message]
            else:
                errors = [p.line() for p in validate_document(doc, str(path), inventory) if p.level == ERROR]
                if doc.get("id") != path.stem:
                    errors.append(f"{path}: {doc.get('id')}: $.id: [FILE-NAME] file name does not match the document "
                                  f"id (expected {doc.get('id')}.json)")
            if errors:
                result.error_count += len(errors)
                result.problems.extend(errors[: max(0, MAX_REPORTED_PROBLEMS - len(result.problems))])
                continue
            if result.error_count:
                continue  # keep validating to report every problem, but write nothing more
            validated[doc["id"]] = content_digest(doc)  # of the document exactly as validated, before any conversion
            withhold = not is_redistributable(doc)
            row = document_row(doc, withhold)
            pending.append(row)
            pending_files.append(path)
            if len(pending) >= groups["documents"]:
                write_documents()
            result.summary.add(task.split, doc)
            result.fingerprint.append(f"{doc['id']}\t{task.split}\t{digest}\n")
            if result.example is None and not withhold:
                result.example = example_row({**as_arrow_rows([row], "documents")[0], "split": task.split})
        if pending and not result.error_count:
            write_documents()
        for config, writer in writers.items():
            writer.close()
            result.files[config] = {"path": writer.path.relative_to(root).as_posix(), "num_rows": writer.num_rows,
                                    "num_bytes": writer.num_bytes, "size": writer.path.stat().st_size}
        if not result.error_count and task.check_rows:
            result.row_problems = check_shard_rows(root, result.files, inventory, validated, task.split)
        return result
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise


def unstorable(rows: list[dict], files: list[Path]) -> list[str]:
    """Which documents of a row group Arrow refuses (a value out of a column type's range), and where."""
    errors = []
    for row, path in zip(rows, files):
        for column in SCHEMAS["documents"]:
            try:
                pa.array([row.get(column.name)], type=column.type)
            except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
                errors.append(f"{path}: {row.get('id')}: $.{column.name}: a value does not fit the release's "
                              f"Parquet column type ({exc})")
                break
    return errors or [f"{files[0]}...{files[-1]}: these documents cannot be converted to Parquet rows"]


def check_shard_rows(root: Path, files: dict[str, dict], inventory: Inventory, validated: dict[str, bytes],
                     split: str) -> list[str]:
    """`wsw release --verify`'s row checks on one freshly written shard of every config.

    The one check of `--verify` that spans shards, an id appearing twice, cannot fail here:
    `plan_corpus` puts every id in one split, and each file holds the document its name says.
    """
    try:
        return check_row_run(root, {config: [info["path"]] for config, info in files.items()}, inventory, split,
                             validated=validated)
    except UserError as exc:  # a file that cannot be read back
        return [exc.message]


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


def run_shards(tasks: list[ShardTask], workers: int) -> Iterator[ShardResult]:
    """Results in task order, built by `workers` processes (in this process when 1 or a single task).

    The largest shards are started first, so workers finish together; results are still handed
    back in task order, which alone decides what the release contains.
    """
    if workers <= 1 or len(tasks) <= 1:
        yield from map(build_shard, tasks)
        return
    # spawn, not fork: forking a process that already runs Arrow threads can deadlock
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=multiprocessing.get_context("spawn")) as pool:
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


def verification_failed(problems: list[str], tmp: Path) -> UserError:
    """The build's refusal, with `wsw release --verify`'s own lines (paths in the removed build folder)."""
    return UserError(f"the built release failed verification (the problems `wsw release --verify` would report, "
                     f"in the build folder {tmp}, now removed); nothing was installed:\n" + "\n".join(problems))


def build_release(corpus_dir: str | Path, out: str | Path, *, metadata_path: str | Path | None = None,
                  version: str | None = None, force: bool = False, docs_per_shard: int = DEFAULT_DOCS_PER_SHARD,
                  row_group_size: dict | None = None, workers: int | None = None,
                  inventory: Inventory | None = None, progress: bool | None = None, check_rows: bool = True,
                  baselines_dir: str | Path | None = None) -> dict:
    """Build the release of `corpus_dir` at `out` and return its manifest (release.json).

    With `check_rows` (the default) every written shard is read back and checked row by row as
    `--verify` does; without it the source documents are still validated and checksums,
    schemas, counts, card and Croissant still verified (the fast path for large silver releases).

    The card also reports the agreement of the annotation passes kept in CORPUS/annotations/ and the
    baseline results in `baselines_dir` (default: eval/baselines/ beside the corpus folder, as in the
    repository), when there are any.
    """
    corpus_dir, out = Path(corpus_dir), Path(out).absolute()
    meta = load_dataset_metadata(metadata_path or corpus_dir / "dataset.json")
    if version is not None and version != meta["version"]:
        raise UserError(f"--version {version} was asked for, but {metadata_path or corpus_dir / 'dataset.json'} "
                        f"says version {meta['version']}: bump $.version and add release notes there first")
    inventory = inventory or load_inventory()
    plan = plan_corpus(corpus_dir)
    check_target(out, force)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        tasks = plan_shards(plan, tmp, docs_per_shard, row_group_size or {}, inventory, check_rows)
        files = {config: {split: [] for split in SPLITS} for config in CONFIGS}
        summary, example, fingerprint = CorpusSummary(), None, hashlib.sha256()
        problems, error_count, row_problems = [], 0, []
        show = sys.stderr.isatty() and plan.total > 1000 if progress is None else progress
        with tqdm(total=plan.total, unit="doc", desc="release", disable=not show, file=sys.stderr) as bar:
            for task, result in zip(tasks, run_shards(tasks, workers or os.cpu_count() or 1)):
                bar.update(len(task.files))
                error_count += result.error_count
                problems.extend(result.problems[: max(0, MAX_REPORTED_PROBLEMS - len(problems))])
                row_problems.extend(result.row_problems[: max(0, MAX_REPORTED_PROBLEMS - len(row_problems))])
                if error_count or row_problems:
                    continue
                for config, info in result.files.items():
                    files[config][task.split].append(info)
                summary.merge(result.summary)
                fingerprint.update("".join(result.fingerprint).encode("utf-8"))
                if example is None and result.example is not None:
                    example = result.example
        if error_count:
            more = f"\n... and {error_count - len(problems)} more" if error_count > len(problems) else ""
            raise UserError(f"{error_count} validation error(s) in the corpus; nothing was released "
                            f"(run `wsw validate {corpus_dir}` for the full report):\n" + "\n".join(problems) + more)
        if row_problems:
            raise verification_failed(row_problems, tmp)
        manifest = {
            "name": meta["name"],
            "pretty_name": meta["pretty_name"],
            "version": meta["version"],
            "format_version": FORMAT_VERSION,
            "document_schema_version": SCHEMA_VERSION,
            "inventory_version": inventory.version,
            "built_with": {"whosaidwhat": __version__, "pyarrow": pa.__version__},
            "corpus": {"documents": plan.total, "fingerprint": fingerprint.hexdigest(),
                       "splits_version": plan.splits_version, "splits_rationale": plan.splits_rationale},
            "configs": {config: {split: {"num_rows": sum(f["num_rows"] for f in shards),
                                         "num_bytes": sum(f["num_bytes"] for f in shards),
                                         "files": [{"path": f["path"], "num_rows": f["num_rows"], "size": f["size"]}
                                                   for f in shards]}
                                 for split, shards in by_split.items()} for config, by_split in files.items()},
            "summary": summary.result(),
            "example": example,
            "rehydrated": [],
            "dataset": meta,
            "inventory": inventory.raw,
            "agreement": agreement_facts(corpus_dir, plan_owner(plan)),
            "baselines": baseline_facts(corpus_dir.parent / "eval" / "baselines" if baselines_dir is None
                                        else Path(baselines_dir), gold_checksums(corpus_dir, inventory)),
        }
        write_generated_files(tmp, manifest)
        found = verify_release(tmp, deep=True, rows=False)  # the rows were checked shard by shard
        if found:
            raise verification_failed(found, tmp)
        install(tmp, out)
        return manifest
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
