"""Gold is checked where the scorer reads it (corpus folder, release Parquet, memory) and refused with its problems."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from whosaidwhat.cli import main
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.scoring import ScoreSettings, score_documents, score_submission, submission_line

from .helpers import load_fixture, write_corpus, write_jsonl
from .test_score import write_release

GOLD = load_fixture()
MENTION_END = GOLD["mentions"][0]["end"]

#: (id, change to the gold, document rule, JSON path the problem starts with); each was scored silently or was a
#: traceback before gold was checked (a zero-length gold span even counted as a correct ent_type match)
FAULTS = [
    ("negative-offset", lambda d: d["mentions"][0].update(start=-1), "SPAN-RANGE", "$.mentions[0]"),
    ("zero-length", lambda d: d["mentions"][0].update(end=d["mentions"][0]["start"]), "SPAN-EMPTY", "$.mentions[0]"),
    ("reversed", lambda d: d["mentions"][0].update(start=MENTION_END + 1), "SPAN-EMPTY", "$.mentions[0]"),
    ("past-the-end", lambda d: d["mentions"][0].update(end=len(d["text"]) + 5), "SPAN-RANGE", "$.mentions[0]"),
    ("negative-fragment", lambda d: d["quotes"][0]["fragments"][0].update(start=-3), "SPAN-RANGE",
     "$.quotes[0].fragments[0]"),
    ("reversed-cue", lambda d: d["quotes"][0]["cue"].update(end=d["quotes"][0]["cue"]["start"] - 1), "SPAN-EMPTY",
     "$.quotes[0].cue"),
]
IDS = [f[0] for f in FAULTS]


def _broken(change) -> dict:
    doc = copy.deepcopy(GOLD)
    change(doc)
    return doc


def _first_line(err: str) -> str:
    assert "Traceback" not in err, err
    return err.splitlines()[0]


@pytest.mark.parametrize("name, change, rule, path", FAULTS + [
    ("false-offset", lambda d: d["mentions"][0].update(start=False), "SPAN-OFFSET-TYPE", "$.mentions[0]")],
    ids=IDS + ["false-offset"])
def test_corpus_gold_breaking_a_document_rule_is_refused_with_file_id_path_and_rule(tmp_path, capsys, name, change,
                                                                                   rule, path):
    root = write_corpus(tmp_path / "gold", [_broken(change)])
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    out = tmp_path / "result.json"
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0", "--out", str(out)]) == 1
    line = _first_line(capsys.readouterr().err)
    file = root / "documents" / f"{GOLD['id']}.json"
    assert line.startswith(f"wsw: error: {file}: {GOLD['id']}: {path}"), line
    assert f"[GOLD-INVALID] gold breaks rule {rule}: " in line
    assert not out.exists()
    with pytest.raises(ProblemError) as caught:
        score_submission(root, pred, ScoreSettings(resamples=0))
    problem = caught.value.problems[0]
    assert (problem.rule, problem.extra["rule"], problem.doc_id) == ("GOLD-INVALID", rule, GOLD["id"])
    assert problem.path.startswith(path)


@pytest.mark.parametrize("name, change, rule, path", FAULTS, ids=IDS)
def test_release_gold_breaking_a_document_rule_is_refused_with_file_id_path_and_rule(tmp_path, capsys, name, change,
                                                                                    rule, path):
    release = write_release(tmp_path / "release", [_broken(change)], withhold=set())
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    assert main(["score", "--gold", str(release), "--pred", str(pred), "--resamples", "0"]) == 1
    line = _first_line(capsys.readouterr().err)
    file = release / "data" / "documents" / "test-00000-of-00001.parquet"
    assert line.startswith(f"wsw: error: {file}: {GOLD['id']}: {path}"), line
    assert f"[GOLD-INVALID] gold breaks rule {rule}: " in line


def test_a_withheld_release_text_still_gets_its_offsets_checked(tmp_path, capsys):
    release = write_release(tmp_path / "release", [_broken(lambda d: d["mentions"][0].update(start=-1))],
                            withhold={GOLD["id"]})
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    assert main(["score", "--gold", str(release), "--pred", str(pred), "--resamples", "0"]) == 1
    assert "[GOLD-INVALID] gold breaks rule SPAN-RANGE" in capsys.readouterr().err


def test_every_problem_of_the_gold_is_listed(tmp_path, capsys):
    doc = _broken(lambda d: (d["mentions"][0].update(end=d["mentions"][0]["start"]),
                             d["quotes"][0]["fragments"][0].update(start=-3)))
    other = copy.deepcopy(GOLD)
    other["id"] = "second"
    other["mentions"][1]["end"] = len(other["text"]) + 1
    root = write_corpus(tmp_path / "gold", [doc, other])
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0"]) == 1
    lines = capsys.readouterr().err.splitlines()
    found = sorted((line.split(": ")[3], line.split(": ")[4]) for line in lines)
    assert found == [(GOLD["id"], "$.mentions[0]"), (GOLD["id"], "$.quotes[0].fragments[0].start"),
                     ("second", "$.mentions[1]")], lines


def test_a_zero_length_gold_span_is_no_longer_a_correct_ent_type_match(tmp_path):
    gold = _broken(lambda d: d["mentions"][0].update(end=d["mentions"][0]["start"]))
    with pytest.raises(ProblemError) as caught:
        score_documents([gold], [submission_line(GOLD)], ScoreSettings(split="test", resamples=0))
    assert caught.value.rules == ["GOLD-INVALID"] and caught.value.problems[0].extra["rule"] == "SPAN-EMPTY"


# -- outputs over the gold ---------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["splits.json", "documents/mini-unicode.json", "documents/new.json"])
def test_out_onto_or_inside_the_gold_is_refused_and_nothing_is_written(tmp_path, capsys, target):
    root = write_corpus(tmp_path / "gold", [GOLD])
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    out = root / target
    assert main(["score", "--gold", str(root), "--pred", str(pred), "--resamples", "0", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"wsw: error: {out}: [OUT-OVERLAPS-INPUT] --out ") and "--gold" in err, err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_out_into_a_release_folder_is_refused(tmp_path, capsys):
    release = write_release(tmp_path / "release", [GOLD], withhold=set())
    pred = write_jsonl(tmp_path / "p.jsonl", [submission_line(GOLD)])
    out = release / "data" / "result.json"
    assert main(["score", "--gold", str(release), "--pred", str(pred), "--resamples", "0", "--out", str(out)]) == 2
    assert "[OUT-OVERLAPS-INPUT]" in capsys.readouterr().err and not out.exists()


# -- in memory ----------------------------------------------------------------------------------------
def test_score_documents_in_memory_equals_scoring_the_same_files(tmp_path):
    from whosaidwhat.scoring import synthetic

    pairs = list(synthetic.corpus(5, 12))
    gold, lines = [d for d, _ in pairs], [line for _, line in pairs]
    settings = ScoreSettings(split="test", resamples=50)
    on_disk = score_submission(write_corpus(tmp_path / "gold", gold), write_jsonl(tmp_path / "p.jsonl", lines), settings)
    in_memory = score_documents(gold, lines, settings)
    for key in ("headline", "entities", "quotes", "claims"):
        assert in_memory[key] == on_disk[key], key
    assert in_memory["gold"]["content_sha256"] == on_disk["gold"]["content_sha256"]
    # canonical documents are predictions too (their surface texts are dropped)
    assert score_documents(gold, gold, settings)["headline"] == score_documents(gold, [submission_line(d) for d in gold],
                                                                                 settings)["headline"]


def test_importing_agreement_does_not_import_the_scorer():
    code = ("import sys, whosaidwhat.agreement, whosaidwhat.agreement.tables, whosaidwhat.agreement.report; "
            "print(sorted(m for m in sys.modules if m.startswith('whosaidwhat.scoring')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []
