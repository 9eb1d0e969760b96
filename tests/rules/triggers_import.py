"""Triggers of the `import` rules: `wsw import gum|wikinews` on the smallest bad folder, or the pure converter.

Errors are triggered through the command (its stderr lists every problem with its `[RULE]`);
warnings and notes of a conversion through `convert_record`, whose report holds them.
"""

from __future__ import annotations

import json
import re
import shutil

from tests.gum.gumrec import LICENSE, A, M, record
from tests.wikinews.test_import import record as article
from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import empty_data

from ..conftest import REPO

DATA = REPO / "annotation" / "gum"


def _cli(request, *argv) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    capsys.readouterr()
    main([str(a) for a in argv])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _interview(name: str = "ants", **extra) -> dict:
    text = "Biologist Nick Bos talks about ants\n\nNick Bos studies ants.\n\nAnts are clever."
    return record(text, [M("Nick Bos", "person", "e1", head="Nick")], doc_id=f"GUM_interview_{name}",
                  turns=[("#NickBos", "Ants are clever.")], license=dict(LICENSE), **extra)


def _gum_folder(tmp_path, *records: dict, readme: bool = True):
    folder = tmp_path / "gum_interview"
    folder.mkdir()
    for rec in records:
        (folder / f"{rec['doc_id']}.json").write_text(json.dumps(rec), encoding="utf-8")
    if readme:
        (folder / "README.md").write_text("Interview records; CC BY 2.5 / CC BY 4.0.\n", encoding="utf-8")
    return folder


def _gum(request, tmp_path, folder, *extra, data=DATA) -> list[str]:
    return _cli(request, "import", "gum", folder, "--out", tmp_path / "corpus" / "documents",
                "--raw-dir", tmp_path / "corpus" / "raw" / "gum_interview", "--data", data, *extra)


def _wikinews(request, tmp_path, *records: tuple[str, dict], readme: bool = True) -> list[str]:
    folder = tmp_path / "meantime_raw"
    folder.mkdir()
    for name, rec in records:
        (folder / name).write_text(json.dumps(rec), encoding="utf-8")
    if readme:
        (folder / "README.md").write_text("license notice", encoding="utf-8")
    return _cli(request, "import", "wikinews", folder, "--out", tmp_path / "docs", "--raw-dir", tmp_path / "raw")


def _data_folder(tmp_path, overrides: object):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DATA / "entity_types.json", data / "entity_types.json")
    (data / "overrides.json").write_text(json.dumps(overrides), encoding="utf-8")
    return data


def _report_rules(rec: dict) -> list[str]:
    return [p.rule for p in convert_record(rec, empty_data())[1].problems]


def _record_field(tmp_path, request):
    rec = _interview()
    rec["title"] = None
    return _gum(request, tmp_path, _gum_folder(tmp_path, rec))


def _record_license(tmp_path, request):
    rec = _interview()
    rec["license"]["text"] = "CC BY 4.0 (Reddit)"
    return _gum(request, tmp_path, _gum_folder(tmp_path, rec))


def _convert(tmp_path, request):
    data = _data_folder(tmp_path, {"documents": {"GUM_interview_ants": {"mentions": {"m9": {"drop": True,
                                                                                            "why": "no such"}}}}})
    return _gum(request, tmp_path, _gum_folder(tmp_path, _interview()), data=data)


def _data_invalid(tmp_path, request):
    return _gum(request, tmp_path, _gum_folder(tmp_path, _interview()), data=_data_folder(tmp_path, {"documents": []}))


def _no_records(tmp_path, request):
    empty = tmp_path / "gum_interview"
    empty.mkdir()
    return _gum(request, tmp_path, empty)


def _paths(tmp_path, request):
    same = tmp_path / "same"
    return _cli(request, "import", "gum", _gum_folder(tmp_path, _interview()), "--out", same, "--raw-dir", same,
                "--data", DATA)


def _existing(tmp_path, request, content: str) -> list[str]:
    docs = tmp_path / "corpus" / "documents"
    docs.mkdir(parents=True)
    (docs / "gum-interview-ants.json").write_text(content, encoding="utf-8")
    return _gum(request, tmp_path, _gum_folder(tmp_path, _interview()))


def _reviewed_base(tmp_path, request):
    folder = _gum_folder(tmp_path, _interview())
    assert _gum(request, tmp_path, folder) == []
    path = tmp_path / "corpus" / "documents" / "gum-interview-ants.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["provenance"]["layers"]["mentions"]["status"] = "gold"
    doc["metadata"]["title"] = "A title changed by the review"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return _gum(request, tmp_path, folder)


def _unmatched_mark(tmp_path, request):
    return _report_rules(record('Title\n\nThe council met on "Monday.'))


def _cue_unknown(tmp_path, request):
    return _report_rules(record("Title\n\nJohn Key squawked the flag would change.", [M("John Key", "person", "e1")],
                                [A("the flag would change.", "John Key squawked", source="John Key", cue="squawked")]))


def _turn_speaker_unnamed(tmp_path, request):
    text = "Biologist Nick Bos talks about ants\n\nWhy ants?\n\nAnts are clever."
    return _report_rules(record(text, [M("Nick Bos", "person", "e1", head="Nick")], doc_id="GUM_interview_ants",
                                turns=[("#Wikinews", "Why ants?"), ("#NickBos", "Ants are clever.")],
                                license=dict(LICENSE)))


TRIGGERS = {
    "IMPORT-RECORD-FIELD": _record_field,
    "IMPORT-RECORD-LICENSE": _record_license,
    "IMPORT-CONVERT": _convert,
    "IMPORT-INVALID": lambda tmp_path, request: _wikinews(request, tmp_path,
                                                          ("MEANTIME_stock_1.json", article(date="2005-02-30"))),
    "IMPORT-ID-DUPLICATE": lambda tmp_path, request: _wikinews(request, tmp_path, ("MEANTIME_stock_1.json", article()),
                                                               ("MEANTIME_stock_1_copy.json", article())),
    "IMPORT-DATA-INVALID": _data_invalid,
    "IMPORT-NO-RECORDS": _no_records,
    "IMPORT-NOTICE-MISSING": lambda tmp_path, request: _wikinews(request, tmp_path, ("MEANTIME_stock_1.json", article()),
                                                                 readme=False),
    "IMPORT-NOTICE-FROM-RECORD": lambda tmp_path, request: _gum(request, tmp_path,
                                                                _gum_folder(tmp_path, _interview(), readme=False)),
    "IMPORT-DATELINE-DEFAULT": lambda tmp_path, request: _report_rules(_interview(dateline=None)),
    "IMPORT-PATHS": _paths,
    "IMPORT-TARGET-FOREIGN": lambda tmp_path, request: _existing(
        tmp_path, request, json.dumps({"provenance": {"source": {"importer": "another-importer 1.0"}}})),
    "IMPORT-TARGET-UNREADABLE": lambda tmp_path, request: _existing(tmp_path, request, '{"id": "gum-interview-ants",'),
    "IMPORT-REVIEWED-BASE": _reviewed_base,
    "GUM-QUOTE-MARK-UNMATCHED": _unmatched_mark,
    "GUM-CUE-UNKNOWN": _cue_unknown,
    "GUM-TURN-SPEAKER-UNNAMED": _turn_speaker_unnamed,
}
