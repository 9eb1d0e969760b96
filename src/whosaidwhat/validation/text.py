"""Where a span boundary may fall in a text: grapheme clusters (UAX #29), words, plural endings.

Offsets count code points, so a boundary can cut what a reader sees as one character: a base
letter and its combining mark, CR LF, an emoji ZWJ sequence (👩‍💻), a flag (two regional
indicators), an emoji and its skin-tone modifier, a Hangul syllable written as conjoining jamo.
`splits_character` says whether an offset falls inside such an extended grapheme cluster; the
clusters are the `regex` package's `\\X`, which implements UAX #29 (and follows new Unicode
versions, which a hand-written table here would not).
"""

from __future__ import annotations

import regex

_CLUSTER = regex.compile(r"\X")
#: how far (code points) a boundary check looks for a sure cluster boundary either side before it
#: segments the whole text instead (text with no two ASCII characters in a row: CJK, Arabic, ...)
_WINDOW = 64


def _sure_boundary(text: str, position: int) -> bool:
    """True when `position` is a cluster boundary whatever the Unicode version: the text's ends, or two
    ASCII characters other than CR LF (no UAX #29 rule joins them: none is Extend, SpacingMark, Prepend,
    ZWJ, a regional indicator, Hangul, an Extended_Pictographic or an Indic conjunct letter)."""
    if position <= 0 or position >= len(text):
        return True
    before, after = text[position - 1], text[position]
    return before < "\x80" and after < "\x80" and not (before == "\r" and after == "\n")


class Graphemes:
    """The extended grapheme cluster boundaries of one text, found only where a span boundary needs them.

    Between two ASCII characters (the usual case) only CR LF is one cluster. Elsewhere the clusters
    are segmented (`\\X`) from the nearest sure boundary before the offset to the nearest after it:
    UAX #29's rules look back only within a cluster (and a run of regional indicators or an emoji ZWJ
    sequence, which ASCII ends), so segmenting from a sure boundary gives the clusters segmenting the
    whole text gives. Without a sure boundary within `_WINDOW` code points, the whole text is segmented once.
    """

    def __init__(self, text: str):
        self.text = text
        self._boundaries: set[int] | None = None

    def splits(self, offset: int) -> bool:
        """True when `offset` falls inside an extended grapheme cluster (not at a boundary between two)."""
        text = self.text
        if offset <= 0 or offset >= len(text):
            return False
        before, after = text[offset - 1], text[offset]
        if before < "\x80" and after < "\x80":  # ASCII on both sides: only CR LF is one cluster
            return before == "\r" and after == "\n"
        if self._boundaries is None:
            start = next((p for p in range(offset - 1, max(-1, offset - _WINDOW), -1) if _sure_boundary(text, p)), None)
            end = next((p for p in range(offset + 1, min(len(text), offset + _WINDOW) + 1) if _sure_boundary(text, p)), None)
            if start is not None and end is not None:
                return self._splits_between(offset, start, end)
            self._boundaries = {match.end() for match in _CLUSTER.finditer(text)}
        return offset not in self._boundaries

    def _splits_between(self, offset: int, start: int, end: int) -> bool:
        """`splits(offset)` from the clusters of text[start:end], two sure boundaries around it."""
        for match in _CLUSTER.finditer(self.text, start, end):
            if match.end() >= offset:
                return match.end() != offset
        return False  # pragma: no cover - the last cluster ends at `end` > offset


def splits_character(text: str, offset: int) -> bool:
    """True when `offset` falls inside an extended grapheme cluster of `text`."""
    return Graphemes(text).splits(offset)


def inside_word(text: str, offset: int) -> bool:
    """True when letters or digits stand on both sides of `offset` ('it' cut out of 'Additionally')."""
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def plural_ending(text: str, end: int) -> bool:
    """True when only a plural ending follows the span in its word ('Boeing 747' in 'Boeing 747s', 'iPod Touch' in
    'iPod Touches'; guidelines 7A A6b)."""
    for ending in ("s", "es"):
        if text[end:end + len(ending)] == ending and not text[end + len(ending):end + len(ending) + 1].isalnum():
            return True
    return False


def offset_hint(text: str, surface: str, start: int, what: str = "the text") -> str | None:
    """Where `surface` really occurs in `text`, nearest to `start` (helps fix shifted offsets or unit mix-ups)."""
    if not surface:
        return None
    nearest = None
    index = text.find(surface)
    while index != -1:
        if nearest is None or abs(index - start) < abs(nearest - start):
            nearest = index
        index = text.find(surface, index + 1)
    if nearest is None:
        return f"the surface string does not occur in {what}"
    return f"it occurs at [{nearest}, {nearest + len(surface)})"
