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
from ..core.jsonfile import read_json_object
from ..core.problems import ProblemError, fail
from .apply import apply_decisions
from .conflicts import Conflict, find_conflicts
from .report import case_problems

FORMAT = "whosaidwhat-decisions/1"
GUIDE = ("For each conflict set 'decision' to one of its 'choices' (A: annotation A's version, B: annotation B's, "
         "keep/drop: an item only one annotator made) and say why in 'reason'; fill 'adjudicator' "
         "({kind, id, model, version, guidelines_version, decided}). Then run `wsw adjudicate --apply`.")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _producer_ids(doc: dict) -> list[str]:
    layers = (doc.get("provenance") or {}).get("layers") or {}
    return [p["id"] for record in layers.values() if isinstance(record, dict)
            for p in record.get("producers") or [] if isinstance(p, dict) and isinstance(p.get("id"), str)]


def make_decisions(a_path: Path, b_path: Path, a: dict, b: dict) -> dict:
    """The decision file of one document (every conflict undecided)."""
    if a.get("text_sha256") != b.get("text_sha256"):
        fail("ADJ-TEXT-MISMATCH", f"annotation B is of another text than {a_path}", file=str(b_path), doc_id=b.get("id"),
             path="$.text_sha256", found=b.get("text_sha256"), expected=a.get("text_sha256"))
    from ..agreement.independence import dependence

    reason = dependence(a, b)
    if reason is not None:
        fail("ADJ-NOT-INDEPENDENT", f"annotations A ({a_path}) and B are not independent ({reason}); adjudication "
             "needs two independent annotations", file=str(b_path), doc_id=a.get("id"), path="$.provenance")
    clashes = case_problems(dict.fromkeys(_producer_ids(a) + _producer_ids(b)), f"annotations {a_path} and {b_path}",
                            file=str(b_path), doc_id=a.get("id"), path="$.provenance.layers")
    if clashes:
        raise ProblemError(clashes)
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
    annotations = decisions.get("annotations")
    record = annotations.get(label) if isinstance(annotations, dict) else None
    at = f"$.annotations.{label}"
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        fail("DECISION-FIELD", f"expected the path of annotation {label}", file=where, path=f"{at}.path",
             expected="a path (string)")
    path = _locate(Path(record["path"]), Path(where))
    if not path.is_file():
        fail("DECISION-ANNOTATION", f"annotation {label} not found", file=where, path=f"{at}.path", found=str(path))
    if file_sha256(path) != record.get("sha256"):
        fail("DECISION-ANNOTATION", f"{path} changed since the decision file was made (make the decision file again "
             "and re-decide)", file=where, path=f"{at}.sha256", found=file_sha256(path), expected=record.get("sha256"))
    return path, read_json_object(path, f"annotation {label}")


def _entry(entry: object, i: int, expected: dict[str, Conflict], seen: set[str], where: str, doc_id: object) -> None:
    """Check one listed conflict against the recomputed ones and copy its decision into them."""
    at = {"file": where, "doc_id": str(doc_id)}
    if not isinstance(entry, dict) or entry.get("id") not in expected:
        found = entry.get("id") if isinstance(entry, dict) else entry
        fail("DECISION-CONFLICT-UNKNOWN", "no such conflict between these annotations", **at,
             path=f"$.conflicts[{i}].id", found=repr(found), expected=f"one of {', '.join(expected) or 'none'}")
    conflict = expected[entry["id"]]
    if (entry.get("kind"), entry.get("a"), entry.get("b")) != (conflict.kind, conflict.a, conflict.b):
        fail("DECISION-CONFLICT-UNKNOWN", f"{conflict.id} is described differently", **at, path=f"$.conflicts[{i}]",
             found=f"{entry.get('kind')} of {entry.get('a')} / {entry.get('b')}",
             expected=f"{conflict.kind} of A {conflict.a} / B {conflict.b}")
    if entry["id"] in seen:
        fail("DECISION-CONFLICT-TWICE", f"{entry['id']} is listed twice", **at, path=f"$.conflicts[{i}].id")
    seen.add(entry["id"])
    by = entry.get("decided_by")
    if by is not None and not isinstance(by, str):
        fail("DECISION-FIELD", "expected an adjudicator id", **at, path=f"$.conflicts[{i}].decided_by", found=repr(by))
    conflict.decision, conflict.reason, conflict.decided_by = entry.get("decision"), entry.get("reason"), by


def _decided(expected: dict[str, Conflict], seen: set[str], data: dict, where: str, doc_id: object) -> None:
    """Every conflict listed and decided with one of its choices, and an adjudicator named."""
    at = {"file": where, "doc_id": str(doc_id)}
    missing = sorted(set(expected) - seen)
    if missing:
        fail("DECISION-CONFLICT-MISSING", f"conflict(s) {', '.join(missing)} missing from the file", **at,
             path="$.conflicts", found=", ".join(missing))
    for i, conflict in enumerate(expected.values()):
        if conflict.decision not in conflict.choices:
            fail("DECISION-UNDECIDED", f"{conflict.id} ({conflict.kind}) is undecided or not a choice", **at,
                 path=f"$.conflicts[{i}].decision", found=repr(conflict.decision),
                 expected="one of " + "/".join(conflict.choices))
    if expected and not isinstance(data.get("adjudicator"), dict):
        fail("DECISION-FIELD", "expected who decided", **at, path="$.adjudicator",
             found=type(data.get("adjudicator")).__name__, expected="{kind, id, model, version, guidelines_version, decided}")


def read_decisions(path: Path) -> tuple[dict, dict, dict, list[Conflict]]:
    """(file, A, B, conflicts with decisions): every conflict of A vs B must be in the file, unchanged, and only those."""
    where = str(path)
    data = read_json_object(path, "the decision file")
    if data.get("format") != FORMAT:
        fail("DECISION-FORMAT", "not a decision file", file=where, path="$.format", found=repr(data.get("format")),
             expected=repr(FORMAT))
    _, a = _side(data, where, "A")
    _, b = _side(data, where, "B")
    doc_id = data.get("doc_id")
    if a.get("id") != doc_id or b.get("id") != doc_id:
        fail("DECISION-ANNOTATION", "the annotations are of another document", file=where, path="$.doc_id",
             found=f"{a.get('id')!r} and {b.get('id')!r}", expected=repr(doc_id))
    expected = {c.id: c for c in find_conflicts(a, b)}
    listed = data.get("conflicts")
    if not isinstance(listed, list):
        fail("DECISION-FIELD", "expected a list of conflicts", file=where, doc_id=str(doc_id), path="$.conflicts",
             found=type(listed).__name__)
    seen: set[str] = set()
    for i, entry in enumerate(listed):
        _entry(entry, i, expected, seen, where, doc_id)
    _decided(expected, seen, data, where, doc_id)
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


def _followed(adjudicator: dict | None) -> str | None:
    """The guidelines version the adjudicator followed, when the decision file records it."""
    version = (adjudicator or {}).get("guidelines_version")
    return version if isinstance(version, str) and version else None


def _producers(layer: str, a: dict, b: dict, adjudicator: dict | None, conflicts: list[Conflict]) -> list[dict]:
    """Both annotators' producers, then the adjudicator (or the rule, when nothing was in conflict), then anyone
    who decided some conflicts (decided_by)."""
    version = _followed(adjudicator)
    shown = ["text", "annotation/GUIDELINES.md" + (f" {version}" if version else ""), "both annotations (decision file)"]
    producers: list[dict] = []
    for side in (a, b):
        for producer in side["provenance"]["layers"][layer].get("producers") or []:
            if producer not in producers:
                producers.append(dict(producer))
    if adjudicator:
        producers.append({"kind": adjudicator.get("kind") or "agent", "id": adjudicator.get("id"),
                          "version": adjudicator.get("version"), "role": "adjudicated",
                          "model": adjudicator.get("model"), "shown": list(shown)})
    else:
        producers.append({"kind": "rule", "id": "wsw-adjudicate", "version": None,
                          "role": "adjudicated (no conflicts: every item agreed)"})
    for other in sorted({c.decided_by for c in conflicts if c.decided_by} - {(adjudicator or {}).get("id")}):
        producers.append({"kind": "agent", "id": other, "version": None,
                          "role": "adjudicated (the conflicts marked decided_by)", "shown": list(shown)})
    return producers


def _changes(layer: str, a: dict, b: dict, conflicts: list[Conflict], counts: Counter) -> list[str]:
    """The change log of an adjudicated layer: the summary, both annotators' logs, every decision."""
    def first_id(side: dict) -> str:
        return side["provenance"]["layers"][layer]["producers"][0]["id"]

    history = [f"{label} ({first_id(side)}): {line}" for label, side in (("A", a), ("B", b))
               for line in side["provenance"]["layers"][layer].get("changes") or []]
    decisions = [f"decision: {c.id} {c.kind} A={c.a} B={c.b} -> {c.decision}" + (f" ({c.reason})" if c.reason else "")
                 + (f" [by {c.decided_by}]" if c.decided_by else "") for c in conflicts]
    return [f"adjudicated: {len(conflicts)} conflict(s) between A ({first_id(a)}) and B ({first_id(b)}); "
            "agreed items accepted", *history, *decisions, *([f"decisions: {dict(sorted(counts.items()))}"] if counts else [])]


def gold_document(data: dict, a: dict, b: dict, conflicts: list[Conflict], updated: str | None = None) -> dict:
    """The adjudicated document: A with the decisions applied; its layers gold, naming annotators and adjudicator."""
    updated = updated or decided_at(data, a, b)
    gold = apply_decisions(a, b, conflicts)
    adjudicator = data.get("adjudicator")
    counts = Counter(f"{c.kind}->{c.decision}" for c in conflicts)
    version = _followed(adjudicator)
    for layer in LAYERS:
        record = gold["provenance"]["layers"][layer]
        record.update(status="gold", producers=_producers(layer, a, b, adjudicator, conflicts), updated=updated)
        if version:  # the gold layer follows the guidelines its conflicts were decided under
            record["guidelines_version"] = version
        record["changes"] = _changes(layer, a, b, conflicts, counts)
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
