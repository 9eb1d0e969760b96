"""Fixtures for release tests: small corpora written to tmp folders, and releases built from them.

The corpus mixes the hand-written Unicode fixture (emoji, combining marks, CRLF, an
interrupted quote), the real seed article (not redistributable: its text must be withheld)
and generated documents, over all three splits. Hugging Face libraries are kept offline with
a private cache.
"""

from __future__ import annotations

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


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus", fixture_documents())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(corpus, release) built once per test module; copy the release before changing it."""
    root = tmp_path_factory.mktemp("built")
    corpus_dir = write_corpus(root / "corpus", fixture_documents())
    build_release(corpus_dir, root / "release", workers=1)
    return corpus_dir, root / "release"


@pytest.fixture
def release_copy(built, tmp_path) -> Path:
    target = tmp_path / "release"
    shutil.copytree(built[1], target)
    return target
