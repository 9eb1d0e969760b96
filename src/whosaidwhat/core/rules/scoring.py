"""Rules of scoring: the gold a score is computed against must itself be valid, and `wsw score` must be called right."""

from ..problems import ERROR, Rule

_S = "scoring"
RULES = [
    Rule("GOLD-INVALID", ERROR, _S, "the gold data breaks a document rule (its id is named in the message): nothing is "
                                    "scored against it (every problem is listed)"),
    Rule("GOLD-LAYOUT", ERROR, _S, "the gold path is neither a corpus folder (splits.json, documents/) nor a release "
                                   "folder (data/documents/<split>-NNNNN-of-NNNNN.parquet), or a release file lacks "
                                   "the columns of the `documents` config"),
    Rule("GOLD-SPLIT-UNKNOWN", ERROR, _S, "the gold data has no split of that name (--split)"),
    Rule("GOLD-DOC-MISSING", ERROR, _S, "a split lists a document the gold data does not hold"),
    Rule("GOLD-DOC-UNLISTED", ERROR, _S, "a gold document is read for a split that does not list it"),
    Rule("GOLD-DOC-DUPLICATE", ERROR, _S, "a document is listed or stored twice in the gold data, or in two splits"),
    Rule("GOLD-PARQUET", ERROR, _S, "a release file of the gold data cannot be read as Parquet"),
    Rule("SCORE-OUT-WRITE", ERROR, _S, "an output of `wsw score` / `wsw compare` cannot be written (permissions, a full disk)"),
]
