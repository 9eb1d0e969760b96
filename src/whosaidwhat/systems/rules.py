"""The `rules` baseline: no model, no downloads; a gazetteer built from the train split.

    >>> from whosaidwhat.systems.rules import RulesSystem
    >>> line = RulesSystem().predict(document)    # a canonical document dict with a text

Names: names.py; quotes: quotation_marks.py, direct.py, indirect.py, speakers.py; claims:
claims.py; assembly: pipeline.py. `wsw train --system rules` rebuilds the gazetteer.
"""

from __future__ import annotations

from pathlib import Path

from .base import BaseSystem
from .gazetteer import DEFAULT_PATH, build_from_corpus, load_gazetteer
from .names import find_names
from .pipeline import analyse, to_line


class RulesSystem(BaseSystem):
    """Rules: quotation marks and speech cues, capitalised names typed by a train gazetteer, clause claims."""

    name = "rules"
    version = "0.1.0"
    kind = "rules"
    description = "Rules: quotation marks and speech cues, capitalised names with a train-split gazetteer, clause claims"

    def __init__(self, gazetteer: str | Path | None = None):
        self.gazetteer_path = Path(gazetteer) if gazetteer else DEFAULT_PATH
        self.gazetteer = load_gazetteer(self.gazetteer_path)

    def predict(self, document: dict) -> dict:
        text = document["text"]
        return to_line(document, analyse(text, find_names(text, self.gazetteer)))

    def card(self) -> dict:
        import hashlib

        card = super().card()
        source = self.gazetteer.source
        card["training_data"] = {
            "what": "gazetteer of name strings and their types, and lower-case words, from the train split",
            "corpus": source.get("corpus"), "split": source.get("split"), "splits_version": source.get("splits_version"),
            "documents": len(source.get("documents", [])),
            "gazetteer": "src/whosaidwhat/systems/data/gazetteer.json",
            "gazetteer_sha256": hashlib.sha256(self.gazetteer_path.read_bytes()).hexdigest()
            if self.gazetteer_path.is_file() else None,
        }
        card["train_command"] = "wsw train --system rules --corpus corpus"
        return card

    @staticmethod
    def train(corpus: Path, out: Path | None = None, max_documents: int | None = None, **_) -> dict:
        """Build the gazetteer from the corpus's train split and write it (atomically)."""
        from ..core.atomic import write_text

        gazetteer = build_from_corpus(corpus, max_documents=max_documents)
        target = Path(out) if out else DEFAULT_PATH
        write_text(target, gazetteer.to_json())
        return {"system": "rules", "out": str(target), "documents": len(gazetteer.source["documents"]),
                "names": len(gazetteer.names)}
