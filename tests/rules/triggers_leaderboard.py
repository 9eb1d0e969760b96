"""Triggers of the `leaderboard` rules: system folders, cards, predictions files, scoring, the Codabench bundle."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from whosaidwhat.core.problems import ProblemError

from ..leaderboard.helpers import card, make_gold, perfect_lines, write_system

SPLIT = "test"


def _cli(request, *argv) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    main([str(a) for a in argv])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _discovered(paths: list[Path], **options) -> list[str]:
    """The rules of every problem (refusals, skips and warnings) of the system folders under `paths`."""
    from whosaidwhat.leaderboard.entries import discover

    return [rule for entry in discover(paths, SPLIT, **options) for rule in entry.rules]


def _system(tmp_path: Path, name: str = "sys", card_data=None, files: dict | None = None) -> Path:
    folder = tmp_path / "subs" / name
    folder.mkdir(parents=True)
    if card_data is not None:
        (folder / "card.json").write_text(json.dumps(card_data), encoding="utf-8")
    for file, content in (files or {"test.jsonl": "{}\n"}).items():
        (folder / file).write_text(content, encoding="utf-8")
    return folder


def _card_rules(folder: Path, strict: bool = False) -> list[str]:
    from whosaidwhat.leaderboard.cards import CardError, read_card

    try:
        read = read_card(folder, strict=strict)
    except CardError as exc:
        return exc.rules
    return [w.rule for w in read.warnings]


# -- system folders -----------------------------------------------------------------------------------

def _no_card(tmp_path, request):
    _system(tmp_path, "plain")
    return _discovered([tmp_path / "subs"])


def _symlink(tmp_path, request):
    real = _system(tmp_path, "real", card("Real"))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "linked").symlink_to(real, target_is_directory=True)
    return _discovered([tmp_path / "other"])


def _bad_id(tmp_path, request):
    _system(tmp_path, "Not An Id", card("Bad"))
    return _discovered([tmp_path / "subs"])


def _duplicate_id(tmp_path, request):
    first = _system(tmp_path / "a", "same", card("First"))
    second = _system(tmp_path / "b", "same", card("Second"))
    return _discovered([first, second])


# -- cards --------------------------------------------------------------------------------------------

def _too_big(tmp_path, request):
    from whosaidwhat.leaderboard import cards

    request.getfixturevalue("monkeypatch").setattr(cards, "MAX_CARD_BYTES", 10)
    return _card_rules(_system(tmp_path, card_data=card("Big")))


def _clipped(tmp_path, request):
    return _card_rules(_system(tmp_path, card_data=card("Long", description="D" * 5000)))


# -- predictions files --------------------------------------------------------------------------------

def _split_not_named(tmp_path, request):
    _system(tmp_path, card_data=card("Dev only", predictions={"validation": "dev.jsonl"}), files={"dev.jsonl": "{}\n"})
    return _discovered([tmp_path / "subs"])


def _outside(tmp_path, request):
    _system(tmp_path, card_data=card("Outside", predictions={"test": "other/test.jsonl"}))
    return _discovered([tmp_path / "subs"])


def _none(tmp_path, request):
    _system(tmp_path, card_data=card("Nothing"), files={"notes.txt": "no predictions"})
    return _discovered([tmp_path / "subs"])


def _ambiguous(tmp_path, request):
    _system(tmp_path, card_data=card("Two"), files={"test-a.jsonl": "{}\n", "test-b.jsonl": "{}\n"})
    return _discovered([tmp_path / "subs"])


def _too_large(tmp_path, request):
    _system(tmp_path, card_data=card("Large"), files={"test.jsonl": "{}\n" * 10})
    return _discovered([tmp_path / "subs"], max_bytes=5)


# -- scoring (a tiny gold corpus) -----------------------------------------------------------------------

def _build(tmp_path: Path, lines) -> list[str]:
    """Build a site of one system predicting `lines` against a 3-document gold; every rule its entry reports."""
    from whosaidwhat.leaderboard import build_leaderboard
    from whosaidwhat.scoring.settings import ScoreSettings

    gold, _ = make_gold(tmp_path / "gold", n_test=3, n_validation=1)
    write_system(tmp_path / "subs", "sys", card("System"), lines)
    report = build_leaderboard([tmp_path / "subs"], gold, tmp_path / "site", ScoreSettings(resamples=20),
                               cache_dir=tmp_path / "cache")
    reasons = [r for entry in report.refused for r in entry["reasons"][:1]] + report.warnings
    return re.findall(r"\[(LB-[A-Z0-9-]+)\]", "\n".join(reasons))


def _docs(tmp_path: Path) -> list[dict]:
    _, docs = make_gold(tmp_path / "gold-docs", n_test=3, n_validation=1)
    return docs


def _changed(tmp_path, request):
    from whosaidwhat.leaderboard import scorer

    request.getfixturevalue("monkeypatch").setattr(scorer, "file_sha256", lambda path: "0" * 64)
    return _build(tmp_path, perfect_lines(_docs(tmp_path))[:3])


def _invalid(tmp_path, request):
    line = {"id": _docs(tmp_path)[0]["id"], "mentions": [{"id": "m1", "start": 0, "end": 10_000_000, "type": "PER"}]}
    return _build(tmp_path, [line])


def _scoring_failed(tmp_path, request):
    from whosaidwhat.leaderboard import build

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    request.getfixturevalue("monkeypatch").setattr(build, "score_entry", explode)
    return _build(tmp_path, perfect_lines(_docs(tmp_path))[:3])


def _no_gold(tmp_path, request):
    validation_only = perfect_lines(_docs(tmp_path))[3:]  # the validation document: none of the test split
    return _build(tmp_path, validation_only)


# -- the Codabench bundle -------------------------------------------------------------------------------

def _split_empty(tmp_path, request):
    from whosaidwhat.leaderboard.codabench import _phase_counts
    from whosaidwhat.scoring import open_gold

    gold, _ = make_gold(tmp_path / "gold", n_test=2, n_validation=0)
    try:
        _phase_counts(open_gold(gold), gold)
    except ProblemError as exc:
        return exc.rules
    return []


def _bundle_check(tmp_path, request):
    from whosaidwhat.leaderboard import codabench

    failed = subprocess.CompletedProcess(["score.py"], 1, "", "Traceback: the program broke")
    request.getfixturevalue("monkeypatch").setattr(codabench, "run_like_codabench", lambda *args: failed)
    try:
        codabench._check_bundle(tmp_path, {"tasks": [{"index": 0, "name": "Development"}]})
    except ProblemError as exc:
        return exc.rules
    return []


TRIGGERS = {
    "LB-NO-SUBMISSIONS": lambda tmp_path, request: _cli(request, "leaderboard", "build", "--out", tmp_path / "site"),
    "LB-NO-CARD": _no_card,
    "LB-SYMLINK": _symlink,
    "LB-SYSTEM-ID": _bad_id,
    "LB-SYSTEM-ID-DUPLICATE": _duplicate_id,
    "LB-CARD-MISSING": lambda tmp_path, request: _card_rules(_system(tmp_path)),
    "LB-CARD-TOO-BIG": _too_big,
    "LB-CARD-SCHEMA": lambda tmp_path, request: _card_rules(_system(tmp_path, card_data={"name": "Only a name"})),
    "LB-CARD-STRICT": lambda tmp_path, request: _card_rules(_system(tmp_path, card_data=card("Vague", team=...)), True),
    "LB-CARD-NOT-STATED": lambda tmp_path, request: _card_rules(_system(tmp_path, card_data=card("Vague", team=...))),
    "LB-CARD-CLIPPED": _clipped,
    "LB-PRED-SPLIT": _split_not_named,
    "LB-PRED-OUTSIDE": _outside,
    "LB-PRED-NONE": _none,
    "LB-PRED-AMBIGUOUS": _ambiguous,
    "LB-PRED-TOO-BIG": _too_large,
    "LB-PRED-CHANGED": _changed,
    "LB-SUBMISSION-INVALID": _invalid,
    "LB-SCORING-FAILED": _scoring_failed,
    "LB-PRED-NO-GOLD": _no_gold,
    "LB-SPLIT-EMPTY": _split_empty,
    "LB-BUNDLE-CHECK": _bundle_check,
}
