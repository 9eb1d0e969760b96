"""Label Studio result items -> canonical layers, with every problem reported per region.

Pure: takes the task text and one annotation's (or prediction's) `result` list, returns the
entities, mentions, quotes and claims it encodes plus a list of `Issue`s. Nothing is repaired
silently: an item that cannot be converted is left out *and* reported with the region id and the
reason, and items that depend on it (a quote whose speaker mention was left out) are reported too.
The mapping is documented in `mapping.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..core.document import LAYERS
from ..core.inventory import Inventory
from . import mapping as M
from .offsets import Utf16Index, detect_unit, from_utf16, matches

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]+$")
SINGLE_CHOICE = (M.MENTION_KIND, M.QUOTE_TYPE, M.SPEAKER, M.CLAIMANT)


@dataclass(frozen=True)
class Issue:
    """One thing in a result that could not be converted."""

    region: str | None
    control: str | None
    message: str
    layer: str | None = None

    def line(self) -> str:
        where = f"region {self.region}" if self.region else "annotation"
        control = f" ({self.control})" if self.control else ""
        return f"{where}{control}: {self.message}"


@dataclass
class Region:
    id: str
    group: str  # mention | attribution
    label: str
    raw_start: int
    raw_end: int
    start: int = -1
    end: int = -1
    controls: dict = field(default_factory=dict)  # control name -> list of values

    @property
    def kind(self) -> str:
        return M.MENTION if self.group == M.MENTION else self.label


@dataclass
class Decoded:
    """Canonical layers decoded from one result list."""

    entities: list
    mentions: list
    quotes: list
    claims: list
    annotated_layers: tuple | None
    unit: str
    issues: list


def _short(value, limit: int = 50) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Ids:
    """Allocates document-wide unique canonical ids from preferred names."""

    def __init__(self):
        self.used: set = set()

    def take(self, preferred: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_.:-]", "_", preferred) or "x"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


class _Decoder:
    def __init__(self, text: str, result, unit: str, inventory: Inventory):
        self.text = text
        self.result = result
        self.unit_mode = unit
        self.inv = inventory
        self.issues: list[Issue] = []
        self.regions: dict[str, Region] = {}
        self.bad: set[str] = set()  # region ids that could not be converted
        self.relations: list[tuple[str, str, str]] = []  # (relation, a, b) in canonical direction
        self.doc_controls: dict[str, list] = {}
        self.unit = "codepoints"
        self.tainted: set[str] = set()  # regions with a relation that could not be converted

    def issue(self, region, control, message, layer=None) -> None:
        self.issues.append(Issue(region, control, message, layer))

    @staticmethod
    def layer_of(group_or_kind: str) -> str | None:
        return {M.MENTION: "mentions", M.QUOTE: "quotes", M.CUE: "quotes", M.CLAIM: "claims"}.get(group_or_kind)

    # -- pass 1: sort items into regions, per-region values, relations, document values --------
    def collect(self) -> list:
        per_region = []
        raw_relations = []
        if not isinstance(self.result, list):
            self.issue(None, None, f"result must be a list, found {type(self.result).__name__}")
            return []
        controls = M.per_region_controls(self.inv)
        for n, item in enumerate(self.result):
            if not isinstance(item, dict):
                self.issue(None, None, f"result item {n} is not an object: {_short(item)}")
                continue
            if item.get("type") == "relation":
                raw_relations.append(item)
                continue
            name = item.get("from_name")
            rid = item.get("id")
            value = item.get("value") if isinstance(item.get("value"), dict) else {}
            if not isinstance(name, str):
                self.issue(rid if isinstance(rid, str) else None, None,
                           f"result item {n}: from_name must be the name of a control, found {_short(name)}")
                continue
            if item.get("to_name", M.TEXT) != M.TEXT:
                self.issue(rid, name, f"result points to object {_short(item.get('to_name'))}, expected {M.TEXT!r}")
                continue
            if name in (M.MENTION, M.ATTRIBUTION):
                self.add_region(rid, name, value)
            elif name in controls:
                per_region.append((rid, name, item.get("type"), value))
            elif name in (M.ANNOTATED_LAYERS, M.UNMENTIONED):
                self.doc_controls.setdefault(name, []).append(value)
            else:
                self.issue(rid if isinstance(rid, str) else None, None,
                           f"unknown control {_short(name)}: not in the wsw labeling config "
                           "(was the project made with another config?)")
        return per_region, raw_relations

    def add_region(self, rid, group: str, value: dict) -> None:
        if not isinstance(rid, str) or not rid:
            self.issue(None, group, f"region without an id at {_short(value)}", self.layer_of(group))
            return
        labels = value.get("labels")
        allowed = self.inv.entity_types if group == M.MENTION else M.ATTRIBUTION_LABELS
        layer = self.layer_of(group)
        if rid in self.regions:
            other = self.regions[rid]
            self.issue(rid, group, f"region has a second label ({other.group} {other.label!r} and {group} {_short(labels)}); "
                                   "a region carries exactly one label", layer)
            self.bad.add(rid)
            return
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            self.issue(rid, group, f"region must have exactly one label (a string), found {_short(labels)}", layer)
            self.bad.add(rid)
            return
        if labels[0] not in allowed:
            self.issue(rid, group, f"unknown label {labels[0]!r}, expected one of {', '.join(allowed)}",
                       self.layer_of(labels[0]) or layer)
            self.bad.add(rid)
            return
        start, end = value.get("start"), value.get("end")
        region = Region(rid, group, labels[0], start, end)
        region.controls["__surface"] = value.get("text")
        self.regions[rid] = region

    # -- pass 2: offsets ---------------------------------------------------------------------
    def resolve_offsets(self) -> None:
        spans = [(r.raw_start, r.raw_end, r.controls["__surface"]) for r in self.regions.values()]
        if self.unit_mode == "auto":
            self.unit = detect_unit(self.text, spans) or "codepoints"
        else:
            self.unit = self.unit_mode
        index = Utf16Index(self.text) if self.unit == "utf16" or any(ord(c) > 0xFFFF for c in self.text) else None
        for region in self.regions.values():
            surface = region.controls["__surface"]
            layer = self.layer_of(region.kind)
            start, end = region.raw_start, region.raw_end
            if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
                self.issue(region.id, region.group, f"offsets must be integers, found start={_short(start)}, end={_short(end)}", layer)
                self.bad.add(region.id)
                continue
            if self.unit == "utf16":
                start, end = from_utf16(index, start, end)
                if start is None or end is None:
                    self.issue(region.id, region.group, f"UTF-16 offsets [{region.raw_start}, {region.raw_end}) fall inside "
                                                        "a surrogate pair or past the end of the text", layer)
                    self.bad.add(region.id)
                    continue
            if surface is not None and not isinstance(surface, str):
                self.issue(region.id, region.group, f"value.text must be a string, found {_short(surface)}", layer)
                self.bad.add(region.id)
                continue
            if not matches(self.text, start, end, surface):
                self.issue(region.id, region.group, self.mismatch(region, start, end, surface, index), layer)
                self.bad.add(region.id)
                continue
            region.start, region.end = start, end

    def mismatch(self, region: Region, start: int, end: int, surface, index) -> str:
        where = f"[{region.raw_start}, {region.raw_end})" + (" (UTF-16)" if self.unit == "utf16" else "")
        if not 0 <= start < end <= len(self.text):
            return (f"offsets {where} are outside the text of {len(self.text)} code points or empty")
        actual = self.text[start:end]
        message = f"value.text {_short(surface)} does not match text{where} = {_short(actual)}"
        if self.unit == "codepoints" and index is not None:
            us, ue = from_utf16(index, region.raw_start, region.raw_end)
            if us is not None and ue is not None and matches(self.text, us, ue, surface):
                return (message + "; the offsets are UTF-16 code units (exports of Label Studio before 1.4): "
                        "convert with --offsets utf16 (or --offsets auto)")
        if isinstance(surface, str) and unicodedata.normalize("NFC", surface) == unicodedata.normalize("NFC", actual):
            return (message + "; they differ only in Unicode normalization (composed vs combining characters): "
                    "offsets and text must match the task text exactly as stored")
        found = self.text.find(surface) if surface else -1
        if found >= 0:
            message += f"; that text occurs at [{found}, {found + len(surface)})"
        return message

    # -- pass 3: per-region values -----------------------------------------------------------
    def attach(self, per_region) -> None:
        controls = M.per_region_controls(self.inv)
        choices = M.choice_values(self.inv)
        for rid, name, _kind, value in per_region:
            group, label = controls[name]
            region = self.regions.get(rid) if isinstance(rid, str) else None
            if region is None:
                if not isinstance(rid, str) or rid not in self.bad:
                    self.issue(rid if isinstance(rid, str) else None, name,
                               "per-region value for a region that does not exist (no label result with this id)",
                               self.layer_of(group if label is None else label))
                continue
            layer = self.layer_of(region.kind)
            if region.group != group or (label is not None and region.label != label):
                want = label or group
                self.issue(rid, name, f"{name} belongs on a {want} region, not on a {region.kind} region", layer)
                self.bad.add(rid)
                continue
            if (value.get("start"), value.get("end")) != (region.raw_start, region.raw_end):
                self.issue(rid, name, f"offsets [{value.get('start')}, {value.get('end')}) differ from its region's "
                                      f"[{region.raw_start}, {region.raw_end})", layer)
                self.bad.add(rid)
                continue
            if name in M.TEXTAREAS:
                texts = value.get("text")
                if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                    self.issue(rid, name, f"text must be a list of strings, found {_short(texts)}", layer)
                    self.bad.add(rid)
                    continue
                texts = [t.strip() for t in texts if t.strip()]
                if len(texts) > 1:
                    self.issue(rid, name, f"expected one value, found {len(texts)}: {_short(texts)}", layer)
                    self.bad.add(rid)
                    continue
                values = texts
            else:
                values = value.get("choices")
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    self.issue(rid, name, f"choices must be a list of strings, found {_short(values)}", layer)
                    self.bad.add(rid)
                    continue
                unknown = [v for v in values if v not in choices[name]]
                if unknown:
                    self.issue(rid, name, f"unknown choice {unknown[0]!r}, expected one of {', '.join(choices[name])}", layer)
                    self.bad.add(rid)
                    continue
                if name in SINGLE_CHOICE and len(values) > 1:
                    self.issue(rid, name, f"expected one choice, found {_short(values)}", layer)
                    self.bad.add(rid)
                    continue
            if name in region.controls:
                self.issue(rid, name, "the region has this value twice", layer)
                self.bad.add(rid)
                continue
            if values:
                region.controls[name] = values

    def one(self, region: Region, name: str) -> str | None:
        values = region.controls.get(name)
        return values[0] if values else None

    # -- pass 4: relations -------------------------------------------------------------------
    def link(self, raw_relations) -> None:
        for item in raw_relations:
            a, b, labels = item.get("from_id"), item.get("to_id"), item.get("labels") or []
            shown = f"relation {_short(a)} -> {_short(b)}" + (f" {labels}" if labels else "")
            missing = [x for x in (a, b) if not isinstance(x, str) or (x not in self.regions and x not in self.bad)]
            if missing:
                self.issue(a if isinstance(a, str) else None, "relation",
                           f"{shown} points to region {_short(missing[0])}, which does not exist")
                self.taint(a, b)
                continue
            if a in self.bad or b in self.bad:
                self.issue(a, "relation", f"{shown} joins a region that could not be converted (see its error)",
                           self.layer_of(self.regions[a].kind) if a in self.regions else None)
                self.taint(a, b)
                continue
            ra, rb = self.regions[a], self.regions[b]
            name = self.relation_kind(ra, rb)
            layer = "claims" if M.CLAIM in (ra.kind, rb.kind) else self.layer_of(ra.kind)
            if name is None:
                self.issue(a, "relation", f"{shown} joins a {ra.kind} and a {rb.kind} region; no relation means that", layer)
                self.taint(a, b)
                continue
            if not isinstance(labels, list) or any(l != name for l in labels):
                self.issue(a, "relation", f"{shown} joins a {ra.kind} and a {rb.kind} region, so its label must be {name!r}", layer)
                self.taint(a, b)
                continue
            # canonical direction: the holder of the link first (quote/claim), target second
            first, second = (a, b)
            if name in (M.SAID_BY, M.CUE_OF) and ra.kind != M.QUOTE:
                first, second = b, a
            elif name in (M.CLAIMED_BY, M.MADE_IN) and ra.kind != M.CLAIM:
                first, second = b, a
            self.relations.append((name, first, second))

    def taint(self, *region_ids) -> None:
        """Mark quote/claim regions whose relation failed: their item is incomplete and left out."""
        self.tainted.update(r for r in region_ids if isinstance(r, str))

    @staticmethod
    def relation_kind(ra: Region, rb: Region) -> str | None:
        if ra.kind == rb.kind:
            return {M.MENTION: M.COREF, M.QUOTE: M.CONTINUES, M.CLAIM: M.CONTINUES}.get(ra.kind)
        pair = frozenset({ra.kind, rb.kind})
        for name in M.LINK_RELATIONS:
            if M.RELATION_ENDS[name] == pair:
                return name
        return None

    # -- pass 5: build the layers ------------------------------------------------------------
    def build(self) -> Decoded:
        ids = _Ids()
        good = {rid: r for rid, r in self.regions.items() if rid not in self.bad}
        by_start = sorted(good.values(), key=lambda r: (r.start, r.end, r.id))
        mentions, entities, entity_of_key, mention_ids = self.build_mentions(by_start, ids)
        quotes, quote_of_region, cue_used = self.build_items(by_start, M.QUOTE, ids, mention_ids, entity_of_key, {})
        claims, _, _ = self.build_items(by_start, M.CLAIM, ids, mention_ids, entity_of_key, quote_of_region)
        for region in by_start:
            if region.kind == M.CUE and region.id not in cue_used:
                self.issue(region.id, M.ATTRIBUTION, "cue region is not linked to any quote (draw cue_of from the quote)", "quotes")
        layers = self.annotated_layers()
        return Decoded(entities, mentions, quotes, claims, layers, self.unit, self.issues)

    def annotated_layers(self) -> tuple | None:
        values = self.doc_controls.get(M.ANNOTATED_LAYERS)
        if not values:
            return None
        chosen = set()
        for value in values:
            got = value.get("choices")
            if not isinstance(got, list) or any(v not in LAYERS for v in got):
                self.issue(M.ANNOTATED_LAYERS, M.ANNOTATED_LAYERS, f"unknown layer in {_short(got)}, expected {', '.join(LAYERS)}")
                continue
            chosen.update(got)
        return tuple(name for name in LAYERS if name in chosen)

    def build_mentions(self, regions, ids: _Ids):
        uf = _UnionFind()
        mention_regions = [r for r in regions if r.kind == M.MENTION]
        ok = []
        for region in mention_regions:
            if self.one(region, M.MENTION_KIND) is None:
                self.issue(region.id, M.MENTION_KIND, "mention has no kind (choose name, nominal or pronoun)", "mentions")
                self.bad.add(region.id)
                continue
            ok.append(region)
            uf.find(region.id)
        okset = {r.id for r in ok}
        by_key: dict[str, str] = {}
        for region in ok:
            key = self.one(region, M.ENTITY_KEY)
            if key is not None:
                if key in by_key:
                    uf.union(by_key[key], region.id)
                else:
                    by_key[key] = region.id
        for name, a, b in self.relations:
            if name == M.COREF:
                if a in okset and b in okset:
                    uf.union(a, b)
                else:
                    self.issue(a, "relation", f"coref {a} -> {b} joins a mention that was left out (see its error)", "mentions")
        clusters: dict[str, list[Region]] = {}
        for region in ok:
            clusters.setdefault(uf.find(region.id), []).append(region)
        # mention ids first: they are the region ids themselves
        mention_id = {r.id: ids.take(r.id) for r in ok}
        entities, mentions = [], []
        entity_of_key: dict[str, str] = {}
        dropped: set[str] = set()
        planned = []
        for members in sorted(clusters.values(), key=lambda ms: (ms[0].start, ms[0].end, ms[0].id)):
            keys = sorted({k for r in members if (k := self.one(r, M.ENTITY_KEY)) is not None})
            types = sorted({r.label for r in members})
            names = sorted({v for r in members if (v := self.one(r, M.ENTITY_NAME)) is not None})
            kbs = sorted({v for r in members if (v := self.one(r, M.ENTITY_KB)) is not None})
            where = ", ".join(r.id for r in members)
            problem = None
            if len(keys) > 1:
                problem = f"mentions {where} are one entity (coref) but have different entity keys {keys}"
            elif len(types) > 1:
                problem = f"mentions {where} are one entity but have different types {types}"
            elif len(names) > 1:
                problem = f"entity of mentions {where} has conflicting names {names}"
            elif len(kbs) > 1:
                problem = f"entity of mentions {where} has conflicting kb ids {kbs}"
            elif keys and not ID_PATTERN.match(keys[0]):
                problem = f"entity key {keys[0]!r} is not a valid id (letters, digits, _ . : - only)"
            elif keys and keys[0] in mention_id.values():
                problem = f"entity key {keys[0]!r} is also the id of a mention; ids must be unique in a document"
            if problem:
                self.issue(members[0].id, M.ENTITY_KEY, problem, "mentions")
                dropped.update(r.id for r in members)
                continue
            planned.append((members, keys, types[0], names, kbs))
        reserved = {keys[0] for _, keys, _, _, _ in planned if keys}
        ids.used.update(reserved)
        for members, keys, etype, names, kbs in planned:
            if keys:
                eid = keys[0]
            else:
                eid = ids.take(f"e-{members[0].id}")
            if names:
                name = names[0]
            else:
                named = [r for r in members if self.one(r, M.MENTION_KIND) == "name"] or members
                best = max(named, key=lambda r: (r.end - r.start, -r.start))
                name = self.text[best.start:best.end]
            entities.append({"id": eid, "type": etype, "name": name, "kb_id": kbs[0] if kbs else None})
            for key in keys:
                entity_of_key[key] = eid
            for r in members:
                mentions.append({"id": mention_id[r.id], "start": r.start, "end": r.end, "text": self.text[r.start:r.end],
                                 "type": r.label, "kind": self.one(r, M.MENTION_KIND), "entity": eid})
        self.bad.update(dropped)
        mentions.sort(key=lambda m: (m["start"], m["end"], m["id"]))
        for entity in self.unmentioned(ids, entity_of_key):
            entities.append(entity)
        mention_ids = {rid: mention_id[rid] for rid in mention_id if rid not in dropped}
        return mentions, entities, entity_of_key, mention_ids

    def unmentioned(self, ids: _Ids, entity_of_key: dict) -> list:
        out = []
        for value in self.doc_controls.get(M.UNMENTIONED, []):
            texts = value.get("text")
            if not isinstance(texts, list):
                self.issue(M.UNMENTIONED, M.UNMENTIONED, f"text must be a list of strings, found {_short(texts)}", "mentions")
                continue
            for line in "\n".join(t for t in texts if isinstance(t, str)).splitlines():
                if not line.strip():
                    continue
                parts = [p.strip() for p in line.split("|")]
                if len(parts) not in (3, 4) or not all(parts[:3]):
                    self.issue(M.UNMENTIONED, M.UNMENTIONED, f"line {_short(line)} is not 'key | TYPE | name | kb_id'", "mentions")
                    continue
                key, etype, name = parts[:3]
                kb = parts[3] if len(parts) == 4 and parts[3] else None
                if etype not in self.inv.entity_types:
                    self.issue(M.UNMENTIONED, M.UNMENTIONED, f"unknown entity type {etype!r} in line {_short(line)}, "
                                                             f"expected one of {', '.join(self.inv.entity_types)}", "mentions")
                    continue
                if not ID_PATTERN.match(key) or key in entity_of_key or key in ids.used:
                    self.issue(M.UNMENTIONED, M.UNMENTIONED, f"entity key {key!r} in line {_short(line)} is invalid or already used",
                               "mentions")
                    continue
                ids.used.add(key)
                entity_of_key[key] = key
                out.append({"id": key, "type": etype, "name": name, "kb_id": kb})
        return out

    def build_items(self, regions, label: str, ids: _Ids, mention_ids: dict, entity_of_key: dict, quote_of_region: dict):
        """Quotes (label Quote) or claims (label Claim) from their fragment regions and relations."""
        layer = "quotes" if label == M.QUOTE else "claims"
        own = [r for r in regions if r.kind == label]
        uf = _UnionFind()
        for r in own:
            uf.find(r.id)
        ownset = {r.id for r in own}
        for name, a, b in self.relations:
            if name == M.CONTINUES and a in ownset and b in ownset:  # Quote-Claim never gets here (relation_kind)
                uf.union(a, b)
        groups: dict[str, list[Region]] = {}
        for r in own:
            groups.setdefault(uf.find(r.id), []).append(r)
        out_of: dict[str, list] = {}  # region id -> relations of that kind from it
        for name, a, b in self.relations:
            out_of.setdefault(a, []).append((name, b))
        source_rel, source_choice, source_entity = ((M.SAID_BY, M.SPEAKER, M.SPEAKER_ENTITY) if label == M.QUOTE
                                                    else (M.CLAIMED_BY, M.CLAIMANT, M.CLAIMANT_ENTITY))
        role = "speaker" if label == M.QUOTE else "claimant"
        items, region_to_item, cue_used = [], {}, set()
        for members in sorted(groups.values(), key=lambda ms: min((r.start, r.end) for r in ms)):
            members.sort(key=lambda r: (r.start, r.end, r.id))
            head = members[0]
            rels = [(n, t) for r in members for (n, t) in out_of.get(r.id, [])]
            problems = []
            sources = []
            broken = [r.id for r in members if r.id in self.tainted]
            if broken:
                problems.append(f"a relation of region {broken[0]} could not be converted (see its error)")
            for n, target in rels:
                if n == source_rel:
                    if target in mention_ids:
                        sources.append({"kind": "mention", "mention": mention_ids[target]})
                    else:
                        problems.append(f"{role} mention {target} was left out (see its error)")
            for r in members:
                key = self.one(r, source_entity)
                if key is not None:
                    if key in entity_of_key:
                        sources.append({"kind": "entity", "entity": entity_of_key[key]})
                    else:
                        problems.append(f"{source_entity} names entity key {key!r}, which no mention or "
                                        f"{M.UNMENTIONED} line defines")
                choice = self.one(r, source_choice)
                if choice is not None:
                    sources.append({"kind": choice})
            if not problems and len(sources) != 1:
                if not sources:
                    how = ("draw said_by to the speaker mention, set speaker_entity, or choose 'unknown'" if label == M.QUOTE
                           else "draw claimed_by to the claimant mention, set claimant_entity, or choose 'outlet'/'unknown'")
                    problems.append(f"{label.lower()} has no {role}: {how}")
                else:
                    problems.append(f"{label.lower()} has {len(sources)} {role}s {sources}; exactly one is allowed")
            item: dict = {"id": None, "fragments": [{"start": r.start, "end": r.end, "text": self.text[r.start:r.end]}
                                                     for r in members]}
            if label == M.QUOTE:
                types = sorted({t for r in members if (t := self.one(r, M.QUOTE_TYPE)) is not None})
                if len(types) != 1:
                    problems.append("quote has no quote_type" if not types else f"quote fragments have different types {types}")
                cues = [t for n, t in rels if n == M.CUE_OF]
                if len(cues) > 1:
                    problems.append(f"quote has {len(cues)} cues {cues}; at most one is allowed")
                cue_used.update(cues)
                cue = self.regions[cues[0]] if len(cues) == 1 else None
                item["cue"] = {"start": cue.start, "end": cue.end, "text": self.text[cue.start:cue.end]} if cue else None
                item["speaker"] = sources[0] if len(sources) == 1 else None
                item["type"] = types[0] if len(types) == 1 else None
            else:
                item["claimant"] = sources[0] if len(sources) == 1 else None
                targets = sorted({quote_of_region.get(t, (None, t))[0] or f"?{t}" for n, t in rels if n == M.MADE_IN})
                missing = [t[1:] for t in targets if t.startswith("?")]
                if missing:
                    problems.append(f"made_in points to quote region {missing[0]}, whose quote was left out (see its error)")
                elif len(targets) > 1:
                    problems.append(f"claim is made in {len(targets)} quotes {targets}; at most one is allowed")
                item["quote"] = targets[0] if len(targets) == 1 and not missing else None
                item["check_worthy"] = any(self.one(r, M.CHECK_WORTHY) == M.CHECK_WORTHY_VALUE for r in members)
            if problems:
                for problem in problems:
                    self.issue(head.id, label, problem, layer)
                continue
            preferred = head.id.split(M.REGION_SEPARATOR)[0] or head.id
            item["id"] = ids.take(preferred)
            items.append(item)
            for r in members:
                region_to_item[r.id] = (item["id"], r.id)
        return items, region_to_item, cue_used


def decode_result(text: str, result, inventory: Inventory, unit: str = "codepoints") -> Decoded:
    """Decode one annotation's `result` over `text`; `unit` is codepoints, utf16 or auto."""
    decoder = _Decoder(text, result, unit, inventory)
    collected = decoder.collect()
    if not collected:
        return Decoded([], [], [], [], None, decoder.unit, decoder.issues)
    per_region, raw_relations = collected
    decoder.resolve_offsets()
    decoder.attach(per_region)
    decoder.link(raw_relations)
    return decoder.build()
