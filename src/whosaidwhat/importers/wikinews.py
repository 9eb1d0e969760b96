"""Wikinews article records (MEANTIME raw text, WikinewsSum wikitext, MEANTIME detokenized) -> documents.

The three folders of `shared/data` hold one JSON record per article with the same core fields
(`doc_id`, `title`, `date`, `source_url`, `license`, `attribution`, `text`, `text_origin`,
`provenance`, `processing`). `convert_record` is a pure function: it checks the record, keeps
the text exactly as given (no normalisation; offsets of later layers index it), and returns a
document with all layers `absent`, its license, its attribution, how the text was obtained, and
where the record came from. Errors name the record and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import __version__
from ..document import Document, new_document
from ..errors import UserError

IMPORTER_ID = "whosaidwhat-wikinews-importer"

#: the record's `text_origin` -> the document's `metadata.text_origin`
TEXT_ORIGINS = {"raw": "original", "rendered-wikitext": "rendered-wikitext", "detokenized": "detokenized"}

CC_BY_25 = "https://creativecommons.org/licenses/by/2.5/"
#: Wikinews: content created on or before 2005-09-25 is public domain, later content CC BY 2.5
PD_LICENSE_ID = "LicenseRef-Wikinews-public-domain"
PD_LICENSE_URL = "https://en.wikinews.org/wiki/Wikinews:Copyright"

REQUIRED = ("doc_id", "title", "date", "source_url", "license", "attribution", "text", "text_origin", "provenance",
            "processing")


@dataclass(frozen=True)
class Source:
    """One record folder of shared/data: its name, the doc-id prefix it must use, and its text origin."""

    folder: str
    id_pattern: str
    text_origin: str


SOURCES = {
    "meantime_raw": Source("meantime_raw", r"MEANTIME_stock_\d+", "raw"),
    "wikinewssum": Source("wikinewssum", r"WNS_\d{3}", "rendered-wikitext"),
    "meantime_detok": Source("meantime_detok", r"MEANTIME_(?:airbus|apple|gm)_\d+", "detokenized"),
}


def document_id(record_id: str) -> str:
    """MEANTIME_stock_112579 -> meantime-stock-112579; WNS_000 -> wns-000."""
    return record_id.lower().replace("_", "-")


def _field(record: dict, where: str, name: str, kind: type) -> object:
    value = record.get(name)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        found = "missing" if name not in record else repr(value)[:80]
        raise UserError(f"{where}: field {name!r}: expected a non-empty {kind.__name__}, found {found}")
    return value


def text_license(record: dict, where: str) -> dict:
    """The SPDX-style license record of the article text, from the record's license sentence."""
    sentence = str(_field(record, where, "license", str))
    attribution = str(_field(record, where, "attribution", str))
    if sentence.startswith("CC BY 2.5"):
        return {"id": "CC-BY-2.5", "redistributable": True, "attribution": attribution, "url": CC_BY_25}
    if sentence.startswith("Public domain"):
        return {"id": PD_LICENSE_ID, "redistributable": True,
                "attribution": attribution + " Later edits of the page, if any, are CC BY 2.5.", "url": PD_LICENSE_URL}
    raise UserError(f"{where}: field 'license': unknown license {sentence[:80]!r} "
                    "(expected 'CC BY 2.5 …' or 'Public domain …')")


def _published(record: dict, where: str) -> str:
    date = str(_field(record, where, "date", str))
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise UserError(f"{where}: field 'date': expected YYYY[-MM[-DD]], found {date!r}")
    return date


def _derived_from(record: dict, where: str) -> str:
    origin = _field(record, where, "provenance", dict)
    assert isinstance(origin, dict)
    parts = [f"{key}={origin[key]}" for key in ("repo", "commit", "path", "line") if origin.get(key) is not None]
    subcorpus = record.get("subcorpus")
    label = f"{subcorpus}; " if isinstance(subcorpus, str) else ""
    return f"{label}{record['doc_id']} ({', '.join(parts)})"


def convert_record(record: dict, source: Source, where: str, raw_file: str, raw_sha256: str) -> Document:
    """The document of one record: text unchanged, metadata, license, provenance; no annotations."""
    if not isinstance(record, dict):
        raise UserError(f"{where}: expected a JSON object (one article record), found {type(record).__name__}")
    missing = [name for name in REQUIRED if name not in record]
    if missing:
        raise UserError(f"{where}: missing field(s) {', '.join(missing)}")
    record_id = str(_field(record, where, "doc_id", str))
    if not re.fullmatch(source.id_pattern, record_id):
        raise UserError(f"{where}: field 'doc_id': {record_id!r} does not fit folder {source.folder} "
                        f"(expected {source.id_pattern})")
    origin = record.get("text_origin")
    if origin != source.text_origin:
        raise UserError(f"{where}: field 'text_origin': expected {source.text_origin!r} for {source.folder}, "
                        f"found {origin!r}")
    text = str(_field(record, where, "text", str))
    processing = str(_field(record, where, "processing", str))
    metadata = {
        "title": str(_field(record, where, "title", str)),
        "outlet": "Wikinews",
        "url": str(_field(record, where, "source_url", str)),
        "published": _published(record, where),
        "language": "en",
        "license": text_license(record, where),
        "text_origin": TEXT_ORIGINS[source.text_origin],
    }
    cleaning = [f"upstream ({source.folder}): {processing}"]
    cleaning += [f"upstream note: {note}" for note in record.get("notes") or [] if isinstance(note, str)]
    cleaning.append("none here: text is the record's `text` field unchanged")
    source_record = {"raw_file": raw_file, "raw_sha256": raw_sha256, "importer": f"{IMPORTER_ID} {__version__}",
                     "cleaning": cleaning, "derived_from": _derived_from(record, where)}
    return new_document(document_id(record_id), text, metadata, source_record)  # type: ignore[arg-type]


__all__ = ["SOURCES", "Source", "convert_record", "document_id", "text_license"]
