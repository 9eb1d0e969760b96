"""Problems found while importing a record folder, as `core.problems.Problem`s of the `import` rules.

An import reports *every* bad record at once: the converters collect problems and raise
`ProblemError` with all of them; `refuse` makes the one error of a refused import, whose message
lists every error (one line each). Errors refuse the import (nothing is written); warnings and
notes are printed and the import goes on. The rules are the `import` table of the registry
(`whosaidwhat.core.rules.importing`), explained in annotation/GUM_IMPORT.md (a test checks that
every id is documented there).
"""

from __future__ import annotations

from ..core.problems import ERROR, NOTE, WARNING, Problem, ProblemError, cut_repr


def problem(rule: str, file: str, message: str, doc_id: str | None = None, path: str | None = None,
            found: str | None = None, expected: str | None = None) -> Problem:
    """A problem of an import: where (file, document, path in the record), what, and the rule."""
    return Problem(rule, message, file=file, doc_id=doc_id, path=path, found=found, expected=expected)


def refuse(source: str, problems: list[Problem]) -> ProblemError:
    """The error of a refused import: every error problem, the CLI printing a summary and one line per problem."""
    errors = [p for p in problems if p.is_error]
    files = sorted({p.file or "" for p in errors})
    exc = ProblemError(errors)
    exc.message = (f"{source}: {len(errors)} problem(s) in {len(files)} file(s); nothing was written:\n  "
                   + "\n  ".join(p.line() for p in errors))
    return exc


short = cut_repr  # a value for a message: repr, cut (the name the importers use)


__all__ = ["ERROR", "NOTE", "WARNING", "Problem", "ProblemError", "problem", "refuse", "short"]
