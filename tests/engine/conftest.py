"""A real Dask cluster for the engine tests: `dask scheduler` and two `dask worker` processes on 127.0.0.1.

Started once per session as separate processes (each in its own process group, so that stopping
one also stops the worker process its nanny started), with bounded waits, and stopped at the end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO

DASK = str(Path(sys.executable).parent / "dask")
START_TIMEOUT = 90


@dataclass
class DaskCluster:
    address: str
    folder: Path
    processes: list = field(default_factory=list)

    def worker_pids(self) -> dict[str, int]:
        """Worker address -> pid of the process that runs the tasks (not its nanny)."""
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            return client.run(os.getpid)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass


def start_cluster(folder: Path, workers: int = 2, env: dict | None = None) -> DaskCluster:
    """A scheduler and `workers` worker processes; raises (after stopping them) if they do not come up in time."""
    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    # the scheduler may be handed test helpers (`client.run_on_scheduler`): it imports them from the repository
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, **(env or {})}
    processes = []

    def spawn(args: list[str], log: str) -> subprocess.Popen:
        process = subprocess.Popen([DASK, *args], stdout=open(folder / log, "wb"), stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=folder, env=env, start_new_session=True)
        processes.append(process)
        return process

    try:
        # if the session is killed before its teardown, the scheduler ends itself after 5 idle minutes
        # and the workers a minute after losing it: nothing is left running for long
        spawn(["scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", "127.0.0.1:0",
               "--scheduler-file", str(scheduler_file), "--idle-timeout", "300s"], "scheduler.log")
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.is_file() or not scheduler_file.read_text().strip():
            if time.monotonic() > deadline or processes[0].poll() is not None:
                raise RuntimeError(f"dask scheduler did not start: {(folder / 'scheduler.log').read_text()[-2000:]}")
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        for i in range(workers):
            spawn(["worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                   "--name", f"worker-{i}", "--local-directory", str(folder / f"worker-{i}"), "--death-timeout", "60s"],
                  f"worker-{i}.log")
        from distributed import Client

        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT)
        return DaskCluster(address, folder, processes)
    except BaseException:
        for process in reversed(processes):
            _stop(process)
        raise


def stop_cluster(cluster: DaskCluster) -> None:
    for process in reversed(cluster.processes):  # workers first, then the scheduler
        _stop(process)


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory):
    cluster = start_cluster(tmp_path_factory.mktemp("dask-cluster"))
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture(scope="session")
def many_documents(tmp_path_factory) -> Path:
    """720 canonical documents (the corpus's, four times under new ids) in 36 JSONL files of 20."""
    folder = tmp_path_factory.mktemp("many")
    docs = []
    for copy in range(4):
        for path in sorted((REPO / "corpus" / "documents").glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            doc["id"] = f"c{copy}-{doc['id']}"
            docs.append(doc)
    docs = docs[:720]
    inputs = folder / "inputs"
    inputs.mkdir()
    for k in range(0, len(docs), 20):
        with open(inputs / f"batch-{k // 20:03d}.jsonl", "w", encoding="utf-8") as fh:
            for doc in docs[k:k + 20]:
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return inputs


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory) -> Path:
    """A release of the bundled corpus (Parquet row groups as shards)."""
    from tests.conftest import run_wsw

    out = tmp_path_factory.mktemp("release") / "rel"
    result = run_wsw("release", "--out", out, "--quick")
    assert result.returncode == 0, result.stderr
    return out
