"""The relation rules of schema/labels.json (`links`), read once and enforced by the checker.

Each link says that items of one kind (`from`: mention, quote, claim) point through a field to
items of other kinds (`to`), and whether the relation is `required`. Targets that are item kinds
(entity, mention, quote, claim) make the field a reference that must name an existing item of
one of them; targets that are attribution kinds (mention, entity, outlet, unknown) make the field
an attribution whose `kind` must be one of them; `span` is a span of the text, not a reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..core.inventory import Inventory

#: item kind -> the document key that holds the items
LAYER_OF = {"entity": "entities", "mention": "mentions", "quote": "quotes", "claim": "claims"}


@dataclass(frozen=True)
class Link:
    name: str
    source: str            # item kind the link starts from (mention, quote, claim)
    field: str             # the field of that item
    targets: tuple[str, ...]
    required: bool

    @property
    def layer(self) -> str:
        return LAYER_OF[self.source]


@dataclass(frozen=True)
class Relations:
    references: tuple[Link, ...]     # a field holding an item id
    attributions: tuple[Link, ...]   # a field holding an attribution object
    kinds: dict[str, tuple[str, ...]]  # attribution field (speaker, claimant) -> allowed kinds

    def for_layer(self, layer: str) -> tuple[list[Link], list[Link]]:
        return ([link for link in self.references if link.layer == layer],
                [link for link in self.attributions if link.layer == layer])


def _link(raw: dict) -> Link:
    return Link(str(raw["name"]), str(raw["from"]), str(raw["field"]), tuple(raw["to"]), bool(raw.get("required")))


@lru_cache(maxsize=4)
def _relations(links: tuple[tuple[str, str, str, tuple[str, ...], bool], ...], roles: tuple[tuple[str, tuple[str, ...]], ...]
               ) -> Relations:
    references, attributions, kinds = [], [], {}
    allowed_for = dict(roles)
    for name, source, field, targets, required in links:
        link = Link(name, source, field, targets, required)
        if field in allowed_for:
            # an attribution: the kinds labels.json allows for this role, and the link lists
            attributions.append(link)
            kinds[field] = tuple(k for k in allowed_for[field] if k in targets)
        elif any(t in LAYER_OF for t in targets):
            references.append(Link(name, source, field, tuple(t for t in targets if t in LAYER_OF), required))
    return Relations(tuple(references), tuple(attributions), kinds)


def relations(inventory: Inventory) -> Relations:
    """The relation rules of `inventory` (cached per inventory content)."""
    links = tuple((lk.name, lk.source, lk.field, lk.targets, lk.required)
                  for lk in map(_link, inventory.links) if lk.source in LAYER_OF)
    roles = tuple((role, inventory.attribution_kinds_for(role)) for role in ("speaker", "claimant"))
    return _relations(links, roles)
