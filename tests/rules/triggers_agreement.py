"""Triggers of the `agreement` rules: the folders of independent annotations `wsw agreement` compares."""

from __future__ import annotations

import re

from whosaidwhat.core.problems import ProblemError

from ..agreement.helpers import annotation, write


def _rules(run) -> list[str]:
    try:
        run()
    except ProblemError as exc:
        return exc.rules
    return []


def _measure(folders) -> list[str]:
    from whosaidwhat.agreement import measure

    return _rules(lambda: measure(folders, resamples=0))


def _same_folder(tmp_path, request):
    from whosaidwhat.cli import main

    write(tmp_path / "A", annotation("ann-a"))
    capsys = request.getfixturevalue("capsys")
    main(["agreement", str(tmp_path / "A"), str(tmp_path / "A"), "--resamples", "0"])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _empty_folder(tmp_path, request):
    from whosaidwhat.agreement.tables import read_folder

    (tmp_path / "A").mkdir()
    return _rules(lambda: read_folder(tmp_path / "A"))


def _text_differs(tmp_path, request):
    a, b = annotation("ann-a"), annotation("ann-b")
    b["text_sha256"] = "0" * 64
    return _measure({"A": {"d": a}, "B": {"d": b}})


TRIGGERS = {
    "AGREE-SAME-FOLDER": _same_folder,
    "AGREE-FOLDER-EMPTY": _empty_folder,
    "AGREE-TOO-FEW": lambda tmp_path, request: _measure({"A": {"d": annotation("ann-a")}}),
    "AGREE-TEXT-DIFFERS": _text_differs,
    "AGREE-NOTHING-SHARED": lambda tmp_path, request: _measure({"A": {"d": annotation("ann-a")},
                                                                "B": {"e": annotation("ann-b")}}),
}
