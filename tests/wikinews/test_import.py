"""`wsw import wikinews`: the three Wikinews record folders become documents with their license and origin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.importers.wikinews import SOURCES, convert_record, document_id

from ..conftest import REPO

RAW = REPO / "corpus" / "raw"


def record(**changes) -> dict:
    base = {
        "doc_id": "MEANTIME_stock_1", "title": "Dow falls", "date": "2008-09-04",
        "source_url": "https://en.wikinews.org/wiki/Dow_falls", "license": "CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/)",
        "attribution": "Text: Wikinews, CC BY 2.5.", "text": "Dow falls\r\n\r\n“Héllo” 👍🏽 e\u0301",
        "text_origin": "raw", "provenance": {"repo": "x/y", "commit": "abc", "path": "a.naf"}, "processing": "none",
        "notes": [],
    }
    base.update(changes)
    return base


def test_text_is_kept_exactly_with_crlf_emoji_and_combining_marks():
    doc = convert_record(record(), SOURCES["meantime_raw"], "r.json", "raw/meantime_raw/r.json", "0" * 64)
    assert doc["text"] == record()["text"]
    assert doc["id"] == "meantime-stock-1"
    assert doc["metadata"]["text_origin"] == "original"
    assert all(layer["status"] == "absent" for layer in doc["provenance"]["layers"].values())


def test_licenses_map_to_spdx_ids_and_stay_redistributable():
    cc = convert_record(record(), SOURCES["meantime_raw"], "r", "raw/r", "0" * 64)["metadata"]["license"]
    pd = convert_record(record(license="Public domain (Wikinews content created on or before 2005-09-25)",
                               date="2005-09-25"), SOURCES["meantime_raw"], "r", "raw/r", "0" * 64)["metadata"]["license"]
    assert (cc["id"], cc["redistributable"]) == ("CC-BY-2.5", True)
    assert (pd["id"], pd["redistributable"]) == ("LicenseRef-Wikinews-public-domain", True)
    assert "CC BY 2.5" in pd["attribution"]


@pytest.mark.parametrize("changes, field, rule", [
    ({"license": "All rights reserved"}, "license", "IMPORT-RECORD-LICENSE"),
    ({"date": "4 Sept 2008"}, "date", "IMPORT-RECORD-FIELD"),
    ({"text_origin": "detokenized"}, "text_origin", "IMPORT-RECORD-FIELD"),
    ({"doc_id": "WNS_001"}, "doc_id", "IMPORT-RECORD-FIELD"),
    ({"text": ""}, "text", "IMPORT-RECORD-FIELD"),
])
def test_bad_records_name_the_record_and_the_field(changes, field, rule):
    with pytest.raises(ProblemError) as caught:
        convert_record(record(**changes), SOURCES["meantime_raw"], "bad.json", "raw/bad.json", "0" * 64)
    assert [(p.file, p.path, p.rule) for p in caught.value.problems] == [("bad.json", field, rule)]


def test_document_ids():
    assert document_id("MEANTIME_stock_112579") == "meantime-stock-112579"
    assert document_id("WNS_000") == "wns-000"


@pytest.mark.parametrize("folder", sorted(SOURCES))
def test_bundled_corpus_matches_a_fresh_import(folder, wsw):
    """--check compares every record and its README with the committed raw copies and documents."""
    result = wsw("import", "wikinews", RAW / folder, "--check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("folder", sorted(SOURCES))
def test_every_record_is_a_document_with_its_text_and_url(folder):
    records = sorted((RAW / folder).glob("*.json"))
    assert len(records) == {"meantime_raw": 30, "wikinewssum": 36, "meantime_detok": 89}[folder]
    for path in records:
        rec = json.loads(path.read_text(encoding="utf-8"))
        doc = json.loads((REPO / "corpus" / "documents" / f"{document_id(rec['doc_id'])}.json").read_text(encoding="utf-8"))
        assert doc["text"] == rec["text"], path.name
        assert doc["metadata"]["url"] == rec["source_url"]


def test_a_folder_without_readme_is_refused_and_nothing_written(tmp_path, wsw):
    src = tmp_path / "meantime_raw"
    src.mkdir()
    (src / "MEANTIME_stock_1.json").write_text(json.dumps(record()), encoding="utf-8")
    out = tmp_path / "docs"
    result = wsw("import", "wikinews", src, "--out", out, "--raw-dir", tmp_path / "raw")
    assert result.returncode == 1 and "README.md" in result.stderr
    assert not out.exists()


def test_all_bad_records_are_listed_at_once(tmp_path, wsw):
    src = tmp_path / "meantime_raw"
    src.mkdir()
    (src / "README.md").write_text("license notice", encoding="utf-8")
    (src / "MEANTIME_stock_1.json").write_text(json.dumps(record(date="bad")), encoding="utf-8")
    (src / "MEANTIME_stock_2.json").write_text(json.dumps(record(doc_id="MEANTIME_stock_2", license="?")), encoding="utf-8")
    (src / "MEANTIME_stock_3.json").write_text('{"doc_id": ', encoding="utf-8")
    result = wsw("import", "wikinews", src, "--out", tmp_path / "docs", "--raw-dir", tmp_path / "raw")
    assert result.returncode == 1
    assert all(f"MEANTIME_stock_{i}.json" in result.stderr for i in (1, 2, 3))
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "docs").exists()


def test_import_is_byte_identical_when_repeated(tmp_path, wsw):
    src = tmp_path / "meantime_raw"
    src.mkdir()
    (src / "README.md").write_text("license notice", encoding="utf-8")
    (src / "MEANTIME_stock_1.json").write_text(json.dumps(record()), encoding="utf-8")
    args = ("import", "wikinews", src, "--out", tmp_path / "c" / "documents", "--raw-dir", tmp_path / "c" / "raw" / "m")
    assert wsw(*args).returncode == 0
    first = (tmp_path / "c" / "documents" / "meantime-stock-1.json").read_bytes()
    assert wsw(*args).returncode == 0
    assert (tmp_path / "c" / "documents" / "meantime-stock-1.json").read_bytes() == first
    assert wsw(*args, "--check").returncode == 0
    assert Path(tmp_path / "c" / "raw" / "m" / "README.md").read_text(encoding="utf-8") == "license notice"
