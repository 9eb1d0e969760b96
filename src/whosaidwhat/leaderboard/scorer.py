"""Scoring one system's predictions for the leaderboard: `wsw score`'s own pipeline, behind the cache."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.inventory import Inventory
from ..core.problems import Problem
from ..scoring import SubmissionError, read_submission, score_layers
from ..scoring.counts import CountTable
from ..scoring.gold import GoldSet
from ..scoring.settings import ScoreSettings
from .cache import ScoreCache, cache_key
from .mistakes import passage_mistakes
from .safe import visible

#: problem lines of a refused submission kept for the report (the total is always given)
MAX_PROBLEMS = 10


@dataclass
class Scored:
    result: dict
    counts: CountTable
    mistakes: dict
    sha256: str
    cache: str  # "hit" or "miss"
    key: str = ""  # the cache key of the score


class Refused(Exception):
    """The predictions are refused: `problem` says why; `more` lines list further submission problems."""

    def __init__(self, lines: list[str], cache: str, rule: str = "LB-SUBMISSION-INVALID"):
        super().__init__("; ".join(lines))
        self.lines = lines
        self.cache = cache
        self.problem = Problem(rule, lines[0])
        self.more = tuple(lines[1:])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _problem_lines(error: SubmissionError, folder: Path) -> list[str]:
    lines = []
    for problem in error.problems[:MAX_PROBLEMS]:
        where = problem.where if isinstance(problem.where, str) else problem.where()  # old or core problem
        prefix = str(folder) + "/"
        text = problem.line().replace(where, where.removeprefix(prefix), 1)
        lines.append(visible(text, 400))
    if error.total > len(lines):
        lines.append(f"... and {error.total - len(lines)} more problem(s)")
    return [f"the predictions fail the checks of `wsw score` ({error.total} problem(s)): {lines[0]}"] + lines[1:]


def score_entry(path: Path, folder: Path, gold: GoldSet, inventory: Inventory, settings: ScoreSettings,
                cache: ScoreCache | None) -> Scored:
    """Score (or fetch from the cache) one predictions file; Refused when it fails the submission checks."""
    sha = file_sha256(path)
    key = cache_key(sha, gold.content_sha256, gold.split, settings, inventory.version)
    hit = cache.load(key) if cache is not None else None
    if hit is not None:
        if hit.refused is not None:
            raise Refused(hit.refused, "hit")
        assert hit.result is not None and hit.counts is not None and hit.mistakes is not None
        hit.result.setdefault("submission", {})["path"] = str(path)
        return Scored(hit.result, hit.counts, hit.mistakes, sha, "hit", key)
    try:
        layers, info = read_submission(path, gold, inventory, max_problems=MAX_PROBLEMS)
    except SubmissionError as error:
        lines = _problem_lines(error, folder)
        if cache is not None and file_sha256(path) == sha:
            cache.store_refusal(key, lines)
        raise Refused(lines, "miss") from None
    if info.sha256 != sha:
        raise Refused(["the predictions file changed while it was being read; build again"], "miss", "LB-PRED-CHANGED")
    result, counts = score_layers(gold, layers, info, settings, inventory)
    mistakes = passage_mistakes(gold, layers, inventory, settings)
    if cache is not None:
        cache.store(key, result, counts, mistakes)
    return Scored(result, counts, mistakes, sha, "miss", key)
