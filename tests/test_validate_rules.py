"""Each validation rule has a fixture folder named after it that triggers exactly that rule."""

from __future__ import annotations

import json

import pytest

from whosaidwhat.validation import ERROR, RULES, Problem, ValidationSummary, validate_document, validate_paths

from .conftest import FIXTURES

INVALID = FIXTURES / "invalid"


def problems_under(path) -> list[Problem]:
    return [p for p in validate_paths([path]) if not isinstance(p, ValidationSummary)]


def test_the_valid_fixture_has_no_problem():
    assert problems_under(FIXTURES / "valid") == []


def test_every_rule_has_a_fixture_and_every_fixture_is_a_rule():
    assert sorted(p.name for p in INVALID.iterdir() if p.is_dir()) == sorted(RULES)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_fixture_triggers_exactly_its_rule(rule):
    found = {p.rule for p in problems_under(INVALID / rule)}
    assert found == {rule}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_problem_line_names_file_document_path_and_rule(rule):
    problem = problems_under(INVALID / rule)[0]
    line = problem.line()
    assert line.startswith(str(INVALID / rule))
    assert f": [{rule}] " in line
    assert problem.doc_id in line and problem.path in line
    assert problem.doc_id != "?"


def test_a_shifted_offset_reports_found_and_expected_text_and_where_the_string_really_is():
    (problem,) = problems_under(INVALID / "SPAN-TEXT")
    assert problem.path == "$.quotes[1].fragments[0].text"
    assert problem.found == repr("costs would triple")
    assert "it occurs at [148, 166)" in problem.message


def test_all_problems_are_reported_not_just_the_first():
    doc = json.loads((FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))
    doc["quotes"][0]["type"] = "verbatim"
    doc["claims"][0]["claimant"]["mention"] = "m404"
    doc["mentions"][0]["start"] = 9999
    rules = sorted(p.rule for p in validate_document(doc, "x.json"))
    assert rules == ["LABEL-UNKNOWN", "REF-DANGLING", "SPAN-EMPTY"]


def test_offsets_are_code_points_so_text_after_emoji_and_crlf_validates():
    doc = json.loads((FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))
    text = doc["text"]
    assert "\U0001F600" in text and "\r\n" in text and "\u0308" in text
    acme = next(m for m in doc["mentions"] if m["text"] == "Acme Corp")
    assert text[acme["start"]:acme["end"]] == "Acme Corp"
    assert validate_document(doc, "x.json") == []


def test_withheld_text_accepts_null_surfaces_and_rejects_leaked_ones():
    doc = json.loads((FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))
    doc["metadata"]["license"]["redistributable"] = False  # only such texts may be withheld
    doc["text"] = None
    leaked = [p.rule for p in validate_document(doc, "x.json")]
    assert leaked and set(leaked) == {"SPAN-TEXT"}
    for mention in doc["mentions"]:
        mention["text"] = None
    for item in doc["quotes"] + doc["claims"]:
        for fragment in item["fragments"]:
            fragment["text"] = None
        if item.get("cue"):
            item["cue"]["text"] = None
    assert validate_document(doc, "x.json") == []


def test_a_non_object_document_is_a_schema_problem_not_a_crash():
    (problem,) = validate_document(["not", "a", "document"], "x.json")
    assert problem.rule == "SCHEMA"


def test_warnings_are_not_errors():
    assert {RULES[r][0] for r in ("SPAN-WHITESPACE", "SPAN-SPLITS-CHAR", "ENTITY-UNUSED")} == {"warning"}
    assert RULES["SPAN-TEXT"][0] == ERROR


def test_hostile_json_gives_problems_not_crashes(tmp_path):
    base = (FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8")
    doc = json.loads(base)
    doc["provenance"]["layers"]["mentions"]["producers"] = 5
    doc["mentions"][0]["id"] = [1]
    doc["entities"][0]["id"] = {}
    doc["quotes"][0]["speaker"] = {"kind": "mention", "mention": ["m1"]}
    rules = {p.rule for p in validate_document(doc, "x.json")}
    assert "SCHEMA" in rules
    cases = {
        "null.json": "null",
        "nan.json": base.replace('"check_worthy": true', '"check_worthy": NaN'),
        "huge.json": '{"id": ' + "9" * 5000 + "}",
        "deep.json": "[" * 100000 + "]" * 100000,
        "surrogate.json": base.replace("Critics from", "Critics \\ud800from", 1),
    }
    for name, content in cases.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    found: dict[str, set] = {}
    for problem in problems_under(tmp_path):
        found.setdefault(problem.file.split("/")[-1], set()).add(problem.rule)
    assert found["null.json"] == {"SCHEMA"}
    assert found["nan.json"] == found["huge.json"] == found["deep.json"] == {"JSON-SYNTAX"}
    assert "FILE-ENCODING" in found["surrogate.json"]


def test_a_boundary_before_a_spacing_vowel_sign_splits_a_character():
    from whosaidwhat.validation import _splits_character

    text = "\u0928\u092e\u0938\u094d\u0924\u0947 said"  # namaste: ends with the vowel sign U+0947
    assert _splits_character(text, 5)
    assert not _splits_character(text, 6)


def test_a_span_inside_a_word_is_a_warning_but_a_plural_name_is_not():
    """'it' in 'Additionally' is flagged; 'Boeing 747' before a plural 's' is the guidelines' own rule (7A A6b)."""
    from whosaidwhat.validation import _inside_word, _plural_ending

    text = "Additionally, two Boeing 747s flew."
    assert _inside_word(text, text.index("it") + 2) or _inside_word(text, text.index("it"))
    end = text.index("747") + 3
    assert _inside_word(text, end) and _plural_ending(text, end)
    assert not _plural_ending("Japanese", len("Japan"))
