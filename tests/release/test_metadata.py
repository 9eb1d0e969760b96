"""corpus/dataset.json: checked, versioned with dataset meaning, release notes required."""

import json

import pytest

from tests.conftest import REPO
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.release.metadata import bump_kind, check_dataset_metadata, load_dataset_metadata


def meta():
    return json.loads((REPO / "corpus" / "dataset.json").read_text(encoding="utf-8"))


def next_minor(version: str) -> str:
    major, minor, _ = version.split(".")
    return f"{major}.{int(minor) + 1}.0"


def test_the_repository_dataset_metadata_is_valid():
    assert load_dataset_metadata(REPO / "corpus" / "dataset.json")["version"] == meta()["version"]


@pytest.mark.parametrize("previous, current, kind", [("1.2.3", "2.0.0", "major"), ("1.2.3", "1.3.0", "minor"),
                                                     ("1.2.3", "1.2.4", "patch"), ("1.2.3", "1.2.3", "same")])
def test_bump_kind_names_the_part_that_changed(previous, current, kind):
    assert bump_kind(previous, current) == kind


def test_a_new_version_needs_its_release_notes():
    data = meta()
    current, new = data["version"], next_minor(data["version"])
    data["version"] = new
    with pytest.raises(ProblemError, match=rf"\$.version is {new} but the newest changelog entry is {current}") as error:
        check_dataset_metadata(data, "dataset.json")
    assert [(p.rule, p.file, p.path) for p in error.value.problems] == [("REL-METADATA", "dataset.json", "$.version")]


def test_a_release_note_must_call_its_bump_what_the_number_says():
    data = meta()
    new = next_minor(data["version"])
    data["version"] = new
    data["changelog"].insert(0, {"version": new, "date": "2027-01-01", "kind": "patch", "notes": ["Fixed typos."]})
    with pytest.raises(ProblemError, match=f"{new} is declared a patch release, but the number says minor") as error:
        check_dataset_metadata(data, "dataset.json")
    assert [(p.rule, p.path, p.found, p.expected) for p in error.value.problems] == [
        ("REL-METADATA", "$.changelog", "patch", "minor")]


def test_missing_and_malformed_fields_are_named():
    data = meta()
    del data["citation"]
    data["version"] = "v1"
    with pytest.raises(ProblemError) as error:
        check_dataset_metadata(data, "dataset.json")
    found = [(p.rule, p.file, p.path) for p in error.value.problems]
    assert ("REL-METADATA", "dataset.json", "$") in found and ("REL-METADATA", "dataset.json", "$.version") in found
    assert any("'citation' is a required property" in p.message for p in error.value.problems)
