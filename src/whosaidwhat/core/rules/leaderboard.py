"""Rules of `wsw leaderboard`: submission cards, entries, the site and the Codabench bundle."""

from ..problems import Rule

_S = "leaderboard"
RULES: list[Rule] = [
]
