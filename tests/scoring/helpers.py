"""Helpers for the scoring tests: span notation, counting outcomes, small gold folders."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from whosaidwhat.scoring.entities import MISSED, OUTCOME_NAMES, Spans, match_entities

REPO = Path(__file__).resolve().parents[2]
METRICS_MD = REPO / "eval" / "METRICS.md"
FIXTURE = REPO / "tests" / "fixtures" / "valid" / "mini-unicode.json"
TYPES = ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK", "MISC")

_SPAN = re.compile(r"([A-Z]+)\[(\d+),(\d+)\)")


def parse_spans(cell: str) -> list[tuple[str, int, int]]:
    """`PER[0,5) ORG[6,12)` -> [("PER", 0, 5), ("ORG", 6, 12)]; `-` -> []."""
    return [(m[1], int(m[2]), int(m[3])) for m in _SPAN.finditer(cell)]


def parse_counts(cell: str) -> Counter:
    """`INC + MIS` -> {INC: 1, MIS: 1}; `2 COR` -> {COR: 2}."""
    counts: Counter = Counter()
    for term in cell.split("+"):
        parts = term.split()
        if len(parts) == 2:
            counts[parts[1]] += int(parts[0])
        elif len(parts) == 1:
            counts[parts[0]] += 1
    return counts


def markdown_table(text: str, header_start: str) -> list[dict]:
    """Rows of the first markdown table whose header line starts with `header_start`."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header_start):
            names = [c.strip() for c in line.strip().strip("|").split("|")]
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(names, (c.strip() for c in row.strip().strip("|").split("|")))))
            return rows
    raise AssertionError(f"no table starting with {header_start!r} in {METRICS_MD}")


def spans(rows, doc: int = 0) -> Spans:
    """Spans of one document from (label, start, end) tuples."""
    return Spans.from_rows([(doc, s, e, TYPES.index(label)) for label, s, e in rows])


def outcome_counts(gold: Spans, pred: Spans, scheme: str, per_type: bool = False, type_code: int | None = None,
                   min_iou: float = 0.0) -> Counter:
    """COR/INC/PAR/MIS/SPU counts of one scheme (optionally of one type, matched within the type)."""
    outcome = match_entities(gold, pred, min_iou).outcome(scheme, per_type=per_type)
    g_sel = np.ones(len(gold), bool) if type_code is None else gold.label == type_code
    p_sel = np.ones(len(pred), bool) if type_code is None else pred.label == type_code
    counts: Counter = Counter()
    for code in outcome.gold[g_sel]:
        counts["MIS" if code == MISSED else OUTCOME_NAMES[code]] += 1
    for code in outcome.pred[p_sel]:
        if code == MISSED:
            counts["SPU"] += 1
    return counts


def write_corpus(root: Path, docs: list[dict], split: str = "test", others: dict | None = None,
                 version: str | None = "9.9.9") -> Path:
    """A corpus folder with `docs` in `split` (and other splits' docs from `others`)."""
    (root / "documents").mkdir(parents=True, exist_ok=True)
    splits = {"train": [], "validation": [], "test": []}
    for name, group in [(split, docs)] + list((others or {}).items()):
        for doc in group:
            (root / "documents" / f"{doc['id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            splits[name].append(doc["id"])
    (root / "splits.json").write_text(json.dumps({"version": "splits-1", "rationale": "tests", "splits": splits}))
    if version is not None:
        (root / "dataset.json").write_text(json.dumps({"version": version}))
    return root


def write_jsonl(path: Path, lines) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))
