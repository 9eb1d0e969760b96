"""The label inventory (schema/labels.json) as a read-only object.

Labels are data: the validator, the Label Studio config generator, the release builder and the
scorer all ask this object, so adding a label is an edit of one JSON file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .jsonfile import read_json_object
from .resources import schema_path


@dataclass(frozen=True)
class Inventory:
    """Allowed labels, their definitions and mappings, as read from labels.json."""

    version: str
    entity_types: tuple[str, ...]
    mention_kinds: tuple[str, ...]
    quote_types: tuple[str, ...]
    attribution_kinds: tuple[str, ...]
    layer_statuses: tuple[str, ...]
    producer_kinds: tuple[str, ...]
    definitions: dict[tuple[str, str], str]
    mappings: dict[str, dict[str, str]]
    links: tuple[dict[str, Any], ...]
    raw: dict[str, Any]

    def attribution_kinds_for(self, role: str) -> tuple[str, ...]:
        """Attribution kinds allowed for a role: 'speaker' or 'claimant'."""
        return tuple(a["label"] for a in self.raw["attribution_kinds"] if role in a["allowed_for"])

    def map_entity_type(self, label: str, scheme: str) -> str:
        """Our entity type in another scheme: 'conll2003' or 'ontonotes5'."""
        return str(self.mappings[scheme][label])


def _labels(items: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(item["label"] for item in items)


def parse_inventory(raw: dict[str, Any]) -> Inventory:
    """Build an Inventory from the parsed labels.json."""
    definitions: dict[tuple[str, str], str] = {}
    for group in ("entity_types", "mention_kinds", "quote_types", "attribution_kinds", "layer_statuses", "producer_kinds"):
        for item in raw[group]:
            definitions[(group, item["label"])] = item["definition"]
    mappings = {
        scheme: {t["label"]: t[scheme] for t in raw["entity_types"]} for scheme in ("conll2003", "ontonotes5", "gum")
    }
    return Inventory(
        version=raw["inventory_version"],
        entity_types=_labels(raw["entity_types"]),
        mention_kinds=_labels(raw["mention_kinds"]),
        quote_types=_labels(raw["quote_types"]),
        attribution_kinds=_labels(raw["attribution_kinds"]),
        layer_statuses=_labels(raw["layer_statuses"]),
        producer_kinds=_labels(raw["producer_kinds"]),
        definitions=definitions,
        mappings=mappings,
        links=tuple(raw["links"]),
        raw=raw,
    )


def load_inventory(path: str | Path | None = None) -> Inventory:
    """Read labels.json (the packaged one by default)."""
    if path is None:
        return _default_inventory()
    return parse_inventory(read_json_object(Path(path), "the label inventory"))


@functools.lru_cache(maxsize=1)
def _default_inventory() -> Inventory:
    return parse_inventory(read_json_object(schema_path("labels.json"), "the label inventory"))
