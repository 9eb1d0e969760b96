"""The rule registry as a specification: every rule has a trigger that reports exactly it, and the table is current.

Each stage keeps its triggers in `triggers_<stage>.py` next to this file: `TRIGGERS` maps a rule
id to a function `(tmp_path, request) -> list of rule ids reported` that builds the smallest bad
input for that rule and runs the real checker (or command) on it.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from whosaidwhat.commands.rules import rules_markdown
from whosaidwhat.core.problems import Problem, ProblemError, Rule
from whosaidwhat.core.rules import REGISTRY, TABLES

HERE = Path(__file__).parent


def _triggers() -> dict:
    merged: dict = {}
    for path in sorted(HERE.glob("triggers_*.py")):
        module = importlib.import_module(f"tests.rules.{path.stem}")
        for rule_id, trigger in module.TRIGGERS.items():
            assert rule_id not in merged, f"{rule_id} has triggers in two modules"
            merged[rule_id] = trigger
    return merged


TRIGGERS = _triggers()


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_every_rule_has_a_trigger_that_reports_exactly_it(rule_id, tmp_path, request):
    assert rule_id in TRIGGERS, f"no trigger for {rule_id}: add one to tests/rules/triggers_{REGISTRY[rule_id].stage}.py"
    reported = TRIGGERS[rule_id](tmp_path, request)
    assert reported and set(reported) == {rule_id}, reported


def test_no_trigger_names_an_unregistered_rule():
    assert sorted(set(TRIGGERS) - set(REGISTRY)) == []


def test_rule_ids_are_upper_case_words_and_every_stage_has_its_table():
    assert [stage for stage, _ in TABLES] == list(dict.fromkeys(stage for stage, _ in TABLES))
    for rule in REGISTRY.values():
        assert rule.id.replace("-", "").isalnum() and rule.id.upper() == rule.id, rule.id


def test_schema_rules_md_is_generated_from_the_registry():
    assert (HERE.parents[1] / "schema" / "RULES.md").read_text(encoding="utf-8") == rules_markdown() + "\n", \
        "run: wsw rules --format markdown > schema/RULES.md"


def test_a_problem_with_an_unregistered_rule_is_a_programming_error():
    with pytest.raises(KeyError, match="NO-SUCH-RULE"):
        Problem("NO-SUCH-RULE", "x")


def test_problem_error_exit_code_is_2_only_when_every_problem_is_a_usage_rule():
    assert REGISTRY["OUT-OVERLAPS-INPUT"].usage and not REGISTRY["FILE-READ"].usage
    assert ProblemError([Problem("OUT-OVERLAPS-INPUT", "x")]).exit_code == 2
    assert ProblemError([Problem("OUT-OVERLAPS-INPUT", "x"), Problem("FILE-READ", "y")]).exit_code == 1


def test_long_and_unprintable_values_are_cut_and_escaped_in_the_one_line_report():
    problem = Problem("SPAN-RANGE", "span lies outside the text", file="caf\udce9\x1b[31m.json", doc_id="d" * 10**6,
                      path="$.mentions[0]", found="x" * 10**6, expected="line one\nline two")
    line = problem.line()
    assert len(line) < 1000 and "\x1b" not in line and "\udce9" not in line and "\n" not in line
    line.encode("utf-8", "strict")
    assert problem.as_dict()["rule"] == "SPAN-RANGE" and problem.as_dict()["level"] == "error"


def test_rule_definitions_refuse_an_unknown_severity():
    with pytest.raises(ValueError):
        Rule("X-Y", "fatal", "files", "x")
