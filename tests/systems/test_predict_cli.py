"""`wsw predict` as a user meets it: inputs of every shape, deterministic outputs, one clear line per bad input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

EXAMPLE_GOLD = REPO / "eval" / "submissions" / "example" / "gold"
UNICODE_DOC = FIXTURES / "valid" / "mini-unicode.json"


def one_error_line(result, code: int, rule: str | None = None) -> str:
    """The one `wsw: error:` line of a failed run; with `rule`, it must report exactly that rule."""
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("wsw: error:"), result.stderr
    assert "Traceback" not in result.stderr
    if rule is not None:
        assert re.findall(r"\[([A-Z0-9-]+)\]", lines[0]) == [rule], lines[0]
    return lines[0]


def test_predict_then_score_works_on_a_corpus_folder(wsw, tmp_path):
    out = tmp_path / "pred.jsonl"
    result = wsw("predict", "--system", "rules", EXAMPLE_GOLD, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "1 document(s) predicted" in result.stderr
    scored = wsw("score", "--gold", EXAMPLE_GOLD, "--pred", out, "--format", "json", "--resamples", "0")
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    assert result["submission"]["layers_submitted"] == {"mentions": True, "quotes": True, "claims": True}
    assert result["entities"]["schemes"]["strict"]["COR"] > 0
    assert result["quotes"]["overlap"]["f1"]["value"] > 0


def test_the_same_input_gives_the_same_bytes_in_jsonl_and_parquet(wsw, tmp_path):
    paths = {}
    for name in ("a.jsonl", "b.jsonl", "a.parquet", "b.parquet"):
        paths[name] = tmp_path / name
        assert wsw("predict", "--system", "rules", EXAMPLE_GOLD / "documents", "--out", paths[name]).returncode == 0
    assert paths["a.jsonl"].read_bytes() == paths["b.jsonl"].read_bytes()
    assert paths["a.parquet"].read_bytes() == paths["b.parquet"].read_bytes()
    scores = [json.loads(wsw("score", "--gold", EXAMPLE_GOLD, "--pred", paths[n], "--format", "json",
                             "--resamples", "0").stdout) for n in ("a.jsonl", "a.parquet")]
    for key in ("headline", "entities", "quotes", "claims"):
        assert scores[0][key] == scores[1][key]


def test_a_jsonl_input_and_split_selection(wsw, tmp_path):
    doc = json.loads(UNICODE_DOC.read_text(encoding="utf-8"))
    other = dict(doc, id="mini-unicode-copy")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in (doc, other)) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert wsw("predict", "--system", "rules", jsonl, "--out", out).returncode == 0
    assert [json.loads(l)["id"] for l in out.read_text(encoding="utf-8").splitlines()] == ["mini-unicode", "mini-unicode-copy"]
    assert wsw("predict", "--system", "rules", EXAMPLE_GOLD, "--split", "test", "--out", out).returncode == 0
    line = one_error_line(wsw("predict", "--system", "rules", EXAMPLE_GOLD, "--split", "nope", "--out", out), 2,
                          "PRED-SPLIT-UNKNOWN")
    assert "found nope" in line


def test_a_release_folder_is_read_and_its_withheld_text_skipped_and_reported(wsw, tmp_path):
    from tests.release.conftest import fixture_documents, write_corpus
    from whosaidwhat.release.build import build_release

    corpus = write_corpus(tmp_path / "corpus", fixture_documents())
    release = tmp_path / "release"
    build_release(corpus, release)
    out = tmp_path / "pred.jsonl"
    result = wsw("predict", "--system", "rules", release, "--out", out)
    assert result.returncode == 0, result.stderr
    ids = [json.loads(l)["id"] for l in out.read_text(encoding="utf-8").splitlines()]
    assert "seed-kremlin-rejects-armenian-pm" not in ids and len(ids) == 13 - 1  # the seed's text is withheld
    warning = [l for l in result.stderr.splitlines() if l.startswith("wsw: warning:")]
    assert len(warning) == 1 and "seed-kremlin-rejects-armenian-pm" in warning[0] and "withheld" in warning[0]
    scored = wsw("score", "--gold", release, "--pred", out, "--resamples", "0")
    assert scored.returncode == 0, scored.stderr


def test_only_withheld_texts_is_an_error_and_writes_nothing(wsw, tmp_path):
    doc = json.loads(UNICODE_DOC.read_text(encoding="utf-8"))
    doc["text"] = None
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mini-unicode.json").write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    line = one_error_line(wsw("predict", "--system", "rules", tmp_path / "in", "--out", out), 1, "PRED-ALL-WITHHELD")
    assert "mini-unicode" in line and "rehydrate" in line
    assert not out.exists()


def test_an_unknown_system_names_the_installed_ones(wsw, tmp_path):
    line = one_error_line(wsw("predict", "--system", "rule", EXAMPLE_GOLD, "--out", tmp_path / "p.jsonl"), 2,
                          "SYS-UNKNOWN")
    assert "found rule," in line and "'rules'?" in line and "trained" in line


def test_a_folder_without_documents(wsw, tmp_path):
    (tmp_path / "empty").mkdir()
    one_error_line(wsw("predict", "--system", "rules", tmp_path / "empty", "--out", tmp_path / "p.jsonl"), 2,
                   "PRED-NO-DOCUMENTS")
    assert not (tmp_path / "p.jsonl").exists()


@pytest.mark.parametrize("target,code,rule", [
    ("file/pred.jsonl", 2, "PRED-OUT-PATH"),
    ("folder", 2, "PRED-OUT-PATH"),
    ("pred.txt", 2, "PRED-OUT-FORMAT"),
    ("/proc/wsw-no-such/pred.jsonl", 1, "PRED-OUT-WRITE"),
])
def test_an_output_that_cannot_be_written(wsw, tmp_path, target, code, rule):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    out = Path(target) if target.startswith("/") else tmp_path / target
    line = one_error_line(wsw("predict", "--system", "rules", EXAMPLE_GOLD, "--out", out), code, rule)
    assert str(out) in line


def test_a_bad_document_stops_the_run_and_keeps_the_old_output(wsw, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(UNICODE_DOC, folder / "mini-unicode.json")
    (folder / "zz-broken.json").write_text('{"id": "zz-broken", "te', encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    out.write_text("old\n", encoding="utf-8")
    line = one_error_line(wsw("predict", "--system", "rules", folder, "--out", out), 1, "JSON-SYNTAX")
    assert line.startswith(f"wsw: error: {folder / 'zz-broken.json'}")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "pred.jsonl"]


def test_a_document_id_twice_is_refused(wsw, tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(UNICODE_DOC, tmp_path / name / "mini-unicode.json")
    line = one_error_line(wsw("predict", "--system", "rules", tmp_path / "a", tmp_path / "b",
                              "--out", tmp_path / "p.jsonl"), 1, "PRED-DOC-DUPLICATE")
    assert "mini-unicode" in line and str(tmp_path / "a" / "mini-unicode.json") in line


def test_the_progress_bar_goes_to_standard_error_when_asked(wsw, tmp_path):
    result = wsw("predict", "--system", "rules", EXAMPLE_GOLD, "--out", tmp_path / "p.jsonl", "--progress")
    assert result.returncode == 0 and "rules 0.1.0" in result.stderr and "doc" in result.stderr
    assert result.stdout == ""


def test_predictions_of_the_whole_bundled_corpus_pass_the_scorers_checks(wsw, tmp_path):
    out = tmp_path / "pred.jsonl"
    result = wsw("predict", "--system", "rules", REPO / "corpus" / "documents", "--out", out)
    assert result.returncode == 0, result.stderr
    for split in ("validation", "test"):
        scored = wsw("score", "--gold", REPO / "corpus", "--pred", out, "--split", split, "--resamples", "0")
        assert scored.returncode == 0, scored.stderr


def test_predictions_as_canonical_documents_are_valid_pre_annotations(wsw, tmp_path):
    from whosaidwhat.labelstudio.encode import document_to_task, model_version_of
    from whosaidwhat.validation import ERROR, validate_document

    pre = tmp_path / "pre"
    result = wsw("predict", "--system", "rules", REPO / "corpus", "--split", "validation", "--out",
                 tmp_path / "p.jsonl", "--documents", pre)
    assert result.returncode == 0, result.stderr
    files = sorted(pre.glob("*.json"))
    assert len(files) == sum(1 for _ in (tmp_path / "p.jsonl").open())
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert [p.line() for p in validate_document(doc, str(path)) if p.level == ERROR] == []
        assert doc["provenance"]["layers"]["quotes"]["producers"] == [
            {"kind": "rule", "id": "rules", "version": "0.1.0", "role": "predicted"}]
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    assert model_version_of(doc) == "wsw:silver/rule:rules@0.1.0"
    assert document_to_task(doc)["predictions"][0]["model_version"] == "wsw:silver/rule:rules@0.1.0"
    line = one_error_line(wsw("predict", "--system", "rules", REPO / "corpus", "--split", "validation", "--out",
                              tmp_path / "q.jsonl", "--documents", pre), 2, "OUT-EXISTS")
    assert str(pre) in line


def test_file_urls_name_local_paths_and_other_schemes_are_refused(wsw, tmp_path):
    plain, via_url = tmp_path / "plain.jsonl", tmp_path / "url.jsonl"
    assert wsw("predict", "--system", "rules", EXAMPLE_GOLD / "documents", "--out", plain).returncode == 0
    result = wsw("predict", "--system", "rules", (EXAMPLE_GOLD / "documents").as_uri(), "--out", via_url.as_uri())
    assert result.returncode == 0, result.stderr
    assert plain.read_bytes() == via_url.read_bytes()
    for url in ("s3://bucket/docs/", "file://elsewhere/docs", "memory://docs"):
        line = one_error_line(wsw("predict", "--system", "rules", url, "--out", tmp_path / "p.jsonl"), 2, "ENGINE-URL")
        assert url.split("://")[0] in line
