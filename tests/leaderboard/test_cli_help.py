"""Every `wsw leaderboard` command has --help with an Examples section that runs the command."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from whosaidwhat.cli import cli


def _paths():
    group = cli.get_command(click.Context(cli), "leaderboard")
    return [["leaderboard"]] + [["leaderboard", name] for name in group.list_commands(click.Context(group))]


@pytest.mark.parametrize("path", _paths(), ids=" ".join)
def test_help_has_examples(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    examples = result.output.split("Examples:", 1)
    assert len(examples) == 2, result.output
    assert f"wsw {' '.join(path)}" in examples[1] or (len(path) == 1 and "wsw leaderboard build" in examples[1])


def test_the_leaderboard_group_has_build_and_codabench():
    assert [p[-1] for p in _paths()[1:]] == ["build", "codabench"]
