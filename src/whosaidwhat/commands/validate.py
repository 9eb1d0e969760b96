"""`wsw validate`: report every problem of canonical documents, one per line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from ..core.problems import Problem, fail
from ..engine import choose_engine, engine_options
from ..validation import ValidationSummary, iter_input_files, validate_paths


@click.command(name="validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per problem; json: one JSON object with the summary and all problems.")
@click.option("--max-errors", type=click.IntRange(min=1), default=None,
              help="Stop after this many errors (warnings do not count).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors for the exit code.")
@click.option("--quiet", "-q", is_flag=True, help="Print problems only, no summary line.")
@engine_options
def validate(paths: tuple[str, ...], fmt: str, max_errors: int | None, strict: bool, quiet: bool, engine: str | None,
             scheduler: str | None, workers: int | None) -> None:
    """Check canonical documents (files, folders or JSONL files) and report every problem.

    Each problem is one line: `file: doc_id: json.path: [RULE-ID] message (found …, expected …)`.
    Exit status: 0 clean, 1 problems found, 2 usage error.

    \b
    Examples:
      wsw validate corpus/
      wsw validate corpus/documents/seed-kremlin-rejects-armenian-pm.json --format json
      wsw validate silver/*.jsonl --max-errors 50
      wsw validate silver/ --engine dask --scheduler tcp://10.0.0.5:8786   # same problems, same order

    With --engine dask the files are validated in shards (a JSONL file, or 256 document files)
    on a Dask cluster; the problems, their order and the exit status are the local engine's.
    """
    from ..engine import local_path

    choice = choose_engine(engine, scheduler, workers)
    files = _input_files(tuple(local_path(p) for p in paths))
    problems: list[Problem] = []
    summary = ValidationSummary()
    show_progress = fmt == "text" and sys.stderr.isatty() and len(files) > 200
    with tqdm(total=len(files), unit="file", desc="validating", disable=not show_progress or not choice.local,
              file=sys.stderr) as bar:
        for item in _problems(choice, files, fmt == "text" and sys.stderr.isatty(), bar, max_errors):
            if isinstance(item, ValidationSummary):
                summary = item
                break
            if fmt == "text":
                tqdm.write(item.line(), file=sys.stdout)
            else:
                problems.append(item)
    failed = summary.errors > 0 or (strict and summary.warnings > 0)
    _report(fmt, quiet, summary, problems, failed, max_errors)
    click.get_current_context().exit(1 if failed else 0)


def _input_files(paths: tuple[Path, ...]) -> list[Path]:
    """The .json and .jsonl files under `paths` (walked once: the count sizes the progress bar)."""
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        fail("PATH-MISSING", f"no such file or folder: {', '.join(missing)}", file=missing[0], expected="a file or folder")
    files = list(iter_input_files(paths))
    if not files:
        fail("PATH-MISSING", f"no .json or .jsonl files found under {', '.join(map(str, paths))}", file=str(paths[0]),
             expected="a .json or .jsonl file, or a folder holding some")
    return files


def _problems(choice: Any, files: list[Path], show: bool, bar: Any, max_errors: int | None) -> Iterator[Any]:
    """Problems, then the summary: from this machine, or from a Dask cluster (same problems, same order)."""
    if choice.local:
        return validate_paths(files, progress=bar, max_errors=max_errors)
    from ..engine.validate import validate_on_dask

    return validate_on_dask(choice, files, show, max_errors)


def _report(fmt: str, quiet: bool, summary: ValidationSummary, problems: list[Problem], failed: bool,
            max_errors: int | None) -> None:
    if fmt == "json":
        click.echo(json.dumps({"files": summary.files, "documents": summary.documents, "errors": summary.errors,
                               "warnings": summary.warnings, "truncated": summary.truncated,
                               "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=1))
    elif not quiet:
        stopped = f" (stopped after --max-errors {max_errors})" if summary.truncated else ""
        verdict = "FAILED" if failed else "OK"
        click.echo(f"{verdict}: {summary.documents} document(s) in {summary.files} file(s): "
                   f"{summary.errors} error(s), {summary.warnings} warning(s){stopped}", err=True)
