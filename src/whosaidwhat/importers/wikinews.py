"""Wikinews article records (MEANTIME raw text, WikinewsSum wikitext, MEANTIME detokenized) -> documents.

The three folders of `shared/data` hold one JSON record per article with the same core fields
(`doc_id`, `title`, `date`, `source_url`, `license`, `attribution`, `text`, `text_origin`,
`provenance`, `processing`). `convert_record` is a pure function: it checks the record, keeps
the text exactly as given (no normalisation; offsets of later layers index it), and returns a
document with all layers `absent`, its license, its attribution, how the text was obtained, and
where the record came from. Every problem of a record is reported (`ProblemError`), each with the
record's file, its id and the field, and a rule id of the `import` rules.

Licenses: Wikinews content created on or before 2005-09-25 is in the public domain, later content
is CC BY 2.5; a record saying "Public domain" must therefore be dated on or before that day (a
partial date such as 2005-09 must lie wholly before it). The sentence must be exactly "CC BY 2.5"
or "Public domain", alone or followed by " (…)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from .. import __version__
from ..core.document import Document, Metadata, new_document
from .problems import Problem, ProblemError, problem, short

IMPORTER_ID = "whosaidwhat-wikinews-importer"

#: the record's `text_origin` -> the document's `metadata.text_origin`
TEXT_ORIGINS = {"raw": "original", "rendered-wikitext": "rendered-wikitext", "detokenized": "detokenized"}

CC_BY_25 = "https://creativecommons.org/licenses/by/2.5/"
#: Wikinews: content created on or before 2005-09-25 is public domain, later content CC BY 2.5
PD_LICENSE_ID = "LicenseRef-Wikinews-public-domain"
PD_LICENSE_URL = "https://en.wikinews.org/wiki/Wikinews:Copyright"

REQUIRED = ("doc_id", "title", "date", "source_url", "license", "attribution", "text", "text_origin", "provenance",
            "processing")

#: the license sentences of the records: the name, then the end or " (" and a link or explanation
CC_BY_SENTENCE = re.compile(r"CC BY 2\.5(?: \(.*)?", re.DOTALL)
PD_SENTENCE = re.compile(r"Public domain(?: \(.*)?", re.DOTALL)
#: the last day of Wikinews' public-domain period
PD_LAST_DAY = "2005-09-25"

_SURROGATE = re.compile("[\ud800-\udfff]")


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


class _Record:
    """One record being checked: its file, its id (once known) and every problem found so far."""

    def __init__(self, record: dict, where: str):
        self.record = record
        self.where = where
        record_id = record.get("doc_id")
        self.record_id = record_id if isinstance(record_id, str) and not _SURROGATE.search(record_id) else None
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, found: str | None = None, expected: str | None = None,
            rule: str = "IMPORT-RECORD-FIELD") -> None:
        self.problems.append(problem(rule, self.where, message, self.record_id, path, found, expected))

    def field(self, name: str, kind: type) -> object:
        """The value of a required field of type `kind` (a string must not be blank), or None after a problem."""
        value = self.record.get(name)
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            found = "nothing (the field is missing)" if name not in self.record else short(value)
            self.add(name, f"field {name!r}: expected a non-empty {kind.__name__}", found)
            return None
        return value


def _surrogates(record: _Record, value: object, path: str) -> None:
    """Report every string (or key) holding a lone UTF-16 surrogate: it is not Unicode text and cannot be written."""
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        if match is not None:
            record.add(path or "$", f"field {path.split('.')[0].split('[')[0]!r}: holds a lone surrogate at offset "
                       f"{match.start()} (U+{ord(match.group()):04X}), which is not Unicode text",
                       expected="text without \\ud800-\\udfff escapes")
    elif isinstance(value, dict):
        for key, item in value.items():
            _surrogates(record, key, f"{path}.<key>" if path else "<key>")
            _surrogates(record, item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _surrogates(record, item, f"{path}[{i}]")


def _last_day(date: str) -> str:
    """The latest day a YYYY[-MM[-DD]] date can mean (string order is date order)."""
    return date + ("-12-31" if len(date) == 4 else "-31" if len(date) == 7 else "")


def _license(record: _Record, published: str | None) -> dict | None:
    sentence, attribution = record.field("license", str), record.field("attribution", str)
    if not isinstance(sentence, str) or not isinstance(attribution, str):
        return None
    if CC_BY_SENTENCE.fullmatch(sentence):
        return {"id": "CC-BY-2.5", "redistributable": True, "attribution": attribution, "url": CC_BY_25}
    if PD_SENTENCE.fullmatch(sentence):
        if published is not None and _last_day(published) > PD_LAST_DAY:
            record.add("license", f"field 'license': Wikinews texts are public domain only when created on or before "
                       f"{PD_LAST_DAY} (later ones are CC BY 2.5), and this one is dated {published}",
                       short(sentence), f"'CC BY 2.5 …', or a date on or before {PD_LAST_DAY}", "IMPORT-RECORD-LICENSE")
            return None
        return {"id": PD_LICENSE_ID, "redistributable": True,
                "attribution": attribution + " Later edits of the page, if any, are CC BY 2.5.", "url": PD_LICENSE_URL}
    record.add("license", "field 'license': unknown license", short(sentence),
               "'CC BY 2.5' or 'Public domain', alone or followed by ' (…)'", "IMPORT-RECORD-LICENSE")
    return None


def text_license(record: dict, where: str) -> dict:
    """The SPDX-style license record of the article text, from the record's license sentence and date."""
    checked = _Record(record, where)
    date = record.get("date")
    result = _license(checked, date if isinstance(date, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date) else None)
    if result is None:
        raise ProblemError(checked.problems)
    return result


def _published(record: _Record) -> str | None:
    date = record.field("date", str)
    if isinstance(date, str) and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        record.add("date", "field 'date': expected YYYY[-MM[-DD]]", short(date))
        return None
    return date if isinstance(date, str) else None


def _notes(record: _Record) -> list[str]:
    notes = record.record.get("notes")
    if notes is None:
        return []
    if not isinstance(notes, list):
        record.add("notes", "field 'notes': expected a list of strings, one note each", short(notes))
        return []
    bad = [i for i, note in enumerate(notes) if not isinstance(note, str)]
    for i in bad:
        record.add(f"notes[{i}]", "field 'notes': expected a string (one note)", short(notes[i]))
    return [] if bad else notes


def _derived_from(record: dict, origin: dict) -> str:
    parts = [f"{key}={origin[key]}" for key in ("repo", "commit", "path", "line") if origin.get(key) is not None]
    subcorpus = record.get("subcorpus")
    label = f"{subcorpus}; " if isinstance(subcorpus, str) else ""
    return f"{label}{record['doc_id']} ({', '.join(parts)})"


def _check_identity(checked: _Record, source: Source) -> None:
    """Every field of the format is there; the id and the text origin are those of the record folder."""
    record = checked.record
    for name in REQUIRED:
        if name not in record:
            checked.add(name, f"field {name!r}: missing", expected="every field of the record format")
    record_id = checked.field("doc_id", str) if "doc_id" in record else None
    if isinstance(record_id, str) and not re.fullmatch(source.id_pattern, record_id):
        checked.add("doc_id", f"field 'doc_id': not an id of folder {source.folder}", short(record_id),
                    source.id_pattern)
    origin = record.get("text_origin")
    if "text_origin" in record and origin != source.text_origin:
        checked.add("text_origin", f"field 'text_origin': not the text origin of folder {source.folder}",
                    short(origin), repr(source.text_origin))


def _fields(checked: _Record) -> dict:
    """The fields the document is made of, each checked (None after a problem)."""
    record = checked.record

    def given(name: str, kind: type) -> object:
        return checked.field(name, kind) if name in record else None

    fields = {"text": given("text", str), "processing": given("processing", str), "title": given("title", str),
              "url": given("source_url", str)}
    published = _published(checked) if "date" in record else None
    fields["published"] = published
    fields["license"] = _license(checked, published) if "license" in record and "attribution" in record else None
    fields["provenance"] = given("provenance", dict)
    fields["notes"] = _notes(checked)
    return fields


def convert_record(record: object, source: Source, where: str, raw_file: str, raw_sha256: str) -> Document:
    """The document of one record: text unchanged, metadata, license, provenance; no annotations.

    Raises `ProblemError` listing every problem of the record, each with its field.
    """
    if not isinstance(record, dict):
        raise ProblemError([problem("IMPORT-RECORD-FIELD", where, "expected a JSON object (one article record)",
                                    found=type(record).__name__)])
    checked = _Record(record, where)
    _surrogates(checked, record, "")
    if checked.problems:  # nothing else can be written or even quoted safely
        raise ProblemError(checked.problems)
    _check_identity(checked, source)
    fields = _fields(checked)
    if checked.problems:
        raise ProblemError(checked.problems)
    metadata = cast(Metadata, {  # (text_origin is in the schema, not yet in the Metadata type)
        "title": fields["title"],
        "outlet": "Wikinews",
        "url": fields["url"],
        "published": fields["published"],
        "language": "en",
        "license": fields["license"],
        "text_origin": TEXT_ORIGINS[source.text_origin],
    })
    cleaning = [f"upstream ({source.folder}): {fields['processing']}"]
    cleaning += [f"upstream note: {note}" for note in fields["notes"]]
    cleaning.append("none here: text is the record's `text` field unchanged")
    source_record = {"raw_file": raw_file, "raw_sha256": raw_sha256, "importer": f"{IMPORTER_ID} {__version__}",
                     "cleaning": cleaning, "derived_from": _derived_from(record, fields["provenance"])}
    return new_document(document_id(record["doc_id"]), fields["text"], metadata, source_record)


__all__ = ["SOURCES", "Source", "convert_record", "document_id", "text_license"]
