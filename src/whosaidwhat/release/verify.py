"""`wsw release --verify DIR`: is this folder exactly the release its files say it is?

Checks, each problem naming the file: SHA256SUMS against every file; release.json (its shape)
and the Parquet files it lists (readable, the expected Arrow schema, the stated row counts, no
stray shards); the card's declared features and row counts. With `deep` (the default of the
command) mlcroissant validates croissant.json and reads every record set of a sample of the
release through it, and every row is streamed: each document validates as a canonical document
(spans equal `text[start:end]`, hashes match, labels known), its `split` column is its file's
split, withheld texts are really withheld, and the flat configs (entities, mentions, quotes,
claims, producers) equal what the documents config implies. `wsw release --out` runs the same
row checks on every shard it writes (`check_row_run`) and the rest before it installs anything.

Nothing in a release folder is trusted: malformed files are problems, never exceptions.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from ..core.inventory import Inventory, parse_inventory
from ..core.jsonfile import parse_json
from ..core.problems import Problem, ProblemError
from ..validation import validate_document
from .checksums import check_sums
from .expected import ExpectedFlat
from .features import CONFIGS, DOCUMENT_CONFIGS, FLAT_CONFIGS, FORMAT_VERSION, KEYS, SCHEMAS, SPLITS, STUDY_CONFIGS, yaml_features
from .manifest import MANIFEST, load_manifest
from .rows import document_from_row
from .study import QUOTING

__all__ = ["verify_release", "load_manifest", "iter_rows", "check_row_run", "fewer_collections", "MANIFEST"]

SHARD = re.compile(r"^(train|validation|test)-([0-9]{5})-of-([0-9]{5})\.parquet$")
FLAT = FLAT_CONFIGS
#: the row checks stop after this many problems (a broken release would otherwise print millions)
MAX_ROW_PROBLEMS = 200


def _schema_difference(found, expected) -> str:
    for want in expected:
        if want.name not in found.names:
            return f"column {want.name} is missing"
        got = found.field(want.name)
        if not got.type.equals(want.type):
            return f"column {want.name} has type {got.type}, expected {want.type}"
    extra = [n for n in found.names if n not in expected.names]
    return f"unexpected column(s) {', '.join(extra)}" if extra else "columns are in a different order"


def _check_file(root: Path, config: str, item: dict) -> tuple[int, list[Problem]]:
    """(rows, problems) of one listed Parquet file."""
    path = root / item["path"]
    if not path.is_file():
        return 0, [Problem("REL-FILE-MISSING", f"listed in {MANIFEST} but missing", file=str(path))]
    try:
        meta = pq.ParquetFile(path)
        schema = meta.schema_arrow.remove_metadata()
        num_rows = meta.metadata.num_rows
    except Exception as exc:  # pyarrow raises several types for corrupt files
        return 0, [Problem("REL-PARQUET-UNREADABLE", "not a readable Parquet file", file=str(path), found=str(exc))]
    problems = []
    if not schema.equals(SCHEMAS[config]):
        problems.append(Problem("REL-PARQUET-SCHEMA", f"schema differs from the `{config}` config",
                                file=str(path), found=_schema_difference(schema, SCHEMAS[config])))
    if num_rows != item["num_rows"]:
        problems.append(Problem("REL-ROW-COUNT", f"the file's row count differs from {MANIFEST}", file=str(path),
                                found=str(num_rows), expected=str(item["num_rows"])))
    return num_rows, problems


def check_files(root: Path, manifest: dict) -> list[Problem]:
    """Parquet files: as listed, readable, with the config's schema and the stated row counts."""
    problems: list[Problem] = []
    listed = set()
    for config in CONFIGS:
        if config not in manifest["configs"]:
            problems.append(Problem("REL-CONFIG-MISSING", f"the `{config}` config is missing (a release built by an "
                                    "older wsw; rebuild it)", file=str(root / MANIFEST), path="$.configs",
                                    found=f"format_version {manifest.get('format_version')}",
                                    expected=f"format_version {FORMAT_VERSION}"))
            continue
        for split in SPLITS:
            entry = manifest["configs"][config][split]
            rows, file_problems = 0, []
            for item in entry["files"]:
                listed.add(item["path"])
                num_rows, found = _check_file(root, config, item)
                rows += num_rows
                file_problems += found
            problems += file_problems
            if rows != entry["num_rows"] and not file_problems:
                problems.append(Problem("REL-ROW-COUNT", "the split's row count differs from what its files hold",
                                        file=str(root / MANIFEST), path=f"$.configs.{config}.{split}.num_rows",
                                        found=str(entry["num_rows"]), expected=str(rows)))
    data = root / "data"
    for path in sorted(data.rglob("*")) if data.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel not in listed:
            problems.append(Problem("REL-FILE-UNLISTED", f"not part of the release (not in {MANIFEST}); `datasets` "
                                    "would load it", file=str(path)))
        elif path.is_file() and not SHARD.match(path.name):
            problems.append(Problem("REL-SHARD-NAME", "the name does not follow <split>-NNNNN-of-MMMMM.parquet",
                                    file=str(path), found=path.name))
    return problems


def card_header(root: Path) -> tuple[dict | None, list[Problem]]:
    """The card's YAML header as a mapping, or (None, why not)."""
    path = root / "README.md"

    def problem(message: str, **detail) -> tuple[None, list[Problem]]:
        return None, [Problem("REL-CARD", message, file=str(path), **detail)]

    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return problem("missing (the dataset card)")
    except OSError as exc:
        return problem(f"cannot be read ({exc.strerror or exc})")
    except UnicodeDecodeError as exc:
        return problem(f"not UTF-8 (byte {exc.start})")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not match:
        return problem("no YAML header between --- lines at the top")
    try:
        header = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        return problem("the YAML header does not parse", found=str(exc)[:200])
    except RecursionError:
        return problem("the YAML header is nested too deeply to read")
    if not isinstance(header, dict):
        return problem("the YAML header is not a mapping", found=type(header).__name__,
                       expected="a mapping with `configs` and `dataset_info` (the Hugging Face card metadata)")
    return header, []


def _mappings(header: dict, key: str, path: Path, problems: list[Problem]) -> list[dict]:
    """The list of mappings under `key` of the card header; anything else is a problem."""
    value = header.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems.append(Problem("REL-CARD-CONFIG", "expected a list of mappings", file=str(path), path=key,
                                found=str(value)[:80]))
        return []
    return value


def _card_config(path: Path, config: str, info: dict, manifest: dict) -> list[Problem]:
    where = f"dataset_info.{config}"
    problems = []
    if info.get("features") != yaml_features(config):
        problems.append(Problem("REL-CARD-CONFIG", "declared features differ from the Parquet schema", file=str(path),
                                path=f"{where}.features"))
    splits = info.get("splits") or []
    if not isinstance(splits, list) or not all(isinstance(s, dict) for s in splits):
        return problems + [Problem("REL-CARD-CONFIG", "expected a list of mappings", file=str(path),
                                   path=f"{where}.splits")]
    declared = {s.get("name"): s.get("num_examples") for s in splits}
    for split in SPLITS:
        expected = manifest["configs"][config][split]["num_rows"]
        if declared.get(split) != expected and (expected or split in declared or not declared):
            problems.append(Problem("REL-CARD-CONFIG", "num_examples differs from what the files hold", file=str(path),
                                    path=f"{where}.splits.{split}", found=str(declared.get(split)),
                                    expected=str(expected)))
    return problems


def check_card(root: Path, manifest: dict) -> list[Problem]:
    header, problems = card_header(root)
    if header is None:
        return problems
    path = root / "README.md"
    infos = {info.get("config_name"): info for info in _mappings(header, "dataset_info", path, problems)}
    configs = {c.get("config_name"): c for c in _mappings(header, "configs", path, problems)}
    for config in CONFIGS:
        if config not in configs:
            problems.append(Problem("REL-CARD-CONFIG", f"the `{config}` config is missing", file=str(path),
                                    path="configs"))
        info = infos.get(config)
        if info is None:
            problems.append(Problem("REL-CARD-CONFIG", f"the `{config}` config is missing", file=str(path),
                                    path="dataset_info"))
        elif config in manifest["configs"]:
            problems += _card_config(path, config, info, manifest)
    return problems


#: documents per split whose rows of every config `--verify` reads back through croissant.json with mlcroissant
#: (mlcroissant takes about a millisecond per record, and reads every record set a join refers to)
CROISSANT_SAMPLE = 1
#: the sample documents are the richest (most items, quotes and claims first) of this many first documents
CROISSANT_CANDIDATES = 200
SAMPLE_BATCH = 1_000


def check_croissant(root: Path, manifest: dict | None = None, sample: int = CROISSANT_SAMPLE) -> list[Problem]:
    """croissant.json parses as JSON, mlcroissant accepts it without errors or warnings, and mlcroissant reads
    every record set of a sample of the release with the keys the Parquet files hold.

    The sample is `sample` documents of each split (the ones with the most quotes, claims and mentions
    among the split's first documents) with all their rows in every config, copied to a temporary folder
    with croissant.json: reading a record set with mlcroissant loads every file it joins into memory
    (pandas, about a millisecond per record), so reading the whole of a large release would be neither
    bounded nor fast. The files themselves are checked against the schemas croissant.json is made from
    (`check_files`), and the tests read every record of a whole release. `sample=0` only validates the
    metadata.
    """

    path = root / "croissant.json"
    if not path.is_file():
        return [Problem("REL-CROISSANT", "missing", file=str(path))]
    _, problem = parse_json(path.read_bytes(), file=str(path))
    if problem is not None:
        return [problem]
    try:
        import mlcroissant  # noqa: F401
    except ImportError as exc:
        return [Problem("REL-CROISSANT", "cannot be checked: mlcroissant, a dependency of whosaidwhat, does not "
                        "import; reinstall whosaidwhat", file=str(path), found=str(exc))]
    if not sample or manifest is None:
        return _load_croissant(path)[1]
    with tempfile.TemporaryDirectory(prefix="wsw-croissant-") as tmp:
        try:
            expected = write_sample(root, manifest, Path(tmp), sample)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
            return [Problem("REL-CROISSANT-RECORDS", "cannot take a sample of the release to read through "
                            "croissant.json", file=str(root), found=str(exc))]
        shutil.copyfile(path, Path(tmp) / "croissant.json")  # the same metadata, over the sample's files
        return read_through_croissant(Path(tmp) / "croissant.json", expected, shown_as=path)


def _load_croissant(path: Path, shown_as: Path | None = None):
    """(mlcroissant Dataset or None, problems): errors and warnings of mlcroissant's validation."""
    import mlcroissant as mlc

    shown_as = shown_as or path
    try:
        dataset = _quiet(lambda: mlc.Dataset(jsonld=str(path)))
    except Exception as exc:  # mlcroissant reports problems as ValidationError with all issues
        return None, [Problem("REL-CROISSANT", "not valid Croissant according to mlcroissant", file=str(shown_as),
                              found=str(exc))]
    issues = dataset.metadata.ctx.issues
    return dataset, [Problem("REL-CROISSANT", f"mlcroissant: {message}", file=str(shown_as))
                     for message in sorted(issues.errors) + sorted(issues.warnings)]


def write_sample(root: Path, manifest: dict, folder: Path, per_split: int) -> dict[str, list[str]]:
    """`per_split` documents of each split (the richest of its first documents) with all their rows, as a
    release layout in `folder`; returns config -> the key (`uid`, or `id` for documents) of every row written."""
    expected: dict[str, list[str]] = {config: [] for config in CONFIGS}
    for split in SPLITS:
        first = manifest["configs"]["documents"][split]["files"]
        if not manifest["configs"]["documents"][split]["num_rows"]:
            continue
        candidates = next(pq.ParquetFile(root / first[0]["path"]).iter_batches(batch_size=CROISSANT_CANDIDATES))
        docs = candidates.take(_richest(candidates, per_split))
        ids = docs.column("id")
        for config in CONFIGS:
            if config == "documents":
                table = pa.Table.from_batches([docs])
            else:
                kept = []
                for batch in pq.ParquetFile(root / manifest["configs"][config][split]["files"][0]["path"]).iter_batches(
                        batch_size=SAMPLE_BATCH):
                    kept.append(batch.filter(pc.is_in(batch.column("doc_id"), value_set=ids)))
                    # rows are in document order: past the candidates, no row of the sample follows
                    if not pc.all(pc.is_in(batch.column("doc_id"), value_set=candidates.column("id"))).as_py():
                        break
                table = pa.Table.from_batches(kept, schema=SCHEMAS[config])
            target = folder / "data" / config / f"{split}-00000-of-00001.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, target)
            expected[config] += table.column("id" if config == "documents" else "uid").to_pylist()
    return expected


def _richest(docs: pa.RecordBatch, n: int) -> pa.Array:
    """Row numbers of the `n` documents with both quotes and claims and the most items (ties: first), in file order."""
    sizes = {layer: pc.list_value_length(docs.column(layer)).fill_null(0).to_numpy(zero_copy_only=False)
             for layer in ("entities", "mentions", "quotes", "claims")}
    score = [(bool(sizes["quotes"][i] and sizes["claims"][i]), sum(int(v[i]) for v in sizes.values()), -i)
             for i in range(docs.num_rows)]
    best = sorted(range(docs.num_rows), key=lambda i: score[i], reverse=True)[:n]
    return pa.array(sorted(best), pa.int64())


def _record_problems(name: str, top: list[str], records: list[dict], expected: dict[str, list[str]],
                     shown_as: Path) -> list[Problem]:
    """A record set read through croissant.json gives a value for every declared field and exactly the expected keys."""
    problems = []
    for record in records[:1]:
        keys = set(_all_keys(record))
        missing = [f for f in top if not any(k == f or k.startswith(f + "/") for k in keys)]
        if missing:
            problems.append(Problem("REL-CROISSANT-RECORDS", "mlcroissant gives no value for some fields",
                                    file=str(shown_as), path=name, found=", ".join(missing)))
    if name not in expected:
        return problems
    key = f"{name}/{'id' if name == 'documents' else 'uid'}"
    got = sorted(_text(record.get(key)) for record in records)
    if got != sorted(expected[name]):
        problems.append(Problem("REL-CROISSANT-RECORDS", "mlcroissant reads other records than the Parquet files "
                                "hold" + ("" if len(got) != len(expected[name]) else " (other keys)"),
                                file=str(shown_as), path=name, found=f"{len(got)} record(s)",
                                expected=f"{len(expected[name])} row(s)"))
    return problems


def read_through_croissant(path: Path, expected: dict[str, list[str]], shown_as: Path | None = None) -> list[Problem]:
    """Read every record of every record set of the Croissant file `path` with mlcroissant; each record set
    must give exactly the rows (by key) of `expected` and a value for every field it declares."""
    shown_as = shown_as or path
    dataset, problems = _load_croissant(path, shown_as)
    if dataset is None or problems:
        return problems
    for record_set in dataset.metadata.record_sets:
        name = record_set.uuid
        try:
            records = _quiet(lambda dataset=dataset, name=name: list(dataset.records(name)))
        except Exception as exc:  # mlcroissant raises GenerationError with the cause chained
            cause = exc.__cause__ or exc
            problems.append(Problem("REL-CROISSANT-RECORDS", "mlcroissant cannot read the records of the record set",
                                    file=str(shown_as), path=name, found=f"{type(cause).__name__}: {str(cause)[:300]}"))
            continue
        finally:
            if not _forget(dataset):
                dataset = _load_croissant(path, shown_as)[0]
        problems += _record_problems(name, [field.uuid for field in record_set.fields], records, expected, shown_as)
    return problems


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _all_keys(value) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _all_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _all_keys(inner)


def _forget(dataset) -> bool:
    """Drop mlcroissant's cached operation outputs, so the next record set is computed afresh: a record set
    read as a stream leaves a consumed generator where a join reading another record set expects a table.
    False if this mlcroissant keeps them elsewhere (the caller then loads the file again)."""
    try:
        for operation in dataset.operations.operations.nodes:
            if operation.has_output():
                object.__delattr__(operation, "_output")
        return True
    except (AttributeError, TypeError):
        return False


def _quiet(call):
    """Run an mlcroissant call with its logging and warnings turned down: it logs what it reads, and its
    pandas code raises deprecation warnings that say nothing about the release."""
    import logging
    import warnings

    logger = logging.getLogger()
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            return call()
    finally:
        logger.setLevel(level)


# -- reading rows ----------------------------------------------------------------------------------

class _Unreadable(ProblemError):
    """A data file whose pages fail to decode (REL-PARQUET-UNREADABLE naming it)."""

    def __init__(self, path: Path, exc: Exception):
        super().__init__([Problem("REL-PARQUET-UNREADABLE", "cannot be read row by row", file=str(path),
                                  found=str(exc))])


def _batches(root: Path, paths: list[str], batch_size: int) -> Iterator[tuple[str, int, pa.RecordBatch]]:
    """(file, number of its first row, batch) over a run of shards, one batch in memory at a time."""
    for rel in paths:
        path = root / rel
        try:
            batches = pq.ParquetFile(path, page_checksum_verification=True).iter_batches(batch_size=batch_size)
            number = 0
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    break
                yield rel, number, batch
                number += batch.num_rows
        except (OSError, ValueError, pa.ArrowException) as exc:  # corrupt page, failed page checksum
            raise _Unreadable(path, exc) from exc


def iter_rows(root: Path, files: list[dict], batch_size: int = 1_000) -> Iterator[tuple[str, int, dict]]:
    """(file, row number, row) over a split's shards, one batch in memory at a time."""
    for rel, first, batch in _batches(root, [item["path"] for item in files], batch_size):
        for offset, row in enumerate(batch.to_pylist()):
            yield rel, first + offset, row


class _Where:
    """(file, row number) of each row of a table taken from a run of shards, kept as runs (one per batch):
    looked up only to name a row that differs."""

    def __init__(self) -> None:
        self._runs: list[tuple[str, int, int]] = []  # (file, first row number, rows)

    def add(self, rel: str, first: int, rows: int) -> None:
        self._runs.append((rel, first, rows))

    def __getitem__(self, k: int) -> tuple[str, int]:
        for rel, first, rows in self._runs:
            if k < rows:
                return rel, first + k
            k -= rows
        raise IndexError(k)


class _RowStream:
    """The rows of a run of shards, taken `n` at a time as an Arrow table, with where each came from."""

    def __init__(self, root: Path, paths: list[str], batch_size: int):
        self._source = _batches(root, paths, batch_size)
        self._buffer: deque[tuple[str, int, pa.RecordBatch]] = deque()

    def take(self, n: int) -> tuple[pa.Table | None, _Where]:
        """Up to `n` next rows (fewer when the files end) and the (file, row number) of each."""
        pieces, where = [], _Where()
        while n > 0:
            if not self._buffer:
                nxt = next(self._source, None)
                if nxt is None:
                    break
                self._buffer.append(nxt)
            rel, first, batch = self._buffer.popleft()
            if batch.num_rows > n:
                self._buffer.appendleft((rel, first + n, batch.slice(n)))
                batch = batch.slice(0, n)
            pieces.append(batch)
            where.add(rel, first, batch.num_rows)
            n -= batch.num_rows
        return (pa.Table.from_batches(pieces) if pieces else None), where

    def next_row(self) -> tuple[str, int, dict] | None:
        table, where = self.take(1)
        return None if table is None else (*where[0], table.to_pylist()[0])


def _first_difference(found: dict, expected: dict) -> tuple[str, str, str]:
    """(column, found, expected) of the first column in which two rows differ."""
    for key in expected:
        if found.get(key) != expected[key]:
            return key, repr(found.get(key)), repr(expected[key])
    return "", "extra fields", "none"


def content_digest(doc: dict) -> bytes:
    """A digest of a document's value: equal digests mean equal documents (same keys, order and types).

    marshal format 2 writes plain values only (no references between objects, no interning
    flags), so it depends on the value and not on how the objects were built; it is also several
    times faster than JSON. Digests are compared within one Python process only.
    """
    return hashlib.sha256(marshal.dumps(doc, 2)).digest()


def _row_problem(rule: str, message: str, where: tuple[Path, int], doc_id: object, **detail) -> Problem:
    """A problem of one row: file, row number (in the `line` slot) and document id."""
    return Problem(rule, message, file=str(where[0]), lineno=where[1], doc_id=None if doc_id is None else str(doc_id),
                   **detail)


def _withheld_problem(doc: dict, where: tuple[Path, int], rehydrated: frozenset) -> Problem | None:
    license_ = (doc.get("metadata") or {}).get("license") or {}
    redistributable = license_.get("redistributable")
    if redistributable is False and doc["text"] is not None and doc["id"] not in rehydrated:
        return _row_problem("REL-TEXT-WITHHELD", "the license forbids redistribution but the text is present",
                            where, doc["id"], path="$.text", expected="null")
    if redistributable is True and doc["text"] is None:
        return _row_problem("REL-TEXT-WITHHELD", "the text is null, but the document is redistributable", where,
                            doc["id"], path="$.text", expected="the text")
    return None


def _document_row_problems(row: dict, where: tuple[Path, int], split: str, inventory: Inventory, seen: set[str],
                           validated: dict[str, bytes], rehydrated: frozenset) -> tuple[dict | None, list[Problem]]:
    """(the document of a `documents` row, or None when it is not one; its problems)."""
    try:
        doc = document_from_row(row)
    except (TypeError, KeyError, AttributeError) as exc:  # nulls where a struct or list must be
        return None, [_row_problem("REL-ROW-MALFORMED", "not a document row (null or malformed field)", where,
                                   row.get("id"), found=f"{type(exc).__name__} {exc}")]
    problems = []
    if doc["id"] in seen:
        problems.append(_row_problem("REL-ROW-DUPLICATE", "the document id appears twice in the release", where,
                                     doc["id"], path="$.id"))
    if row.get("split") != split:
        problems.append(_row_problem("REL-ROW-SPLIT", "the split column differs from the file's split", where,
                                     doc["id"], path="$.split", found=repr(row.get("split")), expected=repr(split)))
    seen.add(doc["id"])
    if not (validated and validated.get(doc["id"]) == content_digest(doc)):
        problems += [replace(p, file=str(where[0]), lineno=where[1]) for p in
                     validate_document(doc, str(where[0]), inventory) if p.is_error]
    withheld = _withheld_problem(doc, where, rehydrated)
    return doc, problems + ([withheld] if withheld else [])


#: the young-generation threshold of the cyclic garbage collector while rows are checked or built (Python's
#: default is 700): a batch of rows is hundreds of thousands of fresh dicts and lists that live until the batch
#: is done, and the collector, triggered every 700 allocations, would scan them again and again (about a
#: tenth of the time of a build). Release rows hold no reference cycles; refcounting frees them as before.
ROW_GC_THRESHOLD = 50_000


@contextmanager
def fewer_collections(threshold: int = ROW_GC_THRESHOLD) -> Iterator[None]:
    """Run the block with the collector's first threshold raised to `threshold` (restored afterwards)."""
    old = gc.get_threshold()
    gc.set_threshold(max(threshold, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def check_row_run(root: Path, files: dict[str, list[str]], inventory: Inventory, split: str, *,
                  rehydrated=frozenset(), seen: set[str] | None = None, validated: dict[str, bytes] | None = None,
                  limit: int = MAX_ROW_PROBLEMS, batch_size: int = 1_000) -> list[Problem]:
    """The row checks of one run of shards: `files` maps each config to its files (paths under `root`)
    holding the same documents in the same order (a split, or one shard of each config), all of `split`.

    Every document row must be a valid canonical document that withholds its text exactly when
    its license says so; the flat configs must hold exactly the rows the documents imply (built
    here in Python, independently of the Arrow code that wrote them). `seen` collects document
    ids across runs to catch duplicates. `validated` maps ids to `content_digest`s of documents
    the caller has already validated without errors: a row whose document is byte for byte that
    document is not validated a second time (the result could only be the same).
    Raises _Unreadable (a ProblemError naming the file) when a file cannot be decoded.
    """
    problems: list[Problem] = []
    seen = set() if seen is None else seen
    validated = validated or {}
    flat = {c: _RowStream(root, files[c], batch_size * 20) for c in FLAT}
    for rel, first, batch in _batches(root, files["documents"], batch_size):
        expected = ExpectedFlat(split)  # what `rows.flat_rows` gives, column by column
        for offset, row in enumerate(batch.to_pylist()):
            doc, found = _document_row_problems(row, (root / rel, first + offset), split, inventory, seen, validated,
                                                rehydrated)
            problems += found
            if doc is None:
                continue
            try:
                expected.add(doc, withhold=doc["text"] is None)
            except (TypeError, KeyError, AttributeError):
                continue  # validation above already names what is malformed
        for config, want in expected.tables().items():
            problems += _compare_flat(root, config, files[config], want, flat[config], limit)
        if len(problems) > limit:
            return problems[:limit]
    for stream in flat.values():
        rest = stream.next_row()
        if rest is not None:
            fpath, fnumber, frow = rest
            problems.append(_row_problem("REL-FLAT-MISMATCH", "no such item in the documents config",
                                         (root / fpath, fnumber), frow.get("doc_id"), found=str(frow.get("id"))))
    return problems


def _compare_flat(root: Path, config: str, paths: list[str], want: pa.Table, stream: _RowStream,
                  limit: int) -> list[Problem]:
    """Do the next rows of a flat config equal `want` (the rows the documents imply)?

    Compared as Arrow tables first (fast); only a mismatch is compared row by row to name the rows.
    """
    if not want.num_rows:
        return []
    got, where = stream.take(want.num_rows)
    if got is not None and got.num_rows == want.num_rows and got.equals(want):
        return []
    problems = []
    got_rows = got.to_pylist() if got is not None else []
    for k, expected in enumerate(want.to_pylist()):
        if k >= len(got_rows):
            last = paths[-1] if paths else f"data/{config}"
            problems.append(Problem("REL-FLAT-MISMATCH", f"the file ends before this item of the documents config "
                                    f"({config})", file=str(root / last), doc_id=expected["doc_id"],
                                    expected=str(expected["id"])))
            break
        if got_rows[k] != expected:
            fpath, fnumber = where[k]
            frow = got_rows[k]
            column, found, wanted = _first_difference(frow, expected)
            problems.append(_row_problem("REL-FLAT-MISMATCH", f"differs from the documents config (item "
                                         f"{frow.get('id')})", (root / fpath, fnumber), frow.get("doc_id"),
                                         path=f"$.{column}", found=found, expected=wanted))
            if len(problems) > limit:
                break
    return problems


def check_rows(root: Path, manifest: dict) -> list[Problem]:
    """Every row of every split (see `check_row_run`), then the disagreement configs (`check_study_rows`)."""
    try:
        inventory = parse_inventory(manifest["inventory"])
    except (KeyError, TypeError, AttributeError) as exc:
        return [Problem("REL-MANIFEST-SHAPE", "not a label inventory", file=str(root / MANIFEST), path="$.inventory",
                        found=f"{type(exc).__name__} {exc}")]
    rehydrated = frozenset(manifest.get("rehydrated") or [])
    problems: list[Problem] = []
    seen: set[str] = set()
    for split in SPLITS:
        files = {c: [item["path"] for item in manifest["configs"][c][split]["files"]] for c in DOCUMENT_CONFIGS}
        with fewer_collections():
            problems += check_row_run(root, files, inventory, split, rehydrated=rehydrated, seen=seen,
                                      limit=MAX_ROW_PROBLEMS - len(problems))
        if len(problems) >= MAX_ROW_PROBLEMS:
            return problems
    return problems + check_study_rows(root, manifest, inventory, MAX_ROW_PROBLEMS - len(problems))


def _document_facts(root: Path, manifest: dict) -> dict[str, tuple[str, bool]]:
    """Document id -> (split, whether its license allows redistribution), from the `documents` config."""
    facts: dict[str, tuple[str, bool]] = {}
    for split in SPLITS:
        for item in manifest["configs"]["documents"][split]["files"]:
            try:
                batches = list(pq.ParquetFile(root / item["path"]).iter_batches(columns=["id", "metadata"]))
            except (OSError, ValueError, pa.ArrowException) as exc:
                raise _Unreadable(root / item["path"], exc) from exc
            for batch in batches:
                licenses = pc.struct_field(batch.column("metadata"), ["license", "redistributable"])
                for doc_id, redistributable in zip(batch.column("id").to_pylist(), licenses.to_pylist()):
                    facts[doc_id] = (split, bool(redistributable))
    return facts


def _annotation_row(row: dict, where: tuple[Path, int], withheld: bool, inventory: Inventory) -> list[Problem]:
    doc_id = row.get("doc_id")
    try:
        doc = document_from_row({**row, "id": doc_id})
    except (TypeError, KeyError, AttributeError) as exc:
        return [_row_problem("REL-ROW-MALFORMED", "not an annotation row (null or malformed field)", where, doc_id,
                             found=f"{type(exc).__name__} {exc}")]
    problems = [replace(p, file=str(where[0]), lineno=where[1])
                for p in validate_document(doc, str(where[0]), inventory) if p.is_error]
    withheld = withheld or not ((doc.get("metadata") or {}).get("license") or {}).get("redistributable")
    if withheld != (doc["text"] is None):
        problems.append(_row_problem("REL-TEXT-WITHHELD", "the text is " + ("present" if doc["text"] is not None else
                                     "null") + f", but the document's text {'may not' if withheld else 'may'} be "
                                     "redistributed", where, doc_id, path="$.text"))
    return problems


def _study_row(config: str, row: dict, where: tuple[Path, int], split: str, docs: dict[str, tuple[str, bool]],
               inventory: Inventory) -> list[Problem]:
    """What is wrong with one row of a disagreement config."""
    problems = []
    doc_id = row.get("doc_id")
    if row.get("split") != split:
        problems.append(_row_problem("REL-ROW-SPLIT", "the split column differs from the file's split", where, doc_id,
                                     path="$.split", found=repr(row.get("split")), expected=repr(split)))
    if doc_id not in docs:
        return problems + [_row_problem("REL-STUDY-ROW", "no such document in the documents config", where, doc_id,
                                        path="$.doc_id")]
    if docs[doc_id][0] != split:
        problems.append(_row_problem("REL-ROW-SPLIT", "the document is in another split of the documents config",
                                     where, doc_id, path="$.split", found=split, expected=docs[doc_id][0]))
    expected_uid = "/".join(str(row.get(column)) for column in KEYS[config])
    if row.get("uid") != expected_uid:
        problems.append(_row_problem("REL-STUDY-ROW", "the uid is not the row's key", where, doc_id, path="$.uid",
                                     found=repr(row.get("uid")), expected=repr(expected_uid)))
    withheld = not docs[doc_id][1]
    if config == "annotations":
        return problems + _annotation_row(row, where, withheld, inventory)
    if bool(row.get("text_withheld")) != withheld:
        problems.append(_row_problem("REL-TEXT-WITHHELD", "text_withheld differs from the document's license", where,
                                     doc_id, path="$.text_withheld", found=repr(row.get("text_withheld")),
                                     expected=repr(withheld)))
    quoting = [column for column in QUOTING[config] if row.get(column) is not None]
    if config == "corrections":
        quoting += [column for column in ("from", "to") if _span_text(row.get(column))]
    if withheld and quoting:
        problems.append(_row_problem("REL-TEXT-WITHHELD", "the document's text may not be redistributed, but these "
                                     "columns quote it", where, doc_id, path=", ".join(quoting), expected="null"))
    return problems


def _span_text(value: object) -> bool:
    """Whether a JSON column holds a span with its text (a non-null `text` anywhere in it)."""
    import json

    def holds(node: object) -> bool:
        if isinstance(node, dict):
            return node.get("text") is not None or any(holds(inner) for inner in node.values())
        return isinstance(node, list) and any(holds(inner) for inner in node)

    try:
        return isinstance(value, str) and holds(json.loads(value))
    except ValueError:
        return False


def check_study_rows(root: Path, manifest: dict, inventory: Inventory, limit: int = MAX_ROW_PROBLEMS) -> list[Problem]:
    """Every row of the disagreement configs: in its document's split, keyed by its uid (once), a valid
    annotation, and its text withheld exactly when the document's is."""
    if limit <= 0:
        return []
    docs = _document_facts(root, manifest)
    problems: list[Problem] = []
    for config in STUDY_CONFIGS:  # each config gets the whole budget: a broken one does not hide the others
        problems += _study_config_rows(root, manifest, config, docs, inventory)[:limit]
    return problems


def _study_config_rows(root: Path, manifest: dict, config: str, docs: dict[str, tuple[str, bool]],
                       inventory: Inventory, limit: int = MAX_ROW_PROBLEMS) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for split in SPLITS:
        for rel, number, row in iter_rows(root, manifest["configs"][config][split]["files"]):
            where = (root / rel, number)
            problems += _study_row(config, row, where, split, docs, inventory)
            uid = str(row.get("uid"))
            if uid in seen:
                problems.append(_row_problem("REL-ROW-DUPLICATE", f"the uid appears twice in the {config} config",
                                             where, row.get("doc_id"), path="$.uid", found=uid))
            seen.add(uid)
            if len(problems) >= limit:
                return problems
    return problems


def _deep_problems(root: Path, manifest: dict, file_problems: list[Problem], rows: bool | None) -> list[Problem]:
    row_problems: list[Problem] = []
    unreadable = False
    if not file_problems and rows is not False:
        try:
            row_problems = check_rows(root, manifest)
        except _Unreadable as exc:
            row_problems, unreadable = exc.problems, True
    # a sample is read through croissant.json only from files that are known to be sound
    sample = 0 if file_problems or unreadable else CROISSANT_SAMPLE
    return check_croissant(root, manifest, sample=sample) + row_problems


def verify_release(root: str | Path, deep: bool = True, *, rows: bool | None = None) -> list[Problem]:
    """Every problem found in the release folder `root` (empty when it verifies).

    `deep` adds the Croissant check (mlcroissant validates croissant.json and reads a sample of every
    record set through it) and, unless `rows` is False, the row-by-row checks (`rows=False` is for the
    builder, which has run them on each shard as it wrote it, and for `--verify --quick`).
    """
    root = Path(root)
    if not root.is_dir():
        return [Problem("PATH-MISSING", "not a folder", file=str(root), expected="a release folder")]
    problems = check_sums(root)
    manifest, found = load_manifest(root)
    problems += found
    if manifest is None:
        return problems
    file_problems = check_files(root, manifest)
    problems += file_problems + check_card(root, manifest)
    if deep:
        problems += _deep_problems(root, manifest, file_problems, rows)
    return problems
