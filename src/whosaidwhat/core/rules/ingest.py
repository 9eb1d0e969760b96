"""Rules of `wsw ingest`: turning a raw text or HTML article into a canonical document."""

from ..problems import Rule

_S = "ingest"
RULES: list[Rule] = [
]
