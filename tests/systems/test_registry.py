"""Systems are found through entry points: a package outside the repository adds one without touching it.

The fixture package is written to a temporary folder with its own `.dist-info` (METADATA and
entry_points.txt), exactly what pip leaves in site-packages, and put on PYTHONPATH of a real `wsw`
process: `importlib.metadata` finds it like any installed distribution.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_wsw

ECHO_SYSTEM = '''
"""A third-party system for the tests: one PER mention over the first capitalised word."""
import re


class EchoSystem:
    name = "echo-fixture"
    version = "9.9.9"
    kind = "zero-shot"
    description = "fixture: first capitalised word as a person"

    def __init__(self, label="PER"):
        self.label = label

    def predict(self, document):
        m = re.search(r"[A-Z][a-z]+", document["text"])
        mentions = [{"id": "m1", "start": m.start(), "end": m.end(), "type": self.label}] if m else []
        return {"id": document["id"], "mentions": mentions}


class BrokenSystem(EchoSystem):
    name = "broken-fixture"

    def predict(self, document):
        return {"id": document["id"], "mentions": [{"id": "m1", "start": 5, "end": 2, "type": "PER"}]}
'''


def install_fixture_package(root: Path) -> dict:
    """A distribution `wsw-echo-fixture` declaring two systems; returns the env that makes it importable."""
    (root / "wsw_echo_fixture").mkdir(parents=True)
    (root / "wsw_echo_fixture" / "__init__.py").write_text(textwrap.dedent(ECHO_SYSTEM), encoding="utf-8")
    dist = root / "wsw_echo_fixture-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: wsw-echo-fixture\nVersion: 0.1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[whosaidwhat.systems]\necho-fixture = wsw_echo_fixture:EchoSystem\nbroken-fixture = wsw_echo_fixture:BrokenSystem\n",
        encoding="utf-8")
    (dist / "RECORD").write_text("", encoding="utf-8")
    return {"PYTHONPATH": str(root)}


@pytest.fixture
def fixture_env(tmp_path) -> dict:
    return install_fixture_package(tmp_path / "site")


def test_the_built_in_systems_are_listed(wsw):
    result = wsw("predict", "--list", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = {e["name"]: e for e in json.loads(result.stdout)}
    assert listed["rules"]["kind"] == "rules" and listed["rules"]["problem"] is None
    assert listed["trained"]["kind"] == "trained" and listed["trained"]["distribution"].startswith("whosaidwhat ")


def test_an_installed_package_outside_the_repository_shows_up_and_runs(fixture_env, tmp_path):
    listing = run_wsw("predict", "--list", env=fixture_env)
    assert listing.returncode == 0, listing.stderr
    line = next(l for l in listing.stdout.splitlines() if l.startswith("echo-fixture"))
    assert "9.9.9" in line and "zero-shot" in line and "wsw-echo-fixture 0.1.0" in line

    out = tmp_path / "pred.jsonl"
    result = run_wsw("predict", "--system", "echo-fixture", "--option", "label=ORG", FIXTURES / "valid",
                     "--out", out, env=fixture_env)
    assert result.returncode == 0, result.stderr
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["id"] == "mini-unicode" and line["mentions"][0]["type"] == "ORG"


def test_a_system_returning_an_invalid_line_stops_the_run_and_writes_nothing(fixture_env, tmp_path):
    out = tmp_path / "pred.jsonl"
    result = run_wsw("predict", "--system", "broken-fixture", FIXTURES / "valid", "--out", out, env=fixture_env)
    assert result.returncode == 1
    assert result.stderr.count("wsw: error:") == 1 and "[SYS-LINE]" in result.stderr and "SPAN-EMPTY" in result.stderr
    assert "broken-fixture" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and list(tmp_path.glob(".pred.jsonl.*")) == []


def test_an_option_the_system_does_not_take_is_a_usage_error(fixture_env, tmp_path):
    result = run_wsw("predict", "--system", "echo-fixture", "--option", "colour=red", FIXTURES / "valid",
                     "--out", tmp_path / "p.jsonl", env=fixture_env)
    assert result.returncode == 2 and "[SYS-OPTION]" in result.stderr and "colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_system_goes_through_importlib_metadata(monkeypatch, tmp_path):
    import importlib
    import sys

    env = install_fixture_package(tmp_path / "site")
    monkeypatch.syspath_prepend(env["PYTHONPATH"])
    importlib.invalidate_caches()
    from whosaidwhat.systems.registry import installed_systems, load_system

    assert "echo-fixture" in [e.name for e in installed_systems()]
    system = load_system("echo-fixture")
    assert system.version == "9.9.9" and system.predict({"id": "x", "text": "hello World"})["mentions"][0]["start"] == 6
    sys.modules.pop("wsw_echo_fixture", None)
