"""`wsw agreement`: two annotations of the same documents compared with the benchmark's metrics."""

from __future__ import annotations

import json
import shutil

import pytest

from whosaidwhat.agreement import compare_annotations
from whosaidwhat.core.problems import ProblemError

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
    with pytest.raises(ProblemError) as caught:
        compare_annotations(a, b)
    assert caught.value.rules == ["AGREE-TEXT-DIFFERS"] and caught.value.problems[0].doc_id == SEED.stem


def test_no_shared_document_is_refused(two_copies, tmp_path):
    a, _ = two_copies
    other = tmp_path / "other"
    other.mkdir()
    doc = json.loads(SEED.read_text(encoding="utf-8"))
    doc["id"] = "another-document"
    (other / "another-document.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ProblemError) as caught:
        compare_annotations(a, other)
    assert caught.value.rules == ["AGREE-NOTHING-SHARED"]


def test_compare_annotations_writes_nothing_to_disk(two_copies, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise AssertionError("agreement must score in memory")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    assert set(compare_annotations(*two_copies).figures.values()) == {1.0}
