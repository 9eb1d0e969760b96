"""Decision files: one per document, human-editable JSON holding every conflict and the adjudicator's choices.

`make_decisions` writes what `find_conflicts` found, with the hashes of the two annotations so that
applying decisions to changed annotations is refused. `read_decisions` checks a (possibly hand-edited)
file strictly against the conflicts recomputed from the annotations it names, and `gold_document`
applies it and records the annotators and the adjudicator in the layers' provenance.
"""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from pathlib import Path

from ..core.document import LAYERS
from ..core.errors import UserError
from ..core.jsonfile import read_json_object
from .apply import apply_decisions
from .conflicts import Conflict, find_conflicts

FORMAT = "whosaidwhat-decisions/1"
GUIDE = ("For each conflict set 'decision' to one of its 'choices' (A: annotation A's version, B: annotation B's, "
         "keep/drop: an item only one annotator made) and say why in 'reason'; fill 'adjudicator' "
         "({kind, id, model, version}). Then run `wsw adjudicate --apply`.")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_decisions(a_path: Path, b_path: Path, a: dict, b: dict) -> dict:
    """The decision file of one document (every conflict undecided)."""
    if a.get("text_sha256") != b.get("text_sha256"):
        raise UserError(f"{b_path}: {b.get('id')}: $.text_sha256: annotation B is of another text than {a_path} "
                        f"(found {b.get('text_sha256')}, expected {a.get('text_sha256')})")
    from ..agreement.independence import dependence

    reason = dependence(a, b)
    if reason is not None:
        raise UserError(f"{b_path}: {a.get('id')}: $.provenance: annotations A ({a_path}) and B are not independent "
                        f"({reason}); adjudication needs two independent annotations")
    conflicts = find_conflicts(a, b)
    return {
        "format": FORMAT,
        "how": GUIDE,
        "doc_id": a["id"],
        "text_sha256": a["text_sha256"],
        "annotations": {"A": {"path": a_path.as_posix(), "sha256": file_sha256(a_path)},
                        "B": {"path": b_path.as_posix(), "sha256": file_sha256(b_path)}},
        "adjudicator": None,
        "summary": dict(sorted(Counter(c.kind for c in conflicts).items())),
        "conflicts": [c.as_dict() for c in conflicts],
    }


def _locate(path: Path, decision_file: Path) -> Path:
    """A recorded annotation path: as given (absolute, or relative to the working folder), else relative to a
    folder above the decision file (decision files record repository-relative paths)."""
    if path.is_absolute() or path.is_file():
        return path
    for base in Path(decision_file).resolve().parents:
        if (base / path).is_file():
            return base / path
    return path


def _side(decisions: dict, where: str, label: str) -> tuple[Path, dict]:
    record = (decisions.get("annotations") or {}).get(label)
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        raise UserError(f"{where}: $.annotations.{label}.path: expected the path of annotation {label}")
    path = _locate(Path(record["path"]), Path(where))
    if not path.is_file():
        raise UserError(f"{where}: $.annotations.{label}.path: {path} not found")
    if file_sha256(path) != record.get("sha256"):
        raise UserError(f"{where}: $.annotations.{label}.sha256: {path} changed since the decision file was made "
                        "(make the decision file again and re-decide)")
    return path, read_json_object(path, f"annotation {label}")


def read_decisions(path: Path) -> tuple[dict, dict, dict, list[Conflict]]:
    """(file, A, B, conflicts with decisions): every conflict of A vs B must be in the file, unchanged, and only those."""
    where = str(path)
    data = read_json_object(path, "the decision file")
    if data.get("format") != FORMAT:
        raise UserError(f"{where}: $.format: expected {FORMAT!r}, found {data.get('format')!r}")
    _, a = _side(data, where, "A")
    _, b = _side(data, where, "B")
    doc_id = data.get("doc_id")
    if a.get("id") != doc_id or b.get("id") != doc_id:
        raise UserError(f"{where}: $.doc_id: {doc_id!r} but the annotations are of {a.get('id')!r} and {b.get('id')!r}")
    expected = {c.id: c for c in find_conflicts(a, b)}
    listed = data.get("conflicts")
    if not isinstance(listed, list):
        raise UserError(f"{where}: {doc_id}: $.conflicts: expected a list")
    seen = set()
    for i, entry in enumerate(listed):
        if not isinstance(entry, dict) or entry.get("id") not in expected:
            found = entry.get("id") if isinstance(entry, dict) else entry
            raise UserError(f"{where}: {doc_id}: $.conflicts[{i}].id: no conflict {found!r} between these annotations "
                            f"(expected one of {', '.join(expected) or 'none'})")
        conflict = expected[entry["id"]]
        if (entry.get("kind"), entry.get("a"), entry.get("b")) != (conflict.kind, conflict.a, conflict.b):
            raise UserError(f"{where}: {doc_id}: $.conflicts[{i}]: {conflict.id} is {conflict.kind} of A {conflict.a} / "
                            f"B {conflict.b}, the file says {entry.get('kind')} of {entry.get('a')} / {entry.get('b')}")
        if entry["id"] in seen:
            raise UserError(f"{where}: {doc_id}: $.conflicts[{i}].id: {entry['id']} is listed twice")
        seen.add(entry["id"])
        conflict.decision, conflict.reason = entry.get("decision"), entry.get("reason")
        by = entry.get("decided_by")
        if by is not None and not isinstance(by, str):
            raise UserError(f"{where}: {doc_id}: $.conflicts[{i}].decided_by: expected an adjudicator id, found {by!r}")
        conflict.decided_by = by
    missing = sorted(set(expected) - seen)
    if missing:
        raise UserError(f"{where}: {doc_id}: $.conflicts: conflict(s) {', '.join(missing)} missing from the file")
    for i, conflict in enumerate(expected.values()):
        if conflict.decision not in conflict.choices:
            raise UserError(f"{where}: {doc_id}: $.conflicts[{i}].decision: {conflict.id} ({conflict.kind}) is undecided "
                            f"or not a choice: found {conflict.decision!r}, expected one of {'/'.join(conflict.choices)}")
    if expected and not isinstance(data.get("adjudicator"), dict):
        raise UserError(f"{where}: {doc_id}: $.adjudicator: expected {{kind, id, model, version}} of who decided")
    return data, a, b, list(expected.values())


def decided_at(data: dict, a: dict, b: dict) -> str | None:
    """When the decisions were made: the adjudicator's `decided` time, else the later annotation's last update.

    Derived from the files alone, so applying the same decisions again gives the same bytes.
    """
    adjudicator = data.get("adjudicator")
    if isinstance(adjudicator, dict) and isinstance(adjudicator.get("decided"), str):
        return adjudicator["decided"]
    times = [side["provenance"]["layers"][layer].get("updated") for side in (a, b) for layer in LAYERS]
    return max((t for t in times if isinstance(t, str)), default=None)


def gold_document(data: dict, a: dict, b: dict, conflicts: list[Conflict], updated: str | None = None) -> dict:
    """The adjudicated document: A with the decisions applied; its layers gold, naming annotators and adjudicator."""
    updated = updated or decided_at(data, a, b)
    gold = apply_decisions(a, b, conflicts)
    adjudicator = data.get("adjudicator")
    counts = Counter(f"{c.kind}->{c.decision}" for c in conflicts)
    for layer in LAYERS:
        producers = []
        for side in (a, b):
            for producer in side["provenance"]["layers"][layer].get("producers") or []:
                if producer not in producers:
                    producers.append(dict(producer))
        if adjudicator:
            producers.append({"kind": adjudicator.get("kind") or "agent", "id": adjudicator.get("id"),
                              "version": adjudicator.get("version"), "role": "adjudicated",
                              "model": adjudicator.get("model"),
                              "shown": ["text", "annotation/GUIDELINES.md", "both annotations (decision file)"]})
        else:
            producers.append({"kind": "rule", "id": "wsw-adjudicate", "version": None,
                              "role": "adjudicated (no conflicts: every item agreed)"})
        for other in sorted({c.decided_by for c in conflicts if c.decided_by} - {(adjudicator or {}).get("id")}):
            producers.append({"kind": "agent", "id": other, "version": None,
                              "role": "adjudicated (the conflicts marked decided_by)",
                              "shown": ["text", "annotation/GUIDELINES.md", "both annotations (decision file)"]})
        record = gold["provenance"]["layers"][layer]
        record.update(status="gold", producers=producers, updated=updated)
        history = [f"{label} ({side['provenance']['layers'][layer]['producers'][0]['id']}): {line}"
                   for label, side in (("A", a), ("B", b))
                   for line in side["provenance"]["layers"][layer].get("changes") or []]
        record["changes"] = [f"adjudicated: {len(conflicts)} conflict(s) between A ({a['provenance']['layers'][layer]['producers'][0]['id']}) "
                             f"and B ({b['provenance']['layers'][layer]['producers'][0]['id']}); agreed items accepted",
                             *history,
                             *[f"decision: {c.id} {c.kind} A={c.a} B={c.b} -> {c.decision}" + (f" ({c.reason})" if c.reason else "")
                               + (f" [by {c.decided_by}]" if c.decided_by else "") for c in conflicts],
                             *([f"decisions: {dict(sorted(counts.items()))}"] if counts else [])]
    return gold


def accept_single(doc: dict, updated: str | None = None) -> dict:
    """A document annotated by one annotator only, as gold: its layers unchanged, the status and the reason recorded."""
    gold = copy.deepcopy(doc)
    for layer in LAYERS:
        record = gold["provenance"]["layers"][layer]
        if record["status"] == "absent":
            continue
        record["status"] = "gold"
        record["updated"] = updated or record.get("updated")
        line = "accepted: single annotation as gold (no second annotator for this document; not adjudicated)"
        if line not in record.get("changes", []):
            record["changes"] = [*record.get("changes", []), line]
    return gold


def _key(conflict: dict) -> str:
    import json

    return json.dumps([conflict.get("kind"), conflict.get("a"), conflict.get("b"), conflict.get("versions")],
                      sort_keys=True, ensure_ascii=False)


def carry_decisions(previous: dict, fresh: dict) -> tuple[int, list[str]]:
    """Copy into `fresh` the decisions of `previous` whose conflict is unchanged (same kind, items and versions).

    Returns how many were carried and one line per decided conflict that no longer exists. The adjudicator
    record is kept; a conflict decided by someone else than the file's adjudicator keeps its `decided_by`.
    """
    old = {_key(c): c for c in previous.get("conflicts") or [] if isinstance(c, dict)}
    carried = 0
    for conflict in fresh["conflicts"]:
        before = old.pop(_key(conflict), None)
        if before is not None and before.get("decision") is not None:
            conflict["decision"], conflict["reason"] = before.get("decision"), before.get("reason")
            if before.get("decided_by"):
                conflict["decided_by"] = before["decided_by"]
            carried += 1
    if isinstance(previous.get("adjudicator"), dict):
        fresh["adjudicator"] = previous["adjudicator"]
    lost = [f"{c.get('id')} {c.get('kind')} A={c.get('a')} B={c.get('b')} -> {c.get('decision')}"
            for c in old.values() if c.get("decision") is not None]
    return carried, lost
