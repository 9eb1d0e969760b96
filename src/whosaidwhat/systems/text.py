"""Paragraphs, sentences and tokens with code-point offsets into the text exactly as stored.

Every function here is pure and returns half-open `(start, end)` offsets, so `text[start:end]`
is the span, as everywhere in WhoSaidWhat. Nothing is normalised.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from typing import NamedTuple

#: one token: an abbreviation with inner dots (U.S., e.g.), a word with inner apostrophes, hyphens,
#: dots or ampersands (don't, Ford's, Nagorno-Karabakh, Gawker.com, AT&T), a number with its
#: separators (11,188.23), or one other non-space character
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.(?=\s[A-Z])|(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Rev|Hon|Inc|Corp|"
                    r"Co|Ltd|Mt|Ft)\.|\d+(?:[.,]\d+)*|\w+(?:[-’'.&]\w+)*|[^\w\s]", re.UNICODE)
#: a token and the whitespace before it
_SPACED_TOKEN = re.compile(r"(\s*)(" + _TOKEN.pattern + ")", re.UNICODE)
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+|$)")
_LAST_WORD = re.compile(r"[\w.&]+$")
_WORD_RUN = re.compile(r"[\w.&]+")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_CAPITALISED_WORD = re.compile(r"\s*[A-Z][a-z]")

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


def _token_lists(text: str, start: int, end: int) -> tuple[list[int], list[int], tuple[str, ...]]:
    """(starts, ends, texts) of the tokens of text[start:end], without a Python step per token.

    Every character that is not whitespace starts or continues a token (the last alternative of
    _TOKEN is any other character), so the text is whitespace and tokens in turn: one `findall`
    of (whitespace, token) pairs gives the tokens, and their lengths give their offsets."""
    pairs = _SPACED_TOKEN.findall(text, start, end)
    if not pairs:
        return [], [], ()
    spaces, texts = zip(*pairs)
    lengths = list(map(len, texts))
    ends = list(itertools.accumulate(map(operator.add, map(len, spaces), lengths), initial=start))
    del ends[0]
    return list(map(operator.sub, ends, lengths)), ends, texts


def _tokens(text: str, start: int, end: int) -> tuple[Token, ...]:
    # tuple.__new__ makes the same tuple as Token's own __new__ (a Python function), faster
    return tuple(map(tuple.__new__, itertools.repeat(Token), zip(*_token_lists(text, start, end))))


class TokenTable:
    """The tokens of one whole text, with what several rules ask of every token, computed once per text.

    `tokens(text)` is `TokenTable.of(text).tokens`; a span whose edges fall between tokens is a slice
    of it (`span`), so the rules of one document share one tokenisation and its derived lists."""

    def __init__(self, text: str):
        self.starts, self.ends, self.texts = _token_lists(text, 0, len(text))
        self.tokens = tuple(map(tuple.__new__, itertools.repeat(Token), zip(self.starts, self.ends, self.texts)))
        is_word = list(map(str.isalnum, map(operator.itemgetter(0), self.texts)))
        #: the texts of the word tokens (Token.is_word), and how many of them come before each token
        self.words = list(itertools.compress(self.texts, is_word))
        self.words_before = list(itertools.accumulate(is_word, initial=0))

    @staticmethod
    @functools.lru_cache(maxsize=16)
    def of(text: str) -> TokenTable:
        return TokenTable(text)

    @functools.cached_property
    def lower(self) -> list[str]:
        """Each token's text, lower-cased."""
        return list(map(str.lower, self.texts))

    @functools.cached_property
    def lower_words(self) -> list[str]:
        """`words`, lower-cased."""
        return list(map(str.lower, self.words))

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """(i, j): tokens[i:j] are the tokens of text[start:end], or None when an edge falls inside a token."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end, i)
        if (j > i and self.ends[j - 1] > end) or (i > 0 and self.ends[i - 1] > start):
            return None
        return i, j


def tokens(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """Tokens of `text[start:end]` with offsets into `text`.

    The whole text is tokenised once (memoised) and a span's tokens are a slice of it; a span
    whose edge falls inside a token (`Armenia` of `Armenia’s`) is tokenised on its own. So the
    result is what tokenising `text[start:end]` alone gives, except where an initial's lookahead
    saw past the span's end (`A.` before ` B` stays one token)."""
    table = TokenTable.of(text)
    if start == 0 and end is None:
        return table.tokens
    found = table.span(start, len(text) if end is None else end)
    if found is None:
        return _tokens(text, start, len(text) if end is None else end)
    return table.tokens[found[0]:found[1]]


def words(text: str, start: int, end: int) -> list[str]:
    """The texts of the word tokens (Token.is_word) of `text[start:end]`."""
    table = TokenTable.of(text)
    found = table.span(start, end)
    if found is None:
        return [t.text for t in _tokens(text, start, end) if t.is_word]
    before = table.words_before
    return table.words[before[found[0]]:before[found[1]]]


def words_and_lower(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """`words(text, start, end)` and the same words lower-cased."""
    table = TokenTable.of(text)
    found = table.span(start, end)
    if found is None:
        found_words = [t.text for t in _tokens(text, start, end) if t.is_word]
        return found_words, [w.lower() for w in found_words]
    i, j = table.words_before[found[0]], table.words_before[found[1]]
    return table.words[i:j], table.lower_words[i:j]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines, trimmed of surrounding whitespace (a news text keeps one paragraph per line)."""
    return list(_paragraphs(text))


@functools.lru_cache(maxsize=16)
def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for m in _PARAGRAPH.finditer(text):
        s, e = trim(text, m.start(), m.end())
        if s < e:
            spans.append((s, e))
    return tuple(spans)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _last_word(text: str, start: int, end: int) -> str:
    """What `_LAST_WORD.search(text, start, end)` finds ('' for nothing): the run of word characters, dots
    and ampersands that ends the span, read backwards from its end (a search retries every position)."""
    window = max(start, end - 32)
    if end > start and text[end - 1] != "\n":  # (`$` also matches before a final newline)
        run = _WORD_RUN.match(text[window:end][::-1])
        length = run.end() if run else 0
        if length < end - window or window == start:
            return text[end - length:end]
    word = _LAST_WORD.search(text, start, end)
    return word.group() if word else ""


def _ends_sentence(text: str, start: int, mark: re.Match) -> bool:
    """Whether a [.!?] run at `mark` ends a sentence: not after an abbreviation or an initial."""
    after = mark.end()
    rest = text[after:after + 3].lstrip()
    if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'«(["):
        return False
    if text[mark.start()] != ".":
        return True
    w = _last_word(text, start, mark.start())
    if not w:
        return True
    if w.lower().rstrip(".") in ABBREVIATIONS:
        return False
    if len(w) == 1 and w.isupper():  # an initial: John F. Kennedy
        return False
    if _INITIALS.fullmatch(w):  # U.S. before a capitalised word: usually inside a sentence
        return not (rest and rest[0].isupper() and _CAPITALISED_WORD.match(text, after, after + 4) is None)
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
