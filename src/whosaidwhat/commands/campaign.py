"""`wsw campaign status`: progress of an annotation campaign, from a pull folder, document folders or a live project."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..adjudication.report import case_problems, refusal
from ..campaign import Work, from_documents, from_export, status
from ..core.jsonfile import read_json
from ..core.problems import Problem, ProblemError, fail


@click.group(name="campaign")
def campaign_group() -> None:
    """Annotation campaigns: where they stand."""


def _from_folder(source: Path, warnings: list[Problem]) -> list[Work]:
    files = list(source.rglob("*.json"))
    if not files:
        fail("CAMPAIGN-NOTHING", "no labelstudio-export.json and no canonical documents (*.json) in it", file=str(source),
             expected="a pull folder, an export or a folder of canonical documents")
    skipped: list[Problem] = []
    records = from_documents(source, skipped)
    if len(skipped) == len(files):
        raise refusal(f"{source}: none of its {len(files)} JSON file(s) is an annotated canonical document",
                      [Problem("CAMPAIGN-NOTHING", p.message, file=p.file) for p in skipped])
    warnings += skipped
    return records


def _records(source: Path, warnings: list[Problem]) -> list[Work]:
    """The work records of one source; a source with nothing to count in it is a usage error."""
    export = source / "labelstudio-export.json" if source.is_dir() else source
    if export.is_file():
        tasks = read_json(export, "the Label Studio export")
        if isinstance(tasks, list) and not tasks:
            fail("CAMPAIGN-NOTHING", "the Label Studio export holds no task", file=str(export), expected="tasks")
        return from_export(tasks, str(export))
    if source.is_dir():
        return _from_folder(source, warnings)
    fail("PATH-MISSING", "not a pull folder, an export file or a folder of canonical documents", file=str(source))


def _print_table(result: dict, needed: int, all_documents: bool) -> None:
    click.echo(f"{result['ready']} of {result['total']} document(s) ready for adjudication "
               f"({needed} finished annotation(s) needed)")
    click.echo("annotator            done  skipped  median lead time (s)")
    for who, row in result["annotators"].items():
        lead = "-" if row["median_lead_time_seconds"] is None else f"{row['median_lead_time_seconds']:.0f}"
        click.echo(f"{who:<20}{row['done']:>5}{row['skipped']:>9}  {lead:>20}")
    shown = [(d, v) for d, v in result["documents"].items() if all_documents or not v["ready_for_adjudication"]]
    if shown:
        click.echo("document                           finished by / skipped by")
        for doc_id, row in shown:
            click.echo(f"{doc_id:<35}{', '.join(row['finished']) or '-'} / {', '.join(row['skipped']) or '-'}")


@campaign_group.command(name="status")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--needed", type=click.IntRange(min=1), default=2, show_default=True,
              help="Annotators who must finish a document before it can be adjudicated.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--all-documents", is_flag=True, help="List every document, not only those not ready.")
def status_command(sources: tuple[Path, ...], needed: int, fmt: str, all_documents: bool) -> None:
    """Per document: who finished or skipped it and whether it is ready for adjudication; per annotator: documents
    done and median lead time.

    SOURCES are pull folders of `wsw labelstudio pull` (their labelstudio-export.json is read), Label Studio JSON
    exports, or folders of canonical documents (each document one annotator's work). One annotator's work on one
    document counts once, whichever sources repeat it; JSON files that are not annotated canonical documents are
    skipped with a warning.

    \b
    Examples:
      wsw campaign status annotation/campaigns/corpus-1.0/labelstudio-pull
      wsw campaign status corpus/annotations/pass-a corpus/annotations/pass-b --needed 2 --format json
    """
    if not sources:
        fail("CAMPAIGN-NOTHING", "give at least one pull folder, export or folder of documents",
             expected="SOURCES")
    warnings: list[Problem] = []
    given: dict[Path, Path] = {}
    for source in sources:  # a source given twice is read once (its work is counted once anyway)
        given.setdefault(source.resolve(), source)
    records = [r for source in given.values() for r in _records(source, warnings)]
    for warning in warnings:
        click.echo(warning.line(), err=True)
    clashes = case_problems(dict.fromkeys(r.annotator for r in records), "campaign " + ", ".join(map(str, sources)))
    if clashes:
        raise ProblemError(clashes)
    result = status(records, needed)
    if fmt == "json":
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
        return
    _print_table(result, needed, all_documents)
