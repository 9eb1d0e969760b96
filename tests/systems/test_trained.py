"""The trained baseline's plumbing: a tiny model trained on a few documents, reproducibly, then used."""

from __future__ import annotations

import json

from tests.conftest import REPO

EXAMPLE_GOLD = REPO / "eval" / "submissions" / "example" / "gold"


def test_a_tiny_model_trains_reproducibly_and_predicts_scoreable_lines(wsw, tmp_path):
    summaries = []
    for name in ("a", "b"):
        result = wsw("train", "--system", "trained", "--max-documents", "4", "--epochs", "2", "--seed", "7",
                     "--out", tmp_path / name, "--format", "json")
        assert result.returncode == 0, result.stderr
        summaries.append(json.loads(result.stdout))
    assert summaries[0]["model_sha256"] == summaries[1]["model_sha256"]  # same data and seed, same bytes
    assert summaries[0]["documents"] == 4 and summaries[0]["seed"] == 7
    meta = json.loads((tmp_path / "a" / "meta.json").read_text(encoding="utf-8"))
    assert meta["split"] == "train" and len(meta["documents"]) == 4
    splits = json.loads((REPO / "corpus" / "splits.json").read_text(encoding="utf-8"))["splits"]
    assert set(meta["documents"]) <= set(splits["train"])  # never validation or test

    out = tmp_path / "pred.jsonl"
    result = wsw("predict", "--system", "trained", "--option", f"model={tmp_path / 'a'}", EXAMPLE_GOLD, "--out", out)
    assert result.returncode == 0, result.stderr
    scored = wsw("score", "--gold", EXAMPLE_GOLD, "--pred", out, "--resamples", "0")
    assert scored.returncode == 0, scored.stderr


def test_a_missing_model_is_one_clear_line(wsw, tmp_path):
    result = wsw("predict", "--system", "trained", "--option", f"model={tmp_path / 'nowhere'}", EXAMPLE_GOLD,
                 "--out", tmp_path / "p.jsonl")
    assert result.returncode == 2 and result.stderr.count("wsw: error:") == 1 and "[SYS-MODEL-MISSING]" in result.stderr
    assert "wsw train --system trained" in result.stderr and "Traceback" not in result.stderr


def test_training_without_annotated_train_documents_is_refused(wsw, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    doc = json.loads((REPO / "tests" / "fixtures" / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))
    for layer in ("mentions", "quotes", "claims"):
        doc["provenance"]["layers"][layer]["status"] = "absent"
    (corpus / "documents" / "mini-unicode.json").write_text(json.dumps(doc), encoding="utf-8")
    (corpus / "splits.json").write_text(json.dumps({"version": "1", "splits": {"train": ["mini-unicode"]}}))
    result = wsw("train", "--system", "trained", "--corpus", corpus, "--out", tmp_path / "m")
    assert result.returncode == 1 and "[SYS-TRAIN-EMPTY]" in result.stderr and not (tmp_path / "m").exists()


def test_the_rules_gazetteer_is_rebuilt_from_the_train_split_only(wsw, tmp_path):
    out = tmp_path / "gazetteer.json"
    result = wsw("train", "--system", "rules", "--out", out, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    splits = json.loads((REPO / "corpus" / "splits.json").read_text(encoding="utf-8"))["splits"]
    assert data["source"]["split"] == "train" and set(data["source"]["documents"]) == set(splits["train"])
