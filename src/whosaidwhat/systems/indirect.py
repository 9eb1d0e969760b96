"""Indirect and mixed quotes: reported speech without (or with partly) quotation marks (3.1, 3.3, 3.5).

Patterns, each with its speaker and content:

* `X said (that) CLAUSE` — say-verbs (`said`, `argued`, `warned`, ...): the content starts after
  `that`, or right after the cue (and after a time or place adjunct: `said on Tuesday it ...`);
* `X told Y (on Tuesday) that CLAUSE` — tell-verbs need `that`;
* `X reported that CLAUSE` — verbs that often take a noun phrase (`reported a loss`) are quotes
  only with `that` or a finite clause (an auxiliary in the next words);
* `X urged Y to ACT` — requests and commitments: the content is the `to` infinitive;
* `CLAUSE, X said.` and `CLAUSE, said X.` — the content is the clause before the comma;
* `According to X, CLAUSE` and `CLAUSE, according to X` — the content is the clause;
* `a suggestion by X that CLAUSE` — speech nouns with a content clause.

Not quotes: negated speech (`did not say`), agentless passives (`it was reported that`), a cue
word used as a noun (`the report`). The content ends with its sentence, without the final
punctuation; quotation marks inside it make the quote mixed.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import CUE_FILLERS, CUE_NOUNS, MONTHS, NEGATIONS, NP_VERBS, REQUEST_VERBS, SAY_VERBS, TELL_VERBS, WEEKDAYS
from .mentions import Mentions
from .quotation_marks import Quotation
from .speakers import DETERMINERS, speaker_after, subject_before
from .text import Token, TokenTable, strip_final_punctuation, tokens

_AUX = frozenset("""is was were are will would had has have could can did does do should must might may been
be being""".split())
_PASSIVE = frozenset("was were been be is are being".split())
_CONNECTIVES = frozenset("however also meanwhile moreover furthermore but and so still yet instead then".split())
_ADJUNCT_END = frozenset("""statement interview conference release week month year day night morning evening
afternoon today yesterday tonight letter email e-mail report broadcast speech briefing""".split()) | WEEKDAYS | MONTHS
_ADJUNCT_START = frozenset("on in at last this earlier late during yesterday today".split())
_BAD_START = frozenset(",.;:!?)") | frozenset("to by for of with from as about at in on".split())
SAY_CUES = SAY_VERBS - frozenset({"continue", "continues", "continued", "continuing"})
#: the words `_Finder._step` looks further at (lower-cased)
_CUE_WORDS = frozenset({"according"}) | CUE_NOUNS | SAY_CUES | NP_VERBS | TELL_VERBS | REQUEST_VERBS


@dataclass
class IndirectQuote:
    fragments: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker: tuple | None
    type: str


def _that_after(toks: Sequence[Token], k: int, end: int) -> int | None:
    """Token index after a `that` within the few words after the cue toks[k] (before punctuation), or None."""
    window = toks[k + 1:min(end, k + 9)]
    for offset, t in enumerate(window):
        if t.text in (".", ";", ":", "\"", "“", "”"):
            break
        if t.text.lower() == "that":
            return k + 2 + offset
        if t.text == "," and offset > 0:
            break
    return None


def _to_after(toks: Sequence[Token], k: int, end: int) -> int | None:
    """Token index of the `to` of a request's infinitive (`urged Y to ACT`), or None."""
    for offset, t in enumerate(toks[k + 1:min(end, k + 7)]):
        if t.text.lower() == "to":
            return k + 1 + offset
        if not t.is_word:
            return None
    return None


def _after_adjunct(toks: Sequence[Token], j: int, end: int) -> int | None:
    """Token index after a time or place adjunct starting at j (`on Tuesday`, `in a statement,`), j without one."""
    if not (j < end and toks[j].text.lower() in _ADJUNCT_START):  # said on Tuesday it would ...
        return j
    for m in range(j, min(end, j + 5)):
        if toks[m].text.lower() in _ADJUNCT_END or toks[m].text.isdigit():
            j = m + 1
            break
    else:
        return None
    return j + 1 if j < end and toks[j].text == "," else j


def _content_start_after_cue(toks: Sequence[Token], k: int, end: int, verb: str) -> int | None:
    """Token index where the reported clause starts after the cue toks[k], or None."""
    that = _that_after(toks, k, end)
    if that is not None:
        return that
    if verb in TELL_VERBS:
        return None
    if verb in REQUEST_VERBS:
        return _to_after(toks, k, end)
    j = _after_adjunct(toks, k + 1, end)
    if j is None or j >= end or toks[j].text.lower() in _BAD_START or toks[j].text in ("\"", "“", "‘"):
        return None
    if verb in NP_VERBS:  # a clause, not a noun phrase: an auxiliary within the next words
        if not any(t.text.lower() in _AUX for t in toks[j:min(end, j + 6)]):
            return None
    return j


def _negated_or_passive(toks: Sequence[Token], k: int) -> bool:
    j = k - 1
    seen = []
    while j >= 0 and (toks[j].text.lower() in CUE_FILLERS or toks[j].text.lower() in NEGATIONS
                      or toks[j].text.lower() in _PASSIVE or toks[j].text.lower() in ("did", "does", "do", "n't")):
        seen.append(toks[j].text.lower())
        j -= 1
    if any(w in NEGATIONS or w == "n't" for w in seen):
        return True
    return any(w in _PASSIVE for w in seen) and toks[k].text.lower().endswith(("ed", "said", "told", "written"))


def _skip_connectives(toks: Sequence[Token], i: int) -> int:
    while i < len(toks) and (toks[i].text.lower() in _CONNECTIVES or toks[i].text == ","):
        i += 1
    return i


def _span(text: str, toks: Sequence[Token], first: int, last_end: int):
    if first >= len(toks):
        return None
    s, e = strip_final_punctuation(text, toks[first].start, last_end)
    return (s, e) if s < e else None


class _Finder:
    """The patterns of indirect quotes, over the sentences of one text, outside the blocked spans."""

    def __init__(self, text: str, mentions: Mentions, blocked: list[tuple[int, int]], quotations: list[Quotation]):
        self.text, self.mentions, self.quotations = text, mentions, quotations
        self.out: list[IndirectQuote] = []
        self.merged: list[list[int]] = []
        for bs, be in sorted(blocked):
            if self.merged and bs <= self.merged[-1][1]:
                self.merged[-1][1] = max(self.merged[-1][1], be)
            else:
                self.merged.append([bs, be])
        self.block_starts = [bs for bs, _ in self.merged]
        self.by_open = sorted(quotations, key=lambda q: q.open_mark)
        self.open_marks = [q.open_mark for q in self.by_open]

    def is_blocked(self, s: int, e: int) -> bool:
        """Whether [s, e) overlaps a blocked span (disjoint, sorted: one bisection)."""
        i = bisect.bisect_left(self.block_starts, e) - 1
        return i >= 0 and self.merged[i][1] > s

    def add(self, fragment, cue, speaker) -> bool:
        if fragment is None or speaker is None or self.is_blocked(*fragment):
            return False
        s, e = fragment
        if len(self.text[s:e].split()) < 2:
            return False
        inside = self._quotations_within(s, e + 1)
        if any(q.open_mark == s and q.outer_end >= e for q in inside):
            return False  # the whole content is a quotation: a direct quote's business
        self.out.append(IndirectQuote([fragment], cue, speaker, "mixed" if inside else "indirect"))
        return True

    def _quotations_within(self, s: int, e: int) -> list[Quotation]:
        """The quotations with open_mark >= s and outer_end <= e (one opening after e also ends after it)."""
        out = []
        for k in range(bisect.bisect_left(self.open_marks, s), len(self.by_open)):
            q = self.by_open[k]
            if q.open_mark > e:
                break
            if q.outer_end <= e:
                out.append(q)
        return out

    def sentence(self, ss: int, se: int) -> None:
        if self.is_blocked(ss, ss + 1):
            return
        toks, cues = _cue_words(self.text, ss, se)
        k = 0
        # every other token is passed over (`_step` gives k + 1): go from one cue word to the next
        for cue in cues:
            if cue >= k:
                k = self._step(toks, cue, se)

    def _step(self, toks: Sequence[Token], k: int, se: int) -> int:
        """The next token to look at after toks[k] (len(toks): the sentence is done)."""
        n = len(toks)
        t = toks[k]
        low = t.text.lower()
        if self.is_blocked(t.start, t.end):
            return k + 1
        if low == "according" and k + 1 < n and toks[k + 1].text.lower() == "to":
            return self._according(toks, k, se)
        if low in CUE_NOUNS and k + 1 < n:
            return self._cue_noun(toks, k, se)
        if not _is_cue_verb(toks, k):
            return k + 1
        return self._cue_verb(toks, k, se)

    def _according(self, toks: Sequence[Token], k: int, se: int) -> int:
        n, t = len(toks), toks[k]
        comma = next((m for m in range(k + 2, n) if toks[m].text == ","), None)
        cue = (t.start, toks[k + 1].end)
        if k <= 1 and comma is not None:  # According to X, CLAUSE.
            speaker = speaker_after(self.mentions, toks, k + 2, comma)
            if self.add(_span(self.text, toks, _skip_connectives(toks, comma + 1), se), cue, speaker):
                return n
        elif k > 1 and toks[k - 1].text == ",":  # CLAUSE, according to X.
            speaker = speaker_after(self.mentions, toks, k + 2, n)
            first = _skip_connectives(toks, 0)
            if self.add(_span(self.text, toks, first, toks[k - 1].start), cue, speaker):
                return n
        return k + 2

    def _cue_noun(self, toks: Sequence[Token], k: int, se: int) -> int:
        """`a suggestion by X that CLAUSE`, `Cornyn's statement that CLAUSE`."""
        n, t = len(toks), toks[k]
        that = next((m for m in range(k + 1, min(n, k + 9)) if toks[m].text.lower() == "that"), None)
        if that is None:
            return k + 1
        speaker = None
        if toks[k + 1].text.lower() == "by":
            speaker = speaker_after(self.mentions, toks, k + 2, that)
        elif k > 0 and toks[k - 1].text.endswith(("'s", "’s")):  # Cornyn's statement that
            owners = self.mentions.names_in(toks[k - 1].start, toks[k - 1].end)
            speaker = self.mentions.key_of(owners[-1]) if owners else None
        if speaker is not None and self.add(_span(self.text, toks, that + 1, se), (t.start, t.end), speaker):
            return n
        return k + 1

    def _said_after_clause(self, toks: Sequence[Token], k: int) -> bool:
        """`CLAUSE, said X.`: the content is the clause before the comma."""
        t = toks[k]
        speaker = speaker_after(self.mentions, toks, k + 1, len(toks))
        return self.add(_span(self.text, toks, _skip_connectives(toks, 0), toks[k - 1].start), (t.start, t.end), speaker)

    def _cue_verb(self, toks: Sequence[Token], k: int, se: int) -> int:
        n, t = len(toks), toks[k]
        verb = t.text.lower()
        rest_words = [x for x in toks[k + 1:] if x.is_word]
        after_comma = k > 0 and toks[k - 1].text == "," and len(rest_words) <= 8
        if after_comma and verb in SAY_CUES | NP_VERBS and self._said_after_clause(toks, k):
            return n
        start = _content_start_after_cue(toks, k, n, verb)
        if start is not None:
            speaker = subject_before(self.mentions, toks, k, 0)
            return n if self.add(_span(self.text, toks, start, se), (t.start, t.end), speaker) else k + 1
        if verb in SAY_CUES or verb in NP_VERBS:
            return n if self._fronted(toks, k, after_comma, len(rest_words)) else k + 1
        return k + 1

    def _fronted(self, toks: Sequence[Token], k: int, after_comma: bool, rest: int) -> bool:
        """Fronted content: `CLAUSE, X said (on Tuesday).` or `CLAUSE, said X.`"""
        t = toks[k]
        if after_comma and self._said_after_clause(toks, k):
            return True
        comma = max((m for m in range(0, k) if toks[m].text == ","), default=None)
        if comma is not None and rest <= 6 and comma >= k - 8:
            speaker = subject_before(self.mentions, toks, k, comma + 1)
            return self.add(_span(self.text, toks, _skip_connectives(toks, 0), toks[comma].start), (t.start, t.end),
                            speaker)
        return False


def _is_cue_verb(toks: Sequence[Token], k: int) -> bool:
    """toks[k] is a speech verb used as a verb: not a noun (`the report`), not negated or an agentless passive."""
    verb = toks[k].text.lower()
    if verb not in SAY_CUES and verb not in NP_VERBS and verb not in TELL_VERBS and verb not in REQUEST_VERBS:
        return False
    if k > 0 and (toks[k - 1].text.lower() in DETERMINERS or toks[k - 1].text.endswith(("'s", "’s"))):
        return False  # a noun: `the report`, `Ford's statement`
    return not _negated_or_passive(toks, k)


@functools.lru_cache(maxsize=16)
def _cue_positions(text: str) -> list[int]:
    """Indexes of the tokens of a text that are cue words (memoised: one pass per document)."""
    return list(itertools.compress(itertools.count(), map(_CUE_WORDS.__contains__, TokenTable.of(text).lower)))


def _cue_words(text: str, start: int, end: int) -> tuple[Sequence[Token], list[int]]:
    """The tokens of text[start:end] and the indexes of its cue words among them."""
    table = TokenTable.of(text)
    found = table.span(start, end)
    if found is None:  # an edge inside a token: tokenised on its own
        toks = tokens(text, start, end)
        return toks, [k for k, t in enumerate(toks) if t.text.lower() in _CUE_WORDS]
    i, j = found
    positions = _cue_positions(text)
    first, last = bisect.bisect_left(positions, i), bisect.bisect_left(positions, j)
    return table.tokens[i:j], [k - i for k in positions[first:last]]


def indirect_quotes(text: str, mentions: Mentions, sentences: list[tuple[int, int]],
                    blocked: list[tuple[int, int]], quotations: list[Quotation]) -> list[IndirectQuote]:
    """Indirect and mixed quotes of the sentences, outside the `blocked` spans (direct quotes and their cues)."""
    finder = _Finder(text, mentions, blocked, quotations)
    for ss, se in sentences:
        finder.sentence(ss, se)
    return finder.out
