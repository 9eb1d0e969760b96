"""The `trained` baseline: models learned from the train split only (`wsw train --system trained`).

* Names: the rules' candidate names (names.py), each kept or dropped and typed by a multinomial
  logistic regression over hashed features (name_typer.py), trained with cross-fitted gazetteer
  features on the gold name mentions of the train split.
* Check-worthiness: a logistic regression over the claim's words and word pairs and the D1-D5
  rule's verdict (checkworthy_model.py), trained on the train split's gold claims.
* Speakers: a logistic regression that chooses among candidate mentions around a quote's cue
  (speaker_model.py), trained on the train split's gold quotes.
* Quotes and claim spans: the rules pipeline (pipeline.py), fed with the learned names.

No model is downloaded and nothing needs a GPU: numpy only. Training is reproducible: a fixed
seed, a fixed document order, float64 arithmetic; the weights are stored as float32 `.npy`. The
model folder holds `gazetteer.json`, `names.npy`/`names.json`, `checkworthy.npy`/`checkworthy.json`,
`speaker.json` and `meta.json` and is written atomically; `model_sha256` digests every file.

A statistical NER started blank (spaCy 3.8, tok2vec + NER) was tried first: trained on the same
100 documents it reached an entity strict F1 of 0.37 on validation against the rules' 0.59, and
typed worse than the rules even where both found the same span, so the learned typer over rule
candidates replaced it (README, "Baselines").
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..core.jsonfile import read_json_object
from ..core.problems import fail
from .base import BaseSystem
from .pipeline import analyse, to_line

MODEL_FORMAT = "whosaidwhat-trained/2"
DEFAULT_EPOCHS = 10


def default_model_dir() -> Path:
    from ..core.resources import repo_root

    root = repo_root()
    return (root if root is not None else Path.cwd()) / "eval" / "baselines" / "trained" / "model"


def model_sha256(folder: Path) -> str:
    """Digest of a model folder: SHA-256 over `<relative path> <file sha256>` lines, sorted."""
    lines = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        lines.append(f"{path.relative_to(folder).as_posix()} {hashlib.sha256(path.read_bytes()).hexdigest()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


class TrainedSystem(BaseSystem):
    """Trained: learned name typing over rule candidates, check-worthiness and speaker choice, from the train split."""

    name = "trained"
    version = "0.1.0"
    kind = "trained"
    description = "Trained on the train split: learned name typing, check-worthiness and speaker choice (numpy)"

    def __init__(self, model: str | Path | None = None):
        from .checkworthy_model import CheckWorthiness
        from .gazetteer import load_gazetteer
        from .learn import HashedLogisticRegression
        from .name_typer import NameTyper
        from .speaker_model import SpeakerModel

        self.model_dir = Path(model) if model else default_model_dir()
        meta_path = self.model_dir / "meta.json"
        if not meta_path.is_file():
            fail("SYS-MODEL-MISSING", f"no trained model here (meta.json missing): build it with "
                 f"`wsw train --system trained --out {self.model_dir}` or pass --option model=DIR",
                 file=str(self.model_dir), expected="a folder with meta.json")
        self.meta = read_json_object(meta_path, "a trained model", "retrain it with `wsw train --system trained`")
        if self.meta.get("format") != MODEL_FORMAT:
            fail("SYS-MODEL-FORMAT", f"not a {MODEL_FORMAT} model; retrain it with `wsw train --system trained`",
                 file=str(meta_path), path="$.format", found=repr(self.meta.get("format")), expected=MODEL_FORMAT)
        self.typer = NameTyper(HashedLogisticRegression.load(self.model_dir, "names"),
                               load_gazetteer(self.model_dir / "gazetteer.json"))
        self.checkworthy = CheckWorthiness(HashedLogisticRegression.load(self.model_dir, "checkworthy"))
        self.speakers = SpeakerModel.load(self.model_dir / "speaker.json")

    def predict(self, document: dict) -> dict:
        text = document["text"]
        analysis = analyse(text, self.typer.names(text), self.checkworthy, self.speakers.choose)
        return to_line(document, analysis)

    def card(self) -> dict:
        card = super().card()
        card["training_data"] = {k: self.meta.get(k) for k in ("corpus", "split", "splits_version")}
        card["training_data"]["documents"] = len(self.meta.get("documents", []))
        card["training_data"].update({k: self.meta.get(k) for k in ("name_mentions", "claims", "quotes")})
        card["training"] = {k: self.meta.get(k) for k in ("seed", "epochs")}
        card["model"] = {"path": "eval/baselines/trained/model", "sha256": model_sha256(self.model_dir),
                         "bytes": sum(p.stat().st_size for p in self.model_dir.rglob("*") if p.is_file())}
        card["train_command"] = "wsw train --system trained --corpus corpus --out eval/baselines/trained/model"
        return card


# -- training ----------------------------------------------------------------------------------------

def _train_documents(corpus: Path, max_documents: int | None) -> tuple[list[dict], dict]:
    """Every train document with a text (annotated or not: unannotated texts still teach lower-case words)."""
    from ..core.jsonfile import read_json_object
    from ..splits import read_splits

    splits = read_splits(corpus / "splits.json")
    if "train" not in splits.members:
        fail("SYS-TRAIN-SPLIT", "no train split", file=str(corpus / "splits.json"), found=", ".join(splits.members),
             expected="a split named train")
    docs: list[dict] = []
    for doc_id in splits.members["train"]:
        doc = read_json_object(corpus / "documents" / f"{doc_id}.json", "a corpus document")
        if doc.get("text") is None:
            continue
        docs.append(doc)
        if max_documents is not None and len(docs) >= max_documents:
            break
    if not any(_layer(d, "mentions") for d in docs):
        fail("SYS-TRAIN-EMPTY", "the train split has no annotated document with a text; nothing to train on",
             file=str(corpus), found=f"{len(docs)} document(s) with a text, none annotated",
             expected="annotated mentions")
    from .gazetteer import corpus_label

    return docs, {"corpus": corpus_label(corpus), "split": "train", "splits_version": splits.version}


def _layer(doc: dict, name: str) -> bool:
    return doc.get("provenance", {}).get("layers", {}).get(name, {}).get("status") != "absent"


def _write_folder(target: Path, build) -> None:
    """Build a folder in a temporary place beside `target`, then swap it in (the old one is removed)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a model folder is as readable as any other
    try:
        build(tmp)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / "model")
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _data_record(docs: list[dict]) -> dict:
    """What the model was trained on: documents, annotated documents, and how many names, claims and quotes."""
    return {
        "documents": sorted(d["id"] for d in docs),
        "annotated_documents": sorted(d["id"] for d in docs if _layer(d, "mentions")),
        "name_mentions": sum(1 for d in docs if _layer(d, "mentions") for m in d["mentions"] if m["kind"] == "name"),
        "claims": sum(len(d["claims"]) for d in docs if _layer(d, "claims")),
        "quotes": sum(len(d["quotes"]) for d in docs if _layer(d, "quotes")),
    }


def train_model(corpus: Path, out: Path | None = None, seed: int = 0, max_documents: int | None = None,
                epochs: int | None = None) -> dict:
    """Train the three models on the corpus's train split and write the model folder; returns a summary."""
    from ..core.inventory import load_inventory
    from .checkworthy_model import train_check_worthiness
    from .name_typer import train_name_typer
    from .speaker_model import train_speaker_model

    started = time.perf_counter()
    epochs = epochs or DEFAULT_EPOCHS
    docs, source = _train_documents(Path(corpus), max_documents)
    typer, names_info = train_name_typer(docs, load_inventory().entity_types, seed, epochs)
    checkworthy, claims_info = train_check_worthiness(docs, seed, epochs)
    speaker_model = train_speaker_model([d for d in docs if _layer(d, "quotes")], typer.names, seed)
    seconds = round(time.perf_counter() - started, 1)
    meta = {"format": MODEL_FORMAT, **source, **_data_record(docs), "seed": seed, "epochs": epochs,
            "names": names_info, "checkworthy": claims_info, "speaker": speaker_model.summary()}
    target = Path(out) if out else default_model_dir()

    def build(folder: Path) -> None:
        (folder / "gazetteer.json").write_text(typer.gazetteer.to_json(), encoding="utf-8")
        typer.model.save(folder, "names")
        checkworthy.model.save(folder, "checkworthy")
        speaker_model.save(folder / "speaker.json")
        (folder / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    _write_folder(target, build)
    return {"system": "trained", "out": str(target), "documents": len(docs),
            "annotated_documents": len(meta["annotated_documents"]), "epochs": epochs, "seed": seed,
            "seconds": seconds, "model_sha256": model_sha256(target)}
