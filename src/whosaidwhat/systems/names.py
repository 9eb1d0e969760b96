"""Entity names without a model: capitalised sequences, trimmed by rules, typed by evidence.

`find_names(text, gazetteer)` returns `Name`s (start, end, type, evidence) in text order:

1. *Candidates* are maximal runs of capitalised words in a sentence, joined across the
   connectors of multi-word names (`University of Southern Indiana`, `Evergreen Aviation & Space
   Museum`) only where the left part ends in an institution word or the whole name is known.
2. *Trimming* (guidelines 2.3): a possessive ending ends the name (`Armenia’s` -> `Armenia`);
   leading titles and honorifics go (`Prime Minister Nikol Pashinyan` -> `Nikol Pashinyan`) and
   are evidence of a person; a leading `The` goes unless the whole name is known with it;
   function words, months and weekdays are not names; a sentence opener that is usually lower
   case (in the train texts or in this document) is not a name; nationality adjectives before a
   lower-case noun (`Italian newspaper`) are not names; `X-based` is not a name.
3. *Typing*, first evidence wins: the whole name in the train gazetteer; the same name typed
   earlier in the document; a title before it (PER); an organisation, facility, place or event
   word in it; votes of its words in the gazetteer; an acronym (ORG); a place preposition before
   a one-word name (GPE); two or three plain capitalised words (PER); otherwise ORG.
4. *Document consistency*: a one-word name that is part of a person's longer name in the same
   document is a person (`Peskov` after `Dmitry Peskov`), an acronym of a longer name takes its
   type (`GAO`), and every occurrence of one string gets one type.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .gazetteer import Gazetteer
from .lexicon import (
    CUE_FILLERS,
    CUE_VERBS,
    EVENT_WORDS,
    FAC_SUFFIXES,
    FUNCTION_WORDS,
    GPE_SUFFIXES,
    LOC_SUFFIXES,
    MONTHS,
    NAME_CONNECTORS,
    ORG_SUFFIXES,
    TITLES,
    WEEKDAYS,
)
from .text import Token, TokenTable, paragraphs, sentences, tokens, words

_POSSESSIVE = re.compile(r"['’]s$")
_INNER_CAPITAL = re.compile(r"[a-z]{1,2}[A-Z]")
#: `Los Angeles-based`, `Scientology-owned`: adjectives made from names are not names (R9)
_LOWER_HYPHEN = re.compile(r"-(?:based|owned|led|born|backed|made|style|related|speaking|controlled|run|funded|"
                           r"affiliated|supported|bound|built|held|friendly|linked|registered|headquartered|era|"
                           r"era|type|class|like|inspired|specific|wide|centric|focused)$")
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ian|ean|can|ese|ish|ani|aqi|eli|udi|an|ic|ch)$")
_NOT_NOUNS = frozenset("""now today yesterday tomorrow again also too then there here still already never always
often later earlier soon""".split())
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z&0-9]{1,6}$")
_EDGE_CONNECTORS = frozenset("of for and on the & y".split())
_QUOTE_OPEN = set("\"“‘'«„")
_OPENERS = frozenset(_QUOTE_OPEN | {":", "(", "—", "-"})
_JOINING_HEADS = ORG_SUFFIXES | FAC_SUFFIXES | GPE_SUFFIXES | LOC_SUFFIXES | EVENT_WORDS | frozenset(
    "house chamber order secretary museum gallery cape isle states".split())
_PLACE_PREPOSITIONS = frozenset("in from at near across outside inside throughout".split())
#: a capitalised word that `_leading_word` always drops: a name of its own only when the gazetteer knows it
_NEVER_ALONE = FUNCTION_WORDS | WEEKDAYS | MONTHS
_YEAR_AT_END = re.compile(r"\b(19|20)\d\d$")
_PERSON_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*|[A-Z]\.)$")


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    type: str
    evidence: str


def _is_cap(token: Token) -> bool:
    t = token.text
    if not t[0].isalpha():
        return False
    return t[0].isupper() or (t[0].islower() and bool(_INNER_CAPITAL.match(t)))  # iPhone, eBay


def _capitalised(texts: Sequence[str]) -> list[bool]:
    """`_is_cap` of every token text, without a Python step per token: an upper-case letter first, or an
    inner capital (`_INNER_CAPITAL` matches only after a lower-case letter, so the two never disagree)."""
    firsts = list(map(operator.itemgetter(0), texts))
    caps = list(map(operator.and_, map(str.isalpha, firsts), map(str.isupper, firsts)))
    for k in itertools.compress(itertools.count(), map(_INNER_CAPITAL.match, texts)):
        caps[k] = True
    return caps


@functools.lru_cache(maxsize=16)
def _capitals(text: str) -> list[bool]:
    """`_capitalised` of all the tokens of a text (memoised: one pass per document)."""
    return _capitalised(TokenTable.of(text).texts)


def _sentence_tokens(text: str, start: int, end: int) -> tuple[Sequence[Token], list[bool]]:
    """The tokens of a sentence and whether each is capitalised."""
    table = TokenTable.of(text)
    found = table.span(start, end)
    if found is None:  # an edge inside a token: tokenised on its own
        toks = tokens(text, start, end)
        return toks, _capitalised([t.text for t in toks])
    return table.tokens[found[0]:found[1]], _capitals(text)[found[0]:found[1]]


def _name_word(tok: Token) -> bool:
    """A capitalised token that is not an adjective made from a name (`Los Angeles-based`)."""
    return "-" not in tok.text or not _LOWER_HYPHEN.search(tok.text)


def _core_end(token: Token) -> tuple[int, bool]:
    """Where the name part of a token ends, and whether the token ends the name (possessive, -based)."""
    if token.text.endswith(("'s", "’s")):  # = _POSSESSIVE.search: a token holds no newline
        return token.end - 2, True
    return token.end, False


def _is_title_case_headline(text: str, start: int, end: int) -> bool:
    words = [t.text for t in tokens(text, start, end) if t.text.isalpha() and len(t.text) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _joins(text: str, toks: Sequence[Token], group: list[int], j: int, gazetteer: Gazetteer) -> bool:
    """Whether the connector `toks[j]` joins the group to the capitalised token after it."""
    tok = toks[j]
    left = text[toks[group[0]].start:toks[group[-1]].end]
    joined = text[toks[group[0]].start:toks[j + 1].end]
    head = toks[group[-1]].text.lower()
    ok = joined in gazetteer.names
    if tok.text in ("of", "for", "on") and head in _JOINING_HEADS:
        ok = True
    if tok.text == "&" or tok.text in ("de", "da", "del", "della", "der", "von", "van", "al", "du"):
        ok = True
    return ok and bool(left)


def _extend_group(text: str, toks: Sequence[Token], caps: list[bool], group: list[int], gazetteer: Gazetteer) -> int:
    """Grow `group` (started at one capitalised token) to the right; the index after it."""
    n = len(toks)
    _, ends = _core_end(toks[group[0]])
    j = group[0] + 1
    while not ends and j < n:
        gap = text[toks[j - 1].end:toks[j].start]
        if "\n" in gap:
            break
        tok = toks[j]
        if caps[j] and gap in (" ", "") and _name_word(tok):
            group.append(j)
            _, ends = _core_end(tok)
            j += 1
            continue
        if (tok.text.lower() in NAME_CONNECTORS and j + 1 < n and caps[j + 1]
                and "\n" not in text[tok.end:toks[j + 1].start] and _joins(text, toks, group, j, gazetteer)):
            group += [j, j + 1]
            _, ends = _core_end(toks[j + 1])
            j += 2
            continue
        break
    return j


def _candidate_groups(text: str, toks: Sequence[Token], caps: list[bool], gazetteer: Gazetteer) -> list[list[int]]:
    """Runs of capitalised tokens (indexes into `toks`; `caps`: which are capitalised), joined across name connectors."""
    groups: list[list[int]] = []
    i = 0
    for k in itertools.compress(range(len(toks)), caps):
        if k < i or not _name_word(toks[k]):
            continue
        group = [k]
        i = _extend_group(text, toks, caps, group, gazetteer)
        groups.append(group)
    return groups


class _Context:
    """What the trimming and typing rules may look at for one document."""

    def __init__(self, text: str, gazetteer: Gazetteer):
        self.text = text
        self.gazetteer = gazetteer
        texts = TokenTable.of(text).texts
        self.lower_here = set(itertools.compress(texts, map(str.islower, texts)))

    def common(self, word: str) -> bool:
        w = word.lower()
        return w in FUNCTION_WORDS or self.gazetteer.is_common_word(word) or (
            w in self.lower_here and word not in self.gazetteer.names)


def _strip_leading(ctx: _Context, toks: Sequence[Token], group: list[int], words: list[Token], initial: bool,
                   sentence_first: int) -> tuple[list[Token], bool]:
    """`words` without leading `The`, function words, dates, titles and a usually lower-case sentence opener."""
    title = False
    while words:
        opener = initial and words[0] is toks[group[0]] and group[0] == sentence_first
        drop = _leading_word(ctx, words, opener)
        if drop is None:
            break
        title = title or drop == "title"
        words = words[1:]
    return words, title


def _ends_in_organisation(words: list[Token]) -> bool:
    last = words[-1].text.lower()
    return last.rstrip(".") in ORG_SUFFIXES or _POSSESSIVE.sub("", last) in ORG_SUFFIXES


def _leading_word(ctx: _Context, words: list[Token], opener: bool) -> str | None:
    """Why the first of `words` is not part of the name ("title", "word"), or None when it is."""
    first = words[0]
    low = first.text.lower()
    if (low == "the" and len(words) > 1) or low in FUNCTION_WORDS or low in WEEKDAYS or low in MONTHS:
        return "word"
    if low.rstrip(".") in TITLES or low in TITLES:
        return None if _ends_in_organisation(words) else "title"
    if opener and ctx.common(first.text):
        rest = ctx.text[words[1].start:_core_end(words[-1])[0]] if len(words) > 1 else ""
        if len(words) == 1 or rest:
            return "word"
    return None


def _after_inner_title(words: list[Token]) -> list[Token] | None:
    """The words after a title inside the run (`Afghan Ambassador Hamdullah Mohib`), or None when there is none."""
    for k in range(len(words) - 2, 0, -1):
        if words[k].text.lower().rstrip(".") in TITLES and words[k + 1].text[0].isupper() and not any(
                w.text.lower().rstrip(".") in ORG_SUFFIXES for w in words[k + 1:]):
            return words[k + 1:]
    return None


def _strip_edges(words: list[Token]) -> list[Token]:
    """Connectors and function words cannot start or end a name."""
    while words and words[0].text.lower() in _EDGE_CONNECTORS:
        words = words[1:]
    while words and (words[-1].text.lower() in NAME_CONNECTORS or words[-1].text.lower() in FUNCTION_WORDS):
        words = words[:-1]
    return words


def _trim(ctx: _Context, toks: Sequence[Token], group: list[int], initial: bool, sentence_first: int):
    """(start token, end offset, title evidence) of the name in a candidate group, or None."""
    words = [toks[k] for k in group]
    whole_end = _core_end(words[-1])[0]
    whole = ctx.text[words[0].start:whole_end]
    if whole in ctx.gazetteer.names:
        return words[0].start, whole_end, False
    if len(words) == 1 and words[0].text.lower() in _NEVER_ALONE:
        return None  # what the rules below do with it: `_leading_word` drops it, and nothing is left
    words, title = _strip_leading(ctx, toks, group, words, initial, sentence_first)
    inner = _after_inner_title(words)
    if inner is not None:
        title, words = True, inner
    words = _strip_edges(words)
    if not words:
        return None
    start, end = words[0].start, _core_end(words[-1])[0]
    surface = ctx.text[start:end]
    if len(surface) < 2 or surface == "I" or not any(c.isalpha() for c in surface):
        return None
    return start, end, title


def _word_type(surface: str, lowered: list[str]) -> tuple[str, str] | None:
    """The type a facility, organisation, place or event word in the name gives, or None."""
    if lowered and lowered[-1] in FAC_SUFFIXES:
        return "FAC", "facility word"
    if not ORG_SUFFIXES.isdisjoint(lowered):
        return "ORG", "organisation word"
    if lowered and (lowered[-1] in LOC_SUFFIXES or lowered[0] in ("mount", "lake", "cape", "gulf")):
        return "LOC", "place word"
    if lowered and lowered[-1] in GPE_SUFFIXES:
        return "GPE", "place word"
    if not EVENT_WORDS.isdisjoint(lowered[1:]) or _YEAR_AT_END.search(surface):
        return "EVENT", "event word"
    return None


def _vote_type(word_list: list[str], gazetteer: Gazetteer) -> tuple[str, str] | None:
    votes: dict[str, int] = {}
    for w in word_list:
        for label, count in gazetteer.token_types(w).items():
            votes[label] = votes.get(label, 0) + count
    if votes and sum(votes.values()) >= 2:
        return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0], "word votes"
    return None


def _shape_type(surface: str, word_list: list[str], before: str | None, after_cue: bool) -> tuple[str, str]:
    """The type the name's shape and neighbours suggest (acronym, place preposition, plain words, ...)."""
    one = len(word_list) == 1
    if one and _ACRONYM.match(surface):
        return "ORG", "acronym"
    if one and before in _PLACE_PREPOSITIONS:
        return "GPE", "place preposition"
    if 2 <= len(word_list) <= 4 and all(_PERSON_WORD.match(w) for w in word_list):
        return "PER", "two or three plain words"
    if one and after_cue:
        return "PER", "speaks"
    if one and _NATIONALITY.match(surface) and surface.endswith("s"):
        return "NORP", "nationality noun"
    return "ORG", "default"


def _structural_type(surface: str, word_list: list[str], title: bool, before: str | None,
                     gazetteer: Gazetteer, after_cue: bool = False) -> tuple[str, str]:
    known = gazetteer.name_type(surface)
    if known:
        return known, "gazetteer"
    if title:
        return "PER", "title"
    lowered = [w.lower().rstrip(".") for w in word_list]
    return (_word_type(surface, lowered) or _vote_type(word_list, gazetteer)
            or _shape_type(surface, word_list, before, after_cue))


def _confirmed_parts(text: str, start: int, end: int, body: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Longest runs of words of a title-case headline group that the body (or the gazetteer) writes as a name."""
    words = [t for t in tokens(text, start, end) if t.is_word]
    out, i = [], 0
    while i < len(words):
        for j in range(len(words), i, -1):
            surface = text[words[i].start:words[j - 1].end]
            if surface in gazetteer.names or re.search(r"(?<![\w])" + re.escape(surface) + r"(?![\w])", body):
                if surface.lower() not in FUNCTION_WORDS:
                    out.append((words[i].start, words[j - 1].end))
                i = j
                break
        else:
            i += 1
    return out


def _acronym_of(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[0].isupper())


#: a name found in a sentence: start, end, title evidence, the word before it, its words, followed by a cue verb
_Found = tuple[int, int, bool, "str | None", list[str], bool]
_STRONG = frozenset({"gazetteer", "title", "organisation word", "facility word", "place word", "event word"})


def _adjective_before_noun(surface: str, word_list: list[str], nxt: Token | None, gazetteer: Gazetteer) -> bool:
    """A nationality adjective before a lower-case noun (`Italian newspaper`): not a name (R9)."""
    return (len(word_list) == 1 and bool(_NATIONALITY.match(surface)) and nxt is not None and nxt.text.isalpha()
            and nxt.text.islower() and nxt.text not in CUE_VERBS and nxt.text not in CUE_FILLERS
            and nxt.text not in ("and", "or", "of", "in", "is", "was", "to", "on", "for", "who", "which")
            and nxt.text not in _NOT_NOUNS
            and surface not in gazetteer.names)


def _opens_sentence(toks: Sequence[Token], k: int) -> bool:
    """toks[k] is the first word, or the first word after an opening quotation mark or a colon."""
    return k == 0 or toks[k - 1].text in _OPENERS


def _around(toks: Sequence[Token], group: list[int], start: int, end: int) -> tuple[str | None, int]:
    """(the word before the name, lower-cased, or None; the index of the name's last token)."""
    k_first = next((k for k in group if toks[k].start == start), group[0])
    k_last = max(k for k in group if toks[k].start < end)
    return (toks[k_first - 1].text.lower() if k_first > 0 else None), k_last


def _headline_parts(text: str, start: int, end: int, body: str, gazetteer: Gazetteer) -> list[_Found]:
    return [(s_, e_, False, None, [t.text for t in tokens(text, s_, e_) if t.is_word], False)
            for s_, e_ in _confirmed_parts(text, start, end, body, gazetteer)]


def _sentence_names(ctx: _Context, toks: Sequence[Token], caps: list[bool], in_headline: bool, body: str,
                    found: list[_Found]) -> None:
    """Add the names of one sentence to `found`; `in_headline`: a title-case headline (only confirmed parts count)."""
    text, gazetteer = ctx.text, ctx.gazetteer
    for group in _candidate_groups(text, toks, caps, gazetteer):
        trimmed = _trim(ctx, toks, group, _opens_sentence(toks, group[0]), group[0])
        if trimmed is None:
            continue
        start, end, title = trimmed
        surface = text[start:end]
        before, k_last = _around(toks, group, start, end)
        nxt = toks[k_last + 1] if k_last + 1 < len(toks) else None
        word_list = words(text, start, end)
        if _adjective_before_noun(surface, word_list, nxt, gazetteer):
            continue
        if in_headline and surface not in gazetteer.names and surface not in body:
            found.extend(_headline_parts(text, start, end, body, gazetteer))
            continue
        after = [t.text for t in toks[k_last + 1:k_last + 4] if t.text not in CUE_FILLERS]
        found.append((start, end, title, before, word_list, bool(after) and after[0] in CUE_VERBS))


@dataclass
class _Typed:
    start: int
    end: int
    label: str
    evidence: str
    words: list[str]


def _consistent(text: str, typed: list[_Typed]) -> list[Name]:
    """Document consistency: parts of persons' names, acronyms of names, one type per string."""
    first_type = _first_types(text, typed)
    out = []
    for item in typed:
        surface = text[item.start:item.end]
        label = item.label
        if item.evidence not in _STRONG and surface in first_type:
            label = first_type[surface][0]
        out.append(Name(item.start, item.end, label, item.evidence))
    return out


def _first_types(text: str, typed: list[_Typed]) -> dict[str, tuple[str, str]]:
    """Retype parts of persons' names and acronyms of names; the type each string gets first (or by strong evidence)."""
    persons = {w for t in typed if t.label == "PER" and len(t.words) > 1 for w in t.words}
    acronyms = {_acronym_of(t.words): t.label for t in typed if len(t.words) > 2}
    first_type: dict[str, tuple[str, str]] = {}
    for item in typed:
        surface = text[item.start:item.end]
        if item.evidence not in _STRONG and len(item.words) == 1:
            if surface in persons:
                item.label, item.evidence = "PER", "part of a person's name"
            elif surface.replace(".", "") in acronyms:
                item.label, item.evidence = acronyms[surface.replace(".", "")], "acronym of a name"
        if item.evidence in _STRONG or surface not in first_type:
            first_type.setdefault(surface, (item.label, item.evidence))
    return first_type


def find_names(text: str, gazetteer: Gazetteer) -> list[Name]:
    """Every name the rules find in `text`, in text order."""
    ctx = _Context(text, gazetteer)
    found: list[_Found] = []
    paras = paragraphs(text)
    headline_title_case = len(paras) > 1 and _is_title_case_headline(text, *paras[0])
    body = text[paras[1][0]:] if len(paras) > 1 else ""
    for p_index, (ps, pe) in enumerate(paras):
        for ss, se in sentences(text, ps, pe):
            toks, caps = _sentence_tokens(text, ss, se)
            if toks:
                _sentence_names(ctx, toks, caps, p_index == 0 and headline_title_case, body, found)
    typed = []
    for start, end, title, before, word_list, speaks in found:
        label, evidence = _structural_type(text[start:end], word_list, title, before, gazetteer, speaks)
        typed.append(_Typed(start, end, label, evidence, word_list))
    return _consistent(text, typed)
