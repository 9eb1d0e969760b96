"""Two annotators through a real Label Studio server, then agreement, adjudication and campaign status.

The issue-level acceptance path of a campaign: each annotator's independent work goes in as their
own annotation, comes back by `pull`, is compared with intervals, turned into decision files,
decided, applied into valid gold; `wsw campaign status` says which documents are ready.
"""

from __future__ import annotations

import json

import pytest

from whosaidwhat.validation import ERROR, validate_document

from ..agreement.helpers import disagreeing_pair, write

pytestmark = pytest.mark.labelstudio


def env_for(label_studio) -> dict:
    return {"WSW_LABEL_STUDIO_URL": label_studio["url"], "WSW_LABEL_STUDIO_TOKEN": label_studio["token"]}


def test_two_annotators_pull_agree_adjudicate_apply_into_valid_gold(wsw, label_studio, project_title, tmp_path):
    a, b = disagreeing_pair()
    write(tmp_path / "work" / "a", a)
    write(tmp_path / "work" / "b", b)
    pushed = wsw("labelstudio", "push", "--project", project_title, "--annotator-from-provenance",
                 tmp_path / "work" / "a", tmp_path / "work" / "b", env=env_for(label_studio))
    assert pushed.returncode == 0, pushed.stderr
    pulled = wsw("labelstudio", "pull", "--project", project_title, "--out", tmp_path / "pull", env=env_for(label_studio))
    assert pulled.returncode == 0, pulled.stderr
    folders = [tmp_path / "pull" / "annotators" / name for name in ("ann-a", "ann-b")]
    assert all((f / "ford-jobs.json").is_file() for f in folders)

    status = json.loads(wsw("campaign", "status", tmp_path / "pull", "--format", "json").stdout)
    assert status["documents"]["ford-jobs"] == {"finished": ["ann-a", "ann-b"], "skipped": [],
                                                "ready_for_adjudication": True}

    agreement = json.loads(wsw("agreement", *folders, "--format", "json", "--resamples", "100").stdout)
    figures = agreement["pairs"][0]["figures"]
    assert agreement["pairs"][0]["documents"] == ["ford-jobs"] and not agreement["pairs"][0]["excluded"]
    assert figures["claims: overlap F1 (IoU >= 0.5)"]["value"] == pytest.approx(0.8)

    assert wsw("adjudicate", *folders, "--out", tmp_path / "dec").returncode == 0
    path = tmp_path / "dec" / "ford-jobs.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {c["kind"] for c in data["conflicts"]} >= {"quote-boundary", "entity-type", "speaker", "claim-only"}
    for conflict in data["conflicts"]:
        conflict["decision"] = "A" if "A" in conflict["choices"] else "keep"
    data["adjudicator"] = {"kind": "agent", "id": "adj", "model": "m", "version": None}
    path.write_text(json.dumps(data), encoding="utf-8")
    applied = wsw("adjudicate", "--apply", tmp_path / "dec", "--out", tmp_path / "gold")
    assert applied.returncode == 0, applied.stderr
    gold = json.loads((tmp_path / "gold" / "ford-jobs.json").read_text(encoding="utf-8"))
    assert [p.line() for p in validate_document(gold) if p.level == ERROR] == []
    assert gold["claims"] == a["claims"] and gold["quotes"] == a["quotes"]
    changes = gold["provenance"]["layers"]["claims"]["changes"]
    assert any("project" in line and "task" in line for line in gold["provenance"]["layers"]["claims"]["changes"]) or \
        any("Label Studio" in str(p.get("workspace")) or "projects/" in str(p.get("workspace"))
            for p in gold["provenance"]["layers"]["claims"]["producers"]), changes


def test_campaign_status_counts_skips_and_lead_times_from_an_export(tmp_path, wsw):
    export = [{"id": 1, "data": {"doc_id": "d1"}, "annotations": [
        {"completed_by": 5, "was_cancelled": False, "lead_time": 30.0},
        {"completed_by": 6, "was_cancelled": True, "lead_time": 2.0}]},
        {"id": 2, "data": {"doc_id": "d2"}, "annotations": [
            {"completed_by": 5, "was_cancelled": False, "lead_time": 50.0},
            {"completed_by": 6, "was_cancelled": False, "lead_time": 10.0}]}]
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    result = json.loads(wsw("campaign", "status", tmp_path / "export.json", "--format", "json").stdout)
    assert result["ready"] == 1 and result["documents"]["d1"]["skipped"] == ["ls-user-6"]
    assert result["annotators"]["ls-user-5"] == {"done": 2, "skipped": 0, "median_lead_time_seconds": 40.0}
    bad = wsw("campaign", "status", tmp_path / "missing")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
