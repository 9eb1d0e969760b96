"""A read-only view of one gum_news record (see corpus/raw/gum_news/README.md for its format).

The record already carries character offsets into its `text`; this module only indexes what
the conversion rules ask for (tokens, mention nesting, paragraph types) and checks the shape,
so that a malformed record fails with a message naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..errors import UserError

#: fields the importer reads, with the type each must have
REQUIRED_FIELDS: dict[str, type] = {
    "doc_id": str, "corpus_version": str, "genre": str, "gum_partition": str, "title": str,
    "source_url": str, "date_created": str, "dateline": dict, "text": str, "paragraphs": list,
    "tokens": list, "entities": list, "quotations": list, "attributions": list,
}
MENTION_FIELDS = ("id", "start", "end", "text", "type", "entity_id", "head", "wikipedia", "tokens", "coref_link")


@dataclass(frozen=True)
class GumMention:
    """One GUM entity mention (a maximal referring NP) with its head word."""

    id: str
    start: int
    end: int
    text: str
    gum_type: str
    entity: str
    head_start: int
    head_end: int
    head_xpos: str
    wikipedia: str | None
    first_token: int
    last_token: int  # exclusive
    coref_link: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class GumRecord:
    """A parsed gum_news record; `where` names its file for error messages."""

    raw: dict
    where: str
    mentions: list[GumMention] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: object, where: str) -> "GumRecord":
        """Check the fields the importer needs and index the mentions."""
        if not isinstance(raw, dict):
            raise UserError(f"{where}: a gum_news record must be a JSON object, found {type(raw).__name__}")
        doc = raw.get("doc_id", "?")
        for name, kind in REQUIRED_FIELDS.items():
            if not isinstance(raw.get(name), kind):
                found = "missing" if name not in raw else type(raw[name]).__name__
                raise UserError(f"{where}: {doc}: field '{name}' must be a {kind.__name__} ({found})")
        text = raw["text"]
        record = cls(raw=raw, where=where)
        for i, item in enumerate(raw["entities"]):
            path = f"entities[{i}]"
            if not isinstance(item, dict) or any(k not in item for k in MENTION_FIELDS):
                raise UserError(f"{where}: {doc}: {path} must have the fields {', '.join(MENTION_FIELDS)}")
            start, end = item["start"], item["end"]
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise UserError(f"{where}: {doc}: {path} ({item['id']}): offsets [{start}, {end}) are not inside the text "
                                f"of {len(text)} code points")
            if text[start:end] != item["text"]:
                raise UserError(f"{where}: {doc}: {path} ({item['id']}): text[{start}:{end}] is {text[start:end]!r}, "
                                f"the record says {item['text']!r}")
            head = item["head"]
            record.mentions.append(GumMention(
                id=item["id"], start=start, end=end, text=item["text"], gum_type=item["type"],
                entity=item["entity_id"], head_start=head["start"], head_end=head["end"],
                head_xpos=head.get("xpos") or "", wikipedia=item["wikipedia"],
                first_token=item["tokens"][0], last_token=item["tokens"][1], coref_link=item["coref_link"],
            ))
        return record

    # -- plain accessors -------------------------------------------------------------------
    @property
    def doc_id(self) -> str:
        return self.raw["doc_id"]

    @property
    def text(self) -> str:
        return self.raw["text"]

    @cached_property
    def tokens(self) -> list[tuple[int, int]]:
        return [(int(s), int(e)) for s, e in self.raw["tokens"]]

    @cached_property
    def by_id(self) -> dict[str, GumMention]:
        return {m.id: m for m in self.mentions}

    @cached_property
    def clusters(self) -> dict[str, list[GumMention]]:
        """GUM coreference clusters: entity id -> its mentions in text order."""
        out: dict[str, list[GumMention]] = {}
        for mention in sorted(self.mentions, key=lambda m: (m.start, -m.end, m.id)):
            out.setdefault(mention.entity, []).append(mention)
        return out

    def children(self, mention: GumMention) -> list[GumMention]:
        """Mentions strictly inside `mention` (nested NPs), in text order."""
        return [m for m in self.mentions
                if m.id != mention.id and mention.start <= m.start and m.end <= mention.end and m.span != mention.span]

    def token_index(self, start: int, end: int) -> int | None:
        """Index of the token with exactly these offsets, or None."""
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid][0] < start:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.tokens) and self.tokens[lo] == (start, end):
            return lo
        return None

    def paragraph_type(self, offset: int) -> str:
        """GUM's paragraph type (p, head, figure>caption, quote, item>p, ...) at an offset."""
        for para in self.raw["paragraphs"]:
            if para["start"] <= offset < para["end"]:
                return para["type"]
        return ""

    def paragraph_bounds(self, offset: int) -> tuple[int, int]:
        for para in self.raw["paragraphs"]:
            if para["start"] <= offset < para["end"]:
                return (para["start"], para["end"])
        return (offset, offset)
