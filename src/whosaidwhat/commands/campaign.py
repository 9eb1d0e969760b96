"""`wsw campaign status`: progress of an annotation campaign, from a pull folder, document folders or a live project."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..campaign import from_documents, from_export, status
from ..errors import UsageError
from ..jsonfile import read_json


@click.group(name="campaign")
def campaign_group() -> None:
    """Annotation campaigns: where they stand."""


def _records(source: Path) -> list:
    export = source / "labelstudio-export.json" if source.is_dir() else source
    if export.is_file():
        return from_export(read_json(export, "the Label Studio export"), str(export))
    if source.is_dir():
        return from_documents(source)
    raise UsageError(f"{source}: not a pull folder, an export file or a folder of canonical documents")


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
    exports, or folders of canonical documents (each document one annotator's work).

    \b
    Examples:
      wsw campaign status annotation/campaigns/corpus-1.0/labelstudio-pull
      wsw campaign status corpus/annotations/pass-a corpus/annotations/pass-b --needed 2 --format json
    """
    if not sources:
        raise UsageError("give at least one pull folder, export or folder of documents")
    records = [r for source in sources for r in _records(source)]
    result = status(records, needed)
    if fmt == "json":
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
        return
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
