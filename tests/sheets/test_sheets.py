"""`wsw sheets`: annotation sheets (guidelines Appendix A) -> canonical documents, refusing what is wrong.

Every refusal is one `wsw: error:` line followed by the list of problems (file, document id, JSON path
in the sheet, rule where the validator found it), exit 1 for bad data and 2 for bad usage, no
traceback, and nothing written.
"""

from __future__ import annotations

import json
import os

import pytest

from whosaidwhat.core.document import dumps
from whosaidwhat.sheets import apply_sheet

from .helpers import DOC_ID, TEXT, document, setup, sheet, snapshot, span


def convert(wsw, root, *inputs, out="out"):
    return wsw("sheets", *(inputs or ("sheets",)), "--documents", "docs", "--out", out, cwd=root)


def refused(result, code=1):
    """The problem lines of a refusal, after checking its shape."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("wsw: error: ")]
    assert len(errors) == 1, result.stderr
    return [line.strip() for line in lines[errors[0] + 1:]]


def mutated(change) -> dict:
    data = sheet()
    change(data)
    return data


# -- a good sheet ------------------------------------------------------------------------------------
def test_a_valid_sheet_converts_keeping_fragments_and_notes(wsw, tmp_path):
    result = convert(wsw, setup(tmp_path))
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "out" / f"{DOC_ID}.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in doc["mentions"]] == ["m1", "m2"]  # text order in the document
    assert doc["quotes"][0]["fragments"] == [span("We will"), span("win.")]
    layer = doc["provenance"]["layers"]["mentions"]
    assert layer["status"] == "draft" and layer["producers"][0]["model"] == "m"
    assert layer["changes"][1:] == ["note: c1: a test note"]


# -- --out must not touch the inputs ---------------------------------------------------------------------
@pytest.mark.parametrize("inputs, out", [
    (("sheets",), "sheets"),                          # out is the sheet folder
    (("sheets",), "sheets/converted"),                # out is inside it
    (("sheets",), "."),                               # out holds it
    ((f"sheets/{DOC_ID}.json",), "sheets"),           # out is the folder of a sheet given as a file
    ((f"sheets/{DOC_ID}.json",), f"sheets/{DOC_ID}.json"),  # out is the sheet itself
])
def test_out_overlapping_an_input_is_refused_and_the_sheets_are_untouched(wsw, tmp_path, inputs, out):
    setup(tmp_path)
    before = snapshot(tmp_path)
    result = convert(wsw, tmp_path, *inputs, out=out)
    assert refused(result, code=2) == []
    assert result.stderr.startswith(f"wsw: error: {out}: [OUT-OVERLAPS-INPUT] --out ") and "input" in result.stderr
    assert snapshot(tmp_path) == before


def test_out_equal_to_the_documents_folder_is_refused_also_through_a_link(wsw, tmp_path):
    setup(tmp_path)
    os.symlink(tmp_path / "docs", tmp_path / "docs-link")
    before = snapshot(tmp_path / "docs")
    for out in ("docs", "docs-link"):
        result = convert(wsw, tmp_path, out=out)
        assert refused(result, code=2) == [] and "documents folder" in result.stderr
        assert "[OUT-OVERLAPS-INPUT]" in result.stderr
    assert snapshot(tmp_path / "docs") == before


# -- one sheet per document -----------------------------------------------------------------------------
def test_two_sheets_for_one_document_are_refused_naming_both(wsw, tmp_path):
    other = sheet()
    other["annotator"]["id"] = "ann-y"
    setup(tmp_path, sheets={"a.json": sheet(), "b.json": other})
    lines = refused(convert(wsw, tmp_path))
    assert len(lines) == 1
    assert lines[0].startswith(f"sheets/b.json: {DOC_ID}: $.doc_id: [SHEET-DUPLICATE] ") and "sheets/a.json" in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_sheet_given_twice_is_one_sheet(wsw, tmp_path):
    result = convert(wsw, setup(tmp_path), "sheets", f"sheets/{DOC_ID}.json")
    assert result.returncode == 0, result.stderr
    assert "converted 1 sheet(s)" in result.stderr


# -- malformed sheets: a problem at its JSON path, never a traceback ---------------------------------------
@pytest.mark.parametrize("change, path, rule", [
    (lambda s: s["quotes"].append("q2"), "$.quotes[1]", "SHEET-FIELD"),
    (lambda s: s.__setitem__("quotes", {"q1": 1}), "$.quotes", "SHEET-FIELD"),
    (lambda s: s["claims"].append(None), "$.claims[1]", "SHEET-FIELD"),
    (lambda s: s["mentions"].append("m3"), "$.mentions[2]", "SHEET-FIELD"),
    (lambda s: s["entities"].append(None), "$.entities[2]", "SHEET-FIELD"),
    (lambda s: s.pop("claims"), "$.claims", "SHEET-FIELD"),
    (lambda s: s["quotes"][0].__setitem__("fragments", "We will win."), "$.quotes[0].fragments", "SHEET-FIELD"),
    (lambda s: s.__setitem__("notes", 5), "$.notes", "SHEET-FIELD"),
    (lambda s: s.__setitem__("notes", "c1: a note"), "$.notes", "SHEET-FIELD"),
    (lambda s: s.__setitem__("notes", ["fine", {"x": 1}]), "$.notes[1]", "SHEET-FIELD"),
    (lambda s: s.__setitem__("started", "2026-12-05T06:30:00"), "$.started", "SHEET-TIME"),   # naive, finished aware
    (lambda s: s.__setitem__("finished", "2026-12-05T06:45:00"), "$.finished", "SHEET-TIME"),
    (lambda s: s.__setitem__("started", "2026-12-05"), "$.started", "SHEET-TIME"),            # a date, no time
    (lambda s: s.__setitem__("started", "2026-W49"), "$.started", "SHEET-TIME"),
    (lambda s: s.__setitem__("started", "2026-02-30T06:30:00Z"), "$.started", "SHEET-TIME"),  # not in the calendar
    (lambda s: s.__setitem__("finished", "2026-12-05T06:00:00Z"), "$.finished", "SHEET-TIME"),  # before started
    (lambda s: s["annotator"].__setitem__("model", 7), "$.annotator.model", "SHEET-FIELD"),
    (lambda s: s["annotator"].__setitem__("model_version", ["1"]), "$.annotator.model_version", "SHEET-FIELD"),
    (lambda s: s["annotator"].__setitem__("kind", "robot"), "$.annotator.kind", "LABEL-UNKNOWN"),
    (lambda s: s.__setitem__("annotator", "ann-x"), "$.annotator", "SHEET-FIELD"),
    (lambda s: s["mentions"][0].__setitem__("start", 1), "$.mentions[0]", "SHEET-SPAN"),
    (lambda s: s["mentions"][0].__setitem__("end", 10**9), "$.mentions[0]", "SHEET-SPAN"),
    (lambda s: s["mentions"][0].__setitem__("start", "1"), "$.mentions[0]", "SHEET-SPAN"),
    (lambda s: s["mentions"][0].__setitem__("entity", "e9"), "$.mentions[0].entity", "SHEET-REF"),
    (lambda s: s.__setitem__("text_sha256", "0" * 64), "$.text_sha256", "SHEET-TEXT-HASH"),
    (lambda s: s.__setitem__("claim", []), "$.claim", "SHEET-KEY-UNKNOWN"),     # a misspelt key is not ignored
])
def test_a_malformed_sheet_is_reported_at_its_path(wsw, tmp_path, change, path, rule):
    setup(tmp_path, sheets={f"{DOC_ID}.json": mutated(change)})
    lines = refused(convert(wsw, tmp_path))
    assert [line for line in lines if line.startswith(f"sheets/{DOC_ID}.json: {DOC_ID}: {path}: [{rule}] ")], lines
    assert not (tmp_path / "out").exists()


def test_an_unknown_top_level_key_refuses_the_sheet_in_the_library_too():
    result = apply_sheet(document(), mutated(lambda s: s.__setitem__("quotez", [])), file="s.json")
    assert result.document is None
    assert [(p.rule, p.file, p.doc_id, p.path) for p in result.problems] == [
        ("SHEET-KEY-UNKNOWN", "s.json", DOC_ID, "$.quotez")]


def test_notes_of_the_wrong_type_are_never_split_into_characters():
    result = apply_sheet(document(), mutated(lambda s: s.__setitem__("notes", "c1: a note")))
    assert result.document is None
    assert [(p.rule, p.path) for p in result.problems] == [("SHEET-FIELD", "$.notes")]


def test_a_duplicate_json_key_is_refused(wsw, tmp_path):
    text = json.dumps(sheet())[:-1] + ', "claims": []}'
    setup(tmp_path, sheets={f"{DOC_ID}.json": text})
    lines = refused(convert(wsw, tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"sheets/{DOC_ID}.json: {DOC_ID}: $: [JSON-DUPLICATE-KEY] ")
    assert "claims" in lines[0]


def test_a_fifo_named_like_a_sheet_is_refused_not_waited_on(wsw, tmp_path):
    setup(tmp_path)
    os.mkfifo(tmp_path / "sheets" / "fifo.json")
    lines = refused(convert(wsw, tmp_path, "sheets/fifo.json"))
    assert len(lines) == 1 and lines[0].startswith("sheets/fifo.json: [FILE-NOT-REGULAR] ")


def test_annotator_ids_that_differ_only_by_case_are_refused(wsw, tmp_path):
    other = sheet()
    other["annotator"]["id"] = "ANN-X"
    other["doc_id"] = "second"
    second = document()
    second["id"] = "second"
    setup(tmp_path, sheets={"a.json": sheet(), "b.json": other})
    (tmp_path / "docs" / "second.json").write_text(dumps(second), encoding="utf-8")
    lines = refused(convert(wsw, tmp_path))
    assert len(lines) == 1 and lines[0].startswith("sheets/b.json: $.annotator.id: [ANNOTATOR-ID-CASE] "), lines
    assert not (tmp_path / "out").exists()


def test_fragments_out_of_order_are_reported_not_re_sorted(wsw, tmp_path):
    setup(tmp_path, sheets={f"{DOC_ID}.json": mutated(
        lambda s: s["quotes"][0].__setitem__("fragments", [span("win."), span("We will")]))})
    lines = refused(convert(wsw, tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"sheets/{DOC_ID}.json: {DOC_ID}: $.quotes[0].fragments[1]: "
                                                   "[FRAGMENT-ORDER]")


def test_validator_paths_are_paths_in_the_sheet_though_mentions_are_reordered():
    """m1 is second in the sheet (first in the text): its bad kind is reported at $.mentions[1]."""
    result = apply_sheet(document(), mutated(lambda s: s["mentions"][1].__setitem__("kind", "proper")))
    assert result.document is None
    assert [(p.rule, p.path) for p in result.problems] == [("LABEL-UNKNOWN", "$.mentions[1].kind")]


# -- validator warnings: printed; ENTITY-UNUSED refused -------------------------------------------------------
def test_validation_warnings_are_printed_and_the_sheet_converted(wsw, tmp_path):
    start = TEXT.index("e\u0301t")
    setup(tmp_path, sheets={f"{DOC_ID}.json": mutated(lambda s: (
        s["entities"].append({"id": "e3", "type": "MISC", "name": "e", "kb_id": None}),
        s["mentions"].append({"id": "m3", "start": start, "end": start + 1, "text": "e", "kind": "name", "entity": "e3"})))})
    result = convert(wsw, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"sheets/{DOC_ID}.json: {DOC_ID}: $.mentions[2]: [SPAN-SPLITS-CHAR] warning: " in result.stderr
    assert (tmp_path / "out" / f"{DOC_ID}.json").is_file()


def test_an_entity_without_a_mention_is_refused(wsw, tmp_path):
    setup(tmp_path, sheets={f"{DOC_ID}.json": mutated(
        lambda s: s["entities"].append({"id": "e7", "type": "ORG", "name": "Nobody", "kb_id": None}))})
    lines = refused(convert(wsw, tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"sheets/{DOC_ID}.json: {DOC_ID}: $.entities[2]: [SHEET-ENTITY-UNUSED] ")
    assert "warning" not in lines[0]


# -- the documents the sheets are checked against --------------------------------------------------------
def test_a_document_whose_text_is_withheld_refuses_the_sheet(wsw, tmp_path):
    withheld = document(redistributable=False)
    withheld["text"] = None
    setup(tmp_path, doc=withheld)
    lines = refused(convert(wsw, tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"sheets/{DOC_ID}.json: {DOC_ID}: $.doc_id: [SHEET-DOC-INVALID] ")
    assert "withheld" in lines[0]


def test_a_document_file_that_is_not_an_object_refuses_the_sheet(wsw, tmp_path):
    setup(tmp_path)
    (tmp_path / "docs" / f"{DOC_ID}.json").write_text("[]", encoding="utf-8")
    lines = refused(convert(wsw, tmp_path))
    assert lines[0].startswith(f"sheets/{DOC_ID}.json: {DOC_ID}: $.doc_id: [SHEET-DOC-INVALID] ")
    assert f"docs/{DOC_ID}.json" in lines[0]
    assert any(line.startswith(f"docs/{DOC_ID}.json: ") and "[SCHEMA]" in line for line in lines[1:]), lines


def test_a_canonical_document_given_as_a_sheet_is_named_as_such(wsw, tmp_path):
    setup(tmp_path)
    (tmp_path / "sheets" / "other.json").write_text(dumps(document()), encoding="utf-8")
    lines = refused(convert(wsw, tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"sheets/other.json: {DOC_ID}: $.doc_id: [SHEET-IS-DOCUMENT] ")


def test_every_problem_of_every_sheet_is_listed_at_once(wsw, tmp_path):
    setup(tmp_path, sheets={"a.json": mutated(lambda s: s.__setitem__("notes", 5)), "b.json": "{", "c.json": []})
    lines = refused(convert(wsw, tmp_path))
    assert [line.split(":")[0] for line in lines] == ["sheets/a.json", "sheets/b.json", "sheets/c.json"]
    assert [line.split("[")[1].split("]")[0] for line in lines] == ["SHEET-FIELD", "JSON-SYNTAX", "JSON-NOT-OBJECT"]
