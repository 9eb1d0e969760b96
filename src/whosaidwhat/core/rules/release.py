"""Rules of `wsw release`: building, verifying and rehydrating a dataset release."""

from ..problems import Rule

_S = "release"
RULES: list[Rule] = [
]
