"""Two annotations of one small document, made by two annotators, for agreement and adjudication tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from whosaidwhat.core.document import new_document

TEXT = ('Ford cuts 3,000 jobs\n\nMay 2, 2008\n\nFord Motor Company said on Friday that it would cut 3,000 jobs. '
        '"We regret this decision," said Alan Mulally, the chief executive. The union called the cuts unfair. '
        'Ford lost $2.7 billion in the quarter.')


def span(text: str, surface: str, nth: int = 1) -> dict:
    start = -1
    for _ in range(nth):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "text": surface}


def annotation(annotator: str) -> dict:
    """Annotator `annotator`'s version of the document: 3 entities, 2 quotes, 3 claims."""
    doc = new_document("ford-jobs", TEXT, {"title": "Ford cuts 3,000 jobs", "outlet": "Test", "url": None,
                                          "published": "2008-05-02", "language": "en",
                                          "license": {"id": "CC0-1.0", "redistributable": True, "attribution": ""}},
                       {"raw_file": None, "raw_sha256": None, "importer": "test", "cleaning": []})
    doc["entities"] = [{"id": "e1", "type": "ORG", "name": "Ford Motor Company", "kb_id": None},
                       {"id": "e2", "type": "PER", "name": "Alan Mulally", "kb_id": None},
                       {"id": "e3", "type": "ORG", "name": "The union", "kb_id": None}]
    doc["mentions"] = [
        {"id": "m1", **span(TEXT, "Ford"), "type": "ORG", "kind": "name", "entity": "e1"},
        {"id": "m2", **span(TEXT, "Ford Motor Company"), "type": "ORG", "kind": "name", "entity": "e1"},
        {"id": "m3", **span(TEXT, "it"), "type": "ORG", "kind": "pronoun", "entity": "e1"},
        {"id": "m4", **span(TEXT, "Alan Mulally"), "type": "PER", "kind": "name", "entity": "e2"},
        {"id": "m5", **span(TEXT, "The union"), "type": "ORG", "kind": "nominal", "entity": "e3"},
        {"id": "m6", **span(TEXT, "Ford", 3), "type": "ORG", "kind": "name", "entity": "e1"},
    ]
    doc["quotes"] = [
        {"id": "q1", "fragments": [span(TEXT, "it would cut 3,000 jobs")], "cue": span(TEXT, "said"),
         "speaker": {"kind": "mention", "mention": "m2"}, "type": "indirect"},
        {"id": "q2", "fragments": [span(TEXT, "We regret this decision,")], "cue": span(TEXT, "said", 2),
         "speaker": {"kind": "mention", "mention": "m4"}, "type": "direct"},
    ]
    doc["claims"] = [
        {"id": "c1", "fragments": [span(TEXT, "Ford cuts 3,000 jobs")], "claimant": {"kind": "outlet"}, "quote": None,
         "check_worthy": True},
        {"id": "c2", "fragments": [span(TEXT, "it would cut 3,000 jobs")], "claimant": {"kind": "mention", "mention": "m2"},
         "quote": "q1", "check_worthy": True},
        {"id": "c3", "fragments": [span(TEXT, "Ford lost $2.7 billion in the quarter")], "claimant": {"kind": "outlet"},
         "quote": None, "check_worthy": True},
    ]
    producer = {"kind": "agent", "id": annotator, "version": None, "role": "annotated", "model": "test-model",
                "shown": ["text", "annotation/GUIDELINES.md 1.1"]}
    for layer in ("mentions", "quotes", "claims"):
        doc["provenance"]["layers"][layer] = {"status": "draft", "producers": [dict(producer)], "guidelines_version": "1.1"}
    return doc


def write(folder: Path, doc: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc['id']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def disagreeing_pair() -> tuple[dict, dict]:
    """A and B differing by one boundary, one entity type, one speaker and one missed claim."""
    a, b = annotation("ann-a"), annotation("ann-b")
    b = copy.deepcopy(b)
    b["quotes"][0]["fragments"] = [span(TEXT, "would cut 3,000 jobs")]            # boundary
    b["entities"][2]["type"] = "PER"                                                # entity type
    b["mentions"][4]["type"] = "PER"
    b["quotes"][1]["speaker"] = {"kind": "mention", "mention": "m2"}                # speaker: Ford, not Mulally
    b["claims"] = [c for c in b["claims"] if c["id"] != "c3"]                       # missed claim
    b["claims"][1]["fragments"] = [span(TEXT, "would cut 3,000 jobs")]
    return a, b
