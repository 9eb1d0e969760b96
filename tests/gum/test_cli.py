"""`wsw import gum` as a user runs it: copies, converts, validates, writes atomically and reproducibly."""

import json
import shutil

import pytest

from ..conftest import REPO

RAW = REPO / "corpus" / "raw" / "gum_news"
DATA = REPO / "annotation" / "gum"
SAMPLE = ("GUM_news_korea.json", "GUM_news_afghan.json")


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "gum_news"
    folder.mkdir()
    for name in SAMPLE + ("README.md",):
        shutil.copy(RAW / name, folder / name)
    return folder


def run_import(wsw, source, tmp_path, *extra):
    return wsw("import", "gum", source, "--out", tmp_path / "corpus" / "documents",
               "--raw-dir", tmp_path / "corpus" / "raw" / "gum_news", "--data", DATA, *extra)


def test_import_writes_one_valid_document_per_record(wsw, source, tmp_path):
    result = run_import(wsw, source, tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "corpus" / "documents").iterdir())
    assert written == ["gum-news-afghan.json", "gum-news-korea.json"]
    check = wsw("validate", tmp_path / "corpus")
    assert check.returncode == 0, check.stdout + check.stderr


def test_import_copies_the_records_and_their_license_notice_unchanged(wsw, source, tmp_path):
    run_import(wsw, source, tmp_path)
    raw = tmp_path / "corpus" / "raw" / "gum_news"
    for name in SAMPLE + ("README.md",):
        assert (raw / name).read_bytes() == (source / name).read_bytes()


def test_a_second_import_gives_byte_identical_files(wsw, source, tmp_path):
    run_import(wsw, source, tmp_path)
    first = {p.name: p.read_bytes() for p in (tmp_path / "corpus" / "documents").iterdir()}
    again = run_import(wsw, source, tmp_path)
    second = {p.name: p.read_bytes() for p in (tmp_path / "corpus" / "documents").iterdir()}
    assert first == second
    assert "0 file(s) written" in again.stderr


def test_check_mode_reports_a_document_that_differs_from_the_import(wsw, source, tmp_path):
    run_import(wsw, source, tmp_path)
    target = tmp_path / "corpus" / "documents" / "gum-news-korea.json"
    target.write_text(target.read_text(encoding="utf-8").replace("quasi-state of war", "quasi state of war", 1), encoding="utf-8")
    result = run_import(wsw, source, tmp_path, "--check")
    assert result.returncode == 1
    assert "gum-news-korea.json" in result.stderr


def test_a_reviewed_document_is_kept_unless_forced(wsw, source, tmp_path):
    run_import(wsw, source, tmp_path)
    target = tmp_path / "corpus" / "documents" / "gum-news-korea.json"
    reviewed = target.read_text(encoding="utf-8").replace('"silver"', '"gold"')
    target.write_text(reviewed, encoding="utf-8")
    kept = run_import(wsw, source, tmp_path)
    assert kept.returncode == 0 and "kept 1 reviewed document" in kept.stderr
    assert target.read_text(encoding="utf-8") == reviewed
    forced = run_import(wsw, source, tmp_path, "--force")
    assert forced.returncode == 0
    assert '"gold"' not in target.read_text(encoding="utf-8")


def test_a_truncated_record_is_an_error_naming_the_file_and_nothing_is_written(wsw, source, tmp_path):
    broken = source / "GUM_news_korea.json"
    broken.write_bytes(broken.read_bytes()[:5000])
    result = run_import(wsw, source, tmp_path)
    assert result.returncode == 1
    assert "GUM_news_korea.json" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "corpus" / "documents").exists()


def test_records_that_carry_their_own_license_are_imported_without_a_readme_and_the_document_says_so(wsw, source,
                                                                                                   tmp_path):
    (source / "README.md").unlink()
    result = run_import(wsw, source, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[IMPORT-NOTICE-FROM-RECORD]" in result.stderr
    doc = (tmp_path / "corpus" / "documents" / "gum-news-korea.json").read_text(encoding="utf-8")
    assert "the source folder had no README.md" in doc
    assert not (tmp_path / "corpus" / "raw" / "gum_news" / "README.md").exists()


def test_records_without_any_license_notice_are_refused_all_at_once(wsw, source, tmp_path):
    (source / "README.md").unlink()
    for name in SAMPLE:
        record = json.loads((source / name).read_text(encoding="utf-8"))
        del record["license"]
        (source / name).write_text(json.dumps(record), encoding="utf-8")
    result = run_import(wsw, source, tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("[IMPORT-NOTICE-MISSING]") == 2 and all(name in result.stderr for name in SAMPLE)
    assert not (tmp_path / "corpus").exists()


def test_a_folder_without_records_is_a_usage_error(wsw, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_import(wsw, empty, tmp_path)
    assert result.returncode == 2
    assert "[IMPORT-NO-RECORDS]" in result.stderr and "no GUM_*.json records" in result.stderr


def test_validating_a_corpus_folder_skips_the_raw_records(wsw, source, tmp_path):
    run_import(wsw, source, tmp_path)
    result = wsw("validate", tmp_path / "corpus")
    assert result.returncode == 0
    assert "2 document(s)" in result.stderr


def test_an_unreadable_existing_document_is_not_overwritten(wsw, source, tmp_path):
    run_import(wsw, source, tmp_path)
    target = tmp_path / "corpus" / "documents" / "gum-news-korea.json"
    damaged = target.read_bytes()[:-20]
    target.write_bytes(damaged)
    result = run_import(wsw, source, tmp_path)
    assert result.returncode == 1 and "gum-news-korea.json" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == damaged
