"""The mentions and entities of one document's predictions, with stable ids.

Name mentions come from `names.find_names`; the quote and claim rules add the nominal and
pronoun mentions of speakers (`the company`, `he`). Entities are clusters built without a
model: one per name string, a person's one-word name joins the person whose longer name holds
it (`Peskov` -> `Dmitry Peskov`), an acronym joins the name it abbreviates (`GAO`), and a
pronoun joins the last compatible name before it (`he`, `she` -> a person; `it`, `they`, `we` ->
an organisation, place or group). Ids are given in text order when the line is written, so
they do not depend on the order in which rules ran.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .names import Name
from .spans import SpanSet

#: pronoun -> the entity types it may refer to
PRONOUN_TYPES = {
    "he": ("PER",), "him": ("PER",), "his": ("PER",), "himself": ("PER",),
    "she": ("PER",), "her": ("PER",), "hers": ("PER",), "herself": ("PER",),
    "it": ("ORG", "GPE", "WORK", "PRODUCT", "FAC"), "its": ("ORG", "GPE", "WORK", "PRODUCT", "FAC"),
    "they": ("ORG", "NORP", "GPE", "PER"), "them": ("ORG", "NORP", "GPE", "PER"), "their": ("ORG", "NORP", "GPE", "PER"),
    "we": ("ORG", "GPE", "NORP", "PER"), "our": ("ORG", "GPE", "NORP", "PER"), "us": ("ORG", "GPE", "NORP", "PER"),
    "i": ("PER",), "my": ("PER",), "me": ("PER",),
}


@dataclass
class Mention:
    start: int
    end: int
    type: str
    kind: str            # name, nominal, pronoun
    cluster: str         # entity key


@dataclass
class Mentions:
    """Mentions keyed by (start, end, kind); entities keyed by a cluster string."""

    text: str
    items: dict[tuple[int, int, str], Mention] = field(default_factory=dict)
    #: spans of quoted words (set by the pipeline): their names are not antecedents of a speaker pronoun
    quoted: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def from_names(cls, text: str, names: list[Name]) -> Mentions:
        table = cls(text)
        persons: dict[str, str] = {}     # word of a multi-word person name -> cluster
        long_names: dict[str, str] = {}  # acronym -> cluster
        for name in names:
            surface = text[name.start:name.end]
            words = surface.split()
            cluster = f"{name.type}:{surface}"
            if len(words) == 1 and name.type == "PER" and surface in persons:
                cluster = persons[surface]
            elif len(words) == 1 and surface.replace(".", "") in long_names:
                cluster = long_names[surface.replace(".", "")]
            if len(words) > 1 and name.type == "PER":
                for w in (words[0], words[-1]):
                    persons.setdefault(w, cluster)
            if len(words) > 2:
                long_names.setdefault("".join(w[0] for w in words if w[0].isupper()), cluster)
            table.items[(name.start, name.end, "name")] = Mention(name.start, name.end, name.type, "name", cluster)
        # an acronym typed differently from its expansion keeps its own entity
        for m in table.items.values():
            if not m.cluster.startswith(m.type + ":"):
                m.cluster = f"{m.type}:{text[m.start:m.end]}"
        return table

    def names(self) -> list[Mention]:
        """Name mentions in text order (names are all added by `from_names`, so this is computed once)."""
        cached = self.__dict__.get("_names")
        if cached is None:
            cached = sorted((m for m in self.items.values() if m.kind == "name"), key=lambda m: (m.start, m.end))
            self.__dict__["_names"] = cached
        return cached

    def name_starts(self) -> list[int]:
        """The start of each of `names()`, for bisection (a name starting after an offset also ends after it)."""
        cached = self.__dict__.get("_name_starts")
        if cached is None:
            cached = self.__dict__["_name_starts"] = [m.start for m in self.names()]
        return cached

    def names_before(self, offset: int) -> list[Mention]:
        """`names()` without the names that start after `offset` (those cannot end at or before it)."""
        return self.names()[:bisect.bisect_right(self.name_starts(), offset)]

    def first_name_ending_at(self, end: int) -> Mention | None:
        """The first of `names()` that ends at `end`, or None."""
        cached = self.__dict__.get("_name_ends")
        if cached is None:
            cached = self.__dict__["_name_ends"] = {}
            for m in self.names():
                cached.setdefault(m.end, m)
        return cached.get(end)

    def name_at(self, start: int, end: int) -> Mention | None:
        return self.items.get((start, end, "name"))

    def _quoted_names(self) -> set[tuple[int, int]]:
        cached = self.__dict__.get("_quoted")
        if cached is None or cached[0] is not self.quoted:
            quoted = SpanSet(self.quoted)
            spans = {(m.start, m.end) for m in self.names() if quoted.covers(m.start, m.end)}
            cached = (self.quoted, spans)
            self.__dict__["_quoted"] = cached
        return cached[1]

    def names_in(self, start: int, end: int) -> list[Mention]:
        names = self.names()
        out = []
        for i in range(bisect.bisect_left(self.name_starts(), start), len(names)):
            m = names[i]
            if m.start > end:
                break  # it ends after `end`, and so does every later name
            if m.end <= end:
                out.append(m)
        return out

    def add_pronoun(self, start: int, end: int) -> tuple[int, int, str]:
        key = (start, end, "pronoun")
        if key not in self.items:
            word = self.text[start:end].lower()
            allowed = PRONOUN_TYPES.get(word, ("PER",))
            antecedent = None
            quoted = self._quoted_names()
            for m in reversed(self.names_before(start)):
                if m.end > start or (m.start, m.end) in quoted:
                    continue  # names inside quoted words are rarely what a speaker pronoun refers to
                if m.type in allowed:
                    antecedent = m
                    break
            if antecedent is not None:
                self.items[key] = Mention(start, end, antecedent.type, "pronoun", antecedent.cluster)
            else:
                self.items[key] = Mention(start, end, allowed[0], "pronoun", f"pronoun:{start}")
        return key

    def add_nominal(self, start: int, end: int, type_: str) -> tuple[int, int, str]:
        key = (start, end, "nominal")
        if key not in self.items:
            self.items[key] = Mention(start, end, type_, "nominal", f"nominal:{start}")
        return key

    def key_of(self, mention: Mention) -> tuple[int, int, str]:
        return (mention.start, mention.end, mention.kind)

    def assign_ids(self) -> tuple[list[dict], list[dict], dict]:
        """(entities, mentions, key -> mention id) with ids in text order."""
        ordered = sorted(self.items.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
        entity_ids: dict[str, str] = {}
        entities, mentions, ids = [], [], {}
        for number, (key, m) in enumerate(ordered, start=1):
            if m.cluster not in entity_ids:
                entity_ids[m.cluster] = f"e{len(entity_ids) + 1}"
                entities.append({"id": entity_ids[m.cluster], "type": m.type})
            ids[key] = f"m{number}"
            mentions.append({"id": f"m{number}", "start": m.start, "end": m.end, "type": m.type, "kind": m.kind,
                             "entity": entity_ids[m.cluster]})
        return entities, mentions, ids
