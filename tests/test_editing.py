"""Editing by surface strings: offsets are computed, anchors must exist, invalid documents are not saved."""

from __future__ import annotations

import json

import pytest

from whosaidwhat import editing
from whosaidwhat.core.problems import ProblemError

from .conftest import FIXTURES


@pytest.fixture
def doc():
    return json.loads((FIXTURES / "valid" / "mini-unicode.json").read_text(encoding="utf-8"))


def test_locate_counts_code_points_after_emoji_and_crlf(doc):
    span = editing.locate(doc["text"], "Acme Corp")
    assert doc["text"][span["start"]:span["end"]] == "Acme Corp"
    assert span["start"] == doc["text"].index("Acme Corp")


def test_locate_finds_the_nth_occurrence_after_an_anchor(doc):
    second = editing.locate(doc["text"], "Zoe\u0308 U\u0308nal", nth=2)
    after = editing.locate(doc["text"], "Zoe\u0308 U\u0308nal", after="We will")
    assert second == after
    assert second["start"] > editing.locate(doc["text"], "Zoe\u0308 U\u0308nal")["start"]


def test_a_missing_anchor_is_a_user_error(doc):
    with pytest.raises(ProblemError, match="not found") as caught:
        editing.locate(doc["text"], "Springfield")
    assert caught.value.rules == ["EDIT-ANCHOR"]
    with pytest.raises(ProblemError) as caught:
        editing.locate(doc["text"], "Zoe", after="Springfield")
    assert caught.value.rules == ["EDIT-ANCHOR"]


def test_edits_naming_missing_items_are_refused_with_the_document_id(doc):
    for edit in (lambda: editing.add_mention(doc, "Monday", "e99"), lambda: editing.remove(doc, "q99"),
                 lambda: editing.mention_at(doc, "Monday")):
        with pytest.raises(ProblemError) as caught:
            edit()
        assert caught.value.rules == ["EDIT-ITEM"] and caught.value.problems[0].doc_id == doc["id"]


def test_added_claim_and_mention_validate_and_save(doc, tmp_path):
    council = editing.mention_at(doc, "the city council")
    claim = editing.add_claim(doc, ["costs would triple"], editing.attribution("mention", editing.mention_at(doc, "Critics from Acme Corp")),
                              check_worthy=True, quote="q2")
    entity = editing.add_entity(doc, "Monday", "MISC")
    editing.add_mention(doc, "Monday", entity)
    target = tmp_path / "mini-unicode.json"
    editing.save(doc, target)
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert council == "m4"
    assert [c["id"] for c in saved["claims"]] == ["c1", claim]
    assert saved["claims"][-1]["fragments"][0]["text"] == "costs would triple"


def test_save_refuses_an_invalid_document_and_writes_nothing(doc, tmp_path):
    doc["quotes"][0]["type"] = "verbatim"
    target = tmp_path / "mini-unicode.json"
    with pytest.raises(ProblemError, match="LABEL-UNKNOWN") as caught:
        editing.save(doc, target)
    assert caught.value.rules == ["LABEL-UNKNOWN"] and caught.value.problems[0].path == "$.quotes[0].type"
    assert not target.exists()


def test_locate_matches_whole_words_only_unless_asked():
    text = "In the end he said so."
    assert editing.locate(text, "he")["start"] == text.index(" he ") + 1
    assert editing.locate(text, "he", whole_word=False)["start"] == text.index("the") + 1


def test_ids_of_removed_items_are_not_handed_out_again(doc):
    editing.remove(doc, "q3")
    editing.record_change(doc, "quotes", "review: q3: removed (not a quote)")
    assert editing.next_id(doc, "q") == "q4"


def test_atomic_writes_get_ordinary_permissions_and_keep_an_existing_files_mode(tmp_path):
    import os
    import stat

    from whosaidwhat.core.atomic import write_text

    fresh = tmp_path / "fresh.json"
    write_text(fresh, "{}")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    private = tmp_path / "private.json"
    private.write_text("{}")
    private.chmod(0o600)
    write_text(private, "{}\n")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
