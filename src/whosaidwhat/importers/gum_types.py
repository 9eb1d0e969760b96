"""GUM entity types -> WhoSaidWhat entity types (labels.json), decided per coreference cluster.

GUM has ten broad types (person, organization, place, ...); ours are NER-style (PER, ORG, GPE,
LOC, FAC, NORP, EVENT, PRODUCT, WORK, MISC). The decision, in order of precedence:

1. a hand override for this document's cluster (annotation/gum/overrides.json);
2. the cluster's Wikipedia title in the title table (annotation/gum/entity_types.json), e.g.
   North Korea acting as an agent is GUM `organization` but our GPE;
3. a rule on the GUM type and the head words of the cluster's names (below).
"""

from __future__ import annotations

import re

from .gum_record import GumMention

#: default type for each GUM type (place and person are refined by the rules below)
GUM_DEFAULT: dict[str, str] = {
    "person": "PER",
    "organization": "ORG",
    "place": "GPE",
    "event": "EVENT",
    "object": "PRODUCT",
    "abstract": "MISC",
    "substance": "MISC",
    "animal": "MISC",
    "plant": "MISC",
}

#: head words of place names that make the place a facility (human-made structure)
FAC_HEADS = frozenset("""
Airport Arena Base Bridge Building Cave Center Centre Complex Facility Factory Galleries Gallery Hall Hospital
Hotel House Memorial Mosque Museum Planetarium Road Stadium Station Street Temple Tower Towers
""".split())
#: head words of place names that make the place a non-political location
LOC_HEADS = frozenset("Channel Coast Island Lake Mountain Mount Ocean Plains River Sea Valley".split())
#: first words of a Wikipedia title of a mountain (`Mount Everest`: UD heads the name on `Everest`)
MOUNTAIN_FIRST = frozenset("Mount Mt. Mont Monte Mauna".split())
#: last words of a Wikipedia title of a natural feature whose name's head is another word
LOC_TITLE_LAST = frozenset("Mountain Mountains Range Volcano Peak Glacier Desert Falls".split())
#: Wikipedia titles of celestial bodies (guidelines 7A A8: LOC), besides titles qualified `(planet)`, `(moon)`, ...
CELESTIAL_TITLES = frozenset([
    "Sun", "Moon", "Earth", "Mars", "Venus", "Jupiter", "Saturn", "Uranus", "Neptune", "Pluto", "Solar System",
    "Milky Way", "Andromeda Galaxy", "Halley's Comet", "Asteroid belt", "Kuiper belt", "Ceres (dwarf planet)",
])
CELESTIAL_QUALIFIER = re.compile(r"\((?:planet|dwarf planet|moon|star|comet|asteroid|galaxy|nebula)\)$")


def _place_type(names: list[tuple[GumMention, str]], title: str | None) -> tuple[str, str]:
    """A GUM place: a facility or location by its names' head words, then by its title; else a GPE."""
    heads = {head for _, head in names}
    if heads & FAC_HEADS:
        return "FAC", "place-with-facility-head"
    if heads & LOC_HEADS:
        return "LOC", "place-with-location-head"
    words = re.sub(r"\s*\(.*\)$|,.*$", "", title or "").split()
    if words and words[-1] in FAC_HEADS:
        return "FAC", "place-with-facility-title"
    if words and (words[0] in MOUNTAIN_FIRST or words[-1] in LOC_TITLE_LAST):
        return "LOC", "place-with-location-title"
    return "GPE", "place-default"


def rule_type(gum_type: str, names: list[tuple[GumMention, str]], title: str | None = None) -> tuple[str, str]:
    """Type by rule from the GUM type, the cluster's names and its Wikipedia title: (type, rule id).

    `names` are (GUM mention, head word) of the cluster's name mentions; an entity without
    names is in the layer because it speaks, and an unnamed abstract or object that speaks is
    a document (a report, a statement, a post): WORK. The title rules come after the head-word
    rules: a name's head is not always the word that says what the place is (`Mount Everest`,
    headed on `Everest`; `Wembley`, whose title is `Wembley Stadium`).
    """
    if title and names and (title in CELESTIAL_TITLES or CELESTIAL_QUALIFIER.search(title)):
        return "LOC", "celestial-body-title"
    if not names and gum_type in ("abstract", "object"):
        return "WORK", "unnamed-speaking-document"
    if gum_type == "place":
        return _place_type(names, title)
    if gum_type == "person" and names and all(m.head_xpos == "NNPS" for m, _ in names):
        return "NORP", "person-plural-proper-noun"
    if gum_type not in GUM_DEFAULT:
        return "MISC", "unknown-gum-type"
    return GUM_DEFAULT[gum_type], f"{gum_type}-default"
