"""Benchmark `wsw score` against nervaluate 1.2.1 on generated data: time, peak memory, scaling.

    python benchmarks/bench_score.py                      # 1k, 10k, 100k documents
    python benchmarks/bench_score.py --sizes 1000,10000   # quicker
    python benchmarks/bench_score.py --no-nervaluate      # ours only

Data: `whosaidwhat.scoring.synthetic` documents, ~10 gold name mentions, ~10 predicted entity
spans (about two thirds exact, the rest shifted, retyped, missed or spurious), 2 quotes and 1
claim each, seed 7. The gold is written as a release (`data/documents/test-00000-of-00001.parquet`),
the predictions as a JSONL submission, and nervaluate's input as JSON lists of
{label, start, end-1} dicts (its ends are inclusive), all in one work folder.

Every contender runs in its own fresh subprocess, so its peak memory is the peak resident set
size of that process (VmHWM from /proc/self/status): reading its input included, interpreter and
imports included. Both run single-threaded (OPENBLAS_NUM_THREADS=1, as nervaluate is pure
Python; on a shared 2-core machine threaded BLAS also loses to contention). Times are wall-clock
(`time.perf_counter`) of the step named:

* nervaluate: `Evaluator(true, pred, tags, loader="dict").evaluate()` (all four schemes, overall
  and per type), after `json.load` of its input;
* ours, entities: the same four schemes overall and per type (`entity_columns`, as `wsw score` runs it);
* ours, scoring pass: entities, quotes and claims (`count_table`), i.e. everything but I/O;
* ours, bootstrap: 95% intervals of every metric from 1,000 resamples (`metric_intervals`);
* ours, read: `load_gold` (release Parquet) + `read_submission` (JSONL, every check).

The scaling check runs both scorers in one process on 100,000 random spans per side split into
documents of 10, 100 and 1,000 spans (nervaluate is quadratic in spans per document).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TYPES = ["PER", "ORG", "GPE", "LOC"]
SEED = 7


# -- data ------------------------------------------------------------------------------------------

def prepare(folder: Path, n_docs: int) -> dict:
    """Write gold (release layout), predictions (JSONL) and nervaluate's input; reuse them if present."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from whosaidwhat.scoring import synthetic

    done = folder / "done.json"
    if done.is_file():
        return json.loads(done.read_text())
    gold_file = folder / "gold" / "data" / "documents" / "test-00000-of-00001.parquet"
    gold_file.parent.mkdir(parents=True, exist_ok=True)
    (folder / "gold" / "release.json").write_text(json.dumps({"version": f"bench-{n_docs}"}))
    writer = None
    true, pred, batch = [], [], []
    stats = {"documents": n_docs, "gold_spans": 0, "pred_spans": 0, "quotes": 0, "claims": 0}
    with open(folder / "pred.jsonl", "w", encoding="utf-8") as sub:
        for doc, line in synthetic.corpus(SEED, n_docs):
            sub.write(json.dumps(line) + "\n")
            true.append([{"label": m["type"], "start": m["start"], "end": m["end"] - 1} for m in doc["mentions"]])
            pred.append([{"label": m["type"], "start": m["start"], "end": m["end"] - 1} for m in line["mentions"]])
            stats["gold_spans"] += len(doc["mentions"])
            stats["pred_spans"] += len(line["mentions"])
            stats["quotes"] += len(doc["quotes"])
            stats["claims"] += len(doc["claims"])
            batch.append({k: doc[k] for k in ("id", "text", "text_sha256", "provenance", "entities", "mentions",
                                              "quotes", "claims")})
            if len(batch) == 5000:
                table = pa.Table.from_pylist(batch, schema=writer.schema if writer else None)
                writer = writer or pq.ParquetWriter(gold_file, table.schema)
                writer.write_table(table)
                batch = []
    if batch:
        table = pa.Table.from_pylist(batch, schema=writer.schema if writer else None)
        writer = writer or pq.ParquetWriter(gold_file, table.schema)
        writer.write_table(table)
    writer.close()
    # nervaluate gets the documents in the gold's (sorted id) order, like our count table
    (folder / "nervaluate.json").write_text(json.dumps({"true": true, "pred": pred}))
    stats["bytes"] = {"gold_parquet": gold_file.stat().st_size, "pred_jsonl": (folder / "pred.jsonl").stat().st_size}
    done.write_text(json.dumps(stats))
    return stats


# -- contenders (each runs in a child process) -------------------------------------------------------

def _peak_mb() -> float:
    """Peak resident set size of this process (VmHWM). Unlike ru_maxrss, which Linux carries over
    from the parent through fork and exec, VmHWM belongs to this process's own address space."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ours(folder: Path, resamples: int) -> dict:
    from whosaidwhat.inventory import load_inventory
    from whosaidwhat.scoring import ScoreSettings, load_gold, open_gold, read_submission
    import numpy as np

    from whosaidwhat.scoring.engine import count_table, entity_columns, mention_spans, metric_intervals, metric_values

    inventory = load_inventory()
    settings = ScoreSettings(split="test", resamples=resamples)
    out = {"rss_after_imports_mb": _peak_mb()}
    t = time.perf_counter()
    gold = load_gold(open_gold(folder / "gold"), "test", inventory)
    out["read_gold_s"] = time.perf_counter() - t
    t = time.perf_counter()
    layers, info = read_submission(folder / "pred.jsonl", gold, inventory)
    out["read_submission_s"] = time.perf_counter() - t
    out["rss_after_read_mb"] = _peak_mb()
    kinds = np.array([inventory.mention_kinds.index("name")])
    t = time.perf_counter()
    entity_columns(mention_spans(gold.layers, kinds), mention_spans(layers, kinds), gold.layers.n_docs,
                   settings.entity_overlap, inventory.entity_types)
    out["entities_s"] = time.perf_counter() - t
    t = time.perf_counter()
    counts = count_table(gold, layers, settings, inventory)
    out["pass_s"] = time.perf_counter() - t
    t = time.perf_counter()
    values = metric_values(counts, inventory)
    out["metrics_s"] = time.perf_counter() - t
    t = time.perf_counter()
    metric_intervals(counts, inventory, settings)
    out["bootstrap_s"] = time.perf_counter() - t
    sums = counts.sums()
    out["strict"] = [sums["ent.A"], sums["ent.C"], sums["ent.gold"], sums["ent.pred"]]
    out["strict_f1"] = values["entities.strict.f1"]
    out["peak_rss_mb"] = _peak_mb()
    return out


def child_nervaluate(folder: Path) -> dict:
    from nervaluate import Evaluator

    out = {"rss_after_imports_mb": _peak_mb()}
    t = time.perf_counter()
    data = json.loads((folder / "nervaluate.json").read_text())
    out["load_s"] = time.perf_counter() - t
    out["rss_after_read_mb"] = _peak_mb()
    t = time.perf_counter()
    result = Evaluator(data["true"], data["pred"], tags=TYPES, loader="dict").evaluate()
    out["evaluate_s"] = time.perf_counter() - t
    strict = result["overall"]["strict"]
    out["strict"] = [strict.correct, strict.incorrect, strict.possible, strict.actual]
    out["strict_f1"] = strict.f1
    out["peak_rss_mb"] = _peak_mb()
    return out


def _random_spans(rng: random.Random, n_docs: int, per_doc: int):
    """Flat-ish random labelled spans: (doc, start, end, label) rows, about half exact copies."""
    gold, pred = [], []
    for d in range(n_docs):
        pos = 0
        for _ in range(per_doc):
            s = pos + rng.randint(0, 6)
            e = s + rng.randint(1, 8)
            pos = e
            label = rng.randrange(len(TYPES))
            gold.append((d, s, e, label))
            roll = rng.random()
            if roll < 0.5:
                pred.append((d, s, e, label))
            elif roll < 0.8:
                ns = max(0, s + rng.randint(-2, 2))
                pred.append((d, ns, max(ns + 1, e + rng.randint(-2, 2)), rng.randrange(len(TYPES))))
    return gold, pred


def child_density(total: int, per_doc_values: list[int], with_nervaluate: bool) -> list[dict]:
    from whosaidwhat.scoring.entities import Spans, entity_counts, match_entities

    rows = []
    for per_doc in per_doc_values:
        n_docs = max(1, total // per_doc)
        gold, pred = _random_spans(random.Random(SEED), n_docs, per_doc)
        g, p = Spans.from_rows(gold), Spans.from_rows(pred)
        t = time.perf_counter()
        entity_counts(match_entities(g, p), g, p, n_docs, tuple(TYPES))
        row = {"per_doc": per_doc, "documents": n_docs, "spans": len(gold) + len(pred), "ours_s": time.perf_counter() - t}
        if with_nervaluate:
            from nervaluate import Evaluator

            true_lists = [[] for _ in range(n_docs)]
            pred_lists = [[] for _ in range(n_docs)]
            for d, s, e, label in gold:
                true_lists[d].append({"label": TYPES[label], "start": s, "end": e - 1})
            for d, s, e, label in pred:
                pred_lists[d].append({"label": TYPES[label], "start": s, "end": e - 1})
            t = time.perf_counter()
            Evaluator(true_lists, pred_lists, tags=TYPES, loader="dict").evaluate()
            row["nervaluate_s"] = time.perf_counter() - t
        rows.append(row)
    return rows


# -- driver ------------------------------------------------------------------------------------------

def run_child(*args: str) -> dict:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated document counts")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=None, help="keep generated data here (reused on reruns)")
    parser.add_argument("--no-nervaluate", action="store_true", help="skip the reference runs")
    parser.add_argument("--density-total", type=int, default=100_000, help="spans per side in the scaling check")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "ours":
            print(json.dumps(child_ours(Path(rest[0]), int(rest[1]))))
        elif kind == "nervaluate":
            print(json.dumps(child_nervaluate(Path(rest[0]))))
        else:
            print(json.dumps(child_density(int(rest[0]), [10, 100, 1000], rest[1] == "1")))
        return

    import numpy
    import pyarrow

    versions = f"python {sys.version.split()[0]}, numpy {numpy.__version__}, pyarrow {pyarrow.__version__}"
    try:
        from importlib.metadata import version
        versions += f", nervaluate {version('nervaluate')}"
    except Exception:
        pass
    print(f"bench_score: {versions}; {os.cpu_count()} CPUs; peak memory = VmHWM of each contender's own process; single-threaded")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_score-"))
    for size in (int(s) for s in args.sizes.split(",")):
        folder = work / f"n{size}"
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        stats = prepare(folder, size)
        print(f"\n== {size:,} documents: {stats['gold_spans']:,} gold / {stats['pred_spans']:,} predicted entity spans, "
              f"{stats['quotes']:,} quotes, {stats['claims']:,} claims (data ready in {time.perf_counter() - t:.1f} s)")
        ours = run_child("ours", str(folder), str(args.resamples))
        print(f"  ours        read gold {ours['read_gold_s']:.2f} s + submission {ours['read_submission_s']:.2f} s | "
              f"entities (4 schemes + per type) {ours['entities_s']:.3f} s | full scoring pass {ours['pass_s']:.3f} s | "
              f"{args.resamples} bootstrap resamples {ours['bootstrap_s']:.3f} s | peak RSS {ours['peak_rss_mb']:.0f} MB "
              f"(after imports {ours['rss_after_imports_mb']:.0f} MB)")
        boot_ratio = ours["bootstrap_s"] / ours["pass_s"]
        print(f"  bootstrap / one scoring pass = {boot_ratio:.2f}x (target <= 3x)")
        if args.no_nervaluate:
            continue
        ref = run_child("nervaluate", str(folder))
        print(f"  nervaluate  json.load {ref['load_s']:.2f} s | evaluate {ref['evaluate_s']:.3f} s | "
              f"peak RSS {ref['peak_rss_mb']:.0f} MB (after imports {ref['rss_after_imports_mb']:.0f} MB)")
        print(f"  speed: nervaluate evaluate / our entities = {ref['evaluate_s'] / ours['entities_s']:.1f}x "
              f"(target >= 20x); / our full pass = {ref['evaluate_s'] / ours['pass_s']:.1f}x")
        print(f"  memory: our peak RSS / nervaluate peak RSS = {ours['peak_rss_mb'] / ref['peak_rss_mb']:.2f} "
              f"(target <= 0.25)")
        print(f"  strict F1: ours {ours['strict_f1']:.4f} (one-to-one), nervaluate {ref['strict_f1']:.4f} (greedy in list "
              f"order); COR ours {ours['strict'][0]:,} vs nervaluate {ref['strict'][0]:,}")
    rows = run_child("density", str(args.density_total), "0" if args.no_nervaluate else "1")
    print(f"\n== scaling with spans per document ({args.density_total:,} gold spans, entities only)")
    base = rows[0]["ours_s"] / rows[0]["spans"]
    for row in rows:
        line = (f"  {row['per_doc']:>5} spans/doc x {row['documents']:>6,} docs: ours {row['ours_s']:.3f} s "
                f"({row['ours_s'] / row['spans'] / base:.2f}x the per-span cost at 10/doc)")
        if "nervaluate_s" in row:
            line += f", nervaluate {row['nervaluate_s']:.2f} s"
        print(line)
    print(f"\ndata in {work}")


if __name__ == "__main__":
    main()
