"""Rules of `wsw predict` and `wsw train`: systems, their inputs and outputs, the Dask engine."""

from ..problems import Rule

_S = "predict"
RULES: list[Rule] = [
]
