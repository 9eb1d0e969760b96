"""The one-to-one matching: greedy by priority, grown to maximum size, independent of input order."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from whosaidwhat.scoring import engine
from whosaidwhat.scoring.entities import Spans, entity_counts, match_entities
from whosaidwhat.scoring.intervals import overlapping_pairs
from whosaidwhat.scoring.matching import greedy_match, match_pairs


def greedy_match_reference(a, b, a_pos, b_pos, keys=()) -> np.ndarray:
    """The greedy step computed the obvious way: sort all pairs by the total order, scan once."""
    accepted = np.zeros(len(a), dtype=bool)
    order = np.lexsort(tuple([np.asarray(b_pos)[b], np.asarray(a_pos)[a]] + [-np.asarray(k) for k in reversed(keys)]))
    used_a, used_b = set(), set()
    for k in order.tolist():
        if a[k] not in used_a and b[k] not in used_b:
            used_a.add(a[k])
            used_b.add(b[k])
            accepted[k] = True
    return accepted


def random_graph(rng: np.random.Generator, n_a: int = 7, n_b: int = 7):
    n = int(rng.integers(1, n_a * n_b))
    pairs = np.unique(np.stack([rng.integers(0, n_a, n), rng.integers(0, n_b, n)], axis=1), axis=0)
    keys = [rng.integers(0, 3, len(pairs)).astype(float)]
    return pairs[:, 0], pairs[:, 1], rng.permutation(n_a), rng.permutation(n_b), keys


def maximum_size(a, b) -> int:
    """Size of a maximum matching by brute force (small graphs only)."""
    edges = list(zip(a.tolist(), b.tolist()))
    for size in range(min(len(set(a.tolist())), len(set(b.tolist()))), 0, -1):
        for subset in itertools.combinations(edges, size):
            if len({x for x, _ in subset}) == size and len({y for _, y in subset}) == size:
                return size
    return 0


def test_vectorised_greedy_equals_the_sort_and_scan_definition():
    rng = np.random.default_rng(0)
    for _ in range(300):
        a, b, a_pos, b_pos, keys = random_graph(rng)
        assert (greedy_match(a, b, a_pos, b_pos, keys) == greedy_match_reference(a, b, a_pos, b_pos, keys)).all()


def test_long_chains_fall_back_to_the_sequential_loop_and_agree():
    # a path a0-b0-a1-b1-... whose priorities rise along it: each round settles one pair only
    n = 40
    a = np.repeat(np.arange(n), 2)[1:]
    b = np.repeat(np.arange(n), 2)[:-1]
    keys = [np.arange(len(a), dtype=float)]
    pos = np.arange(n)
    assert (greedy_match(a, b, pos, pos, keys) == greedy_match_reference(a, b, pos, pos, keys)).all()


def test_the_matching_is_one_to_one_and_of_maximum_size():
    rng = np.random.default_rng(1)
    for _ in range(150):
        a, b, a_pos, b_pos, keys = random_graph(rng, 5, 5)
        chosen = match_pairs(a, b, a_pos, b_pos, keys)
        assert len(set(a[chosen].tolist())) == chosen.sum() == len(set(b[chosen].tolist()))
        assert chosen.sum() == maximum_size(a, b)


def test_a_greedy_matching_that_is_already_maximum_is_kept():
    rng = np.random.default_rng(2)
    for _ in range(150):
        a, b, a_pos, b_pos, keys = random_graph(rng, 5, 5)
        greedy = greedy_match(a, b, a_pos, b_pos, keys)
        if greedy.sum() == maximum_size(a, b):
            assert (match_pairs(a, b, a_pos, b_pos, keys) == greedy).all()


def test_overlapping_pairs_are_exactly_the_pairs_sharing_a_code_point():
    rng = np.random.default_rng(3)
    n = 300
    a_doc, b_doc = rng.integers(0, 4, n), rng.integers(0, 4, n)
    a_start, b_start = rng.integers(0, 200, n), rng.integers(0, 200, n)
    a_end, b_end = a_start + rng.integers(1, 30, n), b_start + rng.integers(1, 30, n)
    i, j = overlapping_pairs(a_doc, a_start, a_end, b_doc, b_start, b_end)
    found = set(zip(i.tolist(), j.tolist()))
    assert len(found) == len(i)  # each pair once
    expected = {(x, y) for x in range(n) for y in range(n)
                if a_doc[x] == b_doc[y] and max(a_start[x], b_start[y]) < min(a_end[x], b_end[y])}
    assert found == expected


def test_scoring_in_blocks_of_documents_gives_the_same_counts(monkeypatch):
    rng = np.random.default_rng(4)
    n_docs, n = 50, 600
    def spans():
        doc = rng.integers(0, n_docs, n)
        start = rng.integers(0, 300, n)
        return Spans(doc, start, start + rng.integers(1, 12, n), rng.integers(0, 4, n))
    gold, pred = spans(), spans()
    types = ("PER", "ORG", "GPE", "LOC")
    whole = entity_counts(match_entities(gold, pred), gold, pred, n_docs, types)
    monkeypatch.setattr(engine, "BLOCK_SPANS", 97)
    blocked = engine.entity_columns(gold, pred, n_docs, 0.0, types)
    assert whole.keys() == blocked.keys()
    for name in whole:
        assert (whole[name] == blocked[name]).all(), name


@pytest.mark.parametrize("seed", range(5))
def test_permuting_spans_changes_no_outcome_count(seed):
    rng = np.random.default_rng(seed)
    n = 200
    start = rng.integers(0, 150, n)
    gold = Spans(rng.integers(0, 3, n), start, start + rng.integers(1, 10, n), rng.integers(0, 3, n))
    start = rng.integers(0, 150, n)
    pred = Spans(rng.integers(0, 3, n), start, start + rng.integers(1, 10, n), rng.integers(0, 3, n))
    expected = entity_counts(match_entities(gold, pred), gold, pred, 3, ("PER", "ORG", "GPE"))
    g, p = rng.permutation(n), rng.permutation(n)
    gold2 = Spans(gold.doc[g], gold.start[g], gold.end[g], gold.label[g])
    pred2 = Spans(pred.doc[p], pred.start[p], pred.end[p], pred.label[p])
    got = entity_counts(match_entities(gold2, pred2), gold2, pred2, 3, ("PER", "ORG", "GPE"))
    for name in expected:
        assert (expected[name] == got[name]).all(), name
