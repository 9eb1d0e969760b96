"""Connecting to a Dask cluster and running shard tasks on it, results in input order.

`connect(choice)` gives a `Session`: a `distributed.Client` on the scheduler at `--scheduler`, or
on a `LocalCluster` (`--workers` processes of one thread each, on 127.0.0.1) that it starts and
stops. It waits (bounded) for a worker, checks that every worker runs the same whosaidwhat version
as this process, and says on standard error where the dashboard is when one runs.

`Session.run_in_order(fn, specs)` submits one task per shard and yields the results in the order
of `specs` as they complete (a result is held back until every earlier one arrived), feeding a
progress bar with every completed task. A worker that dies mid-task is replaced by Dask, which
reruns its tasks elsewhere (tasks only write files atomically, so a rerun is harmless). A task
under which `distributed.scheduler.allowed-failures` + 1 workers died (default 4), a lost
scheduler or a cancelled run become one `UserError` line; every task still pending is cancelled
and the client waits for those still running, so that none writes after it has cleaned up.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..core.problems import fail
from .options import EngineChoice

#: seconds to wait for the scheduler to answer and for a first worker to join it
CONNECT_TIMEOUT = float(os.environ.get("WSW_DASK_CONNECT_TIMEOUT", "30"))
WORKER_TIMEOUT = float(os.environ.get("WSW_DASK_WORKER_TIMEOUT", "60"))


def _import_distributed():
    try:
        import distributed  # noqa: F401
    except ImportError:
        fail("ENGINE-DASK-MISSING", "--engine dask needs Dask: pip install 'whosaidwhat[dask]' (dask and distributed), "
             "on this machine and on every worker")
    return distributed


def worker_facts() -> dict:
    """Run on each worker: what it has installed (checked against the client's)."""
    import platform

    import whosaidwhat

    return {"whosaidwhat": whosaidwhat.__version__, "python": platform.python_version(), "pid": os.getpid()}


@dataclass
class Session:
    client: Any
    cluster: Any | None      # the LocalCluster we started, or None for --scheduler
    address: str
    workers: int
    dashboard: str | None

    def run_in_order(self, fn: Callable, specs: Sequence, *common, desc: str = "shards", show: bool = False,
                     label: Callable[[int], str] | None = None) -> Iterator[tuple[int, Any]]:
        """(index, result) of `fn(spec, *common)` for every spec, in spec order; see the module docstring.

        Close the generator (`contextlib.closing`) when leaving it early: that cancels the tasks still
        pending and waits for those already running."""
        from distributed import as_completed
        from tqdm import tqdm

        token = uuid.uuid4().hex[:8]
        futures = [self.client.submit(fn, spec, *common, key=f"wsw-{desc}-{i:05d}-{token}", pure=False)
                   for i, spec in enumerate(specs)]
        position = {f.key: i for i, f in enumerate(futures)}
        arrived: dict[int, Any] = {}
        following = 0
        bar = tqdm(total=len(futures), unit="task", desc=desc, disable=not show, file=sys.stderr, smoothing=0.1)
        try:
            for future in as_completed(futures, loop=self.client.loop):
                bar.update(1)
                arrived[position[future.key]] = future
                while following in arrived:
                    done = arrived.pop(following)
                    futures[following] = None  # let Dask forget the result once it is consumed
                    yield following, self._result(done, label(following) if label else f"task {following}")
                    following += 1
        finally:
            bar.close()
            pending = [f for f in futures if f is not None and not f.done()]
            if pending:
                with contextlib.suppress(Exception):
                    self.client.cancel(pending)
                self.drain(token)

    def drain(self, token: str, timeout: float = 120) -> None:
        """Wait until no task of this run is executing any more (a cancelled task runs to its end on its
        worker: waiting for it keeps it from writing after the client has cleaned up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                running = self.client.run(_executing_keys)
            except Exception:  # the cluster is gone: nothing runs there any more
                return
            if not any(token in key for keys in running.values() for key in keys):
                return
            time.sleep(0.1)

    def _result(self, future, what: str):
        from distributed import KilledWorker
        from distributed.client import FuturesCancelledError

        try:
            return future.result()
        except KilledWorker as exc:
            try:
                times = f"{int(exc.allowed_failures) + 1} time(s)"
            except (AttributeError, IndexError, TypeError, ValueError):
                times = "more often than the scheduler allows"
            fail("ENGINE-WORKER-DIED", f"dask: the worker running {what} died {times} (killed, or out of memory?); "
                 "the run was stopped and nothing was presented as complete")
        except (FuturesCancelledError, *_cancelled_error()):  # one flat tuple: nested tuples are a TypeError
            fail("ENGINE-LOST", f"dask: {what} was cancelled (lost connection to the scheduler {self.address}?); "
                 "the run was stopped and nothing was presented as complete")
        except (OSError, TimeoutError) as exc:
            if type(exc).__module__.startswith(("distributed", "tornado")) or "comm" in type(exc).__name__.lower():
                fail("ENGINE-LOST", f"dask: lost the scheduler {self.address} while waiting for {what}; "
                     "nothing was presented as complete", found=str(exc))
            raise

    def scatter(self, value):
        """Send `value` to every worker once; pass the returned future to tasks instead of the value."""
        return self.client.scatter(value, broadcast=True, hash=False)


def _executing_keys(dask_worker) -> list[str]:
    """Run on each worker: the keys of the tasks it is executing."""
    return [str(ts.key) for ts in dask_worker.state.executing]


def _cancelled_error():
    import asyncio
    import concurrent.futures

    return (asyncio.CancelledError, concurrent.futures.CancelledError)


def _dashboard(client) -> str | None:
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:
        return None
    if "dashboard" not in services:
        return None
    with contextlib.suppress(Exception):
        return client.dashboard_link
    return None


def _quiet() -> None:
    """Dask's own log lines (a rescheduled key, a worker restarting) would drown the one line we print."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in ("distributed", "tornado", "bokeh")]
    for name in {"distributed", "tornado", "bokeh", *names}:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _client(choice: EngineChoice):
    """(client, the LocalCluster we started or None)."""
    from distributed import Client, LocalCluster

    if choice.scheduler:
        try:
            return Client(choice.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False), None
        except (OSError, TimeoutError, ValueError) as exc:
            fail("ENGINE-CONNECT", f"--scheduler {choice.scheduler}: cannot connect; is `dask scheduler` running "
                 "there and reachable from this machine?", found=str(exc))
    cluster = LocalCluster(n_workers=choice.n_local_workers(), threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
    return Client(cluster, set_as_default=False), cluster


def _check_workers(client, choice: EngineChoice) -> dict:
    """What each worker has installed, once one has joined; ProblemError when whosaidwhat cannot run there."""
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except (TimeoutError, OSError):
        fail("ENGINE-CONNECT", f"--scheduler {choice.scheduler}: no worker joined within {WORKER_TIMEOUT:.0f} s; start "
             f"workers with `dask worker {choice.scheduler}`")
    try:
        facts = client.run(worker_facts)
    except Exception as exc:  # e.g. ModuleNotFoundError: whosaidwhat is not installed on a worker
        fail("ENGINE-WORKER-SETUP", f"dask: cannot run whosaidwhat on the workers; install whosaidwhat[dask] "
             f"{__version__} on every worker", found=f"{type(exc).__name__}: {exc}")
    wrong = {w: f["whosaidwhat"] for w, f in facts.items() if f["whosaidwhat"] != __version__}
    if wrong:
        worker, version = next(iter(wrong.items()))
        fail("ENGINE-WORKER-SETUP", f"dask: worker {worker} runs another whosaidwhat; install the same version on "
             "every worker", found=version, expected=__version__)
    return facts


@contextlib.contextmanager
def connect(choice: EngineChoice, say: Callable[[str], None] | None = None) -> Iterator[Session]:
    """A Session on the chosen cluster, closed (and a LocalCluster stopped) afterwards."""
    _import_distributed()
    _quiet()
    say = say or (lambda line: print(line, file=sys.stderr, flush=True))
    started = time.perf_counter()
    client, cluster = _client(choice)
    try:
        facts = _check_workers(client, choice)
        address = client.scheduler.address
        dashboard = _dashboard(client)
        if dashboard and cluster is not None and importlib.util.find_spec("bokeh") is None:
            dashboard += " (its pages need `pip install 'bokeh>=3.1'`)"
        where = f"LocalCluster of {len(facts)} worker process(es) on 127.0.0.1" if cluster else f"{address}"
        say(f"wsw: dask: {len(facts)} worker(s) on {where} (ready in {time.perf_counter() - started:.1f} s)"
            + (f"; dashboard: {dashboard}" if dashboard else ""))
        yield Session(client, cluster, address, len(facts), dashboard)
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=10)
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close(timeout=10)
