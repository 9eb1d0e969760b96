"""`wsw agreement`: two annotations of the same documents compared with the benchmark's metrics."""

from __future__ import annotations

import json
import shutil

import pytest

from whosaidwhat.agreement import compare_annotations
from whosaidwhat.core.errors import UserError

from ..conftest import REPO

SEED = REPO / "corpus" / "documents" / "seed-kremlin-rejects-armenian-pm.json"


@pytest.fixture
def two_copies(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        shutil.copy(SEED, folder / SEED.name)
    return a, b


def edit(folder, change):
    path = folder / SEED.name
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return doc


def test_identical_annotations_agree_fully(two_copies):
    result = compare_annotations(*two_copies)
    assert result.documents == ["seed-kremlin-rejects-armenian-pm"]
    assert set(result.figures.values()) == {1.0}


def test_dropped_claims_and_a_changed_quote_type_lower_exactly_those_figures(two_copies):
    a, b = two_copies
    original = json.loads(SEED.read_text(encoding="utf-8"))
    n_claims, n_quotes = len(original["claims"]), len(original["quotes"])

    def change(doc):
        del doc["claims"][-3:]
        doc["quotes"][0]["type"] = "mixed" if doc["quotes"][0]["type"] != "mixed" else "direct"

    edit(b, change)
    result = compare_annotations(a, b).figures
    kept = n_claims - 3
    assert result["claims: overlap F1"] == pytest.approx(2 * kept / (n_claims + kept))
    assert result["quotes: type agreement (matched)"] == pytest.approx((n_quotes - 1) / n_quotes)
    assert result["names: strict span+type F1"] == 1.0


def test_annotations_of_different_texts_are_refused(two_copies):
    a, b = two_copies
    edit(b, lambda doc: doc.__setitem__("text_sha256", "0" * 64))
    with pytest.raises(UserError, match="different texts"):
        compare_annotations(a, b)
