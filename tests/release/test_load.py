"""A release loads the way researchers load data: `datasets.load_dataset`, pandas, pyarrow."""

import json
import os
import subprocess
import sys

import datasets
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from whosaidwhat.release.features import features

CONFIGS = ("documents", "entities", "mentions", "quotes", "claims", "producers", "annotations", "decisions", "corrections")
SPLITS = ("train", "validation", "test")


@pytest.fixture(scope="module")
def loaded(built, tmp_path_factory):
    """Every config of the built release, loaded with the real `datasets.load_dataset`."""
    cache = tmp_path_factory.mktemp("hf-cache")
    release = str(built[1])
    return {config: datasets.load_dataset(release, config, cache_dir=str(cache)) for config in CONFIGS}


def card_counts(release):
    header = yaml.safe_load((release / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    return {info["config_name"]: {s["name"]: s["num_examples"] for s in info["splits"]} for info in header["dataset_info"]}


def test_load_dataset_without_a_config_gives_the_documents_splits_with_the_counts_the_card_states(built, tmp_path):
    docs = datasets.load_dataset(str(built[1]), cache_dir=str(tmp_path / "cache"))
    assert set(docs) == set(SPLITS)
    counts = card_counts(built[1])
    assert {split: len(docs[split]) for split in SPLITS} == counts["documents"] == {"train": 9, "validation": 2, "test": 3}


def test_every_config_loads_with_the_declared_features_and_row_counts(built, loaded):
    counts = card_counts(built[1])
    manifest = json.loads((built[1] / "release.json").read_text(encoding="utf-8"))
    for config in CONFIGS:
        for split in SPLITS:
            rows = manifest["configs"][config][split]["num_rows"]
            if not rows:  # a split without rows is not declared (datasets refuses a declared split without data)
                assert split not in loaded[config] and split not in counts[config], (config, split)
                continue
            assert loaded[config][split].features == features(config)
            assert len(loaded[config][split]) == counts[config][split] == rows
    assert len(loaded["quotes"]["train"]) > 0 and len(loaded["claims"]["test"]) > 0


def test_layers_are_lists_of_structs_not_dicts_of_lists(loaded):
    row = loaded["documents"]["train"][0]
    assert isinstance(row["mentions"], list) and isinstance(row["mentions"][0], dict)
    assert isinstance(row["quotes"][0]["fragments"], list) and set(row["quotes"][0]["fragments"][0]) == {"start", "end", "text"}


def _row_spans(row: dict) -> list[dict]:
    """Every span of a `documents` row: mentions, quote fragments and cues, claim fragments."""
    spans = list(row["mentions"]) + [s for q in row["quotes"] for s in q["fragments"] + [q["cue"]] if s]
    return spans + [s for c in row["claims"] for s in c["fragments"]]


def _check_spans(row: dict) -> int:
    """Assert every span of a `documents` row is its text slice (null where withheld); the number checked."""
    spans = _row_spans(row)
    for span in spans:
        expected = None if row["text"] is None else row["text"][span["start"]:span["end"]]
        assert span["text"] == expected, (row["id"], span)
    return len(spans)


def test_every_span_in_every_loaded_row_is_its_text_slice(loaded):
    texts = {}
    checked = 0
    for split in SPLITS:
        for row in loaded["documents"][split]:
            texts[row["id"]] = row["text"]
            checked += _check_spans(row)
        for row in loaded["mentions"][split]:
            text = texts[row["doc_id"]]
            assert row["text"] == (None if text is None else text[row["start"]:row["end"]])
        for config in ("quotes", "claims"):
            for row in loaded[config][split]:
                text = texts[row["doc_id"]]
                for span in row["fragments"]:
                    assert span["text"] == (None if text is None else text[span["start"]:span["end"]])
    assert checked > 300


def test_the_unicode_fixture_keeps_its_emoji_combining_marks_crlf_and_interrupted_quote(loaded):
    row = next(r for r in loaded["documents"]["train"] if r["id"] == "mini-unicode")
    assert "😀" in row["text"] and "\r\n" in row["text"] and "\u0308" in row["text"]
    interrupted = [q for q in row["quotes"] if len(q["fragments"]) > 1]
    assert interrupted and all(row["text"][f["start"]:f["end"]] == f["text"] for f in interrupted[0]["fragments"])


def test_withheld_documents_load_with_null_text_and_labels_as_names(loaded):
    test = loaded["documents"]["test"]
    withheld = [r for r in test if not r["metadata"]["license"]["redistributable"]]
    assert [r["id"] for r in withheld] == ["seed-kremlin-rejects-armenian-pm"]
    assert withheld[0]["text"] is None
    assert set(loaded["mentions"]["train"]["type"]) <= {"PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK", "MISC"}


def test_pandas_and_pyarrow_read_the_same_files(built, loaded):
    release = built[1]
    frame = pd.read_parquet(release / "data/mentions/train-00000-of-00001.parquet")
    assert len(frame) == len(loaded["mentions"]["train"]) and list(frame.columns) == list(features("mentions"))
    table = pq.read_table(release / "data/documents/train-00000-of-00001.parquet")
    assert table.num_rows == len(loaded["documents"]["train"])
    texts = dict(zip(table.column("id").to_pylist(), table.column("text").to_pylist()))
    for row in frame.itertuples():
        text = texts[row.doc_id]
        assert pd.isna(row.text) if text is None else row.text == text[row.start:row.end]
    assert frame["text"].isna().sum() == sum(1 for t in frame["doc_id"] if texts[t] is None) > 0


def test_a_fresh_python_loads_the_release_by_its_folder_alone(built, tmp_path):
    code = ("import datasets, json, sys; d = datasets.load_dataset(sys.argv[1]); "
            "q = datasets.load_dataset(sys.argv[1], 'quotes'); "
            "print(json.dumps({s: len(d[s]) for s in d} | {'quotes': len(q['train'])}))")
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_DATASETS_CACHE": str(tmp_path / "hf" / "datasets")}
    done = subprocess.run([sys.executable, "-c", code, str(built[1])], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts == {"train": 9, "validation": 2, "test": 3, "quotes": card_counts(built[1])["quotes"]["train"]}
