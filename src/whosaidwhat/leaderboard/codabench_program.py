#!/usr/bin/env python3
"""WhoSaidWhat scoring program for Codabench: `wsw score` on input/ref (gold) and input/res (the submission).

Codabench runs it in the competition's Docker image as `metadata.yaml` says:

    python3 /app/program/score.py /app/input /app/output

with the gold data of the phase in /app/input/ref (a corpus folder: documents/, splits.json,
phase.json naming the split) and the participant's unzipped submission in /app/input/res (one
.jsonl or .parquet file, the format of eval/submissions/README.md). It runs `wsw score` (the
`whosaidwhat` package shipped next to this file, the exact scorer the bundle was built with, as
`python -m whosaidwhat.cli score`), and writes to /app/output:

* scores.json: one number per leaderboard column (`COLUMNS`, the keys of competition.yaml);
* score.json: the full `wsw score --format json` result (provenance, every metric, intervals);
* detailed_results.html: the tables for people.

A submission that fails the checks gets no scores.json: the problems go to standard error and
to detailed_results.html, and the exit status is 1, so Codabench marks it failed with the message.
This file is self-contained (standard library only); it is copied into the bundle as score.py.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

PROGRAM = Path(__file__).resolve().parent

#: leaderboard columns: (key in scores.json and competition.yaml, title, track, metric, field)
COLUMNS = (
    ("quotes_f1", "Quotes attributed F1", "quotes", "f1", "value"),
    ("quotes_f1_ci_low", "Quotes F1 95% CI low", "quotes", "f1", "ci_low"),
    ("quotes_f1_ci_high", "Quotes F1 95% CI high", "quotes", "f1", "ci_high"),
    ("quotes_precision", "Quotes attributed P", "quotes", "precision", "value"),
    ("quotes_recall", "Quotes attributed R", "quotes", "recall", "value"),
    ("claims_f1", "Claims attributed F1", "claims", "f1", "value"),
    ("claims_f1_ci_low", "Claims F1 95% CI low", "claims", "f1", "ci_low"),
    ("claims_f1_ci_high", "Claims F1 95% CI high", "claims", "f1", "ci_high"),
    ("claims_precision", "Claims attributed P", "claims", "precision", "value"),
    ("claims_recall", "Claims attributed R", "claims", "recall", "value"),
    ("entities_f1", "Entities strict F1", "entities", "f1", "value"),
    ("entities_f1_ci_low", "Entities F1 95% CI low", "entities", "f1", "ci_low"),
    ("entities_f1_ci_high", "Entities F1 95% CI high", "entities", "f1", "ci_high"),
    ("entities_precision", "Entities strict P", "entities", "precision", "value"),
    ("entities_recall", "Entities strict R", "entities", "recall", "value"),
    ("entities_macro_f1", "Entities strict macro-F1", "entities", "macro_f1", "value"),
)

SUFFIXES = (".jsonl", ".parquet")


def metric(result: dict, track: str, name: str, field: str):
    """A number of a `wsw score` result: entities in the strict scheme, quotes and claims attributed."""
    block = result["entities"]["schemes"]["strict"] if track == "entities" else result[track]["attributed"]
    return block[name][field]


def scores_from_result(result: dict) -> dict:
    """scores.json: every column; an undefined value (n/a, e.g. precision with nothing predicted) is written as 0."""
    out = {}
    for key, _title, track, name, field in COLUMNS:
        value = metric(result, track, name, field)
        out[key] = 0.0 if value is None else round(float(value), 6)
    return out


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}</body></html>\n")


def _fmt(v) -> str:
    return "n/a" if v is None else f"{v:.4f}"


def detailed_html(result: dict) -> str:
    rows = []
    for track, label in (("quotes", "Quotes (content and speaker)"), ("claims", "Claims (content and claimant)"),
                         ("entities", "Entities (name mentions, strict)")):
        f1 = {field: metric(result, track, "f1", field) for field in ("value", "ci_low", "ci_high")}
        ci = "" if f1["ci_low"] is None else f" [{_fmt(f1['ci_low'])}, {_fmt(f1['ci_high'])}]"
        rows.append(f"<tr><td>{html.escape(label)}</td><td>{_fmt(metric(result, track, 'precision', 'value'))}</td>"
                    f"<td>{_fmt(metric(result, track, 'recall', 'value'))}</td><td>{_fmt(f1['value'])}{ci}</td></tr>")
    gold, scorer = result["gold"], result["scorer"]
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.get("notes", []))
    body = (f"<p>Gold: version {html.escape(str(gold.get('version')))}, split {html.escape(str(gold['split']))}, "
            f"{gold['documents']} documents, content SHA-256 {html.escape(gold['content_sha256'])}. Scorer: whosaidwhat "
            f"{html.escape(scorer['version'])}, metrics {html.escape(scorer['metrics_version'])}. Submission SHA-256 "
            f"{html.escape(result.get('submission', {}).get('sha256', ''))}.</p>"
            "<table border=\"1\" cellpadding=\"4\"><tr><th>Track</th><th>P</th><th>R</th><th>F1 [95% CI]</th></tr>"
            + "".join(rows) + "</table>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "<p>In scores.json an undefined value (n/a) is written as 0. Every number: score.json in the output; "
              "definitions: eval/METRICS.md of WhoSaidWhat.</p>")
    return _page("WhoSaidWhat scores", body)


class Failure(Exception):
    """The submission cannot be scored; the message says why."""


def find_submission(res: Path) -> Path:
    """The one .jsonl or .parquet file of the unzipped submission (at its root or in one folder)."""
    found = sorted(p for p in res.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                   and not any(part.startswith(".") or part == "__MACOSX" for part in p.relative_to(res).parts))
    if not found:
        raise Failure("the submission holds no .jsonl or .parquet file: zip your predictions file (one line per "
                      "document, see the starting kit) and submit the zip")
    if len(found) > 1:
        names = ", ".join(str(p.relative_to(res)) for p in found[:5])
        raise Failure(f"the submission holds {len(found)} predictions files ({names}); submit exactly one")
    return found[0]


def score(input_dir: Path, output_dir: Path) -> dict:
    ref, res = input_dir / "ref", input_dir / "res"
    phase = json.loads((ref / "phase.json").read_text(encoding="utf-8"))
    pred = find_submission(res)
    command = [sys.executable, "-m", "whosaidwhat.cli", "score", "--gold", str(ref), "--pred", str(pred),
               "--split", phase["split"], "--format", "json", "--out", str(output_dir / "score.json"),
               *phase.get("score_options", [])]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROGRAM) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env,
                          check=False)
    if done.returncode != 0:
        raise Failure(done.stderr.strip() or f"wsw score failed with exit status {done.returncode}")
    result = json.loads((output_dir / "score.json").read_text(encoding="utf-8"))
    scores = scores_from_result(result)
    (output_dir / "scores.json").write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    (output_dir / "detailed_results.html").write_text(detailed_html(result), encoding="utf-8")
    return scores


def main(argv: list[str]) -> int:
    input_dir = Path(argv[1]) if len(argv) > 1 else Path("/app/input")
    output_dir = Path(argv[2]) if len(argv) > 2 else Path("/app/output")
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        scores = score(input_dir, output_dir)
    except Failure as failure:
        message = str(failure)
        (output_dir / "detailed_results.html").write_text(
            _page("Submission not scored", f"<pre>{html.escape(message)}</pre>"), encoding="utf-8")
        print(f"WhoSaidWhat: submission not scored:\n{message}", file=sys.stderr)
        return 1
    print(json.dumps(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
