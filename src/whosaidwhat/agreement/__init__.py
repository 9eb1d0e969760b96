"""Inter-annotator agreement: independent annotations compared item by item, with chance correction and intervals.

`report.measure` is the multi-annotator computation behind `wsw agreement`; `scores.compare_annotations`
compares two annotations with the scorer itself (annotator A as gold, B as a system). Importing this
package does not import `scoring` (the release builder reads agreement, and must not reach the scorer
through it): `compare_annotations` and what goes with it load `agreement.scores` when first used.
"""

from __future__ import annotations

from typing import Any

from .report import measure

_SCORES = ("Agreement", "compare_annotations", "format_table")


def __getattr__(name: str) -> Any:
    if name in _SCORES:
        from . import scores

        return getattr(scores, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Agreement", "compare_annotations", "format_table", "measure"]
