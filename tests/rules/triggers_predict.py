"""Triggers of the `predict` rules: `wsw predict`/`train`/`stats`, the systems, `whosaidwhat.data`, the Dask engine.

Each builds the smallest bad input and runs the real checker (or command); none starts a Dask cluster:
the engine's failure paths are driven with stand-ins for the client, the future or the module.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from whosaidwhat.core.problems import ProblemError

from ..conftest import FIXTURES, REPO

EXAMPLE_GOLD = REPO / "eval" / "submissions" / "example" / "gold"
DOC = FIXTURES / "valid" / "mini-unicode.json"


def _rules(fn, *args, **kwargs) -> list[str]:
    """The rule ids of the ProblemError `fn(*args)` raises (iterators are drained), [] when it raises none."""
    try:
        result = fn(*args, **kwargs)
        if hasattr(result, "__next__"):
            list(result)
    except ProblemError as exc:
        return exc.rules
    return []


def _cli(request, *argv) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    main([str(a) for a in argv])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _corpus(tmp_path: Path, docs: dict[str, dict], splits: dict[str, list[str]]) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    for doc_id, doc in docs.items():
        (corpus / "documents" / f"{doc_id}.json").write_text(json.dumps(doc), encoding="utf-8")
    (corpus / "splits.json").write_text(json.dumps({"version": "1", "rationale": "t", "splits": splits}),
                                        encoding="utf-8")
    return corpus


# -- predict ------------------------------------------------------------------------------------------

def _pattern(tmp_path, request):
    from whosaidwhat.engine.predict import pattern_parts

    return _rules(pattern_parts, tmp_path / "pred-*-*.jsonl")


def _needs_canonical(tmp_path, request):
    from whosaidwhat.systems.documents import predicted_document
    from whosaidwhat.systems.rules import RulesSystem

    return _rules(predicted_document, {"id": "x", "text": "Some text."}, {"id": "x"}, RulesSystem())


def _check(doc):
    from whosaidwhat.systems.inputs import check_document

    return _rules(check_document, doc, "x.json")


def _duplicate(tmp_path, request):
    from whosaidwhat.systems.inputs import iter_input_documents

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(DOC, tmp_path / name / DOC.name)
    return _rules(iter_input_documents, [tmp_path / "a", tmp_path / "b"])


def _all_withheld(tmp_path, request):
    from whosaidwhat.systems.inputs import InputDocument
    from whosaidwhat.systems.rules import RulesSystem
    from whosaidwhat.systems.runner import predict_file

    return _rules(predict_file, RulesSystem(), [InputDocument("x.json", {"id": "x", "text": None})], tmp_path / "p.jsonl")


def _parquet(tmp_path, request):
    from whosaidwhat.engine.paths import FileRef
    from whosaidwhat.engine.predict import _release_rows

    (tmp_path / "documents-0.parquet").write_bytes(b"PAR1 not really")
    return _rules(_release_rows, FileRef.of(tmp_path / "documents-0.parquet"), (0,))


def _empty_folder(tmp_path, request):
    (tmp_path / "empty").mkdir()
    return _cli(request, "predict", "--system", "rules", tmp_path / "empty", "--out", tmp_path / "p.jsonl")


# -- systems ------------------------------------------------------------------------------------------

def _broken_system(tmp_path, request):
    from importlib import metadata

    from whosaidwhat.systems import registry

    monkeypatch = request.getfixturevalue("monkeypatch")
    fake = metadata.EntryPoint(name="not-a-system", value="builtins:object", group=registry.GROUP)
    monkeypatch.setattr(registry, "_entry_points", lambda: [fake])
    return _rules(registry.load_system, "not-a-system")


def _system_line(tmp_path, request):
    from whosaidwhat.systems.runner import check_line

    document = json.loads(DOC.read_text(encoding="utf-8"))
    return _rules(check_line, {"id": "another-document"}, document, "x.json", "fixture")


def _model_missing(tmp_path, request):
    from whosaidwhat.systems.trained import TrainedSystem

    return _rules(TrainedSystem, tmp_path / "nowhere")


def _model_format(tmp_path, request):
    from whosaidwhat.systems.gazetteer import load_gazetteer

    (tmp_path / "g.json").write_text('{"format": "something-else"}', encoding="utf-8")
    return _rules(load_gazetteer, tmp_path / "g.json")


def _train_split(tmp_path, request):
    from whosaidwhat.systems.gazetteer import build_from_corpus

    return _rules(build_from_corpus, _corpus(tmp_path, {}, {"train": []}), "nope")


def _train_empty(tmp_path, request):
    from whosaidwhat.systems.trained import _train_documents

    doc = {"id": "d", "text": "Text.", "provenance": {"layers": {"mentions": {"status": "absent"}}}}
    return _rules(_train_documents, _corpus(tmp_path, {"d": doc}, {"train": ["d"]}), None)


def _readme(tmp_path, request):
    from whosaidwhat.systems.baselines import update_readme

    (tmp_path / "README.md").write_text("# no table here\n", encoding="utf-8")
    return _rules(update_readme, tmp_path / "README.md", tmp_path)


# -- stats and whosaidwhat.data -----------------------------------------------------------------------

def _stats_empty(tmp_path, request):
    (tmp_path / "documents").mkdir()
    return _cli(request, "stats", tmp_path)


def _stats_not_document(tmp_path, request):
    from whosaidwhat.stats import iter_corpus_documents

    corpus = _corpus(tmp_path, {"a": {"title": "no id"}}, {})
    return _rules(iter_corpus_documents, corpus)


def _data(name, *args):
    def trigger(tmp_path, request):
        import whosaidwhat.data

        return _rules(getattr(whosaidwhat.data, name), tmp_path, *args)
    return trigger


# -- the Dask engine ----------------------------------------------------------------------------------

def _dask_missing(tmp_path, request):
    import sys

    from whosaidwhat.engine import cluster

    request.getfixturevalue("monkeypatch").setitem(sys.modules, "distributed", None)
    return _rules(cluster._import_distributed)


def _connect(tmp_path, request):
    import distributed

    from whosaidwhat.engine import cluster
    from whosaidwhat.engine.options import EngineChoice

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    request.getfixturevalue("monkeypatch").setattr(distributed, "Client", refuse)
    return _rules(cluster._client, EngineChoice("dask", "tcp://127.0.0.1:9"))


def _worker_setup(tmp_path, request):
    from whosaidwhat.engine import cluster
    from whosaidwhat.engine.options import EngineChoice

    class Client:
        def wait_for_workers(self, n, timeout):
            return None

        def run(self, fn):
            return {"tcp://127.0.0.1:1": {"whosaidwhat": "0.0.0-other", "python": "3", "pid": 1}}

    return _rules(cluster._check_workers, Client(), EngineChoice("dask", "tcp://127.0.0.1:9"))


def _failing_future(error):
    def trigger(tmp_path, request):
        from whosaidwhat.engine.cluster import Session

        class Future:
            def result(self):
                raise error()

        session = Session(client=None, cluster=None, address="tcp://127.0.0.1:9", workers=1, dashboard=None)
        return _rules(session._result, Future(), "shard 0")
    return trigger


def _killed():
    from distributed import KilledWorker

    return KilledWorker("task-0", None, 3)


def _cancelled():
    import concurrent.futures

    return concurrent.futures.CancelledError()


def _merge(tmp_path, request):
    from whosaidwhat.engine.score import _merge_counts

    return _rules(_merge_counts, [], ["doc-a"])


def _url(tmp_path, request):
    return _cli(request, "predict", "--system", "rules", "s3://bucket/crawl/", "--out", tmp_path / "p.jsonl")


TRIGGERS = {
    "PRED-ARGUMENT-MISSING": lambda tmp_path, request: _cli(request, "predict", "--system", "rules", DOC),
    "PRED-OUT-FORMAT": lambda tmp_path, request: _cli(request, "predict", "--system", "rules", DOC,
                                                      "--out", tmp_path / "p.txt"),
    "PRED-OUT-PATH": lambda tmp_path, request: _cli(request, "predict", "--system", "rules", DOC, "--out", tmp_path),
    "PRED-OUT-PATTERN": _pattern,
    "PRED-SPLIT-UNKNOWN": lambda tmp_path, request: _cli(request, "predict", "--system", "rules", EXAMPLE_GOLD,
                                                         "--split", "nope", "--out", tmp_path / "p.jsonl"),
    "PRED-SPLIT-NEEDS-CORPUS": lambda tmp_path, request: _cli(request, "predict", "--system", "rules", DOC,
                                                              "--split", "test", "--out", tmp_path / "p.jsonl"),
    "PRED-NO-DOCUMENTS": _empty_folder,
    "PRED-DOCUMENTS-NEED-CANONICAL": _needs_canonical,
    "PRED-INPUT-ID": lambda tmp_path, request: _check({"id": "Not An Id", "text": "x"}),
    "PRED-INPUT-TEXT": lambda tmp_path, request: _check({"id": "x", "text": 5}),
    "PRED-DOC-DUPLICATE": _duplicate,
    "PRED-ALL-WITHHELD": _all_withheld,
    "PRED-PARQUET": _parquet,
    "PRED-OUT-WRITE": lambda tmp_path, request: _cli(request, "predict", "--system", "rules", DOC,
                                                     "--out", "/proc/wsw-no-such/p.jsonl"),
    "SYS-UNKNOWN": lambda tmp_path, request: _cli(request, "predict", "--system", "no-such-system", DOC,
                                                  "--out", tmp_path / "p.jsonl"),
    "SYS-OPTION": lambda tmp_path, request: _cli(request, "predict", "--system", "rules", "--option", "colour=red", DOC,
                                                 "--out", tmp_path / "p.jsonl"),
    "SYS-BROKEN": _broken_system,
    "SYS-LINE": _system_line,
    "SYS-MODEL-MISSING": _model_missing,
    "SYS-MODEL-FORMAT": _model_format,
    "SYS-TRAIN-SPLIT": _train_split,
    "SYS-TRAIN-EMPTY": _train_empty,
    "SYS-README-TABLE": _readme,
    "STATS-NO-DOCUMENTS": _stats_empty,
    "STATS-NOT-DOCUMENT": _stats_not_document,
    "DATA-UNKNOWN": _data("load", "no-such-config"),
    "DATA-NOT-VERIFIED": _data("load"),
    "DATA-NOT-RELEASE": _data("counts"),
    "ENGINE-DASK-MISSING": _dask_missing,
    "ENGINE-URL": _url,
    "ENGINE-CONNECT": _connect,
    "ENGINE-WORKER-SETUP": _worker_setup,
    "ENGINE-WORKER-DIED": _failing_future(_killed),
    "ENGINE-LOST": _failing_future(_cancelled),
    "ENGINE-MERGE": _merge,
}
