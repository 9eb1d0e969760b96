"""Benchmark of `wsw release` and of loading a release, next to bare pyarrow on the same rows.

For each size N (default 10,000 and 100,000) it generates N synthetic documents
(whosaidwhat.release.synthetic: ~600-character texts, ~13 mentions, ~8 quotes, ~4 claims,
emoji, combining marks, CRLF, 1 in 10 withheld) as a corpus folder, then runs each phase in a
fresh Python process and prints wall time, documents/second and peak resident memory:

  release build      build_release(): read + validate every JSON file, write 4 configs of sharded
                     Parquet, read every shard back and run `wsw release --verify`'s row checks on it
                     (in the worker processes), card, Croissant, checksums, the rest of `--verify`
                     (checksums, schemas, counts, card, mlcroissant), move into place
  build --quick      the same without reading every written row back (`wsw release --out --quick`;
                     the source documents are still validated, the rest of `--verify` still runs)
  pyarrow write      the reference: the same rows (all 4 configs), already built in memory as Python
                     dicts, through pa.Table.from_pylist + pq.write_table (the rows-in-memory cost is
                     counted in its peak memory; reading and converting the JSON is not in its time)
  load_dataset       datasets.load_dataset(release, config) for all 4 configs, fresh cache
  pyarrow read       the reference: pq.read_table of the same files

Peak memory is the maximum RSS (ru_maxrss) of the phase's process or any of its worker
processes, which includes the interpreter and imports; `base` is the RSS after imports, before
the phase's work. Process CPU is user + system time including workers (and imports): on a
shared machine, wall time depends on the load, CPU time much less.

Usage: python benchmarks/bench_release.py [--sizes 10000 100000] [--keep DIR]
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
CONFIGS = ("documents", "mentions", "quotes", "claims")


def rss_mb() -> float:
    """Peak resident memory of this process and of its finished children (worker processes), in MB."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def make_corpus(folder: Path, n: int) -> None:
    from whosaidwhat.document import dumps
    from whosaidwhat.release.synthetic import synthetic_document

    docs = folder / "documents"
    docs.mkdir(parents=True)
    splits = {"train": [], "validation": [], "test": []}
    for i in range(n):
        doc = synthetic_document(i)
        (docs / f"{doc['id']}.json").write_text(dumps(doc), encoding="utf-8")
        splits["train" if i % 10 < 8 else "validation" if i % 10 == 8 else "test"].append(doc["id"])
    (folder / "splits.json").write_text(json.dumps({"version": "bench", "rationale": "every 10th document: 8 train, "
                                                    "1 validation, 1 test", "splits": splits}), encoding="utf-8")
    shutil.copy(REPO / "corpus" / "dataset.json", folder / "dataset.json")


# -- phases, each run in its own process --------------------------------------------------------------

def phase_build(corpus: Path, out: Path) -> dict:
    from whosaidwhat.release.build import build_release

    base = rss_mb()
    start = time.perf_counter()
    build_release(corpus, out, progress=False)
    return {"seconds": time.perf_counter() - start, "base_mb": base}


def phase_build_quick(corpus: Path, out: Path) -> dict:
    """`wsw release --out --quick`: the same build without reading every written row back."""
    from whosaidwhat.release.build import build_release

    base = rss_mb()
    start = time.perf_counter()
    build_release(corpus, out, progress=False, check_rows=False)
    return {"seconds": time.perf_counter() - start, "base_mb": base}


def phase_bare_write(corpus: Path, out: Path) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from whosaidwhat.release.features import SCHEMAS
    from whosaidwhat.release.parquet import WRITER_OPTIONS
    from whosaidwhat.release.rows import document_row, flat_rows, is_redistributable

    base = rss_mb()
    rows = {config: [] for config in CONFIGS}
    for path in sorted((corpus / "documents").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        withhold = not is_redistributable(doc)
        rows["documents"].append(document_row(doc, withhold))
        for config, items in flat_rows(doc, withhold).items():
            rows[config].extend(items)
    out.mkdir(parents=True)
    start = time.perf_counter()
    for config in CONFIGS:
        table = pa.Table.from_pylist(rows[config], schema=SCHEMAS[config])
        pq.write_table(table, out / f"{config}.parquet", **WRITER_OPTIONS)
        del table
    return {"seconds": time.perf_counter() - start, "base_mb": base}


def phase_load(release: Path, cache: Path) -> dict:
    os.environ.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HF_HOME=str(cache),
                      HF_DATASETS_CACHE=str(cache / "datasets"))
    import datasets

    datasets.disable_progress_bars()
    base = rss_mb()
    start = time.perf_counter()
    rows = 0
    for config in CONFIGS:
        loaded = datasets.load_dataset(str(release), config)
        rows += sum(len(split) for split in loaded.values())
    return {"seconds": time.perf_counter() - start, "base_mb": base, "rows": rows}


def phase_bare_read(release: Path) -> dict:
    import pyarrow.parquet as pq

    base = rss_mb()
    start = time.perf_counter()
    rows = 0
    for path in sorted((release / "data").rglob("*.parquet")):
        rows += pq.read_table(path).num_rows
    return {"seconds": time.perf_counter() - start, "base_mb": base, "rows": rows}


def run_phase(name: str, *args: Path) -> dict:
    """Run one phase in a fresh interpreter; returns its timing and peak RSS."""
    code = (f"import sys, json; sys.path.insert(0, {str(REPO / 'benchmarks')!r}); import bench_release as b; "
            f"from pathlib import Path; r = b.phase_{name}(*[Path(a) for a in sys.argv[1:]]); "
            "r['peak_mb'] = b.rss_mb(); r['cpu'] = b.cpu_seconds(); print(json.dumps(r))")
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, n: int, result: dict) -> None:
    print(f"  {label:<18} {result['seconds']:8.2f} s {n / result['seconds']:>10,.0f} docs/s   "
          f"peak {result['peak_mb']:7,.0f} MB (base {result['base_mb']:5,.0f} MB)   "
          f"process CPU {result['cpu']:7.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated corpora and releases here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-release-", dir=args.keep))
    try:
        for n in args.sizes:
            folder = work / f"n{n}"
            start = time.perf_counter()
            make_corpus(folder / "corpus", n)
            size = sum(p.stat().st_size for p in (folder / "corpus" / "documents").iterdir())
            print(f"\n{n:,} documents ({size / 1e6:,.0f} MB of JSON, generated in {time.perf_counter() - start:.0f} s)")
            build = run_phase("build", folder / "corpus", folder / "release")
            quick = run_phase("build_quick", folder / "corpus", folder / "release-quick")
            bare = run_phase("bare_write", folder / "corpus", folder / "bare")
            report("release build", n, build)
            report("build --quick", n, quick)
            report("pyarrow write", n, bare)
            print(f"  -> release build takes {build['seconds'] / bare['seconds']:.2f}x the bare pyarrow write "
                  f"(with the row-by-row re-check), {quick['seconds'] / bare['seconds']:.2f}x with --quick (target: at most 3x)")
            load = run_phase("load", folder / "release", folder / "hf-cache")
            read = run_phase("bare_read", folder / "release")
            report("load_dataset", n, load)
            report("pyarrow read", n, read)
            print(f"  -> load_dataset takes {load['seconds'] / read['seconds']:.1f}x pyarrow read_table "
                  f"({load['rows']:,} rows in 4 configs)")
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
