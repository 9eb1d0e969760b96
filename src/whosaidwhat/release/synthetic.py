"""Generated, valid canonical documents for release tests and benchmarks.

Deterministic for a given index and seed. The texts deliberately contain what breaks naive
offset handling: emoji (outside the BMP), combining marks (decomposed "Zoë"), CRLF line
breaks, and interrupted quotes (`"A," she said, "B."`). Every tenth document is marked
not redistributable so that withholding is exercised at every scale.
"""

from __future__ import annotations

import random
from typing import Any, cast

from ..core.document import Document, make_span, new_document

PEOPLE = ("Zoe\u0308 U\u0308nal", "Nikol Pashinyan", "Dmitry Peskov", "Ana Li\u0301a Gómez", "Kofi Mensah",
          "Mei Chen", "Jürgen Weiß", "Priya Natarajan")
ORGS = ("Acme Corp", "the Kremlin", "the city council", "Global Rail Ltd", "the World Bank", "Café Nord 😀 Group")
PLACES = ("Armenia", "Yerevan", "São Paulo", "Ghana", "Berlin")
CUES = ("said", "told reporters", "added", "wrote")
FRAGMENT_A = ("We will", "This is not over", "Nobody expected it", "The numbers speak 📈 for themselves")
FRAGMENT_B = ("rebuild the bridge by 2027.", "we are ready to talk.", "the vote was fair.", "prices will fall next year.")
CLAIMS = ("costs rose by {n} percent in {year}", "the plant employs {n} workers", "{n} people were evacuated in {year}",
          "the budget was cut by {n} million in {year}")


class _Builder:
    """Appends strings to a text while handing out code-point offsets of what was appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def synthetic_document(index: int, seed: int = 0, sentences: int = 8) -> Document:
    """One valid document with entities, mentions, interrupted quotes and claims."""
    rng = random.Random(seed * 1_000_003 + index)
    newline = "\r\n" if index % 3 == 0 else "\n"
    b = _Builder()
    entities: dict[str, dict] = {}
    mentions: list[dict] = []
    quotes: list[dict] = []
    claims: list[dict] = []

    def mention(name: str, etype: str, kind: str = "name", start_end: tuple[int, int] | None = None) -> str:
        key = (name if kind == "name" else f"{etype}:{name}")
        if key not in entities:
            entities[key] = {"id": f"e{len(entities) + 1}", "type": etype, "name": name, "kb_id": None}
        mid = f"m{len(mentions) + 1}"
        start, end = start_end if start_end else b.add(name)
        mentions.append({"id": mid, "start": start, "end": end, "type": etype, "kind": kind, "entity": entities[key]["id"]})
        return mid

    title_place = rng.choice(PLACES)
    b.add("Report from ")
    mention(title_place, "GPE")
    b.add(f" 🗞{newline}{newline}")
    for s in range(sentences):
        form = rng.randrange(4)
        if form == 0:  # interrupted direct quote
            b.add('"')
            f1 = b.add(rng.choice(FRAGMENT_A) + ",")
            b.add('" ')
            speaker = mention(rng.choice(PEOPLE), "PER")
            b.add(" ")
            cue = b.add(rng.choice(CUES))
            b.add(', "')
            f2 = b.add(rng.choice(FRAGMENT_B))
            b.add('"')
            quotes.append({"id": f"q{len(quotes) + 1}", "fragments": [f1, f2], "cue": cue,
                           "speaker": {"kind": "mention", "mention": speaker}, "type": "direct"})
        elif form == 1:  # indirect quote carrying a claim
            speaker = mention(rng.choice(ORGS), "ORG")
            b.add(" ")
            cue = b.add("argued")
            b.add(" that ")
            content = b.add(rng.choice(CLAIMS).format(n=rng.randrange(2, 90), year=rng.randrange(1990, 2030)))
            b.add(".")
            qid = f"q{len(quotes) + 1}"
            quotes.append({"id": qid, "fragments": [content], "cue": cue,
                           "speaker": {"kind": "mention", "mention": speaker}, "type": "indirect"})
            claims.append({"id": f"c{len(claims) + 1}", "fragments": [content],
                           "claimant": {"kind": "mention", "mention": speaker}, "quote": qid,
                           "check_worthy": rng.random() < 0.6})
        elif form == 2:  # the outlet's own claim
            content = b.add("In " + rng.choice(PLACES) + ", " + rng.choice(CLAIMS).format(n=rng.randrange(2, 90), year=rng.randrange(1990, 2030)))
            b.add(".")
            claims.append({"id": f"c{len(claims) + 1}", "fragments": [content], "claimant": {"kind": "outlet"},
                           "quote": None, "check_worthy": rng.random() < 0.5})
        else:  # pronoun speaker, unknown-speaker quote
            person = rng.choice(PEOPLE)
            mention(person, "PER")
            b.add(" arrived in ")
            mention(rng.choice(PLACES), "GPE")
            b.add(". ")
            pronoun = b.add("She")
            key = person
            mid = f"m{len(mentions) + 1}"
            mentions.append({"id": mid, "start": pronoun[0], "end": pronoun[1], "type": "PER", "kind": "pronoun",
                             "entity": entities[key]["id"]})
            b.add(" ")
            cue = b.add("said")
            b.add(" talks would resume, while others ")
            cue2 = b.add("claimed")
            b.add(" ")
            content = b.add("the deal was dead")
            b.add(".")
            quotes.append({"id": f"q{len(quotes) + 1}", "fragments": [(cue[1] + 1, cue[1] + 20)], "cue": cue,
                           "speaker": {"kind": "mention", "mention": mid}, "type": "indirect"})
            quotes.append({"id": f"q{len(quotes) + 1}", "fragments": [content], "cue": cue2,
                           "speaker": {"kind": "unknown"}, "type": "indirect"})
        b.add(newline if s % 3 == 2 else " ")
    text = b.text().rstrip()
    redistributable = index % 10 != 7
    license_ = ({"id": "CC-BY-4.0", "redistributable": True, "attribution": f"Synthetic article {index}, CC BY 4.0.",
                 "url": "https://creativecommons.org/licenses/by/4.0/"} if redistributable else
                {"id": "LicenseRef-unknown", "redistributable": False, "attribution": "", "url": None})
    doc: Any = new_document(f"synth-{index:06d}", text, {
        "title": f"Synthetic article {index}", "outlet": "Synthetic Gazette", "url": f"https://example.org/a/{index}",
        "published": f"{2000 + index % 25}-{1 + index % 12:02d}-{1 + index % 28:02d}", "language": "en",
        "license": cast(Any, license_)}, {"raw_file": None, "raw_sha256": None, "importer": "whosaidwhat.release.synthetic",
                               "cleaning": [], "derived_from": None})
    producer = [{"kind": "rule", "id": "synthetic-generator", "version": "1", "role": "annotated"}]
    for layer in ("mentions", "quotes", "claims"):
        doc["provenance"]["layers"][layer] = {"status": "silver", "producers": producer, "guidelines_version": "1.0"}

    def span(se: tuple[int, int]) -> Any:
        return make_span(text, se[0], se[1])

    doc["entities"] = list(entities.values())
    doc["mentions"] = [{"id": m["id"], **span((m["start"], m["end"])), "type": m["type"], "kind": m["kind"],
                        "entity": m["entity"]} for m in mentions]
    doc["quotes"] = [{"id": q["id"], "fragments": [span(f) for f in q["fragments"]], "cue": span(q["cue"]),
                      "speaker": q["speaker"], "type": q["type"]} for q in quotes]
    doc["claims"] = [{"id": c["id"], "fragments": [span(f) for f in c["fragments"]], "claimant": c["claimant"],
                      "quote": c["quote"], "check_worthy": c["check_worthy"]} for c in claims]
    return doc
