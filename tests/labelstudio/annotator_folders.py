"""Folders of annotators' work made outside Label Studio, built from corpus documents, and how to compare them.

Each annotator's folder holds copies of the same documents with the layers changed the way that
annotator would have, and with provenance naming the annotator as the one producer of every layer
(`kind` agent, `model` "m"), as an annotation tool working outside Label Studio writes it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from whosaidwhat.core.document import dumps
from whosaidwhat.core.inventory import load_inventory
from whosaidwhat.core.resources import default_corpus_dir
from whosaidwhat.validation import ERROR, validate_document

from .campaign import DOCUMENTS, MINI

#: two short corpus documents, and the Unicode fixture (emoji, combining marks, CRLF, interrupted quotes)
SOURCES = {"gum-news-stampede": default_corpus_dir() / "documents",
           "gum-news-worship": default_corpus_dir() / "documents", MINI: DOCUMENTS}
FLIP = {"direct": "indirect", "indirect": "direct", "mixed": "direct"}


def source_doc(doc_id: str) -> dict:
    return json.loads((SOURCES[doc_id] / f"{doc_id}.json").read_text(encoding="utf-8"))


def annotated_by(doc: dict, annotator: str, lead_times: dict, workspace: str | None = None) -> dict:
    """`doc` with every layer made by `annotator` alone."""
    doc = copy.deepcopy(doc)
    for name, record in doc["provenance"]["layers"].items():
        producer = {"kind": "agent", "id": annotator, "version": None, "role": "annotated", "model": "m",
                    "shown": ["text", "annotation/GUIDELINES.md 1.0"]}
        if workspace:
            producer["workspace"] = workspace
        record.update(status="draft", producers=[producer], created="2026-11-30T10:00:00Z",
                      updated="2026-11-30T11:00:00Z", lead_time_seconds=lead_times[name],
                      changes=[f"annotated from scratch by {annotator}"], notes=f"{annotator}'s pass")
    return doc


def variant_y(doc: dict) -> dict:
    """The second annotator disagrees: other quote types, one claim fewer, another name for the first entity."""
    doc = copy.deepcopy(doc)
    for quote in doc["quotes"]:
        quote["type"] = FLIP[quote["type"]]
    doc["claims"] = doc["claims"][:-1]
    doc["entities"][0]["name"] += " (as ann-y saw it)"
    return doc


def write_folder(folder: Path, docs: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    inventory = load_inventory()
    for doc in docs:
        errors = [p.line() for p in validate_document(doc, doc["id"], inventory) if p.level == ERROR]
        assert not errors, errors
        (folder / f"{doc['id']}.json").write_text(dumps(doc), encoding="utf-8")
    return folder


def two_annotators(tmp_path: Path) -> dict:
    """{annotator id: folder}: ann-x (the corpus layers, no workspace recorded) and ann-y (changed layers,
    its own workspace recorded), each with every document of SOURCES."""
    x = [annotated_by(source_doc(d), "ann-x", {"mentions": 120.0, "quotes": 120.0, "claims": 120.0}) for d in SOURCES]
    y = [annotated_by(variant_y(source_doc(d)), "ann-y", {"mentions": 60.0, "quotes": 40.0, "claims": 20.0},
                      workspace="/work/annot/pass-2/ann-y") for d in SOURCES]
    return {"ann-x": write_folder(tmp_path / "ann-x", x), "ann-y": write_folder(tmp_path / "ann-y", y)}


def label_studio_lines(doc: dict) -> dict:
    """layer -> the lines a pull added to the layer's `changes`."""
    return {name: [c for c in record.get("changes", []) if c.startswith("Label Studio: ")]
            for name, record in doc["provenance"]["layers"].items()}


def without_label_studio(pulled: dict, pushed: dict) -> dict:
    """`pulled` without what the round trip adds: the `Label Studio: ...` changes lines, and a
    producer `workspace` where the pushed producer recorded none."""
    doc = copy.deepcopy(pulled)
    for name, record in doc["provenance"]["layers"].items():
        if "changes" in record:
            record["changes"] = [c for c in record["changes"] if not c.startswith("Label Studio: ")]
        for mine, theirs in zip(record["producers"], pushed["provenance"]["layers"][name]["producers"]):
            if not theirs.get("workspace"):
                mine.pop("workspace", None)
                if "workspace" in theirs:
                    mine["workspace"] = theirs["workspace"]
    return doc
