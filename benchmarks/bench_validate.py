"""Benchmark `wsw validate` against bare jsonschema validation of the same documents.

Generates N synthetic documents (release.synthetic: ~8 sentences, entities, interrupted quotes,
claims, emoji/CRLF/combining marks) into one JSONL file, then, each in its own process so that
peak RSS is the contender's own:
  * reference: json.loads + jsonschema Draft202012Validator.iter_errors per line (shape only);
  * wsw: whosaidwhat.validation.validate_paths (shape + all semantic rules, streaming);
  * the whole `wsw validate` process (interpreter start and imports included).
Prints documents/second (wall and per CPU second, i.e. per core) and peak RSS (ru_maxrss of the
child; not shown for the `wsw validate` process). The documents are "news-length": about 0.6 KB
of article text, 5.9 KB of JSON with their annotations. Not a timed test.

Then, to say what bounds `wsw validate` (target: 10,000 documents/s per core, every rule), it
times each stage of its per-document path alone, in one process, on the same lines (CPU time):
`json.loads` and the strict parse (`core.jsonfile.parse_json`: duplicate keys, NaN, lone
surrogates), each line parsed and dropped as `wsw validate` streams them; the compiled schema
check that lets clean documents skip jsonschema (fastjsonschema); the document rules
(`validation.Checker`); and, for comparison, parsing the whole file with pyarrow.json (the parser
a vectorised validator would start from).

    python benchmarks/bench_validate.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
t0, c0 = time.perf_counter(), time.process_time()
n = problems = 0
if mode == "stages":
    from whosaidwhat.core.inventory import load_inventory
    from whosaidwhat.core.jsonfile import parse_json
    from whosaidwhat.validation import Checker
    from whosaidwhat.validation.schemas import DOCUMENT, fast_check
    import pyarrow as pa, pyarrow.json as pj
    inventory, check = load_inventory(), fast_check(DOCUMENT)
    checker = Checker(inventory)
    with open(path, "rb") as fh:
        lines = fh.read().splitlines()
    stages = {}
    def stage(name, run):
        c = time.process_time(); out = run(); stages[name] = time.process_time() - c
        return out
    # parsed and dropped, as `wsw validate` streams them (keeping 10,000 parsed documents alive slows parsing)
    stage("json.loads (plain)", lambda: [json.loads(line) and None for line in lines])
    stage("strict parse (parse_json)", lambda: [parse_json(line)[0] and None for line in lines])
    docs = [parse_json(line)[0] for line in lines]
    stage("compiled schema check", lambda: [check(doc) for doc in docs])
    stage("document rules (Checker)", lambda: [checker.document(doc) for doc in docs])
    data = b"\n".join(lines)
    stage("pyarrow.json parse", lambda: pj.read_json(pa.BufferReader(data), read_options=pj.ReadOptions(
        use_threads=False, block_size=len(data) + 1)))
    print(json.dumps({"docs": len(lines), "stages": stages}))
    sys.exit(0)
if mode == "reference":
    from jsonschema import Draft202012Validator
    from whosaidwhat.core.resources import schema_path
    validator = Draft202012Validator(json.loads(schema_path("document.schema.json").read_text()))
    with open(path, "rb") as fh:
        for line in fh:
            doc = json.loads(line)
            problems += sum(1 for _ in validator.iter_errors(doc))
            n += 1
else:
    from whosaidwhat.validation import ValidationSummary, validate_paths
    for item in validate_paths([path]):
        if isinstance(item, ValidationSummary):
            n = item.documents
        else:
            problems += 1
elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"docs": n, "problems": problems, "seconds": elapsed, "cpu_seconds": cpu,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(n: int, path: Path) -> None:
    from whosaidwhat.release.synthetic import synthetic_document

    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(synthetic_document(i), ensure_ascii=False) + "\n")


def run(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def run_cli(path: Path, n: int) -> dict:
    """The whole `wsw validate` process (interpreter start and imports included): wall and CPU time."""
    import resource
    import time

    argv = [sys.executable, "-c", "import sys; from whosaidwhat.cli import main; sys.argv[0] = 'wsw'; sys.exit(main())",
            "validate", str(path)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    problems = len(re.findall(r"\[[A-Z]+(?:-[A-Z0-9]+)+\]", proc.stdout + proc.stderr))
    # (RUSAGE_CHILDREN's peak is the largest of all children so far, not this one's: not shown)
    return {"docs": n, "problems": problems, "seconds": wall, "cpu_seconds": cpu, "peak_rss_mb": float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--target", type=float, default=10_000, help="documents per second per core to aim for")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench_validate: {os.cpu_count()} CPUs, load average {load:.1f} at start; docs/s/core = documents per "
          "CPU second of the process")
    print(f"{'docs':>8} {'contender':<28} {'seconds':>8} {'docs/s':>9} {'docs/s/core':>11} {'peak MB':>8} {'problems':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"docs-{n}.jsonl"
            generate(n, path)
            size_mb = path.stat().st_size / 2**20
            for mode, label in (("reference", "jsonschema only (reference)"), ("wsw", "validate_paths (all rules)"),
                                ("cli", "wsw validate process")):
                r = run_cli(path, n) if mode == "cli" else run(mode, path)
                print(f"{n:>8} {label:<28} {r['seconds']:>8.2f} {r['docs'] / r['seconds']:>9.0f} "
                      f"{r['docs'] / r['cpu_seconds']:>11.0f} {r['peak_rss_mb']:>8.0f} {r['problems']:>8}")
            print(f"{'':>8} input: {size_mb:.1f} MB JSONL, {size_mb * 2**20 / n / 1024:.1f} KB per document")
        budget = 1e6 / args.target
        print(f"\nstages of the per-document path, alone, on the {n:,} documents (CPU time; the target "
              f"{args.target:,.0f} docs/s/core leaves {budget:.0f} us per document for everything):")
        r = run("stages", path)
        for name, seconds in r["stages"].items():
            per_doc = seconds / r["docs"] * 1e6
            print(f"  {name:<28} {per_doc:8.1f} us/doc  {r['docs'] / seconds:9.0f} docs/s/core")
        stages = r["stages"]
        floor = (stages["strict parse (parse_json)"] + stages["compiled schema check"]) / r["docs"] * 1e6
        plain = stages["json.loads (plain)"] / r["docs"] * 1e6
        print(f"  => json.loads alone takes {plain:.0f} us/doc ({1e6 / plain:,.0f} docs/s/core); the strict parse and the "
              f"compiled schema check together take {floor:.0f} us/doc "
              f"({1e6 / floor:,.0f} docs/s/core) {'>' if floor > budget else '<='} the {budget:.0f} us budget, "
              "before any semantic rule")


if __name__ == "__main__":
    main()
