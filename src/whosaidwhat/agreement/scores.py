"""Inter-annotator agreement: two annotations of the same documents, compared with the scorer.

Agreement is the benchmark's own metrics with annotator A in the role of gold and B in the
role of a system, so "agreement" and "system score" can never mean different things. For
span F1 the roles are interchangeable (P and R swap); attribution and accuracy figures are
"B judged against A", stated as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.jsonfile import read_json_object
from ..core.problems import fail
from ..scoring.documents import score_documents
from ..scoring.settings import ScoreSettings

SPLIT = "agreement"
LAYERS = ("entities", "mentions", "quotes", "claims")

#: (row label, path into the score result) of the figures an agreement table shows
FIGURES = (
    ("names: strict span+type F1", ("names", "entities", "schemes", "strict", "f1")),
    ("names: exact span F1 (type ignored)", ("names", "entities", "schemes", "exact", "f1")),
    ("all mentions: strict span+type F1", ("all", "entities", "schemes", "strict", "f1")),
    ("quotes: content overlap F1", ("names", "quotes", "overlap", "f1")),
    ("quotes: content exact F1", ("names", "quotes", "exact", "f1")),
    ("quotes: attributed F1 (speaker agrees)", ("names", "quotes", "attributed", "f1")),
    ("quotes: type agreement (matched)", ("names", "quotes", "type_accuracy")),
    ("claims: overlap F1", ("names", "claims", "overlap", "f1")),
    ("claims: exact F1", ("names", "claims", "exact", "f1")),
    ("claims: attributed F1 (claimant agrees)", ("names", "claims", "attributed", "f1")),
    ("claims: check-worthiness agreement (matched)", ("names", "claims", "check_worthy_accuracy")),
)


@dataclass(frozen=True)
class Agreement:
    """The figures of one comparison and what was compared."""

    documents: list[str]
    figures: dict[str, float | None]
    counts: dict[str, dict[str, int]]


def _documents(folder: Path) -> dict[str, dict]:
    if not folder.is_dir():
        fail("PATH-MISSING", "not a folder of canonical documents (<id>.json)", file=str(folder))
    docs = {}
    for path in sorted(folder.glob("*.json")):
        doc = read_json_object(path, "the document")
        docs[doc.get("id", path.stem)] = doc
    if not docs:
        fail("AGREE-FOLDER-EMPTY", "no <id>.json documents", file=str(folder))
    return docs


def _value(result: dict, path: tuple[str, ...]):
    node = result
    for key in path:
        node = node[key]
    return node["value"] if isinstance(node, dict) and "value" in node else node


def compare_annotations(a_dir: str | Path, b_dir: str | Path, ids: list[str] | None = None) -> Agreement:
    """Agreement of annotation B with annotation A on the documents both contain (or `ids`)."""
    a_docs, b_docs = _documents(Path(a_dir)), _documents(Path(b_dir))
    shared = sorted(set(a_docs) & set(b_docs)) if ids is None else list(ids)
    missing = [i for i in shared if i not in a_docs or i not in b_docs]
    if missing or not shared:
        fail("AGREE-NOTHING-SHARED", "documents not annotated on both sides", doc_id=missing[0] if missing else None,
             found=", ".join(missing) or "(none shared)", expected="documents annotated in both folders")
    for doc_id in shared:
        if a_docs[doc_id]["text_sha256"] != b_docs[doc_id]["text_sha256"]:
            fail("AGREE-TEXT-DIFFERS", "the two annotations are of different texts", doc_id=doc_id, path="$.text_sha256",
                 found=b_docs[doc_id]["text_sha256"], expected=a_docs[doc_id]["text_sha256"])
    gold = [a_docs[d] for d in shared]
    predictions = [b_docs[d] for d in shared]
    results = {
        "names": score_documents(gold, predictions, ScoreSettings(split=SPLIT, resamples=0)),
        "all": score_documents(gold, predictions, ScoreSettings(split=SPLIT, resamples=0,
                                                                mention_kinds=("name", "nominal", "pronoun"))),
    }
    figures = {label: _value(results, path) for label, path in FIGURES}
    counts = {"quotes": results["names"]["quotes"]["counts"], "claims": results["names"]["claims"]["counts"]}
    return Agreement(documents=shared, figures=figures, counts=counts)


def format_table(agreement: Agreement, markdown: bool = False) -> str:
    """The figures as a plain or Markdown table."""
    def show(value):
        return "n/a" if value is None else f"{value:.3f}"

    if markdown:
        lines = ["| measure | agreement |", "|---|---:|"]
        lines += [f"| {label} | {show(value)} |" for label, value in agreement.figures.items()]
    else:
        width = max(map(len, agreement.figures)) + 2
        lines = [f"{label:<{width}}{show(value):>8}" for label, value in agreement.figures.items()]
    return "\n".join(lines)
