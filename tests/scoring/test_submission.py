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
from whosaidwhat.core.rules import REGISTRY
from whosaidwhat.scoring import ScoreSettings, score_submission, submission_line
from whosaidwhat.scoring.submission import LineChecker, SubmissionError

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
    "zero-length span": ([with_change(set_mention("end", GOOD["mentions"][0]["start"]))], "SPAN-EMPTY",
                         "$.mentions[0]", 1),
    "float offset": (['{"id": "mini-unicode", "mentions": [{"id": "m1", "start": 6.0, "end": 16, "type": "PER"}]}'],
                     "SPAN-OFFSET-TYPE", "$.mentions[0].start", 1),
    "offset past the text": ([with_change(set_mention("end", TEXT_LENGTH + 5))], "SPAN-RANGE", "$.mentions[0]", 1),
    "unknown label": ([with_change(set_mention("type", "PERSON"))], "LABEL-UNKNOWN", "$.mentions[0].type", 1),
    "duplicated document line": ([GOOD, GOOD], "DOC-ID-DUPLICATE", "$.id", 2),
    "broken JSON line": ([GOOD, '{"id": "other-doc", "mentions": [{"id": "m1", "sta'], "JSON-SYNTAX", "$", 2),
    # more
    "reversed span": ([with_change(set_mention("start", GOOD["mentions"][0]["end"] + 1))], "SPAN-EMPTY",
                      "$.mentions[0]", 1),
    "string offset": ([with_change(set_mention("start", "6"))], "SPAN-OFFSET-TYPE", "$.mentions[0].start", 1),
    "boolean offset": ([with_change(set_mention("start", True))], "SPAN-OFFSET-TYPE", "$.mentions[0].start", 1),
    "negative offset": ([with_change(set_mention("start", -1))], "SPAN-RANGE", "$.mentions[0].start", 1),
    "UTF-16 offsets (surface text differs)": ([with_change(lambda l: l["mentions"][1].update(
        start=l["mentions"][1]["start"] + 1, end=l["mentions"][1]["end"] + 1, text="Zoë Ünal"))],
        "SPAN-TEXT", "$.mentions[1].text", 1),
    "other text version": ([with_change(lambda l: l.__setitem__("text_sha256", "0" * 64))], "SUB-TEXT-HASH",
                           "$.text_sha256", 1),
    "dangling speaker": ([with_change(lambda l: l["quotes"][0]["speaker"].__setitem__("mention", "m99"))],
                         "REF-DANGLING", "$.quotes[0].speaker.mention", 1),
    "outlet speaker": ([with_change(lambda l: l["quotes"][0].__setitem__("speaker", {"kind": "outlet"}))],
                       "LABEL-UNKNOWN", "$.quotes[0].speaker.kind", 1),
    "duplicate item id": ([with_change(lambda l: l["entities"].append({"id": "m1"}))], "ID-DUPLICATE",
                          "$.mentions[0].id", 1),
    "article text included": ([with_change(lambda l: l.__setitem__("text", GOLD["text"]))], "SCHEMA", "$.text", 1),
    "unknown field": ([with_change(lambda l: l["mentions"][0].__setitem__("label", "PER"))], "SCHEMA",
                      "$.mentions[0].label", 1),
    "missing field": ([with_change(lambda l: l["quotes"][0].pop("speaker"))], "SCHEMA", "$.quotes[0].speaker", 1),
    "overlapping fragments": ([with_change(lambda l: l["quotes"][0]["fragments"][1].update(
        start=l["quotes"][0]["fragments"][0]["start"] + 1))], "FRAGMENT-ORDER", "$.quotes[0].fragments[1]", 1),
    "not an object": (["[1, 2]"], "SCHEMA", "$", 1),
    # lines Python's json cannot or should not read: a problem of the line, never a traceback
    "integer of 5000 digits": (['{"id": "mini-unicode", "mentions": [{"id": "m1", "start": ' + "7" * 5000
                                + ', "end": 16, "type": "PER"}]}'], "JSON-CONSTANT", "$", 1),
    "nesting 100000 deep": (["[" * 100_000 + "]" * 100_000], "JSON-SYNTAX", "$", 1),
    "NaN": (['{"id": "mini-unicode", "entities": [{"id": "e1", "name": NaN}]}'], "JSON-CONSTANT", "$", 1),
    # issue 10: strict JSON and the schema's own patterns
    "mentions twice": (['{"id": "mini-unicode", "mentions": [], "mentions": [{"id": "m1", "start": 6, "end": 16, '
                        '"type": "PER"}]}'], "JSON-DUPLICATE-KEY", "$", 1),
    "document id ending in a newline": ([with_change(lambda l: l.__setitem__("id", "mini-unicode\n"))], "SCHEMA", "$.id", 1),
    "item id ending in a newline": ([with_change(lambda l: l["entities"][0].__setitem__("id", "e1\n"))], "SCHEMA",
                                    "$.entities[0].id", 1),
    "lone surrogate": (['{"id": "mini-unicode", "entities": [{"id": "e1", "name": "\\ud800"}]}'], "FILE-ENCODING",
                       "$.entities[0].name", 1),
    "speaker of kind unknown naming a mention": ([with_change(lambda l: l["quotes"][0].__setitem__(
        "speaker", {"kind": "unknown", "mention": "m1"}))], "REF-SHAPE", "$.quotes[0].speaker.mention", 1),
}

JSON_RULES = {"JSON-SYNTAX", "JSON-CONSTANT", "JSON-DUPLICATE-KEY", "FILE-ENCODING"}


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
    assert "expected" in errors[0] or rule in JSON_RULES
    assert "Traceback" not in err


def test_the_cases_cover_the_submission_rules_with_document_rule_ids():
    """The SUB- ids that renamed document rules are gone: a submission breaks the same rules as a document."""
    rules = {rule for _, rule, _, _ in CASES.values()}
    submission_rules = {r.id for r in REGISTRY.values() if r.stage == "submission"}
    assert submission_rules - rules == {"SUB-FILE", "SUB-EMPTY"}  # tested below and in the score command's tests
    assert rules <= set(REGISTRY)
    assert {"SPAN-EMPTY", "SPAN-RANGE", "SPAN-TEXT", "SPAN-OFFSET-TYPE", "FRAGMENT-ORDER", "LABEL-UNKNOWN", "ID-DUPLICATE",
            "REF-DANGLING", "REF-SHAPE", "SCHEMA", "DOC-ID-DUPLICATE"} <= rules


def test_the_real_console_script_reports_a_bad_line_without_traceback(gold, tmp_path, wsw):
    pred = write_lines(tmp_path / "pred.jsonl", CASES["float offset"][0])
    proc = wsw("score", "--gold", gold, "--pred", pred)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "[SPAN-OFFSET-TYPE]" in proc.stderr
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
    with pytest.raises(SubmissionError) as error:
        score_submission(gold, write_jsonl(tmp_path / "q.jsonl", [broken]), ScoreSettings(resamples=0))
    assert error.value.rules == ["LABEL-UNKNOWN"] and error.value.problems[0].path == "$.mentions[0].type"


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
    assert len(err) == 1 and f"{parquet}:row 1: mini-unicode: $.mentions[0].start: [SPAN-OFFSET-TYPE]" in err[0]


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
    line = with_change(lambda l: l.update(mentions=l["mentions"][:2], quotes=l["quotes"][:1], claims=l["claims"][:1]))
    line["quotes"][0]["cue"] = {"start": line["quotes"][0]["cue"]["start"], "end": line["quotes"][0]["cue"]["end"],
                                "text": None}
    checked = 0
    for mutated in _mutations(line, random.Random(5)):
        doc_id, shape = checker.check(mutated, "line", None)
        layers = checker.check_layers(mutated, None) if not shape else []
        # JSON Schema calls 5.0 an integer; the checker refuses it (SPAN-OFFSET-TYPE), by design
        floats = any(p.rule == "SPAN-OFFSET-TYPE" and "." in (p.found or "") for p in layers)
        assert bool(shape) == (not validator.is_valid(mutated)), (mutated, [p.line() for p in shape])
        assert {p.rule for p in shape} <= {"SCHEMA", "SPAN-OFFSET-TYPE", "SPAN-RANGE"}
        assert not (floats and validator.is_valid(mutated) is False)
        checked += 1
    assert checked > 120
    assert validator.is_valid(line) and not checker.check(line, "line", None)[1]
    # where Python's `$` (jsonschema's default) and JSON Schema's own (ECMA-262) differ, the checker follows JSON Schema
    newline = with_change(lambda l: l["entities"][0].__setitem__("id", "e1\n"))
    assert validator.is_valid(newline) and [p.rule for p in checker.check(newline, "line", None)[1]] == ["SCHEMA"]


# -- issue 10: files that are not JSON lines ---------------------------------------------------------

def test_a_zip_named_jsonl_is_named_as_such_in_one_line(gold, tmp_path, capsys):
    import zipfile

    pred = tmp_path / "pred.jsonl"
    with zipfile.ZipFile(pred, "w") as archive:
        for k in range(50):
            archive.writestr(f"part{k}.jsonl", json.dumps(GOOD) * 20)
    assert main(["score", "--gold", str(gold), "--pred", str(pred)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"wsw: error: {pred}: [FILE-BINARY] ") and "zip" in line


def test_a_fifo_named_jsonl_is_refused_not_waited_on(gold, tmp_path):
    import os
    import subprocess
    import sys

    pred = tmp_path / "pred.jsonl"
    os.mkfifo(pred)
    result = subprocess.run([sys.executable, "-m", "whosaidwhat.cli", "score", "--gold", str(gold), "--pred", str(pred)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "[FILE-NOT-REGULAR]" in result.stderr and "Traceback" not in result.stderr


def test_the_reader_says_how_many_lines_it_read(gold, tmp_path):
    from whosaidwhat.scoring import load_gold, open_gold, read_submission

    gold_set = load_gold(open_gold(gold), "test", load_inventory())
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    _, info = read_submission(empty, gold_set, load_inventory())
    assert (info.lines, info.scored, info.empty) == (0, 0, True)
    _, info = read_submission(write_lines(tmp_path / "one.jsonl", [GOOD]), gold_set, load_inventory())
    assert (info.lines, info.scored, info.empty) == (1, 1, False)


def test_a_million_character_document_id_is_cut_in_the_one_line(gold, tmp_path, capsys):
    pred = write_lines(tmp_path / "pred.jsonl", [with_change(lambda l: l.__setitem__("id", "a" * 10**6))])
    assert main(["score", "--gold", str(gold), "--pred", str(pred)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert ": $.id: [SCHEMA] " in line and len(line) < 1500
