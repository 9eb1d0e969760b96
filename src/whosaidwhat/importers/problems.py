"""Problems found while importing a record folder: one record each, with a stable rule id.

The shape follows `whosaidwhat.validation.Problem` (rule id, level, location, message, found,
expected), so that an import reports *every* bad record at once and tests can assert on rule
ids rather than on sentences. Errors refuse the import (nothing is written); warnings and notes
are printed and the import goes on. The rules are listed, with what each means, in
annotation/GUM_IMPORT.md (a test checks that every id below is documented there).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import UserError

ERROR, WARNING, NOTE = "error", "warning", "note"

#: rule id -> (level, meaning); shared by `wsw import gum` and `wsw import wikinews`
IMPORT_RULES: dict[str, tuple[str, str]] = {
    "IMPORT-RECORD-READ": (ERROR, "a record file cannot be read, is not UTF-8 or is not valid JSON"),
    "IMPORT-RECORD-FIELD": (ERROR, "a field the importer reads is missing, has the wrong type or an impossible value"),
    "IMPORT-RECORD-LICENSE": (ERROR, "the record's text license is not one the importer knows how to record"),
    "IMPORT-CONVERT": (ERROR, "the record cannot be converted (e.g. a hand correction no longer fits the record)"),
    "IMPORT-INVALID": (ERROR, "the converted document does not pass `wsw validate`"),
    "IMPORT-ID-DUPLICATE": (ERROR, "two records give the same document id"),
    "IMPORT-NOTICE-MISSING": (ERROR, "no license notice travels with a record (no README.md, no license in the record)"),
    "IMPORT-NOTICE-FROM-RECORD": (NOTE, "the folder has no README.md; each record's own license field is its notice"),
    "IMPORT-DATELINE-DEFAULT": (NOTE, "the record has no dateline (null): published is the page creation date"),
    "IMPORT-PATHS": (ERROR, "output folders that would mix or destroy inputs (documents and raw copies in one folder)"),
    "IMPORT-TARGET-FOREIGN": (ERROR, "a file the import would write was made by another import or for another source"),
    "IMPORT-TARGET-UNREADABLE": (ERROR, "an existing document cannot be read, so it is neither compared nor overwritten"),
    "IMPORT-REVIEWED-BASE": (WARNING, "a reviewed document was made on another text or raw record than the import gives"),
    "GUM-QUOTE-MARK-UNMATCHED": (WARNING, "a double quotation mark pairs with no other mark in its paragraph"),
    "GUM-CUE-UNKNOWN": (WARNING, "an attribution's cue word is in neither verb list: the attribution is dropped"),
    "GUM-TURN-SPEAKER-UNNAMED": (NOTE, "a speaker of turns is not named in the text: its turns are not quotes"),
}


@dataclass(frozen=True)
class ImportProblem:
    """One finding of an import: where (file, document, path in the record), what, and the rule."""

    rule: str
    file: str
    message: str
    doc_id: str | None = None
    path: str | None = None
    found: str | None = None
    expected: str | None = None

    @property
    def level(self) -> str:
        return IMPORT_RULES[self.rule][0]

    def line(self) -> str:
        """`file: doc_id: path: [RULE] message (found …, expected …)`, parts that are unknown left out."""
        detail = []
        if self.found is not None:
            detail.append(f"found {self.found}")
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        tail = f" ({', '.join(detail)})" if detail else ""
        where = ": ".join(part for part in (self.file, self.doc_id, self.path) if part)
        prefix = "" if self.level == ERROR else f"{self.level}: "
        return f"{where}: [{self.rule}] {prefix}{self.message}{tail}"


class RecordProblems(UserError):
    """A record that cannot be converted, with every problem found in it (not only the first)."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = list(problems)
        super().__init__("\n  ".join(p.line() for p in self.problems))


def refuse(source: str, problems: list[ImportProblem]) -> UserError:
    """One UserError listing every error: the CLI prints `wsw: error: <summary>` and one line per problem."""
    errors = [p for p in problems if p.level == ERROR]
    files = sorted({p.file for p in errors})
    return UserError(f"{source}: {len(errors)} problem(s) in {len(files)} file(s); nothing was written:\n  "
                     + "\n  ".join(p.line() for p in errors))


def short(value: object, limit: int = 60) -> str:
    """A value for a message: repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = ["ERROR", "IMPORT_RULES", "NOTE", "WARNING", "ImportProblem", "RecordProblems", "refuse", "short"]
