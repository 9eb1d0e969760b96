"""The one place where canonical layers meet Label Studio names: control names, labels, relations.

Design (also in annotation/labelstudio/README.md):

- Every span is a region on the one `Text` object named `text`. Mentions are labelled in the
  `mention` group with their entity type; quote content, cues and claims in the `attribution` group.
- Speakers and claimants are mentions: a `said_by` / `claimed_by` relation from the quote or claim
  to the mention region. `speaker_entity` / `claimant_entity` (per-region text) name an entity key
  instead; the `speaker` / `claimant` per-region choices say `unknown` (or `outlet` for claims).
- Entities (coreference clusters): mentions that share the per-region `entity` key, or that are
  joined by a `coref` relation, are one entity; `entity_name` and `entity_kb_id` on any one of its
  mentions give its canonical name and KB id. Entities with no mention are lines of the document-level
  `unmentioned_entities` text: `key | TYPE | name | kb_id`.
- Interrupted quotes and claims: each fragment is a region; `continues` relations join them.
- Region ids are derived from canonical ids: a mention's region id is its id, fragment 1 of quote
  `q1` is `q1`, fragment 2 is `q1~f2`, its cue `q1~cue`. `~` never occurs in a canonical id.
- Relation direction is not trusted (annotators draw arrows both ways): the kind of a relation is
  given by the labels of the two regions it joins; a relation label, if set, must agree.
"""

from __future__ import annotations

from ..core.inventory import Inventory

TEXT = "text"  # the Text object (to_name of every result)

# region label groups
MENTION = "mention"
ATTRIBUTION = "attribution"
QUOTE, CUE, CLAIM = "Quote", "Cue", "Claim"
ATTRIBUTION_LABELS = (QUOTE, CUE, CLAIM)

# per-region controls
MENTION_KIND = "mention_kind"
ENTITY_KEY = "entity"
ENTITY_NAME = "entity_name"
ENTITY_KB = "entity_kb_id"
QUOTE_TYPE = "quote_type"
SPEAKER = "speaker"
SPEAKER_ENTITY = "speaker_entity"
CHECK_WORTHY = "check_worthy"
CHECK_WORTHY_VALUE = "check-worthy"
CLAIMANT = "claimant"
CLAIMANT_ENTITY = "claimant_entity"

# document-level controls
ANNOTATED_LAYERS = "annotated_layers"
UNMENTIONED = "unmentioned_entities"

# relations (named after the links in labels.json, plus the two that structure regions)
SAID_BY, CUE_OF, CLAIMED_BY, MADE_IN = "said_by", "cue_of", "claimed_by", "made_in"
COREF, CONTINUES = "coref", "continues"

#: relation -> the unordered pair of region kinds it joins (mention/Quote/Cue/Claim)
RELATION_ENDS: dict[str, frozenset] = {
    SAID_BY: frozenset({QUOTE, MENTION}),
    CUE_OF: frozenset({QUOTE, CUE}),
    CLAIMED_BY: frozenset({CLAIM, MENTION}),
    MADE_IN: frozenset({CLAIM, QUOTE}),
    COREF: frozenset({MENTION}),
    CONTINUES: frozenset({QUOTE, CLAIM}),  # Quote-Quote or Claim-Claim, checked in decode
}

#: link names from labels.json that are realised as relations here
LINK_RELATIONS = (SAID_BY, CUE_OF, CLAIMED_BY, MADE_IN)

REGION_SEPARATOR = "~"
FRAGMENT_SUFFIX = "~f"
CUE_SUFFIX = "~cue"


def relation_names() -> tuple[str, ...]:
    return (SAID_BY, CUE_OF, CLAIMED_BY, MADE_IN, COREF, CONTINUES)


def source_choices(inventory: Inventory, role: str) -> tuple[str, ...]:
    """Attribution kinds chosen by a per-region choice: those that point at no mention or entity."""
    return tuple(k for k in inventory.attribution_kinds_for(role) if k not in ("mention", "entity"))


def per_region_controls(inventory: Inventory) -> dict[str, tuple[str, str | None]]:
    """Per-region control name -> (label group, label value or None for the whole group)."""
    return {
        MENTION_KIND: (MENTION, None), ENTITY_KEY: (MENTION, None), ENTITY_NAME: (MENTION, None), ENTITY_KB: (MENTION, None),
        QUOTE_TYPE: (ATTRIBUTION, QUOTE), SPEAKER: (ATTRIBUTION, QUOTE), SPEAKER_ENTITY: (ATTRIBUTION, QUOTE),
        CHECK_WORTHY: (ATTRIBUTION, CLAIM), CLAIMANT: (ATTRIBUTION, CLAIM), CLAIMANT_ENTITY: (ATTRIBUTION, CLAIM),
    }


def choice_values(inventory: Inventory) -> dict[str, tuple[str, ...]]:
    """Allowed values of every choices control."""
    from ..core.document import LAYERS

    return {
        MENTION_KIND: inventory.mention_kinds,
        QUOTE_TYPE: inventory.quote_types,
        SPEAKER: source_choices(inventory, "speaker"),
        CHECK_WORTHY: (CHECK_WORTHY_VALUE,),
        CLAIMANT: source_choices(inventory, "claimant"),
        ANNOTATED_LAYERS: LAYERS,
    }


TEXTAREAS = (ENTITY_KEY, ENTITY_NAME, ENTITY_KB, SPEAKER_ENTITY, CLAIMANT_ENTITY)
DOC_TEXTAREAS = (UNMENTIONED,)
