"""Seeded synthetic gold documents and system predictions, for benchmarks and differential tests.

The documents are valid canonical documents (random words, name mentions with nesting, quotes
with interrupted fragments, cues and speakers, claims with claimants and quote links); the
predictions are submission lines that copy the gold with typical system errors (wrong type,
shifted boundary, missed, spurious, wrong speaker). Same seed, same data.
"""

from __future__ import annotations

import random

from ..core.document import SCHEMA_VERSION, text_sha256

WORDS = ("the", "minister", "said", "council", "bridge", "will", "be", "rebuilt", "by", "next", "year", "costs",
         "rose", "sharply", "according", "to", "officials", "in", "a", "statement", "on", "Monday", "that")
TYPES = ("PER", "ORG", "GPE", "LOC")


def _layer(status: str = "gold") -> dict:
    return {"status": status, "producers": [{"kind": "rule", "id": "synthetic", "version": "1", "role": "generated"}]}


def _words(rng: random.Random, n_words: int) -> tuple[str, list[tuple[int, int]]]:
    words, spans, pos = [], [], 0
    for _ in range(n_words):
        word = rng.choice(WORDS)
        spans.append((pos, pos + len(word)))
        words.append(word)
        pos += len(word) + 1
    return " ".join(words), spans


def _gold_mentions(rng: random.Random, text: str, spans: list[tuple[int, int]], mentions: int) -> tuple[list, list]:
    """Name mentions on 1-3 word stretches, in text order, mostly flat, some nested inside the previous one."""
    n_words = len(spans)
    mention_list: list[dict] = []
    entity_list: list[dict] = []
    slots = sorted(rng.sample(range(0, n_words - 3), mentions))
    last_end = -1
    for i, w in enumerate(slots):
        start = spans[w][0]
        end = spans[min(w + rng.randint(0, 2), n_words - 1)][1]
        if start < last_end and rng.random() < 0.5:
            start = max(start, last_end)  # avoid most overlaps; the rest stay as nesting
        if end <= start:
            continue
        last_end = end
        entity = f"e{len(entity_list) + 1}"
        etype = rng.choice(TYPES)
        entity_list.append({"id": entity, "type": etype, "name": text[start:end], "kb_id": None})
        mention_list.append({"id": f"m{i + 1}", "start": start, "end": end, "text": text[start:end], "type": etype,
                             "kind": "name", "entity": entity})
    return mention_list, entity_list


def _gold_quote(rng: random.Random, text: str, spans: list[tuple[int, int]], q: int, mention_list: list) -> dict:
    w = rng.randrange(0, len(spans) - 12)
    first = (spans[w][0], spans[w + rng.randint(2, 5)][1])
    fragments = [first]
    if rng.random() < 0.3:
        fragments.append((spans[w + 7][0], spans[w + 7 + rng.randint(1, 4)][1]))
    cue = None if rng.random() < 0.2 else (spans[w + 6][0], spans[w + 6][1])
    speaker = ({"kind": "unknown"} if not mention_list or rng.random() < 0.1
               else {"kind": "mention", "mention": rng.choice(mention_list)["id"]})
    return {"id": f"q{q + 1}", "fragments": [{"start": s, "end": e, "text": text[s:e]} for s, e in fragments],
            "cue": None if cue is None else {"start": cue[0], "end": cue[1], "text": text[cue[0]:cue[1]]},
            "speaker": speaker, "type": rng.choice(("direct", "indirect", "mixed"))}


def _gold_claim(rng: random.Random, text: str, spans: list[tuple[int, int]], c: int, mention_list: list,
                quote_list: list) -> dict:
    w = rng.randrange(0, len(spans) - 6)
    s, e = spans[w][0], spans[w + rng.randint(1, 5)][1]
    roll = rng.random()
    claimant: dict
    if roll < 0.2 or not mention_list:
        claimant = {"kind": "outlet"}
    elif roll < 0.3:
        claimant = {"kind": "unknown"}
    else:
        claimant = {"kind": "mention", "mention": rng.choice(mention_list)["id"]}
    link = rng.choice(quote_list)["id"] if quote_list and rng.random() < 0.5 else None
    return {"id": f"c{c + 1}", "fragments": [{"start": s, "end": e, "text": text[s:e]}],
            "claimant": claimant, "quote": link, "check_worthy": rng.random() < 0.6}


def make_document(rng: random.Random, doc_id: str, mentions: int = 10, quotes: int = 2, claims: int = 1) -> dict:
    """One valid canonical document with the given numbers of name mentions, quotes and claims."""
    text, spans = _words(rng, mentions * 4 + quotes * 14 + claims * 8 + 10)
    mention_list, entity_list = _gold_mentions(rng, text, spans, mentions)
    quote_list = [_gold_quote(rng, text, spans, q, mention_list) for q in range(quotes)]
    claim_list = [_gold_claim(rng, text, spans, c, mention_list, quote_list) for c in range(claims)]
    return {
        "schema_version": SCHEMA_VERSION, "id": doc_id, "text": text, "text_sha256": text_sha256(text),
        "metadata": {"title": f"Synthetic {doc_id}", "outlet": None, "url": None, "published": None, "language": "en",
                     "license": {"id": "CC-BY-4.0", "redistributable": True, "attribution": "", "url": None}},
        "provenance": {"source": {"raw_file": None, "raw_sha256": None, "importer": "whosaidwhat.scoring.synthetic",
                                  "cleaning": [], "derived_from": None},
                       "layers": {"mentions": _layer(), "quotes": _layer(), "claims": _layer()}},
        "entities": entity_list, "mentions": mention_list, "quotes": quote_list, "claims": claim_list,
    }


def _shift(rng: random.Random, start: int, end: int, limit: int) -> tuple[int, int]:
    s = min(max(0, start + rng.randint(-3, 3)), limit - 1)
    e = min(max(s + 1, end + rng.randint(-3, 3)), limit)
    return s, e


def _predicted_mentions(rng: random.Random, doc: dict, limit: int) -> tuple[list[dict], set[str]]:
    mentions, kept = [], set()
    for m in doc["mentions"]:
        roll = rng.random()
        if roll < 0.08:
            continue  # missed
        start, end, etype = m["start"], m["end"], m["type"]
        if roll < 0.23:
            start, end = _shift(rng, start, end, limit)
        elif roll < 0.33:
            etype = rng.choice(TYPES)
        mentions.append({"id": m["id"], "start": start, "end": end, "type": etype, "entity": m["entity"]})
        kept.add(m["id"])
    for k in range(rng.choice((0, 1, 1, 2))):
        s = rng.randrange(0, limit - 5)
        mentions.append({"id": f"x{k}", "start": s, "end": s + rng.randint(1, 5), "type": rng.choice(TYPES)})
    return mentions, kept


def _predicted_quote(rng: random.Random, q: dict, limit: int, kept: set[str]) -> dict | None:
    roll = rng.random()
    if roll < 0.1:
        return None
    fragments = [{"start": f["start"], "end": f["end"]} for f in q["fragments"]]
    if roll < 0.3:
        s, e = _shift(rng, fragments[0]["start"], fragments[0]["end"], limit)
        fragments[0] = {"start": s, "end": e if len(fragments) == 1 else min(e, fragments[1]["start"])}
        if fragments[0]["end"] <= fragments[0]["start"]:
            fragments = fragments[1:] or [{"start": s, "end": s + 1}]
    speaker = dict(q["speaker"])
    if speaker["kind"] == "mention" and (speaker["mention"] not in kept or rng.random() < 0.15):
        speaker = {"kind": "unknown"}
    cue = q["cue"] and {"start": q["cue"]["start"], "end": q["cue"]["end"]}
    return {"id": q["id"], "fragments": fragments, "cue": cue, "speaker": speaker,
            "type": q["type"] if rng.random() < 0.8 else rng.choice(("direct", "indirect", "mixed"))}


def _predicted_claims(rng: random.Random, doc: dict, kept: set[str], quote_ids: set[str]) -> list[dict]:
    claims = []
    for c in doc["claims"]:
        if rng.random() < 0.15:
            continue
        claimant = dict(c["claimant"])
        if claimant["kind"] == "mention" and claimant["mention"] not in kept:
            claimant = {"kind": "outlet"}
        claims.append({"id": c["id"], "fragments": [{"start": f["start"], "end": f["end"]} for f in c["fragments"]],
                       "claimant": claimant, "quote": c["quote"] if c["quote"] in quote_ids else None,
                       "check_worthy": c["check_worthy"] if rng.random() < 0.85 else not c["check_worthy"]})
    return claims


def predict(rng: random.Random, doc: dict) -> dict:
    """A submission line for `doc` with typical errors (about two thirds of entity spans exact)."""
    limit = len(doc["text"])
    mentions, kept = _predicted_mentions(rng, doc, limit)
    entities = [{"id": e["id"]} for e in doc["entities"]]
    quotes = [quote for quote in (_predicted_quote(rng, q, limit, kept) for q in doc["quotes"]) if quote is not None]
    claims = _predicted_claims(rng, doc, kept, {q["id"] for q in quotes})
    return {"id": doc["id"], "entities": entities, "mentions": mentions, "quotes": quotes, "claims": claims}


def corpus(seed: int, n_docs: int, mentions: int = 10, quotes: int = 2, claims: int = 1, prefix: str = "doc"):
    """Yield (gold document, prediction line) pairs."""
    rng = random.Random(seed)
    width = len(str(max(n_docs - 1, 0)))
    for i in range(n_docs):
        doc = make_document(rng, f"{prefix}-{i:0{width}d}", mentions, quotes, claims)
        yield doc, predict(rng, doc)
