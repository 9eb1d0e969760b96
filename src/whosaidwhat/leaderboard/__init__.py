"""The leaderboard: submissions as data, ranked with intervals and tie groups, as a static site and a Codabench bundle.

    >>> from whosaidwhat.leaderboard import build_leaderboard, build_codabench_bundle
    >>> report = build_leaderboard(["eval/submissions", "eval/baselines"], "corpus", "site")
    >>> build_codabench_bundle("corpus", "bundle.zip")

A system is a folder `<system-id>/` with a `card.json` (schema/system-card.schema.json) and its
predictions (JSONL or Parquet, the `wsw score` format). `build_leaderboard` scores every system
with `wsw score`'s pipeline (cached by submission hash, gold checksum, scorer version and
settings), ranks each track by its headline metric, groups systems that `wsw compare`'s paired
tests cannot tell apart (Holm-corrected), and writes leaderboard.json (schema/leaderboard.schema.json),
leaderboard.md and self-contained HTML pages. Submissions are untrusted: see `safe`, `cards` and
`entries` for what is escaped, clipped or refused.
"""

from __future__ import annotations

from .build import BuildReport, build_leaderboard
from .codabench import build_codabench_bundle

__all__ = ["BuildReport", "build_codabench_bundle", "build_leaderboard"]
