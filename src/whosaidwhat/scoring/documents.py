"""Scoring documents held in memory: gold and predictions as lists of dicts, nothing written to disk.

`score_documents` is `wsw score` without files: the gold documents are checked by the document
rules (GOLD-INVALID), the predictions by the submission checks (each prediction a submission line
or a canonical document, whose surface texts are dropped), then counted and reported exactly as a
file submission would be. `wsw agreement` calls it with one annotator in the role of gold.
"""

from __future__ import annotations

from pathlib import Path

from ..core.inventory import Inventory, load_inventory
from .counts import CountTable
from .gold import GoldSet, MemoryGold, load_gold
from .layers import Layers
from .settings import ScoreSettings
from .submission import SubmissionInfo, submission_line

#: the keys that make a prediction a canonical document rather than a submission line
_DOCUMENT_KEYS = ("text", "metadata", "provenance")


def _as_line(prediction: object) -> object:
    if isinstance(prediction, dict) and any(key in prediction for key in _DOCUMENT_KEYS):
        return submission_line(prediction)
    return prediction


def read_predictions(predictions: list[dict], gold: GoldSet, inventory: Inventory,
                     max_problems: int = 50, name: str = "<predictions>") -> tuple[Layers, SubmissionInfo]:
    """Check predictions (submission lines or canonical documents) against `gold` and return their layers;
    SubmissionError, as for a file, when any is wrong."""
    from .submission import _Reading

    reading = _Reading(Path(name), gold, inventory, max_problems)
    reading.info.format = "memory"
    for number, prediction in enumerate(predictions, start=1):
        reading.take(number, _as_line(prediction), None)
    return reading.finish()


def score_documents(gold: list[dict], predictions: list[dict], settings: ScoreSettings | None = None,
                    inventory: Inventory | None = None, max_problems: int = 50) -> dict:
    """The score result (as `score_submission` gives it) of `predictions` against the `gold` documents."""
    return score_documents_with_counts(gold, predictions, settings, inventory, max_problems)[0]


def score_documents_with_counts(gold: list[dict], predictions: list[dict], settings: ScoreSettings | None = None,
                                inventory: Inventory | None = None,
                                max_problems: int = 50) -> tuple[dict, CountTable]:
    """`score_documents`, and the per-document counts behind the result."""
    from . import score_layers

    settings = settings or ScoreSettings()
    inventory = inventory or load_inventory()
    gold_set = load_gold(MemoryGold(gold, settings.split), settings.split, inventory)
    layers, info = read_predictions(predictions, gold_set, inventory, max_problems)
    result, counts = score_layers(gold_set, layers, info, settings, inventory)
    return result, counts


__all__ = ["read_predictions", "score_documents", "score_documents_with_counts"]
