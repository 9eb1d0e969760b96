"""Rules of scoring: the gold a score is computed against must itself be valid."""

from ..problems import ERROR, Rule

_S = "scoring"
RULES = [
    Rule("GOLD-INVALID", ERROR, _S, "the gold data breaks a document rule: nothing is scored against it (the problems are listed)"),
]
