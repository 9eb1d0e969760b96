"""Gold is checked where the scorer reads it, with the document rules, and refused with the problem list.

Every problem is a `GOLD-INVALID` problem at the document rule's location (file, document id,
JSON path), naming the document rule it breaks (`extra["rule"]`, and in the message), so a user
reads `corpus/documents/x.json: x: $.quotes[0].fragments[0]: [GOLD-INVALID] gold breaks rule
SPAN-EMPTY: ...`. A corpus document is checked with `validation.validate_document` (the rules of
`wsw validate`); a release, read column by column, with the same span, label and reference rules
vectorised (`arrow_layers`).
"""

from __future__ import annotations

from ..core.inventory import Inventory
from ..core.problems import Problem, ProblemError

#: problems listed when gold is refused (all are counted)
MAX_LISTED = 200


def _is_error(problem: object) -> bool:
    flag = getattr(problem, "is_error", None)
    return bool(flag) if isinstance(flag, bool) else getattr(problem, "level", "error") == "error"


def gold_problem(rule: str, message: str, file: str | None, doc_id: str | None, path: str | None,
                 found: str | None = None, expected: str | None = None) -> Problem:
    """The GOLD-INVALID problem for gold that breaks document rule `rule` at (file, doc_id, path)."""
    return Problem("GOLD-INVALID", f"gold breaks rule {rule}: {message}", file=file, doc_id=doc_id, path=path,
                   found=found, expected=expected, extra={"rule": rule})


def as_gold_problem(problem: object) -> Problem:
    """A document-rule problem of the validator (whatever its class) as a GOLD-INVALID problem."""
    get = lambda name: getattr(problem, name, None)  # noqa: E731
    return gold_problem(str(get("rule")), str(get("message")), get("file"), get("doc_id"), get("path"),
                        get("found"), get("expected"))


def document_problems(doc: object, where: str, inventory: Inventory) -> list[Problem]:
    """The errors of one gold document by the rules of `wsw validate` (warnings are not the scorer's business)."""
    from ..validation import validate_document

    return [as_gold_problem(p) for p in validate_document(doc, where, inventory) if _is_error(p)]


class GoldProblems:
    """Problems found while reading gold: at most MAX_LISTED kept, all counted; `stop()` refuses the gold."""

    def __init__(self, limit: int = MAX_LISTED):
        self.kept: list[Problem] = []
        self.total = 0
        self.limit = limit

    def add(self, problems: list[Problem]) -> None:
        self.total += len(problems)
        self.kept.extend(problems[: max(0, self.limit - len(self.kept))])

    def __bool__(self) -> bool:
        return self.total > 0

    def stop(self) -> None:
        """Raise ProblemError with the problems, if there are any."""
        if self.total:
            raise ProblemError(self.kept, self.total)
