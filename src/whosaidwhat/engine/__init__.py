"""Running `wsw predict`, `wsw validate` and `wsw score` on more than one machine (Dask).

`--engine local` (the default) is the code every command has always run, in one process.
`--engine dask` splits the same work by input shard and runs it on a Dask cluster: the one at
`--scheduler ADDRESS`, or a `LocalCluster` of `--workers N` processes on 127.0.0.1. Each task
reads its own shard (a JSONL file, a group of document files, a Parquet row group of a release,
a line-aligned byte range or row groups of a submission) and returns a mergeable piece: the ids it
saw and the problems it found, per-document counts, the name of the shard file it wrote. The
client merges the pieces in input order, so the results are the local engine's:

* predictions byte-identical (parts concatenated; Parquet re-grouped into the same row groups);
* the same problems in the same order, with the same file names and line numbers;
* scores identical to the last digit, bootstrap intervals included: per-document counts are
  collected in gold id order and resampled on the client with the same seeded draws
  (eval/METRICS.md section 6).

Dask is optional (`pip install 'whosaidwhat[dask]'`); nothing here imports it until a command
runs with `--engine dask`. Modules: `options` (the CLI options), `cluster` (connecting, running
tasks in order with a progress bar, turning cluster failures into one line), `shards` (splitting
inputs), `paths` (absolute paths for workers, the paths the user gave for messages), and one
module per command (`predict`, `validate`, `score`).
"""

from __future__ import annotations

from .options import EngineChoice, choose_engine, engine_options
from .paths import local_path

__all__ = ["EngineChoice", "choose_engine", "engine_options", "local_path"]
