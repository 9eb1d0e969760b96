"""Problem reports of the annotation stage: refusals listing every problem, validator findings as core problems,
annotator ids that differ only by case."""

from __future__ import annotations

from collections.abc import Iterable

from ..core.problems import Problem, ProblemError


def refusal(summary: str, problems: list[Problem]) -> ProblemError:
    """One error for many problems: the CLI prints `summary` and then one line per problem."""
    exc = ProblemError(problems)
    exc.message = f"{summary}:\n  " + "\n  ".join(p.line() for p in problems)
    return exc


def as_problem(found: object, file: str | None = None, doc_id: str | None = None, prefix: str = "") -> Problem:
    """A validator finding (any object with rule, message, path, found, expected) as a core Problem."""
    rule, message = found.rule, found.message  # type: ignore[attr-defined]
    return Problem(rule, prefix + str(message),
                   file=file if file is not None else getattr(found, "file", None),
                   doc_id=doc_id if doc_id is not None else getattr(found, "doc_id", None),
                   path=getattr(found, "path", None), found=getattr(found, "found", None),
                   expected=getattr(found, "expected", None))


def case_clashes(ids: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs (first seen, other) of distinct ids that are equal once case is folded ("Ann-A" and "ann-a")."""
    first: dict[str, str] = {}
    clashes = []
    for value in ids:
        key = value.casefold()
        if key in first and first[key] != value:
            clashes.append((first[key], value))
        first.setdefault(key, value)
    return clashes


def case_problems(ids: Iterable[str], where: str, file: str | None = None, doc_id: str | None = None,
                  path: str | None = None) -> list[Problem]:
    """ANNOTATOR-ID-CASE problems for annotator ids that differ only by case."""
    return [Problem("ANNOTATOR-ID-CASE", f"annotator ids {a!r} and {b!r} differ only by letter case ({where}); "
                    "spell one annotator's id one way", file=file, doc_id=doc_id, path=path, found=f"{a} / {b}",
                    expected="one spelling per annotator") for a, b in dict.fromkeys(case_clashes(ids))]


__all__ = ["as_problem", "case_clashes", "case_problems", "refusal"]
