"""`wsw import gum|wikinews DIR`: copy a record folder into corpus/raw, convert, validate, write documents.

The conversions are pure functions (`whosaidwhat.importers.gum.convert_record`,
`whosaidwhat.importers.wikinews.convert_record`); this module does the file work around them, the
same way for both importers:

* every record is read (by the strict JSON reader), converted and validated before anything is
  written, and every problem of every record is reported at once, each a `Problem` of a registered
  rule (`importers.problems`); one error and nothing is written;
* the raw records and their license notice are copied byte for byte to the raw folder, by default
  `corpus/raw/<name of the input folder>`, so two sources never share a raw folder by accident;
* an import never overwrites a file it did not create for the same source: a document made by
  another program or from another raw copy, a raw record of another document, or the license
  notice (README, LICENSE, ...) of a raw folder that holds another source's records is refused,
  naming both the file there and the input that would replace it; a reviewed document (a gold or
  draft layer) is kept unless --force;
* `--check` writes nothing and says what it compared (raw copies and not-yet-reviewed documents
  byte for byte; reviewed documents outside their annotation layers), what it did not compare and
  why, and exits 1 when a file would change or a document could not be compared.

Writes are atomic, and re-running on the same input gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import click

from ..core.atomic import write_bytes
from ..core.document import dumps
from ..core.jsonfile import parse_json, read_json, regular_file_problem
from ..core.paths import overlap
from ..core.problems import Problem, ProblemError, fail
from ..core.resources import default_corpus_dir, repo_root
from ..importers.gum import IMPORTER_ID as GUM_IMPORTER_ID
from ..importers.gum import convert_record, document_id, summary_table
from ..importers.gum_overrides import load_data
from ..importers.problems import problem, refuse
from ..importers.wikinews import Source
from ..validation import ERROR as VALIDATION_ERROR
from ..validation import validate_document

#: files that carry a folder's license notice: copied with the records, never overwritten for another source
NOTICE = re.compile(r"^(readme|licen[cs]e|notice|copying)([._-].*)?$", re.IGNORECASE)
#: the annotation layers of a document: what a review changes on purpose
LAYER_KEYS = ("entities", "mentions", "quotes", "claims")


def _default_data_dir() -> Path:
    root = repo_root()
    return (root / "annotation" / "gum") if root is not None else Path("annotation") / "gum"


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def default_raw_dir(source: Path, corpus: Path) -> Path:
    """corpus/raw/<name of the input folder>: each source gets a raw folder of its own."""
    name = source.resolve().name
    if not name or name in (".", ".."):
        fail("OPTION-INVALID", "cannot derive a raw folder name from this path; pass --raw-dir", file=str(source))
    return corpus / "raw" / name


# -- the plan: every file the import would write ------------------------------------------------------
@dataclass
class Target:
    """One file the import would write: its bytes, what it is and the input it comes from."""

    path: Path
    blob: bytes
    kind: str  # "record" | "notice" | "document"
    origin: str  # the input file (record or notice) it is made from
    record_id: str | None = None  # records: the record's own id, to recognise the same record in the raw folder
    doc: dict | None = None  # documents: the converted document
    existing: dict | None = None  # documents: the reviewed document already there (kept)


@dataclass
class Plan:
    """What one import would write, and the warnings and notes of the conversion."""

    source: Path
    out: Path
    raw_dir: Path
    importer_id: str
    targets: list[Target] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def documents(self) -> list[Target]:
        return [t for t in self.targets if t.kind == "document"]


def _notice_files(source: Path) -> list[Path]:
    return sorted(p for p in source.iterdir() if p.is_file() and NOTICE.match(p.name))


def _records(source: Path, pattern: str, what: str) -> list[Path]:
    """The record files of `source` (not-regular ones included: reading them reports FILE-NOT-REGULAR)."""
    if not source.is_dir():
        fail("PATH-MISSING", f"not a folder (expected {what})", file=str(source), expected=what)
    records = sorted(p for p in source.glob(pattern) if not p.is_dir())
    if not records:
        fail("IMPORT-NO-RECORDS", f"no {pattern} records found", file=str(source), expected=what)
    return records


def _read_record(path: Path) -> tuple[bytes, object, Problem | None]:
    """(bytes, parsed value, None), or the strict JSON reader's problem (FIFO, binary, duplicate key, ...)."""
    problem_ = regular_file_problem(path)
    if problem_ is not None:
        return b"", None, problem_
    raw_bytes = path.read_bytes()
    value, problem_ = parse_json(raw_bytes, file=str(path))
    if problem_ is not None and problem_.doc_id is not None:
        problem_ = replace(problem_, doc_id=None)  # (the reader's guess is a nested "id", e.g. a mention's)
    return raw_bytes, value, problem_


def _located(problems: list[Problem], path: Path) -> list[Problem]:
    """The problems of converting the record at `path`; those that name no file name it."""
    return [p if p.file is not None else replace(p, file=str(path)) for p in problems]


def _check_paths(plan: Plan) -> list[Problem]:
    if overlap(plan.out, plan.raw_dir) is not None:
        return [problem("IMPORT-PATHS", str(plan.raw_dir), f"the raw folder and the document folder {plan.out} "
                        "must be separate folders, neither inside the other (raw records would be read as "
                        "documents); pass --out and --raw-dir")]
    return []


def _existing_record_id(path: Path) -> str | None:
    value, why = parse_json(path.read_bytes())
    return value.get("doc_id") if why is None and isinstance(value, dict) and isinstance(value.get("doc_id"), str) else None


@dataclass
class _Ownership:
    """What the ownership check found: files not this source's to overwrite, reviews kept, base warnings."""

    foreign: list[Problem] = field(default_factory=list)
    kept: list[Target] = field(default_factory=list)
    base: list[Problem] = field(default_factory=list)
    foreign_records: list[str] | None = None  # of the raw folder (computed once, for its notice)


def _record_owner(target: Target) -> Problem | None:
    """A problem when the raw folder holds another record under this record's name."""
    if target.path.read_bytes() != target.blob and _existing_record_id(target.path) != target.record_id:
        return problem("IMPORT-TARGET-FOREIGN", str(target.path), f"holds another record than {target.origin} "
                       f"(record id {_existing_record_id(target.path)!r}, expected {target.record_id!r}); not overwritten")
    return None


def _foreign_records(plan: Plan, folder: Path) -> list[str]:
    """Records in the raw folder that this import does not write (the folder is another source's)."""
    record_names = {t.path.name for t in plan.targets if t.kind == "record"}
    foreign = sorted(p.name for p in folder.glob("*.json") if p.name not in record_names)
    here = [p for p in folder.glob("*.json") if p.name in record_names]
    if not here and not foreign:
        foreign = ["(no records: the notice was not made by an import of this source)"]
    return foreign


def _notice_owner(plan: Plan, target: Target, found: _Ownership) -> Problem | None:
    """A problem when the notice there differs and belongs to another source."""
    if target.path.read_bytes() == target.blob:
        return None
    if found.foreign_records is None:
        found.foreign_records = _foreign_records(plan, target.path.parent)
    foreign = found.foreign_records
    if not foreign:
        return None
    shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    return problem(
        "IMPORT-TARGET-FOREIGN", str(target.path), f"the license notice of another source (its folder "
        f"holds records this import does not write: {shown}); not overwritten by {target.origin}: give "
        "the records a raw folder of their own with --raw-dir (the default, corpus/raw/<input folder "
        "name>, is taken when two inputs have the same folder name)")


def _document_target(plan: Plan, target: Target, force: bool, found: _Ownership) -> Problem | None:
    """The ownership problem of an existing document; a reviewed one is kept (with a warning when its base differs)."""
    problem_, reviewed = _document_owner(plan, target, force)
    if problem_ is not None or not reviewed:
        return problem_
    found.kept.append(target)
    differs = _base_difference(target)
    if differs:
        found.base.append(problem(
            "IMPORT-REVIEWED-BASE", str(target.path), f"the reviewed document differs from the import "
            f"outside its annotation layers ({', '.join(differs)}): the review was made on another text or "
            f"record than {target.origin} gives; kept unchanged (re-review it, or --force)",
            target.doc["id"] if target.doc else None))
    return None


def _target_owner(plan: Plan, target: Target, force: bool, found: _Ownership) -> Problem | None:
    if not target.path.is_file():
        return problem("IMPORT-TARGET-FOREIGN", str(target.path), "not a regular file; the import "
                       f"would replace it with {target.origin}")
    if target.kind == "record":
        return _record_owner(target)
    if target.kind == "notice":
        return _notice_owner(plan, target, found)
    return _document_target(plan, target, force, found)


def _keep_reviewed_bases(plan: Plan, found: _Ownership) -> None:
    """The raw record a kept review was made on is its base: it is kept too, not replaced by another version."""
    reviewed_origins = {t.origin: t for t in found.kept}
    for target in plan.targets:
        if (target.kind == "record" and target.origin in reviewed_origins and target.path.is_file()
                and target.path.read_bytes() != target.blob):
            found.kept.append(target)
            doc = reviewed_origins[target.origin].doc
            found.base.append(problem(
                "IMPORT-REVIEWED-BASE", str(target.path), f"the raw record of a reviewed document differs from "
                f"{target.origin}; kept unchanged, as the base of the review (re-review the document, or --force)",
                doc["id"] if doc else None))


def _ownership(plan: Plan, force: bool) -> tuple[list[Problem], list[Target], list[Problem]]:
    """(problems: targets that are not this source's to overwrite, reviewed documents to keep, base warnings)."""
    found = _Ownership()
    for target in plan.targets:
        if not target.path.exists():
            continue
        problem_ = _target_owner(plan, target, force, found)
        if problem_ is not None:
            found.foreign.append(problem_)
    _keep_reviewed_bases(plan, found)
    return found.foreign, found.kept, found.base


def _foreign_document(plan: Plan, target: Target, existing: object) -> Problem | None:
    """A problem when the existing document was made by another program or from another raw copy."""
    source = existing.get("provenance", {}).get("source", {}) if isinstance(existing, dict) else {}
    source = source if isinstance(source, dict) else {}
    importer = source.get("importer")
    program = importer.split()[0] if isinstance(importer, str) and importer.split() else None
    if program != plan.importer_id:
        return problem("IMPORT-TARGET-FOREIGN", str(target.path), f"made by {program or 'an unknown program'}, "
                       f"not by {plan.importer_id}; not overwritten by the import of {target.origin} (even with "
                       "--force): move it away, or import with --out elsewhere")
    expected = target.doc["provenance"]["source"]["raw_file"] if target.doc else None
    if source.get("raw_file") != expected:
        return problem("IMPORT-TARGET-FOREIGN", str(target.path), f"imported from {source.get('raw_file')}, while "
                       f"this import of {target.origin} would record {expected}: two raw copies of one document; "
                       "pass --raw-dir with the folder it was imported from, or --out elsewhere")
    return None


def _document_owner(plan: Plan, target: Target, force: bool) -> tuple[Problem | None, bool]:
    """(a problem when the existing document is not this source's, whether it is reviewed)."""
    try:
        existing = read_json(target.path, "the existing document",
                             "it may hold reviewed annotations, so it is neither compared nor overwritten: "
                             "repair it (e.g. from git), or pass --force to replace it with the import")
    except ProblemError as exc:
        if force:
            return None, False
        first = exc.problems[0]
        return Problem("IMPORT-TARGET-UNREADABLE", f"{first.message} (rule {first.rule})", file=str(target.path),
                       path=first.path, found=first.found, expected=first.expected), False
    foreign = _foreign_document(plan, target, existing)
    if foreign is not None:
        return foreign, False
    layers = existing.get("provenance", {}).get("layers", {}) if isinstance(existing, dict) else {}
    reviewed = isinstance(layers, dict) and any(isinstance(r, dict) and r.get("status") in ("gold", "draft")
                                                for r in layers.values())
    if reviewed and not force:
        target.existing = existing
        return None, True
    return None, False


def _outside_layers(doc: dict) -> dict:
    """A document without its annotation layers and their provenance, and without the importer's version."""
    out = {k: v for k, v in doc.items() if k not in LAYER_KEYS}
    provenance = dict(out.get("provenance") or {})
    provenance.pop("layers", None)
    source = dict(provenance.get("source") or {})
    if isinstance(source.get("importer"), str):
        source["importer"] = source["importer"].split()[0] if source["importer"].split() else ""
    provenance["source"] = source
    out["provenance"] = provenance
    return out


def _base_difference(target: Target) -> list[str]:
    """The parts outside the annotation layers in which a kept reviewed document differs from the import."""
    existing = target.existing
    if not isinstance(existing, dict) or target.doc is None:
        return []
    old, new = _outside_layers(existing), _outside_layers(target.doc)
    differs = [k for k in sorted(set(old) | set(new)) if k != "provenance" and old.get(k) != new.get(k)]
    old_source, new_source = old["provenance"].get("source", {}), new["provenance"].get("source", {})
    differs += [f"provenance.source.{k}" for k in sorted(set(old_source) | set(new_source))
                if old_source.get(k) != new_source.get(k)]
    return differs


def execute(plan: Plan, check: bool, force: bool) -> dict:
    """Check ownership, then write (or, with `check`, compare) the plan; returns what was done, for `_report`."""
    problems = _check_paths(plan)
    if problems:
        raise refuse(str(plan.source), problems)
    foreign, kept, base = _ownership(plan, force)
    if foreign and not check:
        raise refuse(str(plan.source), foreign)
    todo, changed = _todo(plan, foreign, kept)
    if not check:
        for target in changed:
            write_bytes(target.path, target.blob)
    return _result(plan, check, todo, changed, kept) | {
        "not_compared": [p.line() for p in foreign],
        "base_differs": [p.line() for p in base],
        "problems": [p.line() for p in plan.problems],
    }


def _todo(plan: Plan, foreign: list[Problem], kept: list[Target]) -> tuple[list[Target], list[Target]]:
    """(the targets to write or compare: not foreign, not kept; those of them whose bytes would change)."""
    skipped = {Path(p.file) for p in foreign if p.file is not None} | {t.path for t in kept}
    todo = [t for t in plan.targets if t.path not in skipped]
    return todo, [t for t in todo if not t.path.is_file() or t.path.read_bytes() != t.blob]


def _result(plan: Plan, check: bool, todo: list[Target], changed: list[Target], kept: list[Target]) -> dict:
    docs = plan.documents
    return {
        "source": str(plan.source),
        "documents": len(docs),
        "ids": [t.doc["id"] for t in docs if t.doc],
        "changed": [str(t.path) for t in changed],
        "kept_reviewed": [str(t.path) for t in kept if t.kind == "document"],
        "written": 0 if check else len(changed),
        "unchanged": len(todo) - len(changed),
        "compared_raw": len([t for t in todo if t.kind != "document"]),
        "compared_documents": len([t for t in todo if t.kind == "document"]),
    }


# -- the GUM importer ----------------------------------------------------------------------------------
def _record_has_notice(record: object) -> bool:
    """Does the record carry its own license statement (text license and attribution)?"""
    license_ = record.get("license") if isinstance(record, dict) else None
    return isinstance(license_, dict) and all(isinstance(license_.get(k), str) and license_[k].strip()
                                              for k in ("text", "attribution"))


def _data_display(data_dir: Path) -> str:
    """How the data folder is named in provenance: relative to the checkout when inside it."""
    root = repo_root()
    try:
        display = _relative(data_dir, root) if root is not None else data_dir.as_posix()
    except ValueError:  # another drive on Windows
        display = data_dir.as_posix()
    return data_dir.as_posix() if display.startswith("..") else display


def _gum_record(path: Path, has_readme: bool) -> tuple[bytes, dict | None, list[Problem]]:
    """(bytes, the record, []) or (bytes, None, its problems): read strictly, a JSON object, with a license notice."""
    raw_bytes, value, problem_ = _read_record(path)
    if problem_ is not None:
        return raw_bytes, None, [problem_]
    if not isinstance(value, dict):
        return raw_bytes, None, [problem("IMPORT-RECORD-FIELD", str(path), "a GUM record must be a JSON object",
                                         found=type(value).__name__)]
    if not has_readme and not _record_has_notice(value):
        return raw_bytes, None, [problem(
            "IMPORT-NOTICE-MISSING", str(path), "the folder has no README.md and the record no license "
            "(license.text and license.attribution): the license notice must travel with the records "
            "(GUM texts are CC BY 2.5, annotations CC BY 4.0)", path="license")]
    return raw_bytes, value, []


def _invalid(path: Path, doc: dict, target: Path) -> list[Problem]:
    """IMPORT-INVALID: the errors `wsw validate` finds in the converted document."""
    return [problem("IMPORT-INVALID", str(path), f"the converted document does not validate (rule {p.rule} of "
                    f"`wsw validate`): {p.message}", doc["id"], p.path, p.found, p.expected)
            for p in validate_document(doc, str(target)) if p.level == VALIDATION_ERROR]


def _plan_gum_record(plan: Plan, path: Path, data, has_readme: bool, reports: list) -> list[Problem]:
    """Read, convert and validate one record into `plan` (and its report into `reports`); its error problems."""
    raw_bytes, record, problems = _gum_record(path, has_readme)
    if record is None:
        return problems
    raw_target = plan.raw_dir / path.name
    try:
        doc, report = convert_record(record, data, where=str(path), raw_file=_relative(raw_target, plan.out.parent),
                                     raw_sha256=hashlib.sha256(raw_bytes).hexdigest(),
                                     notice_from_record=not has_readme)
    except ProblemError as exc:
        return _located(exc.problems, path)
    target = plan.out / f"{doc['id']}.json"
    plan.targets.append(Target(raw_target, raw_bytes, "record", str(path), record_id=record.get("doc_id")))
    plan.targets.append(Target(target, dumps(doc).encode("utf-8"), "document", str(path), doc=doc))
    plan.problems += report.problems
    reports.append(report)
    return _invalid(path, doc, target)


def plan_gum(source: Path, out: Path, raw_dir: Path, data_dir: Path) -> tuple[Plan, list]:
    """Read, convert and validate every GUM_*.json record of `source`; (the plan, the conversion reports).

    Raises one ProblemError listing every problem of every record when any record cannot be imported.
    """
    records = _records(source, "GUM_*.json", "a folder of GUM records (GUM_*.json), e.g. gum_news")
    notices = _notice_files(source)
    has_readme = any(p.name == "README.md" for p in notices)
    data = load_data(data_dir, _data_display(data_dir))
    plan = Plan(source, out, raw_dir, GUM_IMPORTER_ID)
    problems: list[Problem] = []
    reports: list = []
    for path in records:
        problems += _plan_gum_record(plan, path, data, has_readme, reports)
    problems += _duplicate_ids(plan)
    if any(p.is_error for p in problems):
        raise refuse(str(source), problems)
    if not has_readme:
        plan.problems.insert(0, problem(
            "IMPORT-NOTICE-FROM-RECORD", str(source), "no README.md: each record's own license field (copied with it) "
                                                      "is its license notice; recorded in every document's provenance"))
    for notice in notices:
        plan.targets.append(Target(raw_dir / notice.name, notice.read_bytes(), "notice", str(notice)))
    return plan, reports


def _duplicate_ids(plan: Plan) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for target in plan.documents:
        doc_id = target.doc["id"] if target.doc else ""
        if doc_id in seen:
            problems.append(problem("IMPORT-ID-DUPLICATE", target.origin, f"gives document id {doc_id}, "
                                    f"as {seen[doc_id]} does", doc_id))
        seen.setdefault(doc_id, target.origin)
    return problems


def import_gum(source: Path, out: Path, raw_dir: Path, data_dir: Path, check: bool = False, force: bool = False) -> dict:
    """Import every GUM_*.json record of `source`; return what was done (counts, files, problems, summary).

    With `check`, nothing is written and the result says what was compared and what would change.
    Documents already reviewed (a layer is gold or draft) are never overwritten without `force`:
    the review is the newer source of truth, and its changes are listed in its provenance.
    """
    plan, reports = plan_gum(source, out, raw_dir, data_dir)
    result = execute(plan, check, force)
    result["summary"] = summary_table([t.doc for t in plan.documents if t.doc], reports)
    return result


# -- the Wikinews importer -----------------------------------------------------------------------------
def _wikinews_paths(source: Path, out: Path, raw_dir: Path) -> None:
    """--out and --raw-dir stay out of the record folder, and it out of them.

    Documents written into (or around) the records would be read as records by the next import. The raw
    folder may *be* the source (re-importing from the raw copies, as `--check` of the bundled corpus does:
    every record is compared with itself).
    """
    clashes = []
    for option, folder, same_ok in (("--out", out, False), ("--raw-dir", raw_dir, True)):
        how = overlap(folder, source)
        if how == "is" and same_ok:
            how = None
        if how is not None:
            clashes.append(problem("OUT-OVERLAPS-INPUT", str(folder), f"{option} {folder} {how} the record folder "
                                   f"{source}: the import would mix its output with the records it reads; "
                                   f"give {option} a folder of its own"))
    if clashes:
        raise refuse(str(source), clashes)


def _plan_wikinews_record(plan: Plan, path: Path, source: Source) -> list[Problem]:
    """Read, convert and validate one article record into `plan`; its error problems."""
    from ..importers.wikinews import convert_record as convert_wikinews

    raw_bytes, record, problem_ = _read_record(path)
    if problem_ is not None:
        return [problem_]
    raw_target = plan.raw_dir / path.name
    try:
        doc = convert_wikinews(record, source, str(path), _relative(raw_target, plan.out.parent),
                               hashlib.sha256(raw_bytes).hexdigest())
    except ProblemError as exc:
        return _located(exc.problems, path)
    target = plan.out / f"{doc['id']}.json"
    errors = _invalid(path, dict(doc), target)
    try:
        blob = dumps(dict(doc)).encode("utf-8")
    except UnicodeEncodeError as exc:  # e.g. a file name that is not UTF-8, recorded as raw_file
        return errors or [problem("IMPORT-CONVERT", str(path), "the document cannot be written as UTF-8 "
                                  f"({exc.reason}: {exc.object[exc.start:exc.end]!r})", doc["id"])]
    record_id = record.get("doc_id") if isinstance(record, dict) else None
    plan.targets.append(Target(raw_target, raw_bytes, "record", str(path), record_id=record_id))
    plan.targets.append(Target(target, blob, "document", str(path), doc=dict(doc)))
    return errors


def import_wikinews(source: Path, name: str, out: Path, raw_dir: Path, check: bool = False, force: bool = False) -> dict:
    """Import every record of a Wikinews record folder (see importers/wikinews.py); same contract as `import_gum`.

    All records are read, converted and validated before anything is written; problems of all
    records are reported together. Annotated documents (a gold or draft layer) are kept.
    """
    from ..importers.wikinews import IMPORTER_ID, SOURCES

    if name not in SOURCES:
        fail("OPTION-INVALID", f"unknown record folder {name!r}; pass --source-name", file=str(source),
             found=repr(name), expected=f"one of {', '.join(SOURCES)}")
    records = _records(source, "*.json", "a folder of article records")
    _wikinews_paths(source, out, raw_dir)
    if not (source / "README.md").is_file():
        fail("IMPORT-NOTICE-MISSING", "README.md not found; the license notice must be copied with the records",
             file=str(source))
    plan = Plan(source, out, raw_dir, IMPORTER_ID)
    problems: list[Problem] = []
    for path in records:
        problems += _plan_wikinews_record(plan, path, SOURCES[name])
    problems += _duplicate_ids(plan)
    if problems:
        raise refuse(str(source), problems)
    for notice in _notice_files(source):
        plan.targets.append(Target(raw_dir / notice.name, notice.read_bytes(), "notice", str(notice)))
    return execute(plan, check, force)


# -- reporting -----------------------------------------------------------------------------------------
def _report(result: dict, out: Path, check: bool) -> None:
    """Print an import result; with --check, say what was compared and skipped, and exit 1 when it is not all up to date."""
    for line in result.get("problems", []):
        click.echo(line, err=True)
    if check:
        _report_check(result)
        return
    kept = result["kept_reviewed"]
    click.echo(f"imported {result['documents']} document(s) into {out}: {result['written']} file(s) written, "
               f"{result['unchanged']} unchanged", err=True)
    if kept:
        click.echo(f"kept {len(kept)} reviewed document(s) unchanged (gold/draft layers; use --force to overwrite "
                   "them with the import)", err=True)
    for line in result["base_differs"]:
        click.echo(line, err=True)


def _listed(heading: str, lines: list[str]) -> None:
    if lines:
        click.echo(heading, err=True)
        for line in lines:
            click.echo(f"  {line}", err=True)


def _report_check(result: dict) -> None:
    """--check: what was compared, what was not and why; exit 1 when a file would change or was not compared."""
    kept, changed = result["kept_reviewed"], result["changed"]
    not_compared, base = result["not_compared"], result["base_differs"]
    click.echo(f"checked the import of {result['source']} ({result['documents']} record(s)):", err=True)
    click.echo(f"  compared byte for byte: {result['compared_raw']} raw file(s) (records and license notice) and "
               f"{result['compared_documents']} document(s) it would overwrite (not reviewed, or --force); "
               f"{len(changed)} would change", err=True)
    if kept:
        click.echo(f"  compared outside their annotation layers (text, text hash, metadata, raw record and its hash): "
                   f"{len(kept)} reviewed document(s), {len(base)} differ", err=True)
        click.echo(f"  not compared: the annotation layers of those {len(kept)} reviewed document(s) (gold/draft): a "
                   "review changes them on purpose, so they are expected to differ from the import", err=True)
    if not_compared:
        click.echo(f"  not compared: {len(not_compared)} file(s) (listed below)", err=True)
    _listed(f"wsw: {len(changed)} file(s) would change:", changed)
    _listed(f"wsw: {len(base)} reviewed document(s) were made on another text or record than the import gives:", base)
    _listed(f"wsw: {len(not_compared)} file(s) could not be compared:", not_compared)
    if changed or base or not_compared:
        click.get_current_context().exit(1)
    skipped = (f"; the annotation layers of {len(kept)} reviewed document(s) were not compared (see above)"
               if kept else "")
    click.echo(f"OK: every file compared is up to date{skipped}", err=True)


@click.group(name="import")
def import_group() -> None:
    """Import annotated corpora (GUM) and Wikinews records into the canonical form."""


@import_group.command(name="gum")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the canonical documents [default: corpus/documents].")
@click.option("--raw-dir", type=click.Path(path_type=Path), default=None,
              help="Folder the records and their license notice are copied to [default: corpus/raw/<SOURCE's folder "
                   "name>].")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Folder with entity_types.json and overrides.json [default: annotation/gum of the checkout].")
@click.option("--check", is_flag=True, help="Write nothing; say what was compared and skipped; exit 1 if a file would "
                                            "change or a document could not be compared.")
@click.option("--summary", is_flag=True, help="Also print the counts table of annotation/GUM_IMPORT.md (every rule, "
                                              "with what it kept and dropped).")
@click.option("--force", is_flag=True, help="Overwrite documents that were already reviewed (their review is lost).")
def gum(source: Path, out: Path | None, raw_dir: Path | None, data_dir: Path | None, check: bool, summary: bool,
        force: bool) -> None:
    """Convert the GUM records in SOURCE (GUM V11.1.0 Wikinews documents) to canonical documents.

    Copies the records and their README (license notice) to the raw folder, converts each record
    by the rules of annotation/GUM_IMPORT.md plus the hand corrections in annotation/gum/, validates
    every document and only then writes them (atomically). Document ids are gum-<genre>-<name>.
    Documents already reviewed (a gold or draft layer) are kept unless --force is given; files made
    by another import or for another source are never overwritten.

    \b
    Examples:
      wsw import gum ../shared/data/gum_news                 # raw copies in corpus/raw/gum_news
      wsw import gum corpus/raw/gum_news --check --summary
      wsw import gum my/gum_interview --out /tmp/docs --raw-dir /tmp/raw/gum_interview
    """
    corpus = default_corpus_dir()
    out = out or corpus / "documents"
    raw_dir = raw_dir or default_raw_dir(source, corpus)
    result = import_gum(source, out, raw_dir, data_dir or _default_data_dir(), check=check, force=force)
    if summary:
        click.echo(result["summary"])
    _report(result, out, check)


@import_group.command(name="wikinews")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--source-name", "name", default=None,
              help="Record folder kind: meantime_raw, wikinewssum or meantime_detok [default: SOURCE's folder name].")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the canonical documents [default: corpus/documents].")
@click.option("--raw-dir", type=click.Path(path_type=Path), default=None,
              help="Folder the records and their README (license notice) are copied to [default: corpus/raw/<kind>].")
@click.option("--check", is_flag=True, help="Write nothing; say what was compared and skipped; exit 1 if a file would "
                                            "change or a document could not be compared.")
@click.option("--force", is_flag=True, help="Overwrite documents that already hold annotations (they are lost).")
def wikinews(source: Path, name: str | None, out: Path | None, raw_dir: Path | None, check: bool, force: bool) -> None:
    """Import Wikinews article records (MEANTIME raw, WikinewsSum, MEANTIME detokenized) without annotations.

    Each record's text is kept exactly; its license, attribution, date, URL, how the text was
    obtained (metadata.text_origin: original, rendered-wikitext, detokenized) and where the record
    came from are recorded. Document ids are the record ids in lower case with '-' for '_'
    (MEANTIME_stock_112579 -> meantime-stock-112579). Annotated documents are kept unless --force;
    files made by another import or for another source are never overwritten. --out may not be
    SOURCE, lie inside it or hold it; nor may --raw-dir, except that it may be SOURCE itself (a
    re-import from the raw copies). A record saying "Public domain" must be dated on or before
    2005-09-25.

    \b
    Examples:
      wsw import wikinews ../shared/data/meantime_raw
      wsw import wikinews ../shared/data/meantime_detok --check
      wsw import wikinews my-copy/ --source-name wikinewssum --out /tmp/docs --raw-dir /tmp/raw
    """
    corpus = default_corpus_dir()
    kind = name or source.resolve().name
    out = out or corpus / "documents"
    raw_dir = raw_dir or corpus / "raw" / kind
    result = import_wikinews(source, kind, out, raw_dir, check=check, force=force)
    _report(result, out, check)


__all__ = ["default_raw_dir", "document_id", "execute", "import_group", "import_gum", "import_wikinews", "plan_gum"]
