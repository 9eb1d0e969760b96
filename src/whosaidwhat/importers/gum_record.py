"""A read-only view of one gum_news record (see corpus/raw/gum_news/README.md for its format).

The record already carries character offsets into its `text`; this module only indexes what
the conversion rules ask for (tokens, mention nesting, paragraph types, speaker turns) and checks
the shape, so that a malformed record fails with every problem named (file, document, field),
not a traceback and not only the first one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from .problems import Problem, ProblemError, problem, short

#: reports one problem of a record: bad(path, message, found=, expected=, rule=)
Bad = Callable[..., None]

#: fields the importer reads, with the type(s) each may have (`dateline` is null when the article has none)
REQUIRED_FIELDS: dict[str, tuple[type, ...]] = {
    "doc_id": (str,), "corpus_version": (str,), "genre": (str,), "gum_partition": (str,), "title": (str,),
    "source_url": (str,), "date_created": (str,), "dateline": (dict, type(None)), "text": (str,),
    "paragraphs": (list,), "tokens": (list,), "entities": (list,), "quotations": (list,), "attributions": (list,),
}
MENTION_FIELDS = ("id", "start", "end", "text", "type", "entity_id", "head", "wikipedia", "tokens", "coref_link")
#: the text license the importer records (metadata.license): Wikinews, CC BY 2.5
TEXT_LICENSE_PREFIX = "CC BY 2.5"


def _inside(text: str, start: object, end: object) -> bool:
    """Are (start, end) integer offsets of a (possibly empty) span inside `text`?"""
    return isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)


def _check_fields(raw: dict, bad: Bad) -> None:
    """The fields the importer reads are there, with their types; the text license is Wikinews'."""
    for name, kinds in REQUIRED_FIELDS.items():
        if name not in raw:
            bad(name, "field missing" + (" (use null when the article has none)" if type(None) in kinds else ""),
                expected=_type_names(kinds))
        elif not isinstance(raw[name], kinds):
            bad(name, "wrong type", found=_type_names((type(raw[name]),)), expected=_type_names(kinds))
    license_ = raw.get("license")
    license_text = license_.get("text") if isinstance(license_, dict) else None
    if isinstance(license_text, str) and license_text.strip() and not license_text.startswith(TEXT_LICENSE_PREFIX):
        bad("license.text", "the importer records Wikinews texts (CC BY 2.5) only; convert other GUM genres "
            "with their own license", found=short(license_text), expected=f"'{TEXT_LICENSE_PREFIX} …'",
            rule="IMPORT-RECORD-LICENSE")


def _check_tokens(raw: dict, text: str, bad: Bad) -> None:
    tokens = raw.get("tokens")
    bad_tokens = [i for i, t in enumerate(tokens if isinstance(tokens, list) else [])
                  if not (isinstance(t, list) and len(t) == 2 and _inside(text, *t))]
    if bad_tokens:
        bad(f"tokens[{bad_tokens[0]}]", f"{len(bad_tokens)} token(s) are not [start, end] inside the text")


def _check_blocks(raw: dict, text: str, bad: Bad) -> None:
    """Paragraphs and quotations: objects with offsets inside the text and a string type (kind)."""
    for name, required in (("paragraphs", ("start", "end", "type")), ("quotations", ("start", "end", "kind"))):
        items = raw.get(name)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict) or any(k not in item for k in required):
                bad(f"{name}[{i}]", f"must be an object with {', '.join(required)}")
            elif not isinstance(item[required[2]], str):
                bad(f"{name}[{i}].{required[2]}", "must be a string", found=short(item[required[2]]))
            elif not _inside(text, item["start"], item["end"]):
                bad(f"{name}[{i}]", f"offsets [{item['start']}, {item['end']}) are not inside the text")
    if raw.get("paragraphs") == [] and text:
        bad("paragraphs", "empty: the text of a record is split into paragraphs")


def _check_attribution_part(path: str, part: str, value: object, text: str, bad: Bad) -> None:
    spans = value.get("spans") if isinstance(value, dict) else None
    if not isinstance(spans, list) or not spans or not all(
            isinstance(sp, list) and len(sp) == 2 and _inside(text, *sp) for sp in spans):
        bad(f"{path}.{part}", "spans must be a non-empty list of [start, end] inside the text")
    elif isinstance(value, dict) and "text" in value and not isinstance(value["text"], str):
        bad(f"{path}.{part}.text", "must be a string", found=short(value["text"]))


def _check_attribution(path: str, item: object, text: str, bad: Bad) -> None:
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "relation")) or any(
            k not in item for k in ("attribution_span", "content_span")):
        bad(path, "must be an object with id and relation (strings), attribution_span, content_span")
        return
    for part in ("attribution_span", "content_span", "source", "cue"):
        value = item.get(part)
        if value is None and part in ("source", "cue"):
            continue
        _check_attribution_part(path, part, value, text, bad)
    mentions = item.get("source_mentions")
    if mentions is not None and not (isinstance(mentions, list) and all(isinstance(m, str) for m in mentions)):
        bad(f"{path}.source_mentions", "must be a list of mention ids", found=short(mentions))


def _mention_field_problem(item: object) -> str | None:
    """Why a mention entry lacks a field or has one of the wrong type, else None."""
    if not isinstance(item, dict) or any(k not in item for k in MENTION_FIELDS):
        return f"a mention must have the fields {', '.join(MENTION_FIELDS)}"
    wrong = [k for k in ("id", "text", "type", "entity_id", "coref_link") if not isinstance(item[k], str)]
    wrong += ["wikipedia"] if not (item["wikipedia"] is None or isinstance(item["wikipedia"], str)) else []
    if wrong:
        return f"field(s) {', '.join(wrong)} must be strings" + (" (wikipedia: or null)" if "wikipedia" in wrong else "")
    return None


def _mention_span_problem(item: dict, text: str) -> tuple[str, str, str | None, str | None] | None:
    """(path suffix, message, found, expected) when a mention's offsets, head or tokens are wrong, else None."""
    start, end = item["start"], item["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return f" ({item['id']})", f"offsets [{start}, {end}) are not inside the text of {len(text)} code points", None, None
    if text[start:end] != item["text"]:
        return (f" ({item['id']})", f"text[{start}:{end}] is not the mention's text", short(text[start:end]),
                short(item["text"]))
    head, tokens = item["head"], item["tokens"]
    if not (isinstance(head, dict) and isinstance(head.get("start"), int) and isinstance(head.get("end"), int)
            and isinstance(head.get("xpos") or "", str)):
        return f" ({item['id']}).head", "the head must be an object with integer start and end", None, None
    if not (isinstance(tokens, list) and len(tokens) == 2 and all(isinstance(t, int) for t in tokens)):
        return f" ({item['id']}).tokens", "tokens must be [first, last) token indexes", short(tokens), None
    return None


def _mention_problem(item: object, text: str) -> tuple[str, str, str | None, str | None] | None:
    """(path suffix, message, found, expected) when a mention entry cannot be read, else None."""
    message = _mention_field_problem(item)
    if message is not None:
        return "", message, None, None
    return _mention_span_problem(item, text)  # type: ignore[arg-type]


def _type_names(kinds: tuple[type, ...]) -> str:
    return " or ".join("null" if k is type(None) else {"dict": "object", "list": "array", "str": "string"}.get(
        k.__name__, k.__name__) for k in kinds)


@dataclass(frozen=True)
class SpeakerTurn:
    """One speaker turn (GUM `<sp who=...>`): who speaks, and the span of the turn in the text."""

    who: str
    start: int
    end: int


@dataclass(frozen=True)
class GumMention:
    """One GUM entity mention (a maximal referring NP) with its head word."""

    id: str
    start: int
    end: int
    text: str
    gum_type: str
    entity: str
    head_start: int
    head_end: int
    head_xpos: str
    wikipedia: str | None
    first_token: int
    last_token: int  # exclusive
    coref_link: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class GumRecord:
    """A parsed gum_news record; `where` names its file for error messages."""

    raw: dict
    where: str
    mentions: list[GumMention] = field(default_factory=list)
    turns: list[SpeakerTurn] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: object, where: str) -> GumRecord:
        """Check the fields the importer needs and index the mentions; every problem is reported at once."""
        if not isinstance(raw, dict):
            raise ProblemError([problem("IMPORT-RECORD-FIELD", where, "a gum record must be a JSON object",
                                        found=type(raw).__name__)])
        doc = raw.get("doc_id") if isinstance(raw.get("doc_id"), str) else "?"
        problems: list[Problem] = []

        def bad(path: str, message: str, found: object = None, expected: str | None = None,
                rule: str = "IMPORT-RECORD-FIELD") -> None:
            problems.append(problem(rule, where, message, doc, path, found if found is None else str(found), expected))

        _check_fields(raw, bad)
        text = raw.get("text") if isinstance(raw.get("text"), str) else None
        record = cls(raw=raw, where=where)
        if text is not None and isinstance(raw.get("entities"), list):
            record._parse_mentions(text, bad)
        if text is not None:
            record._check_spans(text, bad)
            record._parse_turns(text, bad)
        if problems:
            raise ProblemError(problems)
        return record

    def _check_spans(self, text: str, bad: Bad) -> None:
        """Tokens, paragraphs, quotations and attributions: the offsets the rules read must lie in the text."""
        _check_tokens(self.raw, text, bad)
        _check_blocks(self.raw, text, bad)
        items = self.raw.get("attributions")
        for i, item in enumerate(items if isinstance(items, list) else []):
            _check_attribution(f"attributions[{i}]", item, text, bad)

    def _parse_mentions(self, text: str, bad: Bad) -> None:
        for i, item in enumerate(self.raw["entities"]):
            wrong = _mention_problem(item, text)
            if wrong is not None:
                suffix, message, found, expected = wrong
                bad(f"entities[{i}]{suffix}", message, found=found, expected=expected)
                continue
            head = item["head"]
            self.mentions.append(GumMention(
                id=item["id"], start=item["start"], end=item["end"], text=item["text"], gum_type=item["type"],
                entity=item["entity_id"], head_start=head["start"], head_end=head["end"],
                head_xpos=head.get("xpos") or "", wikipedia=item["wikipedia"],
                first_token=item["tokens"][0], last_token=item["tokens"][1], coref_link=item["coref_link"],
            ))

    def _parse_turns(self, text: str, bad: Bad) -> None:
        """Speaker turns from `speaker_turns` ({who, start, end}), else from runs of sentences with one `speaker`."""
        turns = self.raw.get("speaker_turns")
        if turns is None:
            turns = []
        if not isinstance(turns, list):
            bad("speaker_turns", "wrong type", found=_type_names((type(turns),)), expected="array")
            return
        for i, turn in enumerate(turns):
            path = f"speaker_turns[{i}]"
            if not isinstance(turn, dict):
                bad(path, "a speaker turn must be an object {who, start, end}", found=_type_names((type(turn),)))
                continue
            who, start, end = turn.get("who"), turn.get("start"), turn.get("end")
            if not isinstance(who, str) or not who.strip("# "):
                bad(f"{path}.who", "a speaker turn names its speaker (GUM `<sp who=...>`)", found=short(who))
                continue
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                bad(path, f"offsets [{start}, {end}) are not inside the text of {len(text)} code points")
                continue
            self.turns.append(SpeakerTurn(who, start, end))
        if not turns:
            self.turns = self._turns_from_sentences(text)
        self.turns.sort(key=lambda t: (t.start, t.end))
        for a, b in zip(self.turns, self.turns[1:]):
            if b.start < a.end:
                bad("speaker_turns", f"turns of {a.who} [{a.start}, {a.end}) and {b.who} [{b.start}, {b.end}) overlap")

    def _turns_from_sentences(self, text: str) -> list[SpeakerTurn]:
        out: list[SpeakerTurn] = []
        sentences = self.raw.get("sentences")
        if not isinstance(sentences, list):
            return out
        for s in sentences:
            if not isinstance(s, dict):
                continue
            who, start, end = s.get("speaker"), s.get("start"), s.get("end")
            if not (isinstance(who, str) and who.strip("# ") and isinstance(start, int) and isinstance(end, int)
                    and 0 <= start < end <= len(text)):
                continue
            if out and out[-1].who == who:
                out[-1] = SpeakerTurn(who, out[-1].start, end)
            else:
                out.append(SpeakerTurn(who, start, end))
        return out

    # -- plain accessors -------------------------------------------------------------------
    @property
    def doc_id(self) -> str:
        return self.raw["doc_id"]

    @property
    def text(self) -> str:
        return self.raw["text"]

    @cached_property
    def tokens(self) -> list[tuple[int, int]]:
        return [(int(s), int(e)) for s, e in self.raw["tokens"]]

    @cached_property
    def by_id(self) -> dict[str, GumMention]:
        return {m.id: m for m in self.mentions}

    @cached_property
    def clusters(self) -> dict[str, list[GumMention]]:
        """GUM coreference clusters: entity id -> its mentions in text order."""
        out: dict[str, list[GumMention]] = {}
        for mention in sorted(self.mentions, key=lambda m: (m.start, -m.end, m.id)):
            out.setdefault(mention.entity, []).append(mention)
        return out

    def children(self, mention: GumMention) -> list[GumMention]:
        """Mentions strictly inside `mention` (nested NPs), in text order."""
        return [m for m in self.mentions
                if m.id != mention.id and mention.start <= m.start and m.end <= mention.end and m.span != mention.span]

    def token_index(self, start: int, end: int) -> int | None:
        """Index of the token with exactly these offsets, or None."""
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.tokens[mid][0] < start:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.tokens) and self.tokens[lo] == (start, end):
            return lo
        return None

    def paragraph_type(self, offset: int) -> str:
        """GUM's paragraph type (p, head, figure>caption, quote, item>p, ...) at an offset."""
        for para in self.raw["paragraphs"]:
            if para["start"] <= offset < para["end"]:
                return para["type"]
        return ""

    def paragraph_bounds(self, offset: int) -> tuple[int, int]:
        for para in self.raw["paragraphs"]:
            if para["start"] <= offset < para["end"]:
                return (para["start"], para["end"])
        return (offset, offset)
