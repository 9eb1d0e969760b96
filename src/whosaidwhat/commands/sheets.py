"""`wsw sheets SHEET... --documents DIR --out DIR`: annotation sheets -> one annotator's canonical documents.

Every sheet is read strictly and checked against its document's text before anything is written;
all problems of all sheets are reported together (file, document id, JSON path, what was expected).
Each output document validates, and is written atomically.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..atomic import write_text
from ..document import dumps
from ..errors import UsageError, UserError
from ..jsonfile import read_json
from ..sheets import apply_sheet
from ..validation import ERROR, iter_input_files, validate_document


@click.command(name="sheets")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--documents", type=click.Path(path_type=Path), default=Path("corpus/documents"), show_default=True,
              help="Folder of the canonical documents the sheets annotate (their texts are the reference).")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the converted documents, one <doc_id>.json per sheet.")
@click.option("--workspace", default=None,
              help="Where the annotator worked, recorded in provenance (e.g. an isolated folder).")
def sheets(inputs: tuple[Path, ...], documents: Path, out: Path, workspace: str | None) -> None:
    """Convert annotation sheets (GUIDELINES.md Appendix A) into canonical documents with draft layers.

    Each sheet must name a document of --documents and carry that text's SHA-256; every span must
    equal text[start:end]. The annotator's id, model, the guidelines version and what the annotator
    was shown (the text and the guidelines) are recorded in each layer's provenance.

    \b
    Examples:
      wsw sheets annot/wsw-ann-a01/out --out corpus/annotations/pass-a
      wsw sheets sheet.json --documents corpus/documents --out /tmp/ann --workspace "isolated folder"
    """
    if out.resolve() == documents.resolve():
        raise UsageError(f"--out {out} is the documents folder; converted sheets go to a folder of their own")
    converted, failures = [], []
    paths = list(iter_input_files(inputs))
    if not paths:
        raise UsageError("no *.json sheets found in " + ", ".join(map(str, inputs)))
    for path in paths:
        sheet = read_json(path, "the annotation sheet")
        doc_id = sheet.get("doc_id") if isinstance(sheet, dict) else None
        target = documents / f"{doc_id}.json"
        if not isinstance(doc_id, str) or not target.is_file():
            failures.append(f"{path}: {doc_id}: $.doc_id: no document {target}")
            continue
        result = apply_sheet(read_json(target, "the document"), sheet, workspace)
        failures += [f"{path}: {doc_id}: {line}" for line in result.problems]
        if result.document is not None:
            errors = [p.line() for p in validate_document(result.document, str(path)) if p.level == ERROR]
            failures += errors
            if not errors:
                converted.append(result.document)
    if failures:
        raise UserError(f"{len(failures)} problem(s) in the sheets; nothing was written:\n  " + "\n  ".join(failures))
    for doc in converted:
        write_text(out / f"{doc['id']}.json", dumps(doc))
    click.echo(f"converted {len(converted)} sheet(s) into {out}", err=True)
