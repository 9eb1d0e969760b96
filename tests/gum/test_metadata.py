"""Metadata, licences and provenance of an imported document."""

from whosaidwhat.importers.gum import convert_record, document_id, published_date
from whosaidwhat.importers.gum_overrides import empty_data

from .gumrec import M, record


def imported():
    rec = record("Title\n\nBarack Obama spoke.", [M("Barack Obama", "person", "e1")], doc_id="GUM_news_korea")
    return convert_record(rec, empty_data(), raw_file="raw/gum_news/GUM_news_korea.json", raw_sha256="0" * 64)[0]


def test_the_document_id_is_derived_from_the_gum_id():
    assert document_id("GUM_news_korea") == "gum-news-korea"


def test_the_published_date_is_the_dateline_date():
    assert published_date({"dateline": {"when": "2015-08-21"}, "date_created": "2015-08-20"}) == "2015-08-21"


def test_a_year_only_dateline_takes_the_page_creation_date_of_that_year():
    assert published_date({"dateline": {"when": "2016"}, "date_created": "2016-09-07"}) == "2016-09-07"


def test_the_text_is_cc_by_2_5_and_redistributable_and_the_annotations_cc_by_4_0():
    meta = imported()["metadata"]
    assert (meta["license"]["id"], meta["license"]["redistributable"]) == ("CC-BY-2.5", True)
    assert meta["annotation_license"]["id"] == "CC-BY-4.0" and "GUM" in meta["annotation_license"]["attribution"]
    assert meta["outlet"] == "Wikinews"


def test_the_source_names_gum_and_the_raw_file():
    source = imported()["provenance"]["source"]
    assert source["derived_from"] == "GUM V11.1.0 GUM_news_korea"
    assert source["raw_file"] == "raw/gum_news/GUM_news_korea.json"


def test_imported_layers_are_silver_with_gum_and_the_importer_as_producers():
    layers = imported()["provenance"]["layers"]
    for name in ("mentions", "quotes"):
        assert layers[name]["status"] == "silver" and layers[name]["guidelines_version"] == "1.0"
        assert [p["id"] for p in layers[name]["producers"]][:2] == ["gum-annotators", "whosaidwhat-gum-importer"]
    assert layers["claims"]["status"] == "absent"
