"""`wsw agreement A B [C ...]`: inter-annotator agreement of independent annotations of the same documents."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..agreement import measure
from ..agreement.tables import format_report, read_folder
from ..core.paths import overlap
from ..core.problems import ProblemError, fail


def _check_folders(folders: tuple[Path, ...]) -> None:
    """At least two folders (AGREE-TOO-FEW), none given twice (AGREE-SAME-FOLDER)."""
    if len(folders) < 2:
        fail("AGREE-TOO-FEW", "give at least two folders of annotations", found=str(len(folders)), expected="2 or more")
    for k, folder in enumerate(folders):
        for other in folders[:k]:
            if folder.exists() and other.exists() and overlap(folder, other) == "is":
                fail("AGREE-SAME-FOLDER", f"the folder is given twice (also as {other}): it would be compared with "
                                          "itself", file=str(folder))


def _read_all(folders: tuple[Path, ...]) -> dict[str, dict[str, dict]]:
    """Every folder read; one ProblemError listing the problems of all of them."""
    data, problems = {}, []
    for folder in folders:
        try:
            data[str(folder)] = read_folder(folder)
        except ProblemError as error:
            problems += error.problems
    if problems:
        raise ProblemError(problems)
    return data


def report_problems(error: ProblemError) -> None:
    """Every problem of a refused input, one line each (the CLI alone would print the first)."""
    for problem in error.problems:
        click.echo(f"wsw: error: {problem.line()}", err=True)
    if error.total > len(error.problems):
        click.echo(f"wsw: error: ... and {error.total - len(error.problems)} more problem(s)", err=True)
    click.get_current_context().exit(error.exit_code)


@click.command(name="agreement")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.option("--min-iou", type=click.FloatRange(0, 1, min_open=True), default=0.5, show_default=True,
              help="Overlap needed to align quotes and claims.")
@click.option("--resamples", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap resamples over documents (0: none).")
@click.option("--seed", type=click.IntRange(min=0), default=12345, show_default=True, help="Seed of the bootstrap.")
def agreement(folders: tuple[Path, ...], fmt: str, min_iou: float, resamples: int, seed: int) -> None:
    """Agreement of two or more independent annotations (one folder of canonical documents each).

    For every pair of folders, on the documents both hold: span F1 for names, all mentions, quote
    content, cues and claims (exact and IoU >= --min-iou), attributed F1, and Cohen's kappa for
    entity type, quote type, speaker, claimant and check-worthiness on aligned items, each with a
    95% bootstrap interval over documents; Krippendorff's alpha across all folders. A document
    pair is compared only if its provenance shows the two annotations were made independently
    (no shared producer, neither shown the other's work); excluded pairs are listed with the reason.
    Definitions: eval/METRICS.md, "Inter-annotator agreement".

    \b
    Examples:
      wsw agreement corpus/annotations/pass-a corpus/annotations/pass-b
      wsw agreement pulls/q1/annotators/ann-1 pulls/q1/annotators/ann-2 pulls/q1/annotators/ann-3 --format markdown
      wsw agreement A B --format json --resamples 0
    """
    _check_folders(folders)
    try:
        data = _read_all(folders)
    except ProblemError as error:
        report_problems(error)
        return
    result = measure(data, min_iou=min_iou, resamples=resamples, seed=seed)
    if fmt == "json":
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        click.echo(format_report(result, markdown=fmt == "markdown"))
