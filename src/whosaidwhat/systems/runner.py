"""Running a system over documents into a predictions file: `predict_file`, the function behind `wsw predict`.

Every line a system returns is checked with the scorer's own line checker (the rules of
eval/submissions/README.md, against the document's text) before it is written, so a file that
`predict_file` finishes always passes `wsw score`'s submission checks; a bad line stops the run
with the system, document and rule named, and nothing is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..core.document import text_sha256
from ..core.problems import Problem, ProblemError, fail
from .inputs import InputDocument
from .outputs import PredictionWriter


@dataclass
class PredictSummary:
    system: str
    version: str
    out: str
    format: str
    predicted: int = 0
    withheld: list[str] = field(default_factory=list)   # ids skipped because their text is null
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def check_line(line, document: dict, where: str, system_name: str, checker=None) -> None:
    """ProblemError (SYS-LINE) if `line` is not a valid submission line for `document` (text known)."""
    from ..core.inventory import load_inventory
    from ..scoring.submission import LineChecker

    checker = checker or LineChecker(load_inventory())
    doc_id, problems = checker.check(line, where, document["text"])
    if not problems:
        if doc_id != document["id"]:
            fail("SYS-LINE", f"system {system_name!r} returned a line for another document; nothing was written",
                 file=where, doc_id=document["id"], path="$.id", found=doc_id, expected=document["id"])
        problems = checker.check_layers(line, document.get("text_sha256") or text_sha256(document["text"]))
    if problems:
        first = problems[0]
        raise ProblemError([Problem("SYS-LINE", f"system {system_name!r} returned an invalid line; nothing was written",
                                    file=where, doc_id=document["id"], path=getattr(first, "path", None),
                                    found=f"{first.rule}: {first.message}", expected="a line `wsw score` accepts",
                                    extra={"problems": problems})], total=len(problems))


def predict_file(system, documents: Iterable[InputDocument], out: Path,
                 progress: Callable[[int], None] | None = None, check: bool = True,
                 documents_out: Path | None = None) -> PredictSummary:
    """Predict every document with a text, write `out` atomically; withheld texts are skipped and listed.

    With `documents_out`, also write each prediction as a canonical document (`documents.py`) into
    that folder, which appears only when everything succeeded. Raises ProblemError (nothing written)
    when no document has a text, or on any bad input or line.
    """
    if documents_out is None:
        return _predict_file(system, documents, out, progress, check, None)
    import shutil
    import tempfile

    documents_out = Path(documents_out)
    documents_out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{documents_out.name}.", dir=documents_out.parent))
    try:
        summary = _predict_file(system, documents, out, progress, check, staging)
        staging.chmod(0o755)
        if documents_out.exists():
            documents_out.rmdir()  # checked empty by the caller
        staging.rename(documents_out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def _predict_file(system, documents, out, progress, check, staging) -> PredictSummary:
    from ..core.inventory import load_inventory
    from ..scoring.submission import LineChecker

    checker = LineChecker(load_inventory()) if check else None
    started = time.perf_counter()
    with PredictionWriter(out) as writer:
        summary = PredictSummary(system.name, system.version, str(out), writer.format)
        for item in documents:
            doc = item.document
            if doc.get("text") is None:
                summary.withheld.append(doc["id"])
            else:
                line = system.predict(doc)
                if checker is not None:
                    check_line(line, doc, item.where, system.name, checker)
                writer.write(line)
                summary.predicted += 1
                if staging is not None:
                    from ..core.atomic import write_text
                    from ..core.document import dumps
                    from .documents import predicted_document

                    write_text(staging / f"{doc['id']}.json", dumps(predicted_document(doc, line, system)))
            if progress is not None:
                progress(1)
        if summary.predicted == 0:
            if summary.withheld:
                all_withheld(summary.withheld)
            fail("PRED-NO-DOCUMENTS", "no documents found in the input; nothing was written")
    summary.seconds = time.perf_counter() - started
    return summary


def all_withheld(withheld: list[str]) -> NoReturn:
    """Stop: every document's text is withheld, nothing to predict."""
    shown = ", ".join(withheld[:5]) + (" ..." if len(withheld) > 5 else "")
    fail("PRED-ALL-WITHHELD", f"no document to predict: the text of {shown} is withheld (null); restore it with "
         "`wsw rehydrate`; nothing was written", found=f"{len(withheld)} withheld text(s)", expected="a text")
