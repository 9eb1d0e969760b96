"""Label Studio result items -> canonical layers, with every problem reported per region.

Pure: takes the task text and one annotation's (or prediction's) `result` list, returns the
entities, mentions, quotes and claims it encodes plus a list of `Problem`s (rules LS-...). Nothing
is repaired silently: an item that cannot be converted is left out *and* reported with the region
id and the reason, and items that depend on it (a quote whose speaker mention was left out) are
reported too (LS-ITEM-DEPENDS). The mapping is documented in `mapping.py`.

Decoding is a row of small passes over one `_Decoder`: collect (sort items into regions,
per-region values, relations and document values), offsets, attach per-region values, link
relations, then build mentions and entities, quotes, claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..core.document import LAYERS
from ..core.inventory import Inventory
from ..core.problems import Problem, cut_repr
from . import mapping as M
from .offsets import Utf16Index, detect_unit, from_utf16, matches

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]+$")
SINGLE_CHOICE = (M.MENTION_KIND, M.QUOTE_TYPE, M.SPEAKER, M.CLAIMANT)
_LAYER_OF = {M.MENTION: "mentions", M.QUOTE: "quotes", M.CUE: "quotes", M.CLAIM: "claims"}


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
    """Canonical layers decoded from one result list, and the problems of the items left out."""

    entities: list
    mentions: list
    quotes: list
    claims: list
    annotated_layers: tuple | None
    unit: str
    problems: list[Problem]


def control_of(problem: Problem) -> str | None:
    """The Label Studio control (from_name) a decoding problem is about, if any."""
    return problem.extra.get("control")


def layer_of_problem(problem: Problem) -> str | None:
    """The canonical layer whose item a decoding problem left out, if any."""
    return problem.extra.get("layer")


def _short(value, limit: int = 50) -> str:
    return cut_repr(value, limit)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def layer_of(group_or_kind: str | None) -> str | None:
    return _LAYER_OF.get(group_or_kind) if isinstance(group_or_kind, str) else None


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

    def groups(self, members: list) -> list[list]:
        out: dict = {}
        for member in members:
            out.setdefault(self.find(member.id), []).append(member)
        return list(out.values())


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


@dataclass
class _Cluster:
    """Mentions of one entity, with what they say about it."""

    members: list
    keys: list
    types: list
    names: list
    kbs: list


class _Decoder:
    def __init__(self, text: str, result, unit: str, inventory: Inventory):
        self.text = text
        self.result = result
        self.unit_mode = unit
        self.inv = inventory
        self.problems: list[Problem] = []
        self.regions: dict[str, Region] = {}
        self.bad: set[str] = set()  # region ids that could not be converted
        self.relations: list[tuple[str, str, str]] = []  # (relation, a, b) in canonical direction
        self.doc_controls: dict[str, list] = {}
        self.unit = "codepoints"
        self.tainted: set[str] = set()  # regions with a relation that could not be converted
        self.index: Utf16Index | None = None

    def report(self, rule: str, region, control, message: str, layer: str | None = None) -> None:
        self.problems.append(Problem(rule, message, region=region if isinstance(region, str) else None,
                                     extra={"control": control, "layer": layer}))

    def refuse(self, rule: str, region: Region | str, control, message: str, layer: str | None = None) -> None:
        """Report a problem of a region and leave the region out."""
        rid = region.id if isinstance(region, Region) else region
        if isinstance(region, Region) and layer is None:
            layer = layer_of(region.kind)
        self.report(rule, rid, control, message, layer)
        self.bad.add(rid)

    # -- pass 1: sort items into regions, per-region values, relations, document values --------
    def collect(self) -> tuple[list, list] | None:
        if not isinstance(self.result, list):
            self.report("LS-RESULT-SHAPE", None, None, f"result must be a list, found {type(self.result).__name__}")
            return None
        per_region: list = []
        raw_relations: list = []
        controls = M.per_region_controls(self.inv)
        for n, item in enumerate(self.result):
            if not isinstance(item, dict):
                self.report("LS-RESULT-SHAPE", None, None, f"result item {n} is not an object: {_short(item)}")
            elif item.get("type") == "relation":
                raw_relations.append(item)
            else:
                self.collect_item(n, item, controls, per_region)
        return per_region, raw_relations

    def collect_item(self, n: int, item: dict, controls: dict, per_region: list) -> None:
        name, rid = item.get("from_name"), item.get("id")
        value: dict = item["value"] if isinstance(item.get("value"), dict) else {}
        if not isinstance(name, str):
            self.report("LS-RESULT-SHAPE", rid, None, f"result item {n}: from_name must be the name of a control, "
                                                      f"found {_short(name)}")
        elif item.get("to_name", M.TEXT) != M.TEXT:
            self.report("LS-CONFIG-FOREIGN", rid, name, f"result points to object {_short(item.get('to_name'))}, "
                                                        f"expected {M.TEXT!r}: the project's labeling config is not wsw's")
        elif name in (M.MENTION, M.ATTRIBUTION):
            self.add_region(rid, name, value)
        elif name in controls:
            per_region.append((rid, name, item.get("type"), value))
        elif name in (M.ANNOTATED_LAYERS, M.UNMENTIONED):
            self.doc_controls.setdefault(name, []).append(value)
        else:
            self.report("LS-CONFIG-FOREIGN", rid, None, f"unknown control {_short(name)}: not in the wsw labeling config "
                                                        "(the project's labeling config differs from the one wsw generates)")

    def add_region(self, rid, group: str, value: dict) -> None:
        layer = layer_of(group)
        if not isinstance(rid, str) or not rid:
            self.report("LS-RESULT-SHAPE", None, group, f"region without an id at {_short(value)}", layer)
            return
        labels = value.get("labels")
        allowed = self.inv.entity_types if group == M.MENTION else M.ATTRIBUTION_LABELS
        if rid in self.regions:
            other = self.regions[rid]
            self.refuse("LS-REGION-LABEL", rid, group, f"region has a second label ({other.group} {other.label!r} and "
                                                       f"{group} {_short(labels)}); a region carries exactly one label", layer)
        elif not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            self.refuse("LS-REGION-LABEL", rid, group, f"region must have exactly one label (a string), found {_short(labels)}",
                        layer)
        elif labels[0] not in allowed:
            self.refuse("LS-REGION-LABEL", rid, group, f"unknown label {labels[0]!r}, expected one of {', '.join(allowed)}",
                        layer_of(labels[0]) or layer)
        else:
            region = Region(rid, group, labels[0], value.get("start"), value.get("end"))  # type: ignore[arg-type]
            region.controls["__surface"] = value.get("text")
            self.regions[rid] = region

    # -- pass 2: offsets ---------------------------------------------------------------------
    def resolve_offsets(self) -> None:
        spans = [(r.raw_start, r.raw_end, r.controls["__surface"]) for r in self.regions.values()]
        self.unit = (detect_unit(self.text, spans) or "codepoints") if self.unit_mode == "auto" else self.unit_mode
        if self.unit == "utf16" or any(ord(c) > 0xFFFF for c in self.text):
            self.index = Utf16Index(self.text)
        for region in self.regions.values():
            self.resolve_region(region)

    def resolve_region(self, region: Region) -> None:
        surface = region.controls["__surface"]
        start, end = region.raw_start, region.raw_end
        if not (_is_int(start) and _is_int(end)):
            self.refuse("LS-REGION-OFFSETS", region, region.group,
                        f"offsets must be integers, found start={_short(start)}, end={_short(end)}")
            return
        if self.unit == "utf16":
            assert self.index is not None
            cstart, cend = from_utf16(self.index, start, end)
            if cstart is None or cend is None:
                self.refuse("LS-REGION-OFFSETS", region, region.group, f"UTF-16 offsets [{start}, {end}) fall inside "
                                                                       "a surrogate pair or past the end of the text")
                return
            start, end = cstart, cend
        if surface is not None and not isinstance(surface, str):
            self.refuse("LS-REGION-OFFSETS", region, region.group, f"value.text must be a string, found {_short(surface)}")
            return
        if not matches(self.text, start, end, surface):
            rule, message = self.mismatch(region, start, end, surface)
            self.refuse(rule, region, region.group, message)
            return
        region.start, region.end = start, end

    def mismatch(self, region: Region, start: int, end: int, surface) -> tuple[str, str]:
        where = f"[{region.raw_start}, {region.raw_end})" + (" (UTF-16)" if self.unit == "utf16" else "")
        if not 0 <= start < end <= len(self.text):
            return "LS-REGION-OFFSETS", f"offsets {where} are outside the text of {len(self.text)} code points or empty"
        actual = self.text[start:end]
        message = f"value.text {_short(surface)} does not match text{where} = {_short(actual)}"
        if self.unit == "codepoints" and self.index is not None:
            us, ue = from_utf16(self.index, region.raw_start, region.raw_end)
            if us is not None and ue is not None and matches(self.text, us, ue, surface):
                return "LS-OFFSETS-UTF16", (message + "; the offsets are UTF-16 code units (exports of Label Studio "
                                            "before 1.4): convert with --offsets utf16 (or --offsets auto)")
        if isinstance(surface, str) and unicodedata.normalize("NFC", surface) == unicodedata.normalize("NFC", actual):
            return "LS-REGION-OFFSETS", (message + "; they differ only in Unicode normalization (composed vs combining "
                                         "characters): offsets and text must match the task text exactly as stored")
        found = self.text.find(surface) if surface else -1
        if found >= 0:
            message += f"; that text occurs at [{found}, {found + len(surface)})"
        return "LS-REGION-OFFSETS", message

    # -- pass 3: per-region values -----------------------------------------------------------
    def attach(self, per_region) -> None:
        controls = M.per_region_controls(self.inv)
        for rid, name, _kind, value in per_region:
            group, label = controls[name]
            region = self.regions.get(rid) if isinstance(rid, str) else None
            if region is None:
                if not isinstance(rid, str) or rid not in self.bad:
                    self.report("LS-REGION-VALUE", rid, name, "per-region value for a region that does not exist "
                                                              "(no label result with this id)",
                                layer_of(group if label is None else label))
                continue
            why = self.misplaced(region, name, group, label, value)
            values = None if why else self.values_of(region, name, value)
            if why:
                self.refuse("LS-REGION-VALUE", region, name, why)
            elif values is not None and values:
                region.controls[name] = values

    @staticmethod
    def misplaced(region: Region, name: str, group: str, label: str | None, value: dict) -> str | None:
        if region.group != group or (label is not None and region.label != label):
            return f"{name} belongs on a {label or group} region, not on a {region.kind} region"
        if (value.get("start"), value.get("end")) != (region.raw_start, region.raw_end):
            return (f"offsets [{value.get('start')}, {value.get('end')}) differ from its region's "
                    f"[{region.raw_start}, {region.raw_end})")
        return None

    def values_of(self, region: Region, name: str, value: dict) -> list | None:
        """The values of one per-region item, or None (reported, region left out)."""
        why, values = self.text_values(value) if name in M.TEXTAREAS else self.choice_values(name, value)
        if not why and name in region.controls:
            why = "the region has this value twice"
        if why:
            self.refuse("LS-REGION-VALUE", region, name, why)
            return None
        return values

    @staticmethod
    def text_values(value: dict) -> tuple[str | None, list]:
        texts = value.get("text")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return f"text must be a list of strings, found {_short(texts)}", []
        texts = [t.strip() for t in texts if t.strip()]
        if len(texts) > 1:
            return f"expected one value, found {len(texts)}: {_short(texts)}", []
        return None, texts

    def choice_values(self, name: str, value: dict) -> tuple[str | None, list]:
        values = value.get("choices")
        allowed = M.choice_values(self.inv)[name]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"choices must be a list of strings, found {_short(values)}", []
        unknown = [v for v in values if v not in allowed]
        if unknown:
            return f"unknown choice {unknown[0]!r}, expected one of {', '.join(allowed)}", []
        if name in SINGLE_CHOICE and len(values) > 1:
            return f"expected one choice, found {_short(values)}", []
        return None, values

    def one(self, region: Region, name: str) -> str | None:
        values = region.controls.get(name)
        return values[0] if values else None

    # -- pass 4: relations -------------------------------------------------------------------
    def link(self, raw_relations) -> None:
        for item in raw_relations:
            a, b, labels = item.get("from_id"), item.get("to_id"), item.get("labels") or []
            shown = f"relation {_short(a)} -> {_short(b)}" + (f" {labels}" if labels else "")
            rule, why, layer = self.relation_problem(a, b, labels, shown)
            if rule:
                self.report(rule, a, "relation", why, layer)
                self.taint(a, b)

    def relation_problem(self, a, b, labels, shown: str) -> tuple[str | None, str, str | None]:
        """(rule, message, layer) of a relation that cannot be converted; (None, "", None) once it is linked."""
        missing = [x for x in (a, b) if not isinstance(x, str) or (x not in self.regions and x not in self.bad)]
        if missing:
            return "LS-RELATION", f"{shown} points to region {_short(missing[0])}, which does not exist", None
        if a in self.bad or b in self.bad:
            return "LS-ITEM-DEPENDS", f"{shown} joins a region that could not be converted (see its error)", \
                self.relation_layer(labels, a, b)
        ra, rb = self.regions[a], self.regions[b]
        name = self.relation_kind(ra, rb)
        layer = "claims" if M.CLAIM in (ra.kind, rb.kind) else layer_of(ra.kind)
        if name is None:
            return "LS-RELATION", f"{shown} joins a {ra.kind} and a {rb.kind} region; no relation means that", layer
        if not isinstance(labels, list) or any(label != name for label in labels):
            return "LS-RELATION", f"{shown} joins a {ra.kind} and a {rb.kind} region, so its label must be {name!r}", layer
        self.add_relation(name, ra, a, b)
        return None, "", None

    def add_relation(self, name: str, ra: Region, a: str, b: str) -> None:
        """Keep a relation in canonical direction: the holder of the link first (quote/claim), target second."""
        holder = {M.SAID_BY: M.QUOTE, M.CUE_OF: M.QUOTE, M.CLAIMED_BY: M.CLAIM, M.MADE_IN: M.CLAIM}.get(name)
        self.relations.append((name, b, a) if holder is not None and ra.kind != holder else (name, a, b))

    def relation_layer(self, labels, a: str, b: str) -> str | None:
        """The layer a relation belongs to: by its label where it has one, else by the regions it joins."""
        by_label = {M.SAID_BY: "quotes", M.CUE_OF: "quotes", M.CLAIMED_BY: "claims", M.MADE_IN: "claims",
                    M.COREF: "mentions"}
        for label in labels if isinstance(labels, list) else []:
            if isinstance(label, str) and label in by_label:
                return by_label[label]
        kinds = [self.regions[x].kind for x in (a, b) if x in self.regions]
        layers = [layer_of(kind) for kind in kinds]
        return next((layer for layer in ("claims", "quotes") if layer in layers), layers[0] if layers else None)

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
        mentions, entities, entity_of_key, mention_ids = _Mentions(self, ids).build(by_start)
        quotes, quote_of_region, cue_used = _Items(self, M.QUOTE, ids, mention_ids, entity_of_key, {}).build(by_start)
        claims, _, _ = _Items(self, M.CLAIM, ids, mention_ids, entity_of_key, quote_of_region).build(by_start)
        for region in by_start:
            if region.kind == M.CUE and region.id not in cue_used:
                self.report("LS-ITEM-INCOMPLETE", region.id, M.ATTRIBUTION,
                            "cue region is not linked to any quote (draw cue_of from the quote)", "quotes")
        layers = self.annotated_layers()
        return Decoded(entities, mentions, quotes, claims, layers, self.unit, self.problems)

    def annotated_layers(self) -> tuple | None:
        values = self.doc_controls.get(M.ANNOTATED_LAYERS)
        if not values:
            return None
        chosen = set()
        for value in values:
            got = value.get("choices")
            if not isinstance(got, list) or any(v not in LAYERS for v in got):
                self.report("LS-LAYERS-UNKNOWN", M.ANNOTATED_LAYERS, M.ANNOTATED_LAYERS,
                            f"unknown layer in {_short(got)}, expected {', '.join(LAYERS)}")
                continue
            chosen.update(got)
        return tuple(name for name in LAYERS if name in chosen)


class _Mentions:
    """Mentions and entities (coreference clusters) from the mention regions."""

    def __init__(self, decoder: _Decoder, ids: _Ids):
        self.d = decoder
        self.ids = ids

    def build(self, regions: list):
        d = self.d
        ok = self.with_kind(regions)
        mention_id = {r.id: self.ids.take(r.id) for r in ok}  # mention ids first: they are the region ids themselves
        planned: list[_Cluster] = []
        dropped: set[str] = set()
        for cluster in self.clusters(ok):
            problem = self.conflict(cluster, set(mention_id.values()))
            if problem:
                d.report("LS-ENTITY-CONFLICT", cluster.members[0].id, M.ENTITY_KEY, problem, "mentions")
                dropped.update(r.id for r in cluster.members)
            else:
                planned.append(cluster)
        self.ids.used.update(c.keys[0] for c in planned if c.keys)
        entities, mentions, entity_of_key = self.entities_and_mentions(planned, mention_id)
        d.bad.update(dropped)
        mentions.sort(key=lambda m: (m["start"], m["end"], m["id"]))
        entities.extend(self.unmentioned(entity_of_key))
        mention_ids = {rid: mid for rid, mid in mention_id.items() if rid not in dropped}
        return mentions, entities, entity_of_key, mention_ids

    def with_kind(self, regions: list) -> list:
        ok = []
        for region in regions:
            if region.kind != M.MENTION:
                continue
            if self.d.one(region, M.MENTION_KIND) is None:
                self.d.refuse("LS-ITEM-INCOMPLETE", region, M.MENTION_KIND,
                              "mention has no kind (choose name, nominal or pronoun)", "mentions")
            else:
                ok.append(region)
        return ok

    def clusters(self, ok: list) -> list[_Cluster]:
        d, uf = self.d, _UnionFind()
        okset = {r.id for r in ok}
        by_key: dict[str, str] = {}
        for region in ok:
            uf.find(region.id)
            key = d.one(region, M.ENTITY_KEY)
            if key is not None:
                uf.union(by_key.setdefault(key, region.id), region.id)
        for name, a, b in d.relations:
            if name != M.COREF:
                continue
            if a in okset and b in okset:
                uf.union(a, b)
            else:
                d.report("LS-ITEM-DEPENDS", a, "relation", f"coref {a} -> {b} joins a mention that was left out "
                                                           "(see its error)", "mentions")
        out = []
        for members in sorted(uf.groups(ok), key=lambda ms: (ms[0].start, ms[0].end, ms[0].id)):
            def values(control, members=members):
                return sorted({v for r in members if (v := d.one(r, control)) is not None})
            out.append(_Cluster(members, values(M.ENTITY_KEY), sorted({r.label for r in members}),
                                values(M.ENTITY_NAME), values(M.ENTITY_KB)))
        return out

    @staticmethod
    def conflict(c: _Cluster, mention_ids: set) -> str | None:
        where = ", ".join(r.id for r in c.members)
        checks = (
            (len(c.keys) > 1, f"mentions {where} are one entity (coref) but have different entity keys {c.keys}"),
            (len(c.types) > 1, f"mentions {where} are one entity but have different types {c.types}"),
            (len(c.names) > 1, f"entity of mentions {where} has conflicting names {c.names}"),
            (len(c.kbs) > 1, f"entity of mentions {where} has conflicting kb ids {c.kbs}"),
            (bool(c.keys) and not ID_PATTERN.match(c.keys[0] if c.keys else ""),
             f"entity key {c.keys[0] if c.keys else ''!r} is not a valid id (letters, digits, _ . : - only)"),
            (bool(c.keys) and (c.keys[0] if c.keys else None) in mention_ids,
             f"entity key {c.keys[0] if c.keys else ''!r} is also the id of a mention; ids must be unique in a document"),
        )
        return next((message for failed, message in checks if failed), None)

    def entities_and_mentions(self, planned: list[_Cluster], mention_id: dict):
        d = self.d
        entities, mentions, entity_of_key = [], [], {}
        for c in planned:
            eid = c.keys[0] if c.keys else self.ids.take(f"e-{c.members[0].id}")
            entities.append({"id": eid, "type": c.types[0], "name": c.names[0] if c.names else self.name_of(c.members),
                             "kb_id": c.kbs[0] if c.kbs else None})
            entity_of_key.update(dict.fromkeys(c.keys, eid))
            for r in c.members:
                mentions.append({"id": mention_id[r.id], "start": r.start, "end": r.end, "text": d.text[r.start:r.end],
                                 "type": r.label, "kind": d.one(r, M.MENTION_KIND), "entity": eid})
        return entities, mentions, entity_of_key

    def name_of(self, members: list) -> str:
        named = [r for r in members if self.d.one(r, M.MENTION_KIND) == "name"] or members
        best = max(named, key=lambda r: (r.end - r.start, -r.start))
        return self.d.text[best.start:best.end]

    def unmentioned(self, entity_of_key: dict) -> list:
        out = []
        for value in self.d.doc_controls.get(M.UNMENTIONED, []):
            texts = value.get("text")
            if not isinstance(texts, list):
                self.d.report("LS-UNMENTIONED", M.UNMENTIONED, M.UNMENTIONED,
                              f"text must be a list of strings, found {_short(texts)}", "mentions")
                continue
            for line in "\n".join(t for t in texts if isinstance(t, str)).splitlines():
                entity = self.unmentioned_line(line, entity_of_key) if line.strip() else None
                if entity is not None:
                    out.append(entity)
        return out

    def unmentioned_line(self, line: str, entity_of_key: dict) -> dict | None:
        parts = [p.strip() for p in line.split("|")]
        why = None
        if len(parts) not in (3, 4) or not all(parts[:3]):
            why = f"line {_short(line)} is not 'key | TYPE | name | kb_id'"
        elif parts[1] not in self.d.inv.entity_types:
            why = (f"unknown entity type {parts[1]!r} in line {_short(line)}, expected one of "
                   f"{', '.join(self.d.inv.entity_types)}")
        elif not ID_PATTERN.match(parts[0]) or parts[0] in entity_of_key or parts[0] in self.ids.used:
            why = f"entity key {parts[0]!r} in line {_short(line)} is invalid or already used"
        if why:
            self.d.report("LS-UNMENTIONED", M.UNMENTIONED, M.UNMENTIONED, why, "mentions")
            return None
        key, etype, name = parts[:3]
        self.ids.used.add(key)
        entity_of_key[key] = key
        return {"id": key, "type": etype, "name": name, "kb_id": parts[3] if len(parts) == 4 and parts[3] else None}


class _Items:
    """Quotes (label Quote) or claims (label Claim) from their fragment regions and relations."""

    def __init__(self, decoder: _Decoder, label: str, ids: _Ids, mention_ids: dict, entity_of_key: dict,
                 quote_of_region: dict):
        self.d = decoder
        self.label = label
        self.ids = ids
        self.mention_ids = mention_ids
        self.entity_of_key = entity_of_key
        self.quote_of_region = quote_of_region
        self.layer = "quotes" if label == M.QUOTE else "claims"
        self.role = "speaker" if label == M.QUOTE else "claimant"
        self.source_rel, self.source_choice, self.source_entity = (
            (M.SAID_BY, M.SPEAKER, M.SPEAKER_ENTITY) if label == M.QUOTE else (M.CLAIMED_BY, M.CLAIMANT, M.CLAIMANT_ENTITY))
        self.out_of: dict[str, list] = {}  # region id -> (relation, target) from it
        for name, a, b in decoder.relations:
            self.out_of.setdefault(a, []).append((name, b))
        self.cue_used: set[str] = set()

    def groups(self, regions: list) -> list[list[Region]]:
        own = [r for r in regions if r.kind == self.label]
        uf = _UnionFind()
        for r in own:
            uf.find(r.id)
        ownset = {r.id for r in own}
        for name, a, b in self.d.relations:
            if name == M.CONTINUES and a in ownset and b in ownset:  # Quote-Claim never gets here (relation_kind)
                uf.union(a, b)
        groups = uf.groups(own)
        for members in groups:
            members.sort(key=lambda r: (r.start, r.end, r.id))
        return sorted(groups, key=lambda ms: (ms[0].start, ms[0].end))

    def build(self, regions: list):
        items, region_to_item = [], {}
        for members in self.groups(regions):
            rels = [(n, t) for r in members for (n, t) in self.out_of.get(r.id, [])]
            item, problems = self.item(members, rels)
            if problems:
                for rule, problem in problems:
                    self.d.report(rule, members[0].id, self.label, problem, self.layer)
                continue
            preferred = members[0].id.split(M.REGION_SEPARATOR)[0] or members[0].id
            item["id"] = self.ids.take(preferred)
            items.append(item)
            for r in members:
                region_to_item[r.id] = (item["id"], r.id)
        return items, region_to_item, self.cue_used

    def item(self, members: list[Region], rels: list) -> tuple[dict, list]:
        problems: list[tuple[str, str]] = []
        broken = [r.id for r in members if r.id in self.d.tainted]
        if broken:
            problems.append(("LS-ITEM-DEPENDS", f"a relation of region {broken[0]} could not be converted (see its error)"))
        sources = self.sources(members, rels, problems)
        if not problems and len(sources) != 1:
            problems.append(("LS-ITEM-INCOMPLETE", self.source_count_problem(sources)))
        item: dict = {"id": None, "fragments": [{"start": r.start, "end": r.end, "text": self.d.text[r.start:r.end]}
                                                 for r in members]}
        source = sources[0] if len(sources) == 1 else None
        if self.label == M.QUOTE:
            self.quote_fields(item, members, rels, source, problems)
        else:
            self.claim_fields(item, members, rels, source, problems)
        return item, problems

    def sources(self, members: list[Region], rels: list, problems: list) -> list[dict]:
        sources: list[dict] = []
        for n, target in rels:
            if n != self.source_rel:
                continue
            if target in self.mention_ids:
                sources.append({"kind": "mention", "mention": self.mention_ids[target]})
            else:
                problems.append(("LS-ITEM-DEPENDS", f"{self.role} mention {target} was left out (see its error)"))
        for r in members:
            key = self.d.one(r, self.source_entity)
            if key is not None and key in self.entity_of_key:
                sources.append({"kind": "entity", "entity": self.entity_of_key[key]})
            elif key is not None:
                problems.append(("LS-ITEM-INCOMPLETE", f"{self.source_entity} names entity key {key!r}, which no mention "
                                                       f"or {M.UNMENTIONED} line defines"))
            choice = self.d.one(r, self.source_choice)
            if choice is not None:
                sources.append({"kind": choice})
        return sources

    def source_count_problem(self, sources: list) -> str:
        if sources:
            return f"{self.label.lower()} has {len(sources)} {self.role}s {sources}; exactly one is allowed"
        how = ("draw said_by to the speaker mention, set speaker_entity, or choose 'unknown'" if self.label == M.QUOTE
               else "draw claimed_by to the claimant mention, set claimant_entity, or choose 'outlet'/'unknown'")
        return f"{self.label.lower()} has no {self.role}: {how}"

    def quote_fields(self, item: dict, members: list[Region], rels: list, source, problems: list) -> None:
        types = sorted({t for r in members if (t := self.d.one(r, M.QUOTE_TYPE)) is not None})
        if len(types) != 1:
            problems.append(("LS-ITEM-INCOMPLETE", "quote has no quote_type" if not types
                             else f"quote fragments have different types {types}"))
        cues = [t for n, t in rels if n == M.CUE_OF]
        if len(cues) > 1:
            problems.append(("LS-ITEM-INCOMPLETE", f"quote has {len(cues)} cues {cues}; at most one is allowed"))
        self.cue_used.update(cues)
        cue = self.d.regions[cues[0]] if len(cues) == 1 else None
        item["cue"] = {"start": cue.start, "end": cue.end, "text": self.d.text[cue.start:cue.end]} if cue else None
        item["speaker"] = source
        item["type"] = types[0] if len(types) == 1 else None

    def claim_fields(self, item: dict, members: list[Region], rels: list, source, problems: list) -> None:
        item["claimant"] = source
        targets = sorted({self.quote_of_region.get(t, (None, t))[0] or f"?{t}" for n, t in rels if n == M.MADE_IN})
        missing = [t[1:] for t in targets if t.startswith("?")]
        if missing:
            problems.append(("LS-ITEM-DEPENDS", f"made_in points to quote region {missing[0]}, whose quote was left out "
                                                "(see its error)"))
        elif len(targets) > 1:
            problems.append(("LS-ITEM-INCOMPLETE", f"claim is made in {len(targets)} quotes {targets}; at most one is allowed"))
        item["quote"] = targets[0] if len(targets) == 1 and not missing else None
        item["check_worthy"] = any(self.d.one(r, M.CHECK_WORTHY) == M.CHECK_WORTHY_VALUE for r in members)


def decode_result(text: str, result, inventory: Inventory, unit: str = "codepoints") -> Decoded:
    """Decode one annotation's `result` over `text`; `unit` is codepoints, utf16 or auto."""
    decoder = _Decoder(text, result, unit, inventory)
    collected = decoder.collect()
    if collected is None:
        return Decoded([], [], [], [], None, decoder.unit, decoder.problems)
    per_region, raw_relations = collected
    decoder.resolve_offsets()
    decoder.attach(per_region)
    decoder.link(raw_relations)
    return decoder.build()
