"""Offset units at the Label Studio boundary: code points (Label Studio >= 1.4) or UTF-16 code units.

Label Studio 1.23 writes Unicode code-point offsets, the same as Python `str` indices. Exports
from Label Studio before about 1.4 counted JavaScript UTF-16 code units, which differ after every
character outside the Basic Multilingual Plane (emoji). The unit is never guessed silently: it is
either stated, or detected per annotation by checking every region's `value.text` (`auto`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Literal

Unit = Literal["codepoints", "utf16"]
UNITS = ("codepoints", "utf16", "auto")


class Utf16Index:
    """Converts between UTF-16 code-unit offsets and code-point offsets of one text."""

    def __init__(self, text: str):
        self.text = text
        # code-point indices of astral characters (two UTF-16 units each), in order
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_utf16(self, offset: int) -> int:
        """UTF-16 offset of a code-point offset."""
        return offset + bisect_left(self._astral, offset)

    def to_codepoints(self, offset: int) -> int | None:
        """Code-point offset of a UTF-16 offset; None if it falls inside a surrogate pair or past the end."""
        if offset < 0:
            return None
        lo, hi = 0, len(self.text)
        while lo < hi:  # smallest cp with to_utf16(cp) >= offset
            mid = (lo + hi) // 2
            if self.to_utf16(mid) < offset:
                lo = mid + 1
            else:
                hi = mid
        if lo > len(self.text) or self.to_utf16(lo) != offset:
            return None
        return lo


def matches(text: str, start, end, surface: str | None) -> bool:
    """Whether [start, end) is a non-empty code-point span of `text` whose surface is `surface` (if given)."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return False
    if not 0 <= start < end <= len(text):
        return False
    return surface is None or text[start:end] == surface


def from_utf16(index: Utf16Index, start: int, end: int) -> tuple[int | None, int | None]:
    """A UTF-16 span as code points (None where an end falls inside a surrogate pair)."""
    return index.to_codepoints(start), index.to_codepoints(end)


def detect_unit(text: str, spans: Iterable[tuple[int, int, str | None]]) -> Unit | None:
    """The one unit under which every span's offsets reproduce its surface text, or None.

    Code points win when both fit (they coincide before the first emoji). None means neither unit
    explains all spans: the annotation has wrong offsets whatever the unit.
    """
    spans = [s for s in spans if s[2] is not None]
    if all(matches(text, s, e, t) for s, e, t in spans):
        return "codepoints"
    index = Utf16Index(text)
    for s, e, t in spans:
        if not (isinstance(s, int) and isinstance(e, int)):
            return None
        cs, ce = from_utf16(index, s, e)
        if cs is None or ce is None or not matches(text, cs, ce, t):
            return None
    return "utf16"
