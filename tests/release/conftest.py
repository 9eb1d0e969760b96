"""Fixtures for release tests: small corpora written to tmp folders, and releases built from them.

The corpus mixes the hand-written Unicode fixture (emoji, combining marks, CRLF, an
interrupted quote), the real seed article (not redistributable: its text must be withheld)
and generated documents, over all three splits. Hugging Face libraries are kept offline with
a private cache.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

# before `datasets` is imported anywhere: never touch the network, never the user's cache
_HF_HOME = tempfile.mkdtemp(prefix="wsw-hf-")
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("HF_HOME", _HF_HOME)
os.environ.setdefault("HF_DATASETS_CACHE", os.path.join(_HF_HOME, "datasets"))

from whosaidwhat.core.document import dumps  # noqa: E402
from whosaidwhat.release.build import build_release  # noqa: E402
from whosaidwhat.release.synthetic import synthetic_document  # noqa: E402

SEED_ID = "seed-kremlin-rejects-armenian-pm"
SEED_DOC = REPO / "corpus" / "documents" / f"{SEED_ID}.json"
SEED_RAW = REPO / "corpus" / "raw" / SEED_ID / "kremlin-rejects-armenian-pm.txt"
UNICODE_DOC = FIXTURES / "valid" / "mini-unicode.json"


def write_corpus(folder: Path, docs_by_split: dict[str, list[dict]], dataset: dict | None = None) -> Path:
    """A corpus folder: documents/<id>.json, splits.json and dataset.json (the repository's by default)."""
    (folder / "documents").mkdir(parents=True)
    for docs in docs_by_split.values():
        for doc in docs:
            (folder / "documents" / f"{doc['id']}.json").write_text(dumps(doc), encoding="utf-8")
    splits = {split: [d["id"] for d in docs] for split, docs in docs_by_split.items()}
    (folder / "splits.json").write_text(json.dumps({"version": "test-1", "rationale": "Fixture split for tests.",
                                                    "splits": splits}), encoding="utf-8")
    meta = dataset or json.loads((REPO / "corpus" / "dataset.json").read_text(encoding="utf-8"))
    (folder / "dataset.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def fixture_documents() -> dict[str, list[dict]]:
    unicode_doc = json.loads(UNICODE_DOC.read_text(encoding="utf-8"))
    seed = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    synth = [synthetic_document(i) for i in range(12)]  # synth-000007 is not redistributable
    return {"train": [unicode_doc] + synth[:8], "validation": synth[8:10], "test": [seed] + synth[10:]}


#: the documents annotated twice in the fixture study data (the seed is not redistributable) and once
STUDY_TWICE = (SEED_ID, "synth-000001", "synth-000008")
STUDY_ONCE = ("synth-000002",)


def annotation_pass(doc: dict, annotator: str, differ: bool = False) -> dict:
    """One annotator's independent version of a fixture document (B differs: a claim missed, a quote type)."""
    out = copy.deepcopy(doc)
    for layer in out["provenance"]["layers"].values():
        layer["status"] = "draft"
        layer["producers"] = [{"kind": "agent", "id": annotator, "version": "unknown", "role": "annotated",
                               "model": "test-model", "shown": ["text", "annotation/GUIDELINES.md"]}]
    if differ and out["claims"]:
        out["claims"] = out["claims"][:-1]
    if differ and out["quotes"]:
        out["quotes"][0]["type"] = "indirect" if out["quotes"][0]["type"] != "indirect" else "direct"
    return out


def write_study(corpus_dir: Path, docs_by_split: dict[str, list[dict]]) -> Path:
    """CORPUS/annotations/pass-a|pass-b and the campaign folder beside the corpus (decisions/ made by the real
    `wsw adjudicate` code and decided, corrections.json); returns the campaign folder."""
    from whosaidwhat.adjudication.decisions import make_decisions

    docs = {d["id"]: d for split in docs_by_split.values() for d in split}
    campaign = corpus_dir.parent / "annotation" / "campaigns" / "corpus-1.0"
    (campaign / "decisions").mkdir(parents=True)
    for name in ("pass-a", "pass-b"):
        (corpus_dir / "annotations" / name).mkdir(parents=True)
    for doc_id in STUDY_TWICE + STUDY_ONCE:
        a = annotation_pass(docs[doc_id], "ann-a1")
        a_path = corpus_dir / "annotations" / "pass-a" / f"{doc_id}.json"
        a_path.write_text(dumps(a), encoding="utf-8")
        if doc_id in STUDY_ONCE:
            continue
        b = annotation_pass(docs[doc_id], "ann-b1", differ=True)
        b_path = corpus_dir / "annotations" / "pass-b" / f"{doc_id}.json"
        b_path.write_text(dumps(b), encoding="utf-8")
        decisions = make_decisions(a_path, b_path, a, b)
        decisions["adjudicator"] = {"kind": "agent", "id": "adj-1", "model": "test-model", "version": None}
        for conflict in decisions["conflicts"]:
            conflict["decision"], conflict["reason"] = conflict["choices"][0], "fixture decision"
        (campaign / "decisions" / f"{doc_id}.json").write_text(json.dumps(decisions, ensure_ascii=False, indent=1),
                                                               encoding="utf-8")
    corrections = [{"doc_id": doc_id, "item": docs[doc_id]["claims"][0]["id"], "field": "check_worthy",
                    "from": docs[doc_id]["claims"][0]["check_worthy"], "to": not docs[doc_id]["claims"][0]["check_worthy"],
                    "rule": "7A", "reason": "fixture correction", "text": "some claim"} for doc_id in (SEED_ID, "synth-000001")]
    (campaign / "corrections.json").write_text(json.dumps({
        "format": "whosaidwhat-corrections/1", "guidelines_version": "1.2",
        "by": {"kind": "agent", "id": "adj-cw", "model": "test-model", "version": None},
        "corrections": corrections}, indent=1), encoding="utf-8")
    later = [{"doc_id": doc_id, "item": docs[doc_id]["claims"][0]["id"], "field": "fragments",
              "from": docs[doc_id]["claims"][0]["fragments"], "to": docs[doc_id]["claims"][0]["fragments"][:1],
              "rule": "7B", "reason": "fixture boundary", "second_review": "accepted"} for doc_id in (SEED_ID, "synth-000001")]
    (campaign / "corrections-1.3.json").write_text(json.dumps({
        "format": "whosaidwhat-corrections/1", "guidelines_version": "1.3",
        "by": {"kind": "agent", "id": "review-13", "model": "test-model", "version": None},
        "corrections": later}, indent=1), encoding="utf-8")
    return campaign


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus", fixture_documents())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(corpus, release) built once per test module; copy the release before changing it."""
    root = tmp_path_factory.mktemp("built")
    docs = fixture_documents()
    corpus_dir = write_corpus(root / "corpus", docs)
    write_study(corpus_dir, docs)
    build_release(corpus_dir, root / "release", workers=1)
    return corpus_dir, root / "release"


@pytest.fixture
def release_copy(built, tmp_path) -> Path:
    target = tmp_path / "release"
    shutil.copytree(built[1], target)
    return target
