"""`wsw import wikinews`: the checks added after review (licenses against dates, surrogates, notes, output folders).

Every refusal is a problem with the record's file, its id, the field and a rule id; nothing is written.
"""

from __future__ import annotations

import json

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.importers.wikinews import SOURCES, convert_record

from .test_import import record

PD = "Public domain (Wikinews content created on or before 2005-09-25)"
CC = "CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/)"


def problems_of(rec) -> list[tuple[str | None, str]]:
    with pytest.raises(ProblemError) as caught:
        convert_record(rec, SOURCES["meantime_raw"], "bad.json", "raw/bad.json", "0" * 64)
    assert all(p.file == "bad.json" for p in caught.value.problems)
    return [(p.path, p.rule) for p in caught.value.problems]


def license_id(**changes) -> str:
    return convert_record(record(**changes), SOURCES["meantime_raw"], "r", "raw/r", "0" * 64)["metadata"]["license"]["id"]


# -- licenses: the sentence exactly, public domain only up to 2005-09-25 ----------------------------------
@pytest.mark.parametrize("date", ["2005-09-25", "2004-11-02", "2005-08", "2004"])
def test_public_domain_is_accepted_for_texts_of_the_public_domain_period(date):
    assert license_id(license=PD, date=date) == "LicenseRef-Wikinews-public-domain"


@pytest.mark.parametrize("date", ["2005-09-26", "2008-09-04", "2005-09", "2005"])
def test_public_domain_is_refused_for_texts_that_may_be_later(date):
    assert problems_of(record(license=PD, date=date)) == [("license", "IMPORT-RECORD-LICENSE")]


@pytest.mark.parametrize("sentence", ["CC BY 2.5", CC, "Public domain"])
def test_license_sentences_that_are_exactly_known(sentence):
    assert license_id(license=sentence, date="2005-01-01") in ("CC-BY-2.5", "LicenseRef-Wikinews-public-domain")


@pytest.mark.parametrize("sentence", ["CC BY 2.5-NC weird", "CC BY 2.50", "CC BY 2.5(x)", "Public domainish",
                                      "cc by 2.5", " CC BY 2.5"])
def test_license_sentences_that_only_start_like_a_known_one_are_refused(sentence):
    assert problems_of(record(license=sentence)) == [("license", "IMPORT-RECORD-LICENSE")]


# -- text that is not Unicode, notes that are not a list of strings -------------------------------------------
@pytest.mark.parametrize("changes, path", [
    ({"text": "Dow \udc00falls"}, "text"),
    ({"title": "\ud800"}, "title"),
    ({"notes": ["fine", "bad \udfff"]}, "notes[1]"),
    ({"provenance": {"repo": "x\ud83d"}}, "provenance.repo"),
])
def test_a_lone_surrogate_is_a_problem_naming_the_field(changes, path):
    assert problems_of(record(**changes)) == [(path, "IMPORT-RECORD-FIELD")]


@pytest.mark.parametrize("notes, path", [("one note", "notes"), (5, "notes"), ({"a": 1}, "notes"),
                                         (["fine", 7], "notes[1]"), ([None], "notes[0]")])
def test_notes_that_are_not_a_list_of_strings_are_a_problem(notes, path):
    assert problems_of(record(notes=notes)) == [(path, "IMPORT-RECORD-FIELD")]


def test_notes_are_recorded_one_by_one_and_may_be_absent():
    doc = convert_record(record(notes=["first", "second"]), SOURCES["meantime_raw"], "r", "raw/r", "0" * 64)
    assert [c for c in doc["provenance"]["source"]["cleaning"] if c.startswith("upstream note")] == [
        "upstream note: first", "upstream note: second"]
    without = record()
    del without["notes"]
    convert_record(without, SOURCES["meantime_raw"], "r", "raw/r", "0" * 64)


def test_every_problem_of_a_record_is_listed():
    found = problems_of(record(title=5, date="2009-02-20T10:00", notes="x", license="?"))
    assert sorted(found) == [("date", "IMPORT-RECORD-FIELD"), ("license", "IMPORT-RECORD-LICENSE"),
                             ("notes", "IMPORT-RECORD-FIELD"), ("title", "IMPORT-RECORD-FIELD")]


# -- through the command ----------------------------------------------------------------------------------------
def source_folder(tmp_path, **changes):
    src = tmp_path / "meantime_raw"
    src.mkdir()
    (src / "README.md").write_text("license notice", encoding="utf-8")
    (src / "MEANTIME_stock_1.json").write_text(json.dumps(record(**changes)), encoding="utf-8")
    return src


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_surrogate_in_the_text_is_refused_without_a_traceback(wsw, tmp_path):
    src = tmp_path / "meantime_raw"
    src.mkdir()
    (src / "README.md").write_text("license notice", encoding="utf-8")
    (src / "MEANTIME_stock_1.json").write_text(json.dumps(record()).replace('"text": "', '"text": "\\udc00', 1),
                                               encoding="utf-8")
    result = wsw("import", "wikinews", src, "--out", tmp_path / "docs", "--raw-dir", tmp_path / "raw")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # the strict JSON reader refuses it, naming the file and the field
    assert f"{src / 'MEANTIME_stock_1.json'}: $.text: [FILE-ENCODING]" in result.stderr
    assert not (tmp_path / "docs").exists() and not (tmp_path / "raw").exists()


@pytest.mark.parametrize("changes, line", [
    ({"license": PD}, "MEANTIME_stock_1: license: [IMPORT-RECORD-LICENSE]"),
    ({"license": "CC BY 2.5-NC weird"}, "MEANTIME_stock_1: license: [IMPORT-RECORD-LICENSE]"),
    ({"notes": 5}, "MEANTIME_stock_1: notes: [IMPORT-RECORD-FIELD]"),
])
def test_bad_records_are_refused_by_the_command(wsw, tmp_path, changes, line):
    src = source_folder(tmp_path, **changes)
    result = wsw("import", "wikinews", src, "--out", tmp_path / "docs", "--raw-dir", tmp_path / "raw")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{src / 'MEANTIME_stock_1.json'}: {line}" in result.stderr
    assert not (tmp_path / "docs").exists()


def test_a_duplicate_key_in_a_record_is_refused(wsw, tmp_path):
    src = source_folder(tmp_path)
    (src / "MEANTIME_stock_1.json").write_text(json.dumps(record())[:-1] + ', "text": "Other"}', encoding="utf-8")
    result = wsw("import", "wikinews", src, "--out", tmp_path / "docs", "--raw-dir", tmp_path / "raw")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{src / 'MEANTIME_stock_1.json'}: $: [JSON-DUPLICATE-KEY]" in result.stderr
    assert not (tmp_path / "docs").exists() and not (tmp_path / "raw").exists()


@pytest.mark.parametrize("option, where", [
    ("--out", "meantime_raw"), ("--out", "meantime_raw/docs"), ("--out", "."),
    ("--raw-dir", "meantime_raw/raw"), ("--raw-dir", "."),
])
def test_output_folders_in_or_around_the_source_are_refused(wsw, tmp_path, option, where):
    src = source_folder(tmp_path)
    other = {"--out": ("--raw-dir", tmp_path / "elsewhere" / "raw"), "--raw-dir": ("--out", tmp_path / "elsewhere" / "docs")}
    before = snapshot(tmp_path)
    result = wsw("import", "wikinews", src, option, tmp_path / where, *other[option])
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"[OUT-OVERLAPS-INPUT] {option} " in result.stderr
    assert snapshot(tmp_path) == before


def test_the_raw_folder_may_be_the_source_itself_to_re_import_from_the_raw_copies(wsw, tmp_path):
    src = source_folder(tmp_path)
    before = snapshot(src)
    result = wsw("import", "wikinews", src, "--out", tmp_path / "docs", "--raw-dir", src)
    assert result.returncode == 0, result.stderr
    assert snapshot(src) == before and (tmp_path / "docs" / "meantime-stock-1.json").is_file()
    assert wsw("import", "wikinews", src, "--out", tmp_path / "docs", "--raw-dir", src, "--check").returncode == 0
