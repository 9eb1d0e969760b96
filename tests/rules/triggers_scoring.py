"""Triggers of the `scoring` rules: gold checked where the scorer reads it, and `wsw score`'s outputs."""

from __future__ import annotations

import copy
import json
import re

from whosaidwhat.core.inventory import load_inventory
from whosaidwhat.core.problems import ProblemError

FIXTURE = "tests/fixtures/valid/mini-unicode.json"


def _gold() -> dict:
    from pathlib import Path

    return json.loads((Path(__file__).parents[2] / FIXTURE).read_text(encoding="utf-8"))


def _rules(run) -> list[str]:
    try:
        run()
    except ProblemError as exc:
        return exc.rules
    return []


def _corpus(root, docs, splits=None):
    (root / "documents").mkdir(parents=True)
    for doc in docs:
        (root / "documents" / f"{doc['id']}.json").write_text(json.dumps(doc), encoding="utf-8")
    listed = splits if splits is not None else {"test": [d["id"] for d in docs]}
    (root / "splits.json").write_text(json.dumps({"version": "1", "splits": listed}), encoding="utf-8")
    return root


def _load(root, split="test"):
    from whosaidwhat.scoring import load_gold, open_gold

    return lambda: load_gold(open_gold(root), split, load_inventory())


def _invalid(tmp_path, request):
    from whosaidwhat.scoring import ScoreSettings, score_documents, submission_line

    gold = _gold()
    broken = copy.deepcopy(gold)
    broken["mentions"][0]["end"] = broken["mentions"][0]["start"]  # zero length
    return _rules(lambda: score_documents([broken], [submission_line(gold)], ScoreSettings(split="test", resamples=0)))


def _unlisted(tmp_path, request):
    from whosaidwhat.scoring.gold import _load_documents

    return _rules(lambda: _load_documents([("x.json", _gold())], "test", {}, load_inventory()))


def _duplicate(tmp_path, request):
    from whosaidwhat.scoring import ScoreSettings, score_documents

    gold = _gold()
    return _rules(lambda: score_documents([gold, gold], [], ScoreSettings(split="test", resamples=0)))


def _parquet(tmp_path, request):
    from whosaidwhat.scoring.gold import ReleaseGold

    folder = tmp_path / "release" / "data" / "documents"
    folder.mkdir(parents=True)
    (folder / "test-00000-of-00001.parquet").write_bytes(b"PAR1 this is not Parquet")
    return _rules(lambda: ReleaseGold(tmp_path / "release").split_ids("test"))


def _out_write(tmp_path, request):
    from whosaidwhat.cli import main
    from whosaidwhat.scoring import submission_line

    gold = _gold()
    root = _corpus(tmp_path / "gold", [gold])
    pred = tmp_path / "p.jsonl"
    pred.write_text(json.dumps(submission_line(gold)) + "\n", encoding="utf-8")
    capsys = request.getfixturevalue("capsys")
    main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0", "--out", str(tmp_path / ("x" * 300))])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


TRIGGERS = {
    "GOLD-INVALID": _invalid,
    "GOLD-LAYOUT": lambda tmp_path, request: _rules(lambda: __import__("whosaidwhat.scoring", fromlist=["open_gold"])
                                                    .open_gold(tmp_path)),
    "GOLD-SPLIT-UNKNOWN": lambda tmp_path, request: _rules(_load(_corpus(tmp_path / "g", [_gold()]), "dev")),
    "GOLD-DOC-MISSING": lambda tmp_path, request: _rules(_load(_corpus(tmp_path / "g", [], {"test": ["absent"]}))),
    "GOLD-DOC-UNLISTED": _unlisted,
    "GOLD-DOC-DUPLICATE": _duplicate,
    "GOLD-PARQUET": _parquet,
    "SCORE-OUT-WRITE": _out_write,
}
