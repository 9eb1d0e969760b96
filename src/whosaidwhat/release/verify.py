"""`wsw release --verify DIR`: is this folder exactly the release its files say it is?

Checks, each problem naming the file: SHA256SUMS against every file; release.json and the
Parquet files it lists (readable, the expected Arrow schema, the stated row counts, no stray
shards); the card's declared features and row counts; croissant.json against `mlcroissant`.
With `deep` (the default of the command) it also streams every row: each document validates
as a canonical document (spans equal `text[start:end]`, hashes match, labels known), withheld
texts are really withheld, and the flat configs equal what the documents config implies.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq
import yaml

from ..inventory import parse_inventory
from ..validation import ERROR, validate_document
from .checksums import check_sums
from .features import CONFIGS, FORMAT_VERSION, SCHEMAS, SPLITS, yaml_features
from .rows import as_arrow_rows, document_from_row, flat_rows

MANIFEST = "release.json"
SHARD = re.compile(r"^(train|validation|test)-([0-9]{5})-of-([0-9]{5})\.parquet$")


def load_manifest(root: Path) -> tuple[dict | None, list[str]]:
    path = root / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [f"{path}: missing; is {root} a WhoSaidWhat release (built by `wsw release --out`)?"]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [f"{path}: not valid JSON ({exc})"]
    major = str(manifest.get("format_version", "?")).split(".")[0]
    if major != FORMAT_VERSION.split(".")[0]:
        return None, [f"{path}: format_version {manifest.get('format_version')!r} is not supported by this version "
                      f"of wsw (expected {FORMAT_VERSION.split('.')[0]}.x)"]
    return manifest, []


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
            entry = manifest.get("configs", {}).get(config, {}).get(split)
            if entry is None:
                problems.append(f"{root / MANIFEST}: $.configs.{config}.{split}: missing")
                continue
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
    path = root / "README.md"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [f"{path}: missing (the dataset card)"]
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not match:
        return None, [f"{path}: no YAML header between --- lines at the top"]
    try:
        return yaml.safe_load(match.group(1)), []
    except yaml.YAMLError as exc:
        return None, [f"{path}: the YAML header does not parse ({exc})"]


def check_card(root: Path, manifest: dict) -> list[str]:
    header, problems = card_header(root)
    if header is None:
        return problems
    path = root / "README.md"
    infos = {info.get("config_name"): info for info in header.get("dataset_info") or []}
    configs = {c.get("config_name"): c for c in header.get("configs") or []}
    for config in CONFIGS:
        if config not in configs:
            problems.append(f"{path}: configs: `{config}` is missing")
        info = infos.get(config)
        if info is None:
            problems.append(f"{path}: dataset_info: `{config}` is missing")
            continue
        if info.get("features") != yaml_features(config):
            problems.append(f"{path}: dataset_info `{config}`: declared features differ from the Parquet schema")
        declared = {s.get("name"): s.get("num_examples") for s in info.get("splits") or []}
        for split in SPLITS:
            expected = manifest["configs"][config][split]["num_rows"]
            if declared.get(split) != expected:
                problems.append(f"{path}: dataset_info `{config}` split {split}: num_examples {declared.get(split)}, "
                                f"the files hold {expected}")
    return problems


def check_croissant(root: Path) -> list[str]:
    path = root / "croissant.json"
    if not path.is_file():
        return [f"{path}: missing"]
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{path}: not valid JSON ({exc})"]
    try:
        import mlcroissant as mlc
    except ImportError:
        return []  # the JSON parses; full validation needs the optional mlcroissant package
    try:
        mlc.Dataset(jsonld=str(path))
    except Exception as exc:  # mlcroissant reports problems as ValidationError with all issues
        return [f"{path}: not valid Croissant according to mlcroissant: {exc}"]
    return []


def iter_rows(root: Path, files: list[dict], batch_size: int = 1_000) -> Iterator[tuple[str, int, dict]]:
    """(file, row number, row) over a split's shards, one batch in memory at a time."""
    for item in files:
        path = root / item["path"]
        try:
            handle = pq.ParquetFile(path, page_checksum_verification=True)
            batches = handle.iter_batches(batch_size=batch_size)
            number = 0
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    break
                for row in batch.to_pylist():
                    yield item["path"], number, row
                    number += 1
        except (OSError, ValueError) as exc:  # pyarrow: corrupt page, failed page checksum
            raise _Unreadable(f"{path}: cannot be read row by row ({exc})") from exc


class _Unreadable(Exception):
    """A data file whose pages fail to decode (the message names it)."""


def _first_difference(found: dict, expected: dict) -> str:
    for key in expected:
        if found.get(key) != expected[key]:
            return f"{key}: found {found.get(key)!r:.80}, expected {expected[key]!r:.80}"
    return "extra fields"


def check_rows(root: Path, manifest: dict) -> list[str]:
    """Every row: documents validate and withhold what they must; flat rows match their documents."""
    inventory = parse_inventory(manifest["inventory"])
    rehydrated = set(manifest.get("rehydrated") or [])
    problems: list[str] = []
    seen: set[str] = set()
    for split in SPLITS:
        flat = {c: iter_rows(root, manifest["configs"][c][split]["files"]) for c in CONFIGS if c != "documents"}
        for path, number, row in iter_rows(root, manifest["configs"]["documents"][split]["files"]):
            where = f"{root / path}: row {number}"
            doc = document_from_row(row)
            if doc["id"] in seen:
                problems.append(f"{where}: {doc['id']}: document id appears twice in the release")
            seen.add(doc["id"])
            problems += [p.line() for p in validate_document(doc, where, inventory) if p.level == ERROR]
            redistributable = doc["metadata"]["license"]["redistributable"]
            if not redistributable and doc["text"] is not None and doc["id"] not in rehydrated:
                problems.append(f"{where}: {doc['id']}: text: the license forbids redistribution but the text is "
                                "present (expected null)")
            if redistributable and doc["text"] is None:
                problems.append(f"{where}: {doc['id']}: text: null, but the document is redistributable")
            for config, expected_rows in flat_rows(doc, withhold=doc["text"] is None).items():
                for expected in as_arrow_rows(expected_rows, config) if expected_rows else []:
                    found = next(flat[config], None)
                    if found is None:
                        problems.append(f"{root / manifest['configs'][config][split]['files'][-1]['path']}: ends "
                                        f"before {doc['id']} {expected['id']} ({config} of the documents config)")
                        break
                    fpath, fnumber, frow = found
                    if frow != expected:
                        problems.append(f"{root / fpath}: row {fnumber} ({frow.get('doc_id')} {frow.get('id')}): "
                                        f"differs from the documents config: {_first_difference(frow, expected)}")
            if len(problems) > 200:
                return problems + ["... stopped after 200 problems"]
        for config, rest in flat.items():
            for fpath, fnumber, frow in itertools.islice(rest, 1):
                problems.append(f"{root / fpath}: row {fnumber} ({frow.get('doc_id')} {frow.get('id')}): no such item "
                                "in the documents config")
    return problems


def verify_release(root: str | Path, deep: bool = True) -> list[str]:
    """Every problem found in the release folder `root` (empty when it verifies)."""
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
        if not file_problems:
            try:
                problems += check_rows(root, manifest)
            except _Unreadable as exc:
                problems.append(str(exc))
    return problems
