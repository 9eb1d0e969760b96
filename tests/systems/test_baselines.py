"""The committed baseline results are data that must stay true: re-scored, re-predicted and tabled again.

When the gold (corpus/documents, splits.json) or the systems change, these fail until the results
are regenerated with `bash scripts/baselines.sh`.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO

ROOT = REPO / "eval" / "baselines"
SYSTEMS = ("rules", "trained")
SPLITS = ("validation", "test")
REGENERATE = "regenerate the baselines with `bash scripts/baselines.sh`"


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("split", SPLITS)
def test_committed_scores_are_what_the_committed_predictions_score(system, split):
    from whosaidwhat.scoring import ScoreSettings, score_submission

    committed = json.loads((ROOT / system / f"scores-{split}.json").read_text(encoding="utf-8"))
    s = committed["settings"]
    settings = ScoreSettings(split=s["split"], mention_kinds=tuple(s["mention_kinds"]), entity_overlap=s["entity_overlap"],
                             span_overlap=s["span_overlap"], resamples=s["resamples"], seed=s["seed"],
                             confidence=s["confidence"])
    fresh = score_submission(REPO / "corpus", ROOT / system / f"{split}.jsonl", settings)
    assert fresh["gold"]["content_sha256"] == committed["gold"]["content_sha256"], \
        f"the {split} gold changed since the baselines were scored; {REGENERATE}"
    assert fresh["submission"]["sha256"] == committed["submission"]["sha256"], f"predictions changed; {REGENERATE}"
    for key in ("headline", "entities", "quotes", "claims"):
        assert fresh[key] == committed[key], f"{system} {split}: {key} scores drifted; {REGENERATE}"


@pytest.mark.parametrize("system", SYSTEMS)
def test_committed_predictions_are_what_the_system_predicts_now(system, tmp_path):
    from whosaidwhat.systems.inputs import iter_input_documents
    from whosaidwhat.systems.registry import load_system
    from whosaidwhat.systems.runner import predict_file

    options = {"model": str(ROOT / "trained" / "model")} if system == "trained" else {}
    out = tmp_path / "validation.jsonl"
    predict_file(load_system(system, options), iter_input_documents([REPO / "corpus"], ("validation",)), out)
    assert out.read_bytes() == (ROOT / system / "validation.jsonl").read_bytes(), \
        f"{system} predicts differently from its committed predictions; {REGENERATE}"


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_baseline_has_a_card(system):
    card = json.loads((ROOT / system / "card.json").read_text(encoding="utf-8"))
    for key in ("name", "version", "kind", "training_data", "reproduce", "license", "predictions", "scores"):
        assert card.get(key), f"card.json of {system} lacks {key}"
    assert card["name"] == system and card["kind"] in ("rules", "trained", "zero-shot")
    assert card["training_data"]["split"] == "train"
    if system == "trained":
        from whosaidwhat.systems.trained import model_sha256

        assert card["model"]["sha256"] == model_sha256(ROOT / "trained" / "model"), f"model changed; {REGENERATE}"
        assert card["model"]["bytes"] < 20 * 1024 * 1024


def test_the_readme_table_is_the_generated_one():
    from whosaidwhat.systems.baselines import readme_table, table

    assert readme_table(REPO / "README.md") == table(ROOT), f"README baseline table is stale; {REGENERATE}"


def test_the_documented_command_rebuilds_the_committed_model_byte_for_byte(tmp_path):
    from whosaidwhat.systems.trained import train_model

    card = json.loads((ROOT / "trained" / "card.json").read_text(encoding="utf-8"))
    result = train_model(REPO / "corpus", tmp_path / "model")  # = wsw train --system trained
    assert result["model_sha256"] == card["model"]["sha256"], f"the train split or the trainer changed; {REGENERATE}"
