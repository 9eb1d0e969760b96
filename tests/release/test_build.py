"""`wsw release --out`: layout, reproducibility, safety of the build."""

import json
import shutil
import subprocess

import pyarrow.parquet as pq
import pytest

from tests.conftest import run_wsw
from tests.release.conftest import SEED_ID, fixture_documents, write_corpus
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.release.build import build_release
from whosaidwhat.release.synthetic import synthetic_document
from whosaidwhat.release.verify import verify_release

CONFIGS = ("documents", "entities", "mentions", "quotes", "claims", "producers", "annotations", "decisions", "corrections")
SPLITS = ("train", "validation", "test")


def files_of(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_release_has_one_shard_per_config_and_split_plus_card_croissant_manifest_and_checksums(built):
    _, release = built
    expected = {f"data/{c}/{s}-00000-of-00001.parquet" for c in CONFIGS for s in SPLITS}
    expected |= {"README.md", "croissant.json", "release.json", "SHA256SUMS"}
    assert set(files_of(release)) == expected


def test_release_files_are_readable_by_others_like_any_shared_folder(built):
    import os

    umask = os.umask(0)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in built[1].rglob("*") if p.is_file()} == {0o666 & ~umask}
    assert built[1].stat().st_mode & 0o777 == 0o777 & ~umask


def test_sha256sum_accepts_the_checksum_file(built):
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=built[1], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == len(files_of(built[1])) - 1


def test_the_non_redistributable_seed_article_is_released_without_any_text(built):
    _, release = built
    rows = pq.read_table(release / "data/documents/test-00000-of-00001.parquet").to_pylist()
    seed = next(r for r in rows if r["id"] == SEED_ID)
    assert seed["text"] is None and len(seed["text_sha256"]) == 64
    for config in ("mentions", "quotes", "claims"):
        flat = pq.read_table(release / f"data/{config}/test-00000-of-00001.parquet").to_pylist()
        assert all(r.get("text") is None for r in flat if r["doc_id"] == SEED_ID)
    seed_text = json.loads((built[0] / "documents" / f"{SEED_ID}.json").read_text(encoding="utf-8"))["text"]
    body = seed_text[len(seed_text) // 2:][:80]  # a passage of the body (the headline is public metadata)
    for path in release.rglob("*"):
        if path.is_file():
            assert body.encode() not in path.read_bytes(), path


def test_rebuilding_the_same_corpus_gives_byte_identical_files(built, tmp_path):
    corpus, release = built
    build_release(corpus, tmp_path / "again", workers=1)
    assert files_of(tmp_path / "again") == files_of(release)


def test_a_quick_build_writes_the_same_bytes_and_still_verifies(built, tmp_path):
    corpus, release = built
    build_release(corpus, tmp_path / "quick", workers=1, check_rows=False)
    assert files_of(tmp_path / "quick") == files_of(release)
    assert verify_release(tmp_path / "quick", deep=True) == []


def test_shards_are_the_same_bytes_whatever_the_number_of_worker_processes(corpus, tmp_path):
    one = build_release(corpus, tmp_path / "one", docs_per_shard=3, workers=1)
    build_release(corpus, tmp_path / "two", docs_per_shard=3, workers=2)
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")
    train = [f["path"] for f in one["configs"]["mentions"]["train"]["files"]]
    assert train == [f"data/mentions/train-0000{i}-of-00003.parquet" for i in range(3)]
    assert sum(pq.read_metadata(tmp_path / "one" / p).num_rows for p in train) == one["configs"]["mentions"]["train"]["num_rows"]


def test_an_invalid_document_stops_the_release_naming_file_document_and_field(tmp_path):
    docs = fixture_documents()
    broken = docs["train"][1]
    broken["mentions"][0]["end"] += 1
    corpus = write_corpus(tmp_path / "corpus", docs)
    with pytest.raises(ProblemError) as error:
        build_release(corpus, tmp_path / "out", workers=1)
    assert ("SPAN-TEXT", broken["id"], "$.mentions[0].text") in [(p.rule, p.doc_id, p.path) for p in error.value.problems]
    assert error.value.problems[0].file.endswith(f"{broken['id']}.json")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # no temporary folder left behind


def test_every_document_must_be_in_exactly_one_split(tmp_path):
    docs = fixture_documents()
    corpus = write_corpus(tmp_path / "corpus", docs)
    (corpus / "documents" / "stray-doc.json").write_text(
        (corpus / "documents" / "synth-000001.json").read_text(encoding="utf-8"), encoding="utf-8")
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))
    splits["splits"]["test"].append("synth-000000")
    splits["splits"]["validation"].append("missing-doc")
    (corpus / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    with pytest.raises(ProblemError) as error:
        build_release(corpus, tmp_path / "out")
    found = [(p.rule, p.doc_id) for p in error.value.problems]
    assert ("REL-SPLITS-UNASSIGNED", "stray-doc") in found
    assert ("REL-SPLITS-DUPLICATE", "synth-000000") in found
    assert ("REL-SPLITS-NO-FILE", "missing-doc") in found


def test_an_existing_folder_is_replaced_only_with_force_and_only_if_it_is_a_release(built, tmp_path):
    corpus, _ = built
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    with pytest.raises(ProblemError, match="already exists") as error:
        build_release(corpus, tmp_path / "notes")
    assert error.value.rules == ["OUT-EXISTS"]
    with pytest.raises(ProblemError, match="replaces only an earlier release") as error:
        build_release(corpus, tmp_path / "notes", force=True)
    assert error.value.rules == ["OUT-EXISTS"]
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"


def test_a_failed_rebuild_leaves_the_previous_release_in_place(built, tmp_path):
    corpus, release = built
    target = tmp_path / "release"
    shutil.copytree(release, target)
    before = files_of(target)
    broken = tmp_path / "broken"
    shutil.copytree(corpus, broken)
    doc_path = broken / "documents" / "synth-000002.json"
    doc_path.write_text(doc_path.read_text(encoding="utf-8")[:-40], encoding="utf-8")  # truncated file
    with pytest.raises(ProblemError) as error:
        build_release(broken, target, force=True)
    assert [(p.rule, p.file) for p in error.value.problems] == [("JSON-SYNTAX", str(doc_path))]
    assert files_of(target) == before
    assert verify_release(target, deep=False) == []


def test_the_version_asked_for_must_be_the_one_in_dataset_json(built, tmp_path):
    with pytest.raises(ProblemError) as error:
        build_release(built[0], tmp_path / "out", version="9.9.9")
    assert [(p.rule, p.path, p.found, p.expected) for p in error.value.problems] == [
        ("REL-VERSION-MISMATCH", "$.version", json.loads((built[0] / "dataset.json").read_text(encoding="utf-8"))["version"],
         "9.9.9")]


def test_the_cli_builds_a_release_and_reports_what_it_built(corpus, tmp_path):
    done = run_wsw("release", "--out", tmp_path / "out", "--corpus", corpus, "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "14 documents (train 9, validation 2, test 3)" in done.stderr
    assert "2 with text withheld" in done.stderr
    again = run_wsw("release", "--out", tmp_path / "out", "--corpus", corpus)
    assert again.returncode == 2 and "[OUT-EXISTS]" in again.stderr and "Traceback" not in again.stderr
    usage = run_wsw("release", "--corpus", corpus)
    assert usage.returncode == 2 and "[OPTION-INVALID]" in usage.stderr


def test_an_empty_split_still_gets_its_files(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", {"train": [synthetic_document(1)], "validation": [], "test": []})
    manifest = build_release(corpus, tmp_path / "out")
    assert manifest["configs"]["documents"]["validation"]["num_rows"] == 0
    assert pq.read_metadata(tmp_path / "out/data/claims/test-00000-of-00001.parquet").num_rows == 0
    import datasets  # the empty splits are not declared in the card, so `datasets` loads the config

    loaded = datasets.load_dataset(str(tmp_path / "out"), "documents", cache_dir=str(tmp_path / "hf"))
    assert set(loaded) == {"train"} and len(loaded["train"]) == 1


def test_a_build_whose_written_offsets_disagree_with_the_text_is_refused_with_the_verify_message(tmp_path, monkeypatch):
    # a conversion defect between the validated document and the Parquet row: `--verify` would
    # reject the result, so the build must not install it
    import whosaidwhat.release.build as build

    docs = fixture_documents()
    victim = docs["train"][1]["id"]
    corpus = write_corpus(tmp_path / "corpus", docs)

    real = build.document_row

    def shifted(doc, withhold):
        row = real(doc, withhold)
        if doc["id"] == victim:
            row["mentions"] = [{**m, "start": m["start"] + 1} for m in doc["mentions"]]
        return row

    monkeypatch.setattr(build, "document_row", shifted)
    with pytest.raises(ProblemError) as error:
        build_release(corpus, tmp_path / "out", workers=1)
    found = [(p.rule, p.file.rsplit(".partial/", 1)[-1], p.lineno, p.doc_id, p.path) for p in error.value.problems]
    assert ("SPAN-TEXT", "data/documents/train-00000-of-00001.parquet", 1, victim, "$.mentions[0].text") in found
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_a_build_whose_flat_config_misses_a_row_is_refused_with_the_verify_message(tmp_path, monkeypatch):
    import whosaidwhat.release.build as build

    corpus = write_corpus(tmp_path / "corpus", fixture_documents())
    real = build.flat_tables

    def lossy(table):
        tables = real(table)
        tables["claims"] = tables["claims"].slice(0, tables["claims"].num_rows - 1)
        return tables

    monkeypatch.setattr(build, "flat_tables", lossy)
    with pytest.raises(ProblemError) as error:
        build_release(corpus, tmp_path / "out", workers=1)
    found = [(p.rule, p.file.rsplit(".partial/", 1)[-1], p.doc_id) for p in error.value.problems]
    assert ("REL-FLAT-MISMATCH", "data/claims/train-00000-of-00001.parquet", "synth-000007") in found
    assert not (tmp_path / "out").exists()


def test_a_value_out_of_range_for_its_parquet_column_is_a_problem_naming_file_document_and_column(tmp_path):
    docs = fixture_documents()
    doc = docs["train"][2]
    doc["provenance"]["layers"]["mentions"]["lead_time_seconds"] = 10 ** 400  # valid JSON, no float64
    corpus = write_corpus(tmp_path / "corpus", docs)
    with pytest.raises(ProblemError) as error:
        build_release(corpus, tmp_path / "out", workers=1)
    assert [(p.rule, p.doc_id, p.path) for p in error.value.problems] == [("REL-UNSTORABLE", doc["id"], "$.provenance")]
    assert error.value.problems[0].file.endswith(f"{doc['id']}.json")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content", ["9" * 5000, "[" * 100_000 + "]" * 100_000, '{"id": NaN}'],
                         ids=["integer-of-5000-digits", "nested-100000-deep", "NaN"])
def test_a_hostile_document_file_is_refused_naming_the_file(tmp_path, content):
    corpus = write_corpus(tmp_path / "corpus", fixture_documents())
    path = corpus / "documents" / "synth-000003.json"
    path.write_text(content, encoding="utf-8")
    done = run_wsw("release", "--out", tmp_path / "out", "--corpus", corpus, "--workers", "1")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"{path}: " in done.stderr and ("[JSON-SYNTAX]" in done.stderr or "[JSON-CONSTANT]" in done.stderr)
