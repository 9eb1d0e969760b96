"""Corrections after adjudication: every correctable field, applied only where the gold is what the reviewer saw."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from whosaidwhat.adjudication.corrections import FORMAT, apply_corrections, read_corrections
from whosaidwhat.core.problems import ProblemError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valid" / "mini-unicode.json"
BY = {"kind": "agent", "id": "reviewer-1", "model": "test-model", "version": None}


def doc() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def entry(item: str, field: str, old, new, index: int = 0) -> dict:
    return {"doc_id": "mini-unicode", "item": item, "field": field, "from": old, "to": new, "rule": "7B B1",
            "reason": "test", "_index": index}


def span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def test_an_entity_type_correction_changes_the_entity_and_every_one_of_its_mentions():
    out = apply_corrections(doc(), [entry("e1", "entity_type", "PER", "ORG")], BY, "c.json", "1.3")
    assert next(e for e in out["entities"] if e["id"] == "e1")["type"] == "ORG"
    assert {m["type"] for m in out["mentions"] if m["entity"] == "e1"} == {"ORG"}
    assert {m["type"] for m in out["mentions"] if m["entity"] == "e2"} == {"ORG"}
    producer = out["provenance"]["layers"]["mentions"]["producers"][-1]
    assert producer["id"] == "reviewer-1" and producer["shown"][1] == "annotation/GUIDELINES.md 1.3"


def test_a_claim_boundary_correction_replaces_the_fragments_and_logs_them():
    d = doc()
    text = d["text"]
    old = d["claims"][0]["fragments"]
    start = text.index("Critics")
    new = [span(text, start, text.index(" argued")), span(text, old[0]["start"], old[0]["end"])]
    out = apply_corrections(d, [entry("c1", "fragments", old, new)], BY, "c.json")
    assert out["claims"][0]["fragments"] == new
    assert out["provenance"]["layers"]["claims"]["changes"][-1].startswith("correction: c1.fragments [168, 196)")


def test_a_mention_correction_sets_span_and_kind():
    d = doc()
    text = d["text"]
    m4 = next(m for m in d["mentions"] if m["id"] == "m4")
    old = {k: m4[k] for k in ("start", "end", "text", "kind")}
    new = {**span(text, m4["start"] + 4, m4["end"]), "kind": "name"}
    out = apply_corrections(d, [entry("m4", "mention", old, new)], BY, "c.json")
    m4 = next(m for m in out["mentions"] if m["id"] == "m4")
    assert (m4["text"], m4["kind"], m4["entity"]) == ("city council", "name", "e3")


def test_applying_the_same_correction_twice_changes_nothing_more():
    once = apply_corrections(doc(), [entry("e3", "name", "the city council", "city council")], BY, "c.json")
    assert apply_corrections(once, [entry("e3", "name", "the city council", "city council")], BY, "c.json") == once


@pytest.mark.parametrize("item, field, old, path", [
    ("e9", "name", "x", "$.corrections[0].item"),
    ("e3", "name", "not what gold says", "$.corrections[0].from"),
    ("q1", "entity_type", "PER", "$.corrections[0].item"),  # a quote has no entity type
])
def test_a_correction_that_does_not_match_the_gold_is_refused_with_its_location(item, field, old, path):
    with pytest.raises(ProblemError) as caught:
        apply_corrections(doc(), [entry(item, field, old, "y")], BY, "c.json")
    problem = caught.value.problems[0]
    assert (problem.rule, problem.doc_id, problem.path) == ("CORRECTION-MISMATCH", "mini-unicode", path)


def test_an_unknown_field_is_refused_when_the_file_is_read(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"format": FORMAT, "by": BY, "corrections": [
        {"doc_id": "mini-unicode", "item": "c1", "field": "speaker_gender", "from": None, "to": None, "rule": "x"}]}))
    with pytest.raises(ProblemError) as caught:
        read_corrections(path)
    assert caught.value.rules == ["CORRECTION-FIELD"] and caught.value.problems[0].path == "$.corrections[0].field"


def test_corrections_that_would_make_invalid_gold_write_nothing(wsw, tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    before = (folder / FIXTURE.name).read_bytes()
    old = doc()["claims"][0]["fragments"]
    bad = [{"start": 0, "end": 5, "text": "not the text"}]
    corrections = tmp_path / "c.json"
    corrections.write_text(json.dumps({"format": FORMAT, "guidelines_version": "1.3", "by": BY, "corrections": [
        {"doc_id": "mini-unicode", "item": "c1", "field": "fragments", "from": old, "to": bad, "rule": "x"}]}))
    result = wsw("adjudicate", folder, "--corrections", corrections, "--out", folder)
    assert result.returncode == 1 and "[SPAN-TEXT]" in result.stderr, result.stderr
    assert (folder / FIXTURE.name).read_bytes() == before


def test_several_corrections_files_apply_in_the_order_given(wsw, tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    files = []
    for i, (old, new) in enumerate([("the city council", "city council"), ("city council", "City Council")]):
        path = tmp_path / f"c{i}.json"
        path.write_text(json.dumps({"format": FORMAT, "guidelines_version": "1.3", "by": {**BY, "id": f"r{i}"},
                                    "corrections": [{"doc_id": "mini-unicode", "item": "e3", "field": "name", "from": old,
                                                     "to": new, "rule": "2.5"}]}))
        files += ["--corrections", path]
    result = wsw("adjudicate", folder, *files, "--out", folder)
    assert result.returncode == 0, result.stderr
    out = json.loads((folder / FIXTURE.name).read_text(encoding="utf-8"))
    assert next(e for e in out["entities"] if e["id"] == "e3")["name"] == "City Council"
    assert [p["id"] for p in out["provenance"]["layers"]["mentions"]["producers"]][-2:] == ["r0", "r1"]


def test_a_mention_correction_to_null_deletes_the_mention_once_and_logs_it():
    d = doc()
    m4 = next(m for m in d["mentions"] if m["id"] == "m4")
    old = {k: m4[k] for k in ("start", "end", "text", "kind")}
    correction = entry("m4", "mention", old, None)
    out = apply_corrections(d, [correction], BY, "c.json", "1.4")
    assert [m["id"] for m in out["mentions"]] == [m["id"] for m in d["mentions"] if m["id"] != "m4"]
    assert out["provenance"]["layers"]["mentions"]["changes"][-1].startswith("correction: m4.mention [")
    again = apply_corrections(out, [correction], BY, "c.json", "1.4")
    assert again == out


def test_a_mention_deletion_is_refused_when_the_mention_is_not_what_the_reviewer_saw():
    d = doc()
    m4 = next(m for m in d["mentions"] if m["id"] == "m4")
    old = {k: m4[k] for k in ("start", "end", "text", "kind")}
    with pytest.raises(ProblemError) as caught:
        apply_corrections(d, [entry("m4", "mention", {**old, "end": old["end"] - 1}, None)], BY, "c.json", "1.4")
    assert caught.value.problems[0].rule == "CORRECTION-MISMATCH"
    with pytest.raises(ProblemError) as caught:
        apply_corrections(d, [entry("m-none", "mention", old, None)], BY, "c.json", "1.4")
    assert caught.value.problems[0].rule == "CORRECTION-MISMATCH"


def test_a_kb_id_correction_sets_the_link_and_is_refused_when_the_link_differs():
    d = doc()
    e1 = next(e for e in d["entities"] if e["id"] == "e1")
    out = apply_corrections(d, [entry("e1", "kb_id", e1.get("kb_id"), "wikipedia:Example")], BY, "c.json", "1.4")
    assert next(e for e in out["entities"] if e["id"] == "e1")["kb_id"] == "wikipedia:Example"
    with pytest.raises(ProblemError) as caught:
        apply_corrections(d, [entry("e1", "kb_id", "wikipedia:Other", "wikipedia:Third")], BY, "c.json", "1.4")
    assert caught.value.problems[0].rule == "CORRECTION-MISMATCH"


def test_a_claimant_correction_replaces_the_attribution_and_the_result_must_still_validate():
    from whosaidwhat.validation import ERROR, validate_document

    d = doc()
    claim = d["claims"][0]
    out = apply_corrections(d, [entry(claim["id"], "claimant", claim["claimant"], {"kind": "outlet"})], BY, "c.json", "1.5")
    assert out["claims"][0]["claimant"] == {"kind": "outlet"}
    assert [p.rule for p in validate_document(out) if p.level == ERROR] == []
    dangling = apply_corrections(d, [entry(claim["id"], "claimant", claim["claimant"], {"kind": "mention", "mention": "m-x"})],
                                 BY, "c.json", "1.5")
    assert "REF-DANGLING" in [p.rule for p in validate_document(dangling) if p.level == ERROR]


def test_an_entity_correction_to_null_deletes_an_entity_left_without_mentions_and_validation_guards_the_rest():
    from whosaidwhat.validation import ERROR, validate_document

    d = doc()
    d["entities"].append({"id": "e-lonely", "type": "PER", "name": "Nobody", "kb_id": None})
    lonely = entry("e-lonely", "entity", {"type": "PER", "name": "Nobody", "kb_id": None}, None)
    out = apply_corrections(d, [lonely], BY, "c.json", "1.5")
    assert "e-lonely" not in [e["id"] for e in out["entities"]]
    assert apply_corrections(out, [lonely], BY, "c.json", "1.5") == out  # applied once
    used = next(e for e in d["entities"] if e["id"] == "e1")
    gone = apply_corrections(d, [entry("e1", "entity", {k: used.get(k) for k in ("type", "name", "kb_id")}, None)],
                             BY, "c.json", "1.5")
    assert "REF-DANGLING" in [p.rule for p in validate_document(gone) if p.level == ERROR]  # its mentions still point to it


def test_a_claim_correction_to_null_deletes_the_claim_once():
    d = doc()
    claim = d["claims"][0]
    seen = {k: claim.get(k) for k in ("fragments", "claimant", "quote", "check_worthy")}
    out = apply_corrections(d, [entry(claim["id"], "claim", seen, None)], BY, "c.json", "1.6")
    assert [c["id"] for c in out["claims"]] == [c["id"] for c in d["claims"][1:]]
    assert out["provenance"]["layers"]["claims"]["changes"][-1].startswith(f"correction: {claim['id']}.claim ")
    assert apply_corrections(out, [entry(claim["id"], "claim", seen, None)], BY, "c.json", "1.6") == out
    with pytest.raises(ProblemError) as caught:
        apply_corrections(d, [entry(claim["id"], "claim", {**seen, "check_worthy": not seen["check_worthy"]}, None)],
                          BY, "c.json", "1.6")
    assert caught.value.problems[0].rule == "CORRECTION-MISMATCH"
