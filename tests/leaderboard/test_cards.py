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
        with pytest.raises(CardError, match="required with --strict-cards"):
            read_card(tmp_path, strict=True)


@pytest.mark.parametrize("change,message", [
    ({"license": ...}, "$: required field(s) missing: license"),
    ({"kind": "magic"}, "$.kind: must be one of rules, trained, fine-tuned, zero-shot, found 'magic'"),
    ({"date": "2026-02-30"}, "$.date: not a calendar date, found '2026-02-30'"),
    ({"date": "5 May"}, "$.date: must be a date YYYY-MM-DD"),
    ({"saw_test_texts": "no"}, "$.saw_test_texts: must be boolean, found string"),
    ({"url": "ftp://example.org/x"}, "$.url: must be an absolute http(s) URL"),
    ({"url": "https://example.org/\n"}, "$.url: must be an absolute http(s) URL"),
    ({"team": "two\nlines"}, "$.team: must be one line of printable text"),
    ({"version": ""}, "$.version: must not be empty"),
    ({"card_version": "2.0"}, "$.card_version: must be '1.0'"),
    ({"predictions": {"test": "/etc/passwd.jsonl"}}, "$.predictions.test: must be a .jsonl or .parquet file in the card's folder"),
    ({"predictions": {"../x": "a.jsonl"}}, "$.predictions"),
    ({"predictions": {"test": "a/../../b.jsonl"}}, "$.predictions.test: must be a .jsonl or .parquet file in"),
])
def test_each_problem_is_one_line_naming_the_field(tmp_path, change, message):
    _write(tmp_path, card("Card", **change))
    with pytest.raises(CardError) as error:
        read_card(tmp_path)
    assert any(message in line for line in error.value.lines), error.value.lines
    assert all(line.startswith("card.json: ") for line in error.value.lines)


def test_every_problem_of_a_card_is_reported_at_once(tmp_path):
    _write(tmp_path, {"name": 5, "kind": "x", "url": "javascript:x"})
    with pytest.raises(CardError) as error:
        read_card(tmp_path)
    text = "\n".join(error.value.lines)
    for fragment in ("required field(s) missing: version, description, license", "$.name: must be string",
                     "$.kind: must be one of", "$.url: must be an absolute http(s) URL"):
        assert fragment in text


def test_a_json_value_that_is_not_an_object_is_refused(tmp_path):
    (tmp_path / "card.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CardError, match="must be a JSON object, found array"):
        read_card(tmp_path)
    (tmp_path / "card.json").write_text('{"name": NaN}', encoding="utf-8")
    with pytest.raises(CardError, match="not valid JSON"):
        read_card(tmp_path)
    (tmp_path / "card.json").write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(CardError, match="not valid JSON"):
        read_card(tmp_path)


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
