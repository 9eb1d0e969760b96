"""croissant.json: every record of every record set reads with mlcroissant; splits, keys, references, url
and the RAI fields are there and say what the data says."""

import json
import logging
import shutil

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tests.release.conftest import fixture_documents, write_corpus
from whosaidwhat.release.build import build_release
from whosaidwhat.release.checksums import SUMS, render_sums
from whosaidwhat.release.features import CONFIGS, REFERENCES, SPLITS
from whosaidwhat.release.verify import check_croissant, verify_release

#: mlcroissant's pandas code raises deprecation warnings about itself, not about the release
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")


def croissant(release):
    return json.loads((release / "croissant.json").read_text(encoding="utf-8"))


def table(release, config):
    return pa.concat_tables([pq.read_table(p) for p in sorted((release / "data" / config).glob("*.parquet"))])


def read_all(release, record_set):
    """Every record of one record set, read by a fresh mlcroissant Dataset (as a user would)."""
    import mlcroissant as mlc

    logging.getLogger().setLevel(logging.ERROR)
    return list(mlc.Dataset(jsonld=str(release / "croissant.json")).records(record_set))


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def test_mlcroissant_validates_the_file_without_errors_or_warnings(built):
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(built[1] / "croissant.json"))
    assert not dataset.metadata.ctx.issues.errors and not dataset.metadata.ctx.issues.warnings
    assert [r.uuid for r in dataset.metadata.record_sets] == ["splits", *CONFIGS]


@pytest.mark.parametrize("config", CONFIGS)
def test_mlcroissant_reads_every_record_of_every_record_set_with_the_parquet_values(built, config):
    release = built[1]
    records = read_all(release, config)
    rows = table(release, config)
    key = "id" if config == "documents" else "uid"
    assert sorted(text(r[f"{config}/{key}"]) for r in records) == sorted(rows.column(key).to_pylist())
    by_key = {row[key]: row for row in rows.to_pylist()}
    for record in records:
        row = by_key[text(record[f"{config}/{key}"])]
        assert text(record[f"{config}/split"]) == row["split"]
        assert text(record[f"{config}/doc_id" if config != "documents" else f"{config}/id"]) == row[
            "doc_id" if config != "documents" else "id"]
    if config in ("quotes", "claims"):  # the lists of structs left out of `documents` are read here
        record = next(r for r in records if r[f"{config}/fragments"])
        row = by_key[text(record[f"{config}/uid"])]
        assert [(f[f"{config}/fragments/start"], f[f"{config}/fragments/end"]) for f in record[f"{config}/fragments"]] \
            == [(f["start"], f["end"]) for f in row["fragments"]]
    if config == "documents":
        record = next(r for r in records if r["documents/quotes"])
        assert {text(q["documents/quotes/id"]) for q in record["documents/quotes"]} == \
            {q["id"] for q in by_key[text(record["documents/id"])]["quotes"]}


def test_the_splits_record_set_is_typed_as_splits_and_every_record_set_references_it(built):
    data = croissant(built[1])
    splits = next(r for r in data["recordSet"] if r["@id"] == "splits")
    assert splits["dataType"] == "cr:Split" and splits["key"] == {"@id": "splits/name"}
    assert [row["splits/name"] for row in splits["data"]] == list(SPLITS)
    assert [row["splits/url"].rsplit("/", 1)[1] for row in splits["data"]] == ["TrainingSplit", "ValidationSplit",
                                                                                 "TestSplit"]
    assert [text(r["splits/name"]) for r in read_all(built[1], "splits")] == list(SPLITS)
    for record_set in data["recordSet"][1:]:
        split = next(f for f in record_set["field"] if f["name"] == "split")
        assert split["references"] == {"field": {"@id": "splits/name"}}


def test_every_record_set_has_a_key_and_the_references_point_to_existing_keys(built):
    release = built[1]
    data = croissant(release)
    sets = {r["@id"]: r for r in data["recordSet"]}
    assert sets["documents"]["key"] == {"@id": "documents/id"}
    for config in CONFIGS[1:]:
        assert sets[config]["key"] == {"@id": f"{config}/uid"}
    declared = {(r["@id"], f["name"]): f["references"]["field"]["@id"] for r in data["recordSet"] for f in r["field"]
                if "references" in f and f["name"] != "split"}
    assert declared == {(source, column): f"{target}/{target_column}"
                        for (source, column), (target, target_column) in REFERENCES.items()}
    assert declared[("mentions", "doc_id")] == "documents/id"
    assert declared[("quotes", "speaker_mention_uid")] == "mentions/uid"
    for (source, column), (target, target_column) in REFERENCES.items():  # every reference resolves
        values = pc.drop_null(table(release, source).column(column))
        assert pc.all(pc.is_in(values, value_set=table(release, target).column(target_column))).as_py() is not False
    assert len(pc.drop_null(table(release, "quotes").column("speaker_mention_uid"))) > 0


def test_the_documents_record_set_says_where_the_lists_it_leaves_out_are(built):
    documents = next(r for r in croissant(built[1])["recordSet"] if r["@id"] == "documents")
    quotes = next(f for f in documents["field"] if f["name"] == "quotes")
    assert "fragments" not in {f["name"] for f in quotes["subField"]}
    assert "`quotes[].fragments` -> record set `quotes`, field `fragments`" in documents["description"]
    assert "`provenance.layers.mentions.producers` -> record set `producers`" in documents["description"]


def test_a_description_mlcroissant_cannot_read_fails_verify_naming_the_record_set(release_copy):
    path = release_copy / "croissant.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    documents = next(r for r in data["recordSet"] if r["@id"] == "documents")
    quotes = next(f for f in documents["field"] if f["name"] == "quotes")
    quotes["subField"].append({"@type": "cr:Field", "@id": "documents/quotes/fragments", "name": "fragments",
                               "repeated": True, "source": {"fileSet": {"@id": "documents-parquet"},
                                                            "extract": {"column": "quotes"},
                                                            "transform": {"jsonPath": "$.fragments"}},
                               "subField": [{"@type": "cr:Field", "@id": "documents/quotes/fragments/start",
                                             "name": "start", "dataType": "sc:Integer",
                                             "source": {"fileSet": {"@id": "documents-parquet"},
                                                        "extract": {"column": "quotes"},
                                                        "transform": {"jsonPath": "$.fragments.start"}}}]})
    path.write_text(json.dumps(data), encoding="utf-8")
    (release_copy / SUMS).write_text(render_sums(release_copy), encoding="utf-8")
    problems = verify_release(release_copy, rows=False)
    assert ("REL-CROISSANT-RECORDS", str(path), "documents") in [(p.rule, p.file, p.path) for p in problems], problems


def test_a_croissant_check_without_mlcroissant_is_a_problem_not_a_silent_pass(built, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_mlcroissant(name, *args, **kwargs):
        if name == "mlcroissant":
            raise ImportError("No module named 'mlcroissant'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_mlcroissant)
    problems = check_croissant(built[1])
    assert [p.rule for p in problems] == ["REL-CROISSANT"] and "mlcroissant, a dependency of whosaidwhat, does not import" \
        in problems[0].message


def test_the_dataset_url_is_the_homepage_or_repository_and_the_release_card_when_neither_is_known(corpus, tmp_path):
    # Croissant 1.0 requires `url`: without a public address it is the release's own card, relative to croissant.json
    assert croissant(_build(corpus, tmp_path / "none"))["url"] == "README.md"
    meta = json.loads((corpus / "dataset.json").read_text(encoding="utf-8"))
    meta.update(homepage=None, repository="https://example.org/whosaidwhat")
    (corpus / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    assert croissant(_build(corpus, tmp_path / "repo"))["url"] == "https://example.org/whosaidwhat"
    meta.update(homepage="https://example.org/wsw-home")
    (corpus / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    assert croissant(_build(corpus, tmp_path / "home"))["url"] == "https://example.org/wsw-home"


def _build(corpus, out):
    build_release(corpus, out, workers=1)
    return out


RAI_FIELDS = ["rai:dataCollection", "rai:dataCollectionType", "rai:dataCollectionMissingData", "rai:dataCollectionRawData",
              "rai:dataImputationProtocol", "rai:dataPreprocessingProtocol", "rai:dataManipulationProtocol",
              "rai:dataAnnotationProtocol", "rai:dataAnnotationPlatform", "rai:dataAnnotationAnalysis",
              "rai:annotationsPerItem", "rai:annotatorDemographics", "rai:machineAnnotationTools", "rai:dataBiases",
              "rai:dataLimitations", "rai:dataUseCases", "rai:dataSocialImpact", "rai:personalSensitiveInformation",
              "rai:dataReleaseMaintenancePlan"]


def test_every_rai_field_is_filled(built):
    data = croissant(built[1])
    assert "http://mlcommons.org/croissant/RAI/1.0" in data["conformsTo"]
    for field in RAI_FIELDS:
        value = data[field]
        assert value and all(isinstance(v, str) and v.strip() for v in (value if isinstance(value, list) else [value])), field


def _agent(doc, annotator, model, workspace=None, changes=None):
    for record in doc["provenance"]["layers"].values():
        record["status"] = "gold"
        record["producers"] = [{"kind": "agent", "id": annotator, "version": None, "role": "annotated", "model": model,
                                "shown": ["text", "guidelines 1.1"], **({"workspace": workspace} if workspace else {})}]
        if changes:
            record["changes"] = list(changes)
    return doc


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    """A corpus whose documents were annotated by AI agents (one of them in Label Studio), with two independent
    annotation passes kept in annotations/; and its release."""
    from whosaidwhat.release.synthetic import synthetic_document

    root = tmp_path_factory.mktemp("annotated")
    docs = fixture_documents()
    docs["train"][1] = _agent(docs["train"][1], "wsw-ann-a01", "claude-test-model",
                              workspace="http://127.0.0.1:8090/projects/1/data?task=3&annotation=7")
    docs["train"][2] = _agent(docs["train"][2], "wsw-ann-b01", "claude-test-model")
    corpus = write_corpus(root / "corpus", docs)
    for name, annotator, drop in (("pass-a", "wsw-ann-a02", 0), ("pass-b", "wsw-ann-b02", 1)):
        folder = corpus / "annotations" / name
        folder.mkdir(parents=True)
        for i in (1, 2, 3):
            doc = _agent(synthetic_document(i), annotator, "claude-test-model")
            doc["claims"] = doc["claims"][drop:]  # the passes disagree on one claim per document
            (folder / f"{doc['id']}.json").write_text(json.dumps(doc), encoding="utf-8")
    build_release(corpus, root / "release", workers=1)
    return corpus, root / "release"


def test_annotation_analysis_is_the_agreement_of_the_annotation_passes(annotated):
    from whosaidwhat.agreement import measure
    from whosaidwhat.agreement.tables import read_folder

    corpus, release = annotated
    result = measure({p.name: read_folder(p) for p in sorted((corpus / "annotations").iterdir())})
    figures = result["pairs"][0]["figures"]
    analysis = " ".join(croissant(release)["rai:dataAnnotationAnalysis"])
    assert f"on {len(result['pairs'][0]['documents'])} document(s)" in analysis
    for name in ("claims: overlap F1 (IoU >= 0.5)", "quotes: attributed F1 (overlap, same speaker)"):
        fig = figures[name]
        assert f"{name} {fig['value']:.3f} [{fig['ci_low']:.3f}, {fig['ci_high']:.3f}]" in analysis
    card = (release / "README.md").read_text(encoding="utf-8")
    claims = figures["claims: overlap F1 (IoU >= 0.5)"]
    assert f"| claims: overlap F1 (IoU >= 0.5) | {claims['value']:.3f} [{claims['ci_low']:.3f}, {claims['ci_high']:.3f}] |" in card


def test_without_annotation_passes_the_analysis_says_agreement_was_not_measured(corpus, tmp_path):
    assert croissant(_build(corpus, tmp_path / "release"))["rai:dataAnnotationAnalysis"][0].startswith(
        "Inter-annotator agreement was not measured for this release")


def test_the_annotators_are_named_as_ai_agents_with_the_model_they_recorded(annotated):
    _, release = annotated
    tools = croissant(release)["rai:machineAnnotationTools"]
    agents = [t for t in tools if "model recorded as `claude-test-model`" in t]
    assert len(agents) == 1 and agents[0].startswith("AI agent") and "2 annotator id(s), 2 document(s)" in agents[0]
    assert any("`synthetic-generator`" in t and t.startswith("Program of kind `rule`") for t in tools)


def test_the_annotation_platform_is_named_only_for_the_documents_that_record_it(annotated, built):
    corpus, release = annotated

    def records_label_studio(doc):
        for record in doc["provenance"]["layers"].values():
            lines = [p.get("workspace") or "" for p in record["producers"]] + list(record.get("changes") or [])
            if any("Label Studio" in line or "/projects/" in line for line in lines + [record.get("notes") or ""]):
                return True
        return False

    docs = [json.loads(p.read_text(encoding="utf-8")) for p in (corpus / "documents").glob("*.json")]
    expected = sum(map(records_label_studio, docs))
    assert expected >= 1
    assert croissant(release)["rai:dataAnnotationPlatform"] == [
        f"Label Studio: recorded in the layer provenance of {expected} of {len(docs)} documents (the annotation's place "
        "in Label Studio in producers[].workspace, or the pull in the layer's changes)"]
    plain = built[0]
    plain_docs = [json.loads(p.read_text(encoding="utf-8")) for p in (plain / "documents").glob("*.json")]
    platforms = croissant(built[1])["rai:dataAnnotationPlatform"]
    if not any(map(records_label_studio, plain_docs)):
        assert platforms[0].startswith("None recorded")


def test_a_large_release_is_checked_through_a_sample_not_read_whole(built, tmp_path, monkeypatch):
    from whosaidwhat.release import verify

    release = tmp_path / "release"
    shutil.copytree(built[1], release)
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(verify, "SAMPLE_BATCH", 2)  # the sample's rows come after other documents' rows
    expected = verify.write_sample(release, manifest, tmp_path / "sample", 1)
    first = pq.read_table(release / "data/documents/train-00000-of-00001.parquet").column("id")[0].as_py()
    assert first not in expected["documents"]  # the richest document is not simply the first
    assert len(expected["documents"]) == sum(1 for s in SPLITS if manifest["configs"]["documents"][s]["num_rows"])
    docs = set(expected["documents"])
    for config in CONFIGS[1:]:
        rows = table(release, config)
        assert sorted(expected[config]) == sorted(r["uid"] for r in rows.to_pylist() if r["doc_id"] in docs), config
    assert expected["mentions"] and expected["quotes"] and expected["claims"]
