"""Small hand-made GUM-like records for testing one import rule at a time.

A record is built from its text and from mentions, attributions and quotations given by their
surface strings; offsets, tokens and token ranges are computed here the way the gum_news
records carry them (half-open code-point offsets into `text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"Mr\.|Mrs\.|Dr\.|U\.S\.|'s|’s|[A-Za-z0-9]+|\S")


@dataclass
class M:
    """A GUM mention: its surface string (nth occurrence), GUM type, cluster, head word and tag."""

    text: str
    type: str
    entity: str
    head: str | None = None
    xpos: str = "NNP"
    wikipedia: str | None = None
    nth: int = 0
    id: str | None = None


@dataclass
class A:
    """An attribution relation: content and attribution strings, source and cue inside them."""

    content: str
    attribution: str
    source: str | None = None
    cue: str | None = None
    relation: str = "attribution-positive"
    nth: int = 0
    cue_parts: list[str] = field(default_factory=list)


def _find(text: str, needle: str, nth: int = 0, start: int = 0) -> int:
    index = text.find(needle, start)
    for _ in range(nth):
        index = text.find(needle, index + 1)
    if index < 0:
        raise ValueError(f"{needle!r} (occurrence {nth}) not in the test text")
    return index


#: the license block of a real gum_news record
LICENSE = {"text": "CC BY 2.5 (Wikinews; https://creativecommons.org/licenses/by/2.5/)",
           "annotations": "CC BY 4.0 (GUM annotations; https://creativecommons.org/licenses/by/4.0/)",
           "attribution": "Text: Wikinews, CC BY 2.5. Annotations: GUM corpus, CC BY 4.0."}
DEFAULT = object()


def record(text: str, mentions: list[M] = (), attributions: list[A] = (), quotations: list[tuple[str, str]] = (),
           paragraph_types: dict[int, str] | None = None, doc_id: str = "GUM_news_test", partition: str = "train",
           turns: list[tuple[str, str]] = (), dateline=DEFAULT, license: dict | None = None) -> dict:
    """A gum_news-shaped record for `text`; paragraph i gets type paragraph_types[i] (default p, the first head).

    `turns` are GUM speaker turns (`<sp who=...>`) as (who, the turn's text: one or more whole paragraphs);
    `dateline` replaces the record's dateline (None for `dateline: null`); `license` its license block.
    """
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]

    def token_range(start: int, end: int) -> list[int]:
        first = next(i for i, (s, _) in enumerate(tokens) if s >= start)
        last = max(i for i, (_, e) in enumerate(tokens) if e <= end) + 1
        return [first, last]

    paragraphs = []
    offset = 0
    for i, chunk in enumerate(text.split("\n\n")):
        kind = (paragraph_types or {}).get(i, "head" if i == 0 else "p")
        paragraphs.append({"start": offset, "end": offset + len(chunk), "type": kind, "gum_block": kind})
        offset += len(chunk) + 2

    entities = []
    for k, spec in enumerate(mentions, start=1):
        start = _find(text, spec.text, spec.nth)
        end = start + len(spec.text)
        head_word = spec.head or spec.text.split()[0]
        head_start = _find(text, head_word, 0, start)
        entities.append({
            "id": spec.id or f"m{k}", "start": start, "end": end, "text": spec.text, "type": spec.type,
            "entity_id": spec.entity, "is_named": spec.xpos in ("NNP", "NNPS"),
            "head": {"text": head_word, "start": head_start, "end": head_start + len(head_word),
                     "upos": "PROPN" if spec.xpos.startswith("NNP") else "X", "xpos": spec.xpos},
            "wikipedia": spec.wikipedia, "infstat": "new", "salience": "n", "centering": "", "coref_link": "coref",
            "tokens": token_range(start, end),
        })

    def span(needle: str, within: tuple[int, int]) -> list[int]:
        s = _find(text, needle, 0, within[0])
        return [s, s + len(needle)]

    records = []
    for k, spec in enumerate(attributions, start=1):
        c0 = _find(text, spec.content, spec.nth)
        a0 = _find(text, spec.attribution, spec.nth)
        content = (c0, c0 + len(spec.content))
        attribution = (a0, a0 + len(spec.attribution))
        source = span(spec.source, attribution) if spec.source else None
        cue_spans = [span(part, attribution) for part in (spec.cue_parts or ([spec.cue] if spec.cue else []))]
        records.append({
            "id": f"a{k}", "relation": spec.relation,
            "attribution_span": {"spans": [list(attribution)], "text": spec.attribution},
            "content_span": {"spans": [list(content)], "text": spec.content},
            "source": {"spans": [source], "text": text[source[0]:source[1]]} if source else None,
            "source_mentions": [e["id"] for e in entities if source and [e["start"], e["end"]] == source],
            "cue": {"spans": cue_spans, "text": " … ".join(text[s:e] for s, e in cue_spans)} if cue_spans else None,
            "quotation_marks": [], "reported_speech_signal": None, "overlaps_quote_element": False, "signals": [],
        })
    speaker_turns = []
    for who, needle in turns:
        s = _find(text, needle)
        speaker_turns.append({"who": who, "start": s, "end": s + len(needle)})
    quotes = []
    for needle, kind in quotations:
        s = _find(text, needle)
        quotes.append({"start": s, "end": s + len(needle), "kind": kind, "text": needle,
                       "tokens": token_range(s, s + len(needle)), "attribution_ids": []})
    return {
        "doc_id": doc_id, "corpus": "GUM", "corpus_version": "V11.1.0 (test)", "genre": "news",
        "gum_partition": partition, "title": text.split("\n\n")[0], "author": "Wikinews",
        "source_url": "https://en.wikinews.org/wiki/Test", "date_created": "2020-01-02", "date_modified": "2020-01-03",
        "date_collected": "2020-01-04",
        "dateline": {"when": "2020-01-02", "start": 0, "end": 0, "text": ""} if dateline is DEFAULT else dateline,
        "license": license if license is not None else {}, "human_summary": "",
        "speaker_count": len({who for who, _ in turns}), "text": text, "paragraphs": paragraphs,
        "sentences": [], "blocks": [], "tokens": [list(t) for t in tokens], "entities": entities,
        "quotations": quotes, "attributions": records, "speaker_turns": speaker_turns,
    }
