"""`wsw validate` as a user meets it: exit codes, one line per problem, no traceback."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import FIXTURES, REPO

CORRUPTIONS = ["SPAN-TEXT", "LABEL-UNKNOWN", "TEXT-HASH", "REF-DANGLING", "JSON-SYNTAX"]


def test_the_bundled_corpus_is_valid(wsw):
    result = wsw("validate", REPO / "corpus")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK:" in result.stderr


@pytest.mark.parametrize("rule", CORRUPTIONS)
def test_a_corrupted_copy_exits_1_with_a_line_naming_file_document_field_and_rule(wsw, tmp_path, rule):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "valid", corpus)
    broken = next((FIXTURES / "invalid" / rule).iterdir())
    shutil.copy(broken, corpus / broken.name)
    result = wsw("validate", corpus)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if f"[{rule}]" in line]
    assert len(lines) == 1
    file_part, doc_part, path_part, _ = lines[0].split(": ", 3)
    assert file_part == str(corpus / broken.name)
    assert doc_part.startswith("mini-unicode")
    assert path_part.startswith("$")


def test_json_format_is_machine_readable(wsw):
    result = wsw("validate", FIXTURES / "invalid" / "SPAN-RANGE", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1 and report["documents"] == 1
    assert report["problems"][0]["rule"] == "SPAN-RANGE"
    assert report["problems"][0]["level"] == "error"


def test_max_errors_stops_early(wsw):
    result = wsw("validate", FIXTURES / "invalid", "--max-errors", "2", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["truncated"] is True
    assert sum(1 for p in report["problems"] if p["level"] == "error") == 2


def test_warnings_alone_pass_unless_strict(wsw):
    assert wsw("validate", FIXTURES / "invalid" / "SPAN-WHITESPACE").returncode == 0
    assert wsw("validate", FIXTURES / "invalid" / "SPAN-WHITESPACE", "--strict").returncode == 1


def test_usage_errors_exit_2_without_traceback(wsw, tmp_path):
    missing = wsw("validate", tmp_path / "nope")
    empty = wsw("validate", tmp_path)
    for result in (missing, empty):
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("wsw: error:")


def _leaf_commands():
    """Every runnable `wsw` command path, subcommands of groups included."""
    import click

    from whosaidwhat.cli import COMMANDS, cli

    ctx = click.Context(cli)
    paths = []

    def walk(command, path):
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), path + [name])
        else:
            paths.append(path)

    for name in COMMANDS:
        walk(cli.get_command(ctx, name), [name])
    return paths


def test_wsw_help_lists_every_command(wsw):
    from whosaidwhat.cli import COMMANDS

    listing = wsw("--help")
    assert listing.returncode == 0
    for command in COMMANDS:
        assert command in listing.stdout
        assert "not available" not in listing.stdout


@pytest.mark.parametrize("path", _leaf_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    from click.testing import CliRunner

    from whosaidwhat.cli import cli

    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and f"wsw {' '.join(path)}" in result.output


def test_stats_names_a_document_listed_in_two_splits(wsw, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "valid", corpus / "documents")
    (corpus / "splits.json").write_text(json.dumps({"version": "1", "splits": {"train": ["mini-unicode"], "test": ["mini-unicode"]}}))
    result = wsw("stats", corpus)
    assert result.returncode == 1 and "mini-unicode" in result.stderr and "splits.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_stats_on_a_truncated_document_is_one_clear_line(wsw, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    (corpus / "documents" / "x.json").write_text('{"id": "x", "te', encoding="utf-8")
    result = wsw("stats", corpus)
    assert result.returncode == 1 and "x.json" in result.stderr and "Traceback" not in result.stderr


def test_a_dangling_link_is_reported_and_the_other_files_are_still_checked(wsw, tmp_path):
    shutil.copytree(FIXTURES / "valid", tmp_path / "docs")
    (tmp_path / "docs" / "gone.json").symlink_to(tmp_path / "nowhere.json")
    result = wsw("validate", tmp_path / "docs")
    assert result.returncode == 1 and "[FILE-READ]" in result.stdout
    assert "2 file(s)" in result.stderr and "1 document(s)" in result.stderr


# -- issue 10: what a hostile or careless user finds ---------------------------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

VALID_DOC = FIXTURES / "valid" / "mini-unicode.json"


def _valid() -> dict:
    return json.loads(VALID_DOC.read_text(encoding="utf-8"))


def _problem_lines(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if "[" in line]


def test_a_fifo_named_json_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "doc.json"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "whosaidwhat.cli", "validate", str(tmp_path)], capture_output=True,
                            text=True, timeout=60)  # before: blocked forever opening the FIFO
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = _problem_lines(result)
    assert line.startswith(f"{fifo}: ") and "[FILE-NOT-REGULAR]" in line


def test_a_document_id_with_a_lone_surrogate_escape_is_one_clear_line(wsw, tmp_path):
    text = VALID_DOC.read_text(encoding="utf-8").replace('"id": "mini-unicode"', '"id": "mini-\\udc80unicode"', 1)
    (tmp_path / "mini-unicode.json").write_text(text, encoding="utf-8")
    result = wsw("validate", tmp_path, env={"PYTHONIOENCODING": "utf-8:strict"})
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    (line,) = _problem_lines(result)
    assert "$.id: [FILE-ENCODING]" in line and "U+DC80" in line


def test_a_key_given_twice_in_a_document_is_an_error_not_the_last_one_wins(wsw, tmp_path):
    text = VALID_DOC.read_text(encoding="utf-8").replace('"quotes": [', '"quotes": [], "quotes": [', 1)
    (tmp_path / "mini-unicode.json").write_text(text, encoding="utf-8")
    result = wsw("validate", tmp_path)
    assert result.returncode == 1
    (line,) = _problem_lines(result)
    assert "[JSON-DUPLICATE-KEY]" in line and "quotes" in line


def test_a_nan_in_a_document_names_its_line_and_path(wsw, tmp_path):
    text = json.dumps(_valid(), ensure_ascii=False, indent=1).replace('"check_worthy": true', '"check_worthy": NaN', 1)
    number = text[:text.index("NaN")].count("\n") + 1
    path = tmp_path / "mini-unicode.json"
    path.write_text(text, encoding="utf-8")
    result = wsw("validate", tmp_path)
    (line,) = _problem_lines(result)
    assert line.startswith(f"{path}:{number}: mini-unicode: $.claims[0].check_worthy: [JSON-CONSTANT] ")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("\n" + json.dumps(_valid()).replace('"check_worthy": true', '"check_worthy": NaN', 1) + "\n")
    path.unlink()
    (line,) = _problem_lines(wsw("validate", jsonl))
    assert line.startswith(f"{jsonl}:2: mini-unicode: $.claims[0].check_worthy: [JSON-CONSTANT] ")


def test_a_missing_speaker_is_one_problem(wsw, tmp_path):
    doc = _valid()
    del doc["quotes"][0]["speaker"]
    (tmp_path / "mini-unicode.json").write_text(json.dumps(doc), encoding="utf-8")
    (line,) = _problem_lines(wsw("validate", tmp_path))
    assert ": mini-unicode: $.quotes[0].speaker: [SCHEMA] " in line


def test_a_million_character_id_is_cut_in_every_message(wsw, tmp_path):
    doc = _valid()
    doc["id"] = "a" * 10**6
    doc["mentions"][0]["id"] = "m" * 10**6
    (tmp_path / "mini-unicode.json").write_text(json.dumps(doc), encoding="utf-8")
    result = wsw("validate", tmp_path, "--format", "text")
    lines = _problem_lines(result)
    assert result.returncode == 1 and {"[SCHEMA]", "[FILE-NAME]"} <= {w for line in lines for w in line.split() if w[:1] == "["}
    assert all(len(line) < 1500 for line in lines), max(map(len, lines))
    data = json.loads(wsw("validate", tmp_path, "--format", "json").stdout)
    assert all(len(json.dumps(p)) < 2000 for p in data["problems"])


def test_an_id_ending_in_a_newline_is_refused_as_the_schema_says(tmp_path):
    from whosaidwhat.validation import validate_document

    doc = _valid()
    doc["id"] = "mini-unicode\n"
    doc["mentions"][0]["id"] = "m1\n"
    problems = validate_document(doc, "x.json")
    assert sorted((p.rule, p.path) for p in problems) == [("SCHEMA", "$.id"), ("SCHEMA", "$.mentions[0].id")]
    assert all("\n" not in p.line() for p in problems)


def test_the_dask_shard_task_and_merge_give_the_local_problems_in_the_local_order(tmp_path):
    """`engine.validate` runs `check_file` in tasks and `Merge` on the client: the same code as the local engine."""
    from whosaidwhat.engine.paths import FileRef
    from whosaidwhat.engine.validate import validate_shard
    from whosaidwhat.validation import Merge, ValidationSummary, iter_input_files, validate_paths

    corpus = tmp_path / "docs"
    shutil.copytree(FIXTURES / "invalid", corpus, symlinks=True)
    line = json.dumps(_valid())
    (corpus / "dup.jsonl").write_text(line + "\n" + line + "\n")
    files = list(iter_input_files([corpus]))
    local = list(validate_paths(files, max_errors=12))
    from whosaidwhat import __version__

    merge, remote = Merge(12), []
    for result in validate_shard(tuple(FileRef.of(f) for f in files), __version__):
        merge.summary.files += 1
        for document in result.documents:
            remote.extend(merge.add(document))
            if merge.stopped:
                break
        if merge.stopped:
            break
    remote.append(merge.summary)
    assert [p.as_dict() if not isinstance(p, ValidationSummary) else p for p in remote] == \
        [p.as_dict() if not isinstance(p, ValidationSummary) else p for p in local]
