"""The 24 bundled news documents import exactly as they did before issue 17 (safe defaults, local quote
pairing, speaker turns, more speech verbs): the converter's output on corpus/raw/gum_news is pinned by
digest. The digests were taken from the importer before that change; the importer's version string is
left out, so that a version bump alone does not fail this test.

A deliberate change of the import (a new rule, a hand correction in annotation/gum/) changes digests:
list every changed document with its reason in the change's notes, then refresh the file with
`python tests/gum/test_news_identity.py`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "corpus" / "raw" / "gum_news"
DIGESTS = Path(__file__).with_name("news_import_digests.json")


def converted() -> dict[str, str]:
    """Document id -> SHA-256 of the converted document (importer version masked), as `wsw import gum` makes it."""
    from whosaidwhat.core.document import dumps
    from whosaidwhat.importers.gum import IMPORTER_ID, convert_record
    from whosaidwhat.importers.gum_overrides import load_data

    data = load_data(REPO / "annotation" / "gum", "annotation/gum")
    out = {}
    for path in sorted(RAW.glob("GUM_*.json")):
        raw_bytes = path.read_bytes()
        doc, _ = convert_record(json.loads(raw_bytes), data, where=str(path), raw_file=f"raw/gum_news/{path.name}",
                                raw_sha256=hashlib.sha256(raw_bytes).hexdigest())
        out[doc["id"]] = hashlib.sha256(dumps(mask_version(doc, IMPORTER_ID)).encode("utf-8")).hexdigest()
    return out


def mask_version(doc: dict, importer_id: str) -> dict:
    doc = copy.deepcopy(doc)
    doc["provenance"]["source"]["importer"] = f"{importer_id} <version>"
    for layer in doc["provenance"]["layers"].values():
        for producer in layer.get("producers", []):
            if producer.get("kind") == "importer":
                producer["version"] = "<version>"
    return doc


@pytest.mark.skipif(not RAW.is_dir(), reason="needs the bundled corpus/raw/gum_news")
def test_the_24_news_documents_import_exactly_as_before():
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert len(expected) == 24
    actual = converted()
    assert sorted(doc for doc in expected if actual.get(doc) != expected[doc]) == []


if __name__ == "__main__":
    DIGESTS.write_text(json.dumps(converted(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    sys.exit(0)
