"""A fixed set of half-open spans, asked by bisection which of them a span overlaps or holds.

The rules ask of every sentence or mention whether it overlaps a quote or holds a cue; a scan
over all spans per question is quadratic in the length of a text, these answers are logarithmic
and exactly the same (no assumption about the spans: they may overlap, touch or be empty).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable


class SpanSet:
    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted((s, e) for s, e in spans)
        self.starts = [s for s, _ in ordered]
        ends = [e for _, e in ordered]
        #: the largest end among the first i + 1 spans, and the smallest end from span i on
        self._max_end = list(itertools.accumulate(ends, max))
        self._min_end = list(itertools.accumulate(reversed(ends), min))[::-1]

    def overlaps(self, start: int, end: int) -> bool:
        """Some span (s, e) has s < end and start < e."""
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self._max_end[i - 1] > start

    def holds_one(self, start: int, end: int) -> bool:
        """Some span (s, e) lies inside [start, end]: s >= start and e <= end."""
        i = bisect.bisect_left(self.starts, start)
        return i < len(self.starts) and self._min_end[i] <= end

    def covers(self, start: int, end: int) -> bool:
        """Some span (s, e) holds [start, end]: s <= start and end <= e."""
        i = bisect.bisect_right(self.starts, start)
        return i > 0 and self._max_end[i - 1] >= end
