"""Fixtures shared by the leaderboard tests: small synthetic gold, ordinary systems, a hostile site."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from whosaidwhat.leaderboard import build_leaderboard
from whosaidwhat.scoring.settings import ScoreSettings

from .helpers import (
    card,
    make_gold,
    make_good,
    make_hostile,
    noisy_lines,
    perfect_lines,
    write_system,
)

#: fewer resamples than the official 1,000 keep the tests quick; the method is the same
SETTINGS = ScoreSettings(resamples=200)


@pytest.fixture(scope="session")
def gold(tmp_path_factory):
    root = tmp_path_factory.mktemp("gold")
    path, docs = make_gold(root / "corpus")
    return SimpleNamespace(path=path, docs=docs, test=docs[:40], validation=docs[40:])


@pytest.fixture(scope="session")
def board(gold, tmp_path_factory):
    """Ordinary systems: a perfect one, two noisy ones, identical twins, an NER-only Parquet one."""
    root = tmp_path_factory.mktemp("board")
    subs = root / "submissions"
    write_system(subs, "perfect", card("Perfect", kind="trained", saw_test_texts=True), perfect_lines(gold.docs))
    write_system(subs, "noisy-a", card("Noisy A"), noisy_lines(gold.docs, 1))
    write_system(subs, "noisy-b", card("Noisy B", kind="zero-shot", saw_test_texts=..., team=...), noisy_lines(gold.docs, 2))
    twin = noisy_lines(gold.docs, 3)
    write_system(subs, "twin-a", card("Twin A"), twin)
    write_system(subs, "twin-b", card("Twin B"), twin)
    write_system(subs, "ner-only", card("NER only", kind="fine-tuned"), noisy_lines(gold.docs, 4, ("entities", "mentions")),
                 "test.parquet")
    logs: list = []
    report = build_leaderboard([subs], gold.path, root / "site", SETTINGS, log=lambda k, m: logs.append((k, m)))
    return SimpleNamespace(root=root, subs=subs, site=root / "site", report=report, lb=report.leaderboard, logs=logs)


@pytest.fixture(scope="session")
def hostile(gold, tmp_path_factory):
    """Two ordinary systems among sixteen hostile folders, built into one site."""
    root = tmp_path_factory.mktemp("hostile")
    subs = root / "submissions"
    make_good(subs, gold.docs)
    expect = make_hostile(subs, gold.docs)
    logs: list = []
    report = build_leaderboard([subs], gold.path, root / "site", SETTINGS, log=lambda k, m: logs.append((k, m)))
    return SimpleNamespace(root=root, subs=subs, site=root / "site", report=report, lb=report.leaderboard,
                           expect=expect, logs=logs)
