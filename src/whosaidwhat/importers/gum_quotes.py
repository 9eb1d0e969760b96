"""Quotes from GUM's attribution relations and quotation marks.

GUM's eRST attribution relations are broader than quotes (beliefs, findings, photo credits)
and its `<quote>` markup is not exhaustive, so a quote is built from an attribution and the
quotation marks in the text, by these rules (annotation/GUM_IMPORT.md gives their counts and
annotation/GUIDELINES.md section 3 the standard they implement):

* speaker turns (interviews, GUM `<sp who=...>`): each turn of a speaker the text names is a
  direct quote by that speaker, cue null (guidelines 3.1); attributions inside it are part of it;
* drop photo credits, source-list items, negated attributions and non-speech predicates
  (think, believe, show, find ...); keep speech and writing predicates (say, tell, write,
  according to ...) and cue-less attributions of quoted or block-quoted text; an attribution whose
  cue is in neither list is dropped with a warning naming the word (ATTRIBUTION_RULES lists all);
* one quote per speech event: an attribution nested in another quote, a relay ("according to
  A, B said ...": B's quote only) and a second relation with the same content are dropped;
* content: GUM's content span, split at paragraph breaks, without a leading complementiser
  "that" and without trailing punctuation outside quotation marks; a stretch inside quotation
  marks is extended to the marks and excludes them (direct); a quoted stretch inside paraphrase
  makes it mixed; quotation marks pair within a paragraph (`find_quoted`), so that a stray mark
  is reported where it is and changes no other pair;
* speaker: GUM's source mention (a name of the same entity inside the attribution is
  preferred; a document is attributed to its named owner); cue: the speech word of GUM's cue;
* quoted text that GUM left unattributed and that directly continues a quote is joined to it
  as a further fragment (never a pull quote in a caption, never across speaker turns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gum_record import GumMention, GumRecord

#: speech and writing verbs (guidelines 3.1 and 7A A4), each with the forms a GUM cue may take.
#: An attribution is a quote when one of its cue words is one of these forms (or a phrase below).
#: annotation/GUM_IMPORT.md prints this table (a test keeps the two equal).
SPEECH_VERBS: dict[str, str] = {
    # the verbs the import was built with on the 24 news documents
    "say": "say says said saying", "tell": "tell tells told telling", "state": "state states stated stating",
    "add": "add adds added adding", "announce": "announce announces announced announcing",
    "claim": "claim claims claimed claiming", "report": "report reports reported reporting",
    "write": "write writes wrote writing", "explain": "explain explains explained explaining",
    "note": "note notes noted noting", "observe": "observe observes observed",
    "comment": "comment comments commented", "assert": "assert asserts asserted",
    "declare": "declare declares declared", "reply": "reply replies replied", "ask": "ask asks asked",
    "admit": "admit admits admitted", "promise": "promise promises promised promising",
    "recommend": "recommend recommends recommended", "tweet": "tweet tweets tweeted",
    "quote": "quote quotes quoted quoting", "read": "read reads", "reveal": "reveal reveals revealed",
    "rule": "rule rules ruled", "reason": "reason reasons reasoned", "conclude": "conclude concludes concluded",
    "continue": "continue continues continued", "deny": "deny denies denied", "insist": "insist insists insisted",
    "warn": "warn warns warned", "argue": "argue argues argued", "urge": "urge urges urged",
    "confirm": "confirm confirms confirmed", "describe": "describe describes described", "lie": "lie lied",
    "theorize": "theorize theorized theorise theorised",
    # added for texts beyond the news documents: the rest of guidelines 3.1 and 7A A4, and common verbs of saying
    "remark": "remark remarks remarked remarking", "mention": "mention mentions mentioned mentioning",
    "respond": "respond responds responded responding", "answer": "answer answers answered answering",
    "accuse": "accuse accuses accused accusing", "indicate": "indicate indicates indicated indicating",
    "signal": "signal signals signalled signaled signalling signaling",
    "predict": "predict predicts predicted predicting", "propose": "propose proposes proposed proposing",
    "cite": "cite cites cited citing", "encourage": "encourage encourages encouraged encouraging",
    "threaten": "threaten threatens threatened threatening", "appeal": "appeal appeals appealed appealing",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "allege": "allege alleges alleged alleging", "assure": "assure assures assured assuring",
    "complain": "complain complains complained complaining", "concede": "concede concedes conceded conceding",
    "contend": "contend contends contended contending", "demand": "demand demands demanded demanding",
    "emphasise": "emphasise emphasises emphasised emphasising emphasize emphasizes emphasized emphasizing",
    "exclaim": "exclaim exclaims exclaimed exclaiming", "inform": "inform informs informed informing",
    "joke": "joke jokes joked joking", "pledge": "pledge pledges pledged pledging",
    "proclaim": "proclaim proclaims proclaimed proclaiming", "protest": "protest protests protested protesting",
    "recall": "recall recalls recalled recalling", "reiterate": "reiterate reiterates reiterated reiterating",
    "repeat": "repeat repeats repeated repeating", "request": "request requests requested requesting",
    "retort": "retort retorts retorted retorting", "shout": "shout shouts shouted shouting",
    "stress": "stress stresses stressed stressing", "testify": "testify testifies testified testifying",
    "vow": "vow vows vowed vowing", "whisper": "whisper whispers whispered whispering",
    "yell": "yell yells yelled yelling", "blog": "blog blogs blogged blogging",
    "email": "email emails emailed emailing e-mailed", "post": "posts posted",
}
#: fixed phrases that are cues as a whole
SPEECH_PHRASES = ("according to", "in the words of")
SPEECH_CUES = frozenset(form for forms in SPEECH_VERBS.values() for form in forms.split()) | set(SPEECH_PHRASES)

#: cognition, perception and evidence predicates (guidelines 3.2, 7A A4): attributions of these are not quotes
NON_SPEECH_VERBS: dict[str, str] = {
    # the verbs the import was built with on the 24 news documents
    "think": "think thinks thought", "believe": "believe believes believed", "know": "know knows knew",
    "suspect": "suspect suspects suspected", "convinced": "convinced", "concerned": "concerned",
    "disappointed": "disappointed", "feel": "feel feels felt", "hope": "hope hopes hoped",
    "show": "show shows showed shown", "suggest": "suggest suggests suggested", "find": "find finds found",
    "prove": "prove proves proved proving", "learn": "learn learns learned",
    "estimate": "estimate estimates estimated",
    # added: the other findings of 7A A4 and common verbs of thinking and perceiving
    "calculate": "calculate calculates calculated", "determine": "determine determines determined",
    "discover": "discover discovers discovered", "realise": "realise realises realised realize realizes realized",
    "assume": "assume assumes assumed", "expect": "expect expects expected", "fear": "fear fears feared",
    "worry": "worry worries worried", "wonder": "wonder wonders wondered", "guess": "guess guesses guessed",
    "understand": "understand understands understood", "doubt": "doubt doubts doubted",
    "see": "see sees saw seen", "hear": "hear hears heard", "notice": "notice notices noticed",
    "demonstrate": "demonstrate demonstrates demonstrated", "reckon": "reckon reckons reckoned",
    "imagine": "imagine imagines imagined",
}
NON_SPEECH_CUES = frozenset(form for forms in NON_SPEECH_VERBS.values() for form in forms.split())

#: what each attribution rule outcome means (annotation/GUM_IMPORT.md documents each; `--summary` counts each)
ATTRIBUTION_RULES: dict[str, str] = {
    "drop:photo-credit": "a photo, video or audio credit (`Image: …`)",
    "drop:source-list-item": "an item of a source list (GUM paragraph type `item`)",
    "drop:negated": "a negated attribution (GUM `attribution-negative`)",
    "drop:non-speech-predicate": "the cue is a cognition, perception or evidence verb",
    "drop:unknown-predicate": "the cue words are in neither verb list (warning GUM-CUE-UNKNOWN names them)",
    "drop:no-cue-no-quotation": "no cue, and the content is neither quoted nor a block quotation",
    "drop:empty-content": "nothing of the content is left after trimming",
    "drop:inside-speaker-turn": "the attribution lies in a speaker turn that is a quote (speech inside a quote)",
    "drop:nested-in-quotation": "the cue lies in another quote's content, or the content in a direct quote",
    "drop:relays-another-quote": "`According to A, B said …`: A only relays B's quote",
    "drop:same-content": "a second attribution with the same content",
    "drop:hand": "dropped by a hand correction (overrides.json)",
    "join:continuation": "quoted text with no attribution of its own joined to the quote it continues",
    "keep": "kept as a quote by rule",
    "keep:hand": "kept as a quote, changed by a hand correction",
}

#: what each speaker-turn outcome means (guidelines 3.1 interviews, 7A A12)
TURN_RULES: dict[str, str] = {
    "quote": "a turn of a speaker named in the text: a direct quote by that speaker, cue null",
    "drop:speaker-not-named": "a turn of a speaker the text does not name (an unnamed interviewer): not a quote",
    "drop:empty": "a turn with no text outside captions and its label",
}

CREDIT = re.compile(r"(Image|Video|Audio|Photo)\s*:\s*$")
GAP = re.compile(r"^[\s,.;:—–\-\"”’']*$")
TRAILING = ",.;:—–-"
#: honorifics a speaker-turn label may carry before the name (`#ProfRobinson`)
HONORIFICS = ("professor", "prof", "doctor", "dr", "mrs", "mr", "ms", "sir", "dame", "rev")
TURN_LABEL = re.compile(r"([^\n:\"“”]{1,40}):[ \t]+")


@dataclass
class QuoteDraft:
    """A quote under construction; spans are (start, end) pairs, speaker a GUM mention id."""

    fragments: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker_mention: str | None
    speaker_entity: str | None
    type: str
    origin: str  # "a3", "a3+join", "override:...", "turn-2"
    attribution_end: int = 0  # where the attribution text ends (for joining a continuation)
    forced: bool = False  # set by a hand override or a speaker turn: exempt from the nesting/relay/duplicate rules


@dataclass(frozen=True)
class Quoted:
    """A stretch of text between quotation marks: outer extent and its content pieces.

    A quotation that runs over paragraphs (journalists re-open it at each new paragraph and
    close it once) has one piece per paragraph; captions interleaved in it are skipped.
    """

    start: int  # offset of the opening mark
    end: int  # offset after the closing mark
    pieces: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class UnmatchedMark:
    """A double quotation mark that pairs with nothing: reported, and it changes no other pair."""

    offset: int
    mark: str
    why: str


@dataclass(frozen=True)
class Pairing:
    """The quotation-mark pairs of a document and the marks that pair with nothing."""

    quoted: list[Quoted]
    unmatched: list[UnmatchedMark]


_OPEN_BEFORE = "([{—–-/‘'"  # characters after which a mark opens a quotation
_CLOSE_AFTER = ",.;:!?)]}—–-…’'"  # characters before which a mark closes one


def _mark_role(text: str, i: int, p_start: int, p_end: int) -> str:
    """'open', 'close' or 'either' for the double mark at i, from the characters around it.

    A mark opens after a space (or a bracket, a dash) and before a word; it closes after a word
    and before a space or punctuation. Curly marks say which they are, except a “ that ends a
    word (`decision.“ However`: a mistyped closing mark) and a ” that starts one.
    """
    before = text[i - 1] if i > p_start else " "
    after = text[i + 1] if i + 1 < p_end else " "
    opener_like = (before.isspace() or before in _OPEN_BEFORE) and not (after.isspace() or after in _CLOSE_AFTER)
    closer_like = not (before.isspace() or before in "([{") and (after.isspace() or after in _CLOSE_AFTER)
    return _role_of(text[i], opener_like, closer_like)


def _role_of(mark: str, opener_like: bool, closer_like: bool) -> str:
    """The role of a double mark that looks like an opening (and/or closing) mark; curly marks say which they are."""
    if mark == "“":
        return "close" if closer_like and not opener_like else "open"
    if mark == "”":
        return "open" if opener_like and not closer_like else "close"
    if opener_like and not closer_like:
        return "open"
    if closer_like and not opener_like:
        return "close"
    return "either"


def _next_mark_role(text: str, i: int, p_start: int, p_end: int) -> str | None:
    """The role of the next double mark after i in the paragraph, or None when there is none."""
    for k in range(i + 1, p_end):
        if text[k] in '"“”':
            return _mark_role(text, k, p_start, p_end)
    return None


def _is_caption(kind: str) -> bool:
    return "caption" in kind or "figure" in kind


def find_quoted(text: str, paragraphs: list[tuple[int, int]], kinds: list[str] | None = None,
                turn_of=None) -> Pairing:
    """Quotation-mark pairs of a document, found paragraph by paragraph.

    Double marks pair inside their paragraph, by the side of the word they stand on (see
    `_mark_role`); curly double marks may nest. A closing-shaped mark with nothing open, followed
    in its paragraph by another closing-shaped mark, is an opening mark typed on the wrong side of
    a space (`said," [Warhol] liked …".`). A mark that pairs with nothing in its paragraph
    is *unmatched*: it is reported and no other pair changes because of it. A quotation still open
    at the end of a paragraph continues into the next one only when it was left open by the
    convention for quotations over several paragraphs: its opening mark begins the paragraph or
    follows a speech word, a comma or a colon (`said, "…`), its text runs to the end of the
    paragraph with a sentence end, and the next paragraph (captions without marks skipped, in the
    same speaker turn) re-opens it with a mark, or is a block quotation whose first mark closes it.
    Curly single quotes pair ‘…’; a straight single quote counts only where it opens a word after
    a space (or a double mark) and closes one before a space or punctuation (so apostrophes are
    not quote marks);
    single marks are never reported as unmatched (an apostrophe looks the same).
    """
    kinds = kinds or [""] * len(paragraphs)
    turn_of = turn_of or (lambda offset: None)
    scanner = _MarkScanner(text)
    carry: tuple[int, list[tuple[int, int]]] | None = None  # (opening offset, pieces) of a quotation carried on
    skip_to = -1  # a re-opening mark to skip at the start of the next paragraph
    for index, (p_start, p_end) in enumerate(paragraphs):
        if carry is not None and _is_caption(kinds[index]) and not any(ch in text[p_start:p_end] for ch in '"“”'):
            continue  # a caption inside a running quotation
        para = _Paragraph(p_start, p_end, piece_start=p_start)
        if carry is not None:
            para.open_at, para.pieces = carry
            carry = None
            para.piece_start = skip_to + 1 if skip_to >= p_start else p_start
        scanner.scan(para, para.piece_start if para.open_at is not None else p_start)
        if para.open_at is None:
            continue
        reopen = _continued_in(text, paragraphs, kinds, turn_of, index, para.open_at, para.piece_start)
        if reopen is None:
            scanner.unmatched.append(UnmatchedMark(para.open_at, text[para.open_at], "an opening mark not closed in "
                                                   "its paragraph, and not continued by the next"))
            continue
        carry = (para.open_at, para.pieces + [(para.piece_start, p_end)])
        skip_to = reopen
    if carry is not None:
        scanner.unmatched.append(UnmatchedMark(carry[0], text[carry[0]], "a quotation continued to the end of the text"))
    return Pairing(sorted(scanner.found, key=lambda q: (q.start, q.end)),
                   sorted(scanner.unmatched, key=lambda u: u.offset))


@dataclass
class _Paragraph:
    """The scan of one paragraph: the double-mark quotation open in it, single marks waiting for a pair."""

    start: int
    end: int
    open_at: int | None = None
    pieces: list[tuple[int, int]] = field(default_factory=list)
    piece_start: int = 0
    depth: int = 0  # curly quotations nested in the open one
    single: list[int] = field(default_factory=list)
    curly_single: list[int] = field(default_factory=list)

    def open(self, i: int) -> None:
        self.open_at, self.piece_start, self.pieces, self.depth = i, i + 1, [], 0


class _MarkScanner:
    """Pairs the quotation marks of one paragraph after another (see `find_quoted`)."""

    def __init__(self, text: str):
        self.text = text
        self.found: list[Quoted] = []
        self.unmatched: list[UnmatchedMark] = []

    def scan(self, para: _Paragraph, i: int) -> None:
        text = self.text
        while i < para.end:
            ch = text[i]
            if ch in '"“”':
                self._double(para, i, ch)
            elif ch == "‘":
                para.curly_single.append(i)
            elif ch == "’":
                self._curly_single_close(para, i)
            elif ch == "'":
                self._straight_single(para, i)
            i += 1

    def _double(self, para: _Paragraph, i: int, ch: str) -> None:
        text = self.text
        role = _mark_role(text, i, para.start, para.end)
        if para.open_at is None:
            self._first_double(para, i, ch, role)
        elif role == "open" and ch == "“" and text[para.open_at] == "“":
            para.depth += 1  # “outer “inner” outer”
        elif role == "open":
            self.unmatched.append(UnmatchedMark(para.open_at, text[para.open_at], "an opening mark followed by another "
                                                                                  "opening mark in its paragraph"))
            para.open(i)
        elif para.depth > 0:
            para.depth -= 1
        else:
            para.pieces.append((para.piece_start, i))
            self.found.append(Quoted(para.open_at, i + 1, tuple(para.pieces)))
            para.open_at, para.pieces = None, []

    def _first_double(self, para: _Paragraph, i: int, ch: str, role: str) -> None:
        """A double mark with no quotation open in the paragraph: it opens one, or it is unmatched."""
        if role == "close" and _next_mark_role(self.text, i, para.start, para.end) in ("close", "either"):
            role = "open"  # an opening mark typed on the wrong side of a space: `said," [Warhol] liked …".`
        if role == "close":
            self.unmatched.append(UnmatchedMark(i, ch, "a closing mark with no opening mark before it in its paragraph"))
        else:
            para.open(i)

    def _curly_single_close(self, para: _Paragraph, i: int) -> None:
        if para.curly_single and not (i + 1 < para.end and self.text[i + 1].isalpha()):
            a = para.curly_single.pop()
            self.found.append(Quoted(a, i + 1, ((a + 1, i),)))

    def _straight_single(self, para: _Paragraph, i: int) -> None:
        text = self.text
        before = text[i - 1] if i > para.start else " "
        after = text[i + 1] if i + 1 < para.end else " "
        if (before.isspace() or before in '"“(') and after.isalnum():
            para.single.append(i)
        elif para.single and (before.isalnum() or before in ".,;:!?") and (after.isspace() or after in '.,;:!?)"”'):
            a = para.single.pop()
            self.found.append(Quoted(a, i + 1, ((a + 1, i),)))


def _continued_in(text: str, paragraphs: list[tuple[int, int]], kinds: list[str], turn_of, index: int,
                  open_at: int, piece_start: int) -> int | None:
    """Where a quotation open at the end of paragraph `index` is re-opened: the offset of the re-opening mark,
    the start of a block quotation that continues it (-1 then: nothing to skip), or None when it is not
    continued by convention (then its opening mark is unmatched)."""
    p_start, p_end = paragraphs[index]
    if not _left_open_by_convention(text, p_start, p_end, open_at, piece_start):
        return None
    for n_index in range(index + 1, len(paragraphs)):
        n_start, n_end = paragraphs[n_index]
        body = text[n_start:n_end]
        if _is_caption(kinds[n_index]) and not any(ch in body for ch in '"“”'):
            continue
        if turn_of(n_start) != turn_of(p_start):
            return None
        return _reopening(text, n_start, n_end, kinds[n_index])
    return None


def _left_open_by_convention(text: str, p_start: int, p_end: int, open_at: int, piece_start: int) -> bool:
    """Was the quotation left open at the end of its paragraph by the convention for quotations over several
    paragraphs: text to a sentence end, the mark beginning the paragraph or following a speech word, comma or colon?"""
    running = text[piece_start:p_end].rstrip()
    if not re.search(r"\w", running) or not re.search(r"[.!?…:]['’\")\]]*$", running):
        return False
    lead = text[p_start:open_at].rstrip()
    words = re.findall(r"[\w'’-]+", lead.lower())
    return not (lead and lead[-1] not in ",:—–" and not (words and words[-1] in SPEECH_CUES))


def _reopening(text: str, n_start: int, n_end: int, kind: str) -> int | None:
    """The re-opening mark starting the next paragraph, -1 for a block quotation whose first mark closes the
    quotation, else None."""
    body = text[n_start:n_end]
    stripped = body.lstrip()
    if stripped and stripped[0] in '"“':
        at = n_start + len(body) - len(stripped)
        return at if _mark_role(text, at, n_start, n_end) != "close" else None
    marks = [k for k in range(n_start, n_end) if text[k] in '"“”']
    if "quote" in kind and marks and _mark_role(text, marks[0], n_start, n_end) != "open":
        return -1
    return None


class QuoteBuilder:
    """Turns one record's attributions and quotation markup into quote drafts."""

    def __init__(self, record: GumRecord, name_mentions: set[str],
                 name_spans: dict[str, tuple[int, int]] | None = None):
        self.record = record
        self.text = record.text
        self.name_mentions = name_mentions  # GUM mention ids that became name mentions
        self.name_spans = name_spans if name_spans is not None else {m: self.record.by_id[m].span for m in name_mentions
                                                                     if m in self.record.by_id}
        self.paragraphs = [(p["start"], p["end"]) for p in record.raw["paragraphs"]]
        self.kinds = [p["type"] for p in record.raw["paragraphs"]]
        pairing = find_quoted(self.text, self.paragraphs, self.kinds, self.turn_of)
        self.quoted = pairing.quoted
        self.unmatched = pairing.unmatched
        self.counts: dict[str, int] = {}
        self.decisions: dict[str, str] = {}  # attribution id -> rule that decided it
        self.problems: list[tuple[str, str, str, str | None]] = []  # (rule, path, message, found)
        self.turn_spans: list[tuple[int, int]] = []  # speaker turns that became quotes

    def turn_of(self, offset: int) -> int | None:
        """Index of the speaker turn holding `offset`, or None outside turns."""
        for k, turn in enumerate(self.record.turns):
            if turn.start <= offset < turn.end:
                return k
        return None

    def _count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    # -- classification ----------------------------------------------------------------------
    def _source_span(self, attribution: dict) -> tuple[int, int] | None:
        source = attribution.get("source")
        if not source or not source.get("spans"):
            return None
        return (min(s for s, _ in source["spans"]), max(e for _, e in source["spans"]))

    def classify(self, attribution: dict) -> tuple[str, tuple[int, int] | None]:
        """('keep' or 'drop:<reason>', chosen cue span)."""
        att_spans = attribution["attribution_span"]["spans"]
        att_start = min(s for s, _ in att_spans)
        para_start, _ = self.record.paragraph_bounds(att_start)
        if CREDIT.search(self.text[para_start:att_start]) or re.match(r"(Image|Video|Audio|Photo)\s*:",
                                                                      attribution["attribution_span"]["text"]):
            return "drop:photo-credit", None
        if "item" in self.record.paragraph_type(att_start):
            return "drop:source-list-item", None
        if attribution["relation"] != "attribution-positive":
            return "drop:negated", None
        words = self.cue_words(attribution)
        cue = self.choose_cue(attribution, words)
        if cue is not None:
            return "keep", cue
        if any(w in NON_SPEECH_CUES for w, _ in words):
            return "drop:non-speech-predicate", None
        if words:
            self.problems.append(("GUM-CUE-UNKNOWN", f"attributions.{attribution['id']}.cue",
                                  "no word of the cue is in the speech-verb or the non-speech list; the attribution is "
                                  "dropped (add the verb to the list in gum_quotes.py, or a hand correction)",
                                  " ".join(repr(w) for w, _ in words)))
            return "drop:unknown-predicate", None
        if self._quoted_or_block(attribution):
            return "keep", None
        return "drop:no-cue-no-quotation", None

    def cue_words(self, attribution: dict) -> list[tuple[str, tuple[int, int]]]:
        """GUM's cue signal as (lower-case word or fixed phrase, span), without words of the source."""
        cue = attribution.get("cue")
        if not cue:
            return []
        source = self._source_span(attribution)
        out = [item for s, e in cue["spans"] for item in self._signal_words(s, e)]
        joined = _join_according_to(out)
        if source is not None:
            joined = [(w, span) for w, span in joined if span[1] <= source[0] or span[0] >= source[1]]
        return joined

    def _signal_words(self, s: int, e: int) -> list[tuple[str, tuple[int, int]]]:
        """The fixed phrases ("according to") and then the other words of one cue signal span."""
        out = []
        taken: list[tuple[int, int]] = []
        for phrase in ("according to", "in the words of"):
            for m in re.finditer(phrase, self.text[s:e], flags=re.IGNORECASE):
                taken.append((s + m.start(), s + m.end()))
                out.append((phrase, (s + m.start(), s + m.end())))
        for m in re.finditer(r"\S+", self.text[s:e]):
            span = (s + m.start(), s + m.end())
            if not any(a <= span[0] and span[1] <= b for a, b in taken):
                out.append((m.group(0).lower().strip(".,;:"), span))
        return out

    def choose_cue(self, attribution: dict, words=None) -> tuple[int, int] | None:
        """The speech word of the cue signal nearest to the content."""
        words = self.cue_words(attribution) if words is None else words
        speech = [(w, span) for w, span in words if w in SPEECH_CUES]
        if not speech:
            return None
        content_start = min(s for s, _ in attribution["content_span"]["spans"])
        return min(speech, key=lambda item: (abs(item[1][0] - content_start), item[1]))[1]

    def _quoted_or_block(self, attribution: dict) -> bool:
        spans = attribution["content_span"]["spans"]
        if any("quote" in self.record.paragraph_type(s) for s, _ in spans):
            return True
        for s, e in spans:
            s, e = self._trim(s, e)
            if self._covering(s, e) or any(s <= q.start and q.end <= e for q in self.quoted):
                return True
        return False

    # -- content -----------------------------------------------------------------------------
    def _trim(self, start: int, end: int, first: bool = False) -> tuple[int, int]:
        """Strip whitespace, a leading complementiser, trailing punctuation and ((it)) tags outside quotes."""
        text = self.text
        while True:
            before = (start, end)
            while start < end and text[start].isspace():
                start += 1
            while end > start and (text[end - 1].isspace() or text[end - 1] in TRAILING):
                end -= 1
            tag = re.search(r"\(\([a-z]{2}\)\)$", text[start:end])
            if tag:
                end = start + tag.start()
            if (start, end) == before:
                break
        if first:
            m = re.match(r"that\b[\s,]*", text[start:end])
            if m and m.end() < end - start:
                start += m.end()
        return start, end

    def _covering(self, start: int, end: int) -> Quoted | None:
        """A double (or single) quotation whose marks enclose [start, end)."""
        for q in self.quoted:
            if q.start <= start and end <= q.end and q.end - q.start >= 3:
                return q
        return None

    def _verbatim_inside(self, start: int, end: int) -> list[Quoted]:
        """Quoted stretches inside [start, end) that are verbatim speech (not quoted names or titles)."""
        out = []
        for q in self.quoted:
            if start <= q.start and q.end <= end and not (q.start == start and q.end == end):
                inner = self.text[q.start + 1:q.end - 1].strip().rstrip(TRAILING + "?!").strip()
                if not self._is_title(inner, q.start, q.end):
                    out.append(q)
        return out

    def _is_title(self, inner: str, a: int, b: int) -> bool:
        """A quoted name or title ("Better Idea of Afghan Girls") is not verbatim speech."""
        for m in self.record.mentions:
            if a <= m.start and m.end <= b and m.text.rstrip(TRAILING) == inner and m.head_xpos in ("NNP", "NNPS"):
                return True
        return False

    def _pieces(self, q: Quoted) -> list[tuple[int, int]]:
        out = []
        for s, e in q.pieces:
            while s < e and self.text[s].isspace():
                s += 1
            while e > s and self.text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((s, e))
        return out

    def _paragraph_pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(max(start, ps), min(end, pe)) for ps, pe in self.paragraphs if ps < end and start < pe]

    def _content_pieces(self, spans: list[list[int]]) -> list[tuple[int, int]]:
        """The content spans cut at paragraph breaks; a paraphrase stops at a break, a quotation runs over it."""
        pieces: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            for k, piece in enumerate(self._paragraph_pieces(s, e)):
                if k > 0 and not self._quotation_runs_over(pieces, piece):
                    break
                pieces.append(piece)
        return pieces

    def _quotation_runs_over(self, pieces: list[tuple[int, int]], piece: tuple[int, int]) -> bool:
        prev_end = pieces[-1][1] if pieces else piece[0]
        return any(q.start < prev_end and piece[0] < q.end for q in self.quoted if q.end > piece[0])

    def _widened(self, s: int, e: int) -> tuple[int, int]:
        """A quotation starting (or ending) inside the content belongs to it."""
        for q in self.quoted:
            if s < q.start < e < q.end and len(q.pieces) == 1:
                e = q.end
            elif q.start < s < q.end < e and len(q.pieces) == 1:
                s = q.start
        return s, e

    def _fragment(self, s: int, e: int, first: bool, block: bool) -> tuple[list[tuple[int, int]], str | None]:
        """(fragments, kind: direct, mixed or indirect) of one content piece; kind None when nothing is left."""
        raw_end = e
        while raw_end > s and self.text[raw_end - 1].isspace():
            raw_end -= 1
        s, e = self._trim(s, e, first=first)
        if s >= e:
            return [], None
        quoted = self._covering(s, e)
        if quoted is not None:
            return self._pieces(quoted), "direct"
        s, e = self._widened(s, e)
        doubles = [q for q in self.quoted if s <= q.start and q.end <= e and self.text[q.start] in '"“']
        if block and not doubles:
            return [(s, raw_end)], "direct"  # block quotation: verbatim, with its own final punctuation
        if self._verbatim_inside(s, e):
            return [(s, e)], "mixed"
        return [(s, e)], "indirect"

    def content(self, spans: list[list[int]], block: bool) -> tuple[list[tuple[int, int]], str]:
        """Fragments and quote type from GUM content spans."""
        fragments: list[tuple[int, int]] = []
        kinds = []
        for i, (s, e) in enumerate(self._content_pieces(spans)):
            pieces, kind = self._fragment(s, e, i == 0, block)
            if kind is not None:
                fragments.extend(pieces)
                kinds.append(kind)
        fragments = _merge(fragments)
        if kinds and all(k == "direct" for k in kinds):
            return fragments, "direct"
        if any(k in ("mixed", "direct") for k in kinds):
            return fragments, "mixed"
        return fragments, "indirect"

    # -- speaker -----------------------------------------------------------------------------
    def speaker(self, attribution: dict) -> tuple[str | None, str | None]:
        """(GUM mention id, GUM entity id) of the source.

        GUM's source mention; failing that, the mention inside the source span nearest to the
        cue. A document or statement of a person or organisation ("Cornyn's statement",
        "PC World's analysis") is attributed to its author, the possessor. Of a speaker with a
        name inside the attribution ("His father Mohamed El-Hassan Mohamed") the name is taken.
        """
        ids = attribution.get("source_mentions") or []
        mention = self.record.by_id.get(ids[0]) if ids else None
        cue = attribution.get("cue")
        anchor = cue["spans"][0][0] if cue else None
        if mention is None:
            mention = self._source_mention(attribution, anchor)
        if mention is None:
            return None, None
        mention = self._named_speaker(self._author(mention), attribution, anchor)
        return mention.id, mention.entity

    def _source_mention(self, attribution: dict, anchor: int | None) -> GumMention | None:
        """The largest mention the source span starts with (of a discontinuous source, the part nearest the cue)."""
        source = attribution.get("source")
        spans = source["spans"] if source else []
        if not spans:
            return None
        # of a discontinuous source ("Indonesia ... AFP") the part nearest to the cue
        ref = anchor if anchor is not None else spans[0][0]
        s, e = min(spans, key=lambda sp: (min(abs(sp[0] - ref), abs(sp[1] - ref)), sp))
        inside = [m for m in self.record.mentions if s <= m.start and m.end <= e]
        if not inside:
            return None
        return min(inside, key=lambda m: (m.start != s, -(m.end - m.start), m.id))

    def _author(self, mention: GumMention) -> GumMention:
        """A document or statement of a person or organisation is attributed to its possessor."""
        if mention.gum_type in ("person", "organization"):
            return mention
        owners = [c for c in self.record.children(mention) if c.start == mention.start
                  and c.gum_type in ("person", "organization") and re.search(r"['’]s?$", c.text)]
        return owners[0] if owners else mention

    def _named_speaker(self, mention: GumMention, attribution: dict, anchor: int | None) -> GumMention:
        """Of a speaker with a name inside the attribution, the name mention nearest the cue."""
        if mention.id in self.name_mentions:
            return mention
        att = [(s, e) for s, e in attribution["attribution_span"]["spans"]]
        names = [m for m in self.record.mentions if m.entity == mention.entity and m.id in self.name_mentions
                 and any(s <= m.start and m.end <= e for s, e in att)]
        if not names:
            return mention
        ref = anchor if anchor is not None else mention.start
        return min(names, key=lambda m: (abs(m.start - ref), m.id))

    # -- the whole record --------------------------------------------------------------------
    def draft(self, attribution: dict, cue: tuple[int, int] | None) -> QuoteDraft:
        spans = attribution["content_span"]["spans"]
        block = any("quote" in self.record.paragraph_type(s) for s, _ in spans)
        fragments, qtype = self.content(spans, block)
        mention, entity = self.speaker(attribution)
        att_end = max(e for _, e in attribution["attribution_span"]["spans"])
        return QuoteDraft(fragments, cue, mention, entity, qtype, attribution["id"], att_end)

    def build(self, fixes: dict | None = None) -> list[QuoteDraft]:
        """Drafts from speaker turns and attributions; `fixes` (attribution id -> callable(draft or None) -> draft
        or None) applies hand overrides before the nesting, relay and duplicate rules run, and the drafts it
        returns are exempt from those rules (as are the quotes of speaker turns)."""
        fixes = fixes or {}
        turns = self.turn_drafts()
        drafts: list[QuoteDraft] = []
        for attribution in self.record.raw["attributions"]:
            aid = attribution["id"]
            if self._in_quoted_turn(attribution):
                decision, cue = "drop:inside-speaker-turn", None
            else:
                decision, cue = self.classify(attribution)
            draft = self.draft(attribution, cue) if decision == "keep" else None
            if draft is not None and not draft.fragments:
                decision, draft = "drop:empty-content", None
            if aid in fixes:
                base = draft if draft is not None else self.draft(attribution, self.choose_cue(attribution))
                draft = fixes[aid](base)
                decision = "hand" if draft is not None else "drop:hand"
                if draft is not None:
                    draft.forced = True
            self.decisions[aid] = decision
            if draft is None:
                self._count(decision)
                continue
            drafts.append(draft)
        drafts = self._drop_nested(drafts)
        drafts = self._drop_relays(drafts)
        drafts = self._drop_duplicates(drafts)
        for d in drafts:
            self._count("keep" if not d.forced else "keep:hand")
        return sorted(drafts + turns, key=lambda d: d.fragments)

    # -- speaker turns (interviews) ----------------------------------------------------------
    def _in_quoted_turn(self, attribution: dict) -> bool:
        spans = attribution["attribution_span"]["spans"] + attribution["content_span"]["spans"]
        return any(ts < e and s < te for ts, te in self.turn_spans for s, e in spans)

    def resolve_speaker(self, who: str) -> str | None:
        """The GUM entity a turn's `who` (`#NickBos`) names: a cluster with a name (or Wikipedia title) that
        reads the same without spaces, punctuation, case or an honorific; else the one person whose name
        ends with it. None when no cluster or more than one fits."""
        key = _compact(who)
        keys = {key} | {key[len(h):] for h in HONORIFICS if key.startswith(h) and len(key) > len(h) + 1}
        matches: set[str] = set()
        ends: set[str] = set()
        for m in self.record.mentions:
            texts = self._speaker_texts(m)
            if any(_compact(t) in keys for t in texts):
                matches.add(m.entity)
            elif m.gum_type == "person" and any(t.split() and _compact(t.split()[-1]) in keys for t in texts):
                ends.add(m.entity)
        if len(matches) == 1:
            return matches.pop()
        if not matches and len(ends) == 1:
            return ends.pop()
        return None

    def _speaker_texts(self, m: GumMention) -> list[str]:
        """The name of mention `m` and its Wikipedia title (without a parenthesised qualifier)."""
        texts = [self.text[s:e] for s, e in [self.name_spans[m.id]]] if m.id in self.name_spans else []
        if m.wikipedia:
            texts.append(re.sub(r"\s*\(.*\)$", "", m.wikipedia))
        return texts

    def turn_drafts(self) -> list[QuoteDraft]:
        """Guidelines 3.1 (interviews) and 7A A12: each turn of a speaker named in the text is a direct quote by
        that speaker, cue null, one fragment per paragraph, without a turn label; turns of a speaker the text
        does not name (an unnamed interviewer) are not quotes."""
        drafts: list[QuoteDraft] = []
        unnamed: dict[str, int] = {}
        for k, turn in enumerate(self.record.turns):
            entity = self.resolve_speaker(turn.who)
            if entity is None:
                unnamed[turn.who] = unnamed.get(turn.who, 0) + 1
                self._count_turn("drop:speaker-not-named")
                continue
            fragments = []
            for (ps, pe), kind in zip(self.paragraphs, self.kinds):
                s, e = max(ps, turn.start), min(pe, turn.end)
                if s >= e or _is_caption(kind):
                    continue
                label = TURN_LABEL.match(self.text, s, e)
                if label and self._is_turn_label(label.group(1), turn.who, entity):
                    s = label.end()
                while s < e and self.text[s].isspace():
                    s += 1
                while e > s and self.text[e - 1].isspace():
                    e -= 1
                if s < e:
                    fragments.append((s, e))
            if not fragments:
                self._count_turn("drop:empty")
                continue
            drafts.append(QuoteDraft(fragments, None, None, entity, "direct", f"turn-{k + 1}", forced=True))
            self.turn_spans.append((turn.start, turn.end))
            self._count_turn("quote")
        for who, n in unnamed.items():
            self.problems.append(("GUM-TURN-SPEAKER-UNNAMED", "speaker_turns",
                                  f"{n} turn(s) of {who} are not quotes: the text names no one the speaker id fits "
                                  "(guidelines 3.1: an interviewer's questions are quotes only if the interviewer "
                                  "is named)", repr(who)))
        return drafts

    def _is_turn_label(self, label: str, who: str, entity: str) -> bool:
        """`Q:`, `A:` or the speaker's own name before a turn is its label, not content (guidelines 3.1)."""
        if label.strip().lower() in ("q", "a", "question", "answer"):
            return True
        key = _compact(label)
        names = {_compact(self.text[s:e]) for mid, (s, e) in self.name_spans.items()
                 if self.record.by_id[mid].entity == entity}
        return bool(key) and (key == _compact(who) or key in names)

    def _count_turn(self, key: str) -> None:
        self.counts[f"turns:{key}"] = self.counts.get(f"turns:{key}", 0) + 1

    def _nested_in(self, d: QuoteDraft, drafts: list[QuoteDraft]) -> QuoteDraft | None:
        """The quote whose content holds `d`'s cue, or the direct quote whose content holds `d`'s content."""
        for o in drafts:
            if o is d or o.type == "indirect":
                continue
            for fs, fe in o.fragments:
                inside_content = o.type == "direct" and all(fs <= s and e <= fe for s, e in d.fragments)
                inside_cue = d.cue is not None and fs <= d.cue[0] and d.cue[1] <= fe
                if (inside_content and d.fragments != o.fragments) or inside_cue:
                    return o
        return None

    def _drop_nested(self, drafts: list[QuoteDraft]) -> list[QuoteDraft]:
        """Drop a quote whose cue lies inside another quote's content, or whose content lies in a direct quote."""
        kept = []
        for d in drafts:
            outer = None if d.forced else self._nested_in(d, drafts)
            if outer is not None:
                self.decisions[d.origin] = f"drop:nested-in-quote-of-{outer.origin}"
                self._count("drop:nested-in-quotation")
                continue
            kept.append(d)
        return kept

    def _drop_relays(self, drafts: list[QuoteDraft]) -> list[QuoteDraft]:
        """"According to A, B said X": one quote, by B; A only relays B's words."""
        kept = []
        for outer in drafts:
            relayed = None
            if outer.type == "indirect" and not outer.forced:
                for inner in drafts:
                    if inner is outer or inner.cue is None:
                        continue
                    inside = all(any(fs <= s and e <= fe for fs, fe in outer.fragments)
                                 for s, e in inner.fragments + [inner.cue])
                    if inside:
                        relayed = inner
                        break
            if relayed is not None:
                self.decisions[outer.origin] = f"drop:relays-quote-{relayed.origin}"
                self._count("drop:relays-another-quote")
                continue
            kept.append(outer)
        return kept

    def _drop_duplicates(self, drafts: list[QuoteDraft]) -> list[QuoteDraft]:
        seen: dict[tuple, QuoteDraft] = {}
        out = []
        for d in sorted(drafts, key=lambda d: (not d.forced, d.fragments)):
            key = tuple(d.fragments)
            if key in seen:
                self.decisions[d.origin] = f"drop:same-content-as-{seen[key].origin}"
                self._count("drop:same-content")
                continue
            seen[key] = d
            out.append(d)
        return sorted(out, key=lambda d: d.fragments)

    def _continues(self, draft: QuoteDraft, start: int) -> bool:
        """Does quoted text at `start` continue `draft`? Either only punctuation separates them, or
        the quote's own attribution does, within one sentence ("X," said Y to the crowd. "Z")."""
        end = draft.fragments[-1][1]
        if end > start:
            return False
        anchor = max(draft.attribution_end, end)
        if self.turn_of(end) != self.turn_of(start):
            return False  # another speaker's turn
        if self.record.paragraph_bounds(end) != self.record.paragraph_bounds(start) and _is_caption(
                self.record.paragraph_type(start)):
            return False  # a pull quote in a caption is not the continuation of a quote in the body
        if anchor <= start and GAP.match(self.text[anchor:start]):
            return True
        gap = self.text[end:start]
        if draft.cue is None or not (end <= draft.cue[0] and draft.cue[1] <= start):
            return False
        if self.record.paragraph_bounds(end) != self.record.paragraph_bounds(start):
            return False
        body = gap.strip(' "“”’‘,.;:\n')
        return not any(ch in body for ch in '"“”') and not re.search(r"[.!?]\s+\S", body)

    def _continuation_elements(self) -> list[dict]:
        """GUM's <quote> elements, and quoted sentences its markup left out (it is not exhaustive)."""
        elements = [dict(q, gum=True) for q in self.record.raw["quotations"] if q["kind"] == "quote"]
        elements += [{"start": q.start, "end": q.end, "gum": False} for q in self.quoted
                     if self.text[q.start] in '"“' and len(self.text[q.start:q.end].split()) >= 3
                     and not self._is_title(self.text[q.start + 1:q.end - 1].strip().rstrip(TRAILING), q.start, q.end)]
        return sorted(elements, key=lambda q: (q["start"], not q["gum"]))

    def _element_pieces(self, element: dict, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The quoted pieces of an element that no quote covers yet."""
        s, e = self._trim(element["start"], element["end"])
        quoted = self._covering(s, e)
        if quoted is not None:
            pieces = self._pieces(quoted)
        else:
            inner = [q for q in self.quoted if s <= q.start and q.end <= e and self.text[q.start] in '"“']
            pieces = [p for q in inner for p in self._pieces(q)] or [(s, e)]
        return [(a, b) for a, b in pieces if not any(cs <= a and b <= ce for cs, ce in covered)]

    def _join(self, drafts: list[QuoteDraft], pieces: list[tuple[int, int]]) -> bool:
        """Join `pieces` to the (latest ending) direct or mixed quote they continue; did one take them?"""
        for d in sorted(drafts, key=lambda d: -d.fragments[-1][1]):
            if d.type in ("direct", "mixed") and self._continues(d, pieces[0][0]):
                d.fragments = _merge(d.fragments + pieces)
                d.origin += "+join"
                self._count("join:continuation")
                return True
        return False

    def join_continuations(self, drafts: list[QuoteDraft], covered_extra: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Join unattributed quoted text that directly follows a quote; return what stays unattributed."""
        covered = [f for d in drafts for f in d.fragments] + list(covered_extra)
        leftovers = []
        for element in self._continuation_elements():
            pieces = self._element_pieces(element, covered)
            if not pieces:
                continue
            if self._join(drafts, pieces):
                covered.extend(pieces)
            elif element["gum"]:
                leftovers.extend(pieces)
                covered.extend(pieces)
        return leftovers


def _join_according_to(words: list[tuple[str, tuple[int, int]]]) -> list[tuple[str, tuple[int, int]]]:
    """"according" and "to" may come as two signal spans: one cue word."""
    joined = []
    for k, (w, span) in enumerate(words):
        if w == "according" and k + 1 < len(words) and words[k + 1][0] == "to":
            joined.append(("according to", (span[0], words[k + 1][1][1])))
        elif not (w == "to" and k > 0 and words[k - 1][0] == "according"):
            joined.append((w, span))
    return joined


def _compact(value: str) -> str:
    """Letters and digits only, lower case: `#NickBos`, `Nick Bos` and `nick-bos` read the same."""
    return re.sub(r"[^0-9a-z]", "", value.lower())


def _merge(fragments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(fragments):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
