"""Benchmark `--engine dask` against `--engine local`: rules-baseline prediction and scoring of generated news.

    python benchmarks/bench_dask.py --docs 1000000           # the issue's size: ~1 h of local prediction here
    python benchmarks/bench_dask.py --docs 300000            # what fits in ~40 min (README)
    python benchmarks/bench_dask.py --docs 2000 --score-docs 20000      # a quick look

The rules baseline predicts ~280 news-length documents per second per core through `wsw predict`
(benchmarks/bench_predict.py), so 1,000,000 documents take about an hour in one process; scoring
is ~1,600 documents per second.

Data (cheap to generate): a pool of 1,000 distinct news-length articles from
benchmarks/bench_predict.py (a headline, a dateline, 12 paragraphs, about 2,700 characters and
430 words, names, quotes, figures); document i is pool article i mod 1,000 under its own id, so
every document costs the system the same as a real article of that length (systems do not cache
across documents). Prediction inputs: JSONL shards of `--shard-docs` documents (default 500).
Scoring: the gold is a release folder (data/documents/test-*.parquet, 20,000 rows per file) whose
annotations are the `trained` baseline's predictions of the pool articles; the submission is the
`rules` baseline's predictions: the predict step's output when `--score-docs` equals `--docs`,
otherwise the rules lines of the pool articles replicated under the ids (a JSONL file).

Contenders, each the real CLI in its own fresh process (`python -m whosaidwhat.cli ...`):
  * local:  `--engine local` (one process, one core);
  * dask:   `--engine dask --workers 2` (a LocalCluster of two worker processes on 127.0.0.1,
            started and stopped inside the timed run: the start-up is part of the wall time).
Measured: wall time; speed-up; peak memory summed over processes (the process tree is sampled
every 50 ms: the sum of every process's peak RSS (VmHWM), and the peak of the summed RSS);
equality of the outputs (predictions byte for byte, score JSON to the last digit). Scheduler
overhead per task: 2,000 empty tasks through a LocalCluster of the same two workers, and the
measured dask run's wall time against its ideal (per-shard cost from the local run, divided by
the workers). The projection to N machines is arithmetic on those measurements, printed as such.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = 1000


# -- data ------------------------------------------------------------------------------------------

def generate(work: Path, docs: int, score_docs: int, shard_docs: int) -> dict:
    """Inputs, gold and (for a separate scoring size) a submission; reused if present."""
    done = work / "data.json"
    if done.is_file():
        return json.loads(done.read_text())
    sys.path.insert(0, str(HERE))
    from bench_predict import article

    from whosaidwhat.systems.documents import predicted_document
    from whosaidwhat.systems.registry import load_system

    started = time.perf_counter()
    pool = [article(i) for i in range(POOL)]
    rules, trained = load_system("rules", {}), load_system("trained", {})
    rules_lines = [rules.predict(doc) for doc in pool]
    gold_docs = []
    columns = ("id", "text", "text_sha256", "provenance", "entities", "mentions", "quotes", "claims")
    for doc in pool:
        canonical = {**doc, "metadata": {}, "provenance": {"layers": {}}}
        predicted = predicted_document(canonical, trained.predict(doc), trained)
        gold_docs.append({key: predicted[key] for key in columns})
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for start in range(0, docs, shard_docs):
        with open(inputs / f"shard-{start // shard_docs:05d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(start, min(docs, start + shard_docs)):
                doc = pool[i % POOL]
                fh.write(json.dumps({"id": f"news-{i:07d}", "text": doc["text"], "text_sha256": doc["text_sha256"]},
                                    ensure_ascii=False) + "\n")
    _write_gold(work / "gold", gold_docs, score_docs)
    if score_docs != docs:
        from whosaidwhat.systems.outputs import jsonl_bytes

        templates = [jsonl_bytes(dict(line, id="@@ID@@")).split(b"@@ID@@") for line in rules_lines]
        with open(work / "replicated.jsonl", "wb") as fh:  # the bytes `wsw predict` would write
            for i in range(score_docs):
                head, tail = templates[i % POOL]
                fh.write(head + f"news-{i:07d}".encode() + tail)
    facts = {"docs": docs, "score_docs": score_docs, "shards": -(-docs // shard_docs), "shard_docs": shard_docs,
             "avg_chars": sum(len(d["text"]) for d in pool) / POOL,
             "inputs_bytes": sum(p.stat().st_size for p in inputs.iterdir()),
             "gold_bytes": sum(p.stat().st_size for p in (work / "gold").rglob("*.parquet")),
             "generated_s": time.perf_counter() - started}
    done.write_text(json.dumps(facts))
    return facts


def _write_gold(root: Path, pool: list[dict], n: int, per_file: int = 20_000) -> None:
    """Gold as a release: the pool as one Arrow table, each file `take`n from it with its own ids."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = root / "data" / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "release.json").write_text(json.dumps({"version": f"bench-{n}"}))
    table = pa.Table.from_pylist(pool)
    files = -(-n // per_file)
    for f in range(files):
        rows = np.arange(f * per_file, min(n, (f + 1) * per_file))
        part = table.take(pa.array(rows % len(pool)))
        ids = pa.array([f"news-{i:07d}" for i in rows.tolist()], type=pa.string())
        part = part.set_column(part.schema.get_field_index("id"), "id", ids)
        pq.write_table(part, folder / f"test-{f:05d}-of-{files:05d}.parquet", row_group_size=5000)


# -- measuring a process tree ------------------------------------------------------------------------

def _status(pid: int) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    out[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        pass
    return out


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = []
        try:
            threads = os.listdir(f"/proc/{p}/task")
        except OSError:
            threads = []
        for tid in threads:  # a child belongs to the thread that started it
            try:
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    kids.extend(int(k) for k in fh.read().split())
            except OSError:
                pass
        found.extend(kids)
        todo.extend(kids)
    return found


def run(args: list[str], env: dict | None = None) -> dict:
    """Run `wsw ARGS` in a fresh process; wall time, summed peak memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "whosaidwhat.cli", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    peaks: dict[int, int] = {}
    peak_total = 0
    stop = threading.Event()

    def sample():
        nonlocal peak_total
        while not stop.is_set():
            total = 0
            for pid in [process.pid, *_children(process.pid)]:
                status = _status(pid)
                if status:
                    peaks[pid] = max(peaks.get(pid, 0), status.get("VmHWM", 0))
                    total += status.get("VmRSS", 0)
            peak_total = max(peak_total, total)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"wsw {' '.join(args)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return {"wall_s": wall, "processes": len(peaks), "sum_of_peaks_mb": sum(peaks.values()) / 1024,
            "peak_of_sum_mb": peak_total / 1024, "stdout": stdout, "stderr": stderr}


# -- scheduler overhead ------------------------------------------------------------------------------

def noop(x):
    return x


def overhead(workers: int, tasks: int = 2000) -> dict:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.gather(client.map(noop, range(100), pure=False))  # warm up
        started = time.perf_counter()
        client.gather(client.map(noop, range(tasks), pure=False))
        batch = time.perf_counter() - started
        started = time.perf_counter()
        for i in range(200):
            client.submit(noop, i, pure=False).result()
        latency = (time.perf_counter() - started) / 200
    return {"per_task_ms": batch / tasks * 1000, "round_trip_ms": latency * 1000}


# -- main --------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000, help="Documents to predict.")
    parser.add_argument("--score-docs", type=int, default=None, help="Documents to score (default: --docs).")
    parser.add_argument("--shard-docs", type=int, default=500, help="Documents per input JSONL shard.")
    parser.add_argument("--workers", type=int, default=2, help="Worker processes of the LocalCluster.")
    parser.add_argument("--work", type=Path, default=None, help="Work folder (kept; reused data if present).")
    parser.add_argument("--projection", default="1,2,4,8,16,32", help="Machine counts to project to.")
    args = parser.parse_args()
    score_docs = args.score_docs or args.docs
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_dask-"))
    work.mkdir(parents=True, exist_ok=True)
    import dask
    import distributed
    import numpy

    print(f"bench_dask: python {sys.version.split()[0]}, dask {dask.__version__}, distributed "
          f"{distributed.__version__}, numpy {numpy.__version__}; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f} at start; work folder {work}")
    facts = generate(work, args.docs, score_docs, args.shard_docs)
    print(f"data: {facts['docs']:,} documents to predict in {facts['shards']} JSONL shards of {facts['shard_docs']} "
          f"({facts['inputs_bytes'] / 1e6:,.0f} MB, {facts['avg_chars']:,.0f} characters per article); "
          f"{facts['score_docs']:,} gold documents ({facts['gold_bytes'] / 1e6:,.0f} MB Parquet); "
          f"generated in {facts['generated_s']:.0f} s")
    dask_flags = ["--engine", "dask", "--workers", str(args.workers)]
    results = {}

    # prediction
    for name, flags in (("local", ["--no-progress"]), ("dask", dask_flags + ["--no-progress"])):
        out = work / f"pred-{name}.jsonl"
        results[f"predict-{name}"] = run(["predict", "--system", "rules", str(work / "inputs"), "--out", str(out),
                                          *flags])
    same_pred = (work / "pred-local.jsonl").read_bytes() == (work / "pred-dask.jsonl").read_bytes()

    # scoring
    pred = work / ("pred-local.jsonl" if score_docs == args.docs else "replicated.jsonl")
    for name, flags in (("local", []), ("dask", dask_flags)):
        results[f"score-{name}"] = run(["score", "--gold", str(work / "gold"), "--pred", str(pred), "--split", "test",
                                        "--format", "json", "--per-doc", str(work / f"counts-{name}.parquet"),
                                        *flags])
    same_score = results["score-local"]["stdout"] == results["score-dask"]["stdout"]
    same_counts = (work / "counts-local.parquet").read_bytes() == (work / "counts-dask.parquet").read_bytes()
    cost = overhead(args.workers)

    print()
    print(f"{'step':<10}{'engine':<22}{'wall s':>9}{'docs/s':>10}{'speed-up':>10}{'procs':>7}"
          f"{'sum of peaks MB':>17}{'peak of sum MB':>16}")
    for step, n in (("predict", args.docs), ("score", score_docs)):
        base = results[f"{step}-local"]["wall_s"]
        for name in ("local", "dask"):
            r = results[f"{step}-{name}"]
            label = "local (1 process)" if name == "local" else f"dask LocalCluster x{args.workers}"
            print(f"{step:<10}{label:<22}{r['wall_s']:9.1f}{n / r['wall_s']:10.0f}{base / r['wall_s']:9.2f}x"
                  f"{r['processes']:7d}{r['sum_of_peaks_mb']:17.0f}{r['peak_of_sum_mb']:16.0f}")
    print(f"\nidentical: predictions byte for byte {same_pred}; score JSON (intervals included) {same_score}; "
          f"per-document counts file {same_counts}")
    start_line = next((l for l in results["predict-dask"]["stderr"].splitlines() if l.startswith("wsw: dask:")), "")
    print(f"cluster start (inside the dask wall times): {start_line.split('ready in ')[-1].split(')')[0]}")

    shards = facts["shards"]
    per_shard = results["predict-local"]["wall_s"] / shards
    ideal = results["predict-local"]["wall_s"] / args.workers
    measured = results["predict-dask"]["wall_s"]
    print(f"scheduler overhead: {cost['per_task_ms']:.2f} ms per task in a batch of 2,000 empty tasks "
          f"(throughput bound), {cost['round_trip_ms']:.1f} ms round trip of one task; in the predict run "
          f"{(measured - ideal) / shards * 1000:.0f} ms per task above the ideal ({measured:.1f} s measured vs "
          f"{ideal:.1f} s = local / {args.workers}; start-up, imports, merge and load included)")
    print(f"per-shard cost (local run / shards): {per_shard:.2f} s for {facts['shard_docs']} documents")

    # projection (arithmetic on the measurements, not a measurement)
    fixed = max(0.0, measured - (shards * per_shard / args.workers))   # start-up + merge + client work, measured
    machines = [int(m) for m in args.projection.split(",")]
    print(f"\nPROJECTION (not measured): predicting {1_000_000:,} documents in shards of {facts['shard_docs']} "
          f"({-(-1_000_000 // facts['shard_docs'])} tasks) on N machines of {args.workers} cores like this one, "
          f"time = fixed {fixed:.0f} s (start-up, client merge; measured here, assumed not to grow) + tasks x "
          f"(per-shard cost {per_shard:.2f} s / (N x {args.workers}) + scheduler {cost['per_task_ms']:.2f} ms):")
    tasks = -(-1_000_000 // facts["shard_docs"])
    for n in machines:
        seconds = fixed + tasks * (per_shard / (n * args.workers) + cost["per_task_ms"] / 1000)
        print(f"  N = {n:>3}: {seconds / 60:7.1f} min, {1_000_000 / seconds:8.0f} docs/s")
    print("  assumes the shared storage keeps up (1,000,000 documents are ~"
          f"{facts['inputs_bytes'] / max(1, facts['docs']) * 1e6 / 1e9:.1f} GB of input) and that the single-file "
          "merge is replaced by an --out pattern (parts + manifest) at that size.")
    (work / "results.json").write_text(json.dumps({"facts": facts, "overhead": cost, **{
        k: {kk: vv for kk, vv in v.items() if kk not in ("stdout", "stderr")} for k, v in results.items()}}, indent=1))


if __name__ == "__main__":
    main()
