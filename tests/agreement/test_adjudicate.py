"""`wsw adjudicate`: conflicts into decision files, decisions into valid gold, bad input refused."""

from __future__ import annotations

import json

from whosaidwhat.adjudication.conflicts import find_conflicts
from whosaidwhat.validation import ERROR, validate_document

from .helpers import annotation, disagreeing_pair, write


def kinds(conflicts) -> set[str]:
    return {c.kind for c in conflicts}


def test_identical_annotations_have_no_conflict():
    assert find_conflicts(annotation("ann-a"), annotation("ann-b")) == []


def test_boundary_type_speaker_and_missed_claim_each_become_a_conflict():
    a, b = disagreeing_pair()
    found = {(c.kind, c.a, c.b) for c in find_conflicts(a, b)}
    assert ("quote-boundary", "q1", "q1") in found
    assert ("entity-type", "e3", "e3") in found
    assert ("speaker", "q2", "q2") in found
    assert ("claim-only", "c3", None) in found
    assert ("claim-boundary", "c2", "c2") in found


def decide(path, choose):
    data = json.loads(path.read_text(encoding="utf-8"))
    for conflict in data["conflicts"]:
        conflict["decision"] = choose(conflict)
        conflict["reason"] = "test"
    data["adjudicator"] = {"kind": "agent", "id": "adj-1", "model": "test-model", "version": None}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def test_decisions_resolve_every_conflict_into_valid_gold(tmp_path, wsw):
    a, b = disagreeing_pair()
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    made = wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    assert made.returncode == 0, made.stderr
    # B's boundary, type and speaker; keep A's claim that B missed
    decide(tmp_path / "dec" / "ford-jobs.json", lambda c: "B" if "B" in c["choices"] else "keep")
    applied = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert applied.returncode == 0, applied.stderr
    gold = json.loads((tmp_path / "gold" / "ford-jobs.json").read_text(encoding="utf-8"))
    assert [p.line() for p in validate_document(gold) if p.level == ERROR] == []
    quotes = {q["id"]: q for q in gold["quotes"]}
    assert quotes["q1"]["fragments"][0]["text"] == "would cut 3,000 jobs"
    assert next(e for e in gold["entities"] if e["id"] == "e3")["type"] == "PER"
    speaker = next(m for m in gold["mentions"] if m["id"] == quotes["q2"]["speaker"]["mention"])
    assert speaker["text"] == "Ford Motor Company"
    assert any(c["fragments"][0]["text"].startswith("Ford lost") for c in gold["claims"])
    roles = [(p["id"], p["role"]) for p in gold["provenance"]["layers"]["claims"]["producers"]]
    assert roles == [("ann-a", "annotated"), ("ann-b", "annotated"), ("adj-1", "adjudicated")]
    assert gold["provenance"]["layers"]["quotes"]["status"] == "gold"


def test_choosing_a_everywhere_and_dropping_gives_back_what_both_share(tmp_path, wsw):
    a, b = disagreeing_pair()
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    decide(tmp_path / "dec" / "ford-jobs.json", lambda c: "A" if "A" in c["choices"] else "drop")
    assert wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold").returncode == 0
    gold = json.loads((tmp_path / "gold" / "ford-jobs.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in gold["claims"]] == ["c1", "c2"]
    assert gold["quotes"] == a["quotes"]


def test_an_undecided_conflict_is_named_and_nothing_is_written(tmp_path, wsw):
    a, b = disagreeing_pair()
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert result.returncode == 1 and "ford-jobs" in result.stderr and "undecided" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "gold").exists()


def test_a_decision_naming_a_conflict_that_does_not_exist_is_refused(tmp_path, wsw):
    a, b = disagreeing_pair()
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    path = tmp_path / "dec" / "ford-jobs.json"
    data = decide(path, lambda c: "A" if "A" in c["choices"] else "keep")
    data["conflicts"][0]["id"] = "k999"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert result.returncode == 1 and "k999" in result.stderr and "ford-jobs" in result.stderr
    assert not (tmp_path / "gold").exists()


def test_a_decision_file_with_a_syntax_error_is_one_line_naming_the_file(tmp_path, wsw):
    (tmp_path / "dec").mkdir()
    (tmp_path / "dec" / "ford-jobs.json").write_text('{"format": "whosaidwhat-decisions/1", ', encoding="utf-8")
    result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert result.returncode == 1 and "ford-jobs.json" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "gold").exists()


def test_annotations_of_different_texts_are_refused(tmp_path, wsw):
    a, b = disagreeing_pair()
    b["text_sha256"] = "0" * 64
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    result = wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    assert result.returncode == 1 and "text_sha256" in result.stderr and "ford-jobs" in result.stderr
    assert not (tmp_path / "dec").exists()


def test_an_annotation_changed_after_the_decision_file_was_made_is_refused(tmp_path, wsw):
    a, b = disagreeing_pair()
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    decide(tmp_path / "dec" / "ford-jobs.json", lambda c: "A" if "A" in c["choices"] else "keep")
    a["claims"].pop()
    write(tmp_path / "A", a)
    result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert result.returncode == 1 and "changed since the decision file was made" in result.stderr


def test_a_single_annotation_is_accepted_as_gold_saying_so(tmp_path, wsw):
    write(tmp_path / "A", annotation("ann-a"))
    result = wsw("adjudicate", "--accept-single", tmp_path / "A", "--out", tmp_path / "gold")
    assert result.returncode == 0, result.stderr
    gold = json.loads((tmp_path / "gold" / "ford-jobs.json").read_text(encoding="utf-8"))
    record = gold["provenance"]["layers"]["claims"]
    assert record["status"] == "gold" and record["changes"][-1].startswith("accepted: single annotation")
    assert gold["claims"] == annotation("ann-a")["claims"]
