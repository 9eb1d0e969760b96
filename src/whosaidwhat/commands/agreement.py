"""`wsw agreement A B`: inter-annotator agreement of two annotations of the same documents."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from ..agreement import compare_annotations, format_table


@click.command(name="agreement")
@click.argument("a_dir", type=click.Path(path_type=Path))
@click.argument("b_dir", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
def agreement(a_dir: Path, b_dir: Path, fmt: str) -> None:
    """Agreement of annotation B with annotation A, on the documents both folders contain.

    Uses the benchmark's own metrics with A as gold and B as a system: span F1 for names,
    all mentions, quotes and claims, attribution F1 (speaker / claimant agree), and quote type
    and check-worthiness agreement on matched items.

    \b
    Examples:
      wsw agreement corpus/documents corpus/agreement/wsw-annotator-2
      wsw agreement pulls/q1/annotators/ls-user-2 pulls/q1/annotators/ls-user-3 --format json
    """
    result = compare_annotations(a_dir, b_dir)
    if fmt == "json":
        click.echo(json.dumps(asdict(result), indent=1))
        return
    click.echo(f"{len(result.documents)} document(s): {', '.join(result.documents)}  (B = {b_dir} judged against A = {a_dir})")
    click.echo(format_table(result, markdown=fmt == "markdown"))
