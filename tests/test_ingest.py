"""`wsw ingest`: raw article in, canonical document out, boilerplate gone, raw file kept, same bytes again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from whosaidwhat.core.document import text_sha256
from whosaidwhat.ingest import IngestError, build_document, extract_body
from whosaidwhat.validation import validate_document

from .conftest import REPO

SEED_RAW = REPO / "corpus" / "raw" / "seed-kremlin-rejects-armenian-pm" / "kremlin-rejects-armenian-pm.txt"
SEED_DOC = REPO / "corpus" / "documents" / "seed-kremlin-rejects-armenian-pm.json"
UNKNOWN = {"id": "LicenseRef-unknown", "redistributable": False, "attribution": "", "url": None}

BOILERPLATE = ["Published: Updated:", "Read Mode", "100% Font Size", "Google News channel", "Read more:",
               "Karabakh separatist leader resigns", "German arms maker Diehl", "Top Content Trending"]


def raw_article(folder: Path, name: str = "a.txt", body: str = "Title\n\nBody.") -> Path:
    """A small raw article file to ingest."""
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def ingest_seed(wsw, corpus: Path):
    return wsw("ingest", SEED_RAW, "--id", "seed-kremlin-rejects-armenian-pm", "--corpus", corpus)


def test_seed_text_is_the_article_body_without_page_boilerplate():
    doc = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    text = doc["text"]
    assert text.startswith("Kremlin rejects Armenian PM\u2019s suggestion that Russia is quitting South Caucasus\n\n")
    assert "Kremlin spokesman Dmitry Peskov told reporters on Tuesday" in text
    assert text.endswith("\u201cRussia is not going anywhere and is not planning to leave.\u201d")
    for furniture in BOILERPLATE:
        assert furniture not in text, furniture


def test_every_kept_paragraph_is_copied_verbatim_from_the_raw_file():
    raw = SEED_RAW.read_text(encoding="utf-8")
    doc = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    for paragraph in doc["text"].split("\n\n"):
        assert paragraph in raw


def test_seed_is_recorded_as_not_redistributable_with_its_raw_file_kept():
    doc = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    assert doc["metadata"]["license"]["redistributable"] is False
    source = doc["provenance"]["source"]
    kept = REPO / "corpus" / source["raw_file"]
    assert kept.read_bytes() == SEED_RAW.read_bytes()
    assert source["raw_sha256"] == __import__("hashlib").sha256(kept.read_bytes()).hexdigest()
    assert any("Read more" in step for step in source["cleaning"])


def test_reingesting_gives_the_same_bytes_and_keeps_annotations(wsw, tmp_path):
    corpus = tmp_path / "corpus"
    first = ingest_seed(wsw, corpus)
    assert first.returncode == 0, first.stderr
    target = corpus / "documents" / "seed-kremlin-rejects-armenian-pm.json"
    before = target.read_bytes()
    assert ingest_seed(wsw, corpus).returncode == 0
    assert target.read_bytes() == before
    assert (corpus / "raw" / "seed-kremlin-rejects-armenian-pm" / SEED_RAW.name).read_bytes() == SEED_RAW.read_bytes()
    # the committed corpus copy was made the same way
    committed = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    assert json.loads(before)["text"] == committed["text"]


def test_a_changed_text_over_existing_annotations_is_refused_without_force(wsw, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "documents", corpus / "documents")
    edited = tmp_path / "kremlin.txt"
    edited.write_text(SEED_RAW.read_text(encoding="utf-8").replace("Tuesday", "Wednesday"), encoding="utf-8")
    doc_path = corpus / "documents" / "seed-kremlin-rejects-armenian-pm.json"
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    if all(doc["provenance"]["layers"][layer]["status"] == "absent" for layer in ("mentions", "quotes", "claims")):
        doc["provenance"]["layers"]["mentions"]["status"] = "draft"
    doc["provenance"]["source"]["raw_sha256"] = None  # no record of the raw file: only the text tells the change
    doc_path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = doc_path.read_bytes()
    result = wsw("ingest", edited, "--id", "seed-kremlin-rejects-armenian-pm", "--corpus", corpus)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{doc_path}: seed-kremlin-rejects-armenian-pm: $.text: [INGEST-TEXT-CHANGED] " in result.stderr
    assert "--force" in result.stderr
    assert doc_path.read_bytes() == before


def test_crlf_emoji_and_combining_marks_are_kept_exactly():
    raw = "Headline \U0001F600 Zoe\u0308\r\n\r\nPublished: today\r\n\r\nFirst line\r\nsame paragraph.\r\n\r\nSecond.\r\n"
    body = extract_body(raw)
    assert body.text == "Headline \U0001F600 Zoe\u0308\r\n\r\nFirst line\r\nsame paragraph.\r\n\r\nSecond."
    assert "\u00eb" not in body.text  # no NFC


def test_html_articles_lose_navigation_scripts_and_link_lists():
    page = """<!doctype html><html lang="en-GB"><head><title>Site | Story</title>
    <meta property="og:site_name" content="Example News"><meta property="og:url" content="https://example.org/s">
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"><script>var x = 1;</script></head>
    <body><nav><a href="/">Home</a></nav><header>Example News</header><article><h1>Mayor &amp; council agree</h1>
    <p>The mayor said   the deal was done.</p><p>Read more:</p><p>Other story</p></article>
    <footer>&copy; Example</footer></body></html>"""
    doc = build_document(page, doc_id="html-story", metadata={"license": UNKNOWN}, raw_file=None, raw_sha256=None)
    assert doc["text"] == "Mayor & council agree\n\nThe mayor said the deal was done."
    assert doc["metadata"]["outlet"] == "Example News"
    assert doc["metadata"]["published"] == "2024-03-05"
    assert doc["metadata"]["language"] == "en"
    assert doc["text_sha256"] == text_sha256(doc["text"])
    assert validate_document(doc, "html-story.json") == []


def test_a_non_utf8_file_is_a_clear_error(wsw, tmp_path):
    raw = tmp_path / "latin1.txt"
    raw.write_bytes("Caf\u00e9 news\n\nBody.".encode("latin-1"))
    result = wsw("ingest", raw, "--corpus", tmp_path / "corpus")
    assert result.returncode == 1
    assert f"wsw: error: {raw}: latin1: [INGEST-NOT-UTF8] not UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "corpus").exists()


def test_a_known_license_must_say_whether_it_may_be_redistributed(wsw, tmp_path):
    raw = raw_article(tmp_path)
    result = wsw("ingest", raw, "--license", "CC-BY-4.0", "--corpus", tmp_path / "corpus")
    assert result.returncode == 2 and "[INGEST-LICENSE-UNDECIDED]" in result.stderr and "--redistributable" in result.stderr


def test_reingesting_without_options_keeps_the_curated_metadata(wsw, tmp_path):
    raw = raw_article(tmp_path, "art.txt", "A headline\n\nBody text.\n")
    corpus = tmp_path / "corpus"
    first = wsw("ingest", raw, "--corpus", corpus, "--title", "T", "--outlet", "X", "--url", "https://x.org/a",
                "--published", "2024-01-02", "--license", "CC-BY-4.0", "--redistributable", "--attribution", "A")
    assert first.returncode == 0, first.stderr
    target = corpus / "documents" / "art.json"
    before = target.read_bytes()
    again = wsw("ingest", raw, "--corpus", corpus)
    assert again.returncode == 0, again.stderr
    assert target.read_bytes() == before


def test_a_default_id_that_collides_with_another_raw_file_is_refused(wsw, tmp_path):
    corpus = tmp_path / "corpus"
    one, two = tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"
    for path, body in ((one, "One.\n\nFirst body."), (two, "Two.\n\nSecond body.")):
        path.parent.mkdir()
        path.write_text(body, encoding="utf-8")
    assert wsw("ingest", one, "--corpus", corpus).returncode == 0
    clash = wsw("ingest", two, "--corpus", corpus)
    assert clash.returncode == 1 and "--id" in clash.stderr
    assert ": story: $.provenance.source.raw_sha256: [INGEST-RAW-CHANGED] " in clash.stderr
    assert "First body." in (corpus / "documents" / "story.json").read_text(encoding="utf-8")


def test_a_file_name_without_latin_letters_needs_an_explicit_id(wsw, tmp_path):
    raw = raw_article(tmp_path, "\u65b0\u95fb.txt")
    result = wsw("ingest", raw, "--corpus", tmp_path / "corpus")
    assert result.returncode == 2 and "--id" in result.stderr and "[INGEST-NO-ID]" in result.stderr


def test_ids_with_a_trailing_newline_are_refused(wsw, tmp_path):
    raw = raw_article(tmp_path)
    result = wsw("ingest", raw, "--id", "abc\n", "--corpus", tmp_path / "corpus")
    assert result.returncode == 2 and "[INGEST-ID-INVALID]" in result.stderr


def test_an_impossible_publication_date_is_refused(wsw, tmp_path):
    raw = raw_article(tmp_path)
    result = wsw("ingest", raw, "--published", "2024-02-30", "--corpus", tmp_path / "corpus")
    assert result.returncode == 1 and ": a: $.metadata.published: [DATE-INVALID] " in result.stderr, result.stderr
    assert not (tmp_path / "corpus").exists()


def test_a_page_with_nothing_but_boilerplate_is_refused(wsw, tmp_path):
    raw = raw_article(tmp_path, body="Read more:\n\nOther story\n")
    result = wsw("ingest", raw, "--corpus", tmp_path / "corpus")
    assert result.returncode == 1 and f"wsw: error: {raw}: a: [INGEST-NO-TEXT] " in result.stderr
    with pytest.raises(IngestError) as caught:
        build_document("Read more:", doc_id="x", metadata={"license": UNKNOWN}, raw_file=None, raw_sha256=None)
    assert caught.value.problem.rule == "INGEST-NO-TEXT" and isinstance(caught.value, ValueError)


def test_a_document_written_over_its_own_raw_file_is_refused(wsw, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "documents").mkdir(parents=True)
    raw = raw_article(corpus / "documents", "a.json", "Title\n\nBody.")
    before = raw.read_bytes()
    result = wsw("ingest", raw, "--corpus", corpus)
    assert result.returncode == 2 and "[OUT-OVERLAPS-INPUT]" in result.stderr, result.stderr
    assert raw.read_bytes() == before


def test_a_fifo_is_refused_not_waited_on(wsw, tmp_path):
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    result = wsw("ingest", fifo, "--corpus", tmp_path / "corpus")
    assert result.returncode == 1 and f"{fifo}: [FILE-NOT-REGULAR] " in result.stderr, result.stderr


def test_article_sentences_that_resemble_page_furniture_are_kept():
    raw = ("Headline\r\n\r\nUsers were told to download the app to receive alerts, officials said.\r\n\r\n"
           "Copyright lawyers said the ruling changes everything.\r\n\r\n"
           "More from the minister came later in the day, when she spoke to the press at length.\r\n\r\n"
           "The case continues.\r\n\r\nCopyright 2024 Example News. All rights reserved.\r\n")
    text = extract_body(raw).text
    for sentence in ("download the app", "Copyright lawyers", "More from the minister", "The case continues."):
        assert sentence in text
    assert "All rights reserved" not in text
