"""System cards: the schema, what it accepts (the baselines' cards too) and what it refuses, line by line."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from whosaidwhat.leaderboard.cards import CardError, read_card

from ..conftest import REPO
from ..test_schema import undescribed
from .helpers import card

SCHEMAS = ["system-card.schema.json", "leaderboard.schema.json"]


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_2020_12_and_describes_every_field(name):
    schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert undescribed(schema) == []


def _write(tmp_path, data) -> None:
    (tmp_path / "card.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_complete_card_is_read_with_nothing_to_say(tmp_path):
    _write(tmp_path, card("Complete"))
    read = read_card(tmp_path)
    assert read.name == "Complete" and read.saw_test_texts is False and read.warnings == []
    assert read.as_dict()["missing"] == []


def test_the_baselines_cards_are_accepted(tmp_path):
    """eval/baselines/<system>/card.json as `BaseSystem.card()` and its subclasses write it (issue 12)."""
    from whosaidwhat.systems.rules import RulesSystem

    rules = RulesSystem().card()
    trained_like = {"name": "trained", "version": "0.1.0", "kind": "trained", "description": "spaCy NER from scratch",
                    "license": "Apache-2.0",
                    "training_data": {"corpus": "corpus", "split": "train", "splits_version": "2", "documents": 100},
                    "training": {"seed": 0, "epochs": 10}, "model": {"path": "eval/baselines/trained/model", "sha256": "0" * 64},
                    "train_command": "wsw train --system trained --corpus corpus --out eval/baselines/trained/model"}
    for data in (rules, trained_like):
        _write(tmp_path, data)
        read = read_card(tmp_path)
        assert read.kind in ("rules", "trained") and read.training_data.startswith("{")
        # they state no team, url, date or whether they saw the test texts: shown as "not stated"
        assert set(read.as_dict()["missing"]) == {"team", "url", "saw_test_texts", "date"}
        with pytest.raises(CardError) as error:
            read_card(tmp_path, strict=True)
        assert error.value.rules == ["LB-CARD-STRICT"]
        assert error.value.problems[0].found == "team, url, saw_test_texts, date"


@pytest.mark.parametrize("change,rule,path,found", [
    ({"license": ...}, "LB-CARD-SCHEMA", "$", "license"),
    ({"kind": "magic"}, "LB-CARD-SCHEMA", "$.kind", "'magic'"),
    ({"date": "2026-02-30"}, "DATE-INVALID", "$.date", "'2026-02-30'"),
    ({"date": "5 May"}, "LB-CARD-SCHEMA", "$.date", "'5 May'"),
    ({"saw_test_texts": "no"}, "LB-CARD-SCHEMA", "$.saw_test_texts", "string"),
    ({"url": "ftp://example.org/x"}, "LB-CARD-SCHEMA", "$.url", "'ftp://example.org/x'"),
    ({"url": "https://example.org/\n"}, "LB-CARD-SCHEMA", "$.url", "'https://example.org/\\n'"),
    ({"team": "two\nlines"}, "LB-CARD-SCHEMA", "$.team", "'two\\nlines'"),
    ({"version": ""}, "LB-CARD-SCHEMA", "$.version", None),
    ({"card_version": "2.0"}, "LB-CARD-SCHEMA", "$.card_version", "'2.0'"),
    ({"predictions": {"test": "/etc/passwd.jsonl"}}, "LB-CARD-SCHEMA", "$.predictions.test", "'/etc/passwd.jsonl'"),
    ({"predictions": {"../x": "a.jsonl"}}, "LB-CARD-SCHEMA", "$.predictions", None),
    ({"predictions": {"test": "a/../../b.jsonl"}}, "LB-CARD-SCHEMA", "$.predictions.test", "'a/../../b.jsonl'"),
])
def test_each_problem_names_its_rule_and_field(tmp_path, change, rule, path, found):
    _write(tmp_path, card("Card", **change))
    with pytest.raises(CardError) as error:
        read_card(tmp_path)
    hits = [p for p in error.value.problems if p.rule == rule and p.path == path]
    assert hits, [p.line() for p in error.value.problems]
    assert found is None or any(p.found == found for p in hits), [p.found for p in hits]
    assert all(p.file == "card.json" and "\n" not in p.line() for p in error.value.problems)


def test_every_problem_of_a_card_is_reported_at_once(tmp_path):
    _write(tmp_path, {"name": 5, "kind": "x", "url": "javascript:x"})
    with pytest.raises(CardError) as error:
        read_card(tmp_path)
    found = {(p.rule, p.path, p.found) for p in error.value.problems}
    assert ("LB-CARD-SCHEMA", "$", "version, description, license") in found
    assert {("$.name", "number"), ("$.kind", "'x'"), ("$.url", "'javascript:x'")} <= {(p, f) for _, p, f in found}


def test_a_json_value_that_is_not_an_object_is_refused(tmp_path):
    (tmp_path / "card.json").write_text("[1, 2]", encoding="utf-8")
    for content, rule in (("[1, 2]", "JSON-NOT-OBJECT"), ('{"name": NaN}', "JSON-CONSTANT"),
                          ("[" * 100_000, "JSON-SYNTAX"), ('{"name": "a", "name": "b"}', "JSON-DUPLICATE-KEY")):
        (tmp_path / "card.json").write_text(content, encoding="utf-8")
        with pytest.raises(CardError) as error:
            read_card(tmp_path)
        assert error.value.rules == [rule] and error.value.problems[0].file == "card.json"


def test_the_example_submissions_have_valid_cards():
    for folder in sorted((REPO / "eval" / "submissions").iterdir()):
        if (folder / "card.json").is_file():
            read = read_card(folder, strict=False)
            assert read.kind == "rules" and read.saw_test_texts is False


def test_the_committed_baseline_folders_are_leaderboard_rows():
    """eval/baselines/<system>/ as the baselines are committed: card accepted, test predictions found."""
    from whosaidwhat.leaderboard.entries import discover

    baselines = REPO / "eval" / "baselines"
    if not baselines.is_dir():
        return
    for entry in discover([baselines], "test"):
        if entry.status == "skipped":
            continue
        assert entry.status == "candidate", (entry.id, entry.reasons)
        assert entry.submission is not None and entry.submission.parent == entry.folder
