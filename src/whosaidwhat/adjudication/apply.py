"""Decisions -> gold: annotation A with every conflict resolved as the adjudicator decided.

`apply_decisions(a, b, conflicts)` is pure. It starts from A (the base), applies each decision
in layer order (entities and mentions, then quotes, then claims) and brings in B's items with
their references translated: a B mention becomes the gold mention at the same span (added if
missing), a B entity the A entity it maps to (added if none), a B quote the gold quote it was
aligned with or kept as. A decision that would leave a reference dangling is refused, naming the
conflict.
"""

from __future__ import annotations

import copy

from ..agreement.alignment import align, entity_map
from ..core.problems import Problem, ProblemError, fail
from ..editing import next_id
from .conflicts import Conflict


class _Gold:
    def __init__(self, a: dict, b: dict):
        self.doc = copy.deepcopy(a)
        self.b = b
        self.mapping = entity_map(a, b)
        self.b_quotes: dict[str, str] = {}
        self.dropped: set[str] = set()
        self.b_dropped: dict[str, str] = {}  # B item id -> the conflict that dropped it
        self.current = ""  # id of the conflict being applied, for messages

    def item(self, key: str, item_id: str | None) -> dict:
        found = next((x for x in self.doc[key] if x["id"] == item_id), None)
        if found is None:
            fail("DECISION-CONFLICT-UNKNOWN", f"{self.current}: no {key[:-1]} {item_id!r} in annotation A",
                 doc_id=self.doc["id"], found=repr(item_id))
        return found

    def b_item(self, key: str, item_id: str | None) -> dict:
        found = next((x for x in self.b[key] if x["id"] == item_id), None)
        if found is None:
            fail("DECISION-CONFLICT-UNKNOWN", f"{self.current}: no {key[:-1]} {item_id!r} in annotation B",
                 doc_id=self.doc["id"], found=repr(item_id))
        return found

    def entity_for(self, b_entity: str) -> str:
        """The gold entity of a B entity: the A entity it maps to, or a copy of it added now."""
        if b_entity not in self.mapping:
            source = self.b_item("entities", b_entity)
            new_id = next_id(self.doc, "e")
            self.doc["entities"].append({"id": new_id, "type": source["type"], "name": source["name"],
                                         "kb_id": source.get("kb_id")})
            self.mapping[b_entity] = new_id
        return self.mapping[b_entity]

    def mention_for(self, b_mention: str) -> str:
        """The gold mention at the span of a B mention (added, with its entity, if missing)."""
        if b_mention in self.b_dropped:
            fail("ADJ-INCONSISTENT", f"{self.current} needs B's mention {b_mention}, which "
                 f"{self.b_dropped[b_mention]} dropped: decide both the same way", doc_id=self.doc["id"])
        source = self.b_item("mentions", b_mention)
        for mention in self.doc["mentions"]:
            if (mention["start"], mention["end"]) == (source["start"], source["end"]):
                return mention["id"]
        entity = self.entity_for(source["entity"])
        etype = self.item("entities", entity)["type"]
        new_id = next_id(self.doc, "m")
        self.doc["mentions"].append({"id": new_id, "start": source["start"], "end": source["end"],
                                     "text": source["text"], "type": etype, "kind": source["kind"], "entity": entity})
        return new_id

    def attribution(self, b_attr: dict) -> dict:
        kind = b_attr.get("kind")
        if kind == "mention":
            return {"kind": "mention", "mention": self.mention_for(b_attr["mention"])}
        if kind == "entity":
            return {"kind": "entity", "entity": self.entity_for(b_attr["entity"])}
        return {"kind": kind}

    def quote_for(self, b_quote: str | None, conflict: Conflict) -> str | None:
        if b_quote is None:
            return None
        if b_quote in self.b_dropped:
            fail("ADJ-INCONSISTENT", f"{conflict.id}: B's claim links to quote {b_quote}, which "
                 f"{self.b_dropped[b_quote]} dropped (keep that quote, or decide this link as A)", doc_id=self.doc["id"])
        if b_quote not in self.b_quotes:
            fail("ADJ-INCONSISTENT", f"{conflict.id}: B's claim links to quote {b_quote}, which is not in the "
                 "gold (keep that quote, or decide this link as A)", doc_id=self.doc["id"])
        return self.b_quotes[b_quote]


def _mention_only(gold: _Gold, conflict: Conflict) -> None:
    choice = conflict.decision
    if conflict.a is not None and choice == "drop":
        gold.doc["mentions"] = [m for m in gold.doc["mentions"] if m["id"] != conflict.a]
        gold.dropped.add(conflict.a)
    elif conflict.b is not None and choice == "keep":
        gold.mention_for(conflict.b)
    elif conflict.b is not None:
        gold.b_dropped[conflict.b] = conflict.id


def _entity_type(gold: _Gold, conflict: Conflict) -> None:
    entity = gold.item("entities", conflict.a)
    entity["type"] = gold.b_item("entities", conflict.b)["type"]
    for mention in gold.doc["mentions"]:
        if mention["entity"] == entity["id"]:
            mention["type"] = entity["type"]


def _mentions(gold: _Gold, conflict: Conflict) -> None:
    kind, choice = conflict.kind, conflict.decision
    if kind == "mention-only":
        _mention_only(gold, conflict)
        return
    if choice != "B":
        return
    if kind == "entity-type":
        _entity_type(gold, conflict)
        return
    mention, source = gold.item("mentions", conflict.a), gold.b_item("mentions", conflict.b)
    if kind == "mention-boundary":
        mention.update(start=source["start"], end=source["end"], text=source["text"])
    elif kind == "mention-kind":
        mention["kind"] = source["kind"]
    elif kind == "mention-link":
        mention["entity"] = gold.entity_for(source["entity"])
        mention["type"] = gold.item("entities", mention["entity"])["type"]


def _quotes(gold: _Gold, conflict: Conflict) -> None:
    kind, choice = conflict.kind, conflict.decision
    if kind == "quote-only":
        if conflict.a is not None and choice == "drop":
            gold.doc["quotes"] = [q for q in gold.doc["quotes"] if q["id"] != conflict.a]
            gold.dropped.add(conflict.a)
        elif conflict.b is not None and choice == "keep":
            source = gold.b_item("quotes", conflict.b)
            new_id = next_id(gold.doc, "q")
            gold.doc["quotes"].append({"id": new_id, "fragments": copy.deepcopy(source["fragments"]),
                                       "cue": copy.deepcopy(source["cue"]), "speaker": gold.attribution(source["speaker"]),
                                       "type": source["type"]})
            gold.b_quotes[conflict.b] = new_id
        elif conflict.b is not None:
            gold.b_dropped[conflict.b] = conflict.id
        return
    if choice != "B":
        return
    quote, source = gold.item("quotes", conflict.a), gold.b_item("quotes", conflict.b)
    if kind == "quote-boundary":
        quote["fragments"] = copy.deepcopy(source["fragments"])
    elif kind == "quote-cue":
        quote["cue"] = copy.deepcopy(source["cue"])
    elif kind == "quote-type":
        quote["type"] = source["type"]
    elif kind == "speaker":
        quote["speaker"] = gold.attribution(source["speaker"])


def _claims(gold: _Gold, conflict: Conflict) -> None:
    kind, choice = conflict.kind, conflict.decision
    if kind == "claim-only":
        if conflict.a is not None and choice == "drop":
            gold.doc["claims"] = [c for c in gold.doc["claims"] if c["id"] != conflict.a]
        elif conflict.b is not None and choice == "keep":
            source = gold.b_item("claims", conflict.b)
            gold.doc["claims"].append({"id": next_id(gold.doc, "c"), "fragments": copy.deepcopy(source["fragments"]),
                                       "claimant": gold.attribution(source["claimant"]),
                                       "quote": gold.quote_for(source["quote"], conflict),
                                       "check_worthy": source["check_worthy"]})
        return
    if choice != "B":
        return
    claim, source = gold.item("claims", conflict.a), gold.b_item("claims", conflict.b)
    if kind == "claim-boundary":
        claim["fragments"] = copy.deepcopy(source["fragments"])
    elif kind == "claimant":
        claim["claimant"] = gold.attribution(source["claimant"])
    elif kind == "check-worthiness":
        claim["check_worthy"] = source["check_worthy"]
    elif kind == "claim-quote-link":
        claim["quote"] = gold.quote_for(source["quote"], conflict)


def _dangling(gold: _Gold) -> list[str]:
    """References into dropped items, each named."""
    doc = gold.doc
    mentions = {m["id"] for m in doc["mentions"]}
    quotes = {q["id"] for q in doc["quotes"]}
    found = []
    for key, field in (("quotes", "speaker"), ("claims", "claimant")):
        for item in doc[key]:
            ref = item[field].get("mention")
            if item[field].get("kind") == "mention" and ref not in mentions:
                found.append(f"{item['id']}.{field} points to mention {ref}, which a decision dropped")
    for claim in doc["claims"]:
        if claim["quote"] is not None and claim["quote"] not in quotes:
            found.append(f"{claim['id']}.quote points to quote {claim['quote']}, which a decision dropped")
    used = {m["entity"] for m in doc["mentions"]}
    doc["entities"] = [e for e in doc["entities"] if e["id"] in used]
    return found


def _claims_outside_quotes(doc: dict) -> list[str]:
    """Claims linked to a quote must lie inside its fragments and share its speaker's entity (guidelines 4.3, 4.4)."""
    from ..core.document import resolve_entity

    quotes = {q["id"]: q for q in doc["quotes"]}
    found = []
    for claim in doc["claims"]:
        quote = quotes.get(claim["quote"]) if claim["quote"] else None
        if quote is None:
            continue
        for fragment in claim["fragments"]:
            if not any(f["start"] <= fragment["start"] and fragment["end"] <= f["end"] for f in quote["fragments"]):
                found.append(f"{claim['id']} ({fragment['text']!r}) is not inside its quote {quote['id']}: decide the "
                             "quote and claim boundaries alike")
                break
        if resolve_entity(doc, claim["claimant"]) != resolve_entity(doc, quote["speaker"]):
            found.append(f"{claim['id']}'s claimant is not the speaker of its quote {quote['id']}: decide the claimant "
                         "and the speaker alike")
    return found


def apply_decisions(a: dict, b: dict, conflicts: list[Conflict]) -> dict:
    """Gold from base A, B and decided conflicts (every conflict must be decided with one of its choices)."""
    undecided = [c for c in conflicts if c.decision not in c.choices]
    if undecided:
        raise ProblemError([Problem("DECISION-UNDECIDED", f"{c.id} ({c.kind}) is undecided or not a choice",
                                    doc_id=a["id"], found=repr(c.decision), expected="one of " + "/".join(c.choices))
                            for c in undecided])
    gold = _Gold(a, b)
    # quotes B kept or aligned become addressable for claim links, whatever order decisions come in
    pairs = align(a["quotes"], b["quotes"], 0.5)
    gold.b_quotes.update({b["quotes"][j]["id"]: a["quotes"][i]["id"] for i, j in pairs})
    for stage in (_mentions, _quotes, _claims):
        for conflict in conflicts:
            if STAGE[conflict.kind] is stage:
                gold.current = conflict.id
                stage(gold, conflict)
    problems = _dangling(gold) + _claims_outside_quotes(gold.doc)
    if problems:
        raise ProblemError([Problem("ADJ-INCONSISTENT", f"the decisions give inconsistent gold: {line}", doc_id=a["id"])
                            for line in problems])
    doc = gold.doc
    doc["mentions"].sort(key=lambda m: (m["start"], -m["end"], m["id"]))
    doc["quotes"].sort(key=lambda q: (q["fragments"][0]["start"], q["id"]))
    doc["claims"].sort(key=lambda c: (c["fragments"][0]["start"], c["id"]))
    return doc


#: which stage applies each conflict kind (mentions before quotes before claims: later ones refer to earlier ones)
STAGE = {
    "mention-only": _mentions, "mention-boundary": _mentions, "mention-kind": _mentions, "mention-link": _mentions,
    "entity-type": _mentions,
    "quote-only": _quotes, "quote-boundary": _quotes, "quote-cue": _quotes, "quote-type": _quotes, "speaker": _quotes,
    "claim-only": _claims, "claim-boundary": _claims, "claimant": _claims, "check-worthiness": _claims,
    "claim-quote-link": _claims,
}

__all__ = ["STAGE", "apply_decisions"]
