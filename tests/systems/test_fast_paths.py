"""The shortcuts that make the rules baseline fast give exactly what the plain definitions give.

Each fast path (one tokenisation per text sliced per span, whole-text capital and cue-word
passes, the backwards read of the word before a period, bisection over sorted spans) is checked
against the plain computation it replaces, on varied and deliberately awkward texts: spans cut
inside tokens, inner capitals, apostrophes, initials, abbreviations, newlines, non-ASCII.
"""

from __future__ import annotations

import bisect
import random
import re

from whosaidwhat.systems import names, text
from whosaidwhat.systems.indirect import _CUE_WORDS, _cue_words
from whosaidwhat.systems.spans import SpanSet

TEXTS = [
    "",
    " \n ",
    "Prime Minister Nikol Pashinyan said on Tuesday that Armenia’s U.S. ties were fine.\n\n"
    "“We will,” he said, “rebuild it.” The iPhone and eBay sold 11,188.23 units; Mr. Smith's A. B. Jones agreed.",
    "J.R.R. Tolkien wrote e.g. this. Dr. Who? No!  He\tdid… ok\nnext line U.S. Army aB abcD xY.",
    "Ça va. Élan Vital Inc. reported gains. «Non», dit-il. Nagorno-Karabakh AT&T Gawker.com don't '90s.",
    "a" * 40 + ". Next. " + "b.c&d_" * 10 + ". End",
]


def _random_texts(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    pieces = ["Mr.", "U.S.", "iPhone", "eBay", "said", "told", "according", "to", "The", "the", "’s", "'s",
              "\u201c", "\u201d", '"', "'", ".", ",", ";", ":", "—", "-", "\n", "\n\n", "  ", "2019", "11,188.23",
              "Armenia", "Dmitry", "Peskov", "é", "Éa", "aB", "abcD", "x.y", "A.", "&", "_", "…", "?", "!"]
    return ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randrange(1, 60)))
            for _ in range(count)]


SAMPLES = TEXTS + _random_texts(300)


def _plain_tokens(t: str, start: int, end: int) -> tuple:
    return tuple(text.Token(m.start(), m.end(), m.group()) for m in text._TOKEN.finditer(t, start, end))


def _reference_tokens(t: str, start: int, end: int) -> tuple:
    """`tokens` as first written: the whole text's tokens in the span, or the span tokenised alone when an
    edge falls inside a token (an initial's lookahead, `A.` before ` B`, may see past the span's end)."""
    found = _plain_tokens(t, 0, len(t))
    starts = [tok.start for tok in found]
    i, j = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    if (j > i and found[j - 1].end > end) or (i > 0 and found[i - 1].end > start):
        return _plain_tokens(t, start, end)
    return found[i:j]


def _spans(t: str, rng: random.Random, count: int = 8) -> list[tuple[int, int]]:
    out = [(0, len(t))]
    for _ in range(count):
        start = rng.randrange(len(t) + 1)
        out.append((start, rng.randrange(start, len(t) + 1)))
    return out


def test_tokens_of_any_span_are_the_whole_texts_tokens_there_or_the_span_tokenised_alone():
    rng = random.Random(1)
    for t in SAMPLES:
        assert text.tokens(t) == _plain_tokens(t, 0, len(t))
        for start, end in _spans(t, rng):
            expected = _reference_tokens(t, start, end)
            assert text.tokens(t, start, end) == expected
            assert text.words(t, start, end) == [tok.text for tok in expected if tok.is_word]
            assert text.words_and_lower(t, start, end) == ([tok.text for tok in expected if tok.is_word],
                                                           [tok.text.lower() for tok in expected if tok.is_word])


def test_the_word_before_a_period_is_what_a_search_for_it_finds():
    rng = random.Random(2)
    for t in SAMPLES:
        for start, end in _spans(t, rng, 20):
            found = re.search(r"([\w.&]+)$", t[start:end])
            assert text._last_word(t, start, end) == (found.group(1) if found else "")


def test_capitals_of_a_text_are_the_capitalised_tokens():
    for t in SAMPLES:
        toks = text.tokens(t)
        assert names._capitals(t) == [names._is_cap(tok) for tok in toks]
        assert names._capitalised([tok.text for tok in toks]) == [names._is_cap(tok) for tok in toks]


def test_cue_words_of_a_sentence_are_its_tokens_whose_lower_case_is_a_cue():
    rng = random.Random(3)
    for t in SAMPLES:
        for start, end in _spans(t, rng):
            toks, cues = _cue_words(t, start, end)
            assert toks == _reference_tokens(t, start, end)
            assert cues == [k for k, tok in enumerate(toks) if tok.text.lower() in _CUE_WORDS]


def test_span_set_answers_as_a_scan_over_all_spans():
    rng = random.Random(4)
    for _ in range(300):
        spans = []
        for _ in range(rng.randrange(0, 8)):
            s = rng.randrange(30)
            spans.append((s, s + rng.randrange(0, 10)))
        index = SpanSet(spans)
        for _ in range(20):
            s = rng.randrange(35)
            e = s + rng.randrange(0, 12)
            assert index.overlaps(s, e) == any(fs < e and s < fe for fs, fe in spans)
            assert index.holds_one(s, e) == any(fs >= s and fe <= e for fs, fe in spans)
            assert index.covers(s, e) == any(fs <= s and e <= fe for fs, fe in spans)
