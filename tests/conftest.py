"""Shared test helpers: paths of the repository, fixtures and a runner for the real `wsw` CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def run_wsw(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run `wsw` as a user would (a separate process), capturing text output."""
    return subprocess.run([sys.executable, "-m", "whosaidwhat.cli", *map(str, args)], cwd=cwd or REPO,
                          env={**os.environ, **(env or {})}, input=input, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


@pytest.fixture
def wsw():
    return run_wsw
