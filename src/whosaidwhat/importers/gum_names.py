"""Which GUM mentions are names, and where the name is inside GUM's maximal NP.

GUM marks every referring expression with a maximal-NP span and has no named-entity flag.
The benchmark scores NER-style name spans, so a GUM mention whose head is a proper noun is cut
down to its name: for people the personal name without titles or roles ("Afghan Ambassador
Hamdullah Mohib" -> "Hamdullah Mohib"), for everything else the maximal run of capitalised
words around the head, with name-internal connectors ("University of Southern Indiana",
"Korean People's Army"), without a leading article unless the article is part of the name.
The rules are documented with measured counts in annotation/GUM_IMPORT.md; their known misses
are fixed by hand in annotation/gum/overrides.json.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .gum_record import GumMention, GumRecord

PROPER_TAGS = frozenset({"NNP", "NNPS"})
PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT", "EX"})

#: words that are titles or roles, never part of a personal name (compared case-sensitively)
TITLE_WORDS = frozenset("""
Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Prof Prof. Professor Emeritus Sir Dame Lord Ambassador President
Vice Vice-President Prime Minister Premier Chancellor Governor Senator Sen. Representative Rep.
Congressman Congresswoman Secretary Undersecretary Under-Secretary Administrator Director Chairman Chairwoman
Chair CEO Chief Executive Spokesman Spokeswoman Spokesperson General Major Colonel Lieutenant Sergeant
Admiral Commander Officer Judge Justice Mayor Councillor Councilor King Queen Prince Princess Pope
Sheriff Detective Deputy Coach Curator MP QC SC Home Shadow Foreign Father Reverend Rev. Imam Rabbi
Bishop Archbishop Cardinal Editor Founder Co-founder President-elect Head High Commissioner
""".split())

#: capitalised descriptors that may precede a personal name without being part of it
DESCRIPTOR_WORDS = frozenset("Scientologist Republican Democrat Labour Conservative Liberal".split())

#: capitalised common nouns that, standing alone ("the Church", "the Court"), are not names
COMMON_CAPITALISED = frozenset("""
Church Court State Administration Government Department Ministry Council Party University College
Navy Army Agency Board Office Match Committee Commission Parliament Senate Congress Police Crown Man
""".split())

#: lower-case words allowed inside (never at the edge of) a non-person name
CONNECTORS = frozenset({"of", "for", "and", "on", "upon", "&", "-", "de", "di", "da", "del", "della", "du",
                        "des", "la", "le", "y", "'s", "’s"})
#: lower-case particles allowed inside a personal name ("Kevin De Bruyne" has a capital anyway)
NAME_PARTICLES = frozenset({"de", "di", "da", "del", "della", "van", "von", "der", "den", "la", "le", "du",
                            "bin", "ibn", "al", "el"})
#: capitalised prefixes of descriptive words that are not part of a name ("Pro-Beijing DAB")
NON_NAME_PREFIXES = ("Pro-", "Anti-", "Pan-", "Ex-", "Non-")
CLITICS = frozenset({"'s", "’s", "'", "’"})


@dataclass(frozen=True)
class Word:
    """Tokens written together without a space (K.C., Kwok-kin, Udvar-Hazy) count as one word."""

    start: int
    end: int
    text: str


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(ch).startswith("P") or ch in "$%+=<>|~^`" for ch in token)


def _boundary(token: str) -> bool:
    """A token that ends a word even when written without a space (punctuation, possessive 's)."""
    return token in CLITICS or (_is_punct(token) and token not in {"-", "&", "‐", "‑"})


def words(record: GumRecord, first_token: int, last_token: int) -> list[Word]:
    """The words of a token range: glued tokens joined, punctuation and clitics kept apart."""
    text = record.text
    out: list[Word] = []
    prev: tuple[int, int] | None = None
    for start, end in record.tokens[first_token:last_token]:
        token = text[start:end]
        if out and prev is not None and prev[1] == start and not _boundary(token) and not _boundary(text[prev[0]:prev[1]]):
            last = out[-1]
            out[-1] = Word(last.start, end, text[last.start:end])
        else:
            out.append(Word(start, end, token))
        prev = (start, end)
    return out


#: lower-case second parts that make a hyphenated capitalised word a description ("Booker Prize-winner")
DESCRIPTIVE_SUFFIXES = ("-winner", "-critic", "-owned", "-based", "-born", "-led", "-backed", "-run", "-style", "-like")


def is_capitalised(word: str) -> bool:
    """First letter upper-case (a leading # or @ is skipped): 'Kwok-kin', '#IStandWithAhmed'."""
    stripped = word.lstrip("#@")
    return bool(stripped) and stripped[0].isupper() and not stripped.endswith(DESCRIPTIVE_SUFFIXES)


def _is_number(word: str) -> bool:
    return word[:1].isdigit()


def _particle_prefixed(word: str) -> bool:
    """'al-Amr', 'el-Sisi', "d'Alembert": a lower-case name particle glued to a capitalised name."""
    return bool(re.match(r"(al|el|ad|ibn|bin|d|de|van|von)[-'’][A-Z]", word))


def normalise(text: str) -> str:
    """Compare names loosely: no accents, case, hyphens or '&'/'and' differences."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ").replace("’", "'")
    plain = re.sub(r"[-‐‑–.]", " ", plain)
    return " ".join(plain.split())


def wikipedia_name(title: str | None) -> str | None:
    """A Wikipedia title without its disambiguation: 'John Baird (Canadian politician)' -> 'John Baird'."""
    if not title:
        return None
    return re.sub(r"\s*\([^)]*\)$", "", title).strip() or None


@dataclass(frozen=True)
class NameDecision:
    """The outcome for one GUM mention: the name span (or None) and the rule that decided."""

    span: tuple[int, int] | None
    rule: str


class NameFinder:
    """Applies the name rules to the mentions of one record."""

    def __init__(self, record: GumRecord):
        self.record = record
        self._title = ""
        self._is_person = False

    # -- helpers ---------------------------------------------------------------------------
    def _foreign_children(self, mention: GumMention) -> list[GumMention]:
        return [c for c in self.record.children(mention) if c.entity != mention.entity]

    @staticmethod
    def _inside(span: tuple[int, int], child: GumMention) -> bool:
        return child.start <= span[0] and span[1] <= child.end

    def _head_word(self, ws: list[Word], mention: GumMention) -> int | None:
        for i, w in enumerate(ws):
            if w.start <= mention.head_start < w.end:
                return i
        return None

    def wikipedia_match(self, mention: GumMention, ws: list[Word]) -> tuple[int, int] | None:
        """The longest word-aligned, capitalised stretch of the mention equal to its Wikipedia title."""
        title = wikipedia_name(mention.wikipedia)
        if not title:
            return None
        wanted = {normalise(title)}
        if title.startswith("The "):
            wanted.add(normalise(title[4:]))
        if ", " in title:  # "Clearwater, Florida" is named "Clearwater" in "Clearwater, Florida"
            wanted.add(normalise(title.split(", ")[0]))
        best = None
        for i in range(len(ws)):
            if not (is_capitalised(ws[i].text) or _is_number(ws[i].text)):
                continue
            for j in range(i, len(ws)):
                if not (is_capitalised(ws[j].text) or _is_number(ws[j].text)):
                    continue
                if any(_boundary(w.text) for w in ws[i:j + 1]):
                    break
                candidate = normalise(self.record.text[ws[i].start:ws[j].end])
                if candidate in wanted and (best is None or ws[j].end - ws[i].start > best[1] - best[0]):
                    best = (ws[i].start, ws[j].end)
        return best

    # -- the rules ---------------------------------------------------------------------------
    def decide(self, mention: GumMention) -> NameDecision:
        """Is this mention a name, and which stretch of it is the name?"""
        ws = words(self.record, mention.first_token, mention.last_token)
        self._title = mention.wikipedia or ""
        self._is_person = mention.gum_type == "person"
        foreign = self._foreign_children(mention)
        head = self._head_word(ws, mention)
        wiki = self.wikipedia_match(mention, ws)
        if wiki is not None and any(self._inside(wiki, c) for c in foreign):
            wiki = None
        if head is None or mention.head_xpos not in PROPER_TAGS or self._blocked(ws, head, foreign):
            return self._without_proper_head(mention, ws, head, foreign, wiki)
        return self._from_head(mention, ws, head, foreign, wiki)

    def _blocked(self, ws: list[Word], i: int, foreign: list[GumMention]) -> bool:
        """Does word i lie inside a nested mention of another entity?"""
        return any(self._inside((ws[i].start, ws[i].end), c) for c in foreign)

    def _without_proper_head(self, mention: GumMention, ws: list[Word], head: int | None, foreign: list[GumMention],
                             wiki: tuple[int, int] | None) -> NameDecision:
        """A mention whose head is inside another mention, or is not a proper noun."""
        if head is not None and self._blocked(ws, head, foreign):
            # a coordination ("Ann Chiang of DAB and Priscilla Leung of BPA") or a name GUM parsed
            # with its head inside a nested name ("Google Chrome", "Clearwater, Florida")
            if wiki is not None:
                return NameDecision(wiki, "wikipedia-title-in-mention")
            return NameDecision(None, "head-inside-other-mention")
        if self._is_person and wiki is not None:
            return NameDecision(wiki, "wikipedia-title-in-mention")
        if mention.gum_type in ("person", "organization"):
            trailing = self._trailing_name(ws, foreign)
            if trailing is not None:
                return NameDecision(trailing, "name-after-role-noun")
        return NameDecision(None, "head-not-proper-noun")

    def _from_head(self, mention: GumMention, ws: list[Word], head: int, foreign: list[GumMention],
                   wiki: tuple[int, int] | None) -> NameDecision:
        """A mention with a proper-noun head: the run of name words around the head, checked against the title."""
        span = self._person_run(ws, head, foreign) if self._is_person else self._name_run(ws, head)
        if span is None and wiki is not None:
            return NameDecision(wiki, "wikipedia-title-in-mention")
        if span is not None:
            span = self._trim(span, ws, mention)
            if span is None:
                return NameDecision(None, "common-noun-only")
            span = self._extended_by_title(span, wiki)
        if span is None:
            return NameDecision(None, "title-or-role-only")
        span = self._trim(span, ws, mention)
        if span is None:
            return NameDecision(None, "common-noun-only")
        return NameDecision(span, "person-name" if self._is_person else "capitalised-run")

    def _extended_by_title(self, span: tuple[int, int], wiki: tuple[int, int] | None) -> tuple[int, int]:
        if wiki is None or wiki == span:
            return span
        if wiki[0] <= span[0] and span[1] <= wiki[1]:
            # the title extends the run over a connector the run does not take ("... at Greensboro")
            return wiki
        if span[0] == wiki[0] and wiki[1] < span[1] and self.record.text[wiki[1]:span[1]].startswith(" of "):
            # "Evergreen Aviation & Space Museum of McMinnville": the place after "of" is not in the name
            return wiki
        return span

    def _name_word(self, ws: list[Word], i: int, foreign: list[GumMention]) -> bool:
        """A word of a person's name: capitalised (or a particle-prefixed name), not a title or descriptor."""
        w = ws[i].text
        return ((is_capitalised(w) or _particle_prefixed(w)) and w not in TITLE_WORDS and w not in DESCRIPTOR_WORDS
                and not self._blocked(ws, i, foreign))

    def _person_start(self, ws: list[Word], head: int, foreign: list[GumMention]) -> int | None:
        """The head, or (when the head is a title word) the first name word after the last title word."""
        if self._name_word(ws, head, foreign):
            return head
        # "Emeritus Professor John Burrows", "Undersecretary for Education Mr. Toccafondi":
        # the name is the last capitalised run after the last title word
        titles = [i for i, w in enumerate(ws) if w.text in TITLE_WORDS]
        if not titles:
            return None
        start = titles[-1] + 1
        while start < len(ws) and not self._name_word(ws, start, foreign):
            start += 1
        return start if start < len(ws) else None

    def _person_run(self, ws: list[Word], head: int, foreign: list[GumMention]) -> tuple[int, int] | None:
        start = self._person_start(ws, head, foreign)
        if start is None:
            return None
        end = start
        while end + 1 < len(ws):
            nxt = ws[end + 1].text
            if self._name_word(ws, end + 1, foreign) or (
                    nxt in NAME_PARTICLES and end + 2 < len(ws) and self._name_word(ws, end + 2, foreign)):
                end += 1
            else:
                break
        if end == start == head:
            # head-final names ("Dean Kamen" with the head on "Kamen"): extend to the left
            while start - 1 >= 0 and self._name_word(ws, start - 1, foreign):
                start -= 1
        return (ws[start].start, ws[end].end)

    def _trailing_end(self, ws: list[Word], foreign: list[GumMention]) -> int:
        """The last word of a trailing name: the name may be followed by a post-modifier
        ("Raymond Wong of the Proletariat Political Institute")."""
        for k, w in enumerate(ws):
            if (self._is_person and k >= 2 and w.text in (",", "of", "from") and self._name_word(ws, k - 1, foreign)
                    and self._name_word(ws, k - 2, foreign)):
                return k - 1
        return len(ws) - 1

    def _trailing_name(self, ws: list[Word], foreign: list[GumMention]) -> tuple[int, int] | None:
        """'team member Rodaba Noori', 'the Internet security firm Secunia.com': a role noun
        followed by a name that ends the mention."""
        end = self._trailing_end(ws, foreign)
        if end < 1 or not self._name_word(ws, end, foreign):
            return None
        start = end
        while start - 1 >= 0 and self._name_word(ws, start - 1, foreign):
            start -= 1
        before = ws[start - 1].text if start >= 1 else ""
        after_name = start >= 1 and any(c.end == ws[start - 1].end for c in foreign)
        if not before or not (before[:1].islower() or before in TITLE_WORDS or after_name):
            return None  # the name must follow a lower-case role noun, a title or another name
        if start == end and ws[start].text in COMMON_CAPITALISED:
            return None  # "the Government"
        return (ws[start].start, ws[end].end)

    def _connector_ok(self, ws: list[Word], lo: int, hi: int) -> bool:
        """May words lo..hi (exclusive of the capitalised words around them) join two name parts?"""
        seq = [w.text for w in ws[lo:hi]]
        if not seq or any(t not in CONNECTORS and t != "the" for t in seq):
            return False
        if seq[0] == "the":
            return False
        if "the" in seq and seq[:-1] not in (["of"], ["for"], ["on"], ["upon"]):
            return False
        if seq[0] in ("'s", "’s") and not self._possessive_ok(ws, lo):
            return False
        if seq == ["of", "the"] and self._place_follows(ws, hi):
            # "University of Sheffield of the UK": the place is a modifier, not part of the name
            return False
        return len(seq) <= 2

    def _possessive_ok(self, ws: list[Word], lo: int) -> bool:
        """A possessive joins name parts only inside one name ("New People's Party"), which the
        Wikipedia title confirms; never after a possessor NP ("Microsoft's Internet Explorer")."""
        if "'s" not in self._title.replace("’", "'"):
            return False
        possessive = ws[lo]
        return not any(c.end in (ws[lo - 1].end, possessive.end) and ws[0].start <= c.start < ws[lo - 1].end
                       for c in self.record.mentions)

    def _place_follows(self, ws: list[Word], hi: int) -> bool:
        """Is the NP starting at "the" before ws[hi] (the longest one) a GUM place mention?"""
        starts = {ws[hi - 1].start, ws[hi].start}
        candidates = [m for m in self.record.mentions if m.start in starts]
        if not candidates:
            return False
        longest = max(candidates, key=lambda m: (m.end - m.start, m.id))
        return longest.gum_type == "place"

    def _run_end(self, ws: list[Word], end: int) -> int:
        """Extend a name run to the right over capitalised words, numbers and connectors between name parts."""
        while True:
            k = end + 1
            if k < len(ws) and (is_capitalised(ws[k].text) or _is_number(ws[k].text)):
                end = k
                continue
            j = k
            while j < len(ws) and (ws[j].text in CONNECTORS or ws[j].text == "the"):
                j += 1
            if j > k and j < len(ws) and is_capitalised(ws[j].text) and self._connector_ok(ws, k, j):
                end = j
                continue
            return end

    def _run_start(self, ws: list[Word], start: int) -> int:
        """Extend a name run to the left over capitalised words, numbers inside a name and connectors."""
        while True:
            k = start - 1
            if _joins_on_the_left(ws, k):
                start = k
                continue
            j = k
            while j >= 0 and (ws[j].text in CONNECTORS or ws[j].text == "the"):
                j -= 1
            if j < k and j >= 0 and is_capitalised(ws[j].text) and self._connector_ok(ws, j + 1, k + 1):
                start = j
                continue
            return start

    def _name_run(self, ws: list[Word], head: int) -> tuple[int, int] | None:
        if not (is_capitalised(ws[head].text) or _is_number(ws[head].text)):
            return None
        return (ws[self._run_start(ws, head)].start, ws[self._run_end(ws, head)].end)

    def _without_leading_article(self, inside: list[Word], span: tuple[int, int], title: str) -> list[Word]:
        """Drop a leading article, unless the name (its Wikipedia title) has one."""
        while inside and inside[0].text in ("The", "the"):
            rest = self.record.text[inside[1].start:span[1]] if len(inside) > 1 else ""
            if inside[0].text == "The" and title.startswith("The ") and normalise(rest).startswith(normalise(title[4:])):
                break
            inside = inside[1:]
        return inside

    def _trim(self, span: tuple[int, int], ws: list[Word], mention: GumMention) -> tuple[int, int] | None:
        """Drop a leading article (unless the name has one), trailing connectors, common-noun-only names."""
        inside = [w for w in ws if span[0] <= w.start and w.end <= span[1]]
        inside = self._without_leading_article(inside, span, wikipedia_name(mention.wikipedia) or "")
        while inside and (inside[-1].text in CONNECTORS or inside[-1].text == "the"):
            inside = inside[:-1]
        while inside and inside[0].text in CONNECTORS:
            inside = inside[1:]
        if not inside:
            return None
        texts = [w.text for w in inside]
        if all(t in TITLE_WORDS or t in COMMON_CAPITALISED for t in texts):
            return None
        return (inside[0].start, inside[-1].end)


def _joins_on_the_left(ws: list[Word], k: int) -> bool:
    """Does word k extend a name run to its left: a capitalised word, or a number inside a name?"""
    if k >= 0 and is_capitalised(ws[k].text) and not ws[k].text.startswith(NON_NAME_PREFIXES):
        return True
    # "Internet Explorer 6 Countdown", but not "The 22nd Fan Expo"
    return k >= 1 and _is_number(ws[k].text) and is_capitalised(ws[k - 1].text) and ws[k - 1].text != "The"


def mention_kind(mention: GumMention) -> str:
    """nominal or pronoun for a mention that is not a name (decided from GUM's head tag)."""
    if mention.head_xpos in PRONOUN_TAGS:
        return "pronoun"
    if mention.head_xpos == "DT" and mention.first_token + 1 == mention.last_token:
        return "pronoun"
    return "nominal"
