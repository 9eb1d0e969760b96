"""`wsw adjudicate`: conflicts into decision files, decisions into valid gold, bad input refused."""

from __future__ import annotations

import json

import pytest

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
    assert result.returncode == 1 and ": ford-jobs: $.conflicts[0].decision: [DECISION-UNDECIDED] " in result.stderr
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
    assert result.returncode == 1 and "k999" in result.stderr
    assert f"{path}: ford-jobs: $.conflicts[0].id: [DECISION-CONFLICT-UNKNOWN] " in result.stderr
    assert not (tmp_path / "gold").exists()


def test_a_decision_file_with_a_syntax_error_is_one_line_naming_the_file(tmp_path, wsw):
    (tmp_path / "dec").mkdir()
    (tmp_path / "dec" / "ford-jobs.json").write_text('{"format": "whosaidwhat-decisions/1", ', encoding="utf-8")
    result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'dec' / 'ford-jobs.json'}: " in result.stderr and "[JSON-SYNTAX]" in result.stderr
    assert not (tmp_path / "gold").exists()


def test_annotations_of_different_texts_are_refused(tmp_path, wsw):
    from whosaidwhat.core.document import text_sha256

    a, b = disagreeing_pair()
    b["text"] += " A sentence only B's text has."
    b["text_sha256"] = text_sha256(b["text"])
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    result = wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    assert result.returncode == 1 and ": ford-jobs: $.text_sha256: [ADJ-TEXT-MISMATCH] " in result.stderr
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
    assert result.returncode == 1 and ": $.annotations.A.sha256: [DECISION-ANNOTATION] " in result.stderr


def test_a_single_annotation_is_accepted_as_gold_saying_so(tmp_path, wsw):
    write(tmp_path / "A", annotation("ann-a"))
    result = wsw("adjudicate", "--accept-single", tmp_path / "A", "--out", tmp_path / "gold")
    assert result.returncode == 0, result.stderr
    gold = json.loads((tmp_path / "gold" / "ford-jobs.json").read_text(encoding="utf-8"))
    record = gold["provenance"]["layers"]["claims"]
    assert record["status"] == "gold" and record["changes"][-1].startswith("accepted: single annotation")
    assert gold["claims"] == annotation("ann-a")["claims"]


# --- faults a hostile review found -------------------------------------------------------------------------
def made(tmp_path, wsw, a, b):
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    result = wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    assert result.returncode == 0, result.stderr
    return tmp_path / "dec" / "ford-jobs.json"


def test_making_decision_files_again_keeps_every_decision_whose_conflict_is_unchanged(tmp_path, wsw):
    path = made(tmp_path, wsw, *disagreeing_pair())
    decided = decide(path, lambda c: "B" if "B" in c["choices"] else "keep")
    again = wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    assert again.returncode == 0 and "carried over" in again.stderr
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert [c["decision"] for c in kept["conflicts"]] == [c["decision"] for c in decided["conflicts"]]
    assert kept["adjudicator"]["id"] == "adj-1"


def test_a_single_annotation_never_replaces_adjudicated_gold(tmp_path, wsw):
    path = made(tmp_path, wsw, *disagreeing_pair())
    decide(path, lambda c: "A" if "A" in c["choices"] else "keep")
    assert wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold").returncode == 0
    before = (tmp_path / "gold" / "ford-jobs.json").read_bytes()
    result = wsw("adjudicate", "--accept-single", tmp_path / "A", "--out", tmp_path / "gold")
    assert result.returncode == 1 and f"{tmp_path / 'gold' / 'ford-jobs.json'}: ford-jobs: [ADJ-OVER-GOLD] " in result.stderr
    assert (tmp_path / "gold" / "ford-jobs.json").read_bytes() == before


def test_apply_refuses_an_output_folder_that_holds_its_inputs(tmp_path, wsw):
    path = made(tmp_path, wsw, *disagreeing_pair())
    decide(path, lambda c: "A" if "A" in c["choices"] else "keep")
    before = path.read_bytes()
    for out in (tmp_path / "dec", tmp_path / "A", tmp_path):
        result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", out)
        assert result.returncode == 2 and "[OUT-OVERLAPS-INPUT]" in result.stderr, result.stderr
    assert path.read_bytes() == before


def test_annotations_that_are_not_independent_are_not_adjudicated(tmp_path, wsw):
    a = annotation("ann-a")
    write(tmp_path / "A", a)
    write(tmp_path / "B", annotation("ann-a"))
    result = wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    assert result.returncode == 1 and "[ADJ-NOT-INDEPENDENT]" in result.stderr and not (tmp_path / "dec").exists()


def test_annotator_ids_that_differ_only_by_case_are_not_two_annotators(tmp_path, wsw):
    write(tmp_path / "A", annotation("ann-a"))
    write(tmp_path / "B", annotation("ANN-A"))
    result = wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec")
    assert result.returncode == 1 and not (tmp_path / "dec").exists()
    assert ": ford-jobs: $.provenance.layers: [ANNOTATOR-ID-CASE] " in result.stderr, result.stderr


def test_decision_files_are_read_strictly(tmp_path, wsw):
    path = made(tmp_path, wsw, *disagreeing_pair())
    decide(path, lambda c: "A" if "A" in c["choices"] else "keep")
    path.write_text(path.read_text(encoding="utf-8").rstrip()[:-1] + ', "adjudicator": null}\n', encoding="utf-8")
    result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert result.returncode == 1 and f"{path}: " in result.stderr and "[JSON-DUPLICATE-KEY]" in result.stderr
    assert not (tmp_path / "gold").exists()


def test_wrong_folder_counts_and_options_are_usage_errors(tmp_path, wsw):
    write(tmp_path / "A", annotation("ann-a"))
    for argv, rule in ((("adjudicate", tmp_path / "A", "--out", tmp_path / "d"), "ADJ-FOLDERS"),
                       (("adjudicate", "--accept-single", tmp_path / "A", tmp_path / "A", "--out", tmp_path / "d"),
                        "ADJ-FOLDERS"),
                       (("adjudicate", tmp_path / "A", "--apply", tmp_path / "A", "--out", tmp_path / "d"), "OPTION-INVALID"),
                       (("adjudicate", "--apply", tmp_path / "none", "--out", tmp_path / "d"), "ADJ-NO-DECISIONS"),
                       (("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "A"), "OUT-OVERLAPS-INPUT")):
        result = wsw(*argv)
        assert result.returncode == 2 and f"[{rule}]" in result.stderr, (argv, result.stderr)
    assert not (tmp_path / "d").exists()


def test_a_split_coreference_chain_is_a_conflict_and_agreement_is_symmetric():
    from whosaidwhat.agreement import measure

    a, b = annotation("ann-a"), annotation("ann-b")
    b["entities"].append({"id": "e4", "type": "ORG", "name": "Ford Motor Company", "kb_id": None})
    for m in b["mentions"]:
        if m["id"] in ("m2", "m3"):
            m["entity"] = "e4"
    assert {c.kind for c in find_conflicts(a, b)} == {"mention-link", "speaker", "claimant"}
    ab = measure({"A": {"d": a}, "B": {"d": b}}, resamples=0)["pairs"][0]["figures"]
    ba = measure({"B": {"d": b}, "A": {"d": a}}, resamples=0)["pairs"][0]["figures"]
    key = "quotes: attributed F1 (overlap, same speaker)"
    assert ab[key]["value"] == ba[key]["value"] < 1.0


def test_names_pair_one_to_one_so_f1_never_exceeds_one():
    from whosaidwhat.agreement import measure

    a, b = annotation("ann-a"), annotation("ann-b")
    twin = dict(a["mentions"][0], id="m9", type="PER", entity="e2")  # the same span marked twice in A
    a["mentions"].append(twin)
    figures = measure({"A": {"d": a}, "B": {"d": b}}, resamples=0)["pairs"][0]["figures"]
    assert figures["names: span F1 (type ignored)"]["value"] <= 1.0


def test_dropping_a_mention_that_a_kept_quote_needs_is_refused():
    from whosaidwhat.adjudication.apply import apply_decisions
    from whosaidwhat.core.problems import ProblemError

    a, b = annotation("ann-a"), annotation("ann-b")
    b["entities"].append({"id": "e9", "type": "PER", "name": "the chief executive", "kb_id": None})
    exec_span = {"start": b["text"].index("the chief executive"), "end": b["text"].index("the chief executive") + 19,
                 "text": "the chief executive"}
    b["mentions"].append({"id": "m9", **exec_span, "type": "PER", "kind": "nominal", "entity": "e9"})
    b["quotes"].append({"id": "q9", "fragments": [dict(a["claims"][2]["fragments"][0])], "cue": None,
                        "speaker": {"kind": "mention", "mention": "m9"}, "type": "indirect"})
    conflicts = find_conflicts(a, b)
    for c in conflicts:
        c.decision = "drop" if c.kind == "mention-only" else ("keep" if c.kind == "quote-only" else "A")
    with pytest.raises(ProblemError, match="dropped") as caught:
        apply_decisions(a, b, conflicts)
    assert caught.value.rules == ["ADJ-INCONSISTENT"] and caught.value.problems[0].doc_id == "ford-jobs"


def test_decisions_that_put_a_claim_outside_its_quote_are_refused():
    from whosaidwhat.adjudication.apply import apply_decisions
    from whosaidwhat.core.problems import ProblemError

    a, b = disagreeing_pair()
    conflicts = find_conflicts(a, b)
    for c in conflicts:  # the quote shrinks to B's boundary, its claim keeps A's longer one
        c.decision = "B" if c.kind == "quote-boundary" else ("A" if "A" in c.choices else "keep")
    with pytest.raises(ProblemError, match="not inside its quote") as caught:
        apply_decisions(a, b, conflicts)
    assert set(caught.value.rules) == {"ADJ-INCONSISTENT"}


def test_corrections_apply_on_top_of_gold_only_where_they_match(tmp_path, wsw):
    path = made(tmp_path, wsw, *disagreeing_pair())
    decide(path, lambda c: "A" if "A" in c["choices"] else "keep")
    fix = {"format": "whosaidwhat-corrections/1", "by": {"kind": "agent", "id": "rev", "model": "m", "version": None},
           "corrections": [{"doc_id": "ford-jobs", "item": "c3", "field": "check_worthy", "from": True, "to": False,
                            "rule": "4.6 D1", "reason": "test"}]}
    (tmp_path / "fix.json").write_text(json.dumps(fix), encoding="utf-8")
    result = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold", "--corrections", tmp_path / "fix.json")
    assert result.returncode == 0, result.stderr
    gold = json.loads((tmp_path / "gold" / "ford-jobs.json").read_text(encoding="utf-8"))
    claim = next(c for c in gold["claims"] if c["id"] == "c3")
    assert claim["check_worthy"] is False
    record = gold["provenance"]["layers"]["claims"]
    assert record["changes"][-1].startswith("correction: c3.check_worthy True -> False")
    assert record["producers"][-1]["id"] == "rev"
    fix["corrections"][0]["from"] = "maybe"
    fix["corrections"][0]["item"] = "c1"
    (tmp_path / "fix.json").write_text(json.dumps(fix), encoding="utf-8")
    bad = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold2", "--corrections", tmp_path / "fix.json")
    assert bad.returncode == 1 and not (tmp_path / "gold2").exists()
    assert f"{tmp_path / 'fix.json'}: ford-jobs: $.corrections[0].from: [CORRECTION-MISMATCH] " in bad.stderr
    assert "found True" in bad.stderr


def test_the_gold_records_the_guidelines_version_the_adjudicator_followed(tmp_path, wsw):
    a, b = disagreeing_pair()
    write(tmp_path / "A", a)
    write(tmp_path / "B", b)
    assert wsw("adjudicate", tmp_path / "A", tmp_path / "B", "--out", tmp_path / "dec").returncode == 0
    path = tmp_path / "dec" / "ford-jobs.json"
    data = decide(path, lambda c: c["choices"][0])
    data["adjudicator"]["guidelines_version"] = "9.7"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    applied = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert applied.returncode == 0, applied.stderr
    gold = json.loads((tmp_path / "gold" / "ford-jobs.json").read_text(encoding="utf-8"))
    for layer in gold["provenance"]["layers"].values():
        assert layer["guidelines_version"] == "9.7"
        adjudicator = next(p for p in layer["producers"] if p["id"] == "adj-1")
        assert adjudicator["shown"][1] == "annotation/GUIDELINES.md 9.7"
