"""Offsets at the Label Studio boundary: code points in, code points out; UTF-16 only when stated or detected."""

from __future__ import annotations

import pytest

from whosaidwhat.labelstudio.offsets import Utf16Index, detect_unit

TEXT = "A 😀 b\r\nZoe\u0308 🇳🇬 end"  # emoji (astral), CRLF, combining mark, flag (two astral code points)


def test_code_points_before_the_first_emoji_are_the_same_in_utf16():
    index = Utf16Index(TEXT)
    assert [index.to_utf16(i) for i in range(3)] == [0, 1, 2]


def test_each_emoji_adds_one_utf16_unit_after_it():
    index = Utf16Index(TEXT)
    b = TEXT.index("b")
    assert index.to_utf16(b) == b + 1
    flag_end = TEXT.index(" end")
    assert index.to_utf16(flag_end) == flag_end + 3  # 😀 and the two regional indicators


def test_crlf_and_combining_marks_count_as_themselves_in_both_units():
    index = Utf16Index(TEXT)
    zoe = TEXT.index("Zoe")
    assert index.to_utf16(zoe + 4) - index.to_utf16(zoe) == 4  # Z o e U+0308
    assert index.to_codepoints(index.to_utf16(zoe)) == zoe


def test_utf16_offset_inside_a_surrogate_pair_has_no_code_point():
    index = Utf16Index(TEXT)
    emoji = TEXT.index("😀")
    assert index.to_codepoints(emoji + 1) is None  # between the two halves of 😀
    assert index.to_codepoints(len(TEXT) + 10) is None


def test_round_trip_of_every_offset():
    index = Utf16Index(TEXT)
    assert all(index.to_codepoints(index.to_utf16(i)) == i for i in range(len(TEXT) + 1))


@pytest.mark.parametrize("spans, unit", [
    ([(0, 1, "A"), (4, 5, "b")], "codepoints"),
    ([(0, 1, "A"), (5, 6, "b")], "utf16"),
    ([(0, 1, "A"), (6, 7, "b")], None),
    ([(0, 1, "A")], "codepoints"),  # both units agree before the first emoji: code points win
])
def test_detect_unit_accepts_only_a_unit_that_explains_every_span(spans, unit):
    assert detect_unit(TEXT, spans) == unit
