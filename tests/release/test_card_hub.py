"""The dataset card meets the Hub's conventions and tells a researcher what they need: the Hub's card metadata,
sources and their citations, repository and contact, how to evaluate, keys and joins, and a "start here"
snippet that runs."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO
from tests.release.conftest import fixture_documents, write_corpus
from whosaidwhat.release.build import build_release
from whosaidwhat.release.sources import SOURCES, sources_of

#: every metadata field of a Hub dataset card (huggingface_hub's DatasetCardData arguments, and the Hub's
#: dataset card spec: https://github.com/huggingface/hub-docs/blob/main/datasetcard.md)
HUB_FIELDS = {"language", "license", "license_name", "license_link", "license_details", "tags", "annotations_creators",
              "language_creators", "language_details", "multilinguality", "pretty_name", "size_categories",
              "source_datasets", "task_categories", "task_ids", "paperswithcode_id", "configs", "dataset_info",
              "extra_gated_fields", "extra_gated_prompt", "train-eval-index", "config_names", "viewer"}
#: what this card must always state
REQUIRED = {"pretty_name", "license", "language", "multilinguality", "annotations_creators", "language_creators",
            "task_categories", "task_ids", "size_categories", "source_datasets", "tags", "configs", "dataset_info"}


def card(release):
    return (release / "README.md").read_text(encoding="utf-8")


def test_the_hub_parses_the_card_header_with_no_unknown_and_no_missing_field(built):
    from huggingface_hub import DatasetCard, DatasetCardData

    text = card(built[1])
    parsed = DatasetCard(text)
    header = yaml.safe_load(text.split("---\n")[1])
    assert set(header) <= HUB_FIELDS, set(header) - HUB_FIELDS
    assert REQUIRED <= set(header), REQUIRED - set(header)
    data = DatasetCardData(**header)  # raises on a field of the wrong shape
    assert data.to_dict() == parsed.data.to_dict()
    assert parsed.data.source_datasets[0] == "original"
    assert set(parsed.data.annotations_creators) <= {"found", "crowdsourced", "expert-generated", "machine-generated",
                                                     "no-annotation", "other"}
    assert parsed.data.license_name if "other" in parsed.data.license else True


def test_task_ids_include_coreference_resolution_when_entities_have_several_mentions(built):
    header = yaml.safe_load(card(built[1]).split("---\n")[1])
    manifest = json.loads((built[1] / "release.json").read_text(encoding="utf-8"))
    assert manifest["summary"]["stats"]["overall"]["mentions"] > manifest["summary"]["stats"]["overall"]["entities"]
    assert "coreference-resolution" in header["task_ids"]
    assert set(json.loads((REPO / "corpus" / "dataset.json").read_text(encoding="utf-8"))["task_ids"]) <= set(header["task_ids"])


def test_the_sources_of_the_repository_corpus_are_found_in_each_document():
    docs = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in (REPO / "corpus" / "documents").glob("*.json")}
    for doc_id, doc in docs.items():
        found = set(sources_of(doc))
        if doc_id.startswith("gum-news-"):
            assert {"gum", "wikinews"} <= found and ("wikigum" in found) == any(e.get("kb_id") for e in doc["entities"])
        elif doc_id.startswith("meantime-"):
            assert {"meantime", "semeval2015", "wikinews"} <= found
        elif doc_id.startswith("wns-"):
            assert {"wikinewssum", "wikinews"} <= found
        assert not ({"gum", "wikigum"} & found) or doc_id.startswith("gum-news-")


@pytest.fixture(scope="module")
def with_sources(tmp_path_factory):
    """A release of the fixture corpus plus one real document of each source kind of the repository corpus."""
    root = tmp_path_factory.mktemp("sources")
    docs = fixture_documents()
    picked = {}
    for path in sorted((REPO / "corpus" / "documents").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        key = tuple(sources_of(doc))
        if key and key not in picked and doc["metadata"]["license"]["redistributable"]:
            picked[key] = doc
    docs["train"] += list(picked.values())
    corpus = write_corpus(root / "corpus", docs)
    build_release(corpus, root / "release", workers=1)
    return corpus, root / "release", [s for key in picked for s in key]


def test_source_datasets_and_citations_name_every_source_the_documents_come_from(with_sources):
    _, release, found = with_sources
    text = card(release)
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["source_datasets"][0] == "original"
    assert set(header["source_datasets"][1:]) == {SOURCES[k]["tag"] for k in found if SOURCES[k]["tag"]}
    citation = text.split("## Citation")[1].split("\n## ")[0]
    for key in set(found):
        assert SOURCES[key]["bibtex"] in citation, key
    if "gum" in found:
        assert "@article{zeldes2017gum" in citation and "@inproceedings{lin-zeldes-2021-wikigum" in citation
    data = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    assert {w["name"] for w in data["isBasedOn"]} == {SOURCES[k]["name"] for k in found}


def test_a_corpus_without_known_sources_is_original_only(built):
    header = yaml.safe_load(card(built[1]).split("---\n")[1])
    manifest = json.loads((built[1] / "release.json").read_text(encoding="utf-8"))
    assert header["source_datasets"] == ["original"] + [SOURCES[k]["tag"] for k in SOURCES
                                                        if manifest["summary"]["sources"].get(k) and SOURCES[k]["tag"]]


def test_the_card_states_repository_and_contact(built, corpus, tmp_path):
    text = card(built[1])
    assert "- Repository: " in text and "- Contact: " in text
    meta = json.loads((corpus / "dataset.json").read_text(encoding="utf-8"))
    meta["repository"] = "https://example.org/whosaidwhat"
    meta["maintainers"][0]["contact"] = "wsw@example.org"
    (corpus / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    build_release(corpus, tmp_path / "out", workers=1)
    text = card(tmp_path / "out")
    assert "- Repository: <https://example.org/whosaidwhat>" in text and "- Contact: wsw@example.org" in text


def test_the_card_refers_to_no_section_that_only_the_datasheet_has(built):
    from whosaidwhat.release.datasheet import datasheet_for_corpus

    text = card(built[1])
    headings = {h.strip() for h in re.findall(r"^#+ (.+)$", text, re.M)}
    datasheet_only = {h.strip() for h in re.findall(r"^#+ (.+)$", datasheet_for_corpus(built[0]), re.M)} - headings
    for heading in datasheet_only:  # "see Inter-annotator agreement", "(see *Annotators* below)", ...
        name = re.escape(heading)
        pattern = rf"(\bsee (the )?\*?{name}\*?(?![\w.])|\*{name}\*|\({name}\))"
        assert not re.search(pattern, text, re.I), heading
    assert "DATASHEET.md" not in text
    for referenced in re.findall(r"see \*([^*]+)\*", text):
        assert referenced in headings, referenced


def test_the_evaluation_section_says_how_to_score_and_skips_the_baselines_when_there_are_none(built):
    text = card(built[1])
    evaluation = text.split("## Evaluation")[1].split("\n## ")[0]
    assert "wsw score --gold path/to/" in evaluation and "--pred" in evaluation and "wsw compare" in evaluation
    assert "### Baselines" not in evaluation


def _score_file(corpus, split, path):
    """A real `wsw score --format json` result: the gold itself submitted as a system, on `split`."""
    from whosaidwhat.scoring import ScoreSettings, score_submission

    pred = path.with_suffix(".jsonl")
    with pred.open("w", encoding="utf-8") as fh:
        for doc_path in sorted((corpus / "documents").glob("*.json")):
            doc = json.loads(doc_path.read_text(encoding="utf-8"))
            fh.write(json.dumps({k: doc[k] for k in ("id", "entities", "mentions", "quotes", "claims")}) + "\n")
    result = score_submission(corpus, pred, ScoreSettings(split=split, resamples=20))
    path.write_text(json.dumps(result), encoding="utf-8")
    pred.unlink()
    return result


def test_the_baseline_table_comes_from_eval_baselines_and_says_which_gold_it_was_scored_on(corpus, tmp_path):
    baselines = tmp_path / "baselines"
    (baselines / "rules").mkdir(parents=True)
    (baselines / "rules" / "system.json").write_text(json.dumps({"name": "rules", "version": "0.3", "kind": "rules"}))
    test = _score_file(corpus, "test", baselines / "rules" / "scores-test.json")
    stale = _score_file(corpus, "validation", baselines / "rules" / "scores-validation.json")
    stale["gold"]["content_sha256"] = "0" * 64  # as if scored on an earlier version of the gold
    (baselines / "rules" / "scores-validation.json").write_text(json.dumps(stale))
    (baselines / "no-scores").mkdir()  # a system folder still being built: skipped
    build_release(corpus, tmp_path / "out", workers=1, baselines_dir=baselines)
    text = card(tmp_path / "out")
    table = text.split("### Baselines")[1].split("\n## ")[0]
    rows = [line for line in table.splitlines() if line.startswith("| rules ")]
    assert len(rows) == 2 and rows[0].startswith("| rules | 0.3 | rules | test |") and rows[0].endswith("| this release |")
    value = test["headline"]["quotes.attributed.f1"]["value"]
    assert f"{value:.3f}" in rows[0]
    assert "| validation |" in rows[1] and "other gold (version" in rows[1]
    assert "no-scores" not in table


START_HERE = re.compile(r"## Start here\n.*?```python\n(.*?)```", re.S)


def test_the_start_here_snippet_goes_from_a_quote_to_its_speaker_and_text(built, tmp_path):
    corpus, release = built
    code = START_HERE.search(card(release)).group(1)
    assert len(code.strip().splitlines()) <= 15
    code = re.sub(r'^release = "[^"]*"', f"release = {str(release)!r}", code, count=1, flags=re.M)
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_DATASETS_CACHE": str(tmp_path / "hf" / "datasets"),
           "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    # the same answer, worked out from the corpus documents themselves
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))["splits"]
    for doc_id in sorted(splits["train"]):
        doc = json.loads((corpus / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
        mention_entity = {m["id"]: m["entity"] for m in doc["mentions"]}
        entities = {e["id"]: e for e in doc["entities"]}
        quote = next((q for q in doc["quotes"] if q["speaker"]["kind"] in ("mention", "entity")), None)
        if quote is None:
            continue
        speaker = quote["speaker"]
        entity = entities[mention_entity[speaker["mention"]] if speaker["kind"] == "mention" else speaker["entity"]]
        withheld = not doc["metadata"]["license"]["redistributable"]
        said = None if withheld else " [...] ".join(doc["text"][f["start"]:f["end"]] for f in quote["fragments"])
        assert done.stdout.strip() == f'{entity["name"]} ({entity["type"]}, {entity.get("kb_id")}): "{said}"'
        break
    else:
        pytest.fail("no quote with a known speaker in the fixture's train split")


def test_the_card_documents_keys_uids_and_the_split_column(built):
    text = card(built[1])
    keys = text.split("### Keys and joins")[1].split("\n### ")[0]
    assert "(`doc_id`, `id`)" in keys and "`uid`" in keys and "`split`" in keys
    assert "| `quotes` | `doc_id`, `id` | `<doc_id>/<id>` |" in keys
    assert "`speaker_mention_uid` → `mentions.uid`" in keys and "`doc_id` → `documents.id`" in keys
    fields = text.split("#### `entities`")[1].split("####")[0]
    assert "| `uid` |" in fields and "| `split` |" in fields


def test_the_card_describes_every_config_and_column(built):
    from whosaidwhat.release.features import CONFIGS, SCHEMAS

    text = card(built[1])
    for config in CONFIGS:
        section = text.split(f"#### `{config}`")[1].split("\n#### ")[0].split("\n### ")[0]
        for column in SCHEMAS[config].names:
            row = re.search(rf"^\| `{re.escape(column)}` \| [^|]+ \| (.*) \|$", section, re.M)
            assert row and row.group(1).strip(), (config, column)
