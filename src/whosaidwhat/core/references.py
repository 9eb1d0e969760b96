"""The one rule for attribution references (speakers and claimants), shared by the document
validator and the submission checker so that gold and predictions obey the same definition.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, NamedTuple


class ReferenceProblem(NamedTuple):
    """What is wrong with one attribution: which field, shape or dangling, and found vs expected."""

    field: str
    problem: Literal["shape", "dangling"]
    message: str
    found: object
    expected: str


def attribution_problems(value: dict[str, Any], role: str, mention_ids: set[str], entity_ids: set[str]) -> Iterator[ReferenceProblem]:
    """Problems of an attribution whose `kind` is already known to be allowed for `role`.

    Kind `mention` names only a mention (its entity comes from the mention), kind `entity` names
    only an entity, and `outlet`/`unknown` name neither; a named id must exist.
    """
    kind = value.get("kind")
    targets = {"mention": (mention_ids, "$.mentions"), "entity": (entity_ids, "$.entities")}
    if kind not in targets:
        for field in targets:
            if value.get(field) is not None:
                yield ReferenceProblem(field, "shape", f"{role} of kind {kind} names no {field}", value[field], "null or absent")
        return
    other = "entity" if kind == "mention" else "mention"
    article = "an" if kind == "entity" else "a"
    ref = value.get(kind)
    ids, where = targets[kind]
    if ref is None:
        yield ReferenceProblem(kind, "shape", f"{role} of kind {kind} needs {article} {kind} id", None, f"{article} {kind} id")
    elif value.get(other) is not None:
        why = "takes its entity from the mention" if kind == "mention" else "must not name a mention (use kind mention)"
        yield ReferenceProblem(other, "shape", f"{role} of kind {kind} {why}", value[other], "null or absent")
    elif ref not in ids:
        yield ReferenceProblem(kind, "dangling", f"{role} points to {article} {kind} that does not exist", ref, f"an id in {where}")
