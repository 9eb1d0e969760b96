"""Push checks its input before it sends anything: invalid, withheld or duplicate documents stop it."""

from __future__ import annotations

import json
import shutil

from .campaign import DOCUMENTS, MINI, load_doc

DEAD = "http://127.0.0.1:9"  # nothing listens there: reaching the network would be a different error


def run_push(wsw, folder):
    return wsw("labelstudio", "push", "--project", "checks", "--url", DEAD, "--retries", "1", folder,
               env={"WSW_LABEL_STUDIO_TOKEN": "t" * 40})


def test_an_invalid_document_stops_the_push_before_any_request(wsw, tmp_path):
    shutil.copytree(DOCUMENTS, tmp_path / "docs")
    doc = load_doc(MINI)
    doc["mentions"][0]["start"] += 1
    (tmp_path / "docs" / f"{MINI}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run_push(wsw, tmp_path / "docs")
    assert result.returncode == 1
    assert f"{MINI}.json" in result.stderr and "not a valid canonical document, nothing was pushed" in result.stderr
    assert "[SPAN-TEXT]" in result.stderr and "Label Studio at" not in result.stderr


def test_a_withheld_text_cannot_be_pushed(wsw, tmp_path):
    doc = load_doc("ls-text-only")
    doc["text"] = None  # as a release ships a text its license does not let it redistribute
    doc["metadata"]["license"]["redistributable"] = False
    (tmp_path / "ls-text-only.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run_push(wsw, tmp_path)
    assert result.returncode == 1 and "[LS-PUSH-TEXT-WITHHELD]" in result.stderr and "wsw rehydrate" in result.stderr


def test_the_same_document_id_twice_stops_the_push(wsw, tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(DOCUMENTS / f"{MINI}.json", tmp_path / name / f"{MINI}.json")
    result = run_push(wsw, tmp_path)
    assert result.returncode == 1 and "[LS-PUSH-DUPLICATE-DOC]" in result.stderr and f"document id '{MINI}'" in result.stderr
