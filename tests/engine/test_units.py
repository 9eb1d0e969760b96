"""The engine's pure parts, without a cluster: URLs of paths, shard numbering, failures carried back from workers."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from whosaidwhat.core.problems import Problem, ProblemError
from whosaidwhat.engine.failure import Failure
from whosaidwhat.engine.paths import local_path
from whosaidwhat.engine.shards import document_shards

from ..conftest import FIXTURES


@pytest.mark.parametrize("given, path", [
    ("corpus/documents", Path("corpus/documents")),
    ("file:///shared/crawl%20one/", Path("/shared/crawl one/")),
    ("file://localhost/shared/x.jsonl", Path("/shared/x.jsonl")),
])
def test_local_paths_and_file_urls_name_local_files(given, path):
    assert local_path(given) == path


@pytest.mark.parametrize("given", ["s3://bucket/crawl", "gs://b/x.jsonl", "https://example.org/x.jsonl",
                                   "file://other-host/x.jsonl", "memory://x"])
def test_other_urls_are_one_rule(given):
    with pytest.raises(ProblemError) as error:
        local_path(given, "--out")
    assert error.value.rules == ["ENGINE-URL"] and error.value.exit_code == 2


def test_shards_of_several_inputs_are_numbered_in_order(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        shutil.copy(FIXTURES / "valid" / "mini-unicode.json", tmp_path / name / f"doc-{name}.json")
    shards, _ = document_shards([tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "missing"])
    assert [s.index for s in shards] == list(range(len(shards))) and len(shards) == 4
    assert shards[-1].error is not None and shards[-1].error.rules == ["PATH-MISSING"]


def test_a_problem_error_travels_from_a_worker_as_its_problems():
    failure = Failure.of(ProblemError([Problem("PRED-INPUT-ID", "not a document id", file="x.json", path="$.id")]))
    back = pickle.loads(pickle.dumps(failure))
    with pytest.raises(ProblemError) as error:
        back.raise_()
    assert error.value.rules == ["PRED-INPUT-ID"] and error.value.problems[0].file == "x.json"
