"""`wsw sheets SHEET... --documents DIR --out DIR`: annotation sheets -> one annotator's canonical documents.

Every sheet is read strictly and checked against its document's text before anything is written;
all problems of all sheets are reported together (file, document id, JSON path, what was expected).
Each output document validates (its warnings are printed), and is written atomically. --out may
not be, hold or lie inside an input (the delivered sheets would be overwritten) or the documents
folder, and one run takes one sheet per document.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..adjudication.report import as_problem, case_problems, refusal
from ..core.atomic import write_text
from ..core.document import dumps
from ..core.jsonfile import parse_json, read_json, regular_file_problem
from ..core.paths import overlap
from ..core.problems import ERROR, Problem, ProblemError, fail
from ..sheets import DOC_ID, annotator_id, apply_sheet
from ..validation import iter_input_files, validate_document

_DOC_ID_KEY = re.compile(rb'"doc_id"\s*:\s*"([a-z0-9][a-z0-9._-]{0,127})"')


def _check_out(inputs: tuple[Path, ...], documents: Path, out: Path) -> None:
    if overlap(out, documents) == "is":
        fail("OUT-OVERLAPS-INPUT", f"--out is the documents folder {documents}; converted sheets go to a folder of "
             "their own", file=str(out), found=f"--out {out}", expected="a folder of its own")
    for given, what in ((i, "the input") for i in inputs):
        how = overlap(out, given)
        if how is not None:
            fail("OUT-OVERLAPS-INPUT", f"--out {how} {what} {given}: the converted documents would overwrite it; "
                 "give --out a folder of its own", file=str(out), found=f"--out {out}", expected="a folder of its own")
    if out.exists() and not out.is_dir():
        fail("PATH-MISSING", "--out is a file; give a folder for the converted documents", file=str(out),
             expected="a folder")


def _sheet_paths(inputs: tuple[Path, ...]) -> list[Path]:
    """Every *.json of the inputs once (a sheet given twice, by its folder and itself, is one sheet)."""
    paths, seen = [], set()
    for path in iter_input_files(inputs):
        if path.resolve() not in seen:
            seen.add(path.resolve())
            paths.append(path)
    if not paths:
        fail("SHEET-NONE", "no *.json sheets found in " + ", ".join(map(str, inputs)), expected="annotation sheets")
    return paths


def _read_sheet(path: Path) -> tuple[object, Problem | None]:
    """The sheet's content (strict JSON), or the problem; the problem names the sheet's doc_id when it can be seen."""
    problem = regular_file_problem(path)
    if problem is not None:
        return None, problem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem("FILE-READ", f"cannot read ({exc.strerror or exc})", file=str(path))
    match = _DOC_ID_KEY.search(data[:4096])
    value, problem = parse_json(data, file=str(path), doc_id=match.group(1).decode("ascii") if match else "?")
    if problem is None and not isinstance(value, dict):
        problem = Problem("JSON-NOT-OBJECT", "expected a JSON object (one annotation sheet)", file=str(path), doc_id="?",
                          path="$", found=type(value).__name__, expected="object")
    return value, problem


class _Run:
    """One conversion run: the sheets read so far, and every problem and warning of every sheet."""

    def __init__(self, documents: Path, workspace: str | None):
        self.documents, self.workspace = documents, workspace
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.converted: list[dict] = []
        self.first_sheet: dict[str, Path] = {}
        self.annotators: list[tuple[str, Path]] = []

    def refuse(self, rule: str, path: Path, doc_id: str, message: str, found: str | None = None,
               expected: str | None = None) -> None:
        self.problems.append(Problem(rule, message, file=str(path), doc_id=doc_id, path="$.doc_id", found=found,
                                     expected=expected))

    def doc_id(self, path: Path, sheet: dict) -> str | None:
        doc_id = sheet.get("doc_id")
        if "doc_id" not in sheet and "id" in sheet and "provenance" in sheet:
            self.refuse("SHEET-IS-DOCUMENT", path, str(sheet["id"]), "a canonical document, not an annotation sheet "
                        "(Appendix A); give only sheets as inputs")
            return None
        if not isinstance(doc_id, str) or not DOC_ID.fullmatch(doc_id):
            self.refuse("SHEET-DOC-ID", path, "?", f"expected the id of a document of {self.documents}", found=repr(doc_id),
                        expected="lower-case letters, digits, '.', '_', '-'")
            return None
        if doc_id in self.first_sheet:
            self.refuse("SHEET-DUPLICATE", path, doc_id, f"a second sheet for document {doc_id} (the first is "
                        f"{self.first_sheet[doc_id]}); give one sheet per document")
            return None
        self.first_sheet[doc_id] = path
        return doc_id

    def document(self, path: Path, doc_id: str) -> dict | None:
        """The document the sheet annotates, when it exists, reads and validates."""
        target = self.documents / f"{doc_id}.json"
        if not target.is_file():
            self.refuse("SHEET-DOC-MISSING", path, doc_id, f"no document {target}", expected=str(target))
            return None
        try:
            doc = read_json(target, "the document")
        except ProblemError as exc:
            self.problems += [Problem(p.rule, f"{target}: {p.message}", file=str(path), doc_id=doc_id, path="$.doc_id",
                                      found=p.found, expected=p.expected) for p in exc.problems]
            return None
        errors = [as_problem(p) for p in validate_document(doc, str(target)) if p.level == ERROR]
        if errors:
            self.refuse("SHEET-DOC-INVALID", path, doc_id, f"the document {target} does not validate "
                        f"({len(errors)} error(s), listed below); fix it first")
            self.problems += errors
            return None
        return doc

    def convert(self, path: Path) -> None:
        sheet, problem = _read_sheet(path)
        if problem is not None:
            self.problems.append(problem)
            return
        assert isinstance(sheet, dict)
        doc_id = self.doc_id(path, sheet)
        doc = None if doc_id is None else self.document(path, doc_id)
        if doc is None:
            return
        who = annotator_id(sheet)
        if who is not None:
            self.annotators.append((who, path))
        result = apply_sheet(doc, sheet, self.workspace, file=str(path))
        self.problems += result.problems
        self.warnings += result.warnings
        if result.document is not None:
            self.converted.append(result.document)

    def annotator_case(self) -> None:
        """Annotator ids of one run that differ only by case would name one annotator's folder twice."""
        files = {who: path for who, path in reversed(self.annotators)}
        for problem in case_problems([who for who, _ in self.annotators], "sheets of one run"):
            other = problem.found.split(" / ")[1] if problem.found else ""
            self.problems.append(Problem(problem.rule, problem.message, file=str(files.get(other, "")) or None,
                                         path="$.annotator.id", found=problem.found, expected=problem.expected))


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
    run = _Run(documents, workspace)
    for path in _sheet_paths(inputs):
        run.convert(path)
    run.annotator_case()
    for warning in run.warnings:
        click.echo(warning.line(), err=True)
    if run.problems:
        raise refusal(f"{len(run.problems)} problem(s) in the sheets; nothing was written", run.problems)
    for doc in run.converted:
        write_text(out / f"{doc['id']}.json", dumps(doc))
    click.echo(f"converted {len(run.converted)} sheet(s) into {out}"
               + (f" ({len(run.warnings)} warning(s) above)" if run.warnings else ""), err=True)
