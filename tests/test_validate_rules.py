"""Each validation rule has a fixture folder named after it that triggers exactly that rule."""

from __future__ import annotations

import copy
import json

import pytest

from whosaidwhat.core.rules import REGISTRY
from whosaidwhat.validation import ERROR, RULES, Problem, ValidationSummary, validate_document, validate_paths
from whosaidwhat.validation.text import inside_word, plural_ending, splits_character

from .conftest import FIXTURES

INVALID = FIXTURES / "invalid"


def problems_under(path) -> list[Problem]:
    return [p for p in validate_paths([path]) if not isinstance(p, ValidationSummary)]


def test_the_valid_fixture_has_no_problem():
    assert problems_under(FIXTURES / "valid") == []


FIXTURE_RULES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def test_every_fixture_is_a_registered_rule_of_validation():
    assert set(FIXTURE_RULES) <= set(RULES) <= set(REGISTRY)
    assert {r for r in REGISTRY.values() if r.stage == "document"} <= {REGISTRY[r] for r in RULES}


@pytest.mark.parametrize("rule", FIXTURE_RULES)
def test_fixture_triggers_exactly_its_rule(rule):
    found = {p.rule for p in problems_under(INVALID / rule)}
    assert found == {rule}


@pytest.mark.parametrize("rule", FIXTURE_RULES)
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
    assert found["nan.json"] == found["huge.json"] == {"JSON-CONSTANT"}
    assert found["deep.json"] == {"JSON-SYNTAX"}
    assert "FILE-ENCODING" in found["surrogate.json"]


def test_a_boundary_before_a_spacing_vowel_sign_splits_a_character():
    text = "\u0928\u092e\u0938\u094d\u0924\u0947 said"  # namaste: ends with the vowel sign U+0947
    assert splits_character(text, 5)
    assert not splits_character(text, 6)


def test_a_span_inside_a_word_is_a_warning_but_a_plural_name_is_not():
    """'it' in 'Additionally' is flagged; 'Boeing 747' before a plural 's' is the guidelines' own rule (7A A6b)."""
    text = "Additionally, two Boeing 747s flew."
    assert inside_word(text, text.index("it") + 2) or inside_word(text, text.index("it"))
    end = text.index("747") + 3
    assert inside_word(text, end) and plural_ending(text, end)
    assert not plural_ending("Japanese", len("Japan"))


# -- issue 10: grapheme clusters, relation rules from labels.json -----------------------------------

CLUSTERS = {
    "emoji ZWJ sequence": "\U0001F469\u200D\U0001F4BB",     # woman technologist: woman, ZWJ, laptop
    "flag": "\U0001F1EB\U0001F1F7",                          # two regional indicators
    "skin-tone modifier": "\U0001F44D\U0001F3FD",            # thumbs up, medium skin tone
    "Hangul syllable block": "\u1112\u1161\u11AB",           # han as conjoining jamo (L V T)
    "combining mark": "e\u0301",
    "CR LF": "\r\n",
}


def _with_mention_around(cluster: str, cut: int) -> tuple[dict, int]:
    """The valid fixture with `Nobody <cluster>` appended and a mention of `Nobody ` + cluster[:cut]."""
    import hashlib

    doc = json.loads((FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))
    start = len(doc["text"]) + 1
    doc["text"] += " Nobody " + cluster + " x"
    doc["text_sha256"] = hashlib.sha256(doc["text"].encode("utf-8")).hexdigest()
    end = start + len("Nobody ") + cut
    doc["mentions"].append({"id": "m-new", "start": start, "end": end, "text": doc["text"][start:end], "type": "PER",
                            "kind": "name", "entity": doc["mentions"][0]["entity"]})
    doc["mentions"][-1]["type"] = next(e["type"] for e in doc["entities"] if e["id"] == doc["mentions"][0]["entity"])
    return doc, end


@pytest.mark.parametrize("name", list(CLUSTERS))
def test_a_span_boundary_inside_a_grapheme_cluster_is_a_split_character_warning(name):
    cluster = CLUSTERS[name]
    for cut in range(1, len(cluster)):
        doc, end = _with_mention_around(cluster, cut)
        found = [(p.rule, p.path) for p in validate_document(doc, "x.json") if p.rule == "SPAN-SPLITS-CHAR"]
        assert found == [("SPAN-SPLITS-CHAR", f"$.mentions[{len(doc['mentions']) - 1}]")], (name, cut)
        assert splits_character(doc["text"], end)
    doc, end = _with_mention_around(cluster, len(cluster))  # the whole cluster: no warning
    assert not splits_character(doc["text"], end)
    assert "SPAN-SPLITS-CHAR" not in {p.rule for p in validate_document(doc, "x.json")}


def test_a_flag_run_pairs_regional_indicators_from_its_start():
    flags = "\U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA"  # FR DE
    text = "x" + flags
    assert [splits_character(text, k) for k in range(1, 6)] == [False, True, False, True, False]


def _inventory_with(change) -> object:
    from whosaidwhat.core.inventory import load_inventory, parse_inventory

    raw = copy.deepcopy(load_inventory().raw)
    change({link["name"]: link for link in raw["links"]})
    return parse_inventory(raw)


def test_the_relation_rules_of_labels_json_are_enforced():
    doc = json.loads((FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))
    unknown = next(q for q in doc["quotes"] if q["speaker"]["kind"] == "unknown") if any(
        q["speaker"]["kind"] == "unknown" for q in doc["quotes"]) else None
    if unknown is None:
        doc["quotes"][0]["speaker"] = {"kind": "unknown", "mention": None, "entity": None}
        unknown = doc["quotes"][0]
    assert validate_document(doc, "x.json") == []
    # said_by no longer lists unknown: an unknown speaker is refused
    no_unknown = _inventory_with(lambda links: links["said_by"].__setitem__("to", ["mention", "entity"]))
    rules = [(p.rule, p.path) for p in validate_document(doc, "x.json", no_unknown)]
    assert rules == [("LABEL-UNKNOWN", f"$.quotes[{doc['quotes'].index(unknown)}].speaker.kind")]
    # made_in becomes required: a claim made in no quote is refused
    doc["claims"][0]["quote"] = None
    required = _inventory_with(lambda links: links["made_in"].__setitem__("required", True))
    assert [(p.rule, p.path) for p in validate_document(doc, "x.json", required)] == [("REF-DANGLING", "$.claims[0].quote")]
    # mention_of points to quotes instead of entities: every mention's entity now dangles
    to_quotes = _inventory_with(lambda links: links["mention_of"].__setitem__("to", ["quote"]))
    dangling = {p.path for p in validate_document(doc, "x.json", to_quotes) if p.rule == "REF-DANGLING"}
    assert dangling == {f"$.mentions[{i}].entity" for i in range(len(doc["mentions"]))}


def test_the_local_grapheme_check_agrees_with_segmenting_the_whole_text():
    """`Graphemes.splits` segments only around the offset (from sure boundaries: two ASCII characters other than
    CR LF) and the whole text only without one nearby; every offset of random texts built from the characters
    UAX #29 treats specially gives the answer of segmenting the whole text with `\\X`."""
    import random

    import regex

    from whosaidwhat.validation.text import _WINDOW, Graphemes

    palette = ["a", "b", " ", ".", "\r", "\n", "\u0301", "\u0308", "\u200d", "\U0001F469", "\U0001F4BB", "\U0001F1E9",
               "\U0001F1EA", "\U0001F3FD", "\u1100", "\u1161", "\u11A8", "\uAC00", "\u0915", "\u094D", "\u0937", "\u0600",
               "\u0903", "\ufe0f", "\u20e3", "1", "#", "\u00e9", "\u4e2d", "\u00a9"]
    rng = random.Random(15)
    for _ in range(1500):
        weights = [rng.random() ** 3 for _ in palette]
        text = "".join(rng.choices(palette, weights=weights, k=rng.randint(1, 3 * _WINDOW)))
        ends = {match.end() for match in regex.finditer(r"\X", text)}
        shared = Graphemes(text)  # once it has segmented the whole text, it answers from that
        for offset in range(len(text) + 1):
            expected = 0 < offset < len(text) and offset not in ends
            assert shared.splits(offset) == expected, (text, offset)
            assert Graphemes(text).splits(offset) == expected, (text, offset)


def test_the_compiled_schema_check_skips_the_item_names_and_still_refuses_what_the_schema_refuses():
    """fastjsonschema's code, minus the "data.mentions[3]" names it builds for every item (only clean/unclean is used)."""
    from whosaidwhat.validation.schemas import DOCUMENT, SUBMISSION, fast_check, validator

    for kind in (DOCUMENT, SUBMISSION):
        check = fast_check(kind)
        assert check is not None and check.__code__.co_filename == f"<{kind} schema check>"
    doc = json.loads((FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))
    variants = [doc]
    for field, value in (("start", -1), ("start", "3"), ("end", 2.5), ("text", 7), ("zz", 1)):
        bad = copy.deepcopy(doc)
        bad["mentions"][-1][field] = value
        variants.append(bad)
    answers = []
    for variant in variants:
        refused = bool(list(validator(DOCUMENT).iter_errors(variant)))
        try:
            fast_check(DOCUMENT)(variant)  # type: ignore[misc]
            answers.append((refused, False))
        except Exception as exc:
            assert "JsonSchema" in type(exc).__name__
            answers.append((refused, True))
    assert answers == [(False, False)] + [(True, True)] * 5
