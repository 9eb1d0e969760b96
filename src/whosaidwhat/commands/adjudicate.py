"""`wsw adjudicate A B --out DECISIONS` and `wsw adjudicate --apply DECISIONS --out GOLD`.

The first writes one decision file per document both folders hold (every conflict undecided,
both versions side by side with their text); the second reads decided files, checks each against
the annotations it names, and writes valid gold. Every file is checked before anything is written.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import click

from ..adjudication.decisions import accept_single, carry_decisions, gold_document, make_decisions, read_decisions
from ..adjudication.report import as_problem, refusal
from ..agreement.tables import read_folder
from ..core.atomic import write_text
from ..core.document import dumps
from ..core.jsonfile import read_json_object
from ..core.paths import overlap
from ..core.problems import ERROR, Problem, ProblemError, fail
from ..validation import validate_document


def _inside(path: Path, folder: Path) -> bool:
    return overlap(path, folder) in ("is", "is inside")


def _refuse_overlap(out: Path, folder: Path, what: str, both_ways: bool = True) -> None:
    """OUT-OVERLAPS-INPUT when --out is (or lies inside, or with `both_ways` holds) an input folder."""
    how = overlap(out, folder)
    if how in ("is", "is inside") or (both_ways and how == "holds"):
        fail("OUT-OVERLAPS-INPUT", f"--out {how} {what} {folder}; write to a folder of its own", file=str(out),
             found=f"--out {out}", expected="a folder apart from the inputs")


@click.command(name="adjudicate")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the decision files (or, with --apply, for the gold documents).")
@click.option("--apply", "apply_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of decided decision files: write the gold documents they give.")
@click.option("--accept-single", "single", is_flag=True,
              help="With one folder: its documents were annotated once; write them as gold, saying so in provenance.")
@click.option("--corrections", "corrections", type=click.Path(path_type=Path), multiple=True,
              help="A corrections file (consistency review after adjudication) applied to the documents written; "
                   "repeat it to apply several files in the order given.")
@click.option("--updated", default=None,
              help="Timestamp recorded in the gold provenance [default: the adjudicator's 'decided' time in the decision "
                   "file, else the later annotation's; with --accept-single, the annotation's own].")
def adjudicate(folders: tuple[Path, ...], out: Path, apply_dir: Path | None, single: bool, corrections: tuple[Path, ...],
               updated: str | None) -> None:
    """Turn two independent annotations into gold: write decision files, then apply the decisions.

    With two folders A and B: for every document both hold, items both annotators made identically
    are accepted, and every disagreement (mention boundary, kind, coreference link, entity type, a
    mention, quote or claim only one made, quote boundary, cue, type, speaker, claim boundary,
    claimant, check-worthiness, claim-quote link) becomes a conflict in DECISIONS/<doc_id>.json,
    with both versions and their context. The adjudicator sets each 'decision' (A, B, keep or drop)
    and a 'reason', and fills 'adjudicator' (with the 'guidelines_version' followed, which the gold
    layers then record). With --apply, the decided files become gold documents
    (A with the decisions applied) whose provenance names both annotators and the adjudicator.

    \b
    Examples:
      wsw adjudicate corpus/annotations/pass-a corpus/annotations/pass-b --out annotation/decisions
      wsw adjudicate --apply annotation/decisions --out corpus/documents
      wsw adjudicate --accept-single corpus/annotations/pass-a --out corpus/documents
      wsw adjudicate --apply decisions/ --out corpus/documents --corrections corrections.json
      wsw adjudicate corpus/documents --corrections corrections.json --out corpus/documents
    """
    if single:
        _single(folders, out, apply_dir, updated, corrections)
    elif corrections and apply_dir is None and len(folders) == 1:
        _corrections_only(folders[0], out, corrections)
    elif apply_dir is not None:
        if folders:
            fail("OPTION-INVALID", "--apply takes the decision folder only; give no annotation folders",
                 found=" ".join(map(str, folders)), expected="no folders with --apply")
        _apply(apply_dir, out, updated, corrections)
    else:
        _make(folders, out)


def _single(folders: tuple[Path, ...], out: Path, apply_dir: Path | None, updated: str | None,
            corrections: tuple[Path, ...]) -> None:
    if len(folders) != 1 or apply_dir is not None:
        fail("ADJ-FOLDERS", "--accept-single takes exactly one annotation folder (and no --apply)",
             found=f"{len(folders)} folder(s)", expected="1 folder")
    _refuse_overlap(out, folders[0], "the annotation folder")
    docs = read_folder(folders[0])
    golds = _corrected([accept_single(doc, updated) for doc in docs.values()], corrections)
    problems = [Problem("ADJ-OVER-GOLD", "already gold from adjudication; a single annotation does not replace it",
                        file=str(out / f"{g['id']}.json"), doc_id=g["id"])
                for g in golds if _adjudicated(out / f"{g['id']}.json")]
    problems += [as_problem(p, doc_id=g["id"]) for g in golds for p in validate_document(g, g["id"]) if p.level == ERROR]
    if problems:
        raise refusal(f"{len(problems)} problem(s); nothing was written", problems)
    for gold in golds:
        write_text(out / f"{gold['id']}.json", dumps(gold))
    click.echo(f"wrote {len(golds)} singly annotated document(s) as gold to {out}", err=True)


def _corrections_only(folder: Path, out: Path, corrections: tuple[Path, ...]) -> None:
    """Apply corrections files to the documents of one folder they name (in place when --out is that folder).

    Every corrected document must still pass `wsw validate`; otherwise nothing is written.
    """
    from ..adjudication.corrections import read_corrections

    docs = read_folder(folder)
    wanted = set().union(*(read_corrections(path)[1] for path in corrections))
    missing = sorted(wanted - set(docs))
    golds = _corrected([doc for doc_id, doc in docs.items() if doc_id in wanted], corrections)
    problems = [as_problem(p, doc_id=g["id"]) for g in golds for p in validate_document(g, g["id"]) if p.level == ERROR]
    if problems:
        raise refusal(f"{len(problems)} problem(s) after the corrections; nothing was written", problems)
    for gold in golds:
        write_text(out / f"{gold['id']}.json", dumps(gold))
    click.echo(f"applied corrections to {len(golds)} document(s) in {out}"
               + (f"; not in {folder}: {', '.join(missing)}" if missing else ""), err=True)


def _make(folders: tuple[Path, ...], out: Path) -> None:
    """Decision files for every document both annotation folders hold, keeping decisions already made."""
    if len(folders) != 2:
        fail("ADJ-FOLDERS", "give exactly two annotation folders, A (the base) and B (adjudicating three or more "
             "annotations at once is not supported yet)", found=f"{len(folders)} folder(s)", expected="2 folders")
    a_dir, b_dir = folders
    for folder in folders:
        _refuse_overlap(out, folder, "the annotation folder", both_ways=False)
    a_docs, b_docs = read_folder(a_dir), read_folder(b_dir)
    shared = sorted(set(a_docs) & set(b_docs))
    if not shared:
        fail("ADJ-NO-SHARED", f"{a_dir} and {b_dir} share no document id", file=str(b_dir),
             expected=f"documents of the same ids as in {a_dir}")
    files = {doc_id: make_decisions(a_dir / f"{doc_id}.json", b_dir / f"{doc_id}.json", a_docs[doc_id], b_docs[doc_id])
             for doc_id in shared}
    carried, dropped = _carry(files, out)
    for doc_id, data in files.items():
        write_text(out / f"{doc_id}.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    click.echo(_summary(files, out, carried, dropped), err=True)


def _carry(files: dict[str, dict], out: Path) -> tuple[int, int]:
    """Carry the decisions of existing decision files into the fresh ones: (carried, no longer applicable)."""
    carried = dropped = 0
    for doc_id, data in files.items():
        previous = out / f"{doc_id}.json"
        if previous.is_file():  # never lose decisions: carry those whose conflict is still the same
            kept, lost = carry_decisions(read_json_object(previous, "the existing decision file"), data)
            carried, dropped = carried + kept, dropped + len(lost)
            for line in lost:
                click.echo(f"{previous}: {doc_id}: decision no longer applies, not carried: {line}", err=True)
    return carried, dropped


def _summary(files: dict[str, dict], out: Path, carried: int, dropped: int) -> str:
    kinds = Counter(k for data in files.values() for k, n in data["summary"].items() for _ in range(n))
    open_ = sum(1 for data in files.values() for c in data["conflicts"] if c["decision"] is None)
    return (f"{len(files)} decision file(s) in {out}: {sum(kinds.values())} conflict(s), {open_} to decide"
            f"{f', {carried} decision(s) carried over from the existing files' if carried else ''}"
            f"{f', {dropped} no longer applicable' if dropped else ''} "
            f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items())) or 'none'})")


def _adjudicated(path: Path) -> bool:
    """True when an existing document's layers were adjudicated (a second annotation was decided into it)."""
    if not path.is_file():
        return False
    doc = read_json_object(path, "the existing document")
    layers = (doc.get("provenance") or {}).get("layers") or {}
    return any(str(p.get("role") or "").startswith("adjudicated") for record in layers.values() if isinstance(record, dict)
               for p in record.get("producers") or [] if isinstance(p, dict))


def _corrected(golds: list[dict], corrections: tuple[Path, ...]) -> list[dict]:
    """The documents with each corrections file's entries for them applied, file after file (other documents wait)."""
    from ..adjudication.corrections import apply_corrections, read_corrections

    for path in corrections:
        data, per_doc = read_corrections(path)
        version = str(data.get("guidelines_version") or "1.2")
        golds = [apply_corrections(g, per_doc.get(g["id"], []), data["by"], str(path), version) for g in golds]
    return golds


def _gold_of(path: Path, out: Path, updated: str | None) -> tuple[dict | None, list[Problem]]:
    """The gold one decision file gives, or the problems (each naming the decision file)."""
    try:
        data, a, b, conflicts = read_decisions(path)
        for side in ("A", "B"):
            source = Path(data["annotations"][side]["path"]).parent
            if _inside(out, source):
                fail("OUT-OVERLAPS-INPUT", f"--out is the folder of annotation {side} this file names; gold goes to a "
                     "folder of its own", file=str(path), found=f"--out {out}", expected="a folder apart from the inputs")
        gold = gold_document(data, a, b, conflicts, updated)
    except ProblemError as exc:
        return None, [p if p.file else dataclasses.replace(p, file=str(path)) for p in exc.problems]
    errors = [as_problem(p, file=str(path), prefix="the gold does not validate: ")
              for p in validate_document(gold, str(path)) if p.level == ERROR]
    return (None if errors else gold), errors


def _apply(decision_dir: Path, out: Path, updated: str | None, corrections: tuple[Path, ...] = ()) -> None:
    paths = sorted(decision_dir.glob("*.json")) if decision_dir.is_dir() else []
    if not paths:
        fail("ADJ-NO-DECISIONS", "no decision files (*.json)", file=str(decision_dir), expected="a folder of decision files")
    _refuse_overlap(out, decision_dir, "the decision folder")
    golds, problems = [], []
    for path in paths:
        gold, found = _gold_of(path, out, updated)
        problems += found
        if gold is not None:
            golds.append(gold)
    if problems:
        raise refusal(f"{len(problems)} problem(s); nothing was written", problems)
    golds = _corrected(golds, corrections)
    for gold in golds:
        write_text(out / f"{gold['id']}.json", dumps(gold))
    click.echo(f"wrote {len(golds)} gold document(s) to {out}", err=True)
