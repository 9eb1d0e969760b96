"""Triggers of the `release` rules: building, verifying and rehydrating a dataset release.

One small release (the release tests' fixture corpus with its disagreement data) is built once and copied
for the triggers that need a release folder; each trigger breaks one thing and runs the real checker.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from whosaidwhat.core.problems import ProblemError

_BUILT: dict[str, Path] = {}


def _rules(problems) -> list[str]:
    return [p.rule for p in problems]


def _raised(call) -> list[str]:
    try:
        call()
    except ProblemError as exc:
        return exc.rules
    return []


def _built(request) -> tuple[Path, Path]:
    """(corpus, release), built once per test session."""
    if "release" not in _BUILT:
        from tests.release.conftest import fixture_documents, write_corpus, write_study
        from whosaidwhat.release.build import build_release

        root = request.getfixturevalue("tmp_path_factory").mktemp("rel-triggers")
        docs = fixture_documents()
        corpus = write_corpus(root / "corpus", docs)
        write_study(corpus, docs)
        build_release(corpus, root / "release", workers=1)
        _BUILT.update(corpus=corpus, release=root / "release")
    return _BUILT["corpus"], _BUILT["release"]


def _copy(tmp_path, request) -> tuple[Path, dict]:
    release = tmp_path / "release"
    shutil.copytree(_built(request)[1], release)
    return release, json.loads((release / "release.json").read_text(encoding="utf-8"))


def _corpus(tmp_path, splits: dict, docs: tuple[str, ...] = ()) -> Path:
    (tmp_path / "documents").mkdir()
    for doc_id in docs:
        (tmp_path / "documents" / f"{doc_id}.json").write_text("{}")
    (tmp_path / "splits.json").write_text(json.dumps({"splits": splits}))
    return tmp_path


def _plan(tmp_path, splits: dict, docs: tuple[str, ...] = ()) -> list[str]:
    from whosaidwhat.release.corpus import plan_corpus

    return _raised(lambda: plan_corpus(_corpus(tmp_path, splits, docs)))


def _study(tmp_path, write, owner: dict | None = None) -> list[str]:
    from whosaidwhat.core.inventory import load_inventory
    from whosaidwhat.release.study import StudySources, build_study

    campaign = tmp_path / "campaign"
    (campaign / "decisions").mkdir(parents=True)
    (tmp_path / "corpus").mkdir()
    write(tmp_path / "corpus", campaign)
    sources = StudySources(tmp_path / "corpus", campaign, owner or {}, frozenset())
    (tmp_path / "out").mkdir()
    build_study(tmp_path / "out", sources, load_inventory())
    return _rules(sources.problems)


def _unknown_doc(corpus: Path, campaign: Path) -> None:
    (corpus / "annotations" / "pass-a").mkdir(parents=True)
    (corpus / "annotations" / "pass-a" / "nowhere.json").write_text("{}")


def _malformed(corpus: Path, campaign: Path) -> None:
    (campaign / "decisions" / "a.json").write_text(json.dumps({"doc_id": "a", "conflicts": [{"id": "k1"}]}))


def _duplicate(corpus: Path, campaign: Path) -> None:
    entry = {"doc_id": "a", "item": "c1", "field": "check_worthy", "from": False, "to": True}
    (campaign / "corrections.json").write_text(json.dumps({"by": None, "corrections": [entry, entry]}))


def _busy(tmp_path, request) -> list[str]:
    from whosaidwhat.release.target import target_lock

    with target_lock(tmp_path / "out"):
        def again():
            with target_lock(tmp_path / "out"):
                pass
        return _raised(again)


def _version(tmp_path, request) -> list[str]:
    from whosaidwhat.release.build import build_release

    return _raised(lambda: build_release(_built(request)[0], tmp_path / "out", version="9.9.9"))


def _stale(tmp_path, request) -> list[str]:
    from tests.rules.triggers_files import _cli

    (tmp_path / "DATASHEET.md").write_text("# by hand\n")
    return _cli(request, "release", "--datasheet", tmp_path / "DATASHEET.md", "--check", "--corpus", _built(request)[0])


def _manifest(tmp_path, content: str) -> list[str]:
    from whosaidwhat.release.manifest import load_manifest

    (tmp_path / "release.json").write_text(content)
    return _rules(load_manifest(tmp_path)[1])


def _sums(tmp_path, files: dict[str, str], sums: str) -> list[str]:
    from whosaidwhat.release.checksums import check_sums

    for name, content in files.items():
        (tmp_path / name).write_text(content)
    (tmp_path / "SHA256SUMS").write_text(sums)
    return _rules(check_sums(tmp_path))


def _files(tmp_path, request, change) -> list[str]:
    from whosaidwhat.release.verify import check_files

    release, manifest = _copy(tmp_path, request)
    change(release, manifest)
    return _rules(check_files(release, manifest))


def _config_missing(release: Path, manifest: dict) -> None:
    del manifest["configs"]["decisions"]
    shutil.rmtree(release / "data" / "decisions")


def _shard_name(release: Path, manifest: dict) -> None:
    item = manifest["configs"]["mentions"]["train"]["files"][0]
    (release / item["path"]).rename(release / "data/mentions/train.parquet")
    item["path"] = "data/mentions/train.parquet"


def _unreadable(release: Path, manifest: dict) -> None:
    (release / manifest["configs"]["quotes"]["train"]["files"][0]["path"]).write_bytes(b"not parquet at all")


def _schema(release: Path, manifest: dict) -> None:
    item = manifest["configs"]["quotes"]["train"]["files"][0]
    pq.write_table(pa.table({"x": list(range(item["num_rows"]))}), release / item["path"])


def _row_count(release: Path, manifest: dict) -> None:
    manifest["configs"]["claims"]["test"]["files"][0]["num_rows"] += 1


def _card(tmp_path, request, change) -> list[str]:
    from whosaidwhat.release.verify import check_card

    release, manifest = _copy(tmp_path, request)
    change(release / "README.md")
    return _rules(check_card(release, manifest))


def _croissant_records(tmp_path, request) -> list[str]:
    from whosaidwhat.release.verify import read_through_croissant

    release, _ = _copy(tmp_path, request)
    return _rules(read_through_croissant(release / "croissant.json", {"producers": ["no/such/row"]}))


def _row_run(tmp_path, request, change, split: str = "train", seen: set | None = None) -> list[str]:
    from whosaidwhat.core.inventory import parse_inventory
    from whosaidwhat.release.features import DOCUMENT_CONFIGS
    from whosaidwhat.release.verify import check_row_run

    release, manifest = _copy(tmp_path, request)
    change(release)
    files = {c: [item["path"] for item in manifest["configs"][c][split]["files"]] for c in DOCUMENT_CONFIGS}
    return _rules(check_row_run(release, files, parse_inventory(manifest["inventory"]), split, seen=seen))


def _rewrite(path: Path, change) -> None:
    table = pq.read_table(path)
    rows = table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema.remove_metadata()), path)


def _duplicate_id(tmp_path, request) -> list[str]:
    first = pq.read_table(_built(request)[1] / "data/documents/train-00000-of-00001.parquet").column("id")[0].as_py()
    return _row_run(tmp_path, request, lambda release: None, seen={first})


def _split_column(tmp_path, request) -> list[str]:
    from whosaidwhat.core.inventory import parse_inventory
    from whosaidwhat.release.verify import _document_row_problems

    release, manifest = _copy(tmp_path, request)
    path = release / "data/documents/train-00000-of-00001.parquet"
    row = pq.read_table(path).to_pylist()[0]
    doc, problems = _document_row_problems(row, (path, 0), "validation", parse_inventory(manifest["inventory"]), set(),
                                           {}, frozenset())
    return _rules(problems)


def _withheld(tmp_path, request) -> list[str]:
    from whosaidwhat.release.verify import _withheld_problem

    doc = {"id": "a", "text": "leaked", "metadata": {"license": {"redistributable": False}}}
    problem = _withheld_problem(doc, (tmp_path / "x.parquet", 0), frozenset())
    return [] if problem is None else [problem.rule]


def _flat(tmp_path, request) -> list[str]:
    def change(release: Path) -> None:
        def retype(rows):
            rows[0]["type"] = "mixed" if rows[0]["type"] != "mixed" else "direct"
        _rewrite(release / "data/quotes/train-00000-of-00001.parquet", retype)
    return _row_run(tmp_path, request, change)


def _study_row(tmp_path, request) -> list[str]:
    from whosaidwhat.core.inventory import load_inventory
    from whosaidwhat.release.verify import _study_row as check

    return _rules(check("decisions", {"doc_id": "nope", "split": "train"}, (tmp_path / "x.parquet", 0), "train", {},
                        load_inventory()))


def _rehydrate_nothing(tmp_path, request) -> list[str]:
    from whosaidwhat.release.rehydrate import rehydrate_release

    return _raised(lambda: rehydrate_release(_built(request)[1], [], tmp_path / "full"))


def _rehydrate_copy(tmp_path, request) -> list[str]:
    from whosaidwhat.release.rehydrate import Withheld, match_copies

    (tmp_path / "other.txt").write_text("Some other article.")
    return _raised(lambda: match_copies([tmp_path / "other.txt"], {"a": Withheld("a", "0" * 64, None, {})}))


def _unstorable(tmp_path, request) -> list[str]:
    from whosaidwhat.release.build import unstorable

    return _rules(unstorable([{"id": "a", "text": 5}], [tmp_path / "a.json"]))


def _metadata(tmp_path, request) -> list[str]:
    from whosaidwhat.release.metadata import check_dataset_metadata

    return _raised(lambda: check_dataset_metadata({"name": "x"}, "dataset.json"))


def _card_config(card: Path) -> None:
    card.write_text(re.sub(r"num_examples: (\d+)", lambda m: f"num_examples: {int(m.group(1)) + 1}",
                           card.read_text(encoding="utf-8"), count=1), encoding="utf-8")


TRIGGERS = {
    "REL-CORPUS-LAYOUT": lambda tmp_path, request: _raised(
        lambda: __import__("whosaidwhat.release.corpus", fromlist=["plan_corpus"]).plan_corpus(tmp_path)),
    "REL-SPLITS-SHAPE": lambda tmp_path, request: _plan(tmp_path, {"train": [1]}),
    "REL-SPLITS-DUPLICATE": lambda tmp_path, request: _plan(tmp_path, {"train": ["a"], "test": ["a"]}, ("a",)),
    "REL-SPLITS-NO-FILE": lambda tmp_path, request: _plan(tmp_path, {"train": ["zz"]}),
    "REL-SPLITS-UNASSIGNED": lambda tmp_path, request: _plan(tmp_path, {}, ("a",)),
    "REL-METADATA": _metadata,
    "REL-VERSION-MISMATCH": _version,
    "REL-UNSTORABLE": _unstorable,
    "REL-STUDY-UNKNOWN-DOC": lambda tmp_path, request: _study(tmp_path, _unknown_doc),
    "REL-STUDY-MALFORMED": lambda tmp_path, request: _study(tmp_path, _malformed, {"a": "train"}),
    "REL-STUDY-DUPLICATE": lambda tmp_path, request: _study(tmp_path, _duplicate, {"a": "train"}),
    "REL-OUT-BUSY": _busy,
    "REL-DATASHEET-STALE": _stale,
    "REL-NOT-RELEASE": lambda tmp_path, request: _rules(
        __import__("whosaidwhat.release.manifest", fromlist=["load_manifest"]).load_manifest(tmp_path)[1]),
    "REL-FORMAT-VERSION": lambda tmp_path, request: _manifest(tmp_path, '{"format_version": "9.0"}'),
    "REL-MANIFEST-SHAPE": lambda tmp_path, request: _manifest(tmp_path, '{"format_version": "1.2", "configs": {}}'),
    "REL-CONFIG-MISSING": lambda tmp_path, request: _files(tmp_path, request, _config_missing),
    "REL-SUMS": lambda tmp_path, request: _sums(tmp_path, {}, "not a checksum line\n"),
    "REL-SUMS-MISMATCH": lambda tmp_path, request: _sums(tmp_path, {"a": "x"}, "0" * 64 + "  a\n"),
    "REL-FILE-MISSING": lambda tmp_path, request: _sums(tmp_path, {}, "0" * 64 + "  b\n"),
    "REL-FILE-UNLISTED": lambda tmp_path, request: _sums(tmp_path, {"a": "x"}, ""),
    "REL-SHARD-NAME": lambda tmp_path, request: _files(tmp_path, request, _shard_name),
    "REL-PARQUET-UNREADABLE": lambda tmp_path, request: _files(tmp_path, request, _unreadable),
    "REL-PARQUET-SCHEMA": lambda tmp_path, request: _files(tmp_path, request, _schema),
    "REL-ROW-COUNT": lambda tmp_path, request: _files(tmp_path, request, _row_count),
    "REL-CARD": lambda tmp_path, request: _card(tmp_path, request, lambda card: card.unlink()),
    "REL-CARD-CONFIG": lambda tmp_path, request: _card(tmp_path, request, _card_config),
    "REL-CROISSANT": lambda tmp_path, request: _rules(
        __import__("whosaidwhat.release.verify", fromlist=["check_croissant"]).check_croissant(tmp_path)),
    "REL-CROISSANT-RECORDS": _croissant_records,
    "REL-ROW-MALFORMED": lambda tmp_path, request: _rules(
        __import__("whosaidwhat.release.verify", fromlist=["_document_row_problems"])._document_row_problems(
            {"id": "x"}, (tmp_path / "x.parquet", 0), "train", None, set(), {}, frozenset())[1]),
    "REL-ROW-DUPLICATE": _duplicate_id,
    "REL-ROW-SPLIT": _split_column,
    "REL-TEXT-WITHHELD": _withheld,
    "REL-FLAT-MISMATCH": _flat,
    "REL-STUDY-ROW": _study_row,
    "REL-REHYDRATE-NOTHING": _rehydrate_nothing,
    "REL-REHYDRATE-COPY": _rehydrate_copy,
}
