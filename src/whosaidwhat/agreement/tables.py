"""Reading folders of annotations and printing agreement reports (terminal and Markdown tables)."""

from __future__ import annotations

from pathlib import Path

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
    lines += ["", "Krippendorff's alpha (nominal) across all annotators, on items aligned to the first folder:", ""]
    if markdown:
        lines += ["| label | alpha | units |", "|---|---:|---:|"]
    for label, record in alpha.items():
        value = "n/a" if record["value"] is None else f"{record['value']:.3f}"
        lines.append(f"| {label} | {value} | {record['units']} |" if markdown
                     else f"  {label:<20}{value:>8}  ({record['units']} units)")
    return "\n".join(lines).lstrip("\n")
