"""The rule registry: every rule id any checker reports, with its severity, stage and meaning.

Each stage's rules are a table in a module of this package (`files`, `document`, `submission`,
...); this module gathers them into `REGISTRY` and refuses an id registered twice. The table
users read (`wsw rules`, schema/RULES.md) is generated from it.
"""

from __future__ import annotations

from ..problems import ERROR, NOTE, WARNING, Rule
from . import agreement, annotation, document, files, importing, ingest, labelstudio, leaderboard, predict, release, scoring, submission, usage

#: the stages in the order the pipeline runs them (and the table lists them)
TABLES: tuple[tuple[str, list[Rule]], ...] = (
    ("files", files.RULES),
    ("usage", usage.RULES),
    ("document", document.RULES),
    ("ingest", ingest.RULES),
    ("import", importing.RULES),
    ("annotation", annotation.RULES),
    ("labelstudio", labelstudio.RULES),
    ("agreement", agreement.RULES),
    ("release", release.RULES),
    ("predict", predict.RULES),
    ("submission", submission.RULES),
    ("scoring", scoring.RULES),
    ("leaderboard", leaderboard.RULES),
)


def _gather() -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for stage, rules in TABLES:
        for rule in rules:
            if rule.id in registry:
                raise RuntimeError(f"rule {rule.id} is registered twice ({registry[rule.id].stage} and {stage})")
            if rule.stage != stage:
                raise RuntimeError(f"rule {rule.id} says stage {rule.stage!r} but sits in the {stage!r} table")
            registry[rule.id] = rule
    return registry


REGISTRY: dict[str, Rule] = _gather()

__all__ = ["ERROR", "NOTE", "REGISTRY", "TABLES", "WARNING", "Rule"]
