"""Quotes from GUM's attribution relations and quotation marks.

GUM's eRST attribution relations are broader than quotes (beliefs, findings, photo credits)
and its `<quote>` markup is not exhaustive, so a quote is built from an attribution and the
quotation marks in the text, by these rules (annotation/GUM_IMPORT.md gives their counts and
annotation/GUIDELINES.md section 3 the standard they implement):

* drop photo credits, source-list items, negated attributions and non-speech predicates
  (think, believe, show, find ...); keep speech and writing predicates (say, tell, write,
  according to ...) and cue-less attributions of quoted or block-quoted text;
* one quote per speech event: an attribution nested in another quote, a relay ("according to
  A, B said ...": B's quote only) and a second relation with the same content are dropped;
* content: GUM's content span, split at paragraph breaks, without a leading complementiser
  "that" and without trailing punctuation outside quotation marks; a stretch inside quotation
  marks is extended to the marks and excludes them (direct); a quoted stretch inside paraphrase
  makes it mixed;
* speaker: GUM's source mention (a name of the same entity inside the attribution is
  preferred; a document is attributed to its named owner); cue: the speech word of GUM's cue;
* quoted text that GUM left unattributed and that directly continues a quote is joined to it
  as a further fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gum_record import GumRecord

#: speech and writing predicates (lower-case surface forms) that make an attribution a quote
SPEECH_CUES = frozenset("""
say says said saying tell tells told telling state states stated stating add adds added adding
announce announces announced announcing claim claims claimed claiming report reports reported reporting
write writes wrote writing explain explains explained explaining note notes noted noting observe observes
observed comment comments commented assert asserts asserted declare declares declared reply replies replied
ask asks asked admit admits admitted promise promises promised promising recommend recommends recommended
tweet tweets tweeted quote quotes quoted quoting read reads reveal reveals revealed rule rules ruled reason reasons reasoned conclude
concludes concluded continue continues continued deny denies denied insist insists insisted warn warns warned
argue argues argued urge urges urged confirm confirms confirmed describe describes described lie lied
theorize theorized theorise theorised
""".split()) | {"according to", "in the words of"}

#: cognition, perception and evidence predicates: attributions of these are not quotes
NON_SPEECH_CUES = frozenset("""
think thinks thought believe believes believed know knows knew suspect suspects suspected convinced
concerned disappointed feel feels felt hope hopes hoped show shows showed shown suggest suggests suggested
find finds found prove proves proved proving learn learns learned estimate estimates estimated
""".split())

CREDIT = re.compile(r"(Image|Video|Audio|Photo)\s*:\s*$")
GAP = re.compile(r"^[\s,.;:—–\-\"”’']*$")
TRAILING = ",.;:—–-"


@dataclass
class QuoteDraft:
    """A quote under construction; spans are (start, end) pairs, speaker a GUM mention id."""

    fragments: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker_mention: str | None
    speaker_entity: str | None
    type: str
    origin: str  # "a3", "a3+join", "override:..."
    attribution_end: int = 0  # where the attribution text ends (for joining a continuation)
    forced: bool = False  # set by a hand override: exempt from the nesting/relay/duplicate rules


@dataclass(frozen=True)
class Quoted:
    """A stretch of text between quotation marks: outer extent and its content pieces.

    A quotation that runs over paragraphs (journalists re-open it at each new paragraph and
    close it once) has one piece per paragraph; captions interleaved in it are skipped.
    """

    start: int  # offset of the opening mark
    end: int  # offset after the closing mark
    pieces: tuple[tuple[int, int], ...]


def _starts_with_mark(text: str, start: int, end: int) -> bool:
    stripped = text[start:end].lstrip()
    return bool(stripped) and stripped[0] in '"“'


def find_quoted(text: str, paragraphs: list[tuple[int, int]]) -> list[Quoted]:
    """Quotation-mark pairs of a document, paragraph by paragraph, carried over paragraph breaks.

    Straight double quotes pair in order; curly quotes pair “…” and ‘…’; a straight single
    quote counts only where it opens a word after a space and closes one before a space or
    punctuation (so apostrophes are not quote marks). A double quotation still open at the end
    of a paragraph continues into the next paragraph (whose opening mark, if any, re-opens it),
    or past paragraphs without quotation marks (captions) to one that re-opens it.
    """
    found: list[Quoted] = []
    open_at: int | None = None  # opening offset of a double quotation carried over paragraphs
    pieces: list[tuple[int, int]] = []
    for index, (p_start, p_end) in enumerate(paragraphs):
        i = p_start
        if open_at is not None:
            if _starts_with_mark(text, p_start, p_end):
                i = text.index(text[p_start:p_end].lstrip()[0], p_start) + 1  # skip the re-opening mark
                piece_start = i
            elif not any(ch in text[p_start:p_end] for ch in '"“”'):
                continue  # a caption inside a running quotation
            else:
                piece_start = p_start
        else:
            piece_start = None
        single: list[int] = []
        curly_single: list[int] = []
        while i < p_end:
            ch = text[i]
            if ch in '"“' and open_at is None:
                open_at, piece_start, pieces = i, i + 1, []
            elif open_at is not None and (ch in '"”' or (ch == "“" and not (i + 1 < p_end and text[i + 1].isalnum()))):
                # a closing mark; a “ that ends a word ("decision.“ However") is a mistyped closing mark
                pieces.append((piece_start, i))
                found.append(Quoted(open_at, i + 1, tuple(pieces)))
                open_at, pieces = None, []
            elif ch == "‘":
                curly_single.append(i)
            elif ch == "’" and curly_single and not (i + 1 < p_end and text[i + 1].isalpha()):
                a = curly_single.pop()
                found.append(Quoted(a, i + 1, ((a + 1, i),)))
            elif ch == "'":
                before = text[i - 1] if i > p_start else " "
                after = text[i + 1] if i + 1 < p_end else " "
                if before.isspace() and after.isalnum():
                    single.append(i)
                elif single and before.isalnum() and (after.isspace() or after in ".,;:!?)"):
                    a = single.pop()
                    found.append(Quoted(a, i + 1, ((a + 1, i),)))
            i += 1
        if open_at is not None:
            pieces.append((piece_start, p_end))
            nxt = paragraphs[index + 1:]
            carry = False
            for n_start, n_end in nxt:
                if _starts_with_mark(text, n_start, n_end):
                    carry = True
                    break
                if any(ch in text[n_start:n_end] for ch in '"“”'):
                    carry = True  # the quotation ends in the next paragraph without being re-opened
                    break
            if not carry:
                open_at, pieces = None, []
    return sorted(found, key=lambda q: (q.start, q.end))


class QuoteBuilder:
    """Turns one record's attributions and quotation markup into quote drafts."""

    def __init__(self, record: GumRecord, name_mentions: set[str]):
        self.record = record
        self.text = record.text
        self.name_mentions = name_mentions  # GUM mention ids that became name mentions
        self.paragraphs = [(p["start"], p["end"]) for p in record.raw["paragraphs"]]
        self.quoted = find_quoted(self.text, self.paragraphs)
        self.counts: dict[str, int] = {}
        self.decisions: dict[str, str] = {}  # attribution id -> rule that decided it

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
        out = []
        for s, e in cue["spans"]:
            taken: list[tuple[int, int]] = []
            for phrase in ("according to", "in the words of"):
                for m in re.finditer(phrase, self.text[s:e], flags=re.IGNORECASE):
                    taken.append((s + m.start(), s + m.end()))
                    out.append((phrase, (s + m.start(), s + m.end())))
            for m in re.finditer(r"\S+", self.text[s:e]):
                span = (s + m.start(), s + m.end())
                if any(a <= span[0] and span[1] <= b for a, b in taken):
                    continue
                out.append((m.group(0).lower().strip(".,;:"), span))
        # "according" and "to" may come as two signal spans
        joined = []
        for k, (w, span) in enumerate(out):
            if w == "according" and k + 1 < len(out) and out[k + 1][0] == "to":
                joined.append(("according to", (span[0], out[k + 1][1][1])))
            elif w == "to" and k > 0 and out[k - 1][0] == "according":
                continue
            else:
                joined.append((w, span))
        if source is not None:
            joined = [(w, span) for w, span in joined if span[1] <= source[0] or span[0] >= source[1]]
        return joined

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

    def content(self, spans: list[list[int]], block: bool) -> tuple[list[tuple[int, int]], str]:
        """Fragments and quote type from GUM content spans."""
        pieces: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            paragraph_pieces = self._paragraph_pieces(s, e)
            for k, piece in enumerate(paragraph_pieces):
                if k > 0:
                    # paraphrase does not run over a paragraph break; a quotation may
                    prev_end = pieces[-1][1] if pieces else piece[0]
                    if not any(q.start < prev_end and piece[0] < q.end for q in self.quoted if q.end > piece[0]):
                        break
                pieces.append(piece)
        fragments: list[tuple[int, int]] = []
        kinds = []
        for i, (s, e) in enumerate(pieces):
            raw_end = e
            while raw_end > s and self.text[raw_end - 1].isspace():
                raw_end -= 1
            s, e = self._trim(s, e, first=(i == 0))
            if s >= e:
                continue
            quoted = self._covering(s, e)
            if quoted is not None:
                fragments.extend(self._pieces(quoted))
                kinds.append("direct")
                continue
            for q in self.quoted:  # a quotation starting (or ending) inside the content belongs to it
                if s < q.start < e < q.end and len(q.pieces) == 1:
                    e = q.end
                elif q.start < s < q.end < e and len(q.pieces) == 1:
                    s = q.start
            doubles = [q for q in self.quoted if s <= q.start and q.end <= e and self.text[q.start] in '"“']
            if block and not doubles:
                fragments.append((s, raw_end))  # block quotation: verbatim, with its own final punctuation
                kinds.append("direct")
            elif self._verbatim_inside(s, e):
                fragments.append((s, e))
                kinds.append("mixed")
            else:
                fragments.append((s, e))
                kinds.append("indirect")
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
            source = attribution.get("source")
            spans = source["spans"] if source else []
            if spans:
                # of a discontinuous source ("Indonesia ... AFP") the part nearest to the cue
                ref = anchor if anchor is not None else spans[0][0]
                s, e = min(spans, key=lambda sp: (min(abs(sp[0] - ref), abs(sp[1] - ref)), sp))
                inside = [m for m in self.record.mentions if s <= m.start and m.end <= e]
                if inside:
                    # the NP the source span starts with, the largest one
                    mention = min(inside, key=lambda m: (m.start != s, -(m.end - m.start), m.id))
        if mention is None:
            return None, None
        if mention.gum_type not in ("person", "organization"):
            owners = [c for c in self.record.children(mention) if c.start == mention.start
                      and c.gum_type in ("person", "organization") and re.search(r"['’]s?$", c.text)]
            if owners:
                mention = owners[0]
        att = [(s, e) for s, e in attribution["attribution_span"]["spans"]]
        names = [m for m in self.record.mentions if m.entity == mention.entity and m.id in self.name_mentions
                 and any(s <= m.start and m.end <= e for s, e in att)]
        if mention.id not in self.name_mentions and names:
            ref = anchor if anchor is not None else mention.start
            mention = min(names, key=lambda m: (abs(m.start - ref), m.id))
        return mention.id, mention.entity

    # -- the whole record --------------------------------------------------------------------
    def draft(self, attribution: dict, cue: tuple[int, int] | None) -> QuoteDraft:
        spans = attribution["content_span"]["spans"]
        block = any("quote" in self.record.paragraph_type(s) for s, _ in spans)
        fragments, qtype = self.content(spans, block)
        mention, entity = self.speaker(attribution)
        att_end = max(e for _, e in attribution["attribution_span"]["spans"])
        return QuoteDraft(fragments, cue, mention, entity, qtype, attribution["id"], att_end)

    def build(self, fixes: dict | None = None) -> list[QuoteDraft]:
        """Drafts from attributions; `fixes` (attribution id -> callable(draft or None) -> draft or
        None) applies hand overrides before the nesting, relay and duplicate rules run, and the
        drafts it returns are exempt from those rules."""
        fixes = fixes or {}
        drafts: list[QuoteDraft] = []
        for attribution in self.record.raw["attributions"]:
            aid = attribution["id"]
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
        return drafts

    def _drop_nested(self, drafts: list[QuoteDraft]) -> list[QuoteDraft]:
        """Drop a quote whose cue lies inside another quote's content, or whose content lies in a direct quote."""
        kept = []
        for d in drafts:
            outer = None
            if not d.forced:
                for o in drafts:
                    if o is d or o.type == "indirect":
                        continue
                    for fs, fe in o.fragments:
                        inside_content = o.type == "direct" and all(fs <= s and e <= fe for s, e in d.fragments)
                        inside_cue = d.cue is not None and fs <= d.cue[0] and d.cue[1] <= fe
                        if (inside_content and d.fragments != o.fragments) or inside_cue:
                            outer = o
                            break
                    if outer:
                        break
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
        if anchor <= start and GAP.match(self.text[anchor:start]):
            return True
        gap = self.text[end:start]
        if draft.cue is None or not (end <= draft.cue[0] and draft.cue[1] <= start):
            return False
        if self.record.paragraph_bounds(end) != self.record.paragraph_bounds(start):
            return False
        body = gap.strip(' "“”’‘,.;:\n')
        return not any(ch in body for ch in '"“”') and not re.search(r"[.!?]\s+\S", body)

    def join_continuations(self, drafts: list[QuoteDraft], covered_extra: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Join unattributed quoted text that directly follows a quote; return what stays unattributed."""
        covered = [f for d in drafts for f in d.fragments] + list(covered_extra)
        leftovers = []
        elements = [dict(q, gum=True) for q in self.record.raw["quotations"] if q["kind"] == "quote"]
        # GUM's <quote> markup is not exhaustive: quoted sentences it left out may also continue a quote
        elements += [{"start": q.start, "end": q.end, "gum": False} for q in self.quoted
                     if self.text[q.start] in '"“' and len(self.text[q.start:q.end].split()) >= 3
                     and not self._is_title(self.text[q.start + 1:q.end - 1].strip().rstrip(TRAILING), q.start, q.end)]
        for element in sorted(elements, key=lambda q: (q["start"], not q["gum"])):
            s, e = self._trim(element["start"], element["end"])
            quoted = self._covering(s, e)
            if quoted is not None:
                pieces = self._pieces(quoted)
            else:
                inner = [q for q in self.quoted if s <= q.start and q.end <= e and self.text[q.start] in '"“']
                pieces = [p for q in inner for p in self._pieces(q)] or [(s, e)]
            pieces = [(a, b) for a, b in pieces if not any(cs <= a and b <= ce for cs, ce in covered)]
            if not pieces:
                continue
            joined = False
            for d in sorted(drafts, key=lambda d: -d.fragments[-1][1]):
                if d.type not in ("direct", "mixed"):
                    continue
                if self._continues(d, pieces[0][0]):
                    d.fragments = _merge(d.fragments + pieces)
                    d.origin += "+join"
                    covered.extend(pieces)
                    self._count("join:continuation")
                    joined = True
                    break
            if not joined and element["gum"]:
                leftovers.extend(pieces)
                covered.extend(pieces)
        return leftovers


def _merge(fragments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(fragments):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
