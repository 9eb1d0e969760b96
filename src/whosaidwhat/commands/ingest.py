"""`wsw ingest`: raw article file -> canonical document in the corpus, raw file kept beside it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import cast

import click

from ..adjudication.report import as_problem, refusal
from ..core.atomic import write_bytes, write_text
from ..core.document import LAYERS, Document, Metadata, dumps
from ..core.jsonfile import read_bytes, read_json_object
from ..core.paths import overlap
from ..core.problems import ERROR, fail
from ..core.resources import default_corpus_dir
from ..ingest import IngestError, build_document, decode_raw, slugify
from ..validation import validate_document

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"


def _read_existing(target: Path) -> dict | None:
    """The document already at `target`, None if there is none; an unreadable one is an error, never overwritten."""
    if not target.exists():
        return None
    return read_json_object(target, "the existing document", "fix or remove it first")


def _annotated(doc: dict) -> bool:
    layers = doc.get("provenance", {}).get("layers", {})
    return any(layers.get(layer, {}).get("status") != "absent" for layer in LAYERS)


def _document_id(raw_file: Path, doc_id: str | None) -> str:
    """The id given with --id, else one made from the file name; refused when not URL-safe."""
    made = doc_id if doc_id is not None else slugify(raw_file.stem)
    if not made:
        fail("INGEST-NO-ID", "no id can be made from this file name; give one with --id", file=raw_file.name,
             expected="--id ID")
    if not re.fullmatch(ID_PATTERN[1:-1], made):
        fail("INGEST-ID-INVALID", "--id is not URL-safe", found=repr(made),
             expected=f"lower-case letters, digits, '.', '_' or '-' (pattern {ID_PATTERN})")
    return made


def _check_same_raw(existing: dict | None, raw_sha256: str, target: Path, doc_id: str, raw_file: Path,
                    explicit_id: bool) -> None:
    """An existing document ingested from another raw file is not replaced without --force."""
    recorded = (existing or {}).get("provenance", {}).get("source", {}).get("raw_sha256")
    if existing is None or recorded in (None, raw_sha256):
        return
    how = "" if explicit_id else f" (the id was made from the file name {raw_file.name!r})"
    fail("INGEST-RAW-CHANGED", f"this document was ingested from a different raw file{how}; give another --id, "
         "or --force to replace it", file=str(target), doc_id=doc_id, path="$.provenance.source.raw_sha256",
         found=raw_sha256, expected=recorded)


def _license(existing: dict | None, license_id: str | None, redistributable: bool | None, attribution: str,
             license_url: str | None) -> dict:
    """The license record: as given, else kept from an earlier ingest, else unknown (not redistributable)."""
    old_meta = (existing or {}).get("metadata", {})
    old = old_meta.get("license", {}) if isinstance(old_meta.get("license"), dict) else {}
    if license_id is None:
        license_id = old.get("id", "LicenseRef-unknown")
        if redistributable is None and "redistributable" in old:
            redistributable = old["redistributable"]
        attribution = attribution or old.get("attribution", "")
        license_url = license_url or old.get("url")
    if redistributable is None:
        if not str(license_id).startswith("LicenseRef-unknown"):
            fail("INGEST-LICENSE-UNDECIDED", f"--license {license_id}: say whether the text may be redistributed",
                 expected="--redistributable or --not-redistributable")
        redistributable = False
    return {"id": license_id, "redistributable": redistributable, "attribution": attribution, "url": license_url}


def _keep_annotations(doc: Document, existing: dict | None, force: bool, target: Path) -> None:
    """Same text: the existing annotations and their provenance carry over; a changed text over annotations is refused."""
    if existing is None:
        return
    if existing.get("text_sha256") == doc["text_sha256"]:
        for key in ("entities", "mentions", "quotes", "claims"):
            doc[key] = existing.get(key, [])
        doc["provenance"]["layers"] = existing.get("provenance", {}).get("layers", doc["provenance"]["layers"])
    elif _annotated(existing) and not force:
        fail("INGEST-TEXT-CHANGED", "the new text differs from the annotated document's; its annotations would no "
             "longer fit. Use a new --id, or --force to replace it", file=str(target), doc_id=doc["id"], path="$.text",
             found=f"sha256 {doc['text_sha256'][:12]}…", expected=f"sha256 {str(existing.get('text_sha256', '?'))[:12]}…")


def _validated(doc: Document, target: Path) -> None:
    errors = [p for p in validate_document(doc, str(target)) if p.level == ERROR]
    if errors:
        raise refusal("the ingested document does not validate", [as_problem(p) for p in errors])


def _write(corpus: Path, raw_rel: str, data: bytes, target: Path, doc: Document) -> None:
    raw_target = corpus / raw_rel
    if not raw_target.exists() or raw_target.read_bytes() != data:
        write_bytes(raw_target, data)
    write_text(target, dumps(doc))
    removed = sum(1 for c in doc["provenance"]["source"]["cleaning"] if "dropped" in c or "cut" in c)
    text = doc["text"] or ""
    click.echo(f"{target}: {doc['id']}: {len(text)} code points, {text.count(chr(10) * 2) + 1} "
               f"paragraph(s), {removed} boilerplate removal(s); raw file kept at {raw_target}", err=True)


@click.command(name="ingest")
@click.argument("raw_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", help="Document id (URL-safe). Default: derived from the file name.")
@click.option("--title", help="Headline. Default: the first paragraph of the body (or <h1> for HTML).")
@click.option("--outlet", help="Publishing outlet.")
@click.option("--url", help="Canonical URL of the article.")
@click.option("--published", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--language", default=None, help="BCP 47 language tag.  [default: page lang or en]")
@click.option("--author", "authors", multiple=True, help="Bylined author (repeatable).")
@click.option("--license", "license_id", default=None,
              help="SPDX id of the text's license.  [default: kept from an earlier ingest, else LicenseRef-unknown]")
@click.option("--redistributable/--not-redistributable", default=None,
              help="May the text be published? Default: no for an unknown license, else must be given.")
@click.option("--attribution", default="", help="Attribution line to print when redistributing.")
@click.option("--license-url", default=None, help="Where the license text is.")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "html"]), default="auto", show_default=True)
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Corpus folder: the document goes to CORPUS/documents/<id>.json, the raw file to CORPUS/raw/<id>/.  "
                   "[default: the bundled corpus/]")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the document instead of writing it (nothing is written).")
@click.option("--force", is_flag=True, help="Replace an existing document whose text differs even if it has annotations.")
def ingest(raw_file: Path, doc_id, title, outlet, url, published, language, authors, license_id, redistributable,
           attribution, license_url, fmt, corpus_dir, to_stdout, force) -> None:
    """Turn a raw plain-text or HTML article into a canonical document.

    Page boilerplate (publication lines, reader controls, newsletter promotions, "Read more"
    link lists, trending boxes) is removed by named rules and every removal is logged in
    provenance.source.cleaning. The raw file is copied unchanged to CORPUS/raw/<id>/.
    Re-ingesting the same file gives the same bytes; existing annotations are kept when the
    text is unchanged, and a changed text over existing annotations is refused without --force.

    \b
    Examples:
      wsw ingest page.txt --id seed-kremlin-rejects-armenian-pm
      wsw ingest story.html --outlet "Example News" --license CC-BY-4.0 --redistributable \\
          --attribution "Example News, CC BY 4.0"
    """
    explicit_id = doc_id is not None
    doc_id = _document_id(raw_file, doc_id)
    corpus = corpus_dir or default_corpus_dir()
    target = corpus / "documents" / f"{doc_id}.json"
    if not to_stdout and overlap(target, raw_file) is not None:
        fail("OUT-OVERLAPS-INPUT", "the document would be written over the raw file it is made from; ingest a copy "
             "kept outside CORPUS/documents", file=str(raw_file), found=str(target), expected="a raw file elsewhere")
    existing = _read_existing(target)
    data = read_bytes(raw_file)
    raw_sha256 = hashlib.sha256(data).hexdigest()
    _check_same_raw(existing, raw_sha256, target, doc_id, raw_file, explicit_id)
    license_record = _license(existing, license_id, redistributable, attribution, license_url)
    old_meta = (existing or {}).get("metadata", {})
    raw_rel = f"raw/{doc_id}/{raw_file.name}"
    given = {"title": title, "outlet": outlet, "url": url, "published": published, "language": language,
             "authors": list(authors)}
    merged = {key: value if value not in (None, []) else old_meta.get(key) for key, value in given.items()}
    metadata = cast(Metadata, {**merged, "license": license_record})
    try:
        raw, had_bom = decode_raw(data, str(raw_file))
        doc = build_document(raw, doc_id=doc_id, metadata=metadata, raw_file=raw_rel, raw_sha256=raw_sha256, fmt=fmt,
                             pre_cleaning=["UTF-8 byte-order mark removed"] if had_bom else [])
    except IngestError as exc:
        problem = exc.problem
        fail(problem.rule, problem.message, file=str(raw_file), doc_id=doc_id, found=problem.found,
             expected=problem.expected)
    _keep_annotations(doc, existing, force, target)
    _validated(doc, target)
    if to_stdout:
        click.echo(dumps(doc), nl=False)
        return
    _write(corpus, raw_rel, data, target, doc)
