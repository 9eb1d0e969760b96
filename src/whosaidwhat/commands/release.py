"""`wsw release` (build, verify, datasheet) and `wsw rehydrate`: thin commands over whosaidwhat.release."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from ..core.problems import fail
from ..core.resources import default_corpus_dir


@click.command(name="release")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Build the release of the corpus into this new folder.")
@click.option("--verify", "verify_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Re-check an existing release folder: checksums, Parquet schemas, row counts, card, Croissant "
                   "(mlcroissant reads a sample of every record set), every row.")
@click.option("--datasheet", type=click.Path(dir_okay=False, path_type=Path),
              help="Write DATASHEET.md for the corpus to this file (generated from dataset.json and the documents).")
@click.option("--check", is_flag=True, help="With --datasheet: write nothing, exit 1 if the file is not up to date.")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Corpus folder with documents/, splits.json and dataset.json.  [default: the bundled corpus/]")
@click.option("--metadata", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Dataset metadata file.  [default: CORPUS/dataset.json]")
@click.option("--version", "version", default=None, metavar="X.Y.Z",
              help="The version you mean to release; refused unless dataset.json's version (with its release notes) says the same.")
@click.option("--campaign", "campaign_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Annotation campaign folder whose decisions/ and corrections.json go into the `decisions` and "
                   "`corrections` configs.  [default: annotation/campaigns/corpus-X.Y/ beside the corpus folder, "
                   "for dataset version X.Y.Z, if it exists]")
@click.option("--force", is_flag=True, help="Replace an existing release folder at --out (only a release or an empty folder).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes building shards in parallel (the output is the same for any number).  [default: CPU count]")
@click.option("--quick", is_flag=True, help="With --verify or --out: skip the row-by-row checks of the Parquet files "
              "(checksums, schemas, counts, card and Croissant are still checked; --out still validates every source "
              "document). The fast path for large silver releases.")
def release(out, verify_dir, datasheet, check, corpus_dir, metadata, version, campaign_dir, force, workers, quick) -> None:
    """Build a versioned Hugging Face dataset release of the corpus, verify one, or write DATASHEET.md.

    A release folder holds data/<config>/<split>-NNNNN-of-MMMMM.parquet for the configs
    documents, entities, mentions, quotes, claims and producers, and, to study disagreement,
    annotations (every independent annotation in CORPUS/annotations/<pass>/), decisions and
    corrections (the adjudication's decision log, from the campaign folder); README.md (the
    dataset card); croissant.json; release.json; SHA256SUMS. Texts that may not be redistributed
    are withheld (see `wsw rehydrate`). --out may not overlap the corpus or any other input; it is
    locked while a build runs (a second run on it is refused), and a run finishes an install that
    a kill interrupted and removes the build folders killed runs left behind. The build is written beside DIR and moved into place only once it
    passes every check of --verify, row by row, including mlcroissant reading every record set
    of a sample through croissant.json: a release that is installed verifies. The card reports
    the agreement of the passes in CORPUS/annotations/ and the results in eval/baselines/.

    \b
    Examples:
      wsw release --out releases/whosaidwhat-0.1.0
      wsw release --verify releases/whosaidwhat-0.1.0
      wsw release --verify releases/whosaidwhat-0.1.0 --quick   # all but the row-by-row checks
      wsw release --datasheet DATASHEET.md            # regenerate the datasheet
      wsw release --datasheet DATASHEET.md --check    # CI: is it up to date?
    """
    modes = [name for name, value in (("--out", out), ("--verify", verify_dir), ("--datasheet", datasheet)) if value]
    if len(modes) != 1:
        fail("OPTION-INVALID", "give exactly one of --out DIR, --verify DIR or --datasheet FILE",
             found=", ".join(modes) or "none", expected="one of them")
    for option, value, goes_with in (("--check", check, datasheet), ("--quick", quick, verify_dir or out),
                                     ("--workers", workers, out), ("--campaign", campaign_dir, out)):
        if value and not goes_with:
            fail("OPTION-INVALID", f"{option} goes with " + {"--check": "--datasheet", "--quick": "--verify or --out"}
                 .get(option, "--out"), found=option)
    corpus = corpus_dir or default_corpus_dir()
    if verify_dir:
        _verify(verify_dir, quick)
    elif datasheet:
        _datasheet(datasheet, corpus, metadata, check)
    else:
        _build(corpus, out, metadata, version, force, workers, quick, campaign_dir)


def _build(corpus: Path, out: Path, metadata, version, force, workers, quick: bool = False, campaign=None) -> None:
    from ..release.build import build_release

    if not corpus.is_dir():
        fail("PATH-MISSING", "--corpus: no such folder", file=str(corpus), expected="a corpus folder")
    try:
        str(Path(out).absolute()).encode("utf-8")
    except UnicodeEncodeError:  # an undecodable byte in the name: pyarrow cannot name files there
        fail("OPTION-INVALID", "--out: the folder's path is not valid UTF-8; Parquet files cannot be written there",
             file=str(out), expected="a path in UTF-8")
    manifest = build_release(corpus, out, metadata_path=metadata, version=version, force=force, workers=workers,
                             check_rows=not quick, campaign_dir=campaign)
    docs = manifest["configs"]["documents"]
    counts = ", ".join(f"{split} {docs[split]['num_rows']:,}" for split in docs)
    withheld = manifest["summary"]["withheld"]
    click.echo(f"{out}: {manifest['name']} {manifest['version']}: {manifest['corpus']['documents']:,} documents "
               f"({counts}); {len(withheld)} with text withheld; "
               f"{'verified except row by row (--quick)' if quick else 'verified row by row'}. "
               f"Check it any time with `wsw release --verify {out}`.", err=True)
    _note_missing_url(manifest["dataset"], metadata or corpus / "dataset.json")


def _note_missing_url(meta: dict, where) -> None:
    """Croissant 1.0 requires the dataset's `url`, and the card states the repository: say when neither is known."""
    from ..release.croissant import CARD_URL, dataset_url

    if not dataset_url(meta):
        click.echo(f"note: {where} gives neither `homepage` nor `repository`, so croissant.json's `url` (which "
                   f"Croissant 1.0 requires) is the release's own card ({CARD_URL}) and the card says \"not yet "
                   "published\"; set one of them before publishing this release", err=True)


def _verify(root: Path, quick: bool) -> None:
    from ..release.verify import verify_release

    if not root.is_dir():
        fail("PATH-MISSING", "--verify: no such folder", file=str(root), expected="a release folder")
    problems = verify_release(root, deep=True, rows=not quick)
    for problem in problems:
        click.echo(problem.line())
    if problems:
        click.echo(f"FAILED: {root}: {len(problems)} problem(s)", err=True)
        click.get_current_context().exit(1)
    what = "checksums, schemas, counts, card, Croissant" + ("" if quick else " and every row")
    click.echo(f"OK: {root} verifies ({what})", err=True)
    from ..release.manifest import load_manifest

    manifest, _ = load_manifest(root)
    if manifest and isinstance(manifest.get("dataset"), dict):
        _note_missing_url(manifest["dataset"], root / "release.json")


def _datasheet(target: Path, corpus: Path, metadata, check: bool) -> None:
    from ..core.atomic import write_text
    from ..release.datasheet import datasheet_for_corpus

    if not check:
        from ..core.paths import overlap

        for what, source in (("the corpus folder", corpus), ("the dataset metadata", metadata)):
            relation = overlap(target, source) if source is not None else None
            if relation in ("is", "is inside"):
                fail("OUT-OVERLAPS-INPUT", f"--datasheet {relation} {what} {source}: writing it would destroy an input",
                     file=str(target), expected="a file outside the corpus folder, e.g. DATASHEET.md")
    text = datasheet_for_corpus(corpus, metadata)
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(), str(target), "generated", lineterm="", n=1))
            click.echo("\n".join(diff[:40]) + ("\n..." if len(diff) > 40 else ""))
            fail("REL-DATASHEET-STALE", f"not up to date with {corpus}; regenerate it with "
                 f"`wsw release --datasheet {target}`", file=str(target))
        click.echo(f"OK: {target} is up to date", err=True)
        return
    write_text(target, text)
    click.echo(f"wrote {target}", err=True)


@click.command(name="rehydrate")
@click.argument("release_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--texts", "sources", multiple=True, required=True, type=click.Path(exists=True, path_type=Path),
              help="Your copies (repeatable; files or folders): <id>.txt exact texts, canonical .json documents "
                   "(e.g. from `wsw ingest --stdout`), or the raw page the document was ingested from.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the rehydrated release (a new folder; --force replaces an earlier release there).")
@click.option("--force", is_flag=True, help="Replace an existing release folder at --out.")
def rehydrate(release_dir: Path, sources: tuple[Path, ...], out: Path, force: bool) -> None:
    """Restore the withheld texts of a release from your own copies of the articles.

    Each copy must reproduce the document exactly (its SHA-256 equals the release's
    text_sha256; a raw page is re-ingested and then checked); otherwise it is refused with
    the reason and nothing is written. The result is a new, verified release folder with the
    texts and every span's surface text filled in. Do not redistribute it.

    \b
    Examples:
      wsw rehydrate releases/whosaidwhat-0.1.0 --texts my-copies/ --out local/whosaidwhat-0.1.0-full
      wsw rehydrate releases/whosaidwhat-0.1.0 --texts kremlin-rejects-armenian-pm.txt --out local/full
    """
    from ..release.rehydrate import rehydrate_release

    restored = rehydrate_release(release_dir, list(sources), out, force=force)
    click.echo(f"{out}: restored {len(restored)} text(s): {', '.join(restored)}; verified. "
               "These texts may not be redistributed.", err=True)
