"""The dataset card: YAML header for `datasets`, every section, facts generated from the data."""

import json
import re

import yaml

from whosaidwhat.release.card import render_card
from whosaidwhat.stats import corpus_stats

SECTIONS = ["## Dataset description", "## Loading", "## Dataset structure", "### Configs", "### Example row",
            "### Fields", "### Splits", "### Statistics", "## Dataset creation", "### Source data",
            "### Annotation process", "## Personal and sensitive information", "## Considerations for using the data",
            "### Biases", "### Known limitations", "## Licensing", "### Documents whose text is withheld",
            "### Attributions", "## Citation", "## Versions", "## Release notes"]


def card(release):
    return (release / "README.md").read_text(encoding="utf-8")


def manifest(release):
    return json.loads((release / "release.json").read_text(encoding="utf-8"))


def test_the_card_has_every_section_in_order(built):
    text = card(built[1])
    positions = [text.index("\n" + heading) for heading in SECTIONS]
    assert positions == sorted(positions)


def test_the_yaml_header_declares_configs_per_split_features_license_language_tasks_and_size(built):
    header = yaml.safe_load(card(built[1]).split("---\n")[1])
    assert [c["config_name"] for c in header["configs"]] == ["documents", "entities", "mentions", "quotes", "claims",
                                                             "producers", "annotations", "decisions", "corrections"]
    assert header["configs"][0]["default"] is True
    mentions = next(c for c in header["configs"] if c["config_name"] == "mentions")
    assert mentions["data_files"] == [{"split": s, "path": f"data/mentions/{s}-*.parquet"}
                                      for s in ("train", "validation", "test")]
    assert header["license"] == ["cc-by-4.0"] and header["language"] == ["en"]
    assert header["task_categories"] and header["size_categories"] == ["n<1K"]
    quotes = next(i for i in header["dataset_info"] if i["config_name"] == "quotes")
    fragments = next(f for f in quotes["features"] if f["name"] == "fragments")
    assert fragments["list"] == [{"name": "start", "dtype": "int32"}, {"name": "end", "dtype": "int32"},
                                 {"name": "text", "dtype": "string"}]


def test_the_card_is_rendered_from_the_manifest_alone(built):
    assert render_card(manifest(built[1])) == card(built[1])


def test_the_statistics_are_the_numbers_wsw_stats_computes(built):
    corpus, release = built
    theirs = corpus_stats(corpus)
    ours = manifest(release)["summary"]["stats"]
    assert ours["overall"] == theirs["overall"]
    for split, counts in theirs["splits"].items():
        assert ours["splits"][split] == counts
    assert f"| quotes | {ours['splits']['train']['quotes']:,} | {ours['splits']['validation']['quotes']:,} |" in card(release)


def test_the_card_names_the_withheld_documents_and_every_attribution(built):
    corpus, release = built
    text = card(release)
    withheld = text.split("### Documents whose text is withheld")[1].split("###")[0]
    assert re.findall(r"^- `([^`]+)`$", withheld, re.M) == ["seed-kremlin-rejects-armenian-pm", "synth-000007"]
    for path in (corpus / "documents").glob("*.json"):
        attribution = json.loads(path.read_text(encoding="utf-8"))["metadata"]["license"]["attribution"]
        if attribution:
            assert f"- {attribution} (" in text


def test_the_example_row_is_a_real_row_of_the_train_split(built):
    text = card(built[1])
    example = json.loads(text.split("### Example row")[1].split("```json\n")[1].split("\n```")[0])
    row = json.loads((built[0] / "documents" / f"{example['id']}.json").read_text(encoding="utf-8"))
    assert example["id"] in json.loads((built[0] / "splits.json").read_text())["splits"]["train"]
    assert example["text"].removesuffix(" [...]") == row["text"][: len(example["text"].removesuffix(" [...]"))]
    assert example["mentions"][0]["text"] == row["mentions"][0]["text"]


def test_many_attribution_lines_go_to_a_generated_attributions_file_listed_in_the_checksums(corpus, tmp_path, monkeypatch):
    from whosaidwhat.release import markdown
    from whosaidwhat.release.build import build_release

    monkeypatch.setattr(markdown, "ATTRIBUTIONS_IN_CARD", 3)
    build_release(corpus, tmp_path / "out", workers=1)
    text = card(tmp_path / "out")
    assert "attribution lines the article licenses require are in [ATTRIBUTIONS.md](ATTRIBUTIONS.md)" in text
    attributions = (tmp_path / "out" / "ATTRIBUTIONS.md").read_text(encoding="utf-8")
    assert "- Synthetic article 0, CC BY 4.0. (CC-BY-4.0; `synth-000000`)" in attributions
    assert "  ATTRIBUTIONS.md\n" in (tmp_path / "out" / "SHA256SUMS").read_text(encoding="utf-8")


def test_the_declared_features_are_exactly_what_datasets_itself_writes_for_the_parquet_schema():
    from whosaidwhat.release.features import CONFIGS, features, yaml_features

    for config in CONFIGS:
        assert yaml_features(config) == features(config)._to_yaml_list()
