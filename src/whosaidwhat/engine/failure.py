"""An error raised on a worker, carried back to the client and raised there as the local engine would.

A `ProblemError` travels as its problems (frozen dataclasses pickle as they are); any other
`UserError` from a stage not yet on the problem model travels as the exception itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NoReturn

from ..core.errors import UserError
from ..core.problems import Problem, ProblemError
from .paths import FileRef


@dataclass(frozen=True)
class Failure:
    problems: tuple[Problem, ...] = ()
    total: int | None = None
    other: UserError | None = None

    @classmethod
    def of(cls, exc: UserError) -> Failure:
        if isinstance(exc, ProblemError):
            return cls(tuple(exc.problems), exc.total)
        return cls(other=exc)

    @property
    def rules(self) -> list[str]:
        return [p.rule for p in self.problems]

    def raise_(self) -> NoReturn:
        if self.problems:
            raise ProblemError(self.problems, self.total)
        assert self.other is not None
        raise self.other


def shown_problems(exc: ProblemError, ref: FileRef) -> ProblemError:
    """`exc` with every problem's file naming the path as the user gave it."""
    fixed = [p if p.file is None else dataclasses.replace(p, file=ref.show(p.file)) for p in exc.problems]
    return ProblemError(fixed, exc.total)
