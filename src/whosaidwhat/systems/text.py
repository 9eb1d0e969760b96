"""Paragraphs, sentences and tokens with code-point offsets into the text exactly as stored.

Every function here is pure and returns half-open `(start, end)` offsets, so `text[start:end]`
is the span, as everywhere in WhoSaidWhat. Nothing is normalised.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import NamedTuple

#: one token: an abbreviation with inner dots (U.S., e.g.), a word with inner apostrophes, hyphens,
#: dots or ampersands (don't, Ford's, Nagorno-Karabakh, Gawker.com, AT&T), a number with its
#: separators (11,188.23), or one other non-space character
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.(?=\s[A-Z])|(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Rev|Hon|Inc|Corp|"
                    r"Co|Ltd|Mt|Ft)\.|\d+(?:[.,]\d+)*|\w+(?:[-’'.&]\w+)*|[^\w\s]", re.UNICODE)
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+|$)")

#: words whose period does not end a sentence
ABBREVIATIONS = frozenset("""mr mrs ms dr prof sen rep gov gen lt col capt sgt st jr sr inc corp co ltd no vs etc
jan feb mar apr jun jul aug sep sept oct nov dec mt ft rev hon cf al approx est dept univ""".split())


class Token(NamedTuple):
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


def _tokens(text: str, start: int, end: int) -> tuple[Token, ...]:
    return tuple(Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end))


@functools.lru_cache(maxsize=16)
def _all_tokens(text: str) -> tuple[tuple[Token, ...], list[int]]:
    found = _tokens(text, 0, len(text))
    return found, [t.start for t in found]


def tokens(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """Tokens of `text[start:end]` with offsets into `text`.

    The whole text is tokenised once (memoised) and a span's tokens are a slice of it; a span
    whose edge falls inside a token (`Armenia` of `Armenia’s`) is tokenised on its own, so the
    result is always what tokenising `text[start:end]` alone gives."""
    end = len(text) if end is None else end
    found, starts = _all_tokens(text)
    i = bisect.bisect_left(starts, start)
    j = bisect.bisect_left(starts, end)
    if (j > i and found[j - 1].end > end) or (i > 0 and found[i - 1].end > start):
        return _tokens(text, start, end)
    return found[i:j]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines, trimmed of surrounding whitespace (a news text keeps one paragraph per line)."""
    spans = []
    for m in _PARAGRAPH.finditer(text):
        s, e = trim(text, m.start(), m.end())
        if s < e:
            spans.append((s, e))
    return spans


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_sentence(text: str, start: int, mark: re.Match) -> bool:
    """Whether a [.!?] run at `mark` ends a sentence: not after an abbreviation or an initial."""
    after = mark.end()
    rest = text[after:after + 3].lstrip()
    if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'«(["):
        return False
    if text[mark.start()] != ".":
        return True
    word = re.search(r"([\w.&]+)$", text[start:mark.start()])
    if not word:
        return True
    w = word.group(1)
    if w.lower().rstrip(".") in ABBREVIATIONS:
        return False
    if len(w) == 1 and w.isupper():  # an initial: John F. Kennedy
        return False
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", w):  # U.S. before a capitalised word: usually inside a sentence
        return not (rest and rest[0].isupper() and re.match(r"\s*[A-Z][a-z]", text[after:after + 4]) is None)
    return True


@functools.lru_cache(maxsize=1024)
def sentences(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Sentences of `text[start:end]` (one paragraph), trimmed; closing quotes stay with their sentence (memoised)."""
    spans = []
    begin = start
    for mark in _SENTENCE_END.finditer(text, start, end):
        if _ends_sentence(text, begin, mark):
            s, e = trim(text, begin, mark.end())
            if s < e:
                spans.append((s, e))
            begin = mark.end()
    s, e = trim(text, begin, end)
    if s < e:
        spans.append((s, e))
    return tuple(spans)


def strip_final_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without trailing sentence punctuation, commas, colons and whitespace."""
    while end > start and (text[end - 1] in ".,;:!?…" or text[end - 1].isspace()):
        end -= 1
    return start, end
