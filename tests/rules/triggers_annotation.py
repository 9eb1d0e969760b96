"""Triggers of the `annotation` rules: sheets, adjudication decision files, corrections, campaign status, editing."""

from __future__ import annotations

import json
import re

from whosaidwhat import editing
from whosaidwhat.adjudication.apply import apply_decisions
from whosaidwhat.adjudication.conflicts import find_conflicts
from whosaidwhat.adjudication.corrections import apply_corrections, read_corrections
from whosaidwhat.adjudication.decisions import make_decisions, read_decisions
from whosaidwhat.campaign import from_documents, from_export
from whosaidwhat.core.document import dumps, text_sha256
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.sheets import apply_sheet

from ..agreement.helpers import annotation, disagreeing_pair, write
from ..sheets.helpers import document, setup, sheet


def _cli(request, *argv) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    capsys.readouterr()
    main([str(a) for a in argv])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _raised(call) -> list[str]:
    try:
        call()
    except ProblemError as exc:
        return exc.rules
    return []


# -- sheets -----------------------------------------------------------------------------------------------------
def _sheet(change=None, doc_change=None) -> list[str]:
    data, doc = sheet(), document()
    if change is not None:
        change(data)
    if doc_change is not None:
        doc_change(doc)
    return [p.rule for p in apply_sheet(doc, data, file="s.json").problems]


def _sheets_cli(tmp_path, request, sheets) -> list[str]:
    setup(tmp_path, sheets=sheets)
    return _cli(request, "sheets", tmp_path / "sheets", "--documents", tmp_path / "docs", "--out", tmp_path / "out")


def _is_document(tmp_path, request):
    return _sheets_cli(tmp_path, request, {"doc.json": dumps(document())})


def _doc_missing(tmp_path, request):
    other = sheet()
    other["doc_id"] = "no-such-doc"
    return _sheets_cli(tmp_path, request, {"a.json": other})


def _duplicate(tmp_path, request):
    return _sheets_cli(tmp_path, request, {"a.json": sheet(), "b.json": sheet()})


def _no_sheets(tmp_path, request):
    setup(tmp_path, sheets={})
    return _cli(request, "sheets", tmp_path / "sheets", "--documents", tmp_path / "docs", "--out", tmp_path / "out")


def _unused_entity(data):
    data["entities"].append({"id": "e9", "type": "ORG", "name": "Nobody", "kb_id": None})


# -- adjudication -----------------------------------------------------------------------------------------------
def _decision_file(tmp_path, change) -> list[str]:
    a, b = disagreeing_pair()
    a_path, b_path = write(tmp_path / "A", a), write(tmp_path / "B", b)
    data = make_decisions(a_path, b_path, a, b)
    data["adjudicator"] = {"kind": "agent", "id": "adj", "model": None, "version": None}
    for conflict in data["conflicts"]:
        conflict["decision"] = conflict["choices"][0]
    change(data)
    path = tmp_path / "dec.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return _raised(lambda: read_decisions(path))


def _folders(tmp_path, b_doc):
    write(tmp_path / "A", annotation("ann-a"))
    write(tmp_path / "B", b_doc)
    return tmp_path / "A", tmp_path / "B"


def _no_shared(tmp_path, request):
    other = annotation("ann-b")
    other["id"] = "other-doc"
    a, b = _folders(tmp_path, other)
    return _cli(request, "adjudicate", a, b, "--out", tmp_path / "dec")


def _text_mismatch(tmp_path, request):
    a, b = annotation("ann-a"), annotation("ann-b")
    b["text"] += " More."
    b["text_sha256"] = text_sha256(b["text"])
    return _raised(lambda: make_decisions(tmp_path / "a.json", tmp_path / "b.json", a, b))


def _over_gold(tmp_path, request):
    gold = annotation("ann-a")
    for record in gold["provenance"]["layers"].values():
        record["producers"][0]["role"] = "adjudicated"
    write(tmp_path / "gold", gold)
    write(tmp_path / "A", annotation("ann-a"))
    return _cli(request, "adjudicate", "--accept-single", tmp_path / "A", "--out", tmp_path / "gold")


def _inconsistent(tmp_path, request):
    a, b = disagreeing_pair()
    conflicts = find_conflicts(a, b)
    for c in conflicts:  # the quote shrinks to B's boundary, its claim keeps A's longer one
        c.decision = "B" if c.kind == "quote-boundary" else ("A" if "A" in c.choices else "keep")
    return _raised(lambda: apply_decisions(a, b, conflicts))


def _case(tmp_path, request):
    write(tmp_path / "one", annotation("ann-a"))
    write(tmp_path / "two", annotation("Ann-A"))
    return _cli(request, "campaign", "status", tmp_path / "one", tmp_path / "two")


# -- corrections --------------------------------------------------------------------------------------------------
CORRECTIONS = {"format": "whosaidwhat-corrections/1", "by": {"kind": "agent", "id": "rev"},
               "corrections": [{"doc_id": "ford-jobs", "item": "c1", "field": "check_worthy", "rule": "r",
                                "from": True, "to": False}]}


def _corrections(tmp_path, change) -> list[str]:
    data = json.loads(json.dumps(CORRECTIONS))
    change(data)
    path = tmp_path / "fix.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return _raised(lambda: read_corrections(path))


def _mismatch(tmp_path, request):
    entry = {**CORRECTIONS["corrections"][0], "item": "c99", "_index": 0}
    return _raised(lambda: apply_corrections(annotation("ann-a"), [entry], CORRECTIONS["by"], "fix.json"))


def _skipped(tmp_path, request):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "list.json").write_text("[1, 2]", encoding="utf-8")
    warnings: list = []
    from_documents(tmp_path / "docs", warnings)
    return [w.rule for w in warnings]


def _empty(tmp_path, request):
    (tmp_path / "empty").mkdir()
    return _cli(request, "campaign", "status", tmp_path / "empty")


BARE = {"id": "d", "text": "abc", "entities": [], "mentions": [], "quotes": [], "claims": []}

TRIGGERS = {
    "SHEET-NONE": _no_sheets,
    "SHEET-IS-DOCUMENT": _is_document,
    "SHEET-KEY-UNKNOWN": lambda tmp_path, request: _sheet(lambda s: s.__setitem__("claim", [])),
    "SHEET-DOC-ID": lambda tmp_path, request: _sheet(lambda s: s.__setitem__("doc_id", "another-doc")),
    "SHEET-DOC-MISSING": _doc_missing,
    "SHEET-DOC-INVALID": lambda tmp_path, request: _sheet(doc_change=lambda d: d.__setitem__("text", None)),
    "SHEET-DUPLICATE": _duplicate,
    "SHEET-TEXT-HASH": lambda tmp_path, request: _sheet(lambda s: s.__setitem__("text_sha256", "0" * 64)),
    "SHEET-FIELD": lambda tmp_path, request: _sheet(lambda s: s.__setitem__("notes", 5)),
    "SHEET-TIME": lambda tmp_path, request: _sheet(lambda s: s.__setitem__("started", "2026-12-05T06:30:00")),
    "SHEET-SPAN": lambda tmp_path, request: _sheet(lambda s: s["mentions"][0].__setitem__("start", 1)),
    "SHEET-REF": lambda tmp_path, request: _sheet(lambda s: s["mentions"][0].__setitem__("entity", "e9")),
    "SHEET-ENTITY-UNUSED": lambda tmp_path, request: _sheet(_unused_entity),
    "ANNOTATOR-ID-CASE": _case,
    "ADJ-FOLDERS": lambda tmp_path, request: _cli(request, "adjudicate", tmp_path, "--out", tmp_path / "dec"),
    "ADJ-NO-SHARED": _no_shared,
    "ADJ-NO-DECISIONS": lambda tmp_path, request: _cli(request, "adjudicate", "--apply", tmp_path, "--out", tmp_path / "g"),
    "ADJ-TEXT-MISMATCH": _text_mismatch,
    "ADJ-NOT-INDEPENDENT": lambda tmp_path, request: _raised(lambda: make_decisions(
        tmp_path / "a.json", tmp_path / "b.json", annotation("ann-a"), annotation("ann-a"))),
    "ADJ-OVER-GOLD": _over_gold,
    "ADJ-INCONSISTENT": _inconsistent,
    "DECISION-FORMAT": lambda tmp_path, request: _decision_file(tmp_path, lambda d: d.__setitem__("format", "x/1")),
    "DECISION-FIELD": lambda tmp_path, request: _decision_file(tmp_path, lambda d: d.__setitem__("conflicts", {})),
    "DECISION-ANNOTATION": lambda tmp_path, request: _decision_file(
        tmp_path, lambda d: d["annotations"]["A"].__setitem__("path", str(tmp_path / "missing.json"))),
    "DECISION-CONFLICT-UNKNOWN": lambda tmp_path, request: _decision_file(
        tmp_path, lambda d: d["conflicts"][0].__setitem__("id", "k999")),
    "DECISION-CONFLICT-TWICE": lambda tmp_path, request: _decision_file(
        tmp_path, lambda d: d["conflicts"].append(d["conflicts"][0])),
    "DECISION-CONFLICT-MISSING": lambda tmp_path, request: _decision_file(tmp_path, lambda d: d["conflicts"].pop()),
    "DECISION-UNDECIDED": lambda tmp_path, request: _decision_file(
        tmp_path, lambda d: d["conflicts"][0].__setitem__("decision", "maybe")),
    "CORRECTION-FORMAT": lambda tmp_path, request: _corrections(tmp_path, lambda d: d.__setitem__("format", "x")),
    "CORRECTION-FIELD": lambda tmp_path, request: _corrections(
        tmp_path, lambda d: d["corrections"][0].__setitem__("field", "speaker")),
    "CORRECTION-MISMATCH": _mismatch,
    "CAMPAIGN-EXPORT-SHAPE": lambda tmp_path, request: _raised(lambda: from_export({"tasks": []}, "export.json")),
    "CAMPAIGN-NOTHING": _empty,
    "CAMPAIGN-SKIPPED": _skipped,
    "EDIT-ANCHOR": lambda tmp_path, request: _raised(lambda: editing.locate("some text", "other")),
    "EDIT-ITEM": lambda tmp_path, request: _raised(lambda: editing.remove(dict(BARE), "q1")),
}
