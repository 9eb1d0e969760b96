"""`wsw release --verify DIR` names the file that is wrong."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import run_wsw
from tests.release.conftest import SEED_ID
from whosaidwhat.release.checksums import SUMS, render_sums
from whosaidwhat.release.parquet import WRITER_OPTIONS
from whosaidwhat.release.verify import verify_release

SHARD = "data/documents/test-00000-of-00001.parquet"


def resum(release):
    (release / SUMS).write_text(render_sums(release), encoding="utf-8")


def test_a_fresh_release_verifies_row_by_row(built):
    done = run_wsw("release", "--verify", built[1])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.startswith(f"OK: {built[1]} verifies")


def test_flipping_one_byte_of_a_parquet_file_fails_verify_naming_the_file(release_copy):
    path = release_copy / SHARD
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    done = run_wsw("release", "--verify", release_copy)
    assert done.returncode == 1
    assert f"{path}: [REL-SUMS-MISMATCH] " in done.stdout
    assert "FAILED" in done.stderr and "Traceback" not in done.stderr


def test_a_corrupted_page_is_caught_even_when_the_checksums_were_recomputed(release_copy):
    path = release_copy / "data/documents/train-00000-of-00001.parquet"
    data = bytearray(path.read_bytes())
    data[200] ^= 0xFF  # inside the first data pages, not the footer
    path.write_bytes(bytes(data))
    resum(release_copy)
    assert verify_release(release_copy, deep=False) == []  # footer, schema and counts are intact
    problems = verify_release(release_copy)
    assert [(p.rule, p.file) for p in problems] == [("REL-PARQUET-UNREADABLE", str(path))]
    assert "checksum" in problems[0].found.lower()


def test_a_stray_shard_that_datasets_would_load_is_reported(release_copy):
    extra = release_copy / "data/mentions/train-00001-of-00002.parquet"
    extra.write_bytes((release_copy / "data/mentions/train-00000-of-00001.parquet").read_bytes())
    resum(release_copy)
    assert ("REL-FILE-UNLISTED", str(extra)) in [(p.rule, p.file) for p in verify_release(release_copy, deep=False)]


def test_a_card_whose_counts_disagree_with_the_files_is_reported(release_copy):
    card = release_copy / "README.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("num_examples: 9\n", "num_examples: 10\n", 1), encoding="utf-8")
    resum(release_copy)
    problems = verify_release(release_copy, deep=False)
    assert [(p.rule, p.file, p.path, p.found, p.expected) for p in problems] == [
        ("REL-CARD-CONFIG", str(card), "dataset_info.documents.splits.train", "10", "9")]


def test_a_withheld_text_that_leaked_into_the_files_is_reported(release_copy, built):
    path = release_copy / SHARD
    rows = pq.read_table(path).to_pylist()
    seed = json.loads((built[0] / "documents" / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    for row in rows:
        if row["id"] == SEED_ID:
            row["text"] = seed["text"]
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(path).remove_metadata()), path, **WRITER_OPTIONS)
    resum(release_copy)
    problems = verify_release(release_copy)
    assert ("REL-TEXT-WITHHELD", str(path), SEED_ID, "$.text") in [(p.rule, p.file, p.doc_id, p.path) for p in problems]


def test_a_flat_row_that_disagrees_with_its_document_is_reported(release_copy):
    path = release_copy / "data/quotes/train-00000-of-00001.parquet"
    rows = pq.read_table(path).to_pylist()
    rows[3]["type"] = "mixed" if rows[3]["type"] != "mixed" else "direct"
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(path).remove_metadata()), path, **WRITER_OPTIONS)
    resum(release_copy)
    problems = verify_release(release_copy)
    assert [(p.rule, p.file, p.lineno, p.path) for p in problems] == [("REL-FLAT-MISMATCH", str(path), 3, "$.type")]


def test_croissant_json_is_valid_for_mlcroissant_which_reads_the_local_records(built):
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(built[1] / "croissant.json"))
    assert not dataset.metadata.ctx.issues.errors and not dataset.metadata.ctx.issues.warnings
    manifest = json.loads((built[1] / "release.json").read_text(encoding="utf-8"))
    records = list(dataset.records("mentions"))
    assert len(records) == sum(manifest["configs"]["mentions"][s]["num_rows"] for s in ("train", "validation", "test"))
    by_split = {}
    for record in records:
        by_split[record["mentions/split"].decode()] = by_split.get(record["mentions/split"].decode(), 0) + 1
    assert by_split == {s: manifest["configs"]["mentions"][s]["num_rows"] for s in by_split}
    rai = json.loads((built[1] / "croissant.json").read_text(encoding="utf-8"))
    assert "http://mlcommons.org/croissant/RAI/1.0" in rai["conformsTo"]
    assert rai["rai:personalSensitiveInformation"] and rai["rai:dataBiases"] and rai["rai:dataLimitations"]


def _drop(path, *keys):
    data = json.loads(path.read_text(encoding="utf-8"))
    target = data
    for key in keys[:-1]:
        target = target[key]
    del target[keys[-1]]
    path.write_text(json.dumps(data), encoding="utf-8")


TAMPERED_METADATA = {
    "files-of-a-split-removed": ("release.json", lambda r: _drop(r / "release.json", "configs", "documents", "train", "files"),
                                 ": $.configs.documents.train: [REL-MANIFEST-SHAPE] 'files' is a required property"),
    "inventory-removed": ("release.json", lambda r: _drop(r / "release.json", "inventory"),
                          ": $: [REL-MANIFEST-SHAPE] 'inventory' is a required property"),
    "manifest-not-an-object": ("release.json", lambda r: (r / "release.json").write_text("[1,2]"),
                               ": $: [REL-MANIFEST-SHAPE] [1, 2] is not of type 'object'"),
    "manifest-with-nan": ("release.json", lambda r: (r / "release.json").write_text('{"format_version": NaN}'),
                          ": $: [JSON-CONSTANT] "),
    "card-header-a-list": ("README.md", lambda r: (r / "README.md").write_text("---\n- a\n---\n\n# Card\n"),
                           ": [REL-CARD] the YAML header is not a mapping (found list"),
    "card-not-utf8": ("README.md", lambda r: (r / "README.md").write_bytes(b"---\nx: \xff\n---\n"),
                      ": [REL-CARD] not UTF-8 (byte 7)"),
}


@pytest.mark.parametrize("case", TAMPERED_METADATA, ids=list(TAMPERED_METADATA))
def test_tampered_metadata_is_one_problem_line_naming_the_file_not_a_traceback(release_copy, case):
    name, tamper, expected = TAMPERED_METADATA[case]
    tamper(release_copy)
    resum(release_copy)  # only the tampering itself is wrong
    done = run_wsw("release", "--verify", release_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.splitlines() == [line for line in done.stdout.splitlines() if line.startswith(f"{release_copy / name}: ")]
    assert len(done.stdout.splitlines()) == 1 and expected in done.stdout, done.stdout


def test_a_stray_byte_in_the_checksum_file_is_one_problem_naming_its_line(release_copy):
    sums = release_copy / SUMS
    lines = len(sums.read_bytes().splitlines())
    sums.write_bytes(sums.read_bytes() + b"\xff")
    done = run_wsw("release", "--verify", release_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.splitlines() == [f"{sums}:{lines + 1}: [REL-SUMS] not UTF-8 (byte 0 of the line) (found b'\\xff')"]


def test_a_manifest_listing_a_file_outside_its_config_folder_is_refused(release_copy):
    manifest = json.loads((release_copy / "release.json").read_text(encoding="utf-8"))
    manifest["configs"]["claims"]["test"]["files"][0]["path"] = "../../etc/passwd"
    (release_copy / "release.json").write_text(json.dumps(manifest), encoding="utf-8")
    resum(release_copy)
    problems = verify_release(release_copy)
    assert [(p.rule, p.path) for p in problems] == [("REL-MANIFEST-SHAPE", "$.configs.claims.test.files[0].path")]
    assert "'../../etc/passwd' does not match" in problems[0].message


def test_a_row_whose_split_column_disagrees_with_its_file_is_reported(release_copy):
    path = release_copy / "data/documents/validation-00000-of-00001.parquet"
    rows = pq.read_table(path).to_pylist()
    rows[0]["split"] = "train"
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(path).remove_metadata()), path, **WRITER_OPTIONS)
    resum(release_copy)
    problems = verify_release(release_copy)
    assert ("REL-ROW-SPLIT", str(path), 0, rows[0]["id"], "'train'", "'validation'") in [
        (p.rule, p.file, p.lineno, p.doc_id, p.found, p.expected) for p in problems]
