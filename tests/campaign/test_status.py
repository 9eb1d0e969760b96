"""`wsw campaign status`: no traceback on files that are not annotated documents, no double counting, no "0 of 0"."""

from __future__ import annotations

import json

import pytest

from whosaidwhat.campaign import Work, status

from ..agreement.helpers import annotation, write


def run(wsw, *args):
    return wsw("campaign", "status", *map(str, args), "--format", "json")


def no_traceback(result):
    assert "Traceback" not in result.stderr, result.stderr


def doc_of(annotator: str, doc_id: str = "ford-jobs", lead: float | None = None) -> dict:
    doc = annotation(annotator)
    doc["id"] = doc_id
    doc["provenance"]["layers"]["mentions"]["lead_time_seconds"] = lead
    return doc


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# -- folders holding JSON that is not an annotated document -------------------------------------------------
NOT_DOCUMENTS = {
    "raw.json": {"doc_id": "MEANTIME_stock_1", "text": "x", "provenance": {"repo": "x/y"}},  # a raw record
    "empty-layers.json": {"id": "x", "provenance": {"layers": {}}},
    "no-id.json": {"id": "y", "provenance": {"layers": {"mentions": {"status": "draft", "producers": [{"kind": "agent"}]}}}},
    "producer-string.json": {"id": "z", "provenance": {"layers": {"mentions": {"status": "draft", "producers": ["ann"]}}}},
    "list.json": [1, 2],
    "layers-list.json": {"id": "w", "provenance": {"layers": []}},
}


def test_files_that_are_not_annotated_documents_are_skipped_with_a_warning(wsw, tmp_path):
    folder = tmp_path / "pass"
    write(folder, doc_of("ann-a", lead=30.0))
    for name, value in NOT_DOCUMENTS.items():
        write_json(folder / name, value)
    result = run(wsw, folder)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    warned = sorted(line.split(": ")[0].rsplit("/", 1)[-1] for line in result.stderr.splitlines()
                    if ": [CAMPAIGN-SKIPPED] warning: " in line)
    assert warned == sorted(NOT_DOCUMENTS)
    data = json.loads(result.stdout)
    assert data["total"] == 1 and data["annotators"] == {"ann-a": {"done": 1, "skipped": 0, "median_lead_time_seconds": 30.0}}


def test_a_folder_of_raw_records_is_refused_listing_them(wsw, tmp_path):
    for i in range(3):
        write_json(tmp_path / "raw" / f"MEANTIME_stock_{i}.json", {"doc_id": f"MEANTIME_stock_{i}", "provenance": {}})
    result = run(wsw, tmp_path / "raw")
    no_traceback(result)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("wsw: error: ") and len(lines) == 4
    assert all(line.strip().startswith(str(tmp_path / "raw" / "MEANTIME_stock_")) for line in lines[1:])
    assert all(": [CAMPAIGN-NOTHING] " in line for line in lines[1:])


# -- exports whose annotations have the wrong shape ---------------------------------------------------------
@pytest.mark.parametrize("annotations, path", [
    (["x"], "$[0].annotations[0]"),
    ({"a": 1}, "$[0].annotations"),
    ("done", "$[0].annotations"),
    ([None], "$[0].annotations[0]"),
])
def test_an_export_with_malformed_annotations_is_refused_at_its_path(wsw, tmp_path, annotations, path):
    export = write_json(tmp_path / "export.json", [{"id": 1, "data": {"doc_id": "d1"}, "annotations": annotations}])
    result = run(wsw, export)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.startswith(f"wsw: error: {export}: {path}: [CAMPAIGN-EXPORT-SHAPE] ")


def test_odd_but_harmless_export_fields_do_not_crash(wsw, tmp_path):
    export = write_json(tmp_path / "export.json", [
        {"id": 1, "data": {"doc_id": "d1"}, "meta": "x", "annotations": [{"completed_by": {"id": 5, "email": "a@b"}}]},
        {"id": 2, "data": {"doc_id": "d2"}, "meta": {"wsw": {"annotations": {"7": "x"}}},
         "annotations": [{"completed_by": 6, "import_id": 7, "lead_time": "12"}]}])
    result = run(wsw, export)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)["annotators"]) == ["ls-user-5", "ls-user-6"]


# -- nothing counted twice -------------------------------------------------------------------------------------
def test_the_same_source_given_twice_counts_once(wsw, tmp_path):
    folder = tmp_path / "pass"
    write(folder, doc_of("ann-a", lead=10.0))
    once = json.loads(run(wsw, folder).stdout)
    twice = run(wsw, folder, folder, tmp_path / "pass" / ".." / "pass")
    assert twice.returncode == 0 and json.loads(twice.stdout) == once
    assert once["documents"]["ford-jobs"] == {"finished": ["ann-a"], "skipped": [], "ready_for_adjudication": False}


def test_one_annotation_in_two_sources_counts_once(wsw, tmp_path):
    write(tmp_path / "copy1", doc_of("ann-a"))
    write(tmp_path / "copy2", doc_of("ann-a"))
    write(tmp_path / "other", doc_of("ann-b"))
    data = json.loads(run(wsw, tmp_path / "copy1", tmp_path / "copy2").stdout)
    assert data["ready"] == 0 and data["annotators"]["ann-a"]["done"] == 1
    assert data["documents"]["ford-jobs"]["finished"] == ["ann-a"]
    data = json.loads(run(wsw, tmp_path / "copy1", tmp_path / "copy2", tmp_path / "other").stdout)
    assert data["ready"] == 1 and data["documents"]["ford-jobs"]["finished"] == ["ann-a", "ann-b"]


def test_an_annotator_who_submitted_a_document_twice_counts_once(wsw, tmp_path):
    export = write_json(tmp_path / "export.json", [{"id": 1, "data": {"doc_id": "d1"}, "annotations": [
        {"completed_by": 1, "lead_time": 10}, {"completed_by": 1, "lead_time": 20},
        {"completed_by": 1, "was_cancelled": True}]}])
    data = json.loads(run(wsw, export).stdout)
    assert data["documents"]["d1"] == {"finished": ["ls-user-1"], "skipped": [], "ready_for_adjudication": False}
    assert data["annotators"]["ls-user-1"] == {"done": 1, "skipped": 0, "median_lead_time_seconds": 10.0}


def test_status_keeps_one_record_per_document_and_annotator_a_finish_over_a_skip():
    result = status([Work("d", "a", skipped=True), Work("d", "a", lead_time=5.0), Work("d", "a", lead_time=9.0),
                     Work("d", "b")], needed=2)
    assert result["documents"]["d"] == {"finished": ["a", "b"], "skipped": [], "ready_for_adjudication": True}
    assert result["annotators"]["a"] == {"done": 1, "skipped": 0, "median_lead_time_seconds": 5.0}


# -- an empty source is bad usage, not "0 of 0" ---------------------------------------------------------------
def test_an_empty_folder_or_export_is_a_usage_error(wsw, tmp_path):
    (tmp_path / "empty").mkdir()
    export = write_json(tmp_path / "export.json", [])
    for source in (tmp_path / "empty", export):
        result = wsw("campaign", "status", source)
        no_traceback(result)
        assert result.returncode == 2 and result.stderr.startswith(f"wsw: error: {source}: [CAMPAIGN-NOTHING] ")
        assert "0 of 0" not in result.stdout


# -- one annotator, one spelling --------------------------------------------------------------------------------
def test_annotator_ids_that_differ_only_by_case_are_refused(wsw, tmp_path):
    write(tmp_path / "one", doc_of("ann-a"))
    write(tmp_path / "two", doc_of("Ann-A"))
    result = run(wsw, tmp_path / "one", tmp_path / "two")
    no_traceback(result)
    assert result.returncode == 1 and "[ANNOTATOR-ID-CASE]" in result.stderr and "'ann-a' and 'Ann-A'" in result.stderr
    assert result.stdout == ""
