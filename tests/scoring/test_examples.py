"""The examples in eval/submissions/README.md run as written."""

from __future__ import annotations

import json
import re
import shlex

from whosaidwhat.cli import main
from whosaidwhat.scoring import ScoreSettings, score_submission

from .helpers import REPO, write_jsonl

README = (REPO / "eval" / "submissions" / "README.md").read_text(encoding="utf-8")
EXAMPLE = REPO / "eval" / "submissions" / "example"


def test_the_score_command_of_the_readme_runs(capsys, monkeypatch):
    command = re.search(r"```sh\n(wsw score [^\n]+)\n```", README).group(1)
    monkeypatch.chdir(REPO)
    assert main(shlex.split(command)[1:] + ["--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "eval/submissions/example/pred.jsonl" in out and "Headline" in out


def test_the_example_submission_shows_the_mistakes_the_readme_describes():
    result = score_submission(EXAMPLE / "gold", EXAMPLE / "pred.jsonl", ScoreSettings(resamples=10))
    strict = result["entities"]["schemes"]["strict"]
    assert (strict["COR"], strict["INC"], strict["SPU"]) == (2, 1, 1)   # Acme Corp as PER, a spurious EVENT
    quotes = result["quotes"]["counts"]
    assert (quotes["matched"], quotes["exact"], quotes["source_ok"], quotes["label_ok"]) == (3, 2, 2, 2)
    assert (quotes["cue.gold"], quotes["cue.pred"]) == (3, 2)
    assert any("intervals" in note for note in result["notes"])


def test_the_json_line_of_the_readme_is_a_valid_submission(tmp_path):
    block = re.search(r"```json\n(.*?)\n```", README, re.S).group(1)
    line = json.loads(block)
    result = score_submission(EXAMPLE / "gold", write_jsonl(tmp_path / "p.jsonl", [line]), ScoreSettings(resamples=0))
    assert result["submission"]["documents_scored"] == 1
    assert result["quotes"]["counts"]["matched"] == 1
