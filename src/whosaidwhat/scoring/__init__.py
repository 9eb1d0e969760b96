"""Scoring submitted systems against gold data: entities, quotes and claims, with intervals.

    >>> from whosaidwhat.scoring import score_submission, ScoreSettings
    >>> result = score_submission("corpus", "eval/submissions/example/pred.jsonl", ScoreSettings(split="test"))
    >>> result["headline"]["quotes.attributed.f1"]["value"]

Every definition is in eval/METRICS.md. The pipeline is: `gold.load_gold` (a corpus or release
folder, or documents in memory; checked by the document rules, GOLD-INVALID) ->
`submission.read_submission` (checked, streamed into numpy columns) -> `engine.count_table`
(per-document counts) -> `metrics` and `bootstrap` -> `report`. `score_documents` does the same
for gold and predictions held in memory (lists of dicts), writing nothing.
"""

from __future__ import annotations

from pathlib import Path

from ..core.inventory import Inventory, load_inventory
from .compare import METHODS, compare_counts
from .counts import CountTable
from .engine import count_table, metric_intervals, metric_values, provenance, submission_record
from .gold import GoldSet, load_gold, open_gold
from .report import build_result, format_text, notes_for
from .settings import METRICS_VERSION, ScoreSettings
from .submission import SubmissionError, SubmissionInfo, read_submission, submission_line

__all__ = ["ScoreSettings", "METRICS_VERSION", "score_submission", "score_documents", "compare_submissions",
           "score_layers", "score_counts", "load_gold", "open_gold", "read_submission", "submission_line", "SubmissionError", "CountTable",
           "format_text", "count_table"]


def score_layers(gold: GoldSet, pred, info: SubmissionInfo | None, settings: ScoreSettings,
                 inventory: Inventory) -> tuple[dict, CountTable]:
    """Score already-read predictions: the result dict and the per-document counts."""
    counts = count_table(gold, pred, settings, inventory)
    return score_counts(gold, counts, info, settings, inventory), counts


def score_counts(gold: GoldSet, counts: CountTable, info: SubmissionInfo | None, settings: ScoreSettings,
                 inventory: Inventory) -> dict:
    """The result dict from per-document counts (rows in gold id order), however they were computed.

    `wsw score --engine dask` computes the counts shard by shard and merges them before this step,
    so the metrics and the bootstrap intervals are those of the local engine.
    """
    values = metric_values(counts, inventory)
    cis = metric_intervals(counts, inventory, settings) if settings.resamples else {}
    record = provenance(gold, info, settings, inventory)
    return build_result(counts.sums(), values, cis, record, inventory.entity_types, notes_for(record))


def score_submission(gold_path: str | Path, pred_path: str | Path, settings: ScoreSettings | None = None,
                     inventory: Inventory | None = None, max_problems: int = 50) -> dict:
    """Score one submission file against a gold folder; raises SubmissionError for a bad submission."""
    settings = settings or ScoreSettings()
    inventory = inventory or load_inventory()
    gold = load_gold(open_gold(gold_path), settings.split, inventory)
    pred, info = read_submission(pred_path, gold, inventory, max_problems)
    return score_layers(gold, pred, info, settings, inventory)[0]


def score_documents(gold: list[dict], predictions: list[dict], settings: ScoreSettings | None = None,
                    inventory: Inventory | None = None, max_problems: int = 50) -> dict:
    """Score predictions held in memory (submission lines or canonical documents) against gold documents held in
    memory (one split, `settings.split`); gold is checked like any other (GOLD-INVALID), predictions like a file."""
    from .documents import score_documents as score

    return score(gold, predictions, settings, inventory, max_problems)


def compare_submissions(gold_path: str | Path, a_path: str | Path, b_path: str | Path,
                        settings: ScoreSettings | None = None, metrics: list[str] | None = None,
                        methods: tuple[str, ...] = METHODS, inventory: Inventory | None = None,
                        max_problems: int = 50) -> dict:
    """Paired significance tests of system A against system B on one gold split."""
    settings = settings or ScoreSettings()
    inventory = inventory or load_inventory()
    gold = load_gold(open_gold(gold_path), settings.split, inventory)
    records, tables = [], []
    for path in (a_path, b_path):
        pred, info = read_submission(path, gold, inventory, max_problems)
        tables.append(count_table(gold, pred, settings, inventory))
        records.append(submission_record(info))
    tests = compare_counts(tables[0], tables[1], inventory, settings, metrics, methods)
    record = provenance(gold, None, settings, inventory)
    record["settings"]["methods"] = list(methods)
    return {"format": "whosaidwhat-compare/1", **record, "a": records[0], "b": records[1], "tests": tests}
