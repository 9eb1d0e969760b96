"""Hand corrections (annotation/gum/overrides.json) are applied, checked and recorded."""

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import parse_data

from .gumrec import A, M, record

TABLE = {"types": {}, "not_names": []}


def data(doc_overrides):
    return parse_data(TABLE, {"documents": {"GUM_news_test": doc_overrides}}, "t.json", "overrides.json")


REC = record("Title\n\nAccording to Yonhap news agency, the army was told to prepare.",
             [M("Yonhap news agency", "organization", "e1", head="agency", xpos="NN")],
             [A("the army was told to prepare.", "According to Yonhap news agency,", source="Yonhap news agency",
                cue="According to")])


def span(needle, shift=0):
    start = REC["text"].index(needle) + shift
    return {"start": start, "end": start + len(needle), "text": needle}


def test_an_override_sets_a_name_span_inside_the_gum_mention():
    doc, _ = convert_record(REC, data({"mentions": {"m1": {"name": span("Yonhap"),
                                                             "why": "the name before a lower-case description"}}}))
    assert [(m["text"], m["kind"]) for m in doc["mentions"]] == [("Yonhap", "name")]


def test_a_hand_change_is_listed_in_the_layer_provenance_with_its_reason():
    doc, _ = convert_record(REC, data({"mentions": {"m1": {"name": span("Yonhap"),
                                                             "why": "the name before a lower-case description"}}}))
    layer = doc["provenance"]["layers"]["mentions"]
    assert any("m1" in c and "'Yonhap'" in c and "lower-case description" in c for c in layer["changes"])
    assert layer["producers"][-1]["kind"] == "agent" and "overrides.json" in layer["producers"][-1]["role"]


def test_an_override_whose_span_text_does_not_match_the_record_fails_naming_file_and_document():
    with pytest.raises(ProblemError) as err:
        convert_record(REC, data({"mentions": {"m1": {"name": span("Yonhap", shift=-2),
                                                        "why": "shifted offsets"}}}))
    [problem] = err.value.problems
    assert (problem.rule, problem.file, problem.doc_id, problem.path) == (
        "IMPORT-CONVERT", "overrides.json", "GUM_news_test", "mentions.m1.name")
    assert "'Yonhap'" in problem.message


def test_an_override_must_say_why():
    with pytest.raises(ProblemError) as err:
        data({"mentions": {"m1": {"name": None}}})
    [problem] = err.value.problems
    assert (problem.rule, problem.file, problem.path) == ("IMPORT-DATA-INVALID", "overrides.json", "mentions.m1")
    assert "'why'" in problem.message


def test_an_override_naming_an_unknown_attribution_fails():
    with pytest.raises(ProblemError) as err:
        convert_record(REC, data({"attributions": {"a9": {"drop": True, "why": "no such relation"}}}))
    [problem] = err.value.problems
    assert (problem.rule, problem.path) == ("IMPORT-CONVERT", "attributions") and "a9" in problem.message


def test_an_attribution_override_drops_the_quote():
    doc, _ = convert_record(REC, data({"attributions": {"a1": {"drop": True, "why": "a relay"}}}))
    assert doc["quotes"] == []


def test_an_added_quote_gets_its_speaker_from_a_gum_mention():
    doc, _ = convert_record(REC, data({"quotes": [{
        "fragments": [span("the army was told to prepare")], "cue": None,
        "speaker": "m1", "type": "indirect", "why": "test"}], "attributions": {"a1": {"drop": True, "why": "test"}}}))
    assert [(q["fragments"][0]["text"], q["speaker"]) for q in doc["quotes"]] == [
        ("the army was told to prepare", {"kind": "mention", "mention": "m1"})]


def test_merged_clusters_become_one_entity():
    rec = record("Title\n\nTom Devocht left. Devocht returned.",
                 [M("Tom Devocht", "person", "e1"), M("Devocht", "person", "e2", nth=1)])
    doc, _ = convert_record(rec, data({"entities": {"e2": {"merge_into": "e1", "why": "same person"}}}))
    assert [e["id"] for e in doc["entities"]] == ["e1"] and {m["entity"] for m in doc["mentions"]} == {"e1"}


def test_an_unknown_entity_type_in_an_override_is_rejected():
    with pytest.raises(ProblemError) as err:
        data({"entities": {"e1": {"type": "PERSON", "why": "wrong label"}}})
    [problem] = err.value.problems
    assert (problem.rule, problem.path) == ("IMPORT-DATA-INVALID", "entities.e1") and "PERSON" in problem.message
