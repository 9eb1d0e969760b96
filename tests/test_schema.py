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


def _patterns(node, path="$"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield path, value
            else:
                yield from _patterns(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _patterns(value, f"{path}[{i}]")


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_pattern_ending_in_dollar_refuses_a_trailing_newline(name):
    """JSON Schema's `$` (ECMA-262) is the end of the string; Python's also matches before a final newline."""
    from whosaidwhat.validation.schemas import ecma_pattern

    schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
    samples = {"^1\\.[0-9]+$": "1.0", "^[0-9a-f]{64}$": "a" * 64, "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": "2024",
               "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "en"}
    checked = 0
    for where, pattern in _patterns(schema):
        sample = samples.get(pattern, "abc")
        if not ecma_pattern(pattern).search(sample):
            continue
        assert not ecma_pattern(pattern).search(sample + "\n"), (where, pattern)
        checked += 1
    assert checked >= 3


def test_the_relation_rules_of_labels_json_agree_with_the_attribution_kinds():
    from whosaidwhat.validation.relations import relations

    inventory = load_inventory()
    rules = relations(inventory)
    assert rules.kinds == {role: inventory.attribution_kinds_for(role) for role in ("speaker", "claimant")}
    assert {(link.source, link.field, link.targets) for link in rules.references} == {
        ("mention", "entity", ("entity",)), ("claim", "quote", ("quote",))}
