"""The labeling config is generated from the label inventory and never drifts from it."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from whosaidwhat.core.inventory import load_inventory, parse_inventory
from whosaidwhat.core.resources import repo_root
from whosaidwhat.labelstudio.config import build_config

CHECKED_IN = repo_root() / "annotation" / "labelstudio" / "config.xml"


def _values(root: ET.Element, tag: str, name: str) -> list[str]:
    node = root.find(f".//{tag}[@name='{name}']")
    assert node is not None, f"no <{tag} name={name!r}> in the config"
    return [child.get("value") for child in node]


def test_checked_in_config_equals_the_one_generated_from_the_inventory():
    assert CHECKED_IN.read_text(encoding="utf-8") == build_config(), \
        "annotation/labelstudio/config.xml is stale: run `wsw labelstudio config --out annotation/labelstudio/config.xml`"


def test_config_offers_exactly_the_inventory_labels():
    inv = load_inventory()
    root = ET.fromstring(build_config())
    assert _values(root, "Labels", "mention") == list(inv.entity_types)
    assert _values(root, "Choices", "mention_kind") == list(inv.mention_kinds)
    assert _values(root, "Choices", "quote_type") == list(inv.quote_types)
    assert _values(root, "Choices", "speaker") == [k for k in inv.attribution_kinds_for("speaker") if k not in ("mention", "entity")]
    assert _values(root, "Choices", "claimant") == [k for k in inv.attribution_kinds_for("claimant") if k not in ("mention", "entity")]
    assert _values(root, "Labels", "attribution") == ["Quote", "Cue", "Claim"]


def test_every_link_of_the_inventory_is_a_relation_or_the_coreference_design():
    root = ET.fromstring(build_config())
    relations = {r.get("value") for r in root.find("Relations")}
    links = {link["name"] for link in load_inventory().links}
    # mention_of (mention -> entity) is realised by entity keys and `coref` relations between mentions
    assert links - {"mention_of"} <= relations
    assert "coref" in relations and "continues" in relations


def test_a_label_added_to_the_inventory_appears_in_the_config():
    raw = copy.deepcopy(load_inventory().raw)
    raw["entity_types"].append({"label": "LAW", "definition": "A named law.", "conll2003": "MISC",
                                "ontonotes5": "LAW", "gum": ["abstract"]})
    raw["quote_types"].append({"label": "scare", "definition": "Scare quotes."})
    root = ET.fromstring(build_config(parse_inventory(raw)))
    assert _values(root, "Labels", "mention")[-1] == "LAW"
    assert _values(root, "Choices", "quote_type")[-1] == "scare"


def test_sdk_label_interface_reads_the_config_and_accepts_a_browser_annotation():
    from label_studio_sdk.label_interface import LabelInterface

    from .campaign import ANNOTATOR_B

    interface = LabelInterface(build_config())
    assert {"mention", "attribution", "quote_type", "entity", "annotated_layers"} <= {c.name for c in interface.controls}
    assert interface.validate_annotation({"result": ANNOTATOR_B})


def test_cli_check_passes_on_the_checked_in_config(wsw):
    result = wsw("labelstudio", "config", "--check", CHECKED_IN)
    assert result.returncode == 0, result.stderr
