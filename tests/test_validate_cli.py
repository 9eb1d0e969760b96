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
