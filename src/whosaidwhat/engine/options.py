"""The `--engine`, `--scheduler` and `--workers` options shared by predict, validate and score."""

from __future__ import annotations

import os
from dataclasses import dataclass

import click

from ..core.problems import fail

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class EngineChoice:
    """Where a command runs: `local` (one process) or `dask` (a scheduler address, or a LocalCluster)."""

    name: str
    scheduler: str | None = None
    workers: int | None = None

    @property
    def local(self) -> bool:
        return self.name == "local"

    def n_local_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


def engine_options(func):
    """Decorate a click command with the three engine options (engine, scheduler, workers)."""
    options = [
        click.option("--engine", type=click.Choice(ENGINES), default=None,
                     help="local: this process (default); dask: split the work by input shard over a Dask cluster "
                          "(needs `pip install 'whosaidwhat[dask]'`). Results are identical."),
        click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="Dask scheduler to run on, e.g. tcp://10.0.0.5:8786 (implies --engine dask). Without it "
                          "--engine dask starts a LocalCluster on 127.0.0.1. Paths must be visible to every worker."),
        click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Worker processes of the LocalCluster that --engine dask starts without --scheduler "
                          "(default: one per core)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def choose_engine(engine: str | None, scheduler: str | None, workers: int | None) -> EngineChoice:
    """Check the combination of the three options; OPTION-INVALID for one that makes no sense."""
    if scheduler is not None and not scheduler.strip():
        fail("OPTION-INVALID", "--scheduler: give the scheduler's address", found="an empty address",
             expected="e.g. tcp://10.0.0.5:8786")
    name = engine or ("dask" if scheduler else "local")
    if name == "local":
        if scheduler:
            fail("OPTION-INVALID", "--scheduler needs --engine dask (the local engine runs in this process)")
        if workers is not None:
            fail("OPTION-INVALID", "--workers needs --engine dask (the local engine runs in this process)")
        return EngineChoice("local")
    if scheduler and workers is not None:
        fail("OPTION-INVALID", "--workers starts a LocalCluster; with --scheduler the cluster's own workers run the tasks")
    return EngineChoice("dask", scheduler.strip() if scheduler else None, workers)
