"""`wsw import gum` on folders it has never seen: safe default paths, no overwriting of other sources'
files, every bad record listed at once, documented defaults, and an honest `--check`.

Records of "another source" are GUM-format interview records built with gumrec; every output goes to
tmp_path (the default corpus folder is pointed at tmp_path where a test needs the default paths).
"""

from __future__ import annotations

import json
import shutil

import pytest

from whosaidwhat.cli import main
from whosaidwhat.commands import importers

from ..conftest import REPO
from .gumrec import LICENSE, M, record

RAW = REPO / "corpus" / "raw" / "gum_news"
DATA = REPO / "annotation" / "gum"


def news_folder(folder, names=("GUM_news_korea.json",)):
    folder.mkdir(parents=True)
    for name in names + ("README.md",):
        shutil.copy(RAW / name, folder / name)
    return folder


def interview_record(name: str, **extra) -> dict:
    text = "Biologist Nick Bos talks about ants\n\nNick Bos studies ants.\n\nAnts are clever."
    return record(text, [M("Nick Bos", "person", "e1", head="Nick")], doc_id=f"GUM_interview_{name}",
                  turns=[("#NickBos", "Ants are clever.")], license=dict(LICENSE), **extra)


def interview_folder(folder, records=("ants", "bees"), readme="Interview records; CC BY 2.5 / CC BY 4.0.\n"):
    folder.mkdir(parents=True)
    for name in records:
        (folder / f"GUM_interview_{name}.json").write_text(json.dumps(interview_record(name)), encoding="utf-8")
    if readme is not None:
        (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder


@pytest.fixture
def wsw_defaults(monkeypatch, capsys, tmp_path):
    """Run `wsw import gum` in this process, with the default corpus folder at tmp_path/corpus."""
    monkeypatch.setattr(importers, "default_corpus_dir", lambda: tmp_path / "corpus")

    def run(*args):
        code = main(["import", "gum", *map(str, args), "--data", str(DATA)])
        return code, capsys.readouterr().err

    return run


def explicit(wsw, source, tmp_path, *extra, raw="gum_news"):
    return wsw("import", "gum", source, "--out", tmp_path / "corpus" / "documents",
               "--raw-dir", tmp_path / "corpus" / "raw" / raw, "--data", DATA, *extra)


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- default paths and collisions ----------------------------------------------------------------------
def test_the_default_raw_folder_is_named_after_the_input_folder(wsw_defaults, tmp_path):
    code, err = wsw_defaults(interview_folder(tmp_path / "in" / "gum_interview"))
    assert code == 0, err
    raw = tmp_path / "corpus" / "raw"
    assert sorted(p.name for p in (raw / "gum_interview").iterdir()) == [
        "GUM_interview_ants.json", "GUM_interview_bees.json", "README.md"]
    assert not (raw / "gum_news").exists()
    doc = json.loads((tmp_path / "corpus" / "documents" / "gum-interview-ants.json").read_text(encoding="utf-8"))
    assert doc["provenance"]["source"]["raw_file"] == "raw/gum_interview/GUM_interview_ants.json"


def test_a_default_path_collision_is_an_error_naming_both_files_and_nothing_is_written(wsw_defaults, tmp_path):
    code, err = wsw_defaults(news_folder(tmp_path / "in" / "gum_news"))
    assert code == 0, err
    before = snapshot(tmp_path / "corpus")
    other = interview_folder(tmp_path / "elsewhere" / "gum_news")  # another source, same folder name
    code, err = wsw_defaults(other)
    assert code == 1 and err.startswith("wsw: error: ") and "Traceback" not in err
    assert "[IMPORT-TARGET-FOREIGN]" in err
    line = next(line for line in err.splitlines() if "README.md" in line and "IMPORT-TARGET-FOREIGN" in line)
    assert str(tmp_path / "corpus" / "raw" / "gum_news" / "README.md") in line and str(other / "README.md") in line
    assert snapshot(tmp_path / "corpus") == before  # the news README (license notice) is intact


def test_the_license_notice_of_another_source_is_refused_as_an_explicit_target(wsw, tmp_path):
    assert explicit(wsw, news_folder(tmp_path / "news"), tmp_path).returncode == 0
    result = explicit(wsw, interview_folder(tmp_path / "gum_interview"), tmp_path)  # --raw-dir .../gum_news
    assert result.returncode == 1 and "the license notice of another source" in result.stderr
    assert (tmp_path / "corpus" / "raw" / "gum_news" / "README.md").read_bytes() == (RAW / "README.md").read_bytes()
    assert not (tmp_path / "corpus" / "documents" / "gum-interview-ants.json").exists()


def test_a_source_may_update_its_own_license_notice(wsw, tmp_path):
    source = news_folder(tmp_path / "news")
    assert explicit(wsw, source, tmp_path).returncode == 0
    (source / "README.md").write_text("updated notice\n", encoding="utf-8")
    result = explicit(wsw, source, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "corpus" / "raw" / "gum_news" / "README.md").read_text(encoding="utf-8") == "updated notice\n"


def test_a_document_made_by_another_program_is_never_overwritten_even_with_force(wsw, tmp_path):
    source = news_folder(tmp_path / "news")
    target = tmp_path / "corpus" / "documents" / "gum-news-korea.json"
    target.parent.mkdir(parents=True)
    doc = json.loads((REPO / "corpus" / "documents" / "meantime-stock-112579.json").read_text(encoding="utf-8"))
    doc["id"] = "gum-news-korea"
    target.write_text(json.dumps(doc), encoding="utf-8")
    before = target.read_bytes()
    for extra in ((), ("--force",)):
        result = explicit(wsw, source, tmp_path, *extra)
        assert result.returncode == 1 and "made by whosaidwhat-wikinews-importer" in result.stderr
    assert target.read_bytes() == before


def test_a_document_imported_from_another_raw_copy_is_refused(wsw, tmp_path):
    source = news_folder(tmp_path / "news")
    assert explicit(wsw, source, tmp_path, raw="first").returncode == 0
    result = explicit(wsw, source, tmp_path, raw="second")
    assert result.returncode == 1
    assert "imported from raw/first/GUM_news_korea.json" in result.stderr
    assert "raw/second/GUM_news_korea.json" in result.stderr
    assert not (tmp_path / "corpus" / "raw" / "second").exists()


def test_a_raw_record_of_another_document_is_not_overwritten(wsw, tmp_path):
    raw = tmp_path / "corpus" / "raw" / "gum_news"
    raw.mkdir(parents=True)
    (raw / "GUM_news_korea.json").write_text(json.dumps({"doc_id": "GUM_news_other"}), encoding="utf-8")
    result = explicit(wsw, news_folder(tmp_path / "news"), tmp_path)
    assert result.returncode == 1 and "holds another record" in result.stderr
    assert json.loads((raw / "GUM_news_korea.json").read_text(encoding="utf-8")) == {"doc_id": "GUM_news_other"}


def test_documents_and_raw_copies_in_one_folder_are_refused(wsw, tmp_path):
    folder = tmp_path / "mixed"
    result = wsw("import", "gum", news_folder(tmp_path / "news"), "--out", folder, "--raw-dir", folder,
                 "--data", DATA)
    assert result.returncode == 1 and "[IMPORT-PATHS]" in result.stderr
    assert not folder.exists()


# -- records the format allows, and every bad record at once -------------------------------------------
def test_every_bad_record_is_listed_at_once_and_nothing_is_written(wsw, tmp_path):
    source = interview_folder(tmp_path / "gum_interview", records=("good",))
    (source / "GUM_interview_cut.json").write_text(json.dumps(interview_record("cut"))[:300], encoding="utf-8")
    two_fields = interview_record("fields")
    two_fields["title"], two_fields["paragraphs"] = None, "p"
    (source / "GUM_interview_fields.json").write_text(json.dumps(two_fields), encoding="utf-8")
    reddit = interview_record("reddit")
    reddit["license"]["text"] = "CC BY 4.0 (Reddit)"
    (source / "GUM_interview_reddit.json").write_text(json.dumps(reddit), encoding="utf-8")
    result = explicit(wsw, source, tmp_path, raw="gum_interview")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("wsw: error: ") and "4 problem(s) in 3 file(s)" in lines[0]
    assert "GUM_interview_cut.json: $: [JSON-SYNTAX]" in result.stderr  # the strict JSON reader's rule
    assert "GUM_interview_fields.json: GUM_interview_fields: title: [IMPORT-RECORD-FIELD]" in result.stderr
    assert "GUM_interview_fields.json: GUM_interview_fields: paragraphs: [IMPORT-RECORD-FIELD]" in result.stderr
    assert "GUM_interview_reddit.json: GUM_interview_reddit: license.text: [IMPORT-RECORD-LICENSE]" in result.stderr
    assert "GUM_interview_good" not in result.stderr
    assert not (tmp_path / "corpus").exists()


def test_a_record_without_a_dateline_is_imported_with_the_page_creation_date_recorded(wsw, tmp_path):
    source = tmp_path / "gum_interview"
    source.mkdir()
    (source / "README.md").write_text("notice\n", encoding="utf-8")
    rec = interview_record("ants", dateline=None)
    rec["date_created"] = "2015-09-01"
    (source / "GUM_interview_ants.json").write_text(json.dumps(rec), encoding="utf-8")
    result = explicit(wsw, source, tmp_path, raw="gum_interview")
    assert result.returncode == 0, result.stderr
    assert "[IMPORT-DATELINE-DEFAULT] note: no dateline: published is the page creation date" in result.stderr
    doc = json.loads((tmp_path / "corpus" / "documents" / "gum-interview-ants.json").read_text(encoding="utf-8"))
    assert doc["metadata"]["published"] == "2015-09-01"
    assert any("no dateline (dateline: null)" in c for c in doc["provenance"]["source"]["cleaning"])


def test_a_missing_dateline_field_is_still_an_error(wsw, tmp_path):
    source = tmp_path / "gum_interview"
    source.mkdir()
    (source / "README.md").write_text("notice\n", encoding="utf-8")
    rec = interview_record("ants")
    del rec["dateline"]
    (source / "GUM_interview_ants.json").write_text(json.dumps(rec), encoding="utf-8")
    result = explicit(wsw, source, tmp_path, raw="gum_interview")
    assert result.returncode == 1 and "dateline: [IMPORT-RECORD-FIELD] field missing (use null" in result.stderr


def test_a_folder_without_readme_is_imported_when_its_records_carry_their_license(wsw, tmp_path):
    result = explicit(wsw, interview_folder(tmp_path / "gum_interview", readme=None), tmp_path, raw="gum_interview")
    assert result.returncode == 0, result.stderr
    assert "[IMPORT-NOTICE-FROM-RECORD] note:" in result.stderr


# -- --check: what was compared, what was not, and why -------------------------------------------------
@pytest.fixture
def imported(wsw, tmp_path):
    source = news_folder(tmp_path / "news", ("GUM_news_korea.json", "GUM_news_afghan.json"))
    assert explicit(wsw, source, tmp_path).returncode == 0
    return source


def make_reviewed(path, text_change=None):
    content = path.read_text(encoding="utf-8").replace('"silver"', '"gold"')
    if text_change:
        doc = json.loads(content)
        doc["metadata"]["title"] = text_change
        content = json.dumps(doc)
    path.write_text(content, encoding="utf-8")


def test_check_compares_silver_documents_and_raw_copies_byte_for_byte(wsw, tmp_path, imported):
    result = explicit(wsw, imported, tmp_path, "--check")
    assert result.returncode == 0, result.stderr
    assert "3 raw file(s) (records and license notice) and 2 document(s) it would overwrite" in result.stderr
    assert result.stderr.rstrip().endswith("OK: every file compared is up to date")


def test_check_says_it_did_not_compare_the_layers_of_reviewed_documents_and_why(wsw, tmp_path, imported):
    make_reviewed(tmp_path / "corpus" / "documents" / "gum-news-korea.json")
    result = explicit(wsw, imported, tmp_path, "--check")
    assert result.returncode == 0, result.stderr
    assert "compared outside their annotation layers" in result.stderr and "1 reviewed document(s), 0 differ" in result.stderr
    assert "not compared: the annotation layers of those 1 reviewed document(s)" in result.stderr
    assert "expected to differ from the import" in result.stderr
    assert "were not compared (see above)" in result.stderr.splitlines()[-1]


def test_check_fails_when_a_reviewed_document_was_made_on_another_base(wsw, tmp_path, imported):
    make_reviewed(tmp_path / "corpus" / "documents" / "gum-news-korea.json", text_change="Another title")
    result = explicit(wsw, imported, tmp_path, "--check")
    assert result.returncode == 1
    assert "[IMPORT-REVIEWED-BASE]" in result.stderr and "metadata" in result.stderr


def test_check_fails_when_it_cannot_compare_a_document(wsw, tmp_path, imported):
    target = tmp_path / "corpus" / "documents" / "gum-news-korea.json"
    target.write_bytes(target.read_bytes()[:-30])
    result = explicit(wsw, imported, tmp_path, "--check")
    assert result.returncode == 1
    assert "1 file(s) could not be compared" in result.stderr and "[IMPORT-TARGET-UNREADABLE]" in result.stderr
    assert "OK" not in result.stderr


def test_check_fails_for_a_missing_document(wsw, tmp_path, imported):
    (tmp_path / "corpus" / "documents" / "gum-news-afghan.json").unlink()
    result = explicit(wsw, imported, tmp_path, "--check")
    assert result.returncode == 1 and "1 file(s) would change" in result.stderr


def test_check_on_the_bundled_corpus_reports_what_it_compared(wsw):
    result = wsw("import", "gum", RAW, "--check")
    assert result.returncode == 0, result.stderr
    assert "compared byte for byte: 25 raw file(s)" in result.stderr
    reviewed = sum(1 for p in (REPO / "corpus" / "documents").glob("gum-news-*.json")
                   if '"gold"' in p.read_text(encoding="utf-8") or '"draft"' in p.read_text(encoding="utf-8"))
    if reviewed:
        assert f"the annotation layers of those {reviewed} reviewed document(s)" in result.stderr


def test_default_raw_dir_of_a_path_without_a_name_is_a_usage_error(tmp_path):
    from whosaidwhat.core.problems import ProblemError

    assert importers.default_raw_dir(tmp_path / "gum_news", tmp_path / "corpus") == tmp_path / "corpus" / "raw" / "gum_news"
    with pytest.raises(ProblemError) as caught:
        importers.default_raw_dir(importers.Path("/"), tmp_path / "corpus")
    assert caught.value.rules == ["OPTION-INVALID"] and caught.value.exit_code == 2


def test_the_raw_record_of_a_kept_review_is_kept_too(wsw, tmp_path, imported):
    make_reviewed(tmp_path / "corpus" / "documents" / "gum-news-korea.json")
    record_path = imported / "GUM_news_korea.json"
    changed = json.loads(record_path.read_text(encoding="utf-8"))
    changed["human_summary"] = "A new summary."
    record_path.write_text(json.dumps(changed), encoding="utf-8")
    raw_copy = tmp_path / "corpus" / "raw" / "gum_news" / "GUM_news_korea.json"
    before = raw_copy.read_bytes()
    result = explicit(wsw, imported, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("[IMPORT-REVIEWED-BASE]") == 2  # the document (raw_sha256) and its raw record
    assert raw_copy.read_bytes() == before
    check = explicit(wsw, imported, tmp_path, "--check")
    assert check.returncode == 1 and "made on another text or record" in check.stderr
