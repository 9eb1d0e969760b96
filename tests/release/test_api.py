"""`whosaidwhat.load` (a release as datasets.DatasetDict, checked first) and `whosaidwhat.counts` (per-document
counts as a pandas.DataFrame): the runtime uses of `datasets` and `pandas`."""

import json

import datasets
import pandas as pd
import pytest

import whosaidwhat
from whosaidwhat.core.problems import ProblemError
from whosaidwhat.release.features import features
from whosaidwhat.stats import corpus_stats


def test_load_gives_the_splits_of_a_config_with_its_features(built, tmp_path):
    manifest = json.loads((built[1] / "release.json").read_text(encoding="utf-8"))
    quotes = whosaidwhat.load(built[1], "quotes", cache_dir=tmp_path / "hf")
    assert isinstance(quotes, datasets.DatasetDict) and list(quotes) == ["train", "validation", "test"]
    for split, part in quotes.items():
        assert part.features == features("quotes") and len(part) == manifest["configs"]["quotes"][split]["num_rows"]
    test = whosaidwhat.load(built[1], "entities", split="test", cache_dir=tmp_path / "hf")
    assert isinstance(test, datasets.Dataset) and set(test["split"]) <= {"test"}


def test_load_refuses_a_release_that_does_not_verify_and_names_the_problem(release_copy, tmp_path):
    path = release_copy / "data/quotes/train-00000-of-00001.parquet"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ProblemError) as error:
        whosaidwhat.load(release_copy, "quotes", cache_dir=tmp_path / "hf")
    assert error.value.rules == ["DATA-NOT-VERIFIED"]
    assert [(p.rule, p.file) for p in error.value.problems[0].extra["problems"]] == [
        ("REL-SUMS-MISMATCH", str(path)), ("REL-PARQUET-UNREADABLE", str(path))]
    with pytest.raises(ProblemError) as error:
        whosaidwhat.load(release_copy, "speakers")
    assert error.value.rules == ["DATA-UNKNOWN"] and error.value.problems[0].found == "'speakers'"


def test_counts_are_the_numbers_wsw_stats_adds_up_per_document(built):
    corpus, release = built
    frame = whosaidwhat.counts(corpus)
    assert isinstance(frame, pd.DataFrame)
    stats = corpus_stats(corpus)
    per_doc = {d["id"]: d for d in stats["documents"]}
    assert sorted(frame["doc_id"]) == sorted(per_doc)
    for row in frame.itertuples(index=False):
        doc = per_doc[row.doc_id]
        assert (row.split, row.mentions, row.quotes, row.claims) == (doc["split"], doc["mentions"], doc["quotes"], doc["claims"])
    total = frame.drop(columns=["doc_id", "split", "title"]).sum()
    for key in ("mentions", "quotes", "claims", "claims.check_worthy", "mentions.type.PER"):
        assert total[key] == stats["overall"][key]
    released = whosaidwhat.counts(release).set_index("doc_id")
    mine = frame.set_index("doc_id").loc[released.index]
    assert (released["mentions"] == mine["mentions"]).all() and (released["split"] == mine["split"]).all()
    withheld = released[released["documents.withheld"] == 1]
    assert len(withheld) >= 1 and withheld["tokens"].isna().all()


def test_load_and_counts_are_not_imported_by_the_package_itself():
    import subprocess
    import sys

    code = "import sys, whosaidwhat, whosaidwhat.cli; print('pandas' in sys.modules, 'datasets' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"], done.stderr
