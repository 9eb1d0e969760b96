"""Benchmark `wsw score` against nervaluate 1.2.1 on generated data: whole process, stages, memory, scaling.

    python benchmarks/bench_score.py                      # 1k, 10k, 100k documents
    python benchmarks/bench_score.py --sizes 1000,10000   # quicker
    python benchmarks/bench_score.py --no-nervaluate      # ours only

Data: `whosaidwhat.scoring.synthetic` documents, ~10 gold name mentions, ~10 predicted entity
spans (about two thirds exact, the rest shifted, retyped, missed or spurious), 2 quotes and 1
claim each, seed 7. The gold is written as a release (`data/documents/test-00000-of-00001.parquet`),
the predictions as a JSONL submission and the same lines as a Parquet submission, and
nervaluate's input as JSON lists of {label, start, end-1} dicts (its ends are inclusive), all in
one work folder.

**Whole process**, side by side in one run, each contender a fresh process started by this
script, timed from start to exit (wall clock, best of `--repeat`), interpreter start and imports
included:

* `wsw score --gold GOLD --pred pred.jsonl` (and `pred.parquet`) with the defaults a user gets:
  every check of the submission, the scoring pass, 1,000 bootstrap resamples, the text report;
* nervaluate: `json.load` of its input + `Evaluator(true, pred, tags, loader="dict").evaluate()`
  (all four schemes, overall and per type);
* the limit: a process that only reads the same submission file into Arrow
  (`pyarrow.json.read_json`, `pyarrow.parquet.read_table`; one thread, like `wsw score`).

Peak memory is the peak resident set size (VmHWM from /proc/self/status) of the contender's own
process, written when it exits. Everything runs single-threaded (OPENBLAS_NUM_THREADS=1 etc.;
nervaluate is pure Python, and on a shared 2-core machine threads lose to contention).

**Stages** of ours, in one process (`time.perf_counter`):

* read: `load_gold` (release Parquet) + `read_submission` (JSONL or Parquet, every check);
* entities: the four schemes overall and per type (`entity_columns`, as `wsw score` runs it);
* scoring pass: entities, quotes and claims (`count_table`), i.e. everything but I/O;
* bootstrap: 95% intervals of every metric from 1,000 resamples (`metric_intervals`).

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
    write_parquet_submission(folder)
    stats["bytes"] = {"gold_parquet": gold_file.stat().st_size, "pred_jsonl": (folder / "pred.jsonl").stat().st_size,
                      "pred_parquet": (folder / "pred.parquet").stat().st_size}
    done.write_text(json.dumps(stats))
    return stats


def write_parquet_submission(folder: Path) -> None:
    """The lines of pred.jsonl as a Parquet submission (one row per document, layers as lists of structs)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from whosaidwhat.scoring.arrow_submission import SCHEMA

    with open(folder / "pred.jsonl", encoding="utf-8") as fh, pq.ParquetWriter(folder / "pred.parquet", SCHEMA) as writer:
        rows = []
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) == 5000:
                writer.write_table(pa.Table.from_pylist(rows, schema=SCHEMA))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=SCHEMA))


# -- contenders (each runs in a child process) -------------------------------------------------------

def _peak_mb() -> float:
    """Peak resident set size of this process (VmHWM). Unlike ru_maxrss, which Linux carries over
    from the parent through fork and exec, VmHWM belongs to this process's own address space."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ours(folder: Path, resamples: int, pred: str = "pred.jsonl") -> dict:
    import numpy as np

    from whosaidwhat.core.inventory import load_inventory
    from whosaidwhat.scoring import ScoreSettings, load_gold, open_gold, read_submission
    from whosaidwhat.scoring.engine import count_table, entity_columns, mention_spans, metric_intervals, metric_values

    inventory = load_inventory()
    settings = ScoreSettings(split="test", resamples=resamples)
    out = {"rss_after_imports_mb": _peak_mb()}
    t = time.perf_counter()
    gold = load_gold(open_gold(folder / "gold"), "test", inventory)
    out["read_gold_s"] = time.perf_counter() - t
    t = time.perf_counter()
    layers, info = read_submission(folder / pred, gold, inventory)
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


def child_limit(path: Path) -> dict:
    """Only read the submission file into Arrow, as fast as pyarrow can (one thread, like `wsw score`)."""
    t = time.perf_counter()
    if path.suffix == ".jsonl":
        import pyarrow.json as pj

        table = pj.read_json(path, read_options=pj.ReadOptions(use_threads=False, block_size=1 << 22))
    else:
        import pyarrow.parquet as pq

        table = pq.ParquetFile(path).read(use_threads=False)
    return {"read_s": time.perf_counter() - t, "rows": table.num_rows, "peak_rss_mb": _peak_mb()}


#: run in a fresh interpreter: the `wsw` console script's own entry point, plus a note of the
#: process's peak memory (VmHWM) written when it exits
WSW_PROCESS = """
import atexit, os, sys
def _note_peak():
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
    with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(str(peak))
atexit.register(_note_peak)
from whosaidwhat.cli import main
sys.argv[0] = "wsw"
sys.exit(main())
"""


def whole_process(argv: list[str], repeat: int) -> dict:
    """Best wall time over `repeat` runs of a fresh process, its CPU time (user + system) in that run,
    and its peak memory (from the process itself)."""
    best = None
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
            env = {**os.environ, **SINGLE_THREADED, "BENCH_PEAK_FILE": peak.name}
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            proc = subprocess.run(argv, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != 0:
                raise SystemExit(f"{argv[:4]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            result = {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": float(peak.read() or "nan"), "stdout": proc.stdout}
        if best is None or result["wall_s"] < best["wall_s"]:
            best = result
    return best


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

SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run_child(*args: str) -> dict:
    env = {**os.environ, **SINGLE_THREADED}
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _note_peak_at_exit() -> None:
    """Children started by `whole_process` write their peak memory when they exit."""
    if "BENCH_PEAK_FILE" in os.environ:
        import atexit

        def note():
            with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
                out.write(str(_peak_mb()))
        atexit.register(note)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated document counts")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each whole process; the best wall time counts")
    parser.add_argument("--workdir", type=Path, default=None, help="keep generated data here (reused on reruns)")
    parser.add_argument("--no-nervaluate", action="store_true", help="skip the reference runs")
    parser.add_argument("--density-total", type=int, default=100_000, help="spans per side in the scaling check")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _note_peak_at_exit()
        kind, *rest = args.child
        if kind == "ours":
            print(json.dumps(child_ours(Path(rest[0]), int(rest[1]), *rest[2:])))
        elif kind == "nervaluate":
            print(json.dumps(child_nervaluate(Path(rest[0]))))
        elif kind == "limit":
            print(json.dumps(child_limit(Path(rest[0]))))
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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench_score: {versions}; {os.cpu_count()} CPUs (load average {load:.1f} at start); peak memory = VmHWM "
          f"of each contender's own process; single-threaded; whole-process times are the best of {args.repeat}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_score-"))
    for size in (int(s) for s in args.sizes.split(",")):
        folder = work / f"n{size}"
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        stats = prepare(folder, size)
        if not (folder / "pred.parquet").is_file():  # work folders of earlier versions of this script
            write_parquet_submission(folder)
        mb = {fmt: (folder / f"pred.{fmt}").stat().st_size / 2**20 for fmt in ("jsonl", "parquet")}
        print(f"\n== {size:,} documents: {stats['gold_spans']:,} gold / {stats['pred_spans']:,} predicted entity spans, "
              f"{stats['quotes']:,} quotes, {stats['claims']:,} claims; submission {mb['jsonl']:.1f} MB JSONL, "
              f"{mb['parquet']:.1f} MB Parquet (data ready in {time.perf_counter() - t:.1f} s)")

        # -- the whole process, side by side ---------------------------------------------------
        gold = str(folder / "gold")
        whole = {}
        for fmt in ("jsonl", "parquet"):
            pred = str(folder / f"pred.{fmt}")
            whole[fmt] = whole_process([sys.executable, "-c", WSW_PROCESS, "score", "--gold", gold, "--pred", pred,
                                        "--resamples", str(args.resamples)], args.repeat)
            limit = whole_process([sys.executable, __file__, "--child", "limit", pred], args.repeat)
            whole[f"limit-{fmt}"] = {**limit, **json.loads(limit["stdout"].strip().splitlines()[-1])}
        if not args.no_nervaluate:
            ref = whole_process([sys.executable, __file__, "--child", "nervaluate", str(folder)], args.repeat)
            whole["nervaluate"] = {**ref, **json.loads(ref["stdout"].strip().splitlines()[-1])}
        print("  whole process (wall clock from start to exit, and CPU time; peak RSS of the process):")
        if "nervaluate" in whole:
            ref = whole["nervaluate"]
            print(f"    nervaluate   json.load + evaluate            {ref['wall_s']:7.2f} s (cpu {ref['cpu_s']:6.2f} s)  "
                  f"{ref['peak_rss_mb']:6.0f} MB   (json.load {ref['load_s']:.2f} s, evaluate {ref['evaluate_s']:.2f} s)")
        for fmt, name in (("jsonl", "JSONL"), ("parquet", "Parquet")):
            ours, limit = whole[fmt], whole[f"limit-{fmt}"]
            line = (f"    wsw score    {name + ' submission':<31s} {ours['wall_s']:7.2f} s (cpu {ours['cpu_s']:6.2f} s)  "
                    f"{ours['peak_rss_mb']:6.0f} MB")
            if "nervaluate" in whole:
                ref = whole["nervaluate"]
                line += (f"   {ref['wall_s'] / ours['wall_s']:.1f}x faster than nervaluate (cpu "
                         f"{ref['cpu_s'] / ours['cpu_s']:.1f}x), {ours['peak_rss_mb'] / ref['peak_rss_mb']:.2f} of its memory")
            print(line)
            print(f"    limit        pyarrow read of the {name:<8s}    {limit['wall_s']:7.2f} s (cpu {limit['cpu_s']:6.2f} s)  "
                  f"{limit['peak_rss_mb']:6.0f} MB   (the read itself {limit['read_s']:.2f} s)")

        # -- the stages of ours, in one process --------------------------------------------------
        stages = {fmt: run_child("ours", str(folder), str(args.resamples), f"pred.{fmt}") for fmt in ("jsonl", "parquet")}
        for fmt, name in (("jsonl", "JSONL"), ("parquet", "Parquet")):
            ours = stages[fmt]
            print(f"  ours, {name:<7s} read gold {ours['read_gold_s']:.2f} s + submission {ours['read_submission_s']:.2f} s | "
                  f"entities (4 schemes + per type) {ours['entities_s']:.3f} s | full scoring pass {ours['pass_s']:.3f} s | "
                  f"{args.resamples} bootstrap resamples {ours['bootstrap_s']:.3f} s | peak RSS {ours['peak_rss_mb']:.0f} MB "
                  f"(after imports {ours['rss_after_imports_mb']:.0f} MB)")
        ours = stages["jsonl"]
        print(f"  bootstrap / one scoring pass = {ours['bootstrap_s'] / ours['pass_s']:.2f}x (target <= 3x)")
        for fmt, name in (("jsonl", "JSONL"), ("parquet", "Parquet")):
            bare = whole[f"limit-{fmt}"]["read_s"] + stages[fmt]["pass_s"]
            print(f"  {name}: submission read with every check / bare pyarrow read = "
                  f"{stages[fmt]['read_submission_s'] / whole[f'limit-{fmt}']['read_s']:.2f}x; whole wsw score / "
                  f"(bare read + scoring pass) = {whole[fmt]['wall_s'] / bare:.1f}x")
        if "nervaluate" not in whole:
            continue
        ref = whole["nervaluate"]
        print(f"  targets at whole process: >= 8x faster than nervaluate: JSONL "
              f"{ref['wall_s'] / whole['jsonl']['wall_s']:.1f}x, Parquet {ref['wall_s'] / whole['parquet']['wall_s']:.1f}x "
              f"(in CPU time {ref['cpu_s'] / whole['jsonl']['cpu_s']:.1f}x, {ref['cpu_s'] / whole['parquet']['cpu_s']:.1f}x); "
              f"peak memory <= 0.25 of nervaluate's: JSONL {whole['jsonl']['peak_rss_mb'] / ref['peak_rss_mb']:.2f}, "
              f"Parquet {whole['parquet']['peak_rss_mb'] / ref['peak_rss_mb']:.2f}")
        print(f"  scoring alone: nervaluate evaluate / our entities = {ref['evaluate_s'] / ours['entities_s']:.1f}x "
              f"(target >= 20x); / our full pass = {ref['evaluate_s'] / ours['pass_s']:.1f}x")
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
