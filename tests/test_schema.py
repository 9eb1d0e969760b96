"""The JSON Schemas are valid draft 2020-12 and describe every field; the inventory is consistent."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from whosaidwhat.core.inventory import load_inventory

from .conftest import REPO

SCHEMAS = ["document.schema.json", "submission.schema.json"]


def undescribed(node, path="$"):
    """Paths of properties (and $defs) that carry no description."""
    missing = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{path}.{name}")
            missing += undescribed(sub, f"{path}.{name}")
        for name, sub in node.get("$defs", {}).items():
            if "description" not in sub:
                missing.append(f"{path}.$defs.{name}")
            missing += undescribed(sub, f"{path}.$defs.{name}")
        if isinstance(node.get("items"), dict):
            missing += undescribed(node["items"], f"{path}[]")
    return missing


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_2020_12(name):
    schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_field_has_a_description(name):
    schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
    assert undescribed(schema) == []


def test_every_entity_type_maps_to_conll_ontonotes_and_gum():
    inventory = load_inventory()
    conll = {"PER", "ORG", "LOC", "MISC"}
    for label in inventory.entity_types:
        assert inventory.map_entity_type(label, "conll2003") in conll
        assert inventory.map_entity_type(label, "ontonotes5")
        assert inventory.mappings["gum"][label]
        assert inventory.definitions[("entity_types", label)]
