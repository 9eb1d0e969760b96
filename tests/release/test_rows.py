"""Canonical documents <-> release rows."""

import json

import pytest

from tests.release.conftest import UNICODE_DOC
from whosaidwhat.release.rows import as_arrow_rows, document_from_row, document_row, flat_rows, normalise_document
from whosaidwhat.release.synthetic import synthetic_document
from whosaidwhat.validation import validate_document


def spans_of(row: dict) -> list[dict]:
    spans = list(row["mentions"])
    for quote in row["quotes"]:
        spans += quote["fragments"] + ([quote["cue"]] if quote["cue"] else [])
    for claim in row["claims"]:
        spans += claim["fragments"]
    return spans


def test_a_document_row_read_back_from_arrow_is_the_same_canonical_document():
    for doc in [json.loads(UNICODE_DOC.read_text(encoding="utf-8")), synthetic_document(3)]:
        row = as_arrow_rows([document_row(doc, withhold=False)], "documents")[0]
        back = document_from_row(row)
        assert back == normalise_document(doc)
        assert validate_document(back) == []
        assert back["text"] == doc["text"] and back["quotes"][0]["fragments"] == doc["quotes"][0]["fragments"]


def test_a_withheld_row_keeps_offsets_and_hash_but_no_text_at_all():
    doc = json.loads(UNICODE_DOC.read_text(encoding="utf-8"))
    doc["metadata"]["license"]["redistributable"] = False  # only such texts are withheld
    row = as_arrow_rows([document_row(doc, withhold=True)], "documents")[0]
    assert row["text"] is None and row["text_sha256"] == doc["text_sha256"]
    assert all(span["text"] is None for span in spans_of(row))
    assert [(m["start"], m["end"]) for m in row["mentions"]] == [(m["start"], m["end"]) for m in doc["mentions"]]
    assert doc["text"] is not None  # the input document is not modified
    assert validate_document(document_from_row(row)) == []


def test_flat_rows_carry_the_doc_id_and_resolve_speakers_through_their_mention():
    doc = json.loads(UNICODE_DOC.read_text(encoding="utf-8"))
    rows = flat_rows(doc, withhold=False)
    assert [r["doc_id"] for r in rows["mentions"]] == [doc["id"]] * len(doc["mentions"])
    quote = rows["quotes"][0]
    mention = next(m for m in doc["mentions"] if m["id"] == quote["speaker"]["mention"])
    entity = next(e for e in doc["entities"] if e["id"] == mention["entity"])
    assert (quote["speaker_entity"], quote["speaker_name"]) == (entity["id"], entity["name"])
    outlet_claim = next(r for r in flat_rows(synthetic_document(0), False)["claims"] if r["claimant"]["kind"] == "outlet")
    assert (outlet_claim["claimant_entity"], outlet_claim["claimant_name"]) == (None, None)


def test_flat_rows_of_a_withheld_document_have_no_surface_text():
    rows = flat_rows(synthetic_document(7), withhold=True)
    assert rows["mentions"] and all(m["text"] is None for m in rows["mentions"])
    assert all(f["text"] is None for q in rows["quotes"] for f in q["fragments"] + [q["cue"]])
    assert all(f["text"] is None for c in rows["claims"] for f in c["fragments"])


def test_a_release_reads_back_as_the_corpus_documents(built):
    import json

    from whosaidwhat.release.read import iter_release_documents

    corpus, release = built
    docs = list(iter_release_documents(release, "train"))
    splits = json.loads((corpus / "splits.json").read_text(encoding="utf-8"))["splits"]
    assert [d["id"] for d in docs] == sorted(splits["train"])
    for doc in docs:
        original = json.loads((corpus / "documents" / f"{doc['id']}.json").read_text(encoding="utf-8"))
        assert doc == normalise_document(original if doc["text"] is not None else {**original, "text": None})


def test_the_vectorised_flat_tables_equal_the_rows_built_one_document_at_a_time():
    import pyarrow as pa

    from whosaidwhat.release.features import FLAT_CONFIGS, SCHEMAS
    from whosaidwhat.release.flat import flat_tables

    docs = [json.loads(UNICODE_DOC.read_text(encoding="utf-8"))] + [synthetic_document(i) for i in range(20)]
    docs[3]["provenance"]["layers"]["quotes"]["producers"] = [  # several producers, with the optional fields
        {"kind": "agent", "id": "a1", "version": None, "role": "annotated", "model": "m-1", "shown": ["text"],
         "workspace": "w"}, {"kind": "human", "id": "h1", "version": None, "role": "corrected"}]
    withhold = [not d["metadata"]["license"]["redistributable"] for d in docs]
    splits = ["train" if i % 3 else "test" for i in range(len(docs))]
    table = pa.Table.from_pylist([{**document_row(d, w), "split": s} for d, w, s in zip(docs, withhold, splits)],
                                 schema=SCHEMAS["documents"])
    tables = flat_tables(table)
    assert set(tables) == set(FLAT_CONFIGS)
    for config in FLAT_CONFIGS:
        expected = [row for d, w, s in zip(docs, withhold, splits) for row in flat_rows(d, w, s)[config]]
        assert tables[config].to_pylist() == as_arrow_rows(expected, config), config
    assert all(n == 0 for n in (t.num_rows for t in flat_tables(table.slice(0, 0)).values()))


def test_flat_rows_give_every_item_a_release_wide_uid_and_its_references_as_uids():
    doc = json.loads(UNICODE_DOC.read_text(encoding="utf-8"))
    rows = flat_rows(doc, withhold=False, split="train")
    uids = {config: {r["uid"] for r in rows[config]} for config in rows}
    for config in ("entities", "mentions", "quotes", "claims"):
        assert [r["uid"] for r in rows[config]] == [f"{doc['id']}/{r['id']}" for r in rows[config]]
        assert {r["split"] for r in rows[config]} == {"train"}
    for m in rows["mentions"]:
        assert m["entity_uid"] in uids["entities"]
    for q in rows["quotes"]:
        assert (q["speaker_mention_uid"] in uids["mentions"]) if q["speaker"]["kind"] == "mention" else \
            q["speaker_mention_uid"] is None
        assert q["speaker_entity_uid"] is None or q["speaker_entity_uid"] in uids["entities"]
    for c in rows["claims"]:
        assert c["quote_uid"] is None or c["quote_uid"] in uids["quotes"]
    producers = rows["producers"]
    assert [(p["layer"], p["position"]) for p in producers] == [
        (layer, i) for layer in ("mentions", "quotes", "claims")
        for i in range(len(doc["provenance"]["layers"][layer]["producers"]))]
    assert producers[0]["uid"] == f"{doc['id']}/mentions/0" and producers[0]["status"] == "gold"


def test_the_row_checks_column_wise_expected_rows_equal_the_python_reference_flat_rows():
    """verify's ExpectedFlat (one list per column) must give exactly `flat_rows`' rows as Arrow tables, withheld
    documents, documents read back from rows and the optional producer fields included; a malformed document adds
    no row at all, as `flat_rows` raising does."""
    import pyarrow as pa

    from whosaidwhat.release.expected import ExpectedFlat
    from whosaidwhat.release.features import FLAT_CONFIGS, SCHEMAS

    docs = [json.loads(UNICODE_DOC.read_text(encoding="utf-8"))] + [synthetic_document(i) for i in range(20)]
    docs[3]["provenance"]["layers"]["quotes"]["producers"] = [
        {"kind": "agent", "id": "a1", "version": None, "role": "annotated", "model": "m-1", "shown": ["text"],
         "workspace": "w"}, {"kind": "human", "id": "h1", "version": None, "role": "corrected"}]
    docs += [document_from_row(as_arrow_rows([document_row(d, True)], "documents")[0]) for d in docs[:4]]
    broken = synthetic_document(30)
    del broken["quotes"][-1]["speaker"]  # flat_rows raises KeyError on it after the entities and mentions
    withhold = [d["text"] is None or not d["metadata"]["license"]["redistributable"] for d in docs]
    expected = ExpectedFlat("validation")
    for i, (doc, w) in enumerate(zip(docs, withhold)):
        expected.add(doc, w)
        if i == 5:
            with pytest.raises(KeyError):
                flat_rows(broken, False, "validation")
            with pytest.raises(KeyError):
                expected.add(broken, False)
    tables = expected.tables()
    assert any(withhold) and set(tables) == set(FLAT_CONFIGS)
    for config in FLAT_CONFIGS:
        rows = [row for d, w in zip(docs, withhold) for row in flat_rows(d, w, "validation")[config]]
        assert rows, config
        assert tables[config].equals(pa.Table.from_pylist(rows, schema=SCHEMAS[config])), config
