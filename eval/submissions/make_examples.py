"""Regenerate the two example leaderboard submissions from the corpus texts.

    .venv/bin/python eval/submissions/make_examples.py [CORPUS]      # default: corpus/

Each example is a system folder as `wsw leaderboard build` reads it: a `card.json`
(schema/system-card.schema.json) and one predictions file for the validation and test documents.
They are deliberately simple lower bounds that show the two formats and partial submissions:

* `quote-marks/` (JSONL): every stretch of at least four words between double quotation marks
  is a direct quote; its speaker is the nearest run of capitalised words within 150 characters
  before it (else after it), predicted as a PER name; no claims.
* `capitalised-names/` (Parquet): every run of two or more capitalised words is a PER name,
  or an ORG name when it ends in a company word; every sentence with a digit is a check-worthy
  claim of the outlet (entities and claims tracks; no quotes).

Both read nothing but the text of the document they predict (no training, no gold data).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{3,}?)[\"\u201d]")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
_COMPANY = ("Inc", "Corp", "Corporation", "Company", "Ltd", "Group", "Bank", "Motors", "Airlines", "Council")


def quote_marks(doc: dict) -> dict:
    text = doc["text"]
    names = [m.span() for m in _NAME.finditer(text)]
    mentions: dict[tuple[int, int], str] = {}
    quotes = []
    for match in _QUOTE.finditer(text):
        if len(match.group(1).split()) < 4:
            continue
        start, end = match.span()
        before = [n for n in names if n[1] <= start and start - n[1] <= 150]
        after = [n for n in names if n[0] >= end and n[0] - end <= 150]
        near = before[-1] if before else (after[0] if after else None)
        speaker = {"kind": "unknown"}
        if near is not None:
            mention_id = mentions.setdefault(near, f"m{len(mentions) + 1}")
            speaker = {"kind": "mention", "mention": mention_id}
        quotes.append({"id": f"q{len(quotes) + 1}", "fragments": [{"start": match.start(1), "end": match.end(1)}],
                       "speaker": speaker, "type": "direct"})
    return {"id": doc["id"], "text_sha256": doc["text_sha256"],
            "mentions": [{"id": mid, "start": s, "end": e, "type": "PER", "kind": "name"} for (s, e), mid in mentions.items()],
            "quotes": quotes}


def capitalised_names(doc: dict) -> dict:
    text = doc["text"]
    mentions = []
    for match in _NAME.finditer(text):
        label = "ORG" if match.group(0).split()[-1] in _COMPANY else "PER"
        mentions.append({"id": f"m{len(mentions) + 1}", "start": match.start(), "end": match.end(), "type": label,
                         "kind": "name"})
    claims = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        if any(c.isdigit() for c in sentence):
            start = match.start() + len(sentence) - len(sentence.lstrip())
            claims.append({"id": f"c{len(claims) + 1}", "fragments": [{"start": start, "end": match.end()}],
                           "claimant": {"kind": "outlet"}, "check_worthy": True})
    return {"id": doc["id"], "text_sha256": doc["text_sha256"], "mentions": mentions, "claims": claims}


def documents(corpus: Path):
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))["splits"]
    for doc_id in sorted(splits.get("validation", []) + splits.get("test", [])):
        doc = json.loads((corpus / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
        if doc.get("text") is not None:
            yield doc


def main(argv: list[str]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus = Path(argv[1]) if len(argv) > 1 else ROOT / "corpus"
    docs = list(documents(corpus))
    lines = [quote_marks(doc) for doc in docs]
    (HERE / "quote-marks" / "predictions.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    rows = [capitalised_names(doc) for doc in docs]
    pq.write_table(pa.Table.from_pylist(rows), HERE / "capitalised-names" / "predictions.parquet")
    print(f"{len(docs)} documents -> quote-marks/predictions.jsonl, capitalised-names/predictions.parquet")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
