"""Push records (the provenance kept in a task's meta), offline: what convert makes of them, and of broken ones."""

from __future__ import annotations

import copy
import json

from whosaidwhat.labelstudio import provenance as P
from whosaidwhat.labelstudio.convert import convert_export
from whosaidwhat.labelstudio.encode import annotation_results, document_to_task

from .annotator_folders import annotated_by, source_doc, without_label_studio
from .campaign import MINI
from .test_hostile_exports import _paths


def exported(doc: dict, annotator: str = "ann-x", user: int = 3) -> dict:
    """One task as Label Studio exports it after `push --annotator-from-provenance` (project 7, task 11)."""
    task = document_to_task(doc, None)
    key = P.push_key(7, doc["id"], annotator)
    record = P.push_record(doc, annotator, user, f"{annotator}@annotators.invalid", "http://ls.example:8080",
                           f"work/{annotator}/{doc['id']}.json", task["data"])
    return {"id": 11, "project": 7, "data": task["data"], "meta": P.with_records({"other": 1}, {str(key): record}),
            "annotations": [{"id": 21, "completed_by": user, "import_id": key, "project": 7, "task": 11,
                             "result": annotation_results(doc), "was_cancelled": False, "ground_truth": False,
                             "created_at": "2026-12-01T10:00:00Z", "updated_at": "2026-12-01T10:00:00Z",
                             "lead_time": 30.0, "updated_by": 1}],
            "predictions": [], "drafts": []}


def pushed_doc() -> dict:
    return annotated_by(source_doc(MINI), "ann-x", {"mentions": 30.0, "quotes": 30.0, "claims": 30.0})


def test_an_export_alone_gives_the_pushed_document_back_with_its_place_in_label_studio():
    doc = pushed_doc()
    task = exported(doc)
    [record] = task["meta"]["wsw"]["annotations"].values()
    converted = convert_export([task], source="export.json")  # no server URL: the record has it
    assert converted.ok, converted.report["problems"]
    [(path, pulled)] = converted.documents.items()
    assert path == f"annotators/ann-x/{MINI}.json"
    assert without_label_studio(pulled, doc) == doc
    producer = pulled["provenance"]["layers"]["claims"]["producers"][0]
    assert producer["workspace"] == "http://ls.example:8080/projects/7/data?task=11&annotation=21"
    assert pulled["provenance"]["layers"]["claims"]["changes"][-1] == (
        f"Label Studio: pushed by wsw at {record['pushed_at']} from "
        f"work/ann-x/{MINI}.json; pulled from http://ls.example:8080, project 7, task 11, annotation 21, "
        "completed_by user 3 <ann-x@annotators.invalid>, unchanged since the push")


def test_a_record_of_another_user_is_not_used():
    task = exported(pushed_doc())
    task["annotations"][0]["completed_by"] = 4  # the record names user 3
    converted = convert_export([task], source="export.json")
    assert list(converted.documents) == [f"annotators/ls-user-4/{MINI}.json"]
    assert any("names user 3, but completed_by is 4" in w["message"] for w in converted.report["warnings"])


def test_no_value_anywhere_in_a_push_record_makes_convert_raise_or_write_invalid_json():
    task = exported(pushed_doc())
    hostile = [["x"], {"k": 1}, None, 10 ** 30, float("inf"), "\ud83d", True, "jane@example.org"]
    runs = 0
    for path in [("annotations", 0, "import_id")] + [("meta",) + p for p in list(_paths(task["meta"]))[1:]]:
        for value in hostile:
            changed = copy.deepcopy(task)
            target = changed
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            converted = convert_export([changed], source="fuzz.json")  # must not raise
            for written in [converted.report, *converted.documents.values()]:
                text = json.dumps(written, ensure_ascii=False, allow_nan=False)
                text.encode("utf-8")
            if path[-1] == "email":  # only a placeholder address from the record is ever written
                assert "jane@example.org" not in json.dumps(list(converted.documents.values()))
            runs += 1
    assert runs > 500
