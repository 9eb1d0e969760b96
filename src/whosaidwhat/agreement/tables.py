"""Reading folders of annotations and printing agreement reports (terminal and Markdown tables)."""

from __future__ import annotations

from pathlib import Path

from ..core.inventory import load_inventory
from ..core.jsonfile import load_json
from ..core.problems import Problem, ProblemError, fail


def _read(path: Path) -> tuple[object, Problem | None]:
    """(the parsed content of `path`, None), or (None, the Problem saying why it cannot be read): strict JSON."""
    return load_json(path, doc_id=f"{path.stem} (from the file name)")


def as_problem(problem: object) -> Problem:
    """A problem of the document validator as a core `Problem` (the validator's own class is one already, or has
    the same fields)."""
    if isinstance(problem, Problem):
        return problem
    get = lambda name: getattr(problem, name, None)  # noqa: E731
    return Problem(str(get("rule")), str(get("message")), file=get("file"), doc_id=get("doc_id"), path=get("path"),
                   found=get("found"), expected=get("expected"))


def _is_error(problem: object) -> bool:
    flag = getattr(problem, "is_error", None)
    return bool(flag) if isinstance(flag, bool) else getattr(problem, "level", "error") == "error"


def _document_problems(path: Path, doc: object, docs: dict[str, dict], folder: Path, inventory) -> list[Problem]:
    """Errors of one document of a folder: the document rules, its file name, an id used twice."""
    from ..validation import validate_document

    found = [as_problem(p) for p in validate_document(doc, str(path), inventory) if _is_error(p)]
    doc_id = doc.get("id") if isinstance(doc, dict) else None
    if isinstance(doc_id, str) and path.stem != doc_id:
        found.append(Problem("FILE-NAME", "file name does not match the document id", file=str(path), doc_id=doc_id,
                             path="$.id", found=path.name, expected=f"{doc_id}.json"))
    if not found and isinstance(doc_id, str) and doc_id in docs:
        found.append(Problem("DOC-ID-DUPLICATE", "document id already used", file=str(path), doc_id=doc_id, path="$.id",
                             found=f"also in {folder / (doc_id + '.json')}", expected="ids unique per folder"))
    return found


def read_folder(folder: Path) -> dict[str, dict]:
    """The canonical documents of a folder, by id; refused unless every one passes `wsw validate`.

    A missing or empty folder is a usage error (PATH-MISSING, AGREE-FOLDER-EMPTY). Every file must
    be strict JSON, named `<id>.json` (decision files and gold are found again by id), and free of
    validation errors: agreement and adjudication read offsets, references and layers as the
    schema and the rules define them, so one bad document refuses the run, with every problem of
    every document listed (a ProblemError: file, document id, JSON path, rule).
    """
    if not folder.is_dir():
        fail("PATH-MISSING", "not a folder of canonical documents (<id>.json)", file=str(folder))
    docs: dict[str, dict] = {}
    problems: list[Problem] = []
    inventory = load_inventory()
    for path in sorted(folder.glob("*.json")):
        doc, unreadable = _read(path)
        found = [unreadable] if unreadable is not None else _document_problems(path, doc, docs, folder, inventory)
        if found:
            problems += found
        elif isinstance(doc, dict):
            docs[doc["id"]] = doc
    if problems:
        raise ProblemError(problems)
    if not docs:
        fail("AGREE-FOLDER-EMPTY", "no <id>.json documents", file=str(folder))
    return docs


def _show(figure: dict) -> str:
    if figure["value"] is None:
        return "n/a"
    if figure["ci_low"] is None:
        return f"{figure['value']:.3f}"
    return f"{figure['value']:.3f} [{figure['ci_low']:.3f}, {figure['ci_high']:.3f}]"


def _pair_head(pair: dict, followed: dict) -> str:
    """The heading of one pair: documents compared, documents excluded and why, what both were shown, guidelines."""
    head = f"{pair['a']} vs {pair['b']}: {len(pair['documents'])} independent document(s)"
    versions = [", ".join(followed.get(pair[side]) or []) or "?" for side in ("a", "b")]
    if followed and versions[0] != versions[1]:
        head += f" (annotated under guidelines {versions[0]} and {versions[1]}: differences in the guidelines count as disagreement)"
    if pair["excluded"]:
        head += f"; {len(pair['excluded'])} excluded as not independent: " + "; ".join(
            f"{d} ({why})" for d, why in sorted(pair["excluded"].items()))
    if pair["shared_preannotation"]:
        head += "; both were shown " + ", ".join(pair["shared_preannotation"])
    return head


def _pair_rows(pair: dict, markdown: bool) -> list[str]:
    rows = [(name, _show(fig), str(fig["n"])) for name, fig in pair["figures"].items()]
    if markdown:
        return ["", "| measure | agreement [95% CI] | items |", "|---|---:|---:|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    width = max(len(r[0]) for r in rows) + 2
    return [f"  {a:<{width}}{b:>26}{c:>8}" for a, b, c in rows]


def format_report(result: dict, markdown: bool) -> str:
    """Tables of the pairwise figures (with intervals), the mean over pairs and alpha across annotators."""
    lines: list[str] = []
    followed = result.get("guidelines") or {}
    for pair in result["pairs"]:
        if not pair["documents"] and not pair["excluded"]:
            continue  # the two folders have no document in common: nothing to report
        lines += ["", _pair_head(pair, followed)]
        if pair["documents"]:
            lines += _pair_rows(pair, markdown)
    alpha = result["alpha"]
    lines += ["", "Krippendorff's alpha (nominal) across all annotators, on items aligned to the first folder:", ""]
    if markdown:
        lines += ["| label | alpha | units |", "|---|---:|---:|"]
    for label, record in alpha.items():
        value = "n/a" if record["value"] is None else f"{record['value']:.3f}"
        lines.append(f"| {label} | {value} | {record['units']} |" if markdown
                     else f"  {label:<20}{value:>8}  ({record['units']} units)")
    return "\n".join(lines).lstrip("\n")
