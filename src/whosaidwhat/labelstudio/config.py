"""The Label Studio labeling config, generated from the label inventory (schema/labels.json).

The XML is a pure function of the inventory, so the checked-in copy
(annotation/labelstudio/config.xml) can be compared with it and never drifts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..core.document import LAYERS
from ..core.inventory import Inventory, load_inventory
from . import mapping as M

#: distinct, colour-blind-friendly colours for the label groups (Okabe-Ito palette, then greys)
_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
            "#B9770E", "#5D6D7E", "#7FB3D5", "#A9DFBF")
_ATTRIBUTION_COLOURS = {M.QUOTE: "#1F77B4", M.CUE: "#FF7F0E", M.CLAIM: "#2CA02C"}
_ATTRIBUTION_HINTS = {
    M.QUOTE: "Quote content (one region per fragment; join fragments of an interrupted quote with 'continues').",
    M.CUE: "Word or phrase introducing a quote (said, told, according to); link it to the quote with 'cue_of'.",
    M.CLAIM: "A checkable assertion of fact; link the claimant mention with 'claimed_by', the quote with 'made_in'.",
}


def _definition(inventory: Inventory, group: str, label: str) -> str:
    return inventory.definitions.get((group, label), "")


def _choices(parent: ET.Element, name: str, values, hints: dict | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, "Choices", {"name": name, "toName": M.TEXT, **attrs})
    for value in values:
        choice = ET.SubElement(node, "Choice", {"value": value})
        if hints and hints.get(value):
            choice.set("hint", hints[value])
    return node


def _textarea(parent: ET.Element, name: str, placeholder: str, **attrs) -> ET.Element:
    return ET.SubElement(parent, "TextArea", {"name": name, "toName": M.TEXT, "placeholder": placeholder,
                                              "editable": "true", "maxSubmissions": "1", **attrs})


def build_config_tree(inventory: Inventory) -> ET.Element:
    """The labeling config as an XML element tree."""
    values = M.choice_values(inventory)
    root = ET.Element("View")
    ET.SubElement(root, "Header", {"value": "$title"})
    mention = ET.SubElement(root, "Labels", {"name": M.MENTION, "toName": M.TEXT, "showInline": "true"})
    for i, label in enumerate(inventory.entity_types):
        ET.SubElement(mention, "Label", {"value": label, "background": _PALETTE[i % len(_PALETTE)],
                                         "hint": _definition(inventory, "entity_types", label)})
    attribution = ET.SubElement(root, "Labels", {"name": M.ATTRIBUTION, "toName": M.TEXT, "showInline": "true"})
    for label in M.ATTRIBUTION_LABELS:
        ET.SubElement(attribution, "Label", {"value": label, "background": _ATTRIBUTION_COLOURS[label],
                                             "hint": _ATTRIBUTION_HINTS[label]})
    relations = ET.SubElement(root, "Relations")
    for name in M.relation_names():
        ET.SubElement(relations, "Relation", {"value": name})
    ET.SubElement(root, "Text", {"name": M.TEXT, "value": "$text"})

    per_mention = ET.SubElement(root, "View", {"visibleWhen": "region-selected", "whenTagName": M.MENTION})
    ET.SubElement(per_mention, "Header", {"value": "Mention", "size": "5"})
    _choices(per_mention, M.MENTION_KIND, values[M.MENTION_KIND],
             {k: _definition(inventory, "mention_kinds", k) for k in values[M.MENTION_KIND]},
             perRegion="true", choice="single-radio", showInline="true")
    _textarea(per_mention, M.ENTITY_KEY, "entity key (mentions with the same key are one entity), e.g. e1",
              perRegion="true")
    _textarea(per_mention, M.ENTITY_NAME, "canonical entity name (on one mention of the entity)", perRegion="true")
    _textarea(per_mention, M.ENTITY_KB, "knowledge-base id, wikipedia:<Title> (on one mention)", perRegion="true")

    per_quote = ET.SubElement(root, "View", {"visibleWhen": "region-selected", "whenTagName": M.ATTRIBUTION,
                                             "whenLabelValue": M.QUOTE})
    ET.SubElement(per_quote, "Header", {"value": "Quote", "size": "5"})
    _choices(per_quote, M.QUOTE_TYPE, values[M.QUOTE_TYPE],
             {k: _definition(inventory, "quote_types", k) for k in values[M.QUOTE_TYPE]},
             perRegion="true", choice="single-radio", showInline="true")
    _choices(per_quote, M.SPEAKER, values[M.SPEAKER],
             {k: _definition(inventory, "attribution_kinds", k) for k in values[M.SPEAKER]},
             perRegion="true", choice="single", showInline="true")
    _textarea(per_quote, M.SPEAKER_ENTITY, "speaker entity key, when no single mention is the speaker",
              perRegion="true")

    per_claim = ET.SubElement(root, "View", {"visibleWhen": "region-selected", "whenTagName": M.ATTRIBUTION,
                                             "whenLabelValue": M.CLAIM})
    ET.SubElement(per_claim, "Header", {"value": "Claim", "size": "5"})
    _choices(per_claim, M.CHECK_WORTHY, values[M.CHECK_WORTHY], perRegion="true", choice="multiple", showInline="true")
    _choices(per_claim, M.CLAIMANT, values[M.CLAIMANT],
             {k: _definition(inventory, "attribution_kinds", k) for k in values[M.CLAIMANT]},
             perRegion="true", choice="single", showInline="true")
    _textarea(per_claim, M.CLAIMANT_ENTITY, "claimant entity key, when no single mention is the claimant",
              perRegion="true")

    ET.SubElement(root, "Header", {"value": "Layers you annotated in this document", "size": "5"})
    _choices(root, M.ANNOTATED_LAYERS, LAYERS, choice="multiple", showInline="true")
    _textarea(root, M.UNMENTIONED, "entities with no mention, one per line: key | TYPE | name | kb_id",
              rows="2")
    return root


def build_config(inventory: Inventory | None = None) -> str:
    """The labeling config XML, deterministic for a given inventory."""
    inventory = inventory or load_inventory()
    tree = build_config_tree(inventory)
    ET.indent(tree, space="  ")
    header = f"<!-- Generated by `wsw labelstudio config` from schema/labels.json (inventory {inventory.version}). Do not edit. -->\n"
    return header + ET.tostring(tree, encoding="unicode") + "\n"
