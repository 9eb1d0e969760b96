"""From a text to predictions: names -> mentions -> direct and indirect quotes -> claims -> a submission line.

Both baselines run this pipeline; they differ in the pieces they plug in: how names are found
(rules: names.find_names; trained: a statistical NER model), how check-worthiness is decided and
how a speaker is chosen among candidates. Everything here is a pure function of its inputs.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from . import claims as claim_rules
from .direct import direct_quotes
from .indirect import indirect_quotes
from .mentions import Mentions
from .names import Name
from .quotation_marks import quotations
from .spans import SpanSet
from .text import paragraphs, sentences, trim

_CREDIT = ("Image:", "Photo:", "Video:", "Source:", "Sources:", "Related")


@dataclass
class QuotePrediction:
    fragments: list[tuple[int, int]]
    cue: tuple[int, int] | None
    speaker: tuple | None
    type: str


@dataclass
class Analysis:
    mentions: Mentions
    quotes: list[QuotePrediction] = field(default_factory=list)
    claims: list[claim_rules.ClaimCandidate] = field(default_factory=list)


def text_sentences(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(paragraphs, sentences): a leading dateline (`November 17, Brisbane - `) is cut off its sentence."""
    paras = paragraphs(text)
    spans: list[tuple[int, int]] = []
    for index, (ps, pe) in enumerate(paras):
        start = claim_rules.strip_dateline(text, ps, pe) if index <= 2 else ps
        spans.extend(sentences(text, start, pe))
    return paras, spans


def _find_quotes(text: str, mentions: Mentions, paras, sents) -> tuple[list[QuotePrediction], list[tuple[int, int]]]:
    """(direct, indirect and mixed quotes in text order, source list entries)."""
    sentence_starts = [s for s, _ in sents]
    para_ends = [e for _, e in paras]

    def sentence_start_of(offset: int) -> int:
        i = bisect.bisect_right(sentence_starts, offset) - 1
        return sentence_starts[i] if i >= 0 else 0

    def paragraph_end_of(offset: int) -> int:
        i = bisect.bisect_left(para_ends, offset)
        return para_ends[i] if i < len(para_ends) else len(text)

    found = quotations(text)
    mentions.quoted = [f for q in found for f in q.fragments]
    source_lists: list[tuple[int, int]] = []
    direct = direct_quotes(text, mentions, found, sentence_start_of, paragraph_end_of, source_lists)
    used = {id(q) for d in direct for q in d.quotations}
    blocked = [f for d in direct for f in d.fragments] + [d.cue for d in direct if d.cue] + source_lists
    embedded = [q for q in found if id(q) not in used]
    indirect = indirect_quotes(text, mentions, sents, blocked, embedded)
    quotes = [QuotePrediction(d.fragments, d.cue, d.speaker, "direct") for d in direct]
    quotes += [QuotePrediction(q.fragments, q.cue, q.speaker, q.type) for q in indirect]
    quotes.sort(key=lambda q: (q.fragments[0][0], q.fragments[-1][1]))
    return quotes, source_lists


def analyse(text: str, names: list[Name], check_worthy: Callable[..., bool] = claim_rules.check_worthy,
            choose_speaker: Callable | None = None) -> Analysis:
    """Quotes and claims of `text` given its names; `choose_speaker(text, mentions, quote, paragraph)` may
    replace the rules' speaker of each quote (the trained baseline's learned choice)."""
    mentions = Mentions.from_names(text, names)
    paras, sents = text_sentences(text)
    analysis = Analysis(mentions)
    analysis.quotes, source_lists = _find_quotes(text, mentions, paras, sents)
    if choose_speaker is not None:
        for q in analysis.quotes:
            anchor = q.cue[0] if q.cue else q.fragments[0][0]
            i = bisect.bisect_right([s for s, _ in paras], anchor) - 1
            q.speaker = choose_speaker(text, mentions, q, paras[max(i, 0)])
    analysis.claims = _claims(text, paras, sents, analysis, check_worthy, source_lists)
    return analysis


class _Claims:
    """Claims of one text: check-worthiness decided as each is added."""

    def __init__(self, text: str, mentions: Mentions, check_worthy):
        self.text, self.check_worthy = text, check_worthy
        self.name_starts = [m.start for m in mentions.names()]
        self.out: list[claim_rules.ClaimCandidate] = []

    def has_name(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self.name_starts, s)
        return i < len(self.name_starts) and self.name_starts[i] < e

    def add(self, s: int, e: int, claimant, quote) -> None:
        if claim_rules.checkable(self.text, s, e, self.has_name(s, e)):
            self.out.append(claim_rules.ClaimCandidate([(s, e)], claimant, quote,
                                                       self.check_worthy(self.text, s, e, claimant == "outlet")))

    def clauses(self, ss: int, se: int, claimant, quote) -> None:
        for cs, ce in claim_rules.clauses(self.text, ss, se):
            self.add(cs, ce, claimant, quote)


def _not_the_outlets(text: str, ss: int, se: int, quoted: SpanSet, cues: SpanSet, skip: SpanSet) -> bool:
    """The sentence makes no claim of the outlet's: it holds a quote, reports speech, is a source list, credit or date."""
    if quoted.overlaps(ss, se):
        return True  # the quote's content made its claims; the rest of the sentence reports speech
    if cues.holds_one(ss, se) or skip.overlaps(ss, se):
        return True
    return text.startswith(_CREDIT, ss, se) or claim_rules.is_date_line(text, ss, se)


def _claims(text, paras, sents, analysis: Analysis, check_worthy, skip=()) -> list[claim_rules.ClaimCandidate]:
    claims = _Claims(text, analysis.mentions, check_worthy)
    for index, q in enumerate(analysis.quotes):
        for fs, fe in q.fragments:
            for ss, se in sentences(text, fs, fe):
                claims.clauses(ss, se, q.speaker, index)
    quoted = SpanSet(f for q in analysis.quotes for f in q.fragments)
    cues = SpanSet(q.cue for q in analysis.quotes if q.cue)
    skipped = SpanSet(skip)
    headline = paras[0] if len(paras) > 1 else None
    for ss, se in sents:
        if _not_the_outlets(text, ss, se, quoted, cues, skipped):
            continue
        if headline is not None and ss >= headline[0] and se <= headline[1]:
            s, e = trim(text, *claim_rules.strip_final_punctuation(text, ss, se))
            claims.add(s, e, "outlet", None)
            continue
        claims.clauses(ss, se, "outlet", None)
    claims.out.sort(key=lambda c: (c.fragments[0][0], c.fragments[-1][1]))
    return claims.out


def to_line(document: dict, analysis: Analysis) -> dict:
    """The submission line of an analysis (ids in text order: m1.., e1.., q1.., c1..)."""
    from .base import empty_line

    line = empty_line(document)
    entities, mentions, ids = analysis.mentions.assign_ids()
    line["entities"], line["mentions"] = entities, mentions

    def who(key):
        return {"kind": "mention", "mention": ids[key]} if key is not None and key in ids else {"kind": "unknown"}

    quote_ids = []
    for number, q in enumerate(analysis.quotes, start=1):
        quote_ids.append(f"q{number}")
        line["quotes"].append({"id": f"q{number}", "fragments": [{"start": s, "end": e} for s, e in q.fragments],
                               "cue": {"start": q.cue[0], "end": q.cue[1]} if q.cue else None,
                               "speaker": who(q.speaker), "type": q.type})
    for number, c in enumerate(analysis.claims, start=1):
        claimant = {"kind": "outlet"} if c.claimant == "outlet" else who(c.claimant)
        line["claims"].append({"id": f"c{number}", "fragments": [{"start": s, "end": e} for s, e in c.fragments],
                               "claimant": claimant, "quote": quote_ids[c.quote] if c.quote is not None else None,
                               "check_worthy": bool(c.check_worthy)})
    return line
