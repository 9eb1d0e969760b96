"""`wsw rehydrate`: withheld texts come back only from an exact copy."""

import json
import shutil

import pyarrow.parquet as pq
import pytest

from tests.conftest import run_wsw
from tests.release.conftest import SEED_DOC, SEED_ID, SEED_RAW
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.release.rehydrate import rehydrate_release
from whosaidwhat.release.rows import document_from_row, normalise_document
from whosaidwhat.release.synthetic import synthetic_document
from whosaidwhat.release.verify import verify_release


def documents(release):
    rows = []
    for path in sorted((release / "data" / "documents").glob("*.parquet")):
        rows += pq.read_table(path).to_pylist()
    return {row["id"]: row for row in rows}


def test_exact_texts_restore_the_documents_exactly_as_in_the_corpus(built, tmp_path):
    corpus, release = built
    copies = tmp_path / "copies"
    copies.mkdir()
    synth = synthetic_document(7)
    (copies / "synth-000007.txt").write_bytes(synth["text"].encode("utf-8"))
    seed = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    (copies / "my-copy.json").write_text(json.dumps(seed), encoding="utf-8")  # a canonical document, any name
    restored = rehydrate_release(release, [copies], tmp_path / "full")
    assert restored == [SEED_ID, "synth-000007"]
    rows = documents(tmp_path / "full")
    for doc_id in restored:
        original = json.loads((corpus / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert document_from_row(rows[doc_id]) == normalise_document(original)
    mentions = pq.read_table(tmp_path / "full/data/mentions/train-00000-of-00001.parquet").to_pylist()
    assert all(m["text"] == synth["text"][m["start"]:m["end"]] for m in mentions if m["doc_id"] == "synth-000007")
    assert verify_release(tmp_path / "full") == []
    manifest = json.loads((tmp_path / "full/release.json").read_text(encoding="utf-8"))
    assert manifest["rehydrated"] == restored
    assert "Rehydrated copy" in (tmp_path / "full/README.md").read_text(encoding="utf-8")
    assert documents(release)[SEED_ID]["text"] is None  # the published release is untouched


def test_the_seed_article_round_trips_from_its_raw_page(built, tmp_path):
    restored = rehydrate_release(built[1], [SEED_RAW], tmp_path / "full")
    assert restored == [SEED_ID]
    seed = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    assert documents(tmp_path / "full")[SEED_ID]["text"] == seed["text"]


def test_a_different_text_is_refused_naming_file_document_and_hashes_and_nothing_is_written(built, tmp_path):
    wrong = tmp_path / f"{SEED_ID}.txt"
    seed = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    wrong.write_text(seed["text"].replace("Kremlin", "Kremln", 1), encoding="utf-8")
    with pytest.raises(ProblemError) as error:
        rehydrate_release(built[1], [wrong], tmp_path / "full")
    assert [(p.rule, p.file, p.doc_id, p.path, p.expected) for p in error.value.problems] == [
        ("REL-REHYDRATE-COPY", str(wrong), SEED_ID, "text_sha256", seed["text_sha256"])]
    assert not (tmp_path / "full").exists()


def test_a_copy_with_converted_line_breaks_is_refused_with_the_reason(built, tmp_path):
    synth = synthetic_document(7)  # written with LF line breaks (every third synthetic document uses CRLF)
    copy = tmp_path / "synth-000007.txt"
    copy.write_bytes(synth["text"].replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(ProblemError, match="differs only because its line breaks are CRLF where the original has LF") as error:
        rehydrate_release(built[1], [copy], tmp_path / "full")
    assert error.value.rules == ["REL-REHYDRATE-COPY"]


def test_a_copy_of_an_unrelated_article_is_refused(built, tmp_path):
    other = tmp_path / "other-article.txt"
    other.write_text("Some other article entirely.", encoding="utf-8")
    with pytest.raises(ProblemError) as error:
        rehydrate_release(built[1], [other], tmp_path / "full")
    assert [(p.rule, p.file, p.doc_id) for p in error.value.problems] == [("REL-REHYDRATE-COPY", str(other), None)]


def test_the_cli_rehydrates_and_refuses_with_clear_exit_codes(built, tmp_path):
    good = run_wsw("rehydrate", built[1], "--texts", SEED_RAW, "--out", tmp_path / "full")
    assert good.returncode == 0, good.stderr
    assert f"restored 1 text(s): {SEED_ID}" in good.stderr
    bad_copy = tmp_path / "copy" / f"{SEED_ID}.txt"
    bad_copy.parent.mkdir()
    shutil.copy(SEED_RAW, bad_copy)
    bad_copy.write_text(bad_copy.read_text(encoding="utf-8") + "extra", encoding="utf-8")
    bad = run_wsw("rehydrate", built[1], "--texts", bad_copy.parent, "--out", tmp_path / "again")
    assert bad.returncode == 1 and f"{bad_copy}: {SEED_ID}: text_sha256: [REL-REHYDRATE-COPY]" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "again").exists()
