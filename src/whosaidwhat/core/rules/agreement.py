"""Rules of `wsw agreement`: the folders of independent annotations it compares."""

from ..problems import Rule

_S = "agreement"
RULES: list[Rule] = [
]
