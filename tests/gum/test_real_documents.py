"""The importer on the real GUM records shipped in corpus/raw/gum_news: valid, deterministic, right.

These tests convert the raw records afresh (the committed documents are later reviewed by hand,
so they may legitimately differ from the import) and spot-check the result against the text.
"""

import json
from functools import cache

import pytest

from whosaidwhat.core.document import dumps, resolve_entity
from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import load_data
from whosaidwhat.validation import ERROR, validate_document

from ..conftest import REPO

RAW = REPO / "corpus" / "raw" / "gum_news"
RECORDS = sorted(RAW.glob("GUM_*.json"))


@cache
def imported(name: str) -> dict:
    raw = json.loads((RAW / f"GUM_news_{name}.json").read_text(encoding="utf-8"))
    return convert_record(raw, load_data(REPO / "annotation" / "gum", "annotation/gum"))[0]


def entity_of(doc, attribution):
    eid = resolve_entity(doc, attribution)
    return next(e for e in doc["entities"] if e["id"] == eid)


def quote_containing(doc, words):
    return next(q for q in doc["quotes"] if any(words in f["text"] for f in q["fragments"]))


def test_all_24_records_are_shipped():
    assert len(RECORDS) == 24


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_every_imported_document_validates_without_errors(path):
    doc = imported(path.stem.replace("GUM_news_", ""))
    assert [p.line() for p in validate_document(doc, str(path)) if p.level == ERROR] == []


def test_conversion_is_deterministic():
    raw = json.loads((RAW / "GUM_news_nasa.json").read_text(encoding="utf-8"))
    data = load_data(REPO / "annotation" / "gum", "annotation/gum")
    assert dumps(convert_record(raw, data)[0]) == dumps(convert_record(json.loads(json.dumps(raw)), data)[0])


def test_the_text_and_its_hash_are_gums_unchanged():
    raw = json.loads((RAW / "GUM_news_korea.json").read_text(encoding="utf-8"))
    doc = imported("korea")
    assert doc["text"] == raw["text"] and doc["provenance"]["source"]["derived_from"] == "GUM V11.1.0 GUM_news_korea"


def test_korea_kcna_is_the_speaker_of_its_direct_quotes():
    doc = imported("korea")
    quote = quote_containing(doc, "Foolhardy provocation deserves harsh punishment")
    assert quote["type"] == "direct" and quote["cue"]["text"] == "added"
    assert entity_of(doc, quote["speaker"])["kb_id"] == "wikipedia:Korean Central News Agency"


def test_korea_north_korea_acting_as_an_agent_is_a_gpe():
    doc = imported("korea")
    names = {(m["text"], m["type"]) for m in doc["mentions"] if m["kind"] == "name"}
    assert ("North Korea", "GPE") in names and ("South Korea", "GPE") in names


def test_afghan_the_ambassador_is_named_without_his_title_and_speaks():
    doc = imported("afghan")
    text = doc["text"]
    mohib = [m for m in doc["mentions"] if m["kind"] == "name" and "Mohib" in m["text"]]
    assert {m["text"] for m in mohib} == {"Hamdullah Mohib", "Mohib"}
    assert all(text[m["start"]:m["end"]] == m["text"] for m in mohib)
    quote = quote_containing(doc, "Seventeen years ago")
    assert entity_of(doc, quote["speaker"])["name"] == "Hamdullah Mohib"


def test_afghan_the_photo_credit_is_not_a_quote():
    doc = imported("afghan")
    assert not any("FIRST Global robotics competition was held" in f["text"] for q in doc["quotes"] for f in q["fragments"])


def test_nasa_every_direct_quote_lies_between_quotation_marks_or_in_a_block():
    doc = imported("nasa")
    text = doc["text"]
    for quote in (q for q in doc["quotes"] if q["type"] == "direct"):
        for fragment in quote["fragments"]:
            before = text[:fragment["start"]].rstrip(" ")
            assert before.endswith(('"', "“", "\n")), fragment["text"][:40]


def test_no_quote_fragment_starts_or_ends_with_a_quotation_mark_or_space():
    for path in RECORDS:
        doc = imported(path.stem.replace("GUM_news_", ""))
        for quote in doc["quotes"]:
            for fragment in quote["fragments"]:
                if quote["type"] == "direct":
                    assert fragment["text"][0] not in '"“ ' and fragment["text"][-1] not in '"” ', (doc["id"], fragment)
