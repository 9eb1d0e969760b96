"""Rules only a submission (predictions for gold documents) can break; the rest are document rules."""

from ..problems import ERROR, Rule

_S = "submission"
RULES = [
    Rule("SUB-FILE", ERROR, _S, "the submission file cannot be read as JSONL (.jsonl) or Parquet (.parquet)"),
    Rule("SUB-EMPTY", ERROR, _S, "the submission predicts no document (give --allow-empty to score an empty submission)"),
    Rule("SUB-DOC-UNKNOWN", ERROR, _S, "the document id is not in the gold data"),
    Rule("SUB-TEXT-HASH", ERROR, _S, "text_sha256 differs from the gold document's (predictions made on another text)"),
]
