"""Reading folders of annotations and printing agreement reports (terminal and Markdown tables)."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import UsageError, UserError
from ..core.jsonfile import parse_json_bytes
from ..validation import ERROR, Problem, validate_document


def _read(path: Path) -> tuple[object, Problem | None]:
    """(the parsed content of `path`, None), or (None, the Problem saying why it cannot be read): strict JSON."""
    where, hint = str(path), f"{path.stem} (from the file name)"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(where, hint, "$", "FILE-READ", f"cannot read the file: {exc.strerror or exc}")
    value, why = parse_json_bytes(data)
    if why is not None:
        rule = "FILE-ENCODING" if why.startswith("not UTF-8") else "JSON-SYNTAX"
        return None, Problem(where, hint, "$", rule, f"cannot read the document: {why}")
    return value, None


def read_folder(folder: Path) -> dict[str, dict]:
    """The canonical documents of a folder, by id; refused unless every one passes `wsw validate`.

    A missing or empty folder is a usage error. Every file must be strict JSON, named `<id>.json`
    (decision files and gold are found again by id), and free of validation errors: agreement and
    adjudication read offsets, references and layers as the schema and the rules define them, so
    one bad document refuses the run, with every problem of every document listed (file, document
    id, JSON path, rule).
    """
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of canonical documents (<id>.json)")
    docs: dict[str, dict] = {}
    problems: list[str] = []
    bad: set[Path] = set()
    paths = sorted(folder.glob("*.json"))
    for path in paths:
        doc, unreadable = _read(path)
        found = [unreadable] if unreadable is not None else [
            p for p in validate_document(doc, str(path)) if p.level == ERROR]
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        if isinstance(doc_id, str) and path.stem != doc_id:
            found.append(Problem(str(path), doc_id, "$.id", "FILE-NAME", "file name does not match the document id",
                                 path.name, f"{doc_id}.json"))
        if not found and doc_id in docs:  # (no error: the id is a string)
            found.append(Problem(str(path), doc_id, "$.id", "DOC-ID-DUPLICATE", "document id already used",
                                 f"also in {folder / (doc_id + '.json')}", "ids unique per folder"))
        if found or not isinstance(doc, dict) or not isinstance(doc_id, str):
            problems += [p.line() for p in found]
            bad.add(path)
            continue
        docs[doc_id] = doc
    if problems:
        raise UserError(f"{folder}: {len(problems)} problem(s) in {len(bad)} of {len(paths)} document(s); agreement "
                        "and adjudication read only documents that pass `wsw validate`, so nothing was done:\n  "
                        + "\n  ".join(problems))
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
