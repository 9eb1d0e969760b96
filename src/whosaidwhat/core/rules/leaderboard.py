"""Rules of `wsw leaderboard`: submission cards, entries, the site and the Codabench bundle."""

from ..problems import ERROR, NOTE, WARNING, Rule

_S = "leaderboard"
RULES: list[Rule] = [
    Rule("LB-NO-SUBMISSIONS", ERROR, _S, "give at least one SUBMISSIONS folder (of system folders, or a system folder)", usage=True),
    # system folders
    Rule("LB-NO-CARD", NOTE, _S, "a folder without card.json is not a system folder: it is skipped"),
    Rule("LB-SYMLINK", ERROR, _S, "a system folder, card or predictions file is a symbolic link: submit plain files"),
    Rule("LB-SYSTEM-ID", ERROR, _S, "the folder name is not a valid system id (lower-case letters, digits, '.', '_', '-'; no '..')"),
    Rule("LB-SYSTEM-ID-DUPLICATE", ERROR, _S, "two system folders have the same name (system ids must be unique)"),
    # cards
    Rule("LB-CARD-MISSING", ERROR, _S, "the system folder has no card.json (schema/system-card.schema.json)"),
    Rule("LB-CARD-TOO-BIG", ERROR, _S, "card.json is larger than a card can be: it is refused unread"),
    Rule("LB-CARD-SCHEMA", ERROR, _S, "card.json does not match schema/system-card.schema.json"),
    Rule("LB-CARD-STRICT", ERROR, _S, "with --strict-cards, the fields the schema recommends are required"),
    Rule("LB-CARD-NOT-STATED", WARNING, _S, "card.json does not state a recommended field (shown as \"not stated\")"),
    Rule("LB-CARD-CLIPPED", WARNING, _S, "a free-text field of card.json is longer than the site shows: it is clipped"),
    # predictions files
    Rule("LB-PRED-SPLIT", ERROR, _S, "card.json's $.predictions names no file for the split being ranked"),
    Rule("LB-PRED-OUTSIDE", ERROR, _S, "card.json's $.predictions names a file outside the system's folder"),
    Rule("LB-PRED-NONE", ERROR, _S, "the system folder holds no predictions file for the split"),
    Rule("LB-PRED-AMBIGUOUS", ERROR, _S, "several predictions files could be for the split: name one in $.predictions"),
    Rule("LB-PRED-TOO-BIG", ERROR, _S, "the predictions file is larger than the leaderboard's limit: it is refused unread"),
    Rule("LB-PRED-CHANGED", ERROR, _S, "the predictions file changed while it was being read"),
    Rule("LB-SUBMISSION-INVALID", ERROR, _S, "the predictions fail the checks of `wsw score` (the first problems are listed)"),
    Rule("LB-SCORING-FAILED", ERROR, _S, "scoring the system failed unexpectedly: it is refused and the others are ranked"),
    Rule("LB-PRED-NO-GOLD", WARNING, _S, "the predictions predict none of the split's documents: the system is not ranked"),
    # the Codabench bundle
    Rule("LB-SPLIT-EMPTY", ERROR, _S, "a split of the gold corpus has no documents, so a Codabench phase cannot be made of it"),
    Rule("LB-BUNDLE-CHECK", ERROR, _S, "the bundle's scoring program, run on the baseline, failed or disagrees with the leaderboard"),
]
