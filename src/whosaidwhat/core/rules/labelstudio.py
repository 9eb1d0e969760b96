"""Rules of Label Studio: the server, push, pull and convert (exports and tasks)."""

from ..problems import Rule

_S = "labelstudio"
RULES: list[Rule] = [
]
