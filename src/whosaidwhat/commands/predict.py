"""`wsw predict`: run an installed system over documents into a predictions file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..core.problems import fail
from ..engine import choose_engine, engine_options, local_path


def _options(pairs: tuple[str, ...]) -> dict:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail("OPTION-INVALID", "--option: expected KEY=VALUE", found=repr(pair),
                 expected="e.g. --option model=eval/baselines/trained/model")
        options[key.strip()] = value
    return options


def _check_out(out: Path, inputs: tuple[Path, ...]) -> None:
    from ..core.paths import overlap
    from ..systems.outputs import output_format

    if out.is_dir():
        fail("PRED-OUT-PATH", "--out is a folder; give the name of a .jsonl or .parquet file", file=str(out),
             found="a folder", expected="a .jsonl or .parquet file")
    output_format(out)
    for parent in out.parents:  # the nearest existing ancestor must be a folder
        if parent.exists():
            if not parent.is_dir():
                fail("PRED-OUT-PATH", f"--out: {parent} is a file, not a folder", file=str(out))
            break
    for source in inputs:
        if source.exists() and overlap(out, source) == "is":
            fail("OUT-OVERLAPS-INPUT", "--out is an input file; writing there would destroy it", file=str(out),
                 found=f"input {source}")


def _list(fmt: str) -> None:
    from ..systems.registry import installed_systems

    entries = installed_systems()
    if fmt == "json":
        click.echo(json.dumps([e.as_dict() for e in entries], indent=1, ensure_ascii=False))
        return
    if not entries:
        click.echo("no systems installed (entry point group whosaidwhat.systems)")
        return
    width = max(len(e.name) for e in entries)
    for e in entries:
        state = f"  [{e.problem}]" if e.problem else ""
        click.echo(f"{e.name:<{width}}  {e.version or '?':<8} {e.kind or '?':<9} {e.distribution:<24} {e.description}{state}")


def _warn_withheld(withheld: list[str]) -> None:
    if withheld:
        shown = ", ".join(withheld[:10]) + (" ..." if len(withheld) > 10 else "")
        click.echo(f"wsw: warning: skipped {len(withheld)} document(s) whose text is withheld (null): {shown}; "
                   "restore texts with `wsw rehydrate` to predict them", err=True)


@click.command(name="predict")
@click.argument("inputs", nargs=-1)
@click.option("--system", "system_name", help="Installed system to run (see --list).")
@click.option("--out", help="Predictions file to write: .jsonl or .parquet.")
@click.option("--split", "splits", multiple=True,
              help="Only documents of this split (repeatable); INPUT must be a corpus folder or a release folder.")
@click.option("--option", "option_pairs", multiple=True, metavar="KEY=VALUE",
              help="Option passed to the system (repeatable), e.g. model=PATH for `trained`.")
@click.option("--documents", "documents_out", default=None,
              help="Also write each prediction as a canonical document (layers silver, produced by the system) into "
                   "this new or empty folder: pre-annotations for `wsw labelstudio push`.")
@click.option("--list", "list_only", is_flag=True, help="List the installed systems and exit.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format of --list and of the run summary.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on standard error (default: when it is a terminal).")
@engine_options
def predict(inputs, system_name, out, splits, option_pairs, documents_out, list_only, fmt, progress, engine, scheduler,
            workers):
    """Run a system over documents and write its predictions (a submission for `wsw score`).

    INPUT is any mix of canonical document files (.json), JSONL files (one document per line),
    folders (searched recursively), corpus folders (documents/ and splits.json) and release
    folders (data/documents/*.parquet). Documents are read one at a time; the output holds one
    line (or Parquet row) per document in input order, and the same inputs and system give the
    same bytes. Every line is checked with `wsw score`'s submission checks before it is written,
    and the file appears only when every document was predicted.

    With --documents, each prediction is also written as a canonical document whose layers are
    the system's (status silver, producer the system's name and version): `wsw labelstudio push`
    sends such a folder as pre-annotations, so annotators correct instead of starting empty.

    A document whose text is withheld (null, as in a release) is skipped and reported; if no
    document has a text, nothing is written and the exit status is 1. Unknown systems, inputs
    without documents and outputs that cannot be written are one `wsw: error:` line (exit 2 or 1).

    Systems are installed packages that declare an entry point in the group
    `whosaidwhat.systems` (this package declares `rules` and `trained`).

    \b
    Examples:
      wsw predict --list
      wsw predict --system rules corpus/documents --out pred.jsonl
      wsw predict --system rules corpus --split validation --split test --out pred.parquet
      wsw predict --system trained --option model=eval/baselines/trained/model corpus --split test --out t.jsonl
      wsw predict --system rules releases/whosaidwhat-1.0.0 --out release-pred.jsonl
      wsw predict --system rules new-batch/ --out pre.jsonl --documents pre/   # then: wsw labelstudio push pre/
      wsw predict --system rules crawl/ --out pred.jsonl --engine dask --workers 2          # same bytes, 2 processes
      wsw predict --system rules /shared/crawl --out '/shared/silver/pred-*.jsonl' --scheduler tcp://10.0.0.5:8786

    With --engine dask the work is split by input shard (a JSONL file, 256 document files, a
    release row group) over a Dask cluster; the output is byte-identical to the local engine's.
    An --out pattern with one `*` (dask only) keeps one predictions file per input shard plus
    NAME-manifest.json, written only when every shard is done. Paths must be on storage every
    worker sees (a shared file system); INPUT, --out and --documents may be file:// URLs, while
    other URL schemes (s3://, gs://, https://) are refused: mount the storage and give its path.
    """
    choice = choose_engine(engine, scheduler, workers)
    if list_only:
        if system_name or inputs or out:
            fail("OPTION-INVALID", "--list takes no INPUT, --system or --out")
        _list(fmt)
        return
    inputs, out, documents_out = _check_call(choice, system_name, inputs, out, documents_out)
    from ..systems.registry import load_system

    system = load_system(system_name, _options(option_pairs))
    disable = (not sys.stderr.isatty()) if progress is None else not progress
    if not choice.local:
        from ..engine.predict import announce, predict_on_dask

        summary = predict_on_dask(choice, system, system_name, _options(option_pairs), inputs, splits, out,
                                  documents_out, not disable)
        _warn_withheld(summary.withheld)
        if fmt == "json":
            click.echo(json.dumps(summary.as_dict(), indent=1))
        else:
            announce(summary, out, summary.format)
        return
    summary = _predict_locally(system, inputs, splits, out, documents_out, disable)
    _warn_withheld(summary.withheld)
    if fmt == "json":
        click.echo(json.dumps(summary.as_dict(), indent=1))
    else:
        rate = summary.predicted / summary.seconds if summary.seconds > 0 else float("inf")
        click.echo(f"{summary.system} {summary.version}: {summary.predicted} document(s) predicted -> {out} "
                   f"({summary.format}, {rate:.0f} docs/s)", err=True)


def _check_call(choice, system_name, inputs, out, documents_out) -> tuple[tuple[Path, ...], Path, Path | None]:
    """The inputs, --out and --documents as local paths, once the call makes sense."""
    if not system_name:
        fail("PRED-ARGUMENT-MISSING", "--system is required (see `wsw predict --list` for the installed systems)")
    if out is None:
        fail("PRED-ARGUMENT-MISSING", "--out is required: the predictions file to write (.jsonl or .parquet)")
    if not inputs:
        fail("PRED-ARGUMENT-MISSING", "give at least one INPUT: a document file, JSONL file, folder, corpus or "
             "release folder")
    inputs = tuple(local_path(p) for p in inputs)
    out = local_path(out, "--out")
    documents_out = None if documents_out is None else local_path(documents_out, "--documents")
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        fail("PATH-MISSING", "no such file or folder", file=missing[0], found=", ".join(missing))
    if not choice.local and "*" in out.name:
        from ..engine.predict import check_pattern_out

        check_pattern_out(out)
    else:
        _check_out(out, inputs)
    if documents_out is not None and (documents_out.is_file() or (documents_out.is_dir() and any(documents_out.iterdir()))):
        fail("OUT-EXISTS", "--documents must be a new or empty folder", file=str(documents_out))
    return inputs, out, documents_out


def _predict_locally(system, inputs, splits, out: Path, documents_out: Path | None, disable: bool):
    from tqdm import tqdm

    from ..systems.inputs import iter_input_documents
    from ..systems.runner import predict_file

    with tqdm(unit="doc", desc=f"{system.name} {system.version}", disable=disable, file=sys.stderr) as bar:
        try:
            return predict_file(system, iter_input_documents(inputs, tuple(splits)), out, bar.update,
                                documents_out=documents_out)
        except OSError as exc:  # reading the inputs turns its own errors into ProblemError: this is the output
            fail("PRED-OUT-WRITE", "cannot be written; nothing was written", file=str(out),
                 found=exc.strerror or str(exc))
