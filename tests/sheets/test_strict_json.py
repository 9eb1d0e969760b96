"""The strict reader of user files (whosaidwhat.core.jsonfile): a key given twice in one object is refused."""

from __future__ import annotations

import pytest

from whosaidwhat.core.errors import UserError
from whosaidwhat.core.jsonfile import parse_json_bytes, read_json, read_json_object


@pytest.mark.parametrize("data, key", [
    (b'{"claims": [], "claims": [1]}', "claims"),
    (b'{"a": {"b": 1, "b": 1}}', "b"),                  # same value twice: still ambiguous
    (b'[{"x": 1}, {"y": 1, "y": 2}]', "y"),
])
def test_duplicate_keys_are_refused_at_any_depth(data, key):
    value, why = parse_json_bytes(data)
    assert value is None and f"duplicate key {key!r}" in why


def test_read_json_names_the_file(tmp_path):
    path = tmp_path / "sheet.json"
    path.write_bytes(b'{"doc_id": "a", "doc_id": "b"}')
    for reader in (read_json, read_json_object):
        with pytest.raises(UserError) as caught:
            reader(path, "the annotation sheet")
        assert str(caught.value).startswith(f"{path}: cannot read the annotation sheet (")
        assert "duplicate key 'doc_id'" in str(caught.value)


@pytest.mark.parametrize("data, expected", [
    (b'{"a": {"k": 1}, "b": {"k": 2}}', {"a": {"k": 1}, "b": {"k": 2}}),  # one key in two objects is fine
    (b'{"text": "caf\\u00e9 \\ud83d\\udc4d"}', {"text": "café 👍"}),
    (b"[]", []),
])
def test_other_json_reads_as_before(data, expected):
    assert parse_json_bytes(data) == (expected, None)


@pytest.mark.parametrize("data, reason", [
    (b'{"x": NaN}', "NaN"), (b'{"x": ', "not valid JSON"), (b"\xff", "not UTF-8"), (b"[" * 100000, "nested too deeply"),
])
def test_the_other_refusals_are_kept(data, reason):
    value, why = parse_json_bytes(data)
    assert value is None and reason in why
