"""The disagreement configs (`annotations`, `decisions`, `corrections`): built from the independent annotation
passes and the campaign's decision log, withheld where the text is, loaded by `datasets`, checked by --verify."""

import json
import shutil

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import REPO
from tests.release.conftest import SEED_ID, STUDY_ONCE, STUDY_TWICE, fixture_documents, write_corpus, write_study
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.release.build import build_release
from whosaidwhat.release.checksums import SUMS, render_sums
from whosaidwhat.release.features import STUDY_CONFIGS, features
from whosaidwhat.release.parquet import WRITER_OPTIONS
from whosaidwhat.release.verify import verify_release

SPLITS = ("train", "validation", "test")
CAMPAIGN = REPO / "annotation" / "campaigns" / "corpus-1.0"


def rows(release, config):
    return [row for split in SPLITS for row in pq.read_table(release / f"data/{config}/{split}-00000-of-00001.parquet")
            .to_pylist()]


def resum(release):
    (release / SUMS).write_text(render_sums(release), encoding="utf-8")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """A fresh release of the bundled corpus (corpus/ and annotation/campaigns/corpus-1.0/ of the repository)."""
    out = tmp_path_factory.mktemp("bundled") / "release"
    build_release(REPO / "corpus", out, workers=2)
    return out


def test_a_release_of_the_bundled_corpus_carries_every_kept_annotation_decision_and_correction(bundled):
    passes = {(p.stem, p.parent.name) for p in (REPO / "corpus" / "annotations").glob("*/*.json")}
    annotations = rows(bundled, "annotations")
    assert {(r["doc_id"], r["pass"]) for r in annotations} == passes and len(annotations) == len(passes)
    conflicts = [(json.loads(p.read_text(encoding="utf-8"))["doc_id"], c["id"], c["kind"], c["decision"])
                 for p in sorted((CAMPAIGN / "decisions").glob("*.json"))
                 for c in json.loads(p.read_text(encoding="utf-8"))["conflicts"]]
    decisions = rows(bundled, "decisions")
    assert sorted((r["doc_id"], r["id"], r["kind"], r["decision"]) for r in decisions) == sorted(conflicts)
    assert all(r["reason"] and r["decided_by"] for r in decisions)
    assert {(r["pass_a"], r["pass_b"]) for r in decisions} == {("pass-a", "pass-b"), ("gold-before", "pass-c")}
    assert {(r["pass_b"], r["guidelines_version"]) for r in decisions} == {("pass-b", "1.2"), ("pass-c", "1.4")}
    files = ["corrections.json", "corrections-1.3.json", "corrections-1.4.json", "corrections-1.4-kb.json",
             "corrections-1.5.json", "corrections-1.5-lead.json", "corrections-1.6.json",
             "corrections-1.6-lead.json"]  # in the order they are applied
    assert sorted(files) == sorted(p.name for p in CAMPAIGN.glob("corrections*.json"))
    corrections = [(step, name, c) for step, name in enumerate(files)
                   for c in json.loads((CAMPAIGN / name).read_text(encoding="utf-8"))["corrections"]]
    assert sorted((r["step"], r["file"], r["doc_id"], r["item"], r["field"], r["to"]) for r in rows(bundled, "corrections")) \
        == sorted((step, name, c["doc_id"], c["item"], c["field"], json.dumps(c["to"], ensure_ascii=False))
                  for step, name, c in corrections)
    manifest = json.loads((bundled / "release.json").read_text(encoding="utf-8"))
    assert manifest["study"]["conflicts"] == len(conflicts) and manifest["study"]["corrections"] == len(corrections)
    card = (bundled / "README.md").read_text(encoding="utf-8")
    assert "### Disagreement data" in card and "`annotation/campaigns/corpus-1.0/decisions/`" in card
    sums = (bundled / SUMS).read_text(encoding="utf-8")
    assert all(f"  data/{config}/{split}-00000-of-00001.parquet\n" in sums for config in STUDY_CONFIGS for split in SPLITS)
    croissant = json.loads((bundled / "croissant.json").read_text(encoding="utf-8"))
    assert {"annotations", "decisions", "corrections"} <= {r["@id"] for r in croissant["recordSet"]}


def test_an_annotation_row_is_the_annotators_document_and_names_its_producers(bundled):
    row = next(r for r in rows(bundled, "annotations") if r["pass"] == "pass-b")
    original = json.loads((REPO / "corpus" / "annotations" / "pass-b" / f"{row['doc_id']}.json").read_text(encoding="utf-8"))
    assert row["uid"] == f"{row['doc_id']}/pass-b" and row["text"] == original["text"]
    assert [m["id"] for m in row["mentions"]] == [m["id"] for m in original["mentions"]]
    assert row["annotators"] == list(dict.fromkeys(p["id"] for layer in ("mentions", "quotes", "claims")
                                                   for p in original["provenance"]["layers"][layer]["producers"]))


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_datasets_loads_the_disagreement_configs_of_the_bundled_release(bundled, tmp_path):
    manifest = json.loads((bundled / "release.json").read_text(encoding="utf-8"))
    for config in STUDY_CONFIGS:
        loaded = datasets.load_dataset(str(bundled), config, cache_dir=str(tmp_path / "hf"))
        assert set(loaded) == set(SPLITS)
        for split in SPLITS:
            assert loaded[split].features == features(config)
            assert len(loaded[split]) == manifest["configs"][config][split]["num_rows"]
    decisions = datasets.load_dataset(str(bundled), "decisions", split="test", cache_dir=str(tmp_path / "hf"))
    assert decisions[0]["decision"] in decisions[0]["choices"]


def _check_annotations_withheld(release) -> None:
    """The fixture's annotation rows: every pass of every studied document, texts null exactly for the seed."""
    annotations = rows(release, "annotations")
    assert sorted((r["doc_id"], r["pass"]) for r in annotations) == sorted(
        [(d, "pass-a") for d in STUDY_TWICE + STUDY_ONCE] + [(d, "pass-b") for d in STUDY_TWICE])
    for row in annotations:
        withheld = row["doc_id"] == SEED_ID
        assert (row["text"] is None) == withheld
        assert all((m["text"] is None) == withheld for m in row["mentions"])


def test_the_fixture_study_data_is_released_with_withheld_texts_kept_withheld(built):
    corpus, release = built
    _check_annotations_withheld(release)
    decisions = rows(release, "decisions")
    assert {r["doc_id"] for r in decisions} == set(STUDY_TWICE)
    for row in decisions:
        withheld = row["doc_id"] == SEED_ID
        assert row["text_withheld"] is withheld
        assert (row["context"] is None and row["version_a"] is None and row["version_b"] is None) == withheld
    seed_text = json.loads((corpus / "documents" / f"{SEED_ID}.json").read_text(encoding="utf-8"))["text"]
    for path in (release / "data").glob("*/*.parquet"):
        assert seed_text[100:160].encode() not in path.read_bytes(), path
    corrections = {(r["doc_id"], r["step"]): r for r in rows(release, "corrections")}
    assert corrections[SEED_ID, 0]["text"] is None and corrections[SEED_ID, 0]["text_withheld"] is True
    assert corrections["synth-000001", 0]["text"] == "some claim"
    assert corrections[SEED_ID, 1]["file"] == "corrections-1.3.json"
    assert all(f["text"] is None and f["end"] > f["start"] for f in json.loads(corrections[SEED_ID, 1]["from"]))
    assert all(f["text"] for f in json.loads(corrections["synth-000001", 1]["to"]))


def _rewrite(path, change):
    table = pq.read_table(path)
    data = [change(row) for row in table.to_pylist()]
    pq.write_table(pa.Table.from_pylist(data, schema=table.schema.remove_metadata()), path, **WRITER_OPTIONS)


def test_verify_catches_a_tampered_decisions_file(release_copy):
    path = release_copy / "data/decisions/test-00000-of-00001.parquet"
    _rewrite(path, lambda row: {**row, "decision": "B" if row["decision"] != "B" else "A"})
    problems = verify_release(release_copy, deep=False)
    assert [(p.rule, p.file) for p in problems] == [("REL-SUMS-MISMATCH", str(path))]


def test_verify_catches_a_withheld_text_leaked_into_the_disagreement_configs_even_with_new_checksums(release_copy, built):
    seed = json.loads((built[0] / "documents" / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    annotations = release_copy / "data/annotations/test-00000-of-00001.parquet"
    _rewrite(annotations, lambda row: {**row, "text": seed["text"]} if row["doc_id"] == SEED_ID else row)
    decisions = release_copy / "data/decisions/test-00000-of-00001.parquet"
    _rewrite(decisions, lambda row: {**row, "context": "leaked"} if row["doc_id"] == SEED_ID else row)
    corrections = release_copy / "data/corrections/test-00000-of-00001.parquet"
    leak = json.dumps([{"start": 0, "end": 5, "text": seed["text"][:5]}])
    _rewrite(corrections, lambda row: {**row, "from": leak} if row["doc_id"] == SEED_ID and row["step"] == 1 else row)
    resum(release_copy)
    found = {(p.rule, p.file, p.doc_id) for p in verify_release(release_copy)}
    assert ("REL-TEXT-WITHHELD", str(annotations), SEED_ID) in found
    assert ("REL-TEXT-WITHHELD", str(decisions), SEED_ID) in found
    assert ("REL-TEXT-WITHHELD", str(corrections), SEED_ID) in found
    assert {rule for rule, _, _ in found} <= {"REL-TEXT-WITHHELD", "SPAN-TEXT"}  # span texts still null: SPAN-TEXT


def test_verify_catches_a_disagreement_row_of_an_unknown_document_or_a_wrong_uid(release_copy):
    path = release_copy / "data/corrections/train-00000-of-00001.parquet"
    _rewrite(path, lambda row: {**row, "doc_id": "no-such-doc", "uid": f"no-such-doc/{row['item']}/{row['field']}"})
    decisions = release_copy / "data/decisions/train-00000-of-00001.parquet"
    _rewrite(decisions, lambda row: {**row, "uid": f"{row['doc_id']}/x{row['id']}"})
    resum(release_copy)
    found = {(p.rule, p.file) for p in verify_release(release_copy)}
    assert found == {("REL-STUDY-ROW", str(path)), ("REL-STUDY-ROW", str(decisions))}


def test_a_decision_file_of_a_document_not_in_the_corpus_stops_the_build(tmp_path):
    docs = fixture_documents()
    corpus = write_corpus(tmp_path / "corpus", docs)
    campaign = write_study(corpus, docs)
    shutil.copy(campaign / "decisions" / "synth-000001.json", campaign / "decisions" / "gone.json")
    data = json.loads((campaign / "decisions" / "gone.json").read_text(encoding="utf-8"))
    (campaign / "decisions" / "gone.json").write_text(json.dumps({**data, "doc_id": "gone"}), encoding="utf-8")
    with pytest.raises(ProblemError) as error:
        build_release(corpus, tmp_path / "out", workers=1)
    assert [(p.rule, p.file, p.doc_id) for p in error.value.problems] == [
        ("REL-STUDY-UNKNOWN-DOC", str(campaign / "decisions" / "gone.json"), "gone")]
    assert not (tmp_path / "out").exists()


def test_a_corpus_without_passes_or_campaign_gets_the_configs_empty(corpus, tmp_path):
    manifest = build_release(corpus, tmp_path / "out", workers=1)
    assert all(manifest["configs"][c][s]["num_rows"] == 0 for c in STUDY_CONFIGS for s in SPLITS)
    assert manifest["study"]["campaign"] is None and manifest["study"]["passes"] == {}


def test_corrections_files_are_applied_in_guidelines_order_with_a_suffixed_file_after_its_version(tmp_path):
    from whosaidwhat.release.study import StudySources

    for name in ("corrections-1.10.json", "corrections-1.4-kb.json", "corrections-1.5.json", "corrections.json",
                 "corrections-1.4.json", "corrections-1.5-lead.json", "corrections-1.3.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    sources = StudySources(corpus_dir=tmp_path, campaign=tmp_path, owner={}, withheld=frozenset())
    assert [p.name for p in sources.corrections_files()] == [
        "corrections.json", "corrections-1.3.json", "corrections-1.4.json", "corrections-1.4-kb.json",
        "corrections-1.5.json", "corrections-1.5-lead.json", "corrections-1.10.json"]
