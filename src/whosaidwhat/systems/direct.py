"""Direct quotes: quotations that someone said, with their cue and speaker (guidelines 3.3-3.6).

A quotation (quotation_marks.py) is a direct quote when it has an attribution or stands as
speech: three words or more, and it opens a sentence, follows a colon or a comma or a cue, or is
followed by an attribution. The attribution is looked for

* after the closing mark, in the same sentence: `"…," Peskov said.`, `"…," said Michael Golden,
  the GAO's counsel.`, `"…," he added;` — a cue within the first words, its subject before it or
  its source after it;
* before the opening mark: `Peskov told reporters: "…"`, `He added, "…"`;
* and, failing both, it continues the previous quote: as a further fragment when only that
  quote's attribution stands between them (`"A," he said. "B."` and a next paragraph that is
  only a quotation), else as a separate quote of the same speaker; with no previous quote, the
  nearest person named before it speaks.

A cue of its own starts a new quote (`"A," he said. "B," he continued.` is two quotes, 7A A5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import CUE_VERBS
from .mentions import Mentions
from .quotation_marks import Quotation
from .speakers import nearest_name_before, speaker_after, subject_before
from .text import Token, tokens

#: how many words after a closing mark (or before an opening one) an attribution's cue may be
CUE_WINDOW = 7
DIRECT_CUES = CUE_VERBS | frozenset({"continued", "continues", "went"})
_CLAUSE_STOP = set(".;!?")
_CLAUSE_WORDS = frozenset("""it he she they we i is was were are be been has have had will would could can
should may might did does its their his her""".split())
_SOURCE_LIST = re.compile(r"\s*[—–-]+\s*[A-Z][^\n]*\b(?:1[89]|20)\d\d\b")


@dataclass
class DirectQuote:
    fragments: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker: tuple | None               # mention key or None (unknown)
    attribution_end: int                # where the attribution after the last fragment ends
    quotations: list[Quotation] = field(default_factory=list)


def _is_cue(tok: Token) -> bool:
    return tok.text.lower() in DIRECT_CUES


def _attribution_stop(toks) -> int:
    """The attribution runs to the end of the sentence or to the next quotation."""
    for k, t in enumerate(toks):
        if t.text in _CLAUSE_STOP or t.text in ("\"", "“", "‘", "'") and k > 0:
            return k
    return len(toks)


def _cue_speaker(mentions: Mentions, toks, k: int, begin: int, stop: int):
    """The speaker of the cue toks[k] of an attribution after a quote."""
    if k == begin:  # inverted: said Michael Golden
        return speaker_after(mentions, toks, k + 1, stop)
    speaker = subject_before(mentions, toks, k, begin)
    if speaker is None:
        speaker = speaker_after(mentions, toks, k + 1, stop)
    return speaker


def _attribution_after(text: str, mentions: Mentions, q: Quotation, limit: int):
    """(cue span, speaker key, end of the attribution) after the closing mark, or None."""
    toks = tokens(text, q.outer_end, limit)
    if not toks:
        return None
    stop = _attribution_stop(toks)
    begin = 0
    while begin < stop and toks[begin].text in (",", "—", "–", "-"):
        begin += 1
    words = 0
    for k in range(begin, stop):
        t = toks[k]
        if t.is_word:
            words += 1
        if words > CUE_WINDOW:
            return None
        low = t.text.lower()
        if low == "according" and k + 1 < stop and toks[k + 1].text.lower() == "to":
            speaker = speaker_after(mentions, toks, k + 2, stop)
            return (t.start, toks[k + 1].end), speaker, toks[stop - 1].end if stop else t.end
        if _is_cue(t):
            speaker = _cue_speaker(mentions, toks, k, begin, stop)
            cue_end = t.end
            if low in ("went",) and k + 2 < stop:  # he went on to say
                cue_end = toks[min(k + 4, stop - 1)].end
            return (t.start, cue_end), speaker, toks[stop - 1].end
    return None


def _attribution_before(text: str, mentions: Mentions, q: Quotation, floor: int):
    """(cue span, speaker key) of `X said: "…"` before the opening mark, or None."""
    toks = tokens(text, floor, q.open_mark)
    if not toks:
        return None
    end = len(toks)
    while end > 0 and toks[end - 1].text in (":", ",", "—", "-"):
        end -= 1
    if end > 0 and toks[end - 1].text.lower() == "that":
        end -= 1
    # the cue must be among the last words before the mark
    for k in range(end - 1, max(-1, end - 1 - CUE_WINDOW), -1):
        t = toks[k]
        if t.text in _CLAUSE_STOP:
            return None
        if _is_cue(t) and t.text.lower() not in ("continued", "continues"):
            between = [x.text.lower() for x in toks[k + 1:end]]
            if any(w in _CLAUSE_WORDS for w in between):
                return None  # `said it was "…"`: verbatim words inside reported speech (mixed), not a direct quote
            speaker = subject_before(mentions, toks, k, 0)
            return (t.start, t.end), speaker
    return None


def _stands_as_speech(text: str, q: Quotation, floor: int) -> bool:
    content = " ".join(text[s:e] for s, e in q.fragments)
    if len([w for w in content.split() if any(c.isalpha() for c in w)]) < 3:
        return False
    before = text[floor:q.open_mark].rstrip()
    return before == "" or before[-1] in ":,.—–-;" or before.split()[-1].lower().strip(",:") in DIRECT_CUES


def _continue(prev: DirectQuote, q: Quotation) -> None:
    """`q` continues the quote `prev` (an interrupted quote, or the next paragraph of a speech)."""
    prev.fragments.extend(q.fragments)
    prev.attribution_end = q.outer_end
    prev.quotations.append(q)


def _attributed(out: list[DirectQuote], q: Quotation, after, before) -> None:
    """A quote with its attribution after (`"…," X said`) or before (`X said: "…"`)."""
    cue, speaker = (after[0], after[1]) if after else before
    attribution_end = after[2] if after else q.outer_end
    prev = out[-1] if out else None
    if after is None and prev is not None and prev.cue == cue:
        # an interrupted quote: `"We will," X said, "rebuild it."`: the cue between them is the first part's
        _continue(prev, q)
    else:
        out.append(DirectQuote(list(q.fragments), cue, speaker, attribution_end, [q]))


def _unattributed(out: list[DirectQuote], q: Quotation, text: str, mentions: Mentions) -> None:
    """A quote without attribution: continues the previous one, is its speaker's, or the nearest person's."""
    prev = out[-1] if out else None
    if prev is not None and text[prev.attribution_end:q.open_mark].strip(" \n\t.,;") == "":
        _continue(prev, q)
    elif prev is not None and q.open_mark - prev.attribution_end < 1500:
        out.append(DirectQuote(list(q.fragments), None, prev.speaker, q.outer_end, [q]))
    else:
        speaker = nearest_name_before(mentions, q.open_mark)
        out.append(DirectQuote(list(q.fragments), None, speaker, q.outer_end, [q]))


def direct_quotes(text: str, mentions: Mentions, quotations: list[Quotation],
                  sentence_start_of, paragraph_end_of, source_lists: list | None = None) -> list[DirectQuote]:
    """Direct quotes from the quotations of a text (speech only: scare quotes and titles are left out).

    Source list entries found on the way are appended to `source_lists` as (start, end) spans."""
    out: list[DirectQuote] = []
    previous_end = 0
    for q in quotations:
        floor = max(sentence_start_of(q.open_mark), previous_end)
        limit = paragraph_end_of(q.outer_end - 1 if q.close_mark is not None else q.end - 1)
        if q.close_mark is not None and _SOURCE_LIST.match(text, q.outer_end, limit):
            if source_lists is not None:
                source_lists.append((q.open_mark, limit))
            continue  # `"Headline" — Toronto Star, August 15, 2008`: a source list entry (1.2, 3.2)
        after = _attribution_after(text, mentions, q, limit) if q.close_mark is not None else None
        before = None if after else _attribution_before(text, mentions, q, floor)
        if after is not None or before is not None:
            _attributed(out, q, after, before)
        elif _stands_as_speech(text, q, floor):
            _unattributed(out, q, text, mentions)
        else:
            continue
        previous_end = q.outer_end
    return out
