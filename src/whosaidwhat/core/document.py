"""The canonical document: plain typed dicts, constructors and the one serialisation.

Offsets are Unicode code points, half-open [start, end), into `text` exactly as stored,
so `text[start:end]` in Python is the span. Nothing here normalises text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

SCHEMA_VERSION = "1.0"
LAYERS = ("mentions", "quotes", "claims")


class Span(TypedDict):
    start: int
    end: int
    text: str | None


class License(TypedDict, total=False):
    id: str
    redistributable: bool
    attribution: str
    url: str | None


class Metadata(TypedDict, total=False):
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    language: str
    authors: list[str]
    license: License
    annotation_license: License
    text_origin: str  # original | rendered-wikitext | detokenized


class Producer(TypedDict, total=False):
    kind: Literal["human", "importer", "rule", "model", "agent"]
    id: str
    version: str | None
    role: str | None


class LayerProvenance(TypedDict, total=False):
    status: Literal["gold", "silver", "draft", "absent"]
    producers: list[Producer]
    guidelines_version: str | None
    created: str | None
    updated: str | None
    lead_time_seconds: float | None
    changes: list[str]
    notes: str | None


class Entity(TypedDict, total=False):
    id: str
    type: str
    name: str
    kb_id: str | None


class Mention(TypedDict):
    id: str
    start: int
    end: int
    text: str | None
    type: str
    kind: str
    entity: str


class Attribution(TypedDict, total=False):
    kind: Literal["mention", "entity", "outlet", "unknown"]
    mention: str | None
    entity: str | None


class Quote(TypedDict):
    id: str
    fragments: list[Span]
    cue: Span | None
    speaker: Attribution
    type: str


class Claim(TypedDict):
    id: str
    fragments: list[Span]
    claimant: Attribution
    quote: str | None
    check_worthy: bool


class Document(TypedDict):
    schema_version: str
    id: str
    text: str | None
    text_sha256: str
    metadata: Metadata
    provenance: dict[str, Any]
    entities: list[Entity]
    mentions: list[Mention]
    quotes: list[Quote]
    claims: list[Claim]


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the text's UTF-8 bytes: the identity of a text, withheld or not."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_span(text: str, start: int, end: int) -> Span:
    """A span over `text` with its surface string filled in from the offsets."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span [{start}, {end}) is not inside a text of {len(text)} code points")
    return {"start": start, "end": end, "text": text[start:end]}


def empty_layer(status: str = "absent", producers: list[Producer] | None = None, **extra: Any) -> LayerProvenance:
    """A layer provenance record; `absent` means the layer was not annotated at all."""
    record: LayerProvenance = {"status": status, "producers": list(producers or [])}  # type: ignore[typeddict-item]
    record.update(extra)  # type: ignore[typeddict-item]
    return record


def new_document(doc_id: str, text: str, metadata: Metadata, source: dict[str, Any]) -> Document:
    """A document with text and metadata and no annotations yet (all layers `absent`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": doc_id,
        "text": text,
        "text_sha256": text_sha256(text),
        "metadata": metadata,
        "provenance": {"source": source, "layers": {layer: empty_layer() for layer in LAYERS}},
        "entities": [],
        "mentions": [],
        "quotes": [],
        "claims": [],
    }


def dumps(doc: Mapping[str, Any]) -> str:
    """The canonical serialisation: UTF-8 JSON, keys in construction order, one trailing newline.

    The same document always gives the same bytes, so re-imports are byte-identical and diffs
    stay readable. Non-ASCII characters are written as themselves, not as escapes.
    """
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def resolve_entity(doc: Mapping[str, Any], attribution: Mapping[str, Any] | None) -> str | None:
    """The entity id an attribution points to (through its mention), or None for outlet/unknown."""
    if not attribution:
        return None
    kind = attribution.get("kind")
    found: object = None
    if kind == "entity":
        found = attribution.get("entity")
    elif kind == "mention":
        wanted = attribution.get("mention")
        found = next((m.get("entity") for m in doc.get("mentions", []) if m.get("id") == wanted), None)
    return found if isinstance(found, str) else None
