"""Triggers of the `ingest` rules: `wsw ingest` run in-process on the smallest bad raw article."""

from __future__ import annotations

import json
import re

from whosaidwhat.ingest import IngestError, build_document, decode_raw

UNKNOWN = {"id": "LicenseRef-unknown", "redistributable": False, "attribution": "", "url": None}


def _cli(request, *argv) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    capsys.readouterr()
    main([str(a) for a in argv])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _raw(folder, name="a.txt", body="Title\n\nBody."):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def _library(call) -> list[str]:
    try:
        call()
    except IngestError as exc:
        return [exc.problem.rule]
    return []


def _raw_changed(tmp_path, request):
    corpus = tmp_path / "corpus"
    assert _cli(request, "ingest", _raw(tmp_path / "a", "story.txt"), "--corpus", corpus) == []
    return _cli(request, "ingest", _raw(tmp_path / "b", "story.txt", "Other\n\nText."), "--corpus", corpus)


def _text_changed(tmp_path, request):
    corpus = tmp_path / "corpus"
    assert _cli(request, "ingest", _raw(tmp_path), "--corpus", corpus) == []
    target = corpus / "documents" / "a.json"
    doc = json.loads(target.read_text(encoding="utf-8"))
    doc["provenance"]["layers"]["mentions"]["status"] = "draft"  # annotated
    doc["provenance"]["source"]["raw_sha256"] = None  # no record of the raw file
    target.write_text(json.dumps(doc), encoding="utf-8")
    return _cli(request, "ingest", _raw(tmp_path, body="Title\n\nAnother body."), "--corpus", corpus)


TRIGGERS = {
    "INGEST-NO-ID": lambda tmp_path, request: _cli(request, "ingest", _raw(tmp_path, "\u65b0\u95fb.txt"),
                                                   "--corpus", tmp_path / "corpus"),
    "INGEST-ID-INVALID": lambda tmp_path, request: _cli(request, "ingest", _raw(tmp_path), "--id", "Not Safe",
                                                        "--corpus", tmp_path / "corpus"),
    "INGEST-LICENSE-UNDECIDED": lambda tmp_path, request: _cli(request, "ingest", _raw(tmp_path), "--license", "CC-BY-4.0",
                                                               "--corpus", tmp_path / "corpus"),
    "INGEST-NOT-UTF8": lambda tmp_path, request: _library(lambda: decode_raw(b"Caf\xe9", "a.txt")),
    "INGEST-NO-TEXT": lambda tmp_path, request: _library(lambda: build_document(
        "Read more:\n\nOther story", doc_id="x", metadata={"license": UNKNOWN}, raw_file=None, raw_sha256=None)),
    "INGEST-RAW-CHANGED": _raw_changed,
    "INGEST-TEXT-CHANGED": _text_changed,
}
