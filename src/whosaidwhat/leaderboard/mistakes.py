"""Which quotes and claims a system got wrong: missed, spurious and misattributed items, with their text.

The scorer reports counts; a system page also shows the items behind them. This module runs the
scorer's own one-to-one matching (`scoring.passages.match_passages`, the very function the
scorer counts from) and keeps the item indices instead of counting them.
The tests check that the lists add up to the scorer's counts (missed = gold - matched, spurious =
predicted - matched, misattributed = matched - attributed), so the page cannot disagree with the
score.

* missed: a gold item no prediction was matched to;
* spurious: a prediction not matched to any gold item;
* misattributed: matched, but the speaker (claimant) is wrong.

Texts are the gold text at the item's offsets (predictions carry no text); a withheld gold text
leaves only the offsets.
"""

from __future__ import annotations

import numpy as np

from ..core.inventory import Inventory
from ..scoring.gold import GoldSet
from ..scoring.layers import NONE, Layers, Passages
from ..scoring.passages import PassagePairs, match_passages
from ..scoring.settings import ScoreSettings

MISTAKES_FORMAT = "whosaidwhat-mistakes/1"
#: at most this many items of each kind are kept per track (the totals are always exact)
KEEP = 1000
TEXT_LIMIT = 400


class _Texts:
    """Gold texts read once per document, on demand."""

    def __init__(self, gold: GoldSet):
        self.gold = gold
        self.cache: dict[int, str | None] = {}

    def __call__(self, doc: int) -> str | None:
        if doc not in self.cache:
            self.cache[doc] = self.gold.text(doc)
        return self.cache[doc]


def _fragments(items: Passages) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    for owner, start, end in zip(items.frag_owner.tolist(), items.frag_start.tolist(), items.frag_end.tolist()):
        out.setdefault(owner, []).append((start, end))
    return out


def _surface(text: str | None, spans: list[tuple[int, int]]) -> str | None:
    if text is None:
        return None
    joined = " … ".join(text[s:e] for s, e in spans)
    return joined if len(joined) <= TEXT_LIMIT else joined[: TEXT_LIMIT - 1] + "…"


def _source(side: Layers, items: Passages, row: int, kinds: tuple[str, ...], text: str | None) -> str:
    """A speaker or claimant as a person reads it: the mention's text, or the kind (outlet, unknown)."""
    kind = kinds[int(items.attr_kind[row])]
    mention = int(items.attr_mention[row])
    if mention == NONE and kind == "entity" and int(items.attr_entity[row]) != NONE:
        members = np.flatnonzero(side.mentions.entity == items.attr_entity[row])
        mention = int(members[0]) if len(members) else NONE
        if mention == NONE:
            return "an entity without mentions"
    if mention == NONE:
        return kind
    start, end = int(side.mentions.start[mention]), int(side.mentions.end[mention])
    if text is None:
        return f"mention [{start}, {end})"
    return text[start:end][:120]


def _item(gold: GoldSet, texts: _Texts, side: Layers, items: Passages, frags: dict, row: int, kinds) -> dict:
    """One listed item: its document, offsets, gold text and source."""
    doc = int(items.doc[row])
    spans = frags.get(row, [])
    text = texts(doc)
    return {"doc": gold.doc_ids[doc], "spans": [list(s) for s in spans], "text": _surface(text, spans),
            "source": _source(side, items, row, kinds, text)}


def _in_text_order(items: Passages, frags: dict, rows: list[int]) -> list[int]:
    return sorted(rows, key=lambda row: (int(items.doc[row]), frags.get(row, [(0, 0)])[0], row))


def passage_mistakes(gold: GoldSet, pred: Layers, inventory: Inventory, settings: ScoreSettings,
                     keep: int = KEEP) -> dict:
    """{"format", "quotes": {...}, "claims": {...}}: the missed, spurious and misattributed items of each track."""
    texts = _Texts(gold)
    kinds = inventory.attribution_kinds
    out: dict = {"format": MISTAKES_FORMAT}
    quote_pairs: PassagePairs | None = None
    for layer in ("quotes", "claims"):
        match = match_passages(layer, gold.layers, pred, inventory.attribution_kinds, settings.span_overlap,
                               settings.entity_overlap, quote_pairs)
        pairs, accepted, source_ok = match.pairs, match.accepted, match.source_ok
        if layer == "quotes":
            quote_pairs = pairs
        g_items: Passages = getattr(gold.layers, layer)
        p_items: Passages = getattr(pred, layer)
        annotated = gold.layers.annotated[layer]
        g_frags, p_frags = _fragments(g_items), _fragments(p_items)
        matched_g = set(pairs.gold[accepted].tolist())
        matched_p = set(pairs.pred[accepted].tolist())

        missed = [r for r in range(len(g_items)) if r not in matched_g and annotated[g_items.doc[r]]]
        spurious = [r for r in range(len(p_items)) if r not in matched_p and annotated[p_items.doc[r]]]
        wrong = [k for k in np.flatnonzero(accepted & ~source_ok).tolist() if annotated[g_items.doc[pairs.gold[k]]]]
        wrong.sort(key=lambda k: (int(g_items.doc[pairs.gold[k]]), g_frags.get(int(pairs.gold[k]), [(0, 0)])[0]))
        misattributed = []
        for k in wrong[:keep]:
            g_row, p_row = int(pairs.gold[k]), int(pairs.pred[k])
            entry = _item(gold, texts, gold.layers, g_items, g_frags, g_row, kinds)
            entry["predicted_source"] = _source(pred, p_items, p_row, kinds, texts(int(g_items.doc[g_row])))
            misattributed.append(entry)
        out[layer] = {
            "totals": {"missed": len(missed), "spurious": len(spurious), "misattributed": len(wrong)},
            "missed": [_item(gold, texts, gold.layers, g_items, g_frags, r, kinds)
                       for r in _in_text_order(g_items, g_frags, missed)[:keep]],
            "spurious": [_item(gold, texts, pred, p_items, p_frags, r, kinds)
                         for r in _in_text_order(p_items, p_frags, spurious)[:keep]],
            "misattributed": misattributed,
        }
    return out
