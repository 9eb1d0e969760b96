"""Canonical layers <-> Label Studio results: lossless both ways, and every defect reported per region."""

from __future__ import annotations

import copy

import pytest

from whosaidwhat.core.inventory import load_inventory
from whosaidwhat.labelstudio.decode import decode_result
from whosaidwhat.labelstudio.encode import document_to_task, encode_results
from whosaidwhat.labelstudio.offsets import Utf16Index

from .campaign import ANNOTATOR_A, ANNOTATOR_B, EXPECTED_A, EXPECTED_B, MINI, ZOE, load_doc

INV = load_inventory()
DOCS = ["ls-mini-unicode", "ls-attribution-kinds", "ls-text-only"]
LAYER_KEYS = ("entities", "mentions", "quotes", "claims")


def decode(text, result, unit="codepoints"):
    return decode_result(text, result, INV, unit)


def by_id(items):
    return sorted(items, key=lambda item: item["id"])


def mini_text():
    return load_doc(MINI)["text"]


def messages(decoded):
    return [(p.region, p.message) for p in decoded.problems]


# -- lossless round trip ---------------------------------------------------------------------
@pytest.mark.parametrize("name", DOCS)
def test_decode_of_encode_gives_back_every_layer(name):
    doc = load_doc(name)
    decoded = decode(doc["text"], encode_results(doc))
    assert decoded.problems == []
    for key in LAYER_KEYS:
        assert by_id(getattr(decoded, key)) == by_id(doc[key]), key


@pytest.mark.parametrize("name", DOCS)
def test_annotated_layers_travel_as_a_document_choice(name):
    doc = load_doc(name)
    annotated = tuple(n for n, r in doc["provenance"]["layers"].items() if r["status"] != "absent")
    assert (decode(doc["text"], encode_results(doc)).annotated_layers or ()) == annotated


def test_region_ids_are_derived_from_canonical_ids():
    ids = {item.get("id") for item in encode_results(load_doc(MINI)) if item.get("type") == "labels"}
    assert {"m1", "m5", "q1", "q1~f2", "q1~cue", "c1"} <= ids


def test_task_data_is_keyed_by_doc_id_and_carries_what_a_canonical_document_needs():
    doc = load_doc(MINI)
    task = document_to_task(doc, "predictions")
    assert task["data"]["doc_id"] == MINI and task["data"]["text"] == doc["text"]
    assert task["data"]["wsw"]["metadata"] == doc["metadata"]
    assert task["predictions"][0]["model_version"] == "wsw:gold/human:annotator-01"


def test_model_version_names_each_layer_when_producers_differ():
    version = document_to_task(load_doc("ls-attribution-kinds"))["predictions"][0]["model_version"]
    assert version == ("wsw:mentions=gold/human:annotator-02;quotes=silver/model:quote-tagger@0.3.1;"
                       "claims=draft/human:annotator-03")


def test_text_only_document_becomes_a_task_without_predictions():
    assert "predictions" not in document_to_task(load_doc("ls-text-only"), "predictions")


# -- what annotators produce in the browser ----------------------------------------------------
@pytest.mark.parametrize("result, expected", [(ANNOTATOR_A, EXPECTED_A), (ANNOTATOR_B, EXPECTED_B)])
def test_browser_annotations_decode_to_the_expected_layers(result, expected):
    decoded = decode(mini_text(), result)
    assert decoded.problems == []
    for key in LAYER_KEYS:
        assert by_id(getattr(decoded, key)) == by_id(expected[key]), key


def test_relation_direction_does_not_matter():
    flipped = [dict(item, from_id=item["to_id"], to_id=item["from_id"]) if item.get("type") == "relation" else item
               for item in ANNOTATOR_A]
    assert decode(mini_text(), flipped).quotes == decode(mini_text(), ANNOTATOR_A).quotes


def test_coref_relation_and_shared_entity_key_make_the_same_cluster():
    keyed = [item for item in ANNOTATOR_B if item.get("labels") != ["coref"]]
    for rid in ("Bm1AcmeCrp", "Bm2Council"):
        keyed.append({"id": rid, "from_name": "entity", "to_name": "text", "type": "textarea",
                      "value": {"start": 126 if rid == "Bm1AcmeCrp" else 211, "end": 135 if rid == "Bm1AcmeCrp" else 227,
                                "text": ["acme"]}})
    decoded = decode(mini_text(), keyed)
    assert decoded.problems == []
    assert {m["id"]: m["entity"] for m in decoded.mentions if m["type"] == "ORG"} == {"Bm1AcmeCrp": "acme", "Bm2Council": "acme"}


# -- every defect is reported with its region, nothing is dropped silently -----------------------
def _edit(result, region, control, change):
    result = copy.deepcopy(result)
    for item in result:
        if item.get("id") == region and item.get("from_name") == control:
            change(item)
    return result


def _single_issue(decoded, rule, region, *fragments):
    """A problem of rule `rule` on `region` (its message saying `fragments`, for the reader)."""
    found = [p for p in decoded.problems if p.region == region and p.rule == rule]
    assert found, f"no {rule} for region {region}: {[(p.rule, p.region, p.message) for p in decoded.problems]}"
    assert any(all(f in p.message for f in fragments) for p in found), [p.message for p in found]


def test_offsets_that_do_not_match_value_text_are_reported_and_the_mention_left_out():
    result = _edit(ANNOTATOR_B, "Bm0Critics", "mention", lambda i: i["value"].update(start=114))
    decoded = decode(mini_text(), result)
    _single_issue(decoded, "LS-REGION-OFFSETS", "Bm0Critics", "does not match text[114, 135)", "occurs at [113, 135)")
    assert "Bm0Critics" not in {m["id"] for m in decoded.mentions}
    _single_issue(decoded, "LS-ITEM-DEPENDS", "BqTriple01", "relation")  # its quote's speaker is gone too, and says so


def test_unknown_label_is_reported_with_the_allowed_ones():
    result = _edit(ANNOTATOR_B, "Bm1AcmeCrp", "mention", lambda i: i["value"].update(labels=["COMPANY"]))
    _single_issue(decode(mini_text(), result), "LS-REGION-LABEL", "Bm1AcmeCrp", "unknown label 'COMPANY'", "PER, ORG")


def test_relation_to_a_missing_region_is_reported():
    result = copy.deepcopy(ANNOTATOR_A) + [{"from_id": "Qa1xYz0001", "to_id": "Gone000000", "type": "relation",
                                             "direction": "right", "labels": ["said_by"]}]
    decoded = decode(mini_text(), result)
    _single_issue(decoded, "LS-RELATION", "Qa1xYz0001", "points to region 'Gone000000', which does not exist")
    assert decoded.quotes == []


def test_utf16_offsets_are_reported_as_such_and_convert_when_asked():
    text = mini_text()
    index = Utf16Index(text)
    old = copy.deepcopy(ANNOTATOR_A)
    for item in old:
        if "start" in item.get("value", {}):
            item["value"]["start"], item["value"]["end"] = index.to_utf16(item["value"]["start"]), index.to_utf16(item["value"]["end"])
    _single_issue(decode(text, old), "LS-OFFSETS-UTF16", "Qa1xYz0001", "UTF-16 code units", "--offsets utf16")
    for unit in ("utf16", "auto"):
        decoded = decode(text, old, unit)
        assert decoded.problems == [] and decoded.unit == "utf16"
        assert decoded.quotes == decode(text, ANNOTATOR_A).quotes


def test_text_that_differs_only_in_normalisation_is_explained():
    result = _edit(ANNOTATOR_A, "aZ3kq9TnL1", "mention", lambda i: i["value"].update(text="Zoë Ünal"))  # NFC
    _single_issue(decode(mini_text(), result), "LS-REGION-OFFSETS", "aZ3kq9TnL1", "Unicode normalization")


@pytest.mark.parametrize("edit, rule, region, fragment", [
    (lambda r: [i for i in r if i.get("labels") != ["said_by"]], "LS-ITEM-INCOMPLETE", "BqTriple01", "quote has no speaker"),
    (lambda r: [i for i in r if not (i.get("id") == "Bm0Critics" and i["from_name"] == "mention_kind")],
     "LS-ITEM-INCOMPLETE", "Bm0Critics", "mention has no kind"),
    (lambda r: [dict(i, labels=["said_by"]) if i.get("labels") == ["cue_of"] else i for i in r],
     "LS-RELATION", "BqTriple01", "its label must be 'cue_of'"),
    (lambda r: r + [{"id": "NoRegion00", "from_name": "quote_type", "to_name": "text", "type": "choices",
                     "value": {"start": 1, "end": 2, "text": "a", "choices": ["direct"]}}],
     "LS-REGION-VALUE", "NoRegion00", "region that does not exist"),
    (lambda r: r + [{"id": "BkBridge01", "from_name": "claimant", "to_name": "text", "type": "choices",
                     "value": {"start": 168, "end": 196, "text": "The bridge collapsed in 2019", "choices": ["pundit"]}}],
     "LS-REGION-VALUE", "BkBridge01", "unknown choice 'pundit'"),
    (lambda r: r + [{"id": "BkBridge01", "from_name": "sentiment", "to_name": "text", "type": "choices",
                     "value": {"choices": ["x"]}}], "LS-CONFIG-FOREIGN", "BkBridge01", "unknown control 'sentiment'"),
    (lambda r: r + [{"from_id": "BqTriple01", "to_id": "Bm1AcmeCrp", "type": "relation", "labels": []}],
     "LS-ITEM-INCOMPLETE", "BqTriple01", "2 speakers"),
    (lambda r: r + [{"id": "Bm1AcmeCrp", "from_name": "entity", "to_name": "text", "type": "textarea",
                     "value": {"start": 126, "end": 135, "text": ["k1"]}},
                    {"id": "Bm2Council", "from_name": "entity", "to_name": "text", "type": "textarea",
                     "value": {"start": 211, "end": 227, "text": ["k2"]}}], "LS-ENTITY-CONFLICT", "Bm1AcmeCrp", "different entity keys"),
    (lambda r: r + [{"id": "BkBridge01", "from_name": "quote_type", "to_name": "text", "type": "choices",
                     "value": {"start": 168, "end": 196, "text": "The bridge collapsed in 2019", "choices": ["direct"]}}],
     "LS-REGION-VALUE", "BkBridge01", "quote_type belongs on a Quote region"),
])
def test_each_defect_is_reported_on_its_region(edit, rule, region, fragment):
    _single_issue(decode(mini_text(), edit(copy.deepcopy(ANNOTATOR_B))), rule, region, fragment)


def test_a_clean_annotation_has_no_issues_and_zoe_is_stored_decomposed():
    assert ZOE in mini_text() and "Zoë Ünal" not in mini_text()
    assert decode(mini_text(), ANNOTATOR_B).problems == []
