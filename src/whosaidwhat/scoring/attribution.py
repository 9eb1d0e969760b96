"""Who said it: resolving predicted speakers and claimants to gold entities, and judging them.

A prediction names a source by its own mention or entity ids, which mean nothing to the gold
data, so sources are compared through the text:

* a predicted **mention** resolves to the entity of the gold mention (of any kind) that it
  overlaps best, by overlap ratio |p ∩ g| / |p ∪ g| (ties: all tied gold entities count);
  "Acme Corp" inside the gold mention "Critics from Acme Corp" resolves to Acme Corp, not to
  the critics, although it overlaps both;
* a predicted **entity** resolves to the gold entity that most of its mentions resolve to
  (ties: all tied entities count); an entity without mentions resolves to nothing;
* a source is **correct** when it resolves to the gold source's entity, or when both sides
  say `unknown`, or (claims) both say `outlet`.
"""

from __future__ import annotations

import numpy as np

from .intervals import intersection, overlapping_pairs
from .layers import NONE, Layers, Passages


def _pair_keys(left: np.ndarray, right: np.ndarray, width: int) -> np.ndarray:
    return left.astype(np.int64) * (width + 1) + (right.astype(np.int64) + 1)


def resolve_mentions(pred: Layers, gold: Layers, rows: np.ndarray, min_iou: float) -> tuple[np.ndarray, np.ndarray]:
    """(predicted mention row, gold entity row) for the best-overlapping gold mentions of `rows`."""
    rows = np.unique(rows[rows != NONE])
    pm, gm = pred.mentions, gold.mentions
    if len(rows) == 0 or len(gm.doc) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    i, j = overlapping_pairs(pm.doc[rows], pm.start[rows], pm.end[rows], gm.doc, gm.start, gm.end)
    p = rows[i]
    inter = intersection(pm.start[p], pm.end[p], gm.start[j], gm.end[j])
    iou = inter / ((pm.end[p] - pm.start[p]) + (gm.end[j] - gm.start[j]) - inter)
    keep = iou >= min_iou
    p, j, iou = p[keep], j[keep], iou[keep]
    best = np.full(len(pm.doc), -1.0)
    np.maximum.at(best, p, iou)
    top = iou == best[p]
    pairs = np.unique(np.stack([p[top], gm.entity[j[top]]]), axis=1)
    return pairs[0], pairs[1]


def resolve_entities(pred: Layers, gold: Layers, rows: np.ndarray, min_iou: float) -> tuple[np.ndarray, np.ndarray]:
    """(predicted entity row, gold entity row) pairs: the gold entities most of its mentions resolve to."""
    rows = np.unique(rows[rows != NONE])
    if len(rows) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    member = np.isin(pred.mentions.entity, rows)
    mention_rows = np.flatnonzero(member)
    m, e = resolve_mentions(pred, gold, mention_rows, min_iou)
    if len(m) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    owner = pred.mentions.entity[m]
    votes_key = _pair_keys(owner, e, gold.n_entities)
    keys, votes = np.unique(votes_key, return_counts=True)
    owners = keys // (gold.n_entities + 1)
    targets = keys % (gold.n_entities + 1) - 1
    best = np.zeros(pred.n_entities, dtype=np.int64)
    np.maximum.at(best, owners, votes)
    top = votes == best[owners]
    return owners[top], targets[top]


class SourceJudge:
    """Decides, for (gold item, predicted item) pairs, whether the predicted source is correct."""

    def __init__(self, gold: Layers, pred: Layers, gold_items: Passages, pred_items: Passages,
                 attribution_kinds: tuple[str, ...], min_iou: float):
        self.gold_items, self.pred_items = gold_items, pred_items
        self.code = {label: i for i, label in enumerate(attribution_kinds)}
        self.width = gold.n_entities
        m, e = resolve_mentions(pred, gold, pred_items.attr_mention, min_iou)
        self.mention_keys = np.sort(_pair_keys(m, e, self.width))
        is_entity = pred_items.attr_kind == self.code["entity"]
        m, e = resolve_entities(pred, gold, pred_items.attr_entity[is_entity], min_iou)
        self.entity_keys = np.sort(_pair_keys(m, e, self.width))

    def correct(self, g: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Boolean per pair (gold item g[k], predicted item p[k])."""
        gi, pi = self.gold_items, self.pred_items
        g_kind, p_kind = gi.attr_kind[g], pi.attr_kind[p]
        target = gi.attr_entity[g]
        named = target != NONE
        by_mention = (p_kind == self.code["mention"]) & np.isin(
            _pair_keys(pi.attr_mention[p], target, self.width), self.mention_keys)
        by_entity = (p_kind == self.code["entity"]) & np.isin(
            _pair_keys(pi.attr_entity[p], target, self.width), self.entity_keys)
        unnamed_match = ~named & (p_kind == g_kind) & (g_kind != self.code["mention"]) & (g_kind != self.code["entity"])
        return (named & (by_mention | by_entity)) | unnamed_match
