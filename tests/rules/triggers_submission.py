"""Triggers of the `submission` rules: `wsw score` on a one-document gold folder and a bad submission."""

from __future__ import annotations

import json
import re

from tests.scoring.helpers import load_fixture, write_corpus
from whosaidwhat.scoring import submission_line


def _score(tmp_path, request, lines: list[str] | None, name: str = "pred.jsonl") -> list[str]:
    from whosaidwhat.cli import main

    gold = write_corpus(tmp_path / "gold", [load_fixture()])
    pred = tmp_path / name
    pred.write_text("".join(line + "\n" for line in lines or []), encoding="utf-8")
    capsys = request.getfixturevalue("capsys")
    main(["score", "--gold", str(gold), "--pred", str(pred), "--resamples", "0"])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _line(**changes) -> str:
    return json.dumps({**submission_line(load_fixture()), **changes}, ensure_ascii=False)


TRIGGERS = {
    "SUB-FILE": lambda tmp_path, request: _score(tmp_path, request, ["id"], name="pred.csv"),
    "SUB-EMPTY": lambda tmp_path, request: _score(tmp_path, request, []),
    "SUB-DOC-UNKNOWN": lambda tmp_path, request: _score(tmp_path, request, [_line(id="no-such-document")]),
    "SUB-TEXT-HASH": lambda tmp_path, request: _score(tmp_path, request, [_line(text_sha256="0" * 64)]),
}
