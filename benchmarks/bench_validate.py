"""Benchmark `wsw validate` against bare jsonschema validation of the same documents.

Generates N synthetic documents (release.synthetic: ~8 sentences, entities, interrupted quotes,
claims, emoji/CRLF/combining marks) into one JSONL file, then, each in its own process so that
peak RSS is the contender's own:
  * reference: json.loads + jsonschema Draft202012Validator.iter_errors per line (shape only);
  * wsw: whosaidwhat.validation.validate_paths (shape + all semantic rules, streaming).
Prints documents/second and peak RSS (ru_maxrss of the child). Not a timed test.

    python benchmarks/bench_validate.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
n = problems = 0
if mode == "reference":
    from jsonschema import Draft202012Validator
    from whosaidwhat.resources import schema_path
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
elapsed = time.perf_counter() - t0
print(json.dumps({"docs": n, "problems": problems, "seconds": elapsed,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"{'docs':>8} {'contender':<28} {'seconds':>8} {'docs/s':>9} {'peak MB':>8} {'problems':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"docs-{n}.jsonl"
            generate(n, path)
            size_mb = path.stat().st_size / 2**20
            for mode, label in (("reference", "jsonschema only (reference)"), ("wsw", "wsw validate (all rules)")):
                r = run(mode, path)
                print(f"{n:>8} {label:<28} {r['seconds']:>8.2f} {r['docs'] / r['seconds']:>9.0f} "
                      f"{r['peak_rss_mb']:>8.0f} {r['problems']:>8}")
            print(f"{'':>8} input: {size_mb:.1f} MB JSONL")


if __name__ == "__main__":
    main()
