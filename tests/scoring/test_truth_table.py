"""The entity truth tables of eval/METRICS.md, executed row by row.

The rows are read from the document itself, so what the documentation promises is what the
scorer does; a row that is edited without changing the scorer (or vice versa) fails here.
"""

from __future__ import annotations

import pytest

from whosaidwhat.scoring.entities import SCHEMES, match_entities

from .helpers import METRICS_MD, TYPES, markdown_table, outcome_counts, parse_counts, parse_spans, spans

TEXT = METRICS_MD.read_text(encoding="utf-8")
ROWS = markdown_table(TEXT, "| id | scenario | gold | predicted | min IoU |")
TYPE_ROWS = markdown_table(TEXT, "| id | gold | predicted | type |")


def test_the_truth_tables_are_found_and_complete():
    assert [row["id"] for row in ROWS] == [f"T{i}" for i in range(1, 22)]
    assert {row["id"] for row in TYPE_ROWS} == {"P1", "P2", "P3"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['id']}-{r['scenario']}" for r in ROWS])
def test_overall_counts_and_pairs(row):
    gold, pred = spans(parse_spans(row["gold"])), spans(parse_spans(row["predicted"]))
    min_iou = float(row["min IoU"])
    for scheme in SCHEMES:
        assert outcome_counts(gold, pred, scheme, min_iou=min_iou) == parse_counts(row[scheme]), scheme
    strict = match_entities(gold, pred, min_iou).outcome("strict")
    pairs = {f"g{g + 1}=p{p + 1}" for g, p in enumerate(strict.gold_partner) if p >= 0}
    expected = set() if row["pairs"] == "-" else set(row["pairs"].split())
    assert pairs == expected


@pytest.mark.parametrize("row", TYPE_ROWS, ids=[f"{r['id']}-{r['type']}" for r in TYPE_ROWS])
def test_per_type_counts(row):
    gold, pred = spans(parse_spans(row["gold"])), spans(parse_spans(row["predicted"]))
    for scheme in SCHEMES:
        counts = outcome_counts(gold, pred, scheme, per_type=True, type_code=TYPES.index(row["type"]))
        assert counts == parse_counts(row[scheme]), scheme
