"""Exports that were tampered with, or hold values no JSON file should: a problem per task or region
in the report, never a traceback, and nothing unwritable is ever written.

Each case is the committed real export (fixtures/export-sync.json) with one change in the first
submitted annotation or its task.
"""

from __future__ import annotations

import copy
import json

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.labelstudio.convert import convert_export, parse_export

from .campaign import FIXTURES

SYNC = FIXTURES / "export-sync.json"


def first_submitted(export: list) -> tuple[dict, dict]:
    for task in export:
        for annotation in task.get("annotations") or []:
            if not annotation.get("was_cancelled") and annotation.get("result"):
                return task, annotation
    raise AssertionError("the fixture has a submitted annotation")


def tampered(change) -> list:
    export = json.loads(SYNC.read_text(encoding="utf-8"))
    task, annotation = first_submitted(export)
    change(task, annotation)
    return export


def first_label_item(annotation: dict) -> dict:
    return next(item for item in annotation["result"] if isinstance(item.get("value", {}).get("labels"), list))


def strict_json(text: str):
    def refuse(name):
        raise ValueError(f"{name} in the written JSON")

    return json.loads(text, parse_constant=refuse)


def set_from_name(task, annotation):
    annotation["result"][0]["from_name"] = ["mention"]


def nest_labels(task, annotation):
    first_label_item(annotation)["value"]["labels"] = [["PER"]]


def surrogate_in_text(task, annotation):
    task["data"]["text"] += "\ud83d"


def surrogate_in_region_id(task, annotation):
    first_label_item(annotation)["id"] = "m\udc00"


HOSTILE = {
    "from_name-a-list": (set_from_name, "LS-RESULT-SHAPE", "from_name must be the name of a control, found ['mention']"),
    "labels-nested": (nest_labels, "LS-REGION-LABEL", "region must have exactly one label (a string), found [['PER']]"),
    "text-with-a-lone-surrogate": (surrogate_in_text, "LS-TASK-TEXT", "task data.text holds a lone surrogate U+D83D"),
    "region-id-with-a-lone-surrogate": (surrogate_in_region_id, None, "m\\udc00"),
}
#: what the strict JSON reader refuses in a file before conversion starts (in memory they are problems of their task)
REFUSED_AT_READING = {"text-with-a-lone-surrogate", "region-id-with-a-lone-surrogate"}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_value_is_a_problem_of_its_task_in_the_report_not_a_traceback(case):
    change, rule, expected = HOSTILE[case]
    export = tampered(change)
    task, annotation = first_submitted(export)
    converted = convert_export(export, source="hostile.json")
    ours = [p for p in converted.report["problems"] if p["task"] == task["id"]]
    assert any((rule is None or p["rule"] == rule) and (expected in p["message"] or expected == p["region"])
               for p in ours), converted.report["problems"]
    assert not converted.ok
    assert task["data"]["doc_id"] not in {doc["id"] for path, doc in converted.documents.items()
                                          if path.startswith(f"annotators/ls-user-{annotation['completed_by']}/")}
    strict_json(json.dumps(converted.report, ensure_ascii=False)).keys()  # the report itself is writable
    json.dumps(converted.report, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_the_cli_reports_a_hostile_export_and_exits_1_without_a_traceback(case, wsw, tmp_path):
    change, rule, _ = HOSTILE[case]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tampered(change)), encoding="utf-8")  # ensure_ascii: lone surrogates as \ud83d escapes
    result = wsw("labelstudio", "convert", path, "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    if case in REFUSED_AT_READING:  # the strict reader names the escape's JSON path; nothing is written
        assert "[FILE-ENCODING]" in result.stderr and "lone surrogate" in result.stderr
        assert not (tmp_path / "out").exists() and not (tmp_path / "out.failed").exists()
        return
    report = strict_json((tmp_path / "out.failed" / "report.json").read_text(encoding="utf-8"))
    assert report["problem_count"] >= 1 and rule in {p["rule"] for p in report["problems"]}


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_nan_and_infinity_are_refused_at_reading_with_line_and_column(constant, wsw, tmp_path):
    text = json.dumps(tampered(lambda task, annotation: annotation.update(lead_time=12.5)), indent=1)
    text = text.replace('"lead_time": 12.5', f'"lead_time": {constant}', 1)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if constant in row)
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemError, match=constant) as err:
        parse_export(path.read_bytes(), str(path))
    problem = err.value.problems[0]
    task, annotation = first_submitted(json.loads(SYNC.read_text(encoding="utf-8")))
    export = json.loads(SYNC.read_text(encoding="utf-8"))
    where = f"$[{[t['id'] for t in export].index(task['id'])}].annotations[{task['annotations'].index(annotation)}].lead_time"
    assert (problem.rule, problem.file, problem.lineno, problem.path) == ("JSON-CONSTANT", str(path), line, where)
    result = wsw("labelstudio", "convert", path, "--out", tmp_path / "out")
    assert result.returncode == 1 and result.stderr.startswith(f"wsw: error: {path}:{line}: $"), result.stderr
    assert "[JSON-CONSTANT]" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.failed").exists()


def test_a_lead_time_that_overflows_to_infinity_is_recorded_as_null_with_a_warning(tmp_path, wsw):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tampered(lambda t, a: a.update(lead_time=1))).replace('"lead_time": 1,', '"lead_time": 1e400,', 1),
                    encoding="utf-8")  # 1e400 is valid JSON syntax, but Python reads it as inf
    result = wsw("labelstudio", "convert", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    task, annotation = first_submitted(json.loads(SYNC.read_text(encoding="utf-8")))
    written = (tmp_path / "out" / "annotators" / f"ls-user-{annotation['completed_by']}" / f"{task['data']['doc_id']}.json")
    doc = strict_json(written.read_text(encoding="utf-8"))
    assert {record.get("lead_time_seconds") for record in doc["provenance"]["layers"].values()} <= {None}
    report = strict_json((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert any(w["control"] == "lead_time" and w["rule"] == "LS-LEAD-TIME" and "not a finite, non-negative number" in w["message"]
               for w in report["warnings"])


def test_an_integer_too_long_for_python_or_nesting_too_deep_is_a_clear_error(tmp_path):
    for name, text, rule in (("digits", "[" + "7" * 5000 + "]", "JSON-CONSTANT"),
                             ("deep", "[" * 100_000 + "]" * 100_000, "JSON-SYNTAX")):
        with pytest.raises(ProblemError, match="not a readable JSON export") as err:
            parse_export(text.encode(), f"{name}.json")
        assert err.value.rules == [rule] and err.value.problems[0].file == f"{name}.json"



def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _paths(item, prefix + (n,))


def test_no_value_anywhere_in_a_task_makes_convert_raise_or_write_invalid_json():
    export = json.loads(SYNC.read_text(encoding="utf-8"))
    task, _ = first_submitted(export)
    hostile = [["x"], {"k": 1}, None, 10 ** 30, float("inf"), "\ud83d", True, [["PER"]]]
    runs = 0
    for path in list(_paths(task))[1:]:
        for value in hostile:
            changed = copy.deepcopy(task)
            target = changed
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            converted = convert_export([changed], source="fuzz.json")  # must not raise
            for written in [converted.report, *converted.documents.values()]:
                json.dumps(written, ensure_ascii=False, allow_nan=False).encode("utf-8")
            runs += 1
    assert runs > 1000
