"""The whole pipeline on the bundled corpus, as a researcher meets it: release, load, score."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    from whosaidwhat.release.build import build_release

    out = tmp_path_factory.mktemp("rel") / "whosaidwhat"
    build_release(REPO / "corpus", out)
    return out


def submission_from(docs_dir, path):
    """The gold layers of every corpus document, written as a system submission (no text)."""
    with path.open("w", encoding="utf-8") as fh:
        for doc_path in sorted(docs_dir.glob("*.json")):
            doc = json.loads(doc_path.read_text(encoding="utf-8"))
            fh.write(json.dumps({k: doc[k] for k in ("id", "entities", "mentions", "quotes", "claims")}, ensure_ascii=False) + "\n")
    return path


def test_load_dataset_reads_the_real_release_with_the_corpus_counts(release, monkeypatch, tmp_path):
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    splits = json.loads((REPO / "corpus" / "splits.json").read_text(encoding="utf-8"))["splits"]
    loaded = datasets.load_dataset(str(release), cache_dir=str(tmp_path / "hf"))
    assert {name: len(loaded[name]) for name in loaded} == {name: len(ids) for name, ids in splits.items()}
    withheld = []
    for name in loaded:
        for row in loaded[name]:
            if row["text"] is None:
                withheld.append((name, row["id"]))
                continue
            for mention in row["mentions"]:
                assert row["text"][mention["start"]:mention["end"]] == mention["text"]
    assert withheld == [("train", "seed-kremlin-rejects-armenian-pm")]


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_gold_scored_against_the_release_and_the_corpus_gives_the_same_perfect_result(release, tmp_path, split):
    from whosaidwhat.scoring import score_submission
    from whosaidwhat.scoring.settings import ScoreSettings

    pred = submission_from(REPO / "corpus" / "documents", tmp_path / "gold.jsonl")
    settings = ScoreSettings(split=split, resamples=50)
    from_release = score_submission(release, pred, settings)
    from_corpus = score_submission(REPO / "corpus", pred, settings)
    assert from_release["headline"] == from_corpus["headline"]
    assert from_release["gold"]["content_sha256"] == from_corpus["gold"]["content_sha256"]
    for name, value in from_corpus["headline"].items():
        assert value["value"] == 1.0, name
