"""GUM (gum_news records) -> canonical WhoSaidWhat documents: a pure conversion.

`convert_record(raw, ...)` returns the document and a report of what each rule did. The text is
GUM's text exactly (offsets are GUM's); the mention layer keeps the named entities and every
entity that speaks, with all their mentions; the quote layer comes from attribution relations
and quotation marks; the claim layer is absent (claims are annotated from scratch). The rules
are explained, with counts, in annotation/GUM_IMPORT.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn, cast

from .. import __version__
from ..core.document import Metadata, make_span, new_document
from ..core.problems import fail
from .gum_names import PRONOUN_TAGS, NameFinder, mention_kind
from .gum_overrides import DocOverrides, GumData
from .gum_quotes import ATTRIBUTION_RULES, TURN_RULES, QuoteBuilder, QuoteDraft
from .gum_record import GumMention, GumRecord
from .gum_types import rule_type
from .problems import Problem, problem, short

IMPORTER_ID = "whosaidwhat-gum-importer"
IMPORTER_VERSION = __version__
GUIDELINES_VERSION = "1.0"
GUM_RELEASE = "V11.1.0"
#: who wrote annotation/gum/overrides.json: an AI agent session correcting the import item by item
CURATOR = {"kind": "agent", "id": "gum-import-curator", "version": "claude (2026-11)"}

TEXT_LICENSE_URL = "https://creativecommons.org/licenses/by/2.5/"
ANNOTATION_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
ANNOTATION_ATTRIBUTION = (
    "Entity, coreference and attribution annotations from the GUM corpus " + GUM_RELEASE + " (Zeldes 2017, "
    "\"The GUM Corpus: Creating Multilayer Resources in the Classroom\", Language Resources and Evaluation "
    "51(3):581-612) and the GUM annotators (https://gucorpling.org/gum/), licensed CC BY 4.0; converted and "
    "modified by the WhoSaidWhat project (see provenance)."
)
#: upstream changes made by the gum_news conversion, recorded per document (see its README)
UPSTREAM_CHANGES = {
    "GUM_news_afghan": ["upstream (gum_news conversion of GUM): the spaced compound hyphen 'six - member' "
                        "was joined to 'six-member'"],
}


def document_id(gum_doc_id: str) -> str:
    """GUM_news_korea -> gum-news-korea."""
    if not re.fullmatch(r"GUM_[a-z]+_[A-Za-z0-9]+", gum_doc_id):
        fail("IMPORT-RECORD-FIELD", "unexpected GUM document id", path="doc_id", found=repr(gum_doc_id),
             expected="GUM_<genre>_<name>")
    return gum_doc_id.lower().replace("_", "-")


def published_date(raw: dict) -> str | None:
    """The dateline date; when the dateline gives only a year, the page creation date of that year."""
    when = (raw.get("dateline") or {}).get("when")
    created = raw.get("date_created")
    if isinstance(when, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
        return when
    if isinstance(when, str) and re.fullmatch(r"\d{4}", when):
        if isinstance(created, str) and created.startswith(when):
            return created
        return when
    return created if isinstance(created, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", created) else None


@dataclass
class ImportReport:
    """Counts, hand changes and problems (warnings, notes) of one conversion, for provenance and GUM_IMPORT.md."""

    counts: dict = field(default_factory=dict)
    mention_changes: list = field(default_factory=list)
    quote_changes: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # none of level error

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def _canonical_name(ours: list[dict]) -> str:
    """The longest name mention; without one, the first nominal that is not a possessive ("the government")."""
    name_texts = [o["text"] for o in ours if o["kind"] == "name"]
    if name_texts:
        return max(name_texts, key=len)
    nominals = [o["text"] for o in ours if o["kind"] == "nominal"]
    plain = [t for t in nominals if not re.search(r"['’]s?$", t)]  # "the government", not "the government's"
    return (plain or nominals or [ours[0]["text"]])[0]


class Converter:
    """One record's conversion; `run()` builds the document."""

    def __init__(self, raw: dict, where: str, data: GumData, raw_file: str | None, raw_sha256: str | None,
                 notice_from_record: bool = False):
        self.record = GumRecord.parse(raw, where)
        self.notice_from_record = notice_from_record
        self.where = where
        self.data = data
        self.over: DocOverrides = data.for_doc(self.record.doc_id)
        self.raw_file = raw_file
        self.raw_sha256 = raw_sha256
        self.report = ImportReport()
        self.text = self.record.text

    # -- hand corrections that do not fit the record ---------------------------------------------
    def _fail(self, path: str, message: str) -> NoReturn:
        """IMPORT-CONVERT: a hand correction (overrides.json, at `path`) that does not fit the record."""
        fail("IMPORT-CONVERT", message, file=self.data.overrides_path, doc_id=self.record.doc_id, path=path)

    def _span_from(self, path: str, span: dict) -> tuple[int, int]:
        """An override's {start, end, text} span, checked against the record text."""
        start, end = span["start"], span["end"]
        if not (0 <= start < end <= len(self.text)) or self.text[start:end] != span["text"]:
            found = self.text[start:end] if 0 <= start < end <= len(self.text) else "outside the text"
            self._fail(path, f"span [{start}, {end}) is {found!r} in the record text, the override says {span['text']!r}")
        return start, end

    # -- mentions ------------------------------------------------------------------------------
    def decide_names(self) -> tuple[dict[str, tuple[int, int]], set[str]]:
        """GUM mention id -> name span, and the GUM mention ids dropped by hand."""
        finder = NameFinder(self.record)
        names: dict[str, tuple[int, int]] = {}
        dropped: set[str] = set()
        for m in self.record.mentions:
            decision = finder.decide(m)
            override = self.over.mentions.get(m.id)
            if m.wikipedia in self.data.not_names and decision.span is not None and override is None:
                self.report.add("mentions:not-a-name-by-title")
            elif override is not None and {"name", "drop"} & set(override):
                self._hand_name(m, override, names, dropped)
            elif decision.span is not None:  # (an override that only moves the mention: see merged_clusters)
                names[m.id] = decision.span
                self.report.add(f"names:{decision.rule}")
        self._known_names(names, dropped)
        unknown = set(self.over.mentions) - set(self.record.by_id)
        if unknown:
            self._fail("mentions", f"no GUM mention with id {', '.join(sorted(unknown))}")
        return names, dropped

    def _hand_name(self, m: GumMention, override: dict, names: dict[str, tuple[int, int]], dropped: set[str]) -> None:
        """A mention override that drops the mention, says it is not a name, or gives its name span."""
        path = f"mentions.{m.id}"
        if override.get("drop"):
            dropped.add(m.id)
            self.report.mention_changes.append(f"hand: {m.id} {m.text!r}: not annotated ({override['why']})")
            return
        span = override.get("name")
        if span is None:
            self.report.mention_changes.append(f"hand: {m.id} {m.text!r}: not a name ({override['why']})")
            return
        start, end = self._span_from(path + ".name", span)
        if not (m.start <= start and end <= m.end):
            self._fail(path + ".name", f"name span [{start}, {end}) is not inside GUM mention {m.id} [{m.start}, {m.end})")
        names[m.id] = (start, end)
        self.report.mention_changes.append(
            f"hand: {m.id} {m.text!r}: name span {self.text[start:end]!r} ({override['why']})")

    def _known_names(self, names: dict[str, tuple[int, int]], dropped: set[str]) -> None:
        """A description that contains a name the entity has elsewhere ("the Sea Org group") names it there."""
        for _eid, members in self.record.clusters.items():
            known = {self.text[s:e] for m in members if m.id in names for s, e in [names[m.id]]}
            if not known:
                continue
            for m in members:
                if m.id in names or m.id in dropped or m.id in self.over.mentions or m.head_xpos in PRONOUN_TAGS:
                    continue
                span = self._known_name_span(m, known, names)
                if span is not None:
                    # (a name that is already its own mention inside the description stays there)
                    names[m.id] = span
                    self.report.add("names:known-name-in-description")

    def _known_name_span(self, m: GumMention, known: set[str], names: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
        """The first place in description `m` where one of the entity's `known` names stands as a word."""
        children = self.record.children(m)
        foreign = [c for c in children if c.entity != m.entity]
        own = {names.get(c.id, c.span) for c in children if c.entity == m.entity}
        for name in sorted(known, key=lambda n: (-len(n), n)):
            for hit in re.finditer(re.escape(name), m.text):
                start, end = m.start + hit.start(), m.start + hit.end()
                if (self._word_aligned(m, start, end) and not any(c.start <= start and end <= c.end for c in foreign)
                        and (start, end) != (m.start, m.end) and (start, end) not in own):
                    return start, end
        return None

    def _word_aligned(self, m: GumMention, start: int, end: int) -> bool:
        return (start == m.start or not self.text[start - 1].isalnum()) and (end == m.end or not self.text[end].isalnum())

    def inside_names(self, names: dict[str, tuple[int, int]]) -> set[str]:
        """GUM mentions that lie inside another mention's name span (names are flat)."""
        inside = set()
        by_id = self.record.by_id
        for m in self.record.mentions:
            for nid, (s, e) in names.items():
                if nid == m.id or not (s <= m.start and m.end <= e):
                    continue
                n = by_id[nid]
                if (m.start, m.end) != (s, e):
                    inside.add(m.id)  # a strictly smaller piece of a name: "New Zealand" in "New Zealand Herald"
                    break
                # m is exactly the name of a larger mention n: same referent -> one mention (the larger NP's)
                larger = (n.end - n.start, m.id) > (m.end - m.start, nid)
                if n.entity == m.entity and larger:
                    inside.add(m.id)
                    break
        return inside

    def merged_clusters(self) -> dict[str, list[GumMention]]:
        """GUM's clusters, with clusters the overrides merge ('merge_into') joined to their target."""
        clusters = {eid: list(ms) for eid, ms in self.record.clusters.items()}
        for eid, override in sorted(self.over.entities.items()):
            target = override.get("merge_into")
            if not target:
                continue
            if eid not in clusters or target not in clusters:
                self._fail(f"entities.{eid}.merge_into", f"merge_into {target!r}: no such GUM entity")
            clusters[target] = sorted(clusters[target] + clusters.pop(eid), key=lambda m: (m.start, -m.end, m.id))
            self.report.mention_changes.append(
                f"hand: entity {eid} merged into {target} (same referent; {override['why']})")
        for mid, override in sorted(self.over.mentions.items()):
            target = override.get("entity")
            if not target:
                continue
            mention = self.record.by_id[mid]
            for members in clusters.values():
                if mention in members:
                    members.remove(mention)
            clusters.setdefault(target, []).append(mention)
            clusters[target].sort(key=lambda m: (m.start, -m.end, m.id))
            self.report.mention_changes.append(
                f"hand: {mid} {mention.text!r} moved from GUM entity {mention.entity} to {target} ({override['why']})")
        return {eid: members for eid, members in clusters.items() if members}

    # -- types ---------------------------------------------------------------------------------
    def entity_type(self, eid: str, members: list[GumMention], names: dict[str, tuple[int, int]]) -> tuple[str, str]:
        override = self.over.entities.get(eid)
        if override and "type" in override:
            self.report.mention_changes.append(f"hand: entity {eid} ({members[0].text!r}): type {override['type']} ({override['why']})")
            return override["type"], "hand"
        title = members[0].wikipedia
        if title in self.data.types_by_title:
            return self.data.types_by_title[title], "title-table"
        named = []
        for m in members:
            if m.id in names:
                head = self.text[m.head_start:m.head_end]
                named.append((m, head))
        label, rule = rule_type(members[0].gum_type, named, title)
        return label, rule

    # -- quotes --------------------------------------------------------------------------------
    def build_quotes(self, name_ids: set[str], name_spans: dict[str, tuple[int, int]] | None = None) -> list[QuoteDraft]:
        builder = QuoteBuilder(self.record, name_ids, {m: span for m, span in (name_spans or {}).items() if m in name_ids})
        attributions = {a["id"]: a for a in self.record.raw["attributions"]}
        unknown = set(self.over.attributions) - set(attributions)
        if unknown:
            self._fail("attributions", f"no GUM attribution with id {', '.join(sorted(unknown))}")
        drafts = builder.build({aid: self._attribution_fix(aid, o) for aid, o in sorted(self.over.attributions.items())})
        empty = sorted(d.origin for d in drafts if not d.fragments)
        if empty:
            self._fail(f"attributions.{empty[0]}", f"attributions {', '.join(empty)}: the hand correction leaves no "
                       "content in the record's paragraphs (set 'fragments', or check the record)")
        added = self._added_quotes()
        leftovers = builder.join_continuations(drafts, [f for d in added for f in d.fragments])
        kept = drafts + added
        for s, e in leftovers:
            kept.append(QuoteDraft([(s, e)], None, None, None, "direct", "unattributed-quote"))
            self.report.add("quotes:unattributed-quotation")
        self._report_builder(builder)
        return sorted(kept, key=lambda d: d.fragments[0])

    def _attribution_fix(self, aid: str, override: dict) -> Callable[[QuoteDraft], QuoteDraft | None]:
        """What the QuoteBuilder applies to the draft of GUM attribution `aid` (None drops it)."""
        def apply(draft: QuoteDraft) -> QuoteDraft | None:
            if override.get("drop"):
                self.report.quote_changes.append(f"hand: GUM attribution {aid}: no quote ({override['why']})")
                return None
            changed = self._apply_quote_fields(draft, override, f"attributions.{aid}")
            self.report.quote_changes.append(
                f"hand: GUM attribution {aid}: {'; '.join(changed) or 'kept as a quote'} ({override['why']})")
            return draft
        return apply

    def _added_quotes(self) -> list[QuoteDraft]:
        """The quotes the overrides add by hand."""
        added = []
        for i, item in enumerate(self.over.quotes):
            draft = QuoteDraft([], None, None, None, item["type"], f"hand-{i + 1}", forced=True)
            self._apply_quote_fields(draft, item, f"quotes[{i}]")
            added.append(draft)
            self.report.quote_changes.append(
                f"hand: added quote {self.text[draft.fragments[0][0]:draft.fragments[0][1]][:60]!r} ({item['why']})")
        return added

    def _report_builder(self, builder: QuoteBuilder) -> None:
        """The QuoteBuilder's counts, unmatched quotation marks and problems, into the report."""
        for key, n in builder.counts.items():
            self.report.add(key if key.startswith("turns:") else f"attributions:{key}", n)
        doc_id = document_id(self.record.doc_id)
        for mark in builder.unmatched:
            context = self.text[max(0, mark.offset - 25):mark.offset + 25]
            self.report.add("marks:unmatched")
            self.report.problems.append(problem(
                "GUM-QUOTE-MARK-UNMATCHED", self.where, f"quotation mark {mark.mark!r} at offset {mark.offset}: {mark.why}; "
                "it pairs with nothing and no other pair changes", doc_id, f"text[{mark.offset}]", short(context)))
            self.report.quote_changes.append(f"note: unmatched quotation mark {mark.mark!r} at offset {mark.offset} "
                                             f"({mark.why}): not paired, no quote starts or ends at it")
        for rule, path, message, found in builder.problems:
            self.report.problems.append(problem(rule, self.where, message, doc_id, path, found))

    def _apply_quote_fields(self, draft: QuoteDraft, override: dict, where: str) -> list[str]:
        changed = []
        if "fragments" in override:
            draft.fragments = [self._span_from(f"{where}.fragments[{k}]", span)
                               for k, span in enumerate(override["fragments"])]
            changed.append("content " + " | ".join(repr(self.text[s:e][:40]) for s, e in draft.fragments))
        if "cue" in override:
            draft.cue = None if override["cue"] is None else self._span_from(where + ".cue", override["cue"])
            changed.append(f"cue {self.text[draft.cue[0]:draft.cue[1]]!r}" if draft.cue else "no cue")
        if "speaker" in override:
            changed.append(self._apply_speaker(draft, override["speaker"], where + ".speaker"))
        if "type" in override:
            draft.type = override["type"]
            changed.append(f"type {draft.type}")
            if draft.type == "indirect" and "fragments" not in override:
                draft.fragments = [self._without_end_punctuation(s, e) for s, e in draft.fragments]
        return changed

    def _apply_speaker(self, draft: QuoteDraft, speaker: object, where: str) -> str:
        if speaker == "unknown":
            draft.speaker_mention, draft.speaker_entity = None, None
            return "speaker unknown"
        if isinstance(speaker, dict):
            if speaker["entity"] not in self.record.clusters:
                self._fail(where, f"no GUM entity {speaker['entity']!r}")
            draft.speaker_mention, draft.speaker_entity = None, speaker["entity"]
            return f"speaker entity {speaker['entity']}"
        mention = self.record.by_id.get(speaker) if isinstance(speaker, str) else None
        if mention is None:
            self._fail(where, f"no GUM mention {speaker!r}")
        draft.speaker_mention, draft.speaker_entity = mention.id, mention.entity
        return f"speaker {mention.id} {mention.text!r}"

    def _without_end_punctuation(self, s: int, e: int) -> tuple[int, int]:
        """A paraphrase ends before its sentence punctuation (a block quotation keeps it)."""
        while e > s and (self.text[e - 1] in ",.;:" or self.text[e - 1].isspace()):
            e -= 1
        return s, e

    # -- the document --------------------------------------------------------------------------
    def run(self) -> tuple[dict, ImportReport]:
        names, dropped = self.decide_names()
        inside = self.inside_names(names)
        self.report.add("mentions:inside-a-name", len(inside - set(names)))
        quotes = self.build_quotes(set(names) - inside, names)
        clusters = self.merged_clusters()
        self._speaker_entities(quotes, clusters)
        speakers = {d.speaker_entity for d in quotes if d.speaker_entity}
        entities, mentions = [], []
        for eid, members in clusters.items():
            built = self._entity(eid, members, names, dropped | inside, speakers)
            if built is not None:
                entities.append(built[0])
                mentions.extend(built[1])
        mentions = self._unique_mentions(mentions)
        entities.sort(key=lambda e: (e["_first"], e["id"]))
        for e in entities:
            del e["_first"]
        kept_ids = {o["id"] for o in mentions}
        entity_ids = {e["id"] for e in entities}
        doc = self.document()
        doc["entities"] = entities
        doc["mentions"] = mentions
        doc["quotes"] = [self._doc_quote(i, d, kept_ids, entity_ids) for i, d in enumerate(quotes, start=1)]
        self.provenance(doc)
        return doc, self.report

    def _speaker_entities(self, quotes: list[QuoteDraft], clusters: dict[str, list[GumMention]]) -> None:
        """A quote's speaker entity is the (merged) cluster of its speaker mention."""
        cluster_of = {m.id: eid for eid, members in clusters.items() for m in members}
        merges = {eid: o["merge_into"] for eid, o in self.over.entities.items() if o.get("merge_into")}
        for d in quotes:
            if d.speaker_mention in cluster_of:
                d.speaker_entity = cluster_of[d.speaker_mention]
            elif d.speaker_entity:
                d.speaker_entity = merges.get(d.speaker_entity, d.speaker_entity)

    def _annotated(self, eid: str, members: list[GumMention], live: list[GumMention], has_name: bool,
                   speakers: set) -> bool:
        """Is the entity annotated: named, speaking or kept by hand (not dropped by hand, not a time expression)?"""
        override = self.over.entities.get(eid, {})
        if not live or override.get("drop"):
            if override.get("drop"):
                self.report.mention_changes.append(f"hand: entity {eid} ({members[0].text!r}): not annotated ({override['why']})")
            return False
        title = members[0].wikipedia
        is_time = members[0].gum_type == "time" and title not in self.data.types_by_title and "type" not in override
        if is_time or not (has_name or eid in speakers or override.get("keep")):
            return False
        if override.get("keep"):
            self.report.mention_changes.append(f"hand: entity {eid} ({members[0].text!r}): annotated ({override['why']})")
        return True

    def _entity(self, eid: str, members: list[GumMention], names: dict[str, tuple[int, int]], excluded: set[str],
                speakers: set) -> tuple[dict, list[dict]] | None:
        """(the entity, its mentions) when the entity is annotated, else None."""
        live = [m for m in members if m.id not in excluded]
        has_name = any(m.id in names for m in live)
        if not self._annotated(eid, members, live, has_name, speakers):
            return None
        label, rule = self.entity_type(eid, members, names)
        self.report.add(f"types:{rule}")
        self.report.add("entities:named" if has_name else "entities:speaker-only")
        ours = [self._mention(m, eid, label, names) for m in live]
        entity = {"id": eid, "type": label, "name": _canonical_name(ours), "kb_id": self._kb_id(eid, members[0]),
                  "_first": min(o["start"] for o in ours)}
        return entity, ours

    def _mention(self, m: GumMention, eid: str, label: str, names: dict[str, tuple[int, int]]) -> dict:
        if m.id in names:
            start, end = names[m.id]
            kind = "name"
        else:
            start, end = m.start, m.end
            kind = mention_kind(m)
        self.report.add(f"mentions:{kind}")
        return {"id": m.id, "start": start, "end": end, "text": self.text[start:end], "type": label, "kind": kind,
                "entity": eid}

    def _kb_id(self, eid: str, first: GumMention) -> str | None:
        override = self.over.entities.get(eid, {})
        if "kb_id" in override:
            self.report.mention_changes.append(f"hand: entity {eid}: kb_id {override['kb_id']} ({override['why']})")
            return override["kb_id"]
        return f"wikipedia:{first.wikipedia}" if first.wikipedia else None

    def _unique_mentions(self, mentions: list[dict]) -> list[dict]:
        """Identical spans of the same entity (an apposition cut down to the name it contains): keep one."""
        seen: set[tuple] = set()
        unique = []
        for o in sorted(mentions, key=lambda o: (o["start"], -o["end"], o["kind"] != "name", o["id"])):
            key = (o["start"], o["end"], o["entity"])
            if key in seen:
                self.report.add("mentions:duplicate-span")
                continue
            seen.add(key)
            unique.append(o)
        return unique

    def _doc_quote(self, i: int, d: QuoteDraft, kept_ids: set[str], entity_ids: set[str]) -> dict:
        if d.speaker_mention and d.speaker_mention in kept_ids:
            speaker = {"kind": "mention", "mention": d.speaker_mention}
        elif d.speaker_entity and d.speaker_entity in entity_ids:
            speaker = {"kind": "entity", "entity": d.speaker_entity}
        else:
            speaker = {"kind": "unknown"}
            self.report.add("quotes:speaker-unknown")
        self.report.add(f"quotes:{d.type}")
        return {
            "id": f"q{i}",
            "fragments": [make_span(self.text, s, e) for s, e in d.fragments],
            "cue": make_span(self.text, *d.cue) if d.cue else None,
            "speaker": speaker,
            "type": d.type,
        }

    def document(self) -> dict:
        raw = self.record.raw
        metadata: Metadata = {
            "title": raw["title"],
            "outlet": "Wikinews",
            "url": raw["source_url"],
            "published": published_date(raw),
            "language": "en",
            "license": {
                "id": "CC-BY-2.5",
                "redistributable": True,
                "attribution": f"\"{raw['title']}\", Wikinews ({raw['source_url']}), by Wikinews contributors, "
                               f"licensed CC BY 2.5 ({TEXT_LICENSE_URL}).",
                "url": TEXT_LICENSE_URL,
            },
            "annotation_license": {
                "id": "CC-BY-4.0",
                "redistributable": True,
                "attribution": ANNOTATION_ATTRIBUTION,
                "url": ANNOTATION_LICENSE_URL,
            },
        }
        source = {
            "raw_file": self.raw_file,
            "raw_sha256": self.raw_sha256,
            "importer": f"{IMPORTER_ID} {IMPORTER_VERSION}",
            "cleaning": ["none: text is the record's `text` field unchanged (GUM's text; all offsets are GUM's)"]
                        + UPSTREAM_CHANGES.get(raw["doc_id"], []) + self.defaults(),
            "derived_from": f"GUM {GUM_RELEASE} {raw['doc_id']}",
        }
        return cast(dict, new_document(document_id(raw["doc_id"]), raw["text"], metadata, source))

    def defaults(self) -> list[str]:
        """Documented defaults for what the record leaves open, recorded in the document (and reported as notes)."""
        raw = self.record.raw
        out = []
        if raw.get("dateline") is None:
            published = published_date(raw)
            said = (f"published is the page creation date date_created ({published})" if published
                    else "date_created is not a YYYY-MM-DD date either, so published is null (unknown)")
            out.append(f"metadata default: the record has no dateline (dateline: null); {said}")
            self.report.problems.append(problem(
                "IMPORT-DATELINE-DEFAULT", self.where, f"no dateline: {said}", document_id(raw["doc_id"]), "dateline"))
        if self.notice_from_record:
            out.append("license notice: the source folder had no README.md; the record's own `license` field, "
                       "copied with it, is its license notice")
        return out

    def provenance(self, doc: dict) -> None:
        counts = self.report.counts
        gum_human = {"kind": "human", "id": "gum-annotators", "version": GUM_RELEASE,
                     "role": "annotated (source: GUM corpus, https://gucorpling.org/gum/)"}
        importer = {"kind": "importer", "id": IMPORTER_ID, "version": IMPORTER_VERSION, "role": "imported"}
        curator = dict(CURATOR, role=f"corrected item by item ({self.data.overrides_path} v{self.data.overrides_version})")

        def c(key: str) -> int:
            return counts.get(key, 0)

        names_by_rule = sum(v for k, v in counts.items() if k.startswith("names:"))
        mention_rules = [
            f"rule: GUM mentions (maximal NPs) kept for every named entity and every speaking entity; "
            f"{c('entities:named')} named and {c('entities:speaker-only')} speaker-only entities, "
            f"{c('mentions:name')} name, {c('mentions:nominal')} nominal, {c('mentions:pronoun')} pronoun mentions",
            f"rule: name spans cut from GUM's maximal NP to the name; GUM mentions found to be names by rule: {names_by_rule} ("
            + ", ".join(f"{k[6:]} {v}" for k, v in sorted(counts.items()) if k.startswith("names:")) + ")",
            f"rule: mentions inside a name are not annotated (names are flat): {c('mentions:inside-a-name')}; "
            f"not names by Wikipedia title table ({self.data.table_path}): {c('mentions:not-a-name-by-title')}",
            "rule: entity types from GUM type, Wikipedia title table and head words: "
            + ", ".join(f"{k[6:]} {v}" for k, v in sorted(counts.items()) if k.startswith("types:")),
            "rule: GUM time expressions are not annotated; entity ids and mention ids are GUM's; "
            "kb_id is GUM's Wikipedia identity (WikiGUM); canonical name = longest name mention",
        ]
        quote_rules = [
            "rule: quotes from GUM attribution relations: "
            + ", ".join(f"{k[13:]} {v}" for k, v in sorted(counts.items()) if k.startswith("attributions:")),
            f"rule: quote types direct {c('quotes:direct')}, indirect {c('quotes:indirect')}, mixed {c('quotes:mixed')}; "
            f"unattributed quoted text kept with speaker unknown: {c('quotes:unattributed-quotation')}",
        ]
        if self.record.turns:
            quote_rules.append(
                "rule: speaker turns (guidelines 3.1, interviews): each turn of a speaker named in the text is a direct "
                "quote by that speaker's entity, cue null, one fragment per paragraph: "
                + ", ".join(f"{k[6:]} {v}" for k, v in sorted(counts.items()) if k.startswith("turns:")))
        mention_layer = {
            "status": "silver",
            "producers": [gum_human, importer] + ([curator] if self.report.mention_changes else []),
            "guidelines_version": GUIDELINES_VERSION,
            "created": None,
            "updated": None,
            "lead_time_seconds": None,
            "changes": mention_rules + self.report.mention_changes,
            "notes": "Silver: converted from GUM by rule plus the listed hand corrections; to be reviewed against "
                     "annotation/GUIDELINES.md (the review sets status gold).",
        }
        quote_layer = {
            "status": "silver",
            "producers": [gum_human, importer] + ([curator] if self.report.quote_changes else []),
            "guidelines_version": GUIDELINES_VERSION,
            "created": None,
            "updated": None,
            "lead_time_seconds": None,
            "changes": quote_rules + self.report.quote_changes,
            "notes": "Silver: quotes derived from GUM eRST attribution relations and quotation marks by rule, plus "
                     "the listed hand corrections; to be reviewed against annotation/GUIDELINES.md.",
        }
        doc["provenance"]["layers"]["mentions"] = mention_layer
        doc["provenance"]["layers"]["quotes"] = quote_layer
        doc["provenance"]["layers"]["claims"] = {
            "status": "absent", "producers": [], "guidelines_version": GUIDELINES_VERSION,
            "notes": "GUM has no claim layer; claims are annotated from scratch.",
        }


def convert_record(raw: dict, data: GumData, where: str = "<record>", raw_file: str | None = None,
                   raw_sha256: str | None = None, notice_from_record: bool = False) -> tuple[dict, ImportReport]:
    """Convert one gum record into a canonical document (pure: no I/O).

    `notice_from_record`: the record's folder had no README.md, so the record's own license field is
    the license notice of its raw copy (recorded in the document). Raises `ProblemError` (every
    problem of the record); warnings and notes are in the report's `problems`.
    """
    return Converter(raw, where, data, raw_file, raw_sha256, notice_from_record).run()


def _layer_counts(documents: list[dict], inventory) -> tuple[dict, dict, dict, dict]:
    """(mentions by (type, kind), entities by type, quotes by type, quotes by speaker kind) of the documents."""
    mentions = {(t, k): 0 for t in inventory.entity_types for k in inventory.mention_kinds}
    entities = {t: 0 for t in inventory.entity_types}
    quotes = {t: 0 for t in inventory.quote_types}
    speakers = {"mention": 0, "entity": 0, "unknown": 0}
    for doc in documents:
        for m in doc["mentions"]:
            mentions[(m["type"], m["kind"])] += 1
        for e in doc["entities"]:
            entities[e["type"]] += 1
        for q in doc["quotes"]:
            quotes[q["type"]] += 1
            speakers[q["speaker"]["kind"]] = speakers.get(q["speaker"]["kind"], 0) + 1
    return mentions, entities, quotes, speakers


def _rule_totals(reports: list[ImportReport]) -> dict[str, int]:
    """Every attribution rule, speaker-turn rule and unmatched mark, also when it counted nothing."""
    totals: dict[str, int] = {f"attributions:{rule}": 0 for rule in ATTRIBUTION_RULES}
    totals.update({f"turns:{rule}": 0 for rule in TURN_RULES})
    totals["marks:unmatched"] = 0
    for report in reports:
        for key, value in report.counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals


def summary_table(documents: list[dict], reports: list[ImportReport]) -> str:
    """The counts of an import as Markdown tables (annotation/GUM_IMPORT.md embeds this output)."""
    from ..core.inventory import load_inventory

    inventory = load_inventory()
    types = inventory.entity_types
    kinds = inventory.mention_kinds
    mentions, entities, quotes, speakers = _layer_counts(documents, inventory)
    totals = _rule_totals(reports)
    hand_mentions = sum(sum(1 for c in r.mention_changes if c.startswith("hand:")) for r in reports)
    hand_quotes = sum(sum(1 for c in r.quote_changes if c.startswith("hand:")) for r in reports)
    lines = [f"Documents: {len(documents)}. Entities: {sum(entities.values())} "
             f"({totals.get('entities:named', 0)} named, {totals.get('entities:speaker-only', 0)} speaker-only). "
             f"Mentions: {sum(mentions.values())}. Quotes: {sum(quotes.values())}. "
             f"Hand changes recorded in provenance: {hand_mentions} (mentions layer), {hand_quotes} (quotes layer).",
             "", "| type | entities | name | nominal | pronoun |", "|---|---|---|---|---|"]
    lines += [f"| {t} | {entities[t]} | " + " | ".join(str(mentions[(t, k)]) for k in kinds) + " |" for t in types]
    lines.append("| **total** | **" + str(sum(entities.values())) + "** | "
                 + " | ".join("**" + str(sum(mentions[(t, k)] for t in types)) + "**" for k in kinds) + " |")
    lines += ["", "| quote type | quotes |", "|---|---|"]
    lines += [f"| {t} | {n} |" for t, n in quotes.items()]
    lines += ["", "| speaker kind | quotes |", "|---|---|"]
    lines += [f"| {k} | {n} |" for k, n in speakers.items()]
    lines += ["", "| rule outcome | count |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(totals.items())]
    return "\n".join(lines) + "\n"
