"""`wsw release --verify DIR`: is this folder exactly the release its files say it is?

Checks, each problem naming the file: SHA256SUMS against every file; release.json (its shape)
and the Parquet files it lists (readable, the expected Arrow schema, the stated row counts, no
stray shards); the card's declared features and row counts; croissant.json against
`mlcroissant`. With `deep` (the default of the command) it also streams every row: each
document validates as a canonical document (spans equal `text[start:end]`, hashes match,
labels known), withheld texts are really withheld, and the flat configs equal what the
documents config implies. `wsw release --out` runs the same row checks on every shard it
writes (`check_row_run`) before it installs anything.

Nothing in a release folder is trusted: malformed files are problems, never exceptions.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from collections import deque
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from ..errors import UserError
from ..inventory import Inventory, parse_inventory
from ..validation import ERROR, validate_document
from .checksums import check_sums
from .features import CONFIGS, SCHEMAS, SPLITS, yaml_features
from .manifest import MANIFEST, load_manifest
from .rows import document_from_row, flat_rows

__all__ = ["verify_release", "load_manifest", "iter_rows", "check_row_run", "MANIFEST"]

SHARD = re.compile(r"^(train|validation|test)-([0-9]{5})-of-([0-9]{5})\.parquet$")
FLAT = tuple(c for c in CONFIGS if c != "documents")
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


def check_files(root: Path, manifest: dict) -> list[str]:
    """Parquet files: as listed, readable, with the config's schema and the stated row counts."""
    problems = []
    listed = set()
    for config in CONFIGS:
        for split in SPLITS:
            entry = manifest["configs"][config][split]
            rows = 0
            for item in entry["files"]:
                path = root / item["path"]
                listed.add(item["path"])
                if not path.is_file():
                    problems.append(f"{path}: listed in {MANIFEST} but missing")
                    continue
                try:
                    meta = pq.ParquetFile(path)
                    schema = meta.schema_arrow.remove_metadata()
                    num_rows = meta.metadata.num_rows
                except Exception as exc:  # pyarrow raises several types for corrupt files
                    problems.append(f"{path}: not a readable Parquet file ({exc})")
                    continue
                if not schema.equals(SCHEMAS[config]):
                    problems.append(f"{path}: schema differs from the `{config}` config: "
                                    f"{_schema_difference(schema, SCHEMAS[config])}")
                if num_rows != item["num_rows"]:
                    problems.append(f"{path}: {num_rows} rows, but {MANIFEST} says {item['num_rows']}")
                rows += num_rows
            if rows != entry["num_rows"] and not any(p.startswith(str(root / "data")) for p in problems):
                problems.append(f"{root / MANIFEST}: $.configs.{config}.{split}.num_rows is {entry['num_rows']}, "
                                f"the files hold {rows}")
    data = root / "data"
    for path in sorted(data.rglob("*")) if data.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel not in listed:
            problems.append(f"{path}: not part of the release (not in {MANIFEST}); `datasets` would load it")
        elif path.is_file() and not SHARD.match(path.name):
            problems.append(f"{path}: name does not follow <split>-NNNNN-of-MMMMM.parquet")
    return problems


def card_header(root: Path) -> tuple[dict | None, list[str]]:
    """The card's YAML header as a mapping, or (None, why not)."""
    path = root / "README.md"
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None, [f"{path}: missing (the dataset card)"]
    except OSError as exc:
        return None, [f"{path}: cannot be read ({exc.strerror or exc})"]
    except UnicodeDecodeError as exc:
        return None, [f"{path}: not UTF-8 (byte {exc.start})"]
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not match:
        return None, [f"{path}: no YAML header between --- lines at the top"]
    try:
        header = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        return None, [f"{path}: the YAML header does not parse ({str(exc)[:200]})"]
    except RecursionError:
        return None, [f"{path}: the YAML header is nested too deeply to read"]
    if not isinstance(header, dict):
        return None, [f"{path}: the YAML header is a {type(header).__name__}, expected a mapping with "
                      "`configs` and `dataset_info` (the Hugging Face card metadata)"]
    return header, []


def _mappings(header: dict, key: str, path: Path, problems: list[str]) -> list[dict]:
    """The list of mappings under `key` of the card header; anything else is a problem."""
    value = header.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems.append(f"{path}: {key}: expected a list of mappings, found {str(value)[:80]!r}")
        return []
    return value


def check_card(root: Path, manifest: dict) -> list[str]:
    header, problems = card_header(root)
    if header is None:
        return problems
    path = root / "README.md"
    infos = {info.get("config_name"): info for info in _mappings(header, "dataset_info", path, problems)}
    configs = {c.get("config_name"): c for c in _mappings(header, "configs", path, problems)}
    for config in CONFIGS:
        if config not in configs:
            problems.append(f"{path}: configs: `{config}` is missing")
        info = infos.get(config)
        if info is None:
            problems.append(f"{path}: dataset_info: `{config}` is missing")
            continue
        if info.get("features") != yaml_features(config):
            problems.append(f"{path}: dataset_info `{config}`: declared features differ from the Parquet schema")
        splits = info.get("splits") or []
        if not isinstance(splits, list) or not all(isinstance(s, dict) for s in splits):
            problems.append(f"{path}: dataset_info `{config}`: splits: expected a list of mappings")
            continue
        declared = {s.get("name"): s.get("num_examples") for s in splits}
        for split in SPLITS:
            expected = manifest["configs"][config][split]["num_rows"]
            if declared.get(split) != expected:
                problems.append(f"{path}: dataset_info `{config}` split {split}: num_examples {declared.get(split)}, "
                                f"the files hold {expected}")
    return problems


def check_croissant(root: Path) -> list[str]:
    from .manifest import read_json_file

    path = root / "croissant.json"
    if not path.is_file():
        return [f"{path}: missing"]
    _, why = read_json_file(path)
    if why is not None:
        return [f"{path}: {why}"]
    try:
        import mlcroissant as mlc
    except ImportError:
        return []  # the JSON parses; full validation needs the optional mlcroissant package
    try:
        mlc.Dataset(jsonld=str(path))
    except Exception as exc:  # mlcroissant reports problems as ValidationError with all issues
        return [f"{path}: not valid Croissant according to mlcroissant: {exc}"]
    return []


# -- reading rows ----------------------------------------------------------------------------------

class _Unreadable(UserError):
    """A data file whose pages fail to decode (the message names it)."""


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
            raise _Unreadable(f"{path}: cannot be read row by row ({exc})") from exc


def iter_rows(root: Path, files: list[dict], batch_size: int = 1_000) -> Iterator[tuple[str, int, dict]]:
    """(file, row number, row) over a split's shards, one batch in memory at a time."""
    for rel, first, batch in _batches(root, [item["path"] for item in files], batch_size):
        for offset, row in enumerate(batch.to_pylist()):
            yield rel, first + offset, row


class _RowStream:
    """The rows of a run of shards, taken `n` at a time as an Arrow table, with where each came from."""

    def __init__(self, root: Path, paths: list[str], batch_size: int):
        self._source = _batches(root, paths, batch_size)
        self._buffer: deque[tuple[str, int, pa.RecordBatch]] = deque()

    def take(self, n: int) -> tuple[pa.Table | None, list[tuple[str, int]]]:
        """Up to `n` next rows (fewer when the files end) and the (file, row number) of each."""
        pieces, where = [], []
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
            where.extend((rel, first + i) for i in range(batch.num_rows))
            n -= batch.num_rows
        return (pa.Table.from_batches(pieces) if pieces else None), where

    def next_row(self) -> tuple[str, int, dict] | None:
        table, where = self.take(1)
        return None if table is None else (*where[0], table.to_pylist()[0])


def _first_difference(found: dict, expected: dict) -> str:
    for key in expected:
        if found.get(key) != expected[key]:
            return f"{key}: found {found.get(key)!r:.80}, expected {expected[key]!r:.80}"
    return "extra fields"


def content_digest(doc: dict) -> bytes:
    """A digest of a document's value: equal digests mean equal documents (same keys, order and types).

    marshal format 2 writes plain values only (no references between objects, no interning
    flags), so it depends on the value and not on how the objects were built; it is also several
    times faster than JSON. Digests are compared within one Python process only.
    """
    return hashlib.sha256(marshal.dumps(doc, 2)).digest()


def check_row_run(root: Path, files: dict[str, list[str]], inventory: Inventory, *, rehydrated=frozenset(),
                  seen: set[str] | None = None, validated: dict[str, bytes] | None = None,
                  limit: int = MAX_ROW_PROBLEMS, batch_size: int = 1_000) -> list[str]:
    """The row checks of one run of shards: `files` maps each config to its files (paths under `root`)
    holding the same documents in the same order (a split, or one shard of each config).

    Every document row must be a valid canonical document that withholds its text exactly when
    its license says so; the flat configs must hold exactly the rows the documents imply (built
    here in Python, independently of the Arrow code that wrote them). `seen` collects document
    ids across runs to catch duplicates. `validated` maps ids to `content_digest`s of documents
    the caller has already validated without errors: a row whose document is byte for byte that
    document is not validated a second time (the result could only be the same).
    Raises _Unreadable (a UserError naming the file) when a file cannot be decoded.
    """
    problems: list[str] = []
    seen = set() if seen is None else seen
    validated = validated or {}
    flat = {c: _RowStream(root, files[c], batch_size * 20) for c in FLAT}
    for rel, first, batch in _batches(root, files["documents"], batch_size):
        expected: dict[str, list[dict]] = {c: [] for c in FLAT}
        for offset, row in enumerate(batch.to_pylist()):
            where = f"{root / rel}: row {first + offset}"
            try:
                doc = document_from_row(row)
            except (TypeError, KeyError, AttributeError) as exc:  # nulls where a struct or list must be
                problems.append(f"{where}: {row.get('id')}: not a document row (null or malformed field: "
                                f"{type(exc).__name__} {exc})")
                continue
            if doc["id"] in seen:
                problems.append(f"{where}: {doc['id']}: document id appears twice in the release")
            seen.add(doc["id"])
            if not (validated and validated.get(doc["id"]) == content_digest(doc)):
                problems += [p.line() for p in validate_document(doc, where, inventory) if p.level == ERROR]
            license_ = (doc.get("metadata") or {}).get("license") or {}
            redistributable = license_.get("redistributable")
            if redistributable is False and doc["text"] is not None and doc["id"] not in rehydrated:
                problems.append(f"{where}: {doc['id']}: text: the license forbids redistribution but the text is "
                                "present (expected null)")
            if redistributable is True and doc["text"] is None:
                problems.append(f"{where}: {doc['id']}: text: null, but the document is redistributable")
            try:
                rows = flat_rows(doc, withhold=doc["text"] is None)
            except (TypeError, KeyError, AttributeError):
                continue  # validation above already names what is malformed
            for config, items in rows.items():
                expected[config].extend(items)
        for config, items in expected.items():
            problems += _compare_flat(root, config, files[config], items, flat[config], limit)
        if len(problems) > limit:
            return problems[:limit] + [f"... stopped after {limit} problems"]
    for config, stream in flat.items():
        rest = stream.next_row()
        if rest is not None:
            fpath, fnumber, frow = rest
            problems.append(f"{root / fpath}: row {fnumber} ({frow.get('doc_id')} {frow.get('id')}): no such item "
                            "in the documents config")
    return problems


def _compare_flat(root: Path, config: str, paths: list[str], items: list[dict], stream: _RowStream,
                  limit: int) -> list[str]:
    """Do the next rows of a flat config equal `items` (the rows the documents imply)?

    Compared as Arrow tables first (fast); only a mismatch is compared row by row to name the rows.
    """
    if not items:
        return []
    want = pa.Table.from_pylist(items, schema=SCHEMAS[config])
    got, where = stream.take(want.num_rows)
    if got is not None and got.num_rows == want.num_rows and got.equals(want):
        return []
    problems = []
    got_rows = got.to_pylist() if got is not None else []
    for k, expected in enumerate(want.to_pylist()):
        if k >= len(got_rows):
            last = paths[-1] if paths else f"data/{config}"
            problems.append(f"{root / last}: ends before {expected['doc_id']} {expected['id']} ({config} of the "
                            "documents config)")
            break
        if got_rows[k] != expected:
            fpath, fnumber = where[k]
            frow = got_rows[k]
            problems.append(f"{root / fpath}: row {fnumber} ({frow.get('doc_id')} {frow.get('id')}): differs from the "
                            f"documents config: {_first_difference(frow, expected)}")
            if len(problems) > limit:
                break
    return problems


def check_rows(root: Path, manifest: dict) -> list[str]:
    """Every row of every split (see `check_row_run`)."""
    try:
        inventory = parse_inventory(manifest["inventory"])
    except (KeyError, TypeError, AttributeError) as exc:
        return [f"{root / MANIFEST}: $.inventory: not a label inventory ({type(exc).__name__} {exc})"]
    rehydrated = frozenset(manifest.get("rehydrated") or [])
    problems: list[str] = []
    seen: set[str] = set()
    for split in SPLITS:
        files = {c: [item["path"] for item in manifest["configs"][c][split]["files"]] for c in CONFIGS}
        problems += check_row_run(root, files, inventory, rehydrated=rehydrated, seen=seen,
                                  limit=MAX_ROW_PROBLEMS - len(problems))
        if len(problems) >= MAX_ROW_PROBLEMS:
            break
    return problems


def verify_release(root: str | Path, deep: bool = True, *, rows: bool | None = None) -> list[str]:
    """Every problem found in the release folder `root` (empty when it verifies).

    `deep` adds the Croissant check and, unless `rows` is False, the row-by-row checks
    (`rows=False` is for the builder, which has run them on each shard as it wrote it).
    """
    root = Path(root)
    if not root.is_dir():
        return [f"{root}: not a folder"]
    problems = check_sums(root)
    manifest, found = load_manifest(root)
    problems += found
    if manifest is None:
        return problems
    file_problems = check_files(root, manifest)
    problems += file_problems + check_card(root, manifest)
    if deep:
        problems += check_croissant(root)
        if not file_problems and rows is not False:
            try:
                problems += check_rows(root, manifest)
            except _Unreadable as exc:
                problems.append(str(exc))
    return problems
