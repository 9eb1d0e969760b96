"""`wsw sheets SHEET... --documents DIR --out DIR`: annotation sheets -> one annotator's canonical documents.

Every sheet is read strictly and checked against its document's text before anything is written;
all problems of all sheets are reported together (file, document id, JSON path, what was expected).
Each output document validates (its warnings are printed), and is written atomically. --out may
not be, hold or lie inside an input (the delivered sheets would be overwritten) or the documents
folder, and one run takes one sheet per document.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..core.atomic import write_text
from ..core.document import dumps
from ..core.errors import UsageError, UserError
from ..core.jsonfile import read_json
from ..core.paths import overlap
from ..sheets import DOC_ID, apply_sheet
from ..validation import ERROR, iter_input_files, validate_document


def _check_out(inputs: tuple[Path, ...], documents: Path, out: Path) -> None:
    if out.resolve() == documents.resolve():
        raise UsageError(f"--out {out} is the documents folder; converted sheets go to a folder of their own")
    for given in inputs:
        how = overlap(out, given)
        if how is not None:
            raise UsageError(f"--out {out} {how} the input {given}: the converted documents would overwrite the "
                             "delivered sheets; give --out a folder of its own")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder for the converted documents")


@click.command(name="sheets")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--documents", type=click.Path(path_type=Path), default=Path("corpus/documents"), show_default=True,
              help="Folder of the canonical documents the sheets annotate (their texts are the reference).")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the converted documents, one <doc_id>.json per sheet (not an input folder).")
@click.option("--workspace", default=None,
              help="Where the annotator worked, recorded in provenance (e.g. an isolated folder).")
def sheets(inputs: tuple[Path, ...], documents: Path, out: Path, workspace: str | None) -> None:
    """Convert annotation sheets (GUIDELINES.md Appendix A) into canonical documents with draft layers.

    Each sheet must name a document of --documents and carry that text's SHA-256; every span must
    equal text[start:end]. The annotator's id, model, the guidelines version and what the annotator
    was shown (the text and the guidelines) are recorded in each layer's provenance. Each converted
    document must pass `wsw validate` (its warnings are printed), and every entity must have a
    mention. Give one sheet per document.

    \b
    Examples:
      wsw sheets annot/wsw-ann-a01/out --out corpus/annotations/pass-a
      wsw sheets sheet.json --documents corpus/documents --out /tmp/ann --workspace "isolated folder"
    """
    _check_out(inputs, documents, out)
    paths, seen_files = [], set()
    for path in iter_input_files(inputs):
        if path.resolve() not in seen_files:  # a sheet given twice (its folder and itself) is one sheet
            seen_files.add(path.resolve())
            paths.append(path)
    if not paths:
        raise UsageError("no *.json sheets found in " + ", ".join(map(str, inputs)))
    converted, failures, warnings = [], [], []
    first_sheet: dict[str, Path] = {}
    for path in paths:
        try:
            sheet = read_json(path, "the annotation sheet")
        except UserError as exc:
            failures.append(exc.message)
            continue
        if not isinstance(sheet, dict):
            failures.append(f"{path}: ?: $: expected a JSON object (one annotation sheet), found {type(sheet).__name__}")
            continue
        doc_id = sheet.get("doc_id")
        if "doc_id" not in sheet and "id" in sheet and "provenance" in sheet:
            failures.append(f"{path}: {sheet['id']}: $.doc_id: a canonical document, not an annotation sheet "
                            "(Appendix A); give only sheets as inputs"[:400])
            continue
        if not isinstance(doc_id, str) or not DOC_ID.fullmatch(doc_id):
            failures.append(f"{path}: ?: $.doc_id: expected the id of a document of {documents} (lower-case letters, "
                            f"digits, '.', '_', '-'), found {doc_id!r}"[:400])
            continue
        if doc_id in first_sheet:
            failures.append(f"{path}: {doc_id}: $.doc_id: a second sheet for document {doc_id} (the first is "
                            f"{first_sheet[doc_id]}); give one sheet per document")
            continue
        first_sheet[doc_id] = path
        target = documents / f"{doc_id}.json"
        if not target.is_file():
            failures.append(f"{path}: {doc_id}: $.doc_id: no document {target}")
            continue
        try:
            doc = read_json(target, "the document")
        except UserError as exc:
            failures.append(f"{path}: {doc_id}: $.doc_id: {exc.message}")
            continue
        doc_errors = [p.line() for p in validate_document(doc, str(target)) if p.level == ERROR]
        if doc_errors:
            failures.append(f"{path}: {doc_id}: $.doc_id: the document {target} does not validate "
                            f"({len(doc_errors)} error(s), listed below); fix it first")
            failures += doc_errors
            continue
        result = apply_sheet(doc, sheet, workspace)
        failures += [f"{path}: {doc_id}: {line}" for line in result.problems]
        warnings += [f"{path}: {doc_id}: {line}" for line in result.warnings]
        if result.document is not None:
            converted.append(result.document)
    for line in warnings:
        click.echo(line, err=True)
    if failures:
        raise UserError(f"{len(failures)} problem(s) in the sheets; nothing was written:\n  " + "\n  ".join(failures))
    for doc in converted:
        write_text(out / f"{doc['id']}.json", dumps(doc))
    click.echo(f"converted {len(converted)} sheet(s) into {out}"
               + (f" ({len(warnings)} warning(s) above)" if warnings else ""), err=True)
