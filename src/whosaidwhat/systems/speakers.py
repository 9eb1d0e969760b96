"""Who speaks: the source noun phrase of a cue, as a mention (guidelines 3.6).

* `subject_before`: the subject of a cue verb (`Kremlin spokesman Dmitry Peskov told`): skip
  auxiliaries and adverbs back from the cue; a pronoun is the speaker; a name ending there is the
  speaker, unless it is the object of a preposition inside a description (`a spokesman for
  Ford` is the spokesman); an apposition between commas is skipped back to the name it
  describes (`Michael Golden, the GAO's counsel, said`); otherwise a short description
  (`the company`, `officials`) is a nominal mention.
* `speaker_after`: the source after an inverted cue (`said Michael R. Golden, the GAO's ...`;
  `according to the Associated Press`): the first person's name up to the next comma, else the
  first name, else the description.
* `nearest_name_before`: the fallback of a quote with no attribution: the nearest person's
  name before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import CUE_FILLERS, SUBJECT_PRONOUNS
from .mentions import PRONOUN_TYPES, Mentions
from .text import Token

DETERMINERS = frozenset("""the a an his her its their our this that these those one some many several two three
four five six both each another other all most""".split())
PREPOSITIONS = frozenset("for of at from with in on by to".split())
_PERSON_NOUNS = frozenset("""spokesman spokeswoman spokesperson official officials analyst analysts minister president
expert experts researchers researcher scientist scientists police officer officers witnesses witness residents
resident director chairman executive ceo manager lawyer lawyers attorney prosecutor prosecutors judge leader
leaders source sources spokesmen people man woman father mother member members representative representatives
economist economists investigators investigator doctors doctor critics critic activists activist author authors
secretary governor mayor senator coach player players fans user users owner owners students student teacher""".split())
_WORK_NOUNS = frozenset("report study statement survey paper posting article letter analysis document".split())


def _nominal_type(words: list[str]) -> str:
    head = words[-1].lower() if words else ""
    if head in _WORK_NOUNS:
        return "WORK"
    if head in _PERSON_NOUNS or head.endswith(("man", "woman", "ist", "er", "ers", "ists")):
        return "PER"
    return "ORG"


def _skip_fillers(toks: Sequence[Token], k: int, low: int) -> int:
    while k >= low and toks[k].text.lower() in CUE_FILLERS:
        k -= 1
    return k


def _name_ending(mentions: Mentions, tok: Token):
    """The name mention that ends with this token (a possessive token ends a name early: not here).

    The first one in text order: any name that ends there starts either after `tok.start - 200` or
    at or before `tok.start`, the two cases this rule once tested in turn."""
    return mentions.first_name_ending_at(tok.end)


def _before_parenthesis(toks: Sequence[Token], k: int, low: int) -> int:
    """`Korean Central News Agency (KCNA) said`: the token before the parenthesis that ends at toks[k]."""
    j = k
    while j > low and toks[j].text != "(":
        j -= 1
    return j - 1


def _apposition_subject(mentions: Mentions, toks: Sequence[Token], k: int, low: int):
    """`NAME, the description, said` (toks[k] is the second comma): the name's key, or None."""
    j = k - 1
    while j > low and toks[j].text != "," and k - j < 16:
        j -= 1
    if j > low and toks[j].text == ",":
        named = _name_ending(mentions, toks[j - 1])
        if named is not None:
            return mentions.key_of(named)
    return None


def _phrase_start(toks: Sequence[Token], k: int, low: int, named) -> int:
    """Walk back from toks[k] over the noun phrase: lower-case words, names, possessives, up to a determiner."""
    j = k
    first = k
    while j >= low and k - j < 8:
        t = toks[j]
        w = t.text.lower()
        if not t.is_word and t.text not in ("'s", "’s", "-", "&"):
            break
        if w in DETERMINERS:
            return j
        if w in ("and", "or", "that", "which", "who") or (w in PREPOSITIONS and named is None):
            break
        first = j
        j -= 1
    return first


def _phrase_subject(mentions: Mentions, toks: Sequence[Token], k: int, low: int):
    """The subject ending at toks[k]: a name (or the description it is the object of), or a nominal mention."""
    named = _name_ending(mentions, toks[k])
    first = _phrase_start(toks, k, low, named)
    words = [t.text for t in toks[first:k + 1]]
    if named is not None:
        before_name = [t.text.lower() for t in toks[first:k + 1] if t.end <= named.start]
        if any(w in PREPOSITIONS for w in before_name) and any(w in _PERSON_NOUNS for w in before_name):
            return mentions.add_nominal(toks[first].start, named.end, "PER")
        return mentions.key_of(named)
    if not words or not all(t.is_word for t in toks[first:k + 1]):
        return None
    if toks[k].text.lower() in PREPOSITIONS or toks[k].text[0].isdigit():
        return None
    return mentions.add_nominal(toks[first].start, toks[k].end, _nominal_type(words))


def subject_before(mentions: Mentions, toks: Sequence[Token], cue: int, low: int = 0):
    """Mention key of the subject of the cue at toks[cue], looking no further back than toks[low]."""
    k = _skip_fillers(toks, cue - 1, low)
    if k < low:
        return None
    tok = toks[k]
    if tok.text.lower() in SUBJECT_PRONOUNS:
        return mentions.add_pronoun(tok.start, tok.end)
    if tok.text == ")":
        k = _before_parenthesis(toks, k, low)
        if k < low:
            return None
    if toks[k].text == ",":
        return _apposition_subject(mentions, toks, k, low)
    return _phrase_subject(mentions, toks, k, low)


_SOURCE_END = frozenset((",", ".", ";", ":", "!", "?", "(", "\"", "“", "”"))


def _named_source(mentions: Mentions, span_start: int, span_end: int, first: str):
    """The first person's name in the source, else the name ending it (or its only name), else None."""
    names = mentions.names_in(span_start, span_end)
    persons = [m for m in names if m.type == "PER"]
    if persons:
        return mentions.key_of(persons[0])
    if names and (first not in DETERMINERS or len(names) == 1 and names[0].end == span_end):
        return mentions.key_of(names[-1] if names[-1].end == span_end else names[0])
    return None


def speaker_after(mentions: Mentions, toks: Sequence[Token], begin: int, end: int | None = None):
    """Mention key of the source after an inverted cue or `according to`: toks[begin:end]."""
    end = len(toks) if end is None else end
    stop = begin
    while stop < end and toks[stop].text not in _SOURCE_END:
        stop += 1
    if stop == begin:
        return None
    span_start, span_end = toks[begin].start, toks[stop - 1].end
    first = toks[begin].text.lower()
    if first in SUBJECT_PRONOUNS and stop - begin == 1:
        return mentions.add_pronoun(toks[begin].start, toks[begin].end)
    named = _named_source(mentions, span_start, span_end, first)
    if named is not None:
        return named
    if stop - begin <= 8 and all(t.is_word or t.text in ("'s", "’s", "-") for t in toks[begin:stop]):
        return mentions.add_nominal(span_start, span_end, _nominal_type([t.text for t in toks[begin:stop]]))
    return None


def nearest_name_before(mentions: Mentions, offset: int, window: int = 600, types=("PER",)):
    """Mention key of the last name of one of `types` ending before `offset`, within `window` code points."""
    for m in reversed(mentions.names_before(offset)):
        if m.end <= offset and offset - m.end <= window and m.type in types:
            return mentions.key_of(m)
    return None


__all__ = ["subject_before", "speaker_after", "nearest_name_before", "PRONOUN_TYPES"]
