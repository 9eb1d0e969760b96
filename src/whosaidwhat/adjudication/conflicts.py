"""Where two independent annotations of one document disagree: the conflicts an adjudicator decides.

`find_conflicts(a, b)` is pure. Items both annotators made identically are accepted without a
decision; every other difference becomes one conflict with both versions side by side, their
text and the sentence around them. Items are aligned as agreement aligns them
(agreement/alignment.py), so "a conflict" and "a disagreement that lowers agreement" are the
same thing. Version A is the base the gold is built on; a decision picks A's version, B's, or
none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..agreement.alignment import align, entity_map, offsets, source_label

#: conflict kinds and the decisions each allows
CHOICES = {
    "mention-only": ("keep", "drop"),
    "mention-boundary": ("A", "B"),
    "mention-kind": ("A", "B"),
    "mention-link": ("A", "B"),
    "entity-type": ("A", "B"),
    "quote-only": ("keep", "drop"),
    "quote-boundary": ("A", "B"),
    "quote-cue": ("A", "B"),
    "quote-type": ("A", "B"),
    "speaker": ("A", "B"),
    "claim-only": ("keep", "drop"),
    "claim-boundary": ("A", "B"),
    "claimant": ("A", "B"),
    "check-worthiness": ("A", "B"),
    "claim-quote-link": ("A", "B"),
}


@dataclass
class Conflict:
    """One disagreement: what kind, which items (by id in A and/or B), each version and the allowed decisions."""

    id: str
    kind: str
    a: str | None
    b: str | None
    versions: dict
    context: str
    decision: str | None = None
    reason: str | None = None
    choices: tuple[str, ...] = field(default=())
    decided_by: str | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "a": self.a, "b": self.b, "choices": list(self.choices),
                "versions": self.versions, "context": self.context, "decision": self.decision, "reason": self.reason}


def context(text: str, start: int, end: int, width: int = 80) -> str:
    """The text around [start, end) with the span marked by [[ ]], cut at `width` code points each side."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:start] + "[[" + text[start:end] + "]]" + text[end:right] + \
        ("…" if right < len(text) else "")


def _surface(item: dict | None) -> object:
    if item is None:
        return None
    spans = item.get("fragments") or [item]
    return [s["text"] for s in spans]


def _where(item: dict) -> tuple[int, int]:
    spans = item.get("fragments") or [item]
    return min(s["start"] for s in spans), max(s["end"] for s in spans)


def _source(doc: dict, attribution: dict) -> dict:
    """An attribution with the surface of its mention and the name of its entity, for the adjudicator to read."""
    shown = dict(attribution)
    mention = next((m for m in doc["mentions"] if m["id"] == attribution.get("mention")), None)
    entity_id = attribution.get("entity") or (mention or {}).get("entity")
    entity = next((e for e in doc["entities"] if e["id"] == entity_id), None)
    if mention is not None:
        shown["mention_text"] = mention["text"]
        shown["mention_start"] = mention["start"]
    if entity is not None:
        shown["entity_name"] = entity["name"]
    return shown


class _Builder:
    def __init__(self, a: dict, b: dict):
        self.a, self.b, self.text = a, b, a["text"]
        self.conflicts: list[Conflict] = []
        self.mapping = entity_map(a, b)

    def add(self, kind: str, a_item: dict | None, b_item: dict | None, versions: dict) -> None:
        item = a_item if a_item is not None else b_item
        assert item is not None
        start, end = _where(item)
        self.conflicts.append(Conflict(f"k{len(self.conflicts) + 1}", kind,
                                       None if a_item is None else a_item["id"],
                                       None if b_item is None else b_item["id"], versions, context(self.text, start, end),
                                       choices=CHOICES[kind]))

    def mentions(self) -> None:
        a_m, b_m = self.a["mentions"], self.b["mentions"]
        types_a = {e["id"]: e for e in self.a["entities"]}
        types_b = {e["id"]: e for e in self.b["entities"]}
        paired = align(a_m, b_m, 0.0)
        for i, j in paired:
            x, y = a_m[i], b_m[j]
            if offsets(x) != offsets(y):
                self.add("mention-boundary", x, y, {"A": {"text": x["text"], "start": x["start"], "end": x["end"]},
                                                    "B": {"text": y["text"], "start": y["start"], "end": y["end"]}})
            if x["kind"] != y["kind"]:
                self.add("mention-kind", x, y, {"A": x["kind"], "B": y["kind"]})
            if self.mapping.get(y["entity"]) != x["entity"]:
                self.add("mention-link", x, y, {"A": types_a[x["entity"]]["name"], "B": types_b[y["entity"]]["name"]})
        for i in sorted(set(range(len(a_m))) - {i for i, _ in paired}):
            x = a_m[i]
            self.add("mention-only", x, None, {"A": {"text": x["text"], "kind": x["kind"], "type": x["type"],
                                                     "entity": types_a[x["entity"]]["name"]}, "B": None})
        for j in sorted(set(range(len(b_m))) - {j for _, j in paired}):
            y = b_m[j]
            self.add("mention-only", None, y, {"A": None, "B": {"text": y["text"], "kind": y["kind"], "type": y["type"],
                                                                "entity": types_b[y["entity"]]["name"]}})
        for b_id, a_id in sorted(self.mapping.items()):
            ea, eb = types_a[a_id], types_b[b_id]
            if ea["type"] != eb["type"]:
                mention = next(m for m in self.a["mentions"] if m["entity"] == a_id)
                start, end = mention["start"], mention["end"]
                self.conflicts.append(Conflict(f"k{len(self.conflicts) + 1}", "entity-type", a_id, b_id,
                                               {"A": {"name": ea["name"], "type": ea["type"]},
                                                "B": {"name": eb["name"], "type": eb["type"]}},
                                               context(self.text, start, end), choices=CHOICES["entity-type"]))

    def quotes(self) -> dict[str, str]:
        a_q, b_q = self.a["quotes"], self.b["quotes"]
        pairs = align(a_q, b_q, 0.5)
        for i, j in pairs:
            x, y = a_q[i], b_q[j]
            if offsets(x) != offsets(y):
                self.add("quote-boundary", x, y, {"A": _surface(x), "B": _surface(y)})
            if (x["cue"] and offsets(x["cue"])) != (y["cue"] and offsets(y["cue"])):
                self.add("quote-cue", x, y, {"A": x["cue"] and x["cue"]["text"], "B": y["cue"] and y["cue"]["text"]})
            if x["type"] != y["type"]:
                self.add("quote-type", x, y, {"A": x["type"], "B": y["type"]})
            if source_label(self.a, x["speaker"]) != source_label(self.b, y["speaker"], self.mapping):
                self.add("speaker", x, y, {"A": _source(self.a, x["speaker"]), "B": _source(self.b, y["speaker"])})
        self._only("quote-only", a_q, b_q, pairs)
        return {b_q[j]["id"]: a_q[i]["id"] for i, j in pairs}

    def claims(self, quote_map: dict[str, str]) -> None:
        a_c, b_c = self.a["claims"], self.b["claims"]
        pairs = align(a_c, b_c, 0.5)
        for i, j in pairs:
            x, y = a_c[i], b_c[j]
            if offsets(x) != offsets(y):
                self.add("claim-boundary", x, y, {"A": _surface(x), "B": _surface(y)})
            if source_label(self.a, x["claimant"]) != source_label(self.b, y["claimant"], self.mapping):
                self.add("claimant", x, y, {"A": _source(self.a, x["claimant"]), "B": _source(self.b, y["claimant"])})
            if x["check_worthy"] != y["check_worthy"]:
                self.add("check-worthiness", x, y, {"A": x["check_worthy"], "B": y["check_worthy"]})
            if x["quote"] != (quote_map.get(y["quote"], f"B:{y['quote']}") if y["quote"] else None):
                self.add("claim-quote-link", x, y, {"A": x["quote"], "B": y["quote"]})
        self._only("claim-only", a_c, b_c, pairs)

    def _only(self, kind: str, a_items: list[dict], b_items: list[dict], pairs: list[tuple[int, int]]) -> None:
        for i in sorted(set(range(len(a_items))) - {i for i, _ in pairs}):
            self.add(kind, a_items[i], None, {"A": _surface(a_items[i]), "B": None})
        for j in sorted(set(range(len(b_items))) - {j for _, j in pairs}):
            self.add(kind, None, b_items[j], {"A": None, "B": _surface(b_items[j])})


def find_conflicts(a: dict, b: dict) -> list[Conflict]:
    """Every disagreement between annotations A and B of one document, in layer order then text order."""
    builder = _Builder(a, b)
    builder.mentions()
    quote_map = builder.quotes()
    builder.claims(quote_map)
    return builder.conflicts


__all__ = ["CHOICES", "Conflict", "context", "find_conflicts"]
