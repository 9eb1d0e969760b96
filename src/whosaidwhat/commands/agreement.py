"""`wsw agreement A B [C ...]`: inter-annotator agreement of independent annotations of the same documents."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..agreement import measure
from ..errors import UsageError
from ..jsonfile import read_json_object


def read_folder(folder: Path) -> dict[str, dict]:
    """The canonical documents of a folder, by id (strict JSON; a missing or empty folder is a usage error)."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of canonical documents (<id>.json)")
    docs: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        doc = read_json_object(path, "the document")
        doc_id = doc.get("id", path.stem)
        if doc_id in docs:
            raise UsageError(f"{path}: {doc_id}: $.id: a second document with this id in {folder}")
        docs[doc_id] = doc
    if not docs:
        raise UsageError(f"{folder}: no <id>.json documents")
    return docs


def _show(figure: dict) -> str:
    if figure["value"] is None:
        return "n/a"
    if figure["ci_low"] is None:
        return f"{figure['value']:.3f}"
    return f"{figure['value']:.3f} [{figure['ci_low']:.3f}, {figure['ci_high']:.3f}]"


def format_report(result: dict, markdown: bool) -> str:
    """Tables of the pairwise figures (with intervals), the mean over pairs and alpha across annotators."""
    lines: list[str] = []
    for pair in result["pairs"]:
        head = f"{pair['a']} vs {pair['b']}: {len(pair['documents'])} independent document(s)"
        if pair["excluded"]:
            head += f"; {len(pair['excluded'])} excluded as not independent: " + "; ".join(
                f"{d} ({why})" for d, why in sorted(pair["excluded"].items()))
        if pair["shared_preannotation"]:
            head += "; both were shown " + ", ".join(pair["shared_preannotation"])
        lines += ["", head]
        if not pair["documents"]:
            continue
        rows = [(name, _show(fig), str(fig["n"])) for name, fig in pair["figures"].items()]
        if markdown:
            lines += ["", "| measure | agreement [95% CI] | items |", "|---|---:|---:|"]
            lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        else:
            width = max(len(r[0]) for r in rows) + 2
            lines += [f"  {a:<{width}}{b:>26}{c:>8}" for a, b, c in rows]
    alpha = result["alpha"]
    lines += ["", "Krippendorff's alpha (nominal) across all annotators, on items aligned to the first folder:"]
    for label, record in alpha.items():
        value = "n/a" if record["value"] is None else f"{record['value']:.3f}"
        lines.append(f"  {label:<20}{value:>8}  ({record['units']} units)")
    return "\n".join(lines).lstrip("\n")


@click.command(name="agreement")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.option("--min-iou", type=float, default=0.5, show_default=True, help="Overlap needed to align quotes and claims.")
@click.option("--resamples", type=int, default=1000, show_default=True, help="Bootstrap resamples over documents (0: none).")
@click.option("--seed", type=int, default=12345, show_default=True, help="Seed of the bootstrap.")
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
    if len(folders) < 2:
        raise UsageError("give at least two folders of annotations")
    if not 0 < min_iou <= 1:
        raise UsageError(f"--min-iou must be in (0, 1], found {min_iou}")
    data = {str(f): read_folder(f) for f in folders}
    result = measure(data, min_iou=min_iou, resamples=resamples, seed=seed)
    if fmt == "json":
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        click.echo(format_report(result, markdown=fmt == "markdown"))
