"""Rules of annotation sheets, adjudication decision files and corrections, campaign status."""

from ..problems import Rule

_S = "annotation"
RULES: list[Rule] = [
]
