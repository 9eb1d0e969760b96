"""`wsw ingest`: raw article file -> canonical document in the corpus, raw file kept beside it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click

from ..core.atomic import write_bytes, write_text
from ..core.document import LAYERS, dumps
from ..core.errors import UsageError, UserError
from ..core.jsonfile import read_json_object
from ..core.resources import default_corpus_dir
from ..ingest import build_document, decode_raw, slugify
from ..validation import ERROR, validate_document

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"


def _read_existing(target: Path) -> dict | None:
    """The document already at `target`, None if there is none; an unreadable one is an error, never overwritten."""
    if not target.exists():
        return None
    return read_json_object(target, "the existing document", "fix or remove it first")


def _annotated(doc: dict) -> bool:
    layers = doc.get("provenance", {}).get("layers", {})
    return any(layers.get(layer, {}).get("status") != "absent" for layer in LAYERS)


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
    import re

    explicit_id = doc_id is not None
    doc_id = doc_id if explicit_id else slugify(raw_file.stem)
    if not doc_id:
        raise UsageError(f"{raw_file.name}: no id can be made from this file name; give one with --id")
    if not re.fullmatch(ID_PATTERN[1:-1], doc_id):
        raise UsageError(f"--id {doc_id!r} is not URL-safe: expected lower-case letters, digits, '.', '_' or '-' (pattern {ID_PATTERN})")
    corpus = corpus_dir or default_corpus_dir()
    target = corpus / "documents" / f"{doc_id}.json"
    existing = _read_existing(target)
    data = raw_file.read_bytes()
    raw_sha256 = hashlib.sha256(data).hexdigest()
    if existing is not None and existing.get("provenance", {}).get("source", {}).get("raw_sha256") not in (None, raw_sha256) and not force:
        how = "" if explicit_id else f" (the id was made from the file name {raw_file.name!r})"
        raise UserError(f"{target}: {doc_id}: provenance.source.raw_sha256: this document was ingested from a different raw "
                        f"file{how}; give another --id, or --force to replace it")
    old_meta = (existing or {}).get("metadata", {})
    old_license = old_meta.get("license", {}) if isinstance(old_meta.get("license"), dict) else {}
    if license_id is None:
        license_id = old_license.get("id", "LicenseRef-unknown")
        if redistributable is None and "redistributable" in old_license:
            redistributable = old_license["redistributable"]
        attribution = attribution or old_license.get("attribution", "")
        license_url = license_url or old_license.get("url")
    if redistributable is None:
        if license_id.startswith("LicenseRef-unknown"):
            redistributable = False
        else:
            raise UsageError(f"--license {license_id}: say whether the text may be redistributed "
                             "(--redistributable or --not-redistributable)")
    try:
        raw, had_bom = decode_raw(data, str(raw_file))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    raw_rel = f"raw/{doc_id}/{raw_file.name}"
    given = {"title": title, "outlet": outlet, "url": url, "published": published, "language": language,
             "authors": list(authors)}
    metadata = {key: value if value not in (None, []) else old_meta.get(key) for key, value in given.items()}
    metadata.update({
        "license": {"id": license_id, "redistributable": redistributable, "attribution": attribution, "url": license_url}})
    try:
        doc = build_document(raw, doc_id=doc_id, metadata=metadata, raw_file=raw_rel,
                             raw_sha256=raw_sha256, fmt=fmt,
                             pre_cleaning=["UTF-8 byte-order mark removed"] if had_bom else [])
    except ValueError as exc:
        raise UserError(f"{raw_file}: {exc}") from None
    if existing is not None:
        if existing.get("text_sha256") == doc["text_sha256"]:
            for key in ("entities", "mentions", "quotes", "claims"):
                doc[key] = existing.get(key, [])
            doc["provenance"]["layers"] = existing.get("provenance", {}).get("layers", doc["provenance"]["layers"])
        elif _annotated(existing) and not force:
            raise UserError(f"{target}: {doc_id}: text: the new text differs from the annotated document's "
                            f"(sha256 {existing.get('text_sha256', '?')[:12]}… -> {doc['text_sha256'][:12]}…); "
                            "its annotations would no longer fit. Use a new --id, or --force to replace it")
    errors = [p for p in validate_document(doc, str(target)) if p.level == ERROR]
    if errors:
        raise UserError("the ingested document does not validate:\n" + "\n".join(p.line() for p in errors))
    if to_stdout:
        click.echo(dumps(doc), nl=False)
        return
    raw_target = corpus / raw_rel
    if not raw_target.exists() or raw_target.read_bytes() != data:
        write_bytes(raw_target, data)
    write_text(target, dumps(doc))
    removed = sum(1 for c in doc["provenance"]["source"]["cleaning"] if "dropped" in c or "cut" in c)
    click.echo(f"{target}: {doc_id}: {len(doc['text'])} code points, {doc['text'].count(chr(10) * 2) + 1} paragraph(s), "
               f"{removed} boilerplate removal(s); raw file kept at {raw_target}", err=True)
