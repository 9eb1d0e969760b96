"""`convert`: real Label Studio 1.23 exports -> valid canonical documents per (document, annotator), with a report.

The export files were made by fixtures/make_exports.py against a real server (see its docstring).
"""

from __future__ import annotations

import copy
import json

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.labelstudio import output as output_module
from whosaidwhat.labelstudio.convert import Annotators, convert_export
from whosaidwhat.labelstudio.encode import document_to_task
from whosaidwhat.labelstudio.output import write_output
from whosaidwhat.validation import validate_document

from .campaign import EXPECTED_A, EXPECTED_B, FIXTURES, MINI, layers_of, load_doc

LAYER_KEYS = ("entities", "mentions", "quotes", "claims")


def export(name: str):
    return json.loads((FIXTURES / f"export-{name}.json").read_text(encoding="utf-8"))


def convert(name: str, **options):
    return convert_export(export(name), source=f"export-{name}.json", **options)


def by_id(items):
    return sorted(items, key=lambda item: item["id"])


def test_sync_export_gives_one_valid_document_per_document_and_annotator():
    converted = convert("sync")
    assert converted.report["problems"] == []
    assert set(converted.documents) == {"annotators/ls-user-1/ls-mini-unicode.json",
                                        "annotators/ls-user-2/ls-mini-unicode.json",
                                        "annotators/ls-user-2/ls-attribution-kinds.json"}
    for doc in converted.documents.values():
        assert [p for p in validate_document(doc) if p.level == "error"] == []


def test_every_span_matches_the_text_after_emoji_crlf_and_combining_marks():
    for doc in convert("sync").documents.values():
        spans = [m for m in doc["mentions"]] + [s for q in doc["quotes"] for s in q["fragments"] + [q["cue"]] if s] + \
                [s for c in doc["claims"] for s in c["fragments"]]
        assert spans and all(doc["text"][s["start"]:s["end"]] == s["text"] for s in spans)
        assert any(ord(ch) > 0xFFFF for ch in doc["text"][: max(s["start"] for s in spans)])  # some span is after an emoji


@pytest.mark.parametrize("annotator, expected", [("ls-user-1", EXPECTED_A), ("ls-user-2", EXPECTED_B)])
def test_two_annotators_of_one_task_get_their_own_documents(annotator, expected):
    doc = convert("sync").documents[f"annotators/{annotator}/{MINI}.json"]
    for key in LAYER_KEYS:
        assert by_id(doc[key]) == by_id(expected[key]), key
    assert {n: r["status"] for n, r in doc["provenance"]["layers"].items()} == expected["status"]


def test_provenance_records_annotator_times_and_lead_time_but_no_email():
    raw = next(t for t in export("sync") if t["data"]["doc_id"] == MINI)
    annotation = next(a for a in raw["annotations"] if a["completed_by"] == 2)
    converted = convert("snapshot")  # the snapshot also carries e-mail addresses; they must not leak
    record = converted.documents[f"annotators/ls-user-2/{MINI}.json"]["provenance"]["layers"]["quotes"]
    assert record["producers"] == [{"kind": "human", "id": "ls-user-2", "version": None, "role": "annotated",
                                    "workspace": f"Label Studio project 1, task {raw['id']}, annotation {annotation['id']}"}]
    assert (record["created"], record["updated"], record["lead_time_seconds"]) == \
           (annotation["created_at"], annotation["updated_at"], 90.0)
    assert "@example.com" in json.dumps(export("snapshot"))  # the draft's author, by e-mail
    assert "@example.com" not in json.dumps(converted.documents) + json.dumps(converted.report)


def test_snapshot_and_sync_exports_give_the_same_documents():
    assert convert("snapshot").documents == convert("sync").documents


def test_pre_annotations_we_pushed_come_back_as_the_original_documents():
    converted = convert("snapshot", include_predictions=True)
    predicted = {path: doc for path, doc in converted.documents.items() if path.startswith("predictions/")}
    assert len(predicted) == 2
    for doc in predicted.values():
        original = load_doc(doc["id"])
        assert layers_of(doc) == layers_of(original)
        assert doc["provenance"] == original["provenance"]


def test_sync_export_lists_predictions_by_id_only_so_converting_them_is_an_error():
    problems = convert("sync", include_predictions=True).report["problems"]
    assert problems and all(p["rule"] == "LS-ANNOTATION-SHAPE" and "by id only" in p["message"] for p in problems)


def test_cancelled_annotations_drafts_and_predictions_are_reported_not_converted():
    reasons = sorted((s["doc_id"], s["reason"].split(" ")[0]) for s in convert("sync").report["skipped"])
    assert reasons == [("ls-attribution-kinds", "draft"), ("ls-attribution-kinds", "prediction"),
                       (MINI, "prediction"), ("ls-text-only", "cancelled")]


def test_annotator_map_gives_project_wide_ids():
    converted = convert("sync", annotators=Annotators({"2": "annotator-07"}))
    assert f"annotators/annotator-07/{MINI}.json" in converted.documents
    assert f"annotators/ls-user-1/{MINI}.json" in converted.documents


def test_an_older_annotation_by_the_same_annotator_is_superseded_and_reported():
    data = export("sync")
    task = next(t for t in data if t["data"]["doc_id"] == MINI)
    older = copy.deepcopy(next(a for a in task["annotations"] if a["completed_by"] == 1))
    older.update(id=99, updated_at="2000-01-01T00:00:00Z", result=[])
    task["annotations"].append(older)
    converted = convert_export(data)
    assert by_id(converted.documents[f"annotators/ls-user-1/{MINI}.json"]["quotes"]) == by_id(EXPECTED_A["quotes"])
    assert any(s["annotation"] == 99 and "superseded" in s["reason"] for s in converted.report["skipped"])


# -- old and tampered exports -------------------------------------------------------------------
def test_utf16_export_is_refused_region_by_region_with_the_reason():
    converted = convert("utf16")
    assert converted.documents == {}
    regions = {p["region"] for p in converted.report["problems"] if p["rule"] == "LS-OFFSETS-UTF16"}
    assert {"Qa1xYz0001", "BqTriple01", "q1", "c1~f2"} <= regions


@pytest.mark.parametrize("unit", ["utf16", "auto"])
def test_utf16_export_converts_when_the_unit_is_given_or_detected(unit):
    converted = convert("utf16", unit=unit)
    assert converted.report["problems"] == []
    reference = convert("sync").documents
    assert set(converted.documents) == set(reference)
    for path, doc in converted.documents.items():
        assert layers_of(doc) == layers_of(reference[path])
        assert "offsets converted from UTF-16 code units to code points" in doc["provenance"]["layers"]["mentions"]["changes"]


def test_tampered_export_gets_an_error_for_each_tampered_region():
    converted = convert("tampered")
    found = {(p["rule"], p["annotation"], p["region"], p["control"]) for p in converted.report["problems"]}
    assert {("LS-REGION-OFFSETS", 1, "aZ3kq9TnL1", "mention"), ("LS-REGION-LABEL", 2, "Bm1AcmeCrp", "mention"),
            ("LS-RELATION", 2, "BqTriple01", "relation"), ("LS-REGION-VALUE", 3, "q3", "quote_type")} <= found
    messages = " | ".join(p["message"] for p in converted.report["problems"])
    for fragment in ("does not match text[56, 65)", "unknown label 'ORGANISATION'", "'NoSuchRgn', which does not exist",
                     "unknown choice 'sarcastic'"):
        assert fragment in messages
    assert converted.documents == {}


def test_partial_writes_what_converts_and_records_each_omission():
    converted = convert("tampered", partial=True)
    doc = converted.documents[f"annotators/ls-user-2/{MINI}.json"]
    assert [m["id"] for m in doc["mentions"]] == ["Bm0Critics", "Bm2Council"]
    changes = doc["provenance"]["layers"]["mentions"]["changes"]
    assert any("Bm1AcmeCrp" in c and "ORGANISATION" in c for c in changes)
    assert all(not [p for p in validate_document(d) if p.level == "error"] for d in converted.documents.values())


def test_task_whose_text_changed_in_label_studio_is_refused():
    data = export("sync")
    data[0]["data"]["text"] += " edited"
    problems = convert_export(data).report["problems"]
    assert any(p["doc_id"] == data[0]["data"]["doc_id"] and p["rule"] == "LS-TASK-TEXT-CHANGED" and p["task"] == data[0]["id"]
               for p in problems)


def test_json_min_export_is_refused_with_the_reason():
    json_min = [{"id": 1, "text": "x", "doc_id": "a", "annotator": 1, "annotation_id": 1, "entity": []}]
    with pytest.raises(ProblemError, match="JSON_MIN export, which drops relations") as err:
        convert_export(json_min)
    assert err.value.rules == ["LS-EXPORT-FORMAT"]


# -- the output folder ------------------------------------------------------------------------------
def test_output_folder_holds_documents_and_report(tmp_path):
    out = write_output(tmp_path / "out", convert("sync"))
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.json"))
    assert written == ["annotators/ls-user-1/ls-mini-unicode.json", "annotators/ls-user-2/ls-attribution-kinds.json",
                       "annotators/ls-user-2/ls-mini-unicode.json", "report.json"]


def test_an_interrupted_write_leaves_the_previous_output_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_output(out, convert("sync"))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = []

    real_write = output_module._write

    def dying_write(path, content):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_write(path, content)

    monkeypatch.setattr(output_module, "_write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        write_output(out, convert("sync", annotators=Annotators({"1": "someone-else"})))
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind
    monkeypatch.undo()
    write_output(out, convert("sync", annotators=Annotators({"1": "someone-else"})))  # simply run again
    assert (out / "annotators" / "someone-else" / f"{MINI}.json").is_file()
    assert not (out / "annotators" / "ls-user-1").exists()


def test_a_run_stopped_between_the_two_renames_is_recovered(tmp_path):
    out = tmp_path / "out"
    write_output(out, convert("sync"))
    out.rename(tmp_path / ".out.previous-123")
    write_output(out, convert("sync"))
    assert (out / "report.json").is_file() and not list(tmp_path.glob(".out.*"))


def test_refuses_to_replace_a_folder_that_is_not_a_conversion_output(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "keep.json").write_text("{}")
    with pytest.raises(ProblemError, match="not the output of an earlier pull or convert"):
        write_output(tmp_path / "corpus", convert("sync"))
    assert (tmp_path / "corpus" / "keep.json").is_file()


# -- the command line ---------------------------------------------------------------------------------
def test_cli_convert_of_a_real_export_writes_valid_documents(wsw, tmp_path):
    result = wsw("labelstudio", "convert", FIXTURES / "export-sync.json", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "OK: 3 document(s)" in result.stderr
    check = wsw("validate", tmp_path / "out" / "annotators")
    assert check.returncode == 0, check.stdout + check.stderr


def test_cli_convert_of_a_tampered_export_names_task_annotation_and_region(wsw, tmp_path):
    result = wsw("labelstudio", "convert", FIXTURES / "export-tampered.json", "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "ls-mini-unicode: task 2 annotation 2 region Bm1AcmeCrp (mention): [LS-REGION-LABEL] unknown label 'ORGANISATION'" \
        in result.stdout
    assert "Traceback" not in result.stderr


def test_cli_convert_of_a_truncated_file_is_a_clear_error(wsw, tmp_path):
    truncated = tmp_path / "export.json"
    truncated.write_bytes((FIXTURES / "export-sync.json").read_bytes()[:5000])
    result = wsw("labelstudio", "convert", truncated, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "wsw: error:" in result.stderr and "[JSON-SYNTAX]" in result.stderr and "truncated" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_pushed_prediction_keeps_the_provenance_of_its_absent_layers():
    original = load_doc(MINI)
    original["claims"] = []
    original["provenance"]["layers"]["claims"] = {"status": "absent", "producers": [], "notes": "not annotated yet"}
    task = document_to_task(original, "predictions")
    task.update(id=7, annotations=[], drafts=[])
    task["predictions"][0].update(id=70, created_at="2026-01-01T00:00:00Z")
    converted = convert_export([task], include_predictions=True)
    (doc,) = converted.documents.values()
    assert doc["provenance"] == original["provenance"]
    assert layers_of(doc) == layers_of(original)


# -- failed runs never cost the previous output ------------------------------------------------------
def files_under(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_convert_leaves_the_previous_output_intact_and_writes_its_report_beside_it(wsw, tmp_path):
    out = tmp_path / "out"
    good = wsw("labelstudio", "convert", FIXTURES / "export-sync.json", "--out", out)
    assert good.returncode == 0, good.stderr
    before = files_under(out)
    failed = wsw("labelstudio", "convert", FIXTURES / "export-tampered.json", "--out", out)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert files_under(out) == before
    report = json.loads((tmp_path / "out.failed" / "report.json").read_text(encoding="utf-8"))
    assert report["source"].endswith("export-tampered.json") and report["problem_count"] > 0
    assert f"{out} was left as it was" in failed.stderr and f"{tmp_path / 'out.failed' / 'report.json'}" in failed.stderr


def test_a_successful_run_after_a_failed_one_removes_the_stale_failed_report(wsw, tmp_path):
    out = tmp_path / "out"
    assert wsw("labelstudio", "convert", FIXTURES / "export-tampered.json", "--out", out).returncode == 1
    assert not out.exists() and (tmp_path / "out.failed" / "report.json").is_file()
    assert wsw("labelstudio", "convert", FIXTURES / "export-sync.json", "--out", out).returncode == 0
    assert (out / "report.json").is_file() and not (tmp_path / "out.failed").exists()


def test_partial_still_replaces_the_output_with_what_converts(wsw, tmp_path):
    out = tmp_path / "out"
    result = wsw("labelstudio", "convert", FIXTURES / "export-tampered.json", "--out", out, "--partial")
    assert result.returncode == 1 and result.stderr.splitlines()[-1].startswith("PARTIAL: ")
    assert (out / "annotators" / "ls-user-2" / f"{MINI}.json").is_file() and not (tmp_path / "out.failed").exists()


def test_two_annotator_ids_that_would_share_a_folder_are_refused_naming_both(wsw, tmp_path):
    with pytest.raises(ProblemError, match=r"annotator ids '(ann:1|ann_1)' and '(ann:1|ann_1)' would both be written to "
                                           r"annotators/ann_1/") as err:
        convert("sync", annotators=Annotators({"1": "ann:1", "2": "ann_1"}))
    assert err.value.rules == ["LS-ANNOTATOR-COLLISION"]
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"1": "ann:1", "2": "ann_1"}), encoding="utf-8")
    result = wsw("labelstudio", "convert", FIXTURES / "export-sync.json", "--annotators", mapping, "--out", tmp_path / "o")
    assert result.returncode == 1 and result.stderr.startswith("wsw: error: ") and "'ann:1'" in result.stderr
    assert "[LS-ANNOTATOR-COLLISION]" in result.stderr and not (tmp_path / "o").exists()


def test_annotator_ids_in_distinct_folders_are_all_kept():
    converted = convert("sync", annotators=Annotators({"1": "ann:1", "2": "ann-1"}))
    assert {path.split("/")[1] for path in converted.documents} == {"ann_1", "ann-1"}
    assert not any("superseded" in s["reason"] for s in converted.report["skipped"])
