"""`wsw stats`: corpus statistics overall and per split, from the documents themselves."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..core.problems import fail
from ..core.resources import default_corpus_dir
from ..stats import corpus_stats, format_documents, format_markdown, format_table


@click.command(name="stats")
@click.argument("corpus_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.option("--documents/--no-documents", default=True, show_default=True, help="Also list every document with its layer counts.")
def stats(corpus_dir: Path | None, fmt: str, documents: bool) -> None:
    """Count documents, tokens, mentions per type, entities, quotes per type, claims and check-worthy claims, per split.

    CORPUS_DIR holds documents/*.json and splits.json (default: the bundled corpus/).
    Tokens are words and punctuation marks (regex \\w+|[^\\w\\s]).

    \b
    Examples:
      wsw stats
      wsw stats corpus/ --format json
    """
    corpus_dir = corpus_dir or default_corpus_dir()
    if not (corpus_dir / "documents").is_dir():
        fail("PATH-MISSING", "not a corpus folder", file=str(corpus_dir),
             expected=f"{corpus_dir / 'documents'}/ with <id>.json files")
    result = corpus_stats(corpus_dir)
    if result["overall"]["documents"] == 0:
        fail("STATS-NO-DOCUMENTS", "no documents", file=str(corpus_dir / "documents"), expected="<id>.json files")
    if fmt == "json":
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
        return
    if fmt == "markdown":
        click.echo(format_markdown(result))
        return
    if documents:
        click.echo(format_documents(result))
        click.echo()
    click.echo(format_table(result))
