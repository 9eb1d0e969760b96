"""The quote and claim tracks: match multi-fragment passages one-to-one, then judge what they carry.

A quote's (or claim's) content is the set of code points of its fragments. Two passages are a
candidate pair when their contents overlap with ratio |g ∩ p| / |g ∪ p| >= min_iou (default
0.5; "exact" means ratio 1, the same code points). The greedy one-to-one matching ranks pairs by
that ratio, then prefers a correct source, a correct label (quote type / check-worthiness) and,
for claims, a correct quote link, then canonical position, and is grown to a maximum matching
(`matching.match_pairs`). On the matched pairs it counts
exact content, character overlap, label, source and link correctness; see eval/METRICS.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .attribution import SourceJudge
from .entities import Spans, match_entities
from .intervals import canonical_order, intersection, overlapping_pairs, ranks
from .layers import NONE, Layers, Passages
from .matching import match_pairs


@dataclass(frozen=True)
class PassagePairs:
    """Candidate (gold, predicted) passage pairs with their content overlap."""

    gold: np.ndarray
    pred: np.ndarray
    inter: np.ndarray
    iou: np.ndarray

    def select(self, mask: np.ndarray) -> PassagePairs:
        return PassagePairs(self.gold[mask], self.pred[mask], self.inter[mask], self.iou[mask])


def passage_pairs(gold: Passages, pred: Passages, min_iou: float) -> PassagePairs:
    """Every pair of passages in the same document whose contents overlap with ratio >= min_iou (> 0)."""
    i, j = overlapping_pairs(gold.doc[gold.frag_owner], gold.frag_start, gold.frag_end,
                             pred.doc[pred.frag_owner], pred.frag_start, pred.frag_end)
    empty = np.zeros(0, np.int64)
    if len(i) == 0:
        return PassagePairs(empty, empty, empty, np.zeros(0))
    inter = intersection(gold.frag_start[i], gold.frag_end[i], pred.frag_start[j], pred.frag_end[j])
    width = len(pred)
    keys, inverse = np.unique(gold.frag_owner[i].astype(np.int64) * width + pred.frag_owner[j], return_inverse=True)
    total = np.bincount(inverse, weights=inter).astype(np.int64)
    g, p = keys // width, keys % width
    union = gold.content_length()[g] + pred.content_length()[p] - total
    iou = total / union
    keep = iou >= min_iou
    return PassagePairs(g[keep], p[keep], total[keep], iou[keep])


def passage_positions(items: Passages) -> np.ndarray:
    """Canonical position of each passage: by document, content, label and source kind."""
    n = len(items)
    if n == 0:
        return np.zeros(0, np.int64)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, items.frag_owner, items.frag_start)
    last = np.zeros(n, np.int64)
    np.maximum.at(last, items.frag_owner, items.frag_end)
    return ranks(canonical_order(items.doc, first, last, items.content_length(), items.label + 1, items.attr_kind + 1,
                                 items.cue_start + 1, items.cue_end + 1))


def _count(doc: np.ndarray, n_docs: int, weights=None) -> np.ndarray:
    counts = np.bincount(doc, weights=weights, minlength=n_docs)
    return counts.astype(np.int32 if len(counts) == 0 or counts.max() < 2**31 else np.int64)


@dataclass(frozen=True)
class PassageMatch:
    """The one-to-one matching of one track: candidate pairs, which are accepted, and what each pair gets right.

    `exact` marks the pairs of the exact stage: the one-to-one matching of the pairs with the same
    code points (IoU 1), made on its own, so an exactly predicted item counts as exact whatever
    the overlap matching (`accepted`) does with it (eval/METRICS.md, `quotes.exact`).
    """

    pairs: PassagePairs
    accepted: np.ndarray
    exact: np.ndarray
    source_ok: np.ndarray
    label_ok: np.ndarray
    link_ok: np.ndarray | None  # claims only


def _link_ok(g_items: Passages, p_items: Passages, pairs: PassagePairs, pred: Layers,
             quote_pairs: PassagePairs | None) -> np.ndarray:
    """Per claim pair: both link no quote, or the linked quotes are a quote candidate pair."""
    g_link, p_link = g_items.link[pairs.gold].astype(np.int64), p_items.link[pairs.pred].astype(np.int64)
    linked = quote_pairs if quote_pairs is not None else PassagePairs(*(np.zeros(0, np.int64),) * 3, np.zeros(0))
    width = len(pred.quotes) + 1
    link_keys = np.sort(linked.gold * width + linked.pred)
    return ((g_link == NONE) & (p_link == NONE)) | (
        (g_link != NONE) & (p_link != NONE) & np.isin(g_link * width + p_link, link_keys))


def match_passages(layer: str, gold: Layers, pred: Layers, attribution_kinds: tuple[str, ...], span_iou: float,
                   mention_iou: float, quote_pairs: PassagePairs | None = None) -> PassageMatch:
    """The matching of the `quotes` or `claims` track (module docstring); for claims, `quote_pairs` (the quote
    track's candidate pairs) decides whether a claim's link points to the right quote."""
    g_items: Passages = getattr(gold, layer)
    p_items: Passages = getattr(pred, layer)
    pairs = passage_pairs(g_items, p_items, span_iou)
    judge = SourceJudge(gold, pred, g_items, p_items, attribution_kinds, mention_iou)
    source_ok = judge.correct(pairs.gold, pairs.pred)
    label_ok = g_items.label[pairs.gold] == p_items.label[pairs.pred]
    keys = [pairs.iou, source_ok, label_ok]
    link_ok = _link_ok(g_items, p_items, pairs, pred, quote_pairs) if layer == "claims" else None
    if link_ok is not None:
        keys.append(link_ok)
    g_pos, p_pos = passage_positions(g_items), passage_positions(p_items)
    accepted = match_pairs(pairs.gold, pairs.pred, g_pos, p_pos, keys)
    same = np.flatnonzero(pairs.iou == 1.0)
    exact = np.zeros(len(pairs.gold), dtype=bool)
    exact[same[match_pairs(pairs.gold[same], pairs.pred[same], g_pos, p_pos, [k[same] for k in keys[1:]])]] = True
    return PassageMatch(pairs, accepted, exact, source_ok, label_ok, link_ok)


def score_passages(layer: str, gold: Layers, pred: Layers, attribution_kinds: tuple[str, ...], span_iou: float,
                   mention_iou: float, quote_pairs: PassagePairs | None = None) -> tuple[dict[str, np.ndarray], PassagePairs]:
    """Per-document count columns of the `quotes` or `claims` track, and the candidate pairs."""
    g_items: Passages = getattr(gold, layer)
    p_items: Passages = getattr(pred, layer)
    n = gold.n_docs
    prefix = "quote" if layer == "quotes" else "claim"
    match = match_passages(layer, gold, pred, attribution_kinds, span_iou, mention_iou, quote_pairs)
    pairs, accepted = match.pairs, match.accepted
    doc = g_items.doc[pairs.gold[accepted]]
    g_len, p_len = g_items.content_length(), p_items.content_length()
    columns = {
        f"{prefix}.gold": _count(g_items.doc, n),
        f"{prefix}.pred": _count(p_items.doc, n),
        f"{prefix}.exact": _count(g_items.doc[pairs.gold[match.exact]], n),
        f"{prefix}.matched": _count(doc, n),
        f"{prefix}.chars_shared": _count(doc, n, pairs.inter[accepted]),
        f"{prefix}.chars_pred": _count(doc, n, p_len[pairs.pred[accepted]]),
        f"{prefix}.chars_gold": _count(doc, n, g_len[pairs.gold[accepted]]),
        f"{prefix}.source_ok": _count(doc[match.source_ok[accepted]], n),
        f"{prefix}.label_ok": _count(doc[match.label_ok[accepted]], n),
    }
    if match.link_ok is not None:
        columns["claim.link_ok"] = _count(doc[match.link_ok[accepted]], n)
    else:
        columns.update(_cue_columns(g_items, p_items, n, mention_iou))
    return columns, pairs


def _cue_columns(gold: Passages, pred: Passages, n_docs: int, min_iou: float) -> dict[str, np.ndarray]:
    """Cue detection: cue spans of all quotes, matched one-to-one like single-type entity spans."""
    def cues(items: Passages) -> Spans:
        has = items.cue_start != NONE
        return Spans(items.doc[has], items.cue_start[has], items.cue_end[has], np.zeros(int(has.sum()), np.int64))

    g, p = cues(gold), cues(pred)
    matching = match_entities(g, p, min_iou)
    pair_doc = g.doc[matching.gold_index]
    return {
        "cue.gold": _count(g.doc, n_docs),
        "cue.pred": _count(p.doc, n_docs),
        "cue.exact": _count(pair_doc[matching.stages["A"]], n_docs),
        "cue.overlap": _count(pair_doc[matching.stages["E"]], n_docs),
    }
