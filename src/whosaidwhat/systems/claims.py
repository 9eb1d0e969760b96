"""Claims: clauses with checkable content, their claimant and a check-worthiness rule (section 4).

* Units: the headline (one claim when it asserts something), then every sentence, split into
  clauses at `;`, `, and`/`, but`/`, while`/`, although` before a new subject. A dateline is
  not a claim, and its `Place - ` prefix is not part of the first sentence's claim.
* Checkable content (4.1, 4.2): at least four words, a figure (digits, number words, money,
  per cent) or a name together with a finite verb; never a question, and never hedged or
  predicted (`may`, `might`, `could`, `would`, `possibly`, `perhaps`).
* Claimant (4.4): inside a direct quote, the quote's speaker (the claim lies inside the quote's
  fragment and links to it); the content of an indirect quote is a claim of its speaker; any
  other sentence is the outlet's. A sentence reporting only that someone spoke is not an outlet
  claim (4.2): its content is the quote's.
* Check-worthiness (4.6, 7A A2), first answer wins: background (`X is a ...` without a figure)
  false; a market or economy moving true; a figure that is not just a year or a date true; an
  act of consequence (killed, signed, sued, won, ...) true; casualties, courts, crime, elections,
  laws, health true; otherwise false.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .text import strip_final_punctuation, trim, words_and_lower

_NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred hundreds thousand thousands million millions billion billions trillion percent per cent dozen dozens half
quarter""".split())
_HEDGES = frozenset("may might could would possibly perhaps probably maybe should".split())
_OPENING_HEDGES = _HEDGES - {"may"}  # `May` mid-sentence is the month
_FINITE = frozenset("""is are was were has have had will did does do said says""".split())
_IRREGULAR_PAST = frozenset("""made won lost paid sold bought took gave got went came held led left fell rose grew
became began brought built fought found hit kept let met ran sent set shot spent stood struck told thought threw
broke chose drove ate flew forgot froze hid knew laid lay meant overtook put quit read rode rang saw sought shook
shut sang sank slid spoke stole stuck swore swept swam taught tore understood woke wore wrote withdrew""".split())
_BACKGROUND = re.compile(r"\b(is|are|was) (a|an|one of|located|known as|part of|home to)\b|\bwas founded\b|\bis the (capital|largest)\b")
_MARKET = frozenset("""rose fell gained lost dropped climbed declined surged plunged slumped tumbled rallied jumped slid
rise fall rises falls gains drops recession shares stock stocks index indices points dow nasdaq ftse nikkei
economy inflation unemployment gdp""".split())
_ACTS = frozenset("""killed arrested sued signed won lost decided paid closed fired hired violated failed accused charged
convicted sentenced ruled approved banned elected defeated attacked invaded resigned appointed agreed acquired
bought sold merged launched cut raised fined ordered blocked rejected imprisoned injured died destroyed damaged
awarded upheld vetoed passed seized captured detained released recalled withdrew bid filed reported pledged
announced cancelled canceled suspended denied abandoned broke""".split())
_TOPICS = frozenset("""killed kill killing dead died deaths death injured wounded casualties damage court courts law laws
election elections police crime murder health disease virus hospital safety attack attacks war military troops vote
voters tax taxes budget trial verdict prison jail arrest lawsuit fraud""".split())
_CLAUSE_SPLIT = re.compile(r"(?:;\s+|,\s+(?:and|but|while|although|though|whereas)\s+|\s+while\s+)"
                           r"(?=(?:the|a|an|its|his|her|their|it|he|she|they|this|these|[A-Za-z0-9-]+\s+(?:of\s+)?[A-Z]|[A-Z0-9]))")
_OPINION_OPENERS = frozenset("i we you".split())
_COGNITION = frozenset("""think thinks thought believe believes believed hope hopes hoped wish wishes wished want wants
feel feels felt""".split())
_DATELINE = re.compile(r"^[A-Z][A-Za-z]+ \d{1,2}(?:, \d{4})?(?:, [A-Z][\w .'-]*)*\s[-–—]\s")
_DATE_ONLY = re.compile(r"^(?:[A-Z][a-z]+day, )?[A-Z][a-z]+ \d{1,2}, \d{4}$|^\d{1,2} [A-Z][a-z]+ \d{4}$")
#: (matched at a clause's start, so without `^`: with a start position `^` would not match)
_CONNECTIVE = re.compile(r"(?:However|Also|Meanwhile|Moreover|Furthermore|In addition|Additionally|Still|But|And|So|"
                         r"Instead|Nevertheless|Reportedly|Unexpectedly|Separately|Earlier|Later|Overall),?\s+")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
_MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())


@dataclass
class ClaimCandidate:
    fragments: list[tuple[int, int]]
    claimant: object        # "outlet", a mention key, or None (unknown)
    quote: int | None       # index of the quote it lies in
    check_worthy: bool


def has_figure(words: list[str]) -> bool:
    """A number, amount or percentage that is not only a year or a day of a date."""
    return _has_figure(words, [w.lower() for w in words])


def _has_figure(words: Sequence[str], lowered: Sequence[str]) -> bool:
    if not _NUMBER_WORDS.isdisjoint(lowered):
        return True
    for i, w in enumerate(words):
        if w[0].isdigit():
            if _YEAR.match(w):
                continue
            if i > 0 and lowered[i - 1] in _MONTH_NAMES:
                continue
            return True
    return False


def checkable(text: str, start: int, end: int, has_name: bool) -> bool:
    """Whether a clause states checkable content (4.1, 4.2)."""
    found, lowered = words_and_lower(text, start, end)
    if len(found) < 4 or text[start:end].rstrip().endswith("?"):
        return False
    if lowered[0] in _OPENING_HEDGES or not _HEDGES.isdisjoint(found[1:]):
        return False
    if lowered[0] in _OPINION_OPENERS or not _COGNITION.isdisjoint(lowered):
        return False
    return _has_finite_verb(lowered)


_FINITE_WORDS = _FINITE | _IRREGULAR_PAST


def _has_finite_verb(lowered: Sequence[str]) -> bool:
    """A lower-cased word of the clause looks like a finite verb (a -s form only after the first word)."""
    if not _FINITE_WORDS.isdisjoint(lowered):
        return True
    return (any(len(w) > 4 and w.endswith("ed") for w in lowered)
            or any(len(w) > 3 and w.endswith("s") and not w.endswith("ss") for w in lowered[1:]))


def check_worthy(text: str, start: int, end: int, outlet: bool = True) -> bool:
    """The D1-D5 decision procedure of guidelines 4.6, as word rules (`outlet`, who claims it, is not used)."""
    found, lowered = words_and_lower(text, start, end)
    figure = _has_figure(found, lowered)
    if not figure and _BACKGROUND.search(text[start:end]):  # (a slice: `\b` at a start position sees the text before)
        return False
    if figure:
        return True
    return not (_MARKET.isdisjoint(lowered) and _ACTS.isdisjoint(lowered) and _TOPICS.isdisjoint(lowered))


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence's clauses: split at `;` and at coordinations before a new subject; connectives and final punctuation removed."""
    pieces = []
    cursor = start
    for m in _CLAUSE_SPLIT.finditer(text, start, end):
        pieces.append((cursor, m.start()))
        cursor = m.end()
    pieces.append((cursor, end))
    out = []
    for s, e in pieces:
        s, e = trim(text, s, e)
        connective = _CONNECTIVE.match(text, s, e)
        if connective:
            s = connective.end()
        s, e = strip_final_punctuation(text, s, e)
        s, e = trim(text, s, e)
        while e > s and text[e - 1] in "\"“”'’)" and text[s:e].count(text[e - 1]) % 2 == 1 and text[e - 1] in "\"'":
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def strip_dateline(text: str, start: int, end: int) -> int:
    """Start of a paragraph's first sentence without a `November 17, Brisbane - ` dateline."""
    m = _DATELINE.match(text[start:end])
    return start + m.end() if m else start


def is_date_line(text: str, start: int, end: int) -> bool:
    return bool(_DATE_ONLY.match(text[start:end].strip()))
