"""GUM entity types -> WhoSaidWhat entity types (labels.json), decided per coreference cluster.

GUM has ten broad types (person, organization, place, ...); ours are NER-style (PER, ORG, GPE,
LOC, FAC, NORP, EVENT, PRODUCT, WORK, MISC). The decision, in order of precedence:

1. a hand override for this document's cluster (annotation/gum/overrides.json);
2. the cluster's Wikipedia title in the title table (annotation/gum/entity_types.json), e.g.
   North Korea acting as an agent is GUM `organization` but our GPE;
3. a rule on the GUM type and the head words of the cluster's names (below).
"""

from __future__ import annotations

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


def rule_type(gum_type: str, names: list[tuple[GumMention, str]]) -> tuple[str, str]:
    """Type by rule from the GUM type and the cluster's names: (type, rule id).

    `names` are (GUM mention, head word) of the cluster's name mentions; an entity without
    names is in the layer because it speaks, and an unnamed abstract or object that speaks is
    a document (a report, a statement, a post): WORK.
    """
    if not names and gum_type in ("abstract", "object"):
        return "WORK", "unnamed-speaking-document"
    if gum_type == "place":
        heads = {head for _, head in names}
        if heads & FAC_HEADS:
            return "FAC", "place-with-facility-head"
        if heads & LOC_HEADS:
            return "LOC", "place-with-location-head"
        return "GPE", "place-default"
    if gum_type == "person" and names and all(m.head_xpos == "NNPS" for m, _ in names):
        return "NORP", "person-plural-proper-noun"
    if gum_type not in GUM_DEFAULT:
        return "MISC", "unknown-gum-type"
    return GUM_DEFAULT[gum_type], f"{gum_type}-default"
