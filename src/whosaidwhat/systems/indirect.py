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
from dataclasses import dataclass

from .lexicon import CUE_FILLERS, CUE_NOUNS, MONTHS, NEGATIONS, NP_VERBS, REQUEST_VERBS, SAY_VERBS, TELL_VERBS, WEEKDAYS
from .mentions import Mentions
from .quotation_marks import Quotation
from .speakers import DETERMINERS, speaker_after, subject_before
from .text import Token, strip_final_punctuation, tokens

_AUX = frozenset("""is was were are will would had has have could can did does do should must might may been
be being""".split())
_PASSIVE = frozenset("was were been be is are being".split())
_CONNECTIVES = frozenset("however also meanwhile moreover furthermore but and so still yet instead then".split())
_ADJUNCT_END = frozenset("""statement interview conference release week month year day night morning evening
afternoon today yesterday tonight letter email e-mail report broadcast speech briefing""".split()) | WEEKDAYS | MONTHS
_ADJUNCT_START = frozenset("on in at last this earlier late during yesterday today".split())
_BAD_START = frozenset(",.;:!?)") | frozenset("to by for of with from as about at in on".split())
SAY_CUES = SAY_VERBS - frozenset({"continue", "continues", "continued", "continuing"})


@dataclass
class IndirectQuote:
    fragments: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker: tuple | None
    type: str


def _content_start_after_cue(toks: list[Token], k: int, end: int, verb: str) -> int | None:
    """Token index where the reported clause starts after the cue toks[k], or None."""
    window = toks[k + 1:min(end, k + 9)]
    for offset, t in enumerate(window):
        if t.text in (",", ".", ";", ":", "\"", "“", "”") and t.text != ",":
            break
        if t.text.lower() == "that":
            return k + 2 + offset
        if t.text == "," and offset > 0:
            break
    if verb in TELL_VERBS:
        return None
    if verb in REQUEST_VERBS:
        for offset, t in enumerate(toks[k + 1:min(end, k + 7)]):
            if t.text.lower() == "to":
                return k + 1 + offset
            if not t.is_word:
                return None
        return None
    j = k + 1
    if j < end and toks[j].text.lower() in _ADJUNCT_START:  # said on Tuesday it would ...
        for m in range(j, min(end, j + 5)):
            if toks[m].text.lower() in _ADJUNCT_END or toks[m].text.isdigit():
                j = m + 1
                break
        else:
            return None
        if j < end and toks[j].text == ",":
            j += 1
    if j >= end or toks[j].text.lower() in _BAD_START or toks[j].text in ("\"", "“", "‘"):
        return None
    if verb in NP_VERBS:  # a clause, not a noun phrase: an auxiliary within the next words
        if not any(t.text.lower() in _AUX for t in toks[j:min(end, j + 6)]):
            return None
    return j


def _negated_or_passive(toks: list[Token], k: int) -> bool:
    j = k - 1
    seen = []
    while j >= 0 and (toks[j].text.lower() in CUE_FILLERS or toks[j].text.lower() in NEGATIONS
                      or toks[j].text.lower() in _PASSIVE or toks[j].text.lower() in ("did", "does", "do", "n't")):
        seen.append(toks[j].text.lower())
        j -= 1
    if any(w in NEGATIONS or w == "n't" for w in seen):
        return True
    return any(w in _PASSIVE for w in seen) and toks[k].text.lower().endswith(("ed", "said", "told", "written"))


def _skip_connectives(toks: list[Token], i: int) -> int:
    while i < len(toks) and (toks[i].text.lower() in _CONNECTIVES or toks[i].text == ","):
        i += 1
    return i


def _span(text: str, toks: list[Token], first: int, last_end: int):
    if first >= len(toks):
        return None
    s, e = strip_final_punctuation(text, toks[first].start, last_end)
    return (s, e) if s < e else None


def indirect_quotes(text: str, mentions: Mentions, sentences: list[tuple[int, int]],
                    blocked: list[tuple[int, int]], quotations: list[Quotation]) -> list[IndirectQuote]:
    """Indirect and mixed quotes of the sentences, outside the `blocked` spans (direct quotes and their cues)."""
    out: list[IndirectQuote] = []
    merged: list[list[int]] = []
    for bs, be in sorted(blocked):
        if merged and bs <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], be)
        else:
            merged.append([bs, be])
    block_starts = [bs for bs, _ in merged]

    def is_blocked(s: int, e: int) -> bool:
        """Whether [s, e) overlaps a blocked span (disjoint, sorted: one bisection)."""
        i = bisect.bisect_left(block_starts, e) - 1
        return i >= 0 and merged[i][1] > s

    def add(fragment, cue, speaker):
        if fragment is None or speaker is None or is_blocked(*fragment):
            return False
        s, e = fragment
        if len(text[s:e].split()) < 2:
            return False
        inside = [q for q in quotations if q.open_mark >= s and q.outer_end <= e + 1]
        if any(q.open_mark == s and q.outer_end >= e for q in inside):
            return False  # the whole content is a quotation: a direct quote's business
        out.append(IndirectQuote([fragment], cue, speaker, "mixed" if inside else "indirect"))
        return True

    for ss, se in sentences:
        if is_blocked(ss, ss + 1):
            continue
        toks = tokens(text, ss, se)
        n = len(toks)
        k = 0
        while k < n:
            t = toks[k]
            low = t.text.lower()
            if is_blocked(t.start, t.end):
                k += 1
                continue
            if low == "according" and k + 1 < n and toks[k + 1].text.lower() == "to":
                comma = next((m for m in range(k + 2, n) if toks[m].text == ","), None)
                if k <= 1 and comma is not None:  # According to X, CLAUSE.
                    speaker = speaker_after(mentions, toks, k + 2, comma)
                    if add(_span(text, toks, _skip_connectives(toks, comma + 1), se), (t.start, toks[k + 1].end), speaker):
                        break
                elif k > 1 and toks[k - 1].text == ",":  # CLAUSE, according to X.
                    speaker = speaker_after(mentions, toks, k + 2, n)
                    first = _skip_connectives(toks, 0)
                    if add(_span(text, toks, first, toks[k - 1].start), (t.start, toks[k + 1].end), speaker):
                        break
                k += 2
                continue
            if low in CUE_NOUNS and k + 1 < n:
                that = next((m for m in range(k + 1, min(n, k + 9)) if toks[m].text.lower() == "that"), None)
                if that is not None:
                    speaker = None
                    if toks[k + 1].text.lower() == "by":
                        speaker = speaker_after(mentions, toks, k + 2, that)
                    elif k > 0 and toks[k - 1].text.endswith(("'s", "’s")):  # Cornyn's statement that
                        owners = mentions.names_in(toks[k - 1].start, toks[k - 1].end)
                        speaker = mentions.key_of(owners[-1]) if owners else None
                    if speaker is not None and add(_span(text, toks, that + 1, se), (t.start, t.end), speaker):
                        k = n
                        continue
                k += 1
                continue
            verb = low
            if verb not in SAY_CUES and verb not in NP_VERBS and verb not in TELL_VERBS and verb not in REQUEST_VERBS:
                k += 1
                continue
            if k > 0 and (toks[k - 1].text.lower() in DETERMINERS or toks[k - 1].text.endswith(("'s", "’s"))):
                k += 1  # a noun: `the report`, `Ford's statement`
                continue
            if _negated_or_passive(toks, k):
                k += 1
                continue
            rest_words = [x for x in toks[k + 1:] if x.is_word]
            if k > 0 and toks[k - 1].text == "," and len(rest_words) <= 8 and verb in SAY_CUES | NP_VERBS:
                # `CLAUSE, said X.`
                speaker = speaker_after(mentions, toks, k + 1, n)
                if add(_span(text, toks, _skip_connectives(toks, 0), toks[k - 1].start), (t.start, t.end), speaker):
                    k = n
                    continue
            start = _content_start_after_cue(toks, k, n, verb)
            if start is not None:
                speaker = subject_before(mentions, toks, k, 0)
                if add(_span(text, toks, start, se), (t.start, t.end), speaker):
                    k = n
                    continue
            elif verb in SAY_CUES or verb in NP_VERBS:
                # fronted content: `CLAUSE, X said (on Tuesday).` or `CLAUSE, said X.`
                rest_words = [x for x in toks[k + 1:] if x.is_word]
                if k > 0 and toks[k - 1].text == "," and len(rest_words) <= 8:
                    speaker = speaker_after(mentions, toks, k + 1, n)
                    if add(_span(text, toks, _skip_connectives(toks, 0), toks[k - 1].start), (t.start, t.end), speaker):
                        k = n
                        continue
                comma = max((m for m in range(0, k) if toks[m].text == ","), default=None)
                if comma is not None and len(rest_words) <= 6 and comma >= k - 8:
                    speaker = subject_before(mentions, toks, k, comma + 1)
                    if add(_span(text, toks, _skip_connectives(toks, 0), toks[comma].start), (t.start, t.end), speaker):
                        k = n
                        continue
            k += 1
    return out
