"""Benchmark of `wsw release` against bare pyarrow doing the same work, and of loading a release.

For each size N (default 20,000) it generates N synthetic documents (whosaidwhat.release.synthetic:
~600-character texts, ~13 mentions, ~8 quotes, ~4 claims, emoji, combining marks, CRLF, 1 in 10
withheld) as a corpus folder (8:1:1 train/validation/test), then runs each phase in a fresh Python
process and prints wall time, documents/second, peak resident memory and process CPU:

  release build      build_release() as `wsw release --out` runs it: read + validate every JSON file,
                     write the 6 configs as sharded Parquet, read every shard back and run
                     `wsw release --verify`'s row checks on it (in the worker processes), then card,
                     croissant.json (mlcroissant validates it and reads a sample of every record set),
                     checksums and the rest of `--verify`, and move into place
  build --quick      the same without reading every written row back (`wsw release --out --quick`)
  pyarrow            the reference, EQUAL WORK: the same JSON files read with json.loads, the same rows
                     (withheld texts nulled, `split` column, the same 6 configs derived with the same
                     Arrow compute), written as the same Parquet (same schemas and writer settings), 1,000
                     documents at a time in one process; no validation, no read-back, no metadata
  pyarrow, py rows   the same, with the flat configs' rows built in Python (`rows.flat_rows`) and converted
                     by pa.Table.from_pylist: what a straightforward script does (and the reference of
                     earlier versions of this benchmark, which did not time its JSON reading)
  read + validate    not equal work but its floor: only the build's own per-document work, the strict JSON
                     reading (core.jsonfile) and validate_document of every file, in one process, nothing written
  load_dataset       datasets.load_dataset(release, config) for every config that has rows, fresh cache
  pyarrow read       the reference: pq.read_table of the same files

The ratios printed are release build time / reference time on the same documents, in wall time and
in process CPU (target: at most 2x), and the row counts of the outputs are compared. Peak memory is the maximum RSS (ru_maxrss) of
the phase's process or any of its worker processes, which includes the interpreter and imports;
`base` is the RSS after imports, before the phase's work. Process CPU is user + system time
including workers (and imports): on a shared machine wall time depends on the load, CPU time much less.

Usage: python benchmarks/bench_release.py [--sizes 20000 100000] [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPLITS = ("train", "validation", "test")


def rss_mb() -> float:
    """Peak resident memory of this process and of its finished children (worker processes), in MB."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def make_corpus(folder: Path, n: int) -> None:
    from whosaidwhat.core.document import dumps
    from whosaidwhat.release.synthetic import synthetic_document

    docs = folder / "documents"
    docs.mkdir(parents=True)
    splits: dict[str, list[str]] = {"train": [], "validation": [], "test": []}
    for i in range(n):
        doc = synthetic_document(i)
        (docs / f"{doc['id']}.json").write_text(dumps(doc), encoding="utf-8")
        splits["train" if i % 10 < 8 else "validation" if i % 10 == 8 else "test"].append(doc["id"])
    (folder / "splits.json").write_text(json.dumps({"version": "bench", "rationale": "every 10th document: 8 train, "
                                                    "1 validation, 1 test", "splits": splits}), encoding="utf-8")
    shutil.copy(REPO / "corpus" / "dataset.json", folder / "dataset.json")


# -- phases, each run in its own process --------------------------------------------------------------

def phase_build(corpus: Path, out: Path, workers: str) -> dict:
    from whosaidwhat.release.build import build_release

    base = rss_mb()
    start = time.perf_counter()
    manifest = build_release(corpus, out, progress=False, workers=int(workers) or None)
    rows = {c: sum(manifest["configs"][c][s]["num_rows"] for s in SPLITS) for c in manifest["configs"]}
    return {"seconds": time.perf_counter() - start, "base_mb": base, "rows": rows}


def phase_build_quick(corpus: Path, out: Path, workers: str) -> dict:
    """`wsw release --out --quick`: the same build without reading every written row back."""
    from whosaidwhat.release.build import build_release

    base = rss_mb()
    start = time.perf_counter()
    build_release(corpus, out, progress=False, check_rows=False, workers=int(workers) or None)
    return {"seconds": time.perf_counter() - start, "base_mb": base}


def phase_bare(corpus: Path, out: Path, batch: str = "1000") -> dict:
    """Equal work with bare pyarrow: read the same JSON, write the same Parquet (same rows, schemas, settings)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from whosaidwhat.release.features import CONFIGS, SCHEMAS
    from whosaidwhat.release.flat import flat_tables
    from whosaidwhat.release.parquet import WRITER_OPTIONS
    from whosaidwhat.release.rows import document_row, is_redistributable

    base = rss_mb()
    start = time.perf_counter()
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))["splits"]
    rows = {config: 0 for config in CONFIGS}
    size = int(batch)
    for split in SPLITS:
        (out / split).mkdir(parents=True)
        writers = {c: pq.ParquetWriter(out / split / f"{c}.parquet", SCHEMAS[c], **WRITER_OPTIONS) for c in CONFIGS}
        ids = sorted(splits[split])
        for first in range(0, len(ids), size):
            docs = []
            for doc_id in ids[first:first + size]:
                doc = json.loads((corpus / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
                docs.append(document_row(doc, not is_redistributable(doc)))
            table = pa.Table.from_pylist(docs, schema=SCHEMAS["documents"])
            table = table.set_column(table.schema.get_field_index("split"), "split",
                                     pa.array([split] * table.num_rows, pa.string()))
            for config, part in {"documents": table, **flat_tables(table)}.items():
                writers[config].write_table(part, row_group_size=max(1, part.num_rows))
                rows[config] += part.num_rows
        for writer in writers.values():
            writer.close()
    return {"seconds": time.perf_counter() - start, "base_mb": base, "rows": rows}


def phase_bare_rows(corpus: Path, out: Path, batch: str = "1000") -> dict:
    """Equal work, straightforward: Python rows for every config through pa.Table.from_pylist."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from whosaidwhat.release.features import CONFIGS, SCHEMAS
    from whosaidwhat.release.parquet import WRITER_OPTIONS
    from whosaidwhat.release.rows import document_row, flat_rows, is_redistributable

    base = rss_mb()
    start = time.perf_counter()
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))["splits"]
    counts = {config: 0 for config in CONFIGS}
    size = int(batch)
    for split in SPLITS:
        (out / split).mkdir(parents=True)
        writers = {c: pq.ParquetWriter(out / split / f"{c}.parquet", SCHEMAS[c], **WRITER_OPTIONS) for c in CONFIGS}
        ids = sorted(splits[split])
        for first in range(0, len(ids), size):
            rows: dict[str, list[dict]] = {config: [] for config in CONFIGS}
            for doc_id in ids[first:first + size]:
                doc = json.loads((corpus / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
                withhold = not is_redistributable(doc)
                rows["documents"].append({**document_row(doc, withhold), "split": split})
                for config, items in flat_rows(doc, withhold, split).items():
                    rows[config].extend(items)
            for config in CONFIGS:
                part = pa.Table.from_pylist(rows[config], schema=SCHEMAS[config])
                writers[config].write_table(part, row_group_size=max(1, part.num_rows))
                counts[config] += part.num_rows
        for writer in writers.values():
            writer.close()
    return {"seconds": time.perf_counter() - start, "base_mb": base, "rows": counts}


def phase_load(release: Path, cache: Path) -> dict:
    os.environ.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HF_HOME=str(cache),
                      HF_DATASETS_CACHE=str(cache / "datasets"))
    import datasets

    from whosaidwhat.release.features import CONFIGS

    datasets.disable_progress_bars()
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    base = rss_mb()
    start = time.perf_counter()
    rows = 0
    for config in CONFIGS:
        # a config with no rows at all (the disagreement configs of a corpus without annotation passes)
        # has nothing to load: `datasets` refuses it ("corresponds to no data")
        if not any(manifest["configs"][config][split]["num_rows"] for split in SPLITS):
            continue
        loaded = datasets.load_dataset(str(release), config)
        rows += sum(len(split) for split in loaded.values())
    return {"seconds": time.perf_counter() - start, "base_mb": base, "rows": rows}


def phase_validate(corpus: Path) -> dict:
    """The floor of the build's own work: read every document file strictly (core.jsonfile) and validate it
    (validate_document), writing nothing. Not equal work: what `wsw release` must do on top of the reference."""
    from whosaidwhat.core.inventory import load_inventory
    from whosaidwhat.release.corpus import read_document
    from whosaidwhat.validation import validate_document

    inventory = load_inventory()
    base = rss_mb()
    start = time.perf_counter()
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))["splits"]
    parse = validate = 0.0
    for split in SPLITS:
        for doc_id in sorted(splits[split]):
            path = corpus / "documents" / f"{doc_id}.json"
            began = time.process_time()
            doc, _ = read_document(path)
            parsed = time.process_time()
            validate_document(doc, str(path), inventory)
            parse, validate = parse + parsed - began, validate + time.process_time() - parsed
    return {"seconds": time.perf_counter() - start, "base_mb": base, "parse_cpu": parse, "validate_cpu": validate}


def phase_bare_read(release: Path) -> dict:
    import pyarrow.parquet as pq

    base = rss_mb()
    start = time.perf_counter()
    rows = 0
    for path in sorted((release / "data").rglob("*.parquet")):
        rows += pq.read_table(path).num_rows
    return {"seconds": time.perf_counter() - start, "base_mb": base, "rows": rows}


def run_phase(name: str, *args) -> dict:
    """Run one phase in a fresh interpreter; returns its timing and peak RSS."""
    code = (f"import sys, json; sys.path.insert(0, {str(REPO / 'benchmarks')!r}); import bench_release as b; "
            f"from pathlib import Path; r = b.phase_{name}(*[Path(a) if '/' in a else a for a in sys.argv[1:]]); "
            "r['peak_mb'] = b.rss_mb(); r['cpu'] = b.cpu_seconds(); print(json.dumps(r))")
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, n: int, result: dict) -> None:
    print(f"  {label:<16} {result['seconds']:8.2f} s {n / result['seconds']:>10,.0f} docs/s   "
          f"peak {result['peak_mb']:7,.0f} MB (base {result['base_mb']:5,.0f} MB)   "
          f"process CPU {result['cpu']:7.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000])
    parser.add_argument("--workers", type=int, default=0, help="build worker processes (0: the CPU count, as wsw)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated corpora and releases here")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-release-", dir=args.keep))
    print(f"{os.cpu_count()} CPU(s); build workers: {args.workers or os.cpu_count()}")
    try:
        for n in args.sizes:
            folder = work / f"n{n}"
            start = time.perf_counter()
            make_corpus(folder / "corpus", n)
            size = sum(p.stat().st_size for p in (folder / "corpus" / "documents").iterdir())
            print(f"\n{n:,} documents ({size / 1e6:,.0f} MB of JSON, generated in {time.perf_counter() - start:.0f} s)")
            bare = run_phase("bare", folder / "corpus", folder / "bare")
            rows = run_phase("bare_rows", folder / "corpus", folder / "bare-rows")
            build = run_phase("build", folder / "corpus", folder / "release", args.workers)
            quick = run_phase("build_quick", folder / "corpus", folder / "release-quick", args.workers)
            floor = run_phase("validate", folder / "corpus")
            report("pyarrow", n, bare)
            report("pyarrow, py rows", n, rows)
            report("release build", n, build)
            report("build --quick", n, quick)
            report("read + validate", n, floor)
            print(f"  -> of which strict JSON reading {floor['parse_cpu']:.2f} s CPU, validate_document "
                  f"{floor['validate_cpu']:.2f} s CPU: the build's own per-document work, in one process, "
                  f"= {floor['cpu'] / bare['cpu']:.2f}x the CPU of the whole pyarrow reference")
            same = ("the same rows" if build["rows"] == bare["rows"] == rows["rows"] else
                    f"DIFFERENT rows: {build['rows']} vs {bare['rows']} vs {rows['rows']}")
            for label, ref in (("pyarrow", bare), ("pyarrow with Python rows", rows)):
                print(f"  -> against {label}: release build {build['seconds'] / ref['seconds']:.2f}x wall, "
                      f"{build['cpu'] / ref['cpu']:.2f}x CPU, {build['peak_mb'] / ref['peak_mb']:.2f}x peak memory; "
                      f"--quick {quick['seconds'] / ref['seconds']:.2f}x wall, {quick['cpu'] / ref['cpu']:.2f}x CPU, "
                      f"{quick['peak_mb'] / ref['peak_mb']:.2f}x peak memory (target: at most 2x)")
            print(f"  -> all wrote {same} ({sum(bare['rows'].values()):,} rows in 6 configs)")
            load = run_phase("load", folder / "release", folder / "hf-cache")
            read = run_phase("bare_read", folder / "release")
            report("load_dataset", n, load)
            report("pyarrow read", n, read)
            print(f"  -> load_dataset takes {load['seconds'] / read['seconds']:.1f}x pyarrow read_table "
                  f"({load['rows']:,} rows in 6 configs)")
            if args.keep is None:
                shutil.rmtree(folder, ignore_errors=True)  # before the next size: disk space
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
