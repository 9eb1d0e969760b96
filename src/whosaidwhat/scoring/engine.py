"""From gold and predicted layers to per-document counts, and from counts to a traceable result.

`count_table` is the one scoring pass (pure numpy over all documents at once); `score` adds the
bootstrap intervals and the record of what was scored with which settings.
"""

from __future__ import annotations

import numpy as np

from .. import __version__
from ..core.inventory import Inventory
from ..core.problems import printable
from .bootstrap import intervals
from .counts import CountTable
from .entities import Spans, entity_counts, match_entities
from .gold import GoldSet
from .layers import Layers
from .metrics import catalogue, evaluate_all
from .passages import score_passages
from .settings import METRICS_VERSION, ScoreSettings
from .submission import SubmissionInfo

#: count-column prefixes of each track and the gold layer that must be annotated for them to count
TRACK_PREFIXES = {"mentions": ("ent.",), "quotes": ("quote.", "cue."), "claims": ("claim.",)}


#: the entity track is scored in blocks of documents holding about this many spans, which bounds
#: the memory of the matching; counts are per document, so blocks simply add up
BLOCK_SPANS = 100_000


def mention_spans(layers: Layers, kind_codes: np.ndarray) -> Spans:
    """The mentions of the given kind codes as entity-track spans."""
    m = layers.mentions
    keep = np.isin(m.kind, kind_codes)
    return Spans(m.doc[keep], m.start[keep], m.end[keep], m.type[keep])


def entity_columns(gold: Spans, pred: Spans, n_docs: int, min_iou: float, type_names) -> dict[str, np.ndarray]:
    """Entity count columns, computed block by block of documents (a block's counts fill its rows)."""
    per_doc = np.bincount(gold.doc, minlength=n_docs) + np.bincount(pred.doc, minlength=n_docs)
    cumulative = np.cumsum(per_doc)
    blocks = max(1, int(np.ceil((cumulative[-1] if n_docs else 0) / BLOCK_SPANS)))
    bounds = [0] + [int(np.searchsorted(cumulative, k * BLOCK_SPANS)) + 1 for k in range(1, blocks)] + [n_docs]
    total: dict[str, np.ndarray] = {}
    for lo, hi in zip(bounds, bounds[1:]):
        if hi <= lo:
            continue
        if blocks > 1:  # the block's documents, renumbered from 0, so its columns cover only them
            g, p = gold.select((gold.doc >= lo) & (gold.doc < hi)), pred.select((pred.doc >= lo) & (pred.doc < hi))
            g = Spans(g.doc - lo, g.start, g.end, g.label)
            p = Spans(p.doc - lo, p.start, p.end, p.label)
        else:
            g, p = gold, pred
        columns = entity_counts(match_entities(g, p, min_iou), g, p, hi - lo, type_names)
        for name, values in columns.items():
            if name not in total:
                total[name] = np.zeros(n_docs, dtype=np.int32)
            total[name][lo:hi] = values
    if not total:  # no documents at all
        total = entity_counts(match_entities(gold, pred, min_iou), gold, pred, n_docs, type_names)
    return total


def count_table(gold: GoldSet, pred: Layers, settings: ScoreSettings, inventory: Inventory) -> CountTable:
    """Per-document counts of every track (rows: gold documents in id order)."""
    unknown = [k for k in settings.mention_kinds if k not in inventory.mention_kinds]
    if unknown:
        raise ValueError(f"unknown mention kind(s) {', '.join(unknown)}; expected {', '.join(inventory.mention_kinds)}")
    kind_codes = np.array([inventory.mention_kinds.index(k) for k in settings.mention_kinds])
    columns = entity_columns(mention_spans(gold.layers, kind_codes), mention_spans(pred, kind_codes),
                              gold.layers.n_docs, settings.entity_overlap, inventory.entity_types)
    quote_columns, quote_pairs = score_passages("quotes", gold.layers, pred, inventory.attribution_kinds,
                                                settings.span_overlap, settings.entity_overlap)
    claim_columns, _ = score_passages("claims", gold.layers, pred, inventory.attribution_kinds, settings.span_overlap,
                                      settings.entity_overlap, quote_pairs)
    columns.update(quote_columns)
    columns.update(claim_columns)
    table = CountTable.from_columns_consumed(gold.doc_ids, columns)
    # documents whose gold layer is `absent` take no part in that track: their row is zeroed
    for layer, prefixes in TRACK_PREFIXES.items():
        absent = ~gold.layers.annotated[layer]
        if absent.any():
            cols = [k for k, name in enumerate(table.names) if name.startswith(prefixes)]
            table.values[np.ix_(absent, cols)] = 0
    return table


def metric_values(counts: CountTable, inventory: Inventory) -> dict[str, float]:
    """Point estimate of every metric."""
    values = evaluate_all(catalogue(inventory.entity_types), counts.sums())
    return {name: float(v) for name, v in values.items()}


def metric_intervals(counts: CountTable, inventory: Inventory, settings: ScoreSettings) -> dict:
    """Bootstrap interval of every metric."""
    metrics = catalogue(inventory.entity_types)
    return intervals(lambda sums: evaluate_all(metrics, sums), counts.names, counts.values, settings.resamples,
                     settings.seed, settings.confidence)


def provenance(gold: GoldSet, info: SubmissionInfo | None, settings: ScoreSettings, inventory: Inventory) -> dict:
    """Everything needed to trace a number: scorer, gold data, submission and settings."""
    record = {
        "scorer": {"name": "whosaidwhat", "version": __version__, "metrics_version": METRICS_VERSION,
                   "inventory_version": inventory.version},
        "gold": {"kind": gold.info.kind, "path": printable(gold.info.path), "version": gold.info.version,
                 "splits_version": gold.info.splits_version, "split": gold.split, "documents": len(gold.doc_ids),
                 "content_sha256": gold.content_sha256, "withheld_texts": gold.withheld,
                 "absent_layers": dict(gold.absent_layers)},
        "settings": settings.as_dict(),
    }
    if info is not None:
        record["submission"] = submission_record(info)
    return record


def submission_record(info: SubmissionInfo, sample: int = 10) -> dict:
    return {"path": printable(info.path), "format": info.format, "sha256": info.sha256, "lines": info.lines,
            "documents_scored": info.scored, "empty": info.empty,
            "missing_documents": len(info.missing), "missing_sample": info.missing[:sample],
            "other_split_documents": len(info.other_split), "other_split_sample": info.other_split[:sample],
            "layers_submitted": dict(info.layers), "offsets_not_range_checked": info.unchecked_ranges}
