"""Differential tests against the reference implementations, on generated, seeded documents.

* nervaluate 1.2.1 (all four schemes, overall and per type): equal counts wherever nervaluate
  does not depend on input order, and wherever the predictions of a document do not overlap
  each other (spans listed in text order). Its ends are inclusive, so it gets `end - 1`.
* seqeval 1.2.2: on flat, duplicate-free spans its micro P/R/F1 and macro F1 equal our strict
  P/R/F1 and strict macro F1.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from nervaluate import Evaluator
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from whosaidwhat.scoring.entities import SCHEMES, Spans, entity_counts, match_entities, scheme_counts
from whosaidwhat.scoring.metrics import MacroF1, SchemePRF

TYPES = ("PER", "ORG", "GPE", "LOC")
NERVALUATE_NAMES = {"strict": "strict", "exact": "exact", "partial": "partial", "ent_type": "ent_type"}


def generate_document(rng: random.Random, n: int = 10):
    """Gold spans (mostly flat, some nested) and predictions with typical errors, in text order."""
    gold, pos = [], 0
    for _ in range(n):
        s = pos + rng.randint(0, 30)
        e = s + rng.randint(1, 12)
        pos = e
        if rng.random() < 0.1:
            gold.append((max(0, s - rng.randint(1, 5)), e, rng.choice(TYPES)))
        gold.append((s, e, rng.choice(TYPES)))
    pred = []
    for s, e, t in gold:
        roll = rng.random()
        if roll < 0.6:
            pred.append((s, e, t))
        elif roll < 0.7:
            pred.append((s, e, rng.choice(TYPES)))
        elif roll < 0.85:
            ns = max(0, s + rng.randint(-3, 3))
            pred.append((ns, max(ns + 1, e + rng.randint(-3, 3)), t if rng.random() < 0.8 else rng.choice(TYPES)))
        elif roll < 0.93:
            pass
        else:
            pred.append((s, e, t))
            if e - s > 1:
                pred.append((s + 1, e, t))
    for _ in range(rng.randint(0, 2)):
        s = rng.randint(0, pos)
        pred.append((s, s + rng.randint(1, 8), rng.choice(TYPES)))
    return sorted(gold), sorted(pred)


def nervaluate_counts(gold_docs, pred_docs) -> dict:
    """{scheme or (scheme, type): (COR, INC, PAR, MIS, SPU)} from nervaluate."""
    def convert(docs):
        return [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc] for doc in docs]

    result = Evaluator(convert(gold_docs), convert(pred_docs), tags=list(TYPES), loader="dict").evaluate()
    out = {}
    for scheme, name in NERVALUATE_NAMES.items():
        r = result["overall"][name]
        out[scheme] = (r.correct, r.incorrect, r.partial, r.missed, r.spurious)
        for tag, per in result["entities"].items():
            r = per[name]
            out[(scheme, tag)] = (r.correct, r.incorrect, r.partial, r.missed, r.spurious)
    return out


def our_counts(gold_docs, pred_docs) -> dict:
    """The same mapping from our per-document count columns."""
    def table(docs):
        return Spans.from_rows([(d, s, e, TYPES.index(t)) for d, doc in enumerate(docs) for s, e, t in doc])

    gold, pred = table(gold_docs), table(pred_docs)
    columns = entity_counts(match_entities(gold, pred), gold, pred, len(gold_docs), TYPES)
    sums = {name: int(values.sum()) for name, values in columns.items()}
    out = {}
    for scheme in SCHEMES:
        c = scheme_counts(sums, scheme)
        out[scheme] = (c["COR"], c["INC"], c["PAR"], c["MIS"], c["SPU"])
        for tag in TYPES:
            if sums[f"ent.{tag}.gold"] + sums[f"ent.{tag}.pred"]:
                c = scheme_counts(sums, scheme, type_name=tag)
                out[(scheme, tag)] = (c["COR"], c["INC"], c["PAR"], c["MIS"], c["SPU"])
    return out


def orderings(rng: random.Random, gold, pred, shuffles: int = 6):
    """Input orders that expose nervaluate's order dependence: text order, reversed, exact matches first, shuffles."""
    gold_set = set(gold)
    exact_first = [p for p in pred if p in gold_set] + [p for p in pred if p not in gold_set]
    yield gold, pred
    yield gold[::-1], pred[::-1]
    yield gold, exact_first
    yield gold[::-1], exact_first[::-1]
    for _ in range(shuffles):
        g, p = gold[:], pred[:]
        rng.shuffle(g)
        rng.shuffle(p)
        yield g, p


@pytest.fixture(scope="module")
def documents():
    rng = random.Random(20261127)
    return [generate_document(rng) for _ in range(1000)]


def test_equal_to_nervaluate_wherever_nervaluate_is_order_independent(documents):
    rng = random.Random(1)
    independent = []
    for gold, pred in documents:
        results = [nervaluate_counts([g], [p]) for g, p in orderings(rng, gold, pred)]
        if all(r == results[0] for r in results):
            independent.append((gold, pred))
            assert our_counts([gold], [pred]) == results[0], (gold, pred)
    assert len(independent) >= 200               # the comparison covers many documents
    assert len(independent) < len(documents) / 2  # and the generator mostly makes order-dependent ones
    gold_docs, pred_docs = zip(*independent)
    assert our_counts(gold_docs, pred_docs) == nervaluate_counts(gold_docs, pred_docs)  # corpus totals too


def test_equal_to_nervaluate_where_predictions_do_not_overlap_each_other(documents):
    flat = [(g, p) for g, p in documents if all(a[1] <= b[0] for a, b in zip(p, p[1:]))]
    assert len(flat) >= 120
    for gold, pred in flat:
        assert our_counts([gold], [pred]) == nervaluate_counts([gold], [pred]), (gold, pred)


def test_strict_never_finds_fewer_exact_matches_than_nervaluate(documents):
    """nervaluate's greedy list order can lose a COR; the one-to-one matching finds every exact match."""
    gold_docs, pred_docs = zip(*documents)
    ours = our_counts(gold_docs, pred_docs)["strict"][0]
    exact_tp = sum(sum((Counter(g) & Counter(p)).values()) for g, p in documents)
    assert ours == exact_tp
    assert nervaluate_counts(gold_docs, pred_docs)["strict"][0] <= exact_tp


def flat_document(rng: random.Random, n_tokens: int = 60):
    """Flat, non-overlapping, duplicate-free token spans for gold and predictions."""
    def spans():
        out, pos = [], 0
        while True:
            s = pos + rng.randint(0, 4)
            e = s + rng.randint(1, 4)
            if e > n_tokens:
                return out
            out.append((s, e, rng.choice(TYPES)))
            pos = e
    gold = spans()
    pred = [g if rng.random() < 0.6 else (g[0], g[1], rng.choice(TYPES)) for g in gold if rng.random() < 0.9]
    pred = [p for p in pred if rng.random() < 0.9] + [p for p in spans()[:2]]
    pred = sorted(set(pred))
    flat, last = [], 0
    for s, e, t in pred:  # keep them flat
        if s >= last:
            flat.append((s, e, t))
            last = e
    return gold, flat


def to_bio(spans, n_tokens: int) -> list[str]:
    tags = ["O"] * n_tokens
    for s, e, t in spans:
        tags[s] = f"B-{t}"
        for k in range(s + 1, e):
            tags[k] = f"I-{t}"
    return tags


def test_strict_micro_and_macro_equal_seqeval_on_flat_spans():
    rng = random.Random(7)
    docs = [flat_document(rng) for _ in range(300)]
    y_true = [to_bio(g, 60) for g, _ in docs]
    y_pred = [to_bio(p, 60) for _, p in docs]
    gold = Spans.from_rows([(d, s, e, TYPES.index(t)) for d, (g, _) in enumerate(docs) for s, e, t in g])
    pred = Spans.from_rows([(d, s, e, TYPES.index(t)) for d, (_, p) in enumerate(docs) for s, e, t in p])
    columns = entity_counts(match_entities(gold, pred), gold, pred, len(docs), TYPES)
    sums = {name: int(v.sum()) for name, v in columns.items()}
    ours = SchemePRF("entities.strict", "strict", None, "").evaluate(sums)
    parts = tuple(SchemePRF(f"entities.strict.{t}", "strict", t, "") for t in TYPES)
    macro = MacroF1("macro", parts, "").evaluate(sums)["macro"]
    for mode in ({}, {"mode": "strict", "scheme": IOB2}):
        assert ours["entities.strict.precision"] == pytest.approx(precision_score(y_true, y_pred, **mode), abs=1e-12)
        assert ours["entities.strict.recall"] == pytest.approx(recall_score(y_true, y_pred, **mode), abs=1e-12)
        assert ours["entities.strict.f1"] == pytest.approx(f1_score(y_true, y_pred, **mode), abs=1e-12)
        assert macro == pytest.approx(f1_score(y_true, y_pred, average="macro", **mode), abs=1e-12)
    report = classification_report(y_true, y_pred, output_dict=True)
    for t in TYPES:
        assert float(parts[TYPES.index(t)].evaluate(sums)[f"entities.strict.{t}.f1"]) == pytest.approx(
            report[t]["f1-score"], abs=1e-12)


def test_shuffling_the_input_never_changes_our_counts(documents):
    rng = random.Random(3)
    for gold, pred in documents[:200]:
        expected = our_counts([gold], [pred])
        for g, p in orderings(rng, gold, pred, shuffles=3):
            assert our_counts([g], [p]) == expected


def test_counts_of_a_corpus_equal_the_sum_of_its_documents(documents):
    gold_docs, pred_docs = zip(*documents)
    whole = our_counts(gold_docs, pred_docs)
    parts = [our_counts([g], [p]) for g, p in documents]
    for scheme in SCHEMES:
        assert whole[scheme] == tuple(np.sum([part[scheme] for part in parts], axis=0))
