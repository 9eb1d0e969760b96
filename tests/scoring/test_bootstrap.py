"""Bootstrap intervals and paired significance tests over per-document counts, and `wsw compare`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from whosaidwhat.cli import main
from whosaidwhat.scoring import bootstrap, submission_line, synthetic
from whosaidwhat.scoring.bootstrap import bootstrap_sums, paired_tests, percentile_interval, randomization_sums
from whosaidwhat.scoring.metrics import prf

from .helpers import write_corpus, write_jsonl


def f1_of(sums):
    return {"f1": prf(sums["tp"], sums["pred"], sums["gold"])["f1"]}


def test_bootstrap_sums_are_weighted_row_sums_with_weights_adding_up_to_the_documents():
    values = np.arange(12).reshape(6, 2)
    sums = bootstrap_sums(np.ones((6, 1), dtype=np.int32), 50, seed=1)
    assert (sums[:, 0] == 6).all()  # every resample draws as many documents as there are
    got = bootstrap_sums(values, 50, seed=1)
    assert got.shape == (50, 2) and (got[:, 1] - got[:, 0] == 6).all()  # col1 = col0 + 1 in every row


def test_the_same_seed_gives_the_same_resamples_whatever_the_chunking(monkeypatch):
    values = np.random.default_rng(0).integers(0, 5, (300, 4))
    expected = bootstrap_sums(values, 200, seed=9)
    monkeypatch.setattr(bootstrap, "WEIGHT_BLOCK", 700)  # two resamples per block of weights
    assert np.array_equal(bootstrap_sums(values, 200, seed=9), expected)
    monkeypatch.setattr(bootstrap, "WEIGHT_BLOCK", 1)  # one resample per block
    assert np.array_equal(bootstrap_sums(values, 200, seed=9), expected)
    assert not np.array_equal(bootstrap_sums(values, 200, seed=10), expected)


@pytest.mark.parametrize("n_docs", [1, 7, 300, 70_001])
def test_each_resample_draws_n_documents_with_replacement_from_the_seeded_stream(n_docs):
    """The definition, written out: resample r's weights are the histogram of the r-th n_docs draws (int64)."""
    values = np.random.default_rng(n_docs).integers(0, 50, (n_docs, 3))
    rng = np.random.default_rng(4)
    expected = np.stack([np.bincount(rng.integers(0, n_docs, size=n_docs), minlength=n_docs) @ values
                         for _ in range(30)]).astype(float)
    assert np.array_equal(bootstrap_sums(values, 30, seed=4), expected)


def test_randomization_rounds_do_not_depend_on_the_block_size(monkeypatch):
    a, b = (np.random.default_rng(k).integers(0, 5, (300, 3)) for k in (1, 2))
    expected = randomization_sums(a, b, 100, seed=3)
    monkeypatch.setattr(bootstrap, "WEIGHT_BLOCK", 1)
    got = randomization_sums(a, b, 100, seed=3)
    assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def test_percentile_interval_ignores_undefined_resamples():
    interval = percentile_interval(np.array([np.nan, 1, 2, 3, 4, 5, np.nan]), 0.5)
    assert (interval.low, interval.high, interval.defined) == (2.0, 4.0, 5)
    assert percentile_interval(np.array([np.nan, np.nan]), 0.95).low is None


def test_the_interval_covers_the_truth_about_95_percent_of_the_time():
    """Documents with a true per-document hit rate of 0.7: the 95% interval should cover 0.7 mostly."""
    rng = np.random.default_rng(2)
    covered = 0
    for trial in range(60):
        n = rng.integers(1, 6, 200)
        tp = rng.binomial(n, 0.7)
        values = np.stack([tp, n, n], axis=1)
        ci = bootstrap.intervals(lambda s: {"recall": prf(s["tp"], s["pred"], s["gold"])["recall"]},
                                 ("tp", "pred", "gold"), values, 300, trial, 0.95)["recall"]
        covered += ci.low <= 0.7 <= ci.high
    assert covered >= 51  # 95% of 60 is 57; allow for chance


def test_identical_systems_do_not_differ():
    values = np.random.default_rng(3).integers(0, 4, (80, 3))
    test = paired_tests(f1_of, ("tp", "pred", "gold"), values, values, 200, 1, 0.95,
                        ("bootstrap", "randomization"))["f1"]
    assert test.delta == 0.0 and test.p_bootstrap == 1.0 and test.p_randomization == 1.0
    assert test.delta_low == test.delta_high == 0.0


def test_a_clearly_better_system_is_significant_and_a_random_relabelling_is_not():
    rng = np.random.default_rng(4)
    gold = rng.integers(1, 6, 150)
    good = np.stack([gold, gold, gold], axis=1)                              # perfect
    bad = np.stack([rng.binomial(gold, 0.5), gold, gold], axis=1)           # half right
    test = paired_tests(f1_of, ("tp", "pred", "gold"), good, bad, 500, 1, 0.95, ("bootstrap", "randomization"))["f1"]
    assert test.delta > 0.3 and test.p_bootstrap < 0.01 and test.p_randomization < 0.01
    assert 0 < test.delta_low <= test.delta <= test.delta_high
    a = np.stack([rng.binomial(gold, 0.6), gold, gold], axis=1)
    b = np.stack([rng.binomial(gold, 0.6), gold, gold], axis=1)             # same system, other noise
    same = paired_tests(f1_of, ("tp", "pred", "gold"), a, b, 500, 1, 0.95, ("bootstrap", "randomization"))["f1"]
    assert same.p_bootstrap > 0.01 and same.p_randomization > 0.01


def test_randomization_only_moves_counts_between_the_systems():
    a = np.random.default_rng(5).integers(0, 4, (30, 2))
    b = np.random.default_rng(6).integers(0, 4, (30, 2))
    ra, rb = randomization_sums(a, b, 40, seed=2)
    assert np.allclose(ra + rb, (a + b).sum(axis=0))


@pytest.fixture(scope="module")
def two_systems(tmp_path_factory):
    root = tmp_path_factory.mktemp("cmp")
    pairs = list(synthetic.corpus(11, 60))
    gold = write_corpus(root / "gold", [d for d, _ in pairs])
    perfect = write_jsonl(root / "perfect.jsonl", [submission_line(d) for d, _ in pairs])
    noisy = write_jsonl(root / "noisy.jsonl", [p for _, p in pairs])
    return gold, perfect, noisy


def test_compare_finds_the_perfect_system_better(two_systems, capsys):
    gold, perfect, noisy = two_systems
    assert main(["compare", str(perfect), str(noisy), "--gold", str(gold), "--format", "json",
                 "--resamples", "300"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["a"]["path"] == str(perfect) and result["b"]["path"] == str(noisy)
    assert set(result["tests"]) == {"entities.strict.f1", "entities.strict.macro_f1", "quotes.attributed.f1",
                                    "claims.attributed.f1"}
    for test in result["tests"].values():
        assert test["a"] == 1.0 and test["delta"] > 0
        assert test["p_bootstrap"] < 0.05 and test["p_randomization"] < 0.05
    assert result["settings"]["methods"] == ["bootstrap", "randomization"]


def test_compare_a_system_with_itself(two_systems, capsys):
    gold, _, noisy = two_systems
    assert main(["compare", str(noisy), str(noisy), "--gold", str(gold), "--metric", "entities.partial.f1",
                 "--method", "randomization", "--resamples", "100"]) == 0
    captured = capsys.readouterr()
    assert "identical files" in captured.err
    row = [line for line in captured.out.splitlines() if line.startswith("entities.partial.f1")][0]
    assert "+0.0000" in row and row.rstrip().endswith("1.0000")


def test_compare_rejects_unknown_metrics(two_systems, capsys):
    gold, perfect, noisy = two_systems
    assert main(["compare", str(perfect), str(noisy), "--gold", str(gold), "--metric", "f1"]) == 2
    assert "unknown metric" in capsys.readouterr().err
