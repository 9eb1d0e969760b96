"""The system interface: what `wsw predict` runs and what a third-party package provides.

A *system* is a small object with a `name`, a `version`, a `kind` (rules, trained or zero-shot)
and `predict(document) -> submission line`: it reads one canonical document (a dict as in
schema/document.schema.json, with a non-null `text`) and returns that document's predictions in
the format of schema/submission.schema.json (`id`, optional `text_sha256`, `entities`,
`mentions`, `quotes`, `claims`). A system must not mutate the document, and the same document
must always give the same line (so that predictions are reproducible byte for byte).

Systems are registered as entry points of the group `whosaidwhat.systems`: the entry point's
name is the system name and its object a *factory*, a callable that returns the system when
called with the options the user gave (`wsw predict --option key=value`), usually the class:

    [project.entry-points."whosaidwhat.systems"]
    my-ner = "my_package.system:MySystem"
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

#: what `kind` may say (a system card records it)
SYSTEM_KINDS = ("rules", "trained", "zero-shot")


@runtime_checkable
class System(Protocol):
    """What `wsw predict` needs from a system."""

    name: str
    version: str
    kind: str

    def predict(self, document: dict) -> dict:
        """The submission line of one canonical document whose text is not null."""


class BaseSystem:
    """Convenience base class: a system card from class attributes, and the id/hash of a line."""

    name = "unnamed"
    version = "0.0.0"
    kind = "rules"
    #: one line for `wsw predict --list`
    description = ""
    license = "Apache-2.0"

    def predict(self, document: dict) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def card(self) -> dict:
        """Facts for the system card (eval/baselines/<name>/card.json); subclasses add their training data."""
        return {"name": self.name, "version": self.version, "kind": self.kind, "description": self.description,
                "license": self.license}


def empty_line(document: dict) -> dict:
    """A submission line predicting nothing for `document` (the start of every line)."""
    from ..core.document import text_sha256

    return {"id": document["id"], "text_sha256": text_sha256(document["text"]),
            "entities": [], "mentions": [], "quotes": [], "claims": []}
