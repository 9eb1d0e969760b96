"""Triggers of the `files` and `usage` rules: the strict JSON reader and the command-line checks."""

from __future__ import annotations

import os
import re

from whosaidwhat.core.jsonfile import parse_json, read_json, read_json_object
from whosaidwhat.core.problems import ProblemError


def _read(path, reader=read_json) -> list[str]:
    try:
        reader(path)
    except ProblemError as exc:
        return exc.rules
    return []


def _parsed(data: bytes) -> list[str]:
    _, problem = parse_json(data, file="x.json")
    return [] if problem is None else [problem.rule]


def _fifo(tmp_path, request):
    path = tmp_path / "doc.json"
    os.mkfifo(path)
    return _read(path)


def _cli(request, *argv) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    main([str(a) for a in argv])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _unavailable_command(tmp_path, request):
    from whosaidwhat import cli

    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setitem(cli.COMMANDS, "nothing-here", ("no_such_module", "cmd", "a command whose module is missing"))
    return _cli(request, "nothing-here")


def _missing_path(tmp_path, request):
    return _cli(request, "validate", tmp_path / "no-such-folder")


def _export(tmp_path):
    export = tmp_path / "export.json"
    export.write_text("[]", encoding="utf-8")
    return export


def _output_over_input(tmp_path, request):
    """convert --out naming the folder that holds the export: replacing it would delete the export."""
    return _cli(request, "labelstudio", "convert", _export(tmp_path), "--out", tmp_path)


def _output_exists(tmp_path, request):
    """convert --out naming a folder of someone else's files."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    return _cli(request, "labelstudio", "convert", _export(tmp_path), "--out", tmp_path / "out")


TRIGGERS = {
    "FILE-READ": lambda tmp_path, request: _read(tmp_path / "missing.json"),
    "FILE-NOT-REGULAR": _fifo,
    "FILE-BINARY": lambda tmp_path, request: _parsed(b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
    "FILE-ENCODING": lambda tmp_path, request: _parsed(b'{"id": "caf\xe9"}'),
    "JSON-SYNTAX": lambda tmp_path, request: _parsed(b'{"id": "x", "mentions": ['),
    "JSON-DUPLICATE-KEY": lambda tmp_path, request: _parsed(b'{"quotes": [], "quotes": [1]}'),
    "JSON-CONSTANT": lambda tmp_path, request: _parsed(b'{"start": NaN}'),
    "JSON-NOT-OBJECT": lambda tmp_path, request: (tmp_path / "a.json").write_text("[1]") and _read(tmp_path / "a.json", read_json_object),
    "COMMAND-UNAVAILABLE": _unavailable_command,
    "PATH-MISSING": _missing_path,
    "OUT-OVERLAPS-INPUT": _output_over_input,
    "OUT-EXISTS": _output_exists,
    "OPTION-INVALID": lambda tmp_path, request: _cli(request, "rules", "--stage", "no-such-stage"),
}
