"""A document with a hard text (CRLF, emoji, combining marks) and a valid annotation sheet of it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from whosaidwhat.core.document import dumps, new_document, text_sha256

TEXT = ('Café 👍🏽 news\r\n\r\nJosé Martí said: "We will win." The café’s owner, Zoë, denied it.\r\n'
        'Sources: e\u0301t\u0301e\u0301.')
DOC_ID = "emoji-doc"


def span(surface: str, nth: int = 1) -> dict:
    start = -1
    for _ in range(nth):
        start = TEXT.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "text": surface}


def document(redistributable: bool = True) -> dict:
    return new_document(DOC_ID, TEXT, {"title": "t", "outlet": "Test", "url": None, "published": "2020-01-01",
                                       "language": "en", "license": {"id": "CC0-1.0", "redistributable": redistributable,
                                                                     "attribution": ""}},
                        {"raw_file": None, "raw_sha256": None, "importer": "test", "cleaning": []})


def sheet() -> dict:
    return copy.deepcopy({
        "doc_id": DOC_ID, "text_sha256": text_sha256(TEXT), "guidelines_version": "1.1",
        "annotator": {"id": "ann-x", "kind": "agent", "model": "m", "model_version": "1"},
        "started": "2026-12-05T06:30:00Z", "finished": "2026-12-05T06:41:00Z",
        "entities": [{"id": "e1", "type": "PER", "name": "José Martí", "kb_id": None},
                     {"id": "e2", "type": "PER", "name": "Zoë", "kb_id": None}],
        "mentions": [{"id": "m2", **span("Zoë"), "kind": "name", "entity": "e2"},
                     {"id": "m1", **span("José Martí"), "kind": "name", "entity": "e1"}],
        "quotes": [{"id": "q1", "fragments": [span("We will"), span("win.")], "cue": span("said"),
                    "speaker": {"kind": "mention", "mention": "m1"}, "type": "direct"}],
        "claims": [{"id": "c1", "fragments": [span("We will win")], "claimant": {"kind": "mention", "mention": "m1"},
                    "quote": "q1", "check_worthy": False}],
        "notes": ["c1: a test note"],
    })


def setup(root: Path, doc: dict | None = None, sheets: dict[str, object] | None = None) -> Path:
    """root/docs/<id>.json and root/sheets/<name> (a dict is written as JSON, a str as it is)."""
    (root / "docs").mkdir(parents=True)
    (root / "sheets").mkdir()
    (root / "docs" / f"{DOC_ID}.json").write_text(dumps(doc or document()), encoding="utf-8")
    for name, content in (sheets if sheets is not None else {f"{DOC_ID}.json": sheet()}).items():
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        (root / "sheets" / name).write_text(text, encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
