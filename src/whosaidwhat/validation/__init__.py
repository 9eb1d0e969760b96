"""Validation of canonical documents (and, in submission mode, of predictions): one rule engine.

* `schemas`: shape from the JSON Schemas (ECMA-262 pattern semantics);
* `checker`: every other rule, in document mode or submission mode;
* `relations`: the relation rules of schema/labels.json;
* `text`: grapheme clusters (UAX #29) and word boundaries for the span warnings;
* `reading`: files and folders in, strictly parsed documents out;
* `run`: one document, one file, many files merged in order (local and Dask engines alike).

Problems are `whosaidwhat.core.problems.Problem`; rule ids, severities and meanings are in the
registry (`whosaidwhat.core.rules`, `wsw rules`, schema/RULES.md).
"""

from __future__ import annotations

from ..core.problems import ERROR, WARNING, Problem
from ..core.rules import REGISTRY
from .checker import Checker
from .reading import NOT_PARSED, DocumentRead, iter_documents, iter_input_files, read_documents
from .run import DocumentResult, Merge, ValidationSummary, check_file, validate_document, validate_paths

#: rule id -> (severity, meaning) of the rules document validation reports (from the registry)
RULES: dict[str, tuple[str, str]] = {
    rule.id: (rule.severity, rule.meaning) for rule in REGISTRY.values()
    if rule.stage == "document" or rule.id in ("FILE-READ", "FILE-NOT-REGULAR", "FILE-BINARY", "FILE-ENCODING",
                                               "JSON-SYNTAX", "JSON-DUPLICATE-KEY", "JSON-CONSTANT")
}


__all__ = ["ERROR", "NOT_PARSED", "RULES", "WARNING", "Checker", "DocumentRead", "DocumentResult", "Merge", "Problem",
           "ValidationSummary", "check_file", "iter_documents", "iter_input_files", "read_documents",
           "validate_document", "validate_paths"]
