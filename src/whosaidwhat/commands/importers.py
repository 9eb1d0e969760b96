"""`wsw import gum DIR`: copy the gum_news records into corpus/raw, convert, validate, write documents.

The conversion itself is `whosaidwhat.importers.gum.convert_record` (pure); this module does the
file work around it. All documents are converted and validated before any is written, and each
write is atomic, so a failed import leaves the corpus as it was. Re-running on the same input
gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import click

from ..atomic import write_bytes
from ..document import dumps
from ..errors import UsageError, UserError
from ..importers.gum import convert_record, document_id, summary_table
from ..importers.gum_overrides import load_data
from ..jsonfile import read_json
from ..resources import default_corpus_dir, repo_root
from ..validation import ERROR, validate_document

NOTICE_FILES = ("README.md",)


def _default_data_dir() -> Path:
    root = repo_root()
    return (root / "annotation" / "gum") if root is not None else Path("annotation") / "gum"


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def _reviewed(target: Path) -> bool:
    """True when an existing document has a layer beyond the import (gold or draft): review work to keep.

    A document that cannot be read is an error, not "unreviewed": it may be a damaged gold file
    (a truncated save, a merge conflict), and overwriting it would lose the review for good.
    """
    doc = read_json(target, "the existing document", "it may hold reviewed annotations, so it is not overwritten: "
                    "repair it (e.g. from git), or pass --force to replace it with the import")
    layers = doc.get("provenance", {}).get("layers", {}) if isinstance(doc, dict) else {}
    return any(isinstance(r, dict) and r.get("status") in ("gold", "draft") for r in layers.values())


def import_gum(source: Path, out: Path, raw_dir: Path, data_dir: Path, check: bool = False, force: bool = False) -> dict:
    """Import every GUM_*.json record of `source`; return a summary (counts, files written).

    With `check`, nothing is written and the summary lists the files that would change.
    Documents already reviewed (a layer is gold or draft) are never overwritten without `force`:
    the review is the newer source of truth, and its changes are listed in its provenance.
    """
    if not source.is_dir():
        raise UsageError(f"{source}: not a folder (expected the gum_news folder with GUM_*.json records)")
    records = sorted(source.glob("GUM_*.json"))
    if not records:
        raise UsageError(f"{source}: no GUM_*.json records found")
    missing = [name for name in NOTICE_FILES if not (source / name).is_file()]
    if missing:
        raise UserError(f"{source}: {', '.join(missing)} not found; the license notice must be copied with the records "
                        f"(GUM texts are CC BY 2.5, annotations CC BY 4.0)")
    root = repo_root()
    try:
        display = _relative(data_dir, root) if root is not None else data_dir.as_posix()
    except ValueError:  # another drive on Windows
        display = data_dir.as_posix()
    if display.startswith(".."):
        display = data_dir.as_posix()
    data = load_data(data_dir, display)
    corpus_root = out.parent
    planned: list[tuple[Path, bytes]] = []  # (target, bytes) for raw copies and documents
    documents, reports = [], []
    for path in records:
        raw_bytes = path.read_bytes()
        try:
            raw = json.loads(raw_bytes.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not UTF-8 (byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}; truncated file?)") from None
        raw_target = raw_dir / path.name
        doc, report = convert_record(raw, data, where=str(path), raw_file=_relative(raw_target, corpus_root),
                                     raw_sha256=hashlib.sha256(raw_bytes).hexdigest())
        target = out / f"{doc['id']}.json"
        problems = [p for p in validate_document(doc, str(target)) if p.level == ERROR]
        if problems:
            lines = "\n  ".join(p.line() for p in problems[:20])
            raise UserError(f"{path}: the converted document {doc['id']} does not validate "
                            f"({len(problems)} error(s)); nothing was written:\n  {lines}")
        planned.append((raw_target, raw_bytes))
        planned.append((target, dumps(doc).encode("utf-8")))
        documents.append(doc)
        reports.append(report)
    for name in NOTICE_FILES:
        planned.append((raw_dir / name, (source / name).read_bytes()))
    ids = [d["id"] for d in documents]
    if len(set(ids)) != len(ids):
        raise UserError(f"{source}: two records map to the same document id ({', '.join(sorted(i for i in ids if ids.count(i) > 1))})")
    kept = [] if force else [target for target, _ in planned if target.suffix == ".json" and target.parent == out
                             and target.is_file() and _reviewed(target)]
    planned = [(target, blob) for target, blob in planned if target not in kept]
    changed = [target for target, blob in planned if not target.is_file() or target.read_bytes() != blob]
    if not check:
        for target, blob in planned:
            if target in changed:
                write_bytes(target, blob)
    return {
        "documents": len(documents),
        "ids": ids,
        "changed": [str(p) for p in changed],
        "kept_reviewed": [str(p) for p in kept],
        "written": 0 if check else len(changed),
        "unchanged": len(planned) - len(changed),
        "summary": summary_table(documents, reports),
    }


def import_wikinews(source: Path, name: str, out: Path, raw_dir: Path, check: bool = False, force: bool = False) -> dict:
    """Import every record of a Wikinews record folder (see importers/wikinews.py); same contract as `import_gum`.

    All records are read, converted and validated before anything is written; problems of all
    records are reported together. Annotated documents (a gold or draft layer) are kept.
    """
    from ..importers.wikinews import SOURCES, convert_record

    if name not in SOURCES:
        raise UsageError(f"{source}: unknown record folder {name!r} (expected one of {', '.join(SOURCES)}; "
                         "pass --source)")
    if not source.is_dir():
        raise UsageError(f"{source}: not a folder (expected a folder of article records)")
    records = sorted(p for p in source.glob("*.json") if p.is_file())
    if not records:
        raise UsageError(f"{source}: no *.json records found")
    if not (source / "README.md").is_file():
        raise UserError(f"{source}: README.md not found; the license notice must be copied with the records")
    corpus_root = out.parent
    planned: list[tuple[Path, bytes]] = []
    ids: list[str] = []
    failures: list[str] = []
    for path in records:
        raw_bytes = path.read_bytes()
        raw_target = raw_dir / path.name
        try:
            record = read_json(path, "the article record")
            doc = convert_record(record, SOURCES[name], str(path), _relative(raw_target, corpus_root),
                                 hashlib.sha256(raw_bytes).hexdigest())
        except UserError as exc:
            failures.append(str(exc))
            continue
        target = out / f"{doc['id']}.json"
        failures += [p.line() for p in validate_document(doc, str(target)) if p.level == ERROR]
        planned.append((raw_target, raw_bytes))
        planned.append((target, dumps(doc).encode("utf-8")))
        ids.append(doc["id"])
    if failures:
        raise UserError(f"{source}: {len(failures)} record(s) cannot be imported; nothing was written:\n  "
                        + "\n  ".join(failures))
    planned.append((raw_dir / "README.md", (source / "README.md").read_bytes()))
    kept = [] if force else [target for target, _ in planned if target.parent == out and target.is_file()
                             and _reviewed(target)]
    planned = [(target, blob) for target, blob in planned if target not in kept]
    changed = [target for target, blob in planned if not target.is_file() or target.read_bytes() != blob]
    if not check:
        for target, blob in planned:
            if target in changed:
                write_bytes(target, blob)
    return {"documents": len(ids), "ids": ids, "changed": [str(p) for p in changed],
            "kept_reviewed": [str(p) for p in kept], "written": 0 if check else len(changed),
            "unchanged": len(planned) - len(changed)}


def _report(result: dict, out: Path, check: bool) -> None:
    """Print an import result; with --check, exit 1 when a file would change."""
    if result["kept_reviewed"]:
        click.echo(f"kept {len(result['kept_reviewed'])} annotated document(s) unchanged (gold/draft layers; "
                   "use --force to overwrite them with the import)", err=True)
    if check:
        if result["changed"]:
            click.echo(f"wsw: {len(result['changed'])} file(s) would change:", err=True)
            for path in result["changed"]:
                click.echo(f"  {path}", err=True)
            click.get_current_context().exit(1)
        click.echo(f"OK: {result['documents']} record(s) compared; {len(result['kept_reviewed'])} annotated "
                   f"document(s) not compared (their layers are newer than the import)", err=True)
        return
    click.echo(f"imported {result['documents']} document(s) into {out}: {result['written']} file(s) written, "
               f"{result['unchanged']} unchanged", err=True)


@click.group(name="import")
def import_group() -> None:
    """Import annotated corpora (GUM) into the canonical form."""


@import_group.command(name="gum")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the canonical documents [default: corpus/documents].")
@click.option("--raw-dir", type=click.Path(path_type=Path), default=None,
              help="Folder the records and their license notice are copied to [default: corpus/raw/gum_news].")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Folder with entity_types.json and overrides.json [default: annotation/gum of the checkout].")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change (a reproducibility check).")
@click.option("--summary", is_flag=True, help="Also print the counts table of annotation/GUM_IMPORT.md.")
@click.option("--force", is_flag=True, help="Overwrite documents that were already reviewed (their review is lost).")
def gum(source: Path, out: Path | None, raw_dir: Path | None, data_dir: Path | None, check: bool, summary: bool,
        force: bool) -> None:
    """Convert the gum_news records in SOURCE (GUM V11.1.0 Wikinews documents) to canonical documents.

    Copies the records and their README (license notice) to the raw folder, converts each record
    by the rules of annotation/GUM_IMPORT.md plus the hand corrections in annotation/gum/, validates
    every document and only then writes them (atomically). Document ids are gum-news-<name>.
    Documents already reviewed (a gold or draft layer) are kept unless --force is given.

    \b
    Examples:
      wsw import gum ../shared/data/gum_news
      wsw import gum corpus/raw/gum_news --check
    """
    corpus = default_corpus_dir()
    out = out or corpus / "documents"
    raw_dir = raw_dir or corpus / "raw" / "gum_news"
    result = import_gum(source, out, raw_dir, data_dir or _default_data_dir(), check=check, force=force)
    if result["kept_reviewed"]:
        click.echo(f"kept {len(result['kept_reviewed'])} reviewed document(s) unchanged (gold/draft layers; "
                   "use --force to overwrite them with the import)", err=True)
    if summary:
        click.echo(result["summary"])
    if check:
        if result["changed"]:
            click.echo(f"wsw: {len(result['changed'])} file(s) would change:", err=True)
            for path in result["changed"]:
                click.echo(f"  {path}", err=True)
            click.get_current_context().exit(1)
        click.echo(f"OK: {result['documents']} document(s) and their raw files are up to date", err=True)
        return
    click.echo(f"imported {result['documents']} document(s) into {out}: {result['written']} file(s) written, "
               f"{result['unchanged']} unchanged", err=True)


@import_group.command(name="wikinews")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--source-name", "name", default=None,
              help="Record folder kind: meantime_raw, wikinewssum or meantime_detok [default: SOURCE's folder name].")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the canonical documents [default: corpus/documents].")
@click.option("--raw-dir", type=click.Path(path_type=Path), default=None,
              help="Folder the records and their README (license notice) are copied to [default: corpus/raw/<kind>].")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change (a reproducibility check).")
@click.option("--force", is_flag=True, help="Overwrite documents that already hold annotations (they are lost).")
def wikinews(source: Path, name: str | None, out: Path | None, raw_dir: Path | None, check: bool, force: bool) -> None:
    """Import Wikinews article records (MEANTIME raw, WikinewsSum, MEANTIME detokenized) without annotations.

    Each record's text is kept exactly; its license, attribution, date, URL, how the text was
    obtained (metadata.text_origin: original, rendered-wikitext, detokenized) and where the record
    came from are recorded. Document ids are the record ids in lower case with '-' for '_'
    (MEANTIME_stock_112579 -> meantime-stock-112579). Annotated documents are kept unless --force.

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


__all__ = ["import_group", "import_gum", "import_wikinews", "document_id"]
