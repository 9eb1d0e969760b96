"""Bad submissions: each defect gives one clear line (file:line, document id, field, expected), exit 1.

The cases run through `whosaidwhat.cli.main`, the function behind the `wsw` console script,
and one of them through a real `wsw` process.
"""

from __future__ import annotations

import copy
import json
import random

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from whosaidwhat.cli import main
from whosaidwhat.core.inventory import load_inventory
from whosaidwhat.core.resources import schema_path
from whosaidwhat.scoring import ScoreSettings, score_submission, submission_line
from whosaidwhat.scoring.submission import RULES, LineChecker

from .helpers import load_fixture, write_corpus, write_jsonl

GOLD = load_fixture()
OTHER = {**copy.deepcopy(GOLD), "id": "other-doc"}
GOOD = submission_line(GOLD)
TEXT_LENGTH = len(GOLD["text"])


@pytest.fixture
def gold(tmp_path):
    return write_corpus(tmp_path / "gold", [GOLD], others={"train": [OTHER]})


def with_change(change) -> dict:
    line = copy.deepcopy(GOOD)
    change(line)
    return line


def set_mention(field, value):
    return lambda line: line["mentions"][0].__setitem__(field, value)


CASES = {
    # acceptance list
    "unknown document id": ([with_change(lambda l: l.__setitem__("id", "no-such-doc"))], "SUB-DOC-UNKNOWN", "$.id", 1),
    "zero-length span": ([with_change(set_mention("end", GOOD["mentions"][0]["start"]))], "SUB-SPAN-EMPTY",
                         "$.mentions[0]", 1),
    "float offset": (['{"id": "mini-unicode", "mentions": [{"id": "m1", "start": 6.0, "end": 16, "type": "PER"}]}'],
                     "SUB-OFFSET-TYPE", "$.mentions[0].start", 1),
    "offset past the text": ([with_change(set_mention("end", TEXT_LENGTH + 5))], "SUB-SPAN-RANGE", "$.mentions[0]", 1),
    "unknown label": ([with_change(set_mention("type", "PERSON"))], "SUB-LABEL-UNKNOWN", "$.mentions[0].type", 1),
    "duplicated document line": ([GOOD, GOOD], "SUB-DOC-DUPLICATE", "$.id", 2),
    "broken JSON line": ([GOOD, '{"id": "other-doc", "mentions": [{"id": "m1", "sta'], "SUB-JSON", "$", 2),
    # more
    "reversed span": ([with_change(set_mention("start", GOOD["mentions"][0]["end"] + 1))], "SUB-SPAN-EMPTY",
                      "$.mentions[0]", 1),
    "string offset": ([with_change(set_mention("start", "6"))], "SUB-OFFSET-TYPE", "$.mentions[0].start", 1),
    "boolean offset": ([with_change(set_mention("start", True))], "SUB-OFFSET-TYPE", "$.mentions[0].start", 1),
    "negative offset": ([with_change(set_mention("start", -1))], "SUB-SPAN-RANGE", "$.mentions[0]", 1),
    "UTF-16 offsets (surface text differs)": ([with_change(lambda l: l["mentions"][1].update(
        start=l["mentions"][1]["start"] + 1, end=l["mentions"][1]["end"] + 1, text="Zoë Ünal"))],
        "SUB-SPAN-TEXT", "$.mentions[1].text", 1),
    "other text version": ([with_change(lambda l: l.__setitem__("text_sha256", "0" * 64))], "SUB-TEXT-HASH",
                           "$.text_sha256", 1),
    "dangling speaker": ([with_change(lambda l: l["quotes"][0]["speaker"].__setitem__("mention", "m99"))],
                         "SUB-REF-DANGLING", "$.quotes[0].speaker.mention", 1),
    "outlet speaker": ([with_change(lambda l: l["quotes"][0].__setitem__("speaker", {"kind": "outlet"}))],
                       "SUB-LABEL-UNKNOWN", "$.quotes[0].speaker.kind", 1),
    "duplicate item id": ([with_change(lambda l: l["entities"].append({"id": "m1"}))], "SUB-ID-DUPLICATE",
                          "$.mentions[0].id", 1),
    "article text included": ([with_change(lambda l: l.__setitem__("text", GOLD["text"]))], "SUB-SHAPE", "$.text", 1),
    "unknown field": ([with_change(lambda l: l["mentions"][0].__setitem__("label", "PER"))], "SUB-SHAPE",
                      "$.mentions[0].label", 1),
    "missing field": ([with_change(lambda l: l["quotes"][0].pop("speaker"))], "SUB-SHAPE", "$.quotes[0].speaker", 1),
    "overlapping fragments": ([with_change(lambda l: l["quotes"][0]["fragments"][1].update(
        start=l["quotes"][0]["fragments"][0]["start"] + 1))], "SUB-FRAGMENT-ORDER", "$.quotes[0].fragments[1]", 1),
    "not an object": (["[1, 2]"], "SUB-SHAPE", "$", 1),
    # lines Python's json cannot or should not read: a problem of the line, never a traceback
    "integer of 5000 digits": (['{"id": "mini-unicode", "mentions": [{"id": "m1", "start": ' + "7" * 5000
                                + ', "end": 16, "type": "PER"}]}'], "SUB-JSON", "$", 1),
    "nesting 100000 deep": (["[" * 100_000 + "]" * 100_000], "SUB-JSON", "$", 1),
    "NaN": (['{"id": "mini-unicode", "entities": [{"id": "e1", "name": NaN}]}'], "SUB-JSON", "$", 1),
}


def write_lines(path, lines):
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                            for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_submission_gives_one_clear_error_line_and_exit_1(case, gold, tmp_path, capsys):
    lines, rule, path, line_number = CASES[case]
    pred = write_lines(tmp_path / "pred.jsonl", lines)
    code = main(["score", "--gold", str(gold), "--pred", str(pred), "--resamples", "0"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    errors = err.strip().splitlines()
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"wsw: error: {pred}:{line_number}: ")
    assert f": {path}: [{rule}] " in errors[0]
    assert "expected" in errors[0] or rule == "SUB-JSON"
    assert "Traceback" not in err


def test_every_rule_has_a_case():
    assert {rule for _, rule, _, _ in CASES.values()} | {"SUB-FILE", "SUB-ENCODING", "SUB-REF-SHAPE"} == set(RULES)


def test_the_real_console_script_reports_a_bad_line_without_traceback(gold, tmp_path, wsw):
    pred = write_lines(tmp_path / "pred.jsonl", CASES["float offset"][0])
    proc = wsw("score", "--gold", gold, "--pred", pred)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "[SUB-OFFSET-TYPE]" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_problems_are_capped_with_a_count_of_the_rest(gold, tmp_path, capsys):
    bad = with_change(lambda l: [m.__setitem__("type", "BAD") for m in l["mentions"]])
    pred = write_lines(tmp_path / "pred.jsonl", [bad])
    assert main(["score", "--gold", str(gold), "--pred", str(pred), "--max-errors", "2"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and err[-1] == f"wsw: error: ... and {len(GOOD['mentions']) - 2} more problem(s); nothing was scored"


def test_other_formats_and_missing_files_are_refused(gold, tmp_path, capsys):
    csv = tmp_path / "pred.csv"
    csv.write_text("id\n")
    assert main(["score", "--gold", str(gold), "--pred", str(csv)]) == 1
    assert "[SUB-FILE]" in capsys.readouterr().err
    assert main(["score", "--gold", str(gold), "--pred", str(tmp_path / "nope.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_lines_of_other_splits_are_checked_then_ignored_and_missing_documents_reported(gold, tmp_path):
    other = {**submission_line(OTHER)}
    result = score_submission(gold, write_jsonl(tmp_path / "p.jsonl", [other]), ScoreSettings(resamples=0))
    sub = result["submission"]
    assert (sub["documents_scored"], sub["other_split_documents"], sub["missing_documents"]) == (0, 1, 1)
    assert sub["empty"] and any("empty" in note for note in result["notes"])
    broken = with_change(set_mention("type", "NOPE"))
    broken["id"] = "other-doc"
    with pytest.raises(Exception, match="1 problem"):
        score_submission(gold, write_jsonl(tmp_path / "q.jsonl", [broken]), ScoreSettings(resamples=0))


def test_a_parquet_submission_scores_like_the_jsonl_one(gold, tmp_path):
    lines = [GOOD, submission_line(OTHER)]
    jsonl = write_jsonl(tmp_path / "pred.jsonl", lines)
    parquet = tmp_path / "pred.parquet"
    pq.write_table(pa.Table.from_pylist(lines), parquet)
    a = score_submission(gold, jsonl, ScoreSettings(resamples=50))
    b = score_submission(gold, parquet, ScoreSettings(resamples=50))
    for key in ("headline", "entities", "quotes", "claims"):
        assert a[key] == b[key]
    assert b["submission"]["format"] == "parquet"


def test_a_parquet_row_with_a_float_offset_is_reported_by_row(gold, tmp_path, capsys):
    parquet = tmp_path / "pred.parquet"
    pq.write_table(pa.table({"id": ["mini-unicode"], "mentions": [[{"id": "m1", "start": 6.5, "end": 16.0, "type": "PER"}]]}),
                   parquet)
    assert main(["score", "--gold", str(gold), "--pred", str(parquet)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{parquet}:row 1: mini-unicode: $.mentions[0].start: [SUB-OFFSET-TYPE]" in err[0]


# -- the checker enforces exactly schema/submission.schema.json ---------------------------------------

def _mutations(line: dict, rng: random.Random):
    """Single-field mutations of a valid line: drops, extra keys, wrong types, bad ids."""
    values = [None, 1, 2.5, "x", True, [], {}, -3, "Bad Id!"]
    def walk(node, path):
        if isinstance(node, dict):
            for key in list(node):
                yield ("drop", path + [key], None)
                for value in rng.sample(values, 3):
                    yield ("set", path + [key], value)
                yield from walk(node[key], path + [key])
            yield ("set", path + ["extra"], 1)
        elif isinstance(node, list) and node:
            yield from walk(node[0], path + [0])
    for kind, path, value in walk(line, []):
        mutated = copy.deepcopy(line)
        target = mutated
        for key in path[:-1]:
            target = target[key]
        if kind == "drop":
            del target[path[-1]]
        else:
            target[path[-1]] = value
        yield mutated


def test_the_line_checker_accepts_exactly_what_the_json_schema_accepts():
    """Shape only: semantic rules (ranges, labels, references) are the checker's alone."""
    schema = json.loads(schema_path("submission.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    checker = LineChecker(load_inventory())
    shape_rules = {"SUB-SHAPE", "SUB-OFFSET-TYPE"}
    line = with_change(lambda l: l.update(mentions=l["mentions"][:2], quotes=l["quotes"][:1], claims=l["claims"][:1]))
    line["quotes"][0]["cue"] = {"start": line["quotes"][0]["cue"]["start"], "end": line["quotes"][0]["cue"]["end"],
                                "text": None}
    checked = 0
    for mutated in _mutations(line, random.Random(5)):
        doc_id, problems = checker.check(mutated, "line", None)
        if not problems and isinstance(mutated.get("id"), str):
            problems = checker.check_layers(mutated, None)
        ours = any(p.rule in shape_rules for p in problems)
        # JSON Schema calls 5.0 an integer; the checker refuses it (SUB-OFFSET-TYPE), by design
        floats = any(p.rule == "SUB-OFFSET-TYPE" and "." in (p.found or "") for p in problems)
        theirs = not validator.is_valid(mutated) or floats
        assert ours == theirs, (mutated, [p.line() for p in problems], [e.message for e in validator.iter_errors(mutated)])
        checked += 1
    assert checked > 120
    assert validator.is_valid(line) and not checker.check(line, "line", None)[1]
