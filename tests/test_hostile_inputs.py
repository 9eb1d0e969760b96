"""Faults an independent review found after the rule registry landed: each gives one line with its rule, nothing lost."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from .conftest import REPO, run_wsw

EXAMPLE = REPO / "eval" / "submissions" / "example"


def one_error(result, code: int, rule: str) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"[{rule}]" in lines[0], result.stderr
    return lines[0]


@pytest.mark.parametrize("option", ["--span-overlap", "--entity-overlap", "--confidence"])
def test_nan_in_a_decimal_option_is_refused(option):
    one_error(run_wsw("score", "--pred", str(EXAMPLE / "pred.jsonl"), "--gold", str(EXAMPLE / "gold"), option, "nan"),
              2, "OPTION-INVALID")


def test_a_submission_file_name_that_is_not_utf8_is_scored_and_written_with_the_name_escaped(tmp_path):
    pred = os.fsencode(tmp_path) + b"/pred\xfe.jsonl"
    shutil.copy(EXAMPLE / "pred.jsonl", os.fsdecode(pred))
    out = tmp_path / "result.json"
    result = run_wsw("score", "--pred", os.fsdecode(pred), "--gold", str(EXAMPLE / "gold"), "--resamples", "0",
                     "--out", str(out), env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"})
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["submission"]["path"].endswith("pred\\xfe.jsonl")


def test_convert_out_dot_holding_the_export_is_refused_and_the_export_survives(tmp_path):
    (tmp_path / "export.json").write_text("[]", encoding="utf-8")
    one_error(run_wsw("labelstudio", "convert", "export.json", "--out", ".", cwd=tmp_path), 2, "OUT-OVERLAPS-INPUT")
    assert (tmp_path / "export.json").read_text(encoding="utf-8") == "[]"


@pytest.mark.parametrize("name", ["splits.json", "dataset.json"])
def test_the_datasheet_is_never_written_over_a_corpus_file(tmp_path, name):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus, ignore=shutil.ignore_patterns("documents", "annotations", "raw"))
    before = (corpus / name).read_bytes()
    one_error(run_wsw("release", "--corpus", str(corpus), "--datasheet", str(corpus / name)), 2, "OUT-OVERLAPS-INPUT")
    assert (corpus / name).read_bytes() == before


def test_a_release_folder_whose_name_is_not_utf8_is_refused_before_anything_is_built(tmp_path):
    out = os.fsdecode(os.fsencode(tmp_path) + b"/rel\xff")
    one_error(run_wsw("release", "--corpus", str(REPO / "corpus"), "--out", out), 2, "OPTION-INVALID")
    assert os.listdir(tmp_path) == []


def test_a_million_character_key_is_cut_in_the_one_line_report(tmp_path):
    line = (EXAMPLE / "pred.jsonl").read_text(encoding="utf-8").replace('{"id"', '{"' + "k" * 10**6 + '": 1, "id"', 1)
    pred = tmp_path / "pred.jsonl"
    pred.write_text(line, encoding="utf-8")
    result = run_wsw("score", "--pred", str(pred), "--gold", str(EXAMPLE / "gold"), "--resamples", "0")
    assert result.returncode == 1 and "[SCHEMA]" in result.stderr and len(result.stderr) < 5000, len(result.stderr)


@pytest.mark.parametrize("argv", [("score", "--resamples", "abc", "--pred", "x"), ("score", "--no-such-option"),
                                  ("validate",), ("no-such-command",)])
def test_the_command_line_parser_s_own_refusals_are_one_line_with_a_rule(argv):
    line = one_error(run_wsw(*argv), 2, "OPTION-INVALID")
    assert line.startswith("wsw: error: [OPTION-INVALID] ") and "--help" in line
