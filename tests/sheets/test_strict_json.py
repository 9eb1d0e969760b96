"""The strict reader of user files (whosaidwhat.core.jsonfile) as sheets use it: a key given twice is refused."""

from __future__ import annotations

import pytest

from whosaidwhat.core.jsonfile import parse_json, read_json, read_json_object
from whosaidwhat.core.problems import ProblemError


@pytest.mark.parametrize("data, key", [
    (b'{"claims": [], "claims": [1]}', "claims"),
    (b'{"a": {"b": 1, "b": 1}}', "b"),                  # same value twice: still ambiguous
    (b'[{"x": 1}, {"y": 1, "y": 2}]', "y"),
])
def test_duplicate_keys_are_refused_at_any_depth(data, key):
    value, problem = parse_json(data, file="s.json")
    assert value is None and problem is not None
    assert (problem.rule, problem.file, problem.found) == ("JSON-DUPLICATE-KEY", "s.json", f"{key} twice")


def test_read_json_names_the_file(tmp_path):
    path = tmp_path / "sheet.json"
    path.write_bytes(b'{"doc_id": "a", "doc_id": "b"}')
    for reader in (read_json, read_json_object):
        with pytest.raises(ProblemError) as caught:
            reader(path, "the annotation sheet")
        (problem,) = caught.value.problems
        assert (problem.rule, problem.file, problem.found) == ("JSON-DUPLICATE-KEY", str(path), "doc_id twice")
        assert str(caught.value).startswith(f"{path}: ")


@pytest.mark.parametrize("data, expected", [
    (b'{"a": {"k": 1}, "b": {"k": 2}}', {"a": {"k": 1}, "b": {"k": 2}}),  # one key in two objects is fine
    (b'{"text": "caf\\u00e9 \\ud83d\\udc4d"}', {"text": "café 👍"}),
    (b"[]", []),
])
def test_other_json_reads_as_before(data, expected):
    assert parse_json(data) == (expected, None)


@pytest.mark.parametrize("data, rule", [
    (b'{"x": NaN}', "JSON-CONSTANT"), (b'{"x": ', "JSON-SYNTAX"), (b"\xff", "FILE-ENCODING"), (b"[" * 100000, "JSON-SYNTAX"),
    (b'{"x": "\\ud800"}', "FILE-ENCODING"), (b"PK\x03\x04\x14\x00", "FILE-BINARY"),
])
def test_the_other_refusals_are_kept(data, rule):
    value, problem = parse_json(data)
    assert value is None and problem is not None and problem.rule == rule
