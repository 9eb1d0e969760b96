"""`--engine dask` against the local engine, through a real scheduler and two real worker processes.

Every test runs the real `wsw` twice, once per engine, and compares bytes: predictions files,
problem lines, score JSON (bootstrap intervals included), exit codes. Shards are made small
(environment variables read by the client) so that every input is split into many tasks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, run_wsw

SMALL_SHARDS = {"WSW_DASK_SHARD_FILES": "7", "WSW_DASK_SHARD_BYTES": "60000", "WSW_DASK_SHARD_ROWS": "9"}


def dask_args(cluster) -> list[str]:
    return ["--engine", "dask", "--scheduler", cluster.address]


def errors_of(result) -> list[str]:
    """Standard error without the line that says which cluster ran the work."""
    return [line for line in result.stderr.splitlines() if not line.startswith("wsw: dask:")]


# -- predict -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_predict_is_byte_identical_to_the_local_engine(dask_cluster, many_documents, tmp_path, suffix):
    inputs = [many_documents, REPO / "corpus" / "documents"]
    local, remote = tmp_path / f"local{suffix}", tmp_path / f"dask{suffix}"
    a = run_wsw("predict", "--system", "rules", *inputs, "--out", local, "--no-progress")
    b = run_wsw("predict", "--system", "rules", *inputs, "--out", remote, *dask_args(dask_cluster), env=SMALL_SHARDS)
    assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
    assert local.read_bytes() == remote.read_bytes()  # 900 documents: Parquet row groups span parts
    assert "900 document(s) predicted" in b.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


def test_predict_from_a_release_and_a_corpus_split(dask_cluster, release_dir, tmp_path):
    for inputs in ([release_dir], [release_dir, "--split", "test"], [REPO / "corpus", "--split", "test"]):
        local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
        a = run_wsw("predict", "--system", "rules", *inputs, "--out", local, "--no-progress")
        b = run_wsw("predict", "--system", "rules", *inputs, "--out", remote, *dask_args(dask_cluster),
                    env=SMALL_SHARDS)
        assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
        assert local.read_bytes() == remote.read_bytes()
        warnings = [[line for line in errors_of(r) if "warning" in line] for r in (a, b)]
        assert warnings[0] == warnings[1]  # the same warning about withheld texts


def test_predict_shard_pattern_writes_parts_and_a_manifest(dask_cluster, many_documents, tmp_path):
    local = tmp_path / "local.jsonl"
    assert run_wsw("predict", "--system", "rules", many_documents, "--out", local, "--no-progress").returncode == 0
    pattern = tmp_path / "silver" / "pred-*.jsonl"
    result = run_wsw("predict", "--system", "rules", many_documents, "--out", pattern, *dask_args(dask_cluster),
                     "--format", "json")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "silver" / "pred-manifest.json").read_text())
    assert manifest["documents"] == 720 and len(manifest["shards"]) == 36
    parts = [tmp_path / "silver" / s["file"] for s in manifest["shards"]]
    assert b"".join(p.read_bytes() for p in parts) == local.read_bytes()
    assert sorted(p.name for p in (tmp_path / "silver").iterdir()) == sorted([*(p.name for p in parts),
                                                                              "pred-manifest.json"])
    again = run_wsw("predict", "--system", "rules", many_documents, "--out", pattern, *dask_args(dask_cluster))
    assert again.returncode == 2 and "[OUT-EXISTS]" in errors_of(again)[0]


def test_predict_documents_folder_is_the_same(dask_cluster, tmp_path):
    for engine, extra in (("local", []), ("dask", dask_args(dask_cluster))):
        result = run_wsw("predict", "--system", "rules", REPO / "corpus" / "documents", "--out",
                         tmp_path / f"{engine}.jsonl", "--documents", tmp_path / f"docs-{engine}", *extra,
                         env=SMALL_SHARDS)
        assert result.returncode == 0, result.stderr
    local = sorted((tmp_path / "docs-local").iterdir())
    assert len(local) == 180
    for path in local:
        assert path.read_bytes() == (tmp_path / "docs-dask" / path.name).read_bytes()


def test_predict_reports_the_same_first_error_and_writes_nothing(dask_cluster, many_documents, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(many_documents, inputs)
    first = (inputs / "batch-003.jsonl").read_text(encoding="utf-8").splitlines()[4]
    with open(inputs / "batch-020.jsonl", "a", encoding="utf-8") as fh:  # a duplicate id, far from its twin
        fh.write(first + "\n")
    lines = (inputs / "batch-030.jsonl").read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7][:100]  # a broken line after it
    (inputs / "batch-030.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for broken in (True, False):
        if not broken:
            (inputs / "batch-020.jsonl").write_text("\n".join(
                (inputs / "batch-020.jsonl").read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
        out = tmp_path / "pred.parquet"
        a = run_wsw("predict", "--system", "rules", inputs, "--out", out, "--no-progress")
        b = run_wsw("predict", "--system", "rules", inputs, "--out", out, *dask_args(dask_cluster), env=SMALL_SHARDS)
        assert (a.returncode, errors_of(a)) == (b.returncode, errors_of(b))
        assert a.returncode == 1 and len(errors_of(a)) == 1
        assert ("[PRED-DOC-DUPLICATE]" in errors_of(a)[0]) is broken and "batch-0" in errors_of(a)[0]
        assert broken or "[JSON-SYNTAX]" in errors_of(a)[0]
        assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    unknown = [REPO / "corpus", "--split", "nope"]
    a = run_wsw("predict", "--system", "rules", *unknown, "--out", tmp_path / "x.jsonl")
    b = run_wsw("predict", "--system", "rules", *unknown, "--out", tmp_path / "x.jsonl", *dask_args(dask_cluster))
    assert (a.returncode, errors_of(a)) == (b.returncode, errors_of(b)) and a.returncode == 2
    assert "[PRED-SPLIT-UNKNOWN]" in errors_of(a)[0]


def test_predict_reads_file_urls_and_refuses_other_schemes(dask_cluster, many_documents, tmp_path):
    """Paths on storage every worker sees: plain paths and file:// URLs; s3:// and friends are one clear line."""
    local = tmp_path / "local.jsonl"
    assert run_wsw("predict", "--system", "rules", many_documents, "--out", local, "--no-progress").returncode == 0
    remote = tmp_path / "dask.jsonl"
    b = run_wsw("predict", "--system", "rules", many_documents.absolute().as_uri(), "--out", remote.absolute().as_uri(),
                *dask_args(dask_cluster), env=SMALL_SHARDS)
    assert b.returncode == 0, b.stderr
    assert local.read_bytes() == remote.read_bytes()
    for url in ("s3://bucket/crawl/", "gcs://bucket/crawl", "https://example.org/crawl.jsonl"):
        refused = run_wsw("predict", "--system", "rules", url, "--out", tmp_path / "x.jsonl", *dask_args(dask_cluster))
        assert refused.returncode == 2 and len(errors_of(refused)) == 1 and "[ENGINE-URL]" in errors_of(refused)[0]
        assert "Traceback" not in refused.stderr


# -- validate ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [[], ["--format", "json"], ["--max-errors", "7"], ["--max-errors", "13", "--strict"]])
def test_validate_reports_the_same_problems_in_the_same_order(dask_cluster, tmp_path, extra):
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "invalid", folder / "invalid", symlinks=True)
    shutil.copy(REPO / "corpus" / "documents" / "wns-000.json", folder / "invalid" / "dup-of-wns-000.json")
    shutil.copy(REPO / "corpus" / "documents" / "wns-000.json", folder / "wns-000.json")
    paths = [folder, REPO / "corpus"]
    a = run_wsw("validate", *paths, *extra)
    b = run_wsw("validate", *paths, *extra, *dask_args(dask_cluster), env=SMALL_SHARDS)
    assert a.returncode == b.returncode == 1
    assert a.stdout == b.stdout and a.stdout.strip()
    assert errors_of(a) == errors_of(b)


def test_validate_on_a_local_cluster(tmp_path):
    """No --scheduler: a LocalCluster of --workers processes on 127.0.0.1."""
    a = run_wsw("validate", REPO / "corpus", FIXTURES / "invalid")
    b = run_wsw("validate", REPO / "corpus", FIXTURES / "invalid", "--engine", "dask", "--workers", "2",
                env=SMALL_SHARDS)
    assert (a.returncode, a.stdout, errors_of(a)) == (b.returncode, b.stdout, errors_of(b))
    assert "LocalCluster of 2 worker process(es) on 127.0.0.1" in b.stderr


# -- score ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def predictions(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("predictions")
    out = {}
    for suffix in (".jsonl", ".parquet"):
        out[suffix] = folder / f"all{suffix}"
        result = run_wsw("predict", "--system", "rules", REPO / "corpus", "--out", out[suffix], "--no-progress")
        assert result.returncode == 0, result.stderr
    lines = out[".jsonl"].read_text(encoding="utf-8").splitlines()
    out["partial"] = folder / "partial.jsonl"
    out["partial"].write_text("\n".join(lines[::3]) + "\n", encoding="utf-8")
    test_ids = set(json.loads((REPO / "corpus" / "splits.json").read_text())["splits"]["test"])
    bad = list(lines)
    hit = [k for k, line in enumerate(bad) if json.loads(line)["id"] in test_ids]
    bad[hit[1]] = bad[hit[1]][:80]                                   # truncated line
    doc = json.loads(bad[hit[10]])
    doc["text_sha256"] = "0" * 64                                    # another text
    bad[hit[10]] = json.dumps(doc)
    doc = json.loads(bad[hit[30]])
    doc["id"] = "no-such-document"                                   # unknown id
    bad[hit[30]] = json.dumps(doc)
    bad.insert(hit[40], "")                                          # an empty line shifts the numbers
    out["bad"] = folder / "bad.jsonl"
    out["bad"].write_text("\n".join(bad) + "\n", encoding="utf-8")
    twice = list(lines) + [lines[hit[2]]]                            # the same document in two shards
    out["twice"] = folder / "twice.jsonl"
    out["twice"].write_text("\n".join(twice), encoding="utf-8")      # (and no newline at the end)
    return out


@pytest.mark.parametrize("case", [
    ("corpus", ".jsonl", []),
    ("corpus", ".parquet", ["--split", "validation", "--mention-kinds", "all"]),
    ("corpus", "partial", ["--resamples", "300", "--seed", "7"]),
    ("release", ".jsonl", []),
    ("release", "partial", ["--split", "validation"]),
    ("corpus", "bad", []),
    ("corpus", "bad", ["--max-errors", "2"]),
    ("release", "bad", []),
    ("corpus", "twice", []),
], ids=lambda c: "-".join(c[:2]) + "".join(c[2]))
def test_score_is_identical_to_the_last_digit(dask_cluster, release_dir, predictions, tmp_path, case):
    gold_kind, pred_kind, extra = case
    gold = REPO / "corpus" if gold_kind == "corpus" else release_dir
    runs = []
    for engine, flags in (("local", []), ("dask", dask_args(dask_cluster))):
        per_doc = tmp_path / f"{engine}-counts.parquet"
        result = run_wsw("score", "--gold", gold, "--pred", predictions[pred_kind], "--format", "json",
                         "--per-doc", per_doc, *extra, *flags, env=SMALL_SHARDS)
        runs.append((result.returncode, result.stdout, errors_of(result),
                     per_doc.read_bytes() if per_doc.exists() else None))
    assert runs[0] == runs[1]
    code, stdout, errors, _ = runs[0]
    if pred_kind in ("bad", "twice"):
        assert code == 1 and errors and all(e.startswith("wsw: error:") for e in errors)
    else:
        assert code == 0, errors
        assert json.loads(stdout)["headline"]["entities.strict.f1"]["ci_low"] is not None


# -- workers that die ------------------------------------------------------------------------------------

def _busy_workers(dask_scheduler) -> list[str]:
    """Run on the scheduler: workers with a task of ours in process."""
    return [address for address, ws in dask_scheduler.workers.items()
            if any(str(ts.key).startswith("wsw-") for ts in ws.processing)]


def _run_and_kill(cluster, inputs: Path, out: Path, env: dict | None = None):
    """Start a dask predict run, SIGKILL one worker process once the first part exists, return the result."""
    import subprocess
    import sys

    from distributed import Client

    pids = cluster.worker_pids()
    process = subprocess.Popen([sys.executable, "-m", "whosaidwhat.cli", "predict", "--system", "rules", str(inputs),
                                "--out", str(out), *dask_args(cluster)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    killed = False
    deadline = time.monotonic() + 120
    with Client(cluster.address, timeout=30, set_as_default=False) as client:
        while process.poll() is None and time.monotonic() < deadline:
            if not killed and any(p.name.startswith("part-") for d in out.parent.glob(f".{out.name}.parts-*")
                                  for p in d.iterdir()):
                busy = client.run_on_scheduler(_busy_workers)  # a worker that dies idle fails no task
                if busy:
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed = True
            time.sleep(0.05)
    stdout, stderr = process.communicate(timeout=120)
    assert killed, "the run ended before a worker could be killed; give it more work"
    return process.returncode, stderr


def test_a_killed_worker_has_its_task_retried(dask_cluster, many_documents, tmp_path):
    local = tmp_path / "local.jsonl"
    assert run_wsw("predict", "--system", "rules", many_documents, "--out", local, "--no-progress").returncode == 0
    code, stderr = _run_and_kill(dask_cluster, many_documents, tmp_path / "dask.jsonl")
    assert code == 0, stderr
    assert (tmp_path / "dask.jsonl").read_bytes() == local.read_bytes()
    from distributed import Client

    with Client(dask_cluster.address, timeout=30, set_as_default=False) as client:  # the nanny brought it back
        client.wait_for_workers(2, timeout=60)


def test_a_run_whose_worker_dies_fails_in_one_line_and_writes_nothing(many_documents, tmp_path):
    """With no failure allowed, a killed worker fails the run: one clear line, no file, no manifest."""
    from tests.engine.conftest import start_cluster, stop_cluster

    cluster = start_cluster(tmp_path / "cluster", env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    try:
        out = tmp_path / "out" / "pred.jsonl"
        out.parent.mkdir()
        code, stderr = _run_and_kill(cluster, many_documents, out)
    finally:
        stop_cluster(cluster)
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("wsw: dask:")]
    assert code == 1 and len(lines) == 1 and lines[0].startswith("wsw: error: [ENGINE-WORKER-DIED]"), stderr
    assert "Traceback" not in stderr
    assert list(out.parent.iterdir()) == []


# -- options ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, option", [
    (["--scheduler", "tcp://127.0.0.1:1", "--engine", "local"], "--scheduler"),
    (["--workers", "2"], "--workers"),
    (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "--workers"),
])
def test_engine_options_that_do_not_fit_together(args, option):
    baseline = REPO / "eval" / "baselines" / "rules" / "test.jsonl"
    for command in (["validate", REPO / "corpus"], ["score", "--pred", baseline]):
        result = run_wsw(*command, *args)
        assert result.returncode == 2 and f"[OPTION-INVALID] {option}" in result.stderr, result.stderr


def test_an_unreachable_scheduler_is_one_line():
    result = run_wsw("validate", REPO / "corpus", "--scheduler", "tcp://127.0.0.1:9",
                     env={"WSW_DASK_CONNECT_TIMEOUT": "3"})
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1 and "[ENGINE-CONNECT]" in lines[0], result.stderr
