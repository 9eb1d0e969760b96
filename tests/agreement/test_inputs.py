"""What `wsw agreement` and `wsw adjudicate` read: only documents that pass `wsw validate`, named <id>.json.

A document the validator rejects (a dangling reference, a null speaker, no fragment, a string or huge
offset, a reversed span, a missing layer) used to end in a traceback, a MemoryError or a silently wrong
figure. Now any error refuses the run: one `wsw: error:` line, then every problem (file, document id,
JSON path, rule), exit 1, and nothing written.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from whosaidwhat.agreement.tables import read_folder
from whosaidwhat.core.document import dumps
from whosaidwhat.core.problems import ProblemError

from .helpers import annotation, write


def setm(doc: dict, path: list, value) -> None:
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


BROKEN = [
    ("dangling mention entity", lambda d: setm(d, ["mentions", 0, "entity"], "e99"), "$.mentions[0].entity", "REF-DANGLING"),
    ("dangling speaker", lambda d: setm(d, ["quotes", 0, "speaker"], {"kind": "mention", "mention": "m99"}),
     "$.quotes[0].speaker.mention", "REF-DANGLING"),
    ("dangling claim link", lambda d: setm(d, ["claims", 1, "quote"], "q99"), "$.claims[1].quote", "REF-DANGLING"),
    ("speaker null", lambda d: setm(d, ["quotes", 0, "speaker"], None), "$.quotes[0].speaker", "SCHEMA"),
    ("no fragment", lambda d: setm(d, ["quotes", 0, "fragments"], []), "$.quotes[0].fragments", "SCHEMA"),
    ("string offset", lambda d: setm(d, ["claims", 0, "fragments", 0, "start"], "5"), "$.claims[0].fragments[0].start",
     "SPAN-OFFSET-TYPE"),
    ("float offset", lambda d: setm(d, ["claims", 0, "fragments", 0, "start"], 0.0), "$.claims[0].fragments[0].start",
     "SPAN-OFFSET-TYPE"),
    ("huge offset", lambda d: setm(d, ["claims", 0, "fragments", 0, "end"], 10**10), "$.claims[0].fragments[0]",
     "SPAN-RANGE"),
    ("reversed span", lambda d: setm(d, ["claims", 0, "fragments", 0], {"start": 50, "end": 10, "text": ""}),
     "$.claims[0].fragments[0]", "SPAN-EMPTY"),
    ("missing layer", lambda d: d.pop("claims"), "$.claims", "SCHEMA"),
    ("missing layer record", lambda d: d["provenance"]["layers"].pop("quotes"), "$.provenance.layers.quotes", "SCHEMA"),
    ("quotes not a list", lambda d: setm(d, ["quotes"], {}), "$.quotes", "SCHEMA"),
    ("id a list", lambda d: setm(d, ["id"], ["ford-jobs"]), "$.id", "SCHEMA"),
]


def folders(tmp_path, change=None):
    a, b = annotation("ann-a"), annotation("ann-b")
    if change is not None:
        b = copy.deepcopy(b)
        change(b)
    write(tmp_path / "A", a)
    (tmp_path / "B").mkdir()
    (tmp_path / "B" / "ford-jobs.json").write_text(dumps(b), encoding="utf-8")
    return tmp_path / "A", tmp_path / "B"


def problem_lines(result):
    """The problem lines of a refused run: each `wsw: error: <problem>` line (or an indented problem line under a
    `wsw: error:` header), without the prefix."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("wsw: error: ")
    return [line.strip().removeprefix("wsw: error: ") for line in lines]


@pytest.mark.parametrize("name, change, path, rule", BROKEN, ids=[case[0] for case in BROKEN])
def test_agreement_refuses_a_document_that_does_not_validate(wsw, tmp_path, name, change, path, rule):
    a, b = folders(tmp_path, change)
    lines = problem_lines(wsw("agreement", a, b, "--resamples", "10"))
    assert any(line.startswith(f"{b / 'ford-jobs.json'}: ") and f": {path}: [{rule}]" in line for line in lines), lines


@pytest.mark.parametrize("name, change, path, rule", BROKEN[:3] + BROKEN[7:9], ids=[c[0] for c in BROKEN[:3] + BROKEN[7:9]])
def test_adjudicate_refuses_a_document_that_does_not_validate_and_writes_nothing(wsw, tmp_path, name, change, path, rule):
    a, b = folders(tmp_path, change)
    result = wsw("adjudicate", a, b, "--out", tmp_path / "dec")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{b / 'ford-jobs.json'}: ford-jobs: {path}: [{rule}]" in result.stderr, result.stderr
    assert not (tmp_path / "dec").exists()


def test_every_problem_of_every_document_is_listed(tmp_path):
    doc = annotation("ann-a")
    doc["mentions"][0]["entity"] = "e99"
    doc["claims"][0]["fragments"][0]["end"] = 10**10
    write(tmp_path / "A", doc)
    other = annotation("ann-a")
    other["id"] = "second"
    other["quotes"][0]["speaker"] = None
    write(tmp_path / "A", other)
    with pytest.raises(ProblemError) as caught:
        read_folder(tmp_path / "A")
    found = sorted((Path(p.file).name, p.path, p.rule) for p in caught.value.problems)
    assert found == [("ford-jobs.json", "$.claims[0].fragments[0]", "SPAN-RANGE"),
                     ("ford-jobs.json", "$.mentions[0].entity", "REF-DANGLING"),
                     ("second.json", "$.quotes[0].speaker", "SCHEMA")]
    assert caught.value.exit_code == 1


def test_a_file_not_named_after_its_document_is_refused(wsw, tmp_path):
    a, b = folders(tmp_path)
    (a / "ford-jobs.json").rename(a / "renamed.json")
    for args in (("agreement", a, b, "--resamples", "10"), ("adjudicate", a, b, "--out", tmp_path / "dec")):
        lines = problem_lines(wsw(*args))
        assert lines == [l for l in lines if l.startswith(f"{a / 'renamed.json'}: ford-jobs: $.id: [FILE-NAME]")] and lines
    assert not (tmp_path / "dec").exists()


def test_unreadable_json_is_listed_with_the_other_problems(tmp_path):
    doc = annotation("ann-a")
    doc["mentions"][0]["entity"] = "e99"
    write(tmp_path / "A", doc)
    (tmp_path / "A" / "cut.json").write_text('{"id": ', encoding="utf-8")
    with pytest.raises(ProblemError) as caught:
        read_folder(tmp_path / "A")
    problems = caught.value.problems
    assert caught.value.total == 2 and [p.rule for p in problems] == ["JSON-SYNTAX", "REF-DANGLING"]
    assert (problems[0].file, problems[0].doc_id) == (str(tmp_path / "A" / "cut.json"), "cut (from the file name)")


@pytest.mark.parametrize("content, rule", [(b"[1, 2]", "SCHEMA"), (b"\xff", "FILE-ENCODING"),
                                           (b'{"id": 1, "id": 2}', "JSON-DUPLICATE-KEY"), (b"null", "SCHEMA")])
def test_files_that_are_not_document_objects_are_problems(tmp_path, content, rule):
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "x.json").write_bytes(content)
    with pytest.raises(ProblemError) as caught:
        read_folder(tmp_path / "A")
    assert [(p.file, p.rule) for p in caught.value.problems] == [(str(tmp_path / "A" / "x.json"), rule)]


def test_valid_documents_with_warnings_are_read(tmp_path):
    doc = annotation("ann-a")
    doc["entities"].append({"id": "e9", "type": "PER", "name": "Nobody", "kb_id": None})  # ENTITY-UNUSED: a warning
    write(tmp_path / "A", doc)
    assert list(read_folder(tmp_path / "A")) == ["ford-jobs"]


def test_missing_and_empty_folders_stay_usage_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    for folder, rule in ((tmp_path / "missing", "PATH-MISSING"), (tmp_path / "empty", "AGREE-FOLDER-EMPTY")):
        with pytest.raises(ProblemError) as caught:
            read_folder(folder)
        assert caught.value.exit_code == 2 and caught.value.rules == [rule]


def test_a_negative_seed_is_a_usage_error(wsw, tmp_path):
    a, b = folders(tmp_path)
    result = wsw("agreement", a, b, "--seed", "-1", "--resamples", "10")
    assert result.returncode == 2 and "--seed" in result.stderr and "Traceback" not in result.stderr
    assert wsw("agreement", a, b, "--seed", "0", "--resamples", "10").returncode == 0


def test_negative_resamples_and_a_min_iou_out_of_range_are_usage_errors(wsw, tmp_path):
    a, b = folders(tmp_path)
    for option, value in (("--resamples", "-5"), ("--min-iou", "0"), ("--min-iou", "1.5")):
        result = wsw("agreement", a, b, option, value)
        assert result.returncode == 2 and option in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_the_same_folder_given_twice_is_refused(wsw, tmp_path):
    a, b = folders(tmp_path)
    for args in ((a, a), (a, b, tmp_path / "A" / ".." / "A")):
        result = wsw("agreement", *args, "--resamples", "10")
        assert result.returncode == 2 and "[AGREE-SAME-FOLDER]" in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_one_folder_is_too_few(wsw, tmp_path):
    a, _ = folders(tmp_path)
    result = wsw("agreement", a)
    assert result.returncode == 2 and "[AGREE-TOO-FEW]" in result.stderr


def test_the_problems_of_every_folder_are_listed_together(wsw, tmp_path):
    a, b = folders(tmp_path, lambda d: setm(d, ["mentions", 0, "entity"], "e99"))
    doc = annotation("ann-a")
    doc["claims"][0]["fragments"][0]["end"] = 10**10
    write(a, doc)
    lines = problem_lines(wsw("agreement", a, b, "--resamples", "10"))
    assert [line.split(": ")[0] for line in lines] == [str(a / "ford-jobs.json"), str(b / "ford-jobs.json")], lines
