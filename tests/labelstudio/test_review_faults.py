"""The Label Studio faults of issue 10, each reproduced without a server (or with a stand-in label-studio).

Predictions of our own corpus in colliding folders, failed layers recorded as absent, other export
formats and foreign configs called truncated, convert deleting its own input, annotator ids that
differ only by case, exports read without the strict JSON reader, serve reporting a port it did
not bind and a world-readable data folder.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.core.resources import default_corpus_dir
from whosaidwhat.labelstudio import server as srv
from whosaidwhat.labelstudio.convert import Annotators, convert_export, version_folder
from whosaidwhat.labelstudio.encode import document_to_task
from whosaidwhat.labelstudio.output import write_output
from whosaidwhat.validation import validate_document

from .annotator_folders import two_annotators
from .campaign import ANNOTATOR_A, FIXTURES, MINI, load_doc

SYNC = FIXTURES / "export-sync.json"


def rules_in(text: str) -> list[str]:
    import re

    return re.findall(r"\[([A-Z0-9-]+)\]", text)


def as_export(tasks: list[dict]) -> list[dict]:
    """Tasks as a snapshot export gives them back: ids, project, full predictions with ids."""
    out = []
    for n, task in enumerate(tasks, start=1):
        task = copy.deepcopy(task)
        task.update(id=n, project=1, annotations=task.get("annotations", []), drafts=[], meta={})
        for m, prediction in enumerate(task.get("predictions", []), start=1):
            prediction.update(id=n * 10 + m, created_at="2026-12-01T00:00:00Z", updated_at="2026-12-01T00:00:00Z")
        out.append(task)
    return out


# -- pull --predictions of our own corpus ---------------------------------------------------------------
def test_predictions_of_the_pushed_corpus_with_default_model_versions_convert_into_distinct_folders():
    corpus = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((default_corpus_dir() / "documents").glob("*.json"))]
    export = as_export([document_to_task(doc, "predictions") for doc in corpus])
    versions = {task["predictions"][0]["model_version"] for task in export if task.get("predictions")}
    assert len({v[:100] for v in versions}) < len(versions)  # the default versions share their first 100 characters
    converted = convert_export(export, include_predictions=True)  # used to stop: "would both be written to"
    assert converted.ok, converted.report["problems"][:3]
    written = [path for path in converted.documents if path.startswith("predictions/")]
    assert len(written) == sum(1 for task in export if task.get("predictions"))
    folders = {path.split("/")[1] for path in written}
    assert len(folders) == len(versions) and len({f.lower() for f in folders}) == len(folders)


def test_version_folders_are_readable_and_never_shared():
    assert version_folder("ner-0.3") == "ner-0.3"
    assert version_folder("a:b") != version_folder("a_b") and version_folder("a_b") == "a_b"
    assert version_folder("Model-A") != version_folder("model-a")  # one folder on case-insensitive file systems
    assert all(len(version_folder(v)) <= 100 for v in ("x" * 300, "wsw:" + "y" * 250))


# -- --partial and a layer whose every item failed -----------------------------------------------------
def test_with_partial_a_layer_whose_items_all_failed_is_not_recorded_as_absent():
    result = [item for item in copy.deepcopy(ANNOTATOR_A) if item.get("from_name") != "annotated_layers"]
    for item in result:
        if item.get("value", {}).get("labels") == ["Quote"]:
            item["value"]["labels"] = ["Quotation"]  # every quote fragment fails
    task = document_to_task(load_doc(MINI), None)
    task["annotations"] = [{"id": 5, "completed_by": 3, "result": result, "created_at": "2026-12-01T00:00:00Z"}]
    converted = convert_export(as_export([task]), partial=True)
    doc = converted.documents[f"annotators/ls-user-3/{MINI}.json"]
    quotes = doc["provenance"]["layers"]["quotes"]
    assert doc["quotes"] == [] and quotes["status"] == "draft", quotes  # was "absent": "nobody annotated quotes"
    assert any(change.startswith("FAILED: all items of this layer failed") for change in quotes["changes"])
    assert any("[LS-ITEM-DEPENDS]" in change and "said_by" in change for change in quotes["changes"])
    assert doc["provenance"]["layers"]["claims"]["status"] == "absent"  # a layer nobody touched stays absent
    assert not [p for p in validate_document(doc) if p.level == "error"]
    assert not convert_export(as_export([task])).documents  # without --partial nothing is written


# -- other export formats, other labeling configs ------------------------------------------------------
@pytest.mark.parametrize("name, content, says", [
    ("project-3.csv", "id,annotation_id,annotator,text,mention\n1,2,1,\"Zoe said\",PER\n", "CSV"),
    ("project-3.conll", "-DOCSTART- -X- O\n\nZoe -X- _ B-PER\nsaid -X- _ O\n", "CONLL"),
    ("project-3.tsv", "id\ttext\tmention\n1\tZoe said\tPER\n", "TSV"),
])
def test_a_csv_tsv_or_conll_export_is_named_as_such_not_called_truncated(wsw, tmp_path, name, content, says):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = wsw("labelstudio", "convert", path, "--out", tmp_path / "out")
    assert result.returncode == 1 and rules_in(result.stderr) == ["LS-EXPORT-FORMAT"], result.stderr
    assert says in result.stderr and "truncated" not in result.stderr and "export the project as JSON" in result.stderr


def test_a_project_with_another_labeling_config_is_said_to_have_one():
    export = [{"id": 1, "project": 9, "data": {"text": "Zoe said so."}, "meta": {}, "drafts": [], "predictions": [],
               "annotations": [{"id": 2, "completed_by": 1, "result": [
                   {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                    "value": {"start": 0, "end": 3, "text": "Zoe", "labels": ["PERSON"]}}]}]}]
    converted = convert_export(export, source="other.json")
    assert [p["rule"] for p in converted.report["problems"]] == ["LS-CONFIG-FOREIGN"]  # was "tasks must be pushed with wsw"
    assert "labeling config is not the one wsw generates" in converted.report["problems"][0]["message"]
    assert converted.report["problems"][0]["task"] == 1


# -- convert must not delete its own input ------------------------------------------------------------
def test_convert_whose_out_holds_its_own_input_is_refused_and_writes_nothing(wsw, tmp_path):
    out = tmp_path / "pull"
    write_output(out, convert_export(json.loads(SYNC.read_text(encoding="utf-8"))), SYNC.read_bytes())
    export = out / "labelstudio-export.json"  # the export a pull keeps beside its documents
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = wsw("labelstudio", "convert", export, "--out", out)
    assert result.returncode == 2 and rules_in(result.stderr) == ["OUT-OVERLAPS-INPUT"], result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # it used to be deleted
    assert not (tmp_path / "pull.failed").exists()
    mapping = out / "map.json"  # the annotator map counts as an input too
    mapping.write_text('{"1": "annotator-01"}', encoding="utf-8")
    result = wsw("labelstudio", "convert", SYNC, "--out", out, "--annotators", mapping)
    assert result.returncode == 2 and rules_in(result.stderr) == ["OUT-OVERLAPS-INPUT"] and mapping.is_file()


# -- annotator ids that differ only by case ---------------------------------------------------------------
def test_annotator_ids_that_differ_only_by_case_are_refused_on_convert():
    with pytest.raises(ProblemError) as err:
        convert_export(json.loads(SYNC.read_text(encoding="utf-8")), annotators=Annotators({"1": "Ann-1", "2": "ann-1"}))
    assert err.value.rules == ["LS-ANNOTATOR-CASE"] and "'Ann-1'" in str(err.value) and "'ann-1'" in str(err.value)


def test_annotator_ids_that_differ_only_by_case_are_refused_before_push_contacts_the_server(wsw, tmp_path):
    folders = two_annotators(tmp_path / "work")
    renamed = tmp_path / "work" / "ANN-X"
    renamed.mkdir()
    for path in folders["ann-x"].glob("*.json"):
        text = path.read_text(encoding="utf-8").replace('"id": "ann-x"', '"id": "ANN-X"')
        (renamed / path.name).write_text(text, encoding="utf-8")
    result = wsw("labelstudio", "push", "--project", "p-case", "--annotator-from-provenance", "--url",
                 "http://127.0.0.1:9", "--retries", "1", folders["ann-x"], renamed, env={"WSW_LABEL_STUDIO_TOKEN": "t" * 40})
    assert result.returncode == 1 and rules_in(result.stderr) == ["LS-ANNOTATOR-CASE"], result.stderr
    assert "Label Studio at" not in result.stderr


# -- the --annotators map: e-mail keys, and keys that match nobody ----------------------------------------
def test_email_keys_apply_to_users_an_export_names_with_their_address_and_unused_keys_are_reported():
    export = json.loads(SYNC.read_text(encoding="utf-8"))
    for task in export:
        for annotation in task["annotations"]:
            if annotation["completed_by"] == 2:
                annotation["completed_by"] = {"id": 2, "email": " Jane.Doe@Example.org", "first_name": "Jane"}
    mapping = {"jane.doe@example.org": "annotator-04", "1": "annotator-01", "jon@example.org": "annotator-09"}
    converted = convert_export(export, annotators=Annotators(mapping))
    assert {path.split("/")[1] for path in converted.documents} == {"annotator-04", "annotator-01"}
    unused = [w for w in converted.report["warnings"] if w["rule"] == "LS-MAP-UNUSED"]
    assert [w["found"] for w in unused] == ["jon@example.org"]  # a typo is said, not silently ignored
    assert "jane" not in json.dumps(list(converted.documents.values())).lower()


# -- the strict JSON reader ---------------------------------------------------------------------------------
def test_exports_are_read_strictly(wsw, tmp_path):
    duplicated = tmp_path / "dup.json"
    duplicated.write_text('[{"id": 1, "data": {"text": "a", "text": "b"}, "annotations": []}]', encoding="utf-8")
    zipped = tmp_path / "export.json"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("export.json", SYNC.read_text(encoding="utf-8"))
    for path, rule in ((duplicated, "JSON-DUPLICATE-KEY"), (zipped, "FILE-BINARY")):
        result = wsw("labelstudio", "convert", path, "--out", tmp_path / "out")
        assert result.returncode == 1 and rules_in(result.stderr) == [rule], result.stderr
    assert not (tmp_path / "out").exists()


def test_a_fifo_named_like_an_export_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "whosaidwhat.cli", "labelstudio", "convert", str(fifo), "--out",
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and rules_in(result.stderr) == ["FILE-NOT-REGULAR"], result.stderr


# -- serve: the port Label Studio really bound, a private data folder --------------------------------------------
FAKE_LABEL_STUDIO = '''\
#!{python}
"""A stand-in for label-studio: finds its port taken (as the real one may), moves to port+1 and says so."""
import http.server, os, sys
args = sys.argv[1:]
port = int(args[args.index("--port") + 1]) + 1
data = args[args.index("--data-dir") + 1]
open(os.path.join(data, "label_studio.sqlite3"), "w").write("holds the token")
print("*** WARNING! ***\\n* Port %d is in use.\\n* Trying to start at %d" % (port - 1, port), flush=True)
token = os.environ["LABEL_STUDIO_USER_TOKEN"]
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        ok = self.headers.get("Authorization") == "Token " + token
        body = b'{{"id": 1}}'
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
'''


@pytest.fixture
def fake_label_studio(tmp_path):
    path = tmp_path / "bin" / "label-studio"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(FAKE_LABEL_STUDIO.format(python=sys.executable)), encoding="utf-8")
    path.chmod(0o755)
    return path


def _free_pair() -> int:
    for _ in range(50):
        port = srv.free_port()
        if port < 65535 and not srv.port_in_use(port + 1):
            return port
    raise AssertionError("no two free ports in a row")


def test_start_follows_label_studio_to_the_port_it_moved_to_and_keeps_the_data_private(fake_label_studio, tmp_path):
    port = _free_pair()
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    server = srv.start(fake_label_studio, data, port, username="a@b.c", password="p", token="tok", ready_timeout=30)
    try:
        assert server.url == f"http://127.0.0.1:{port + 1}"  # it used to wait for port {port} until timing out
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert stat.S_IMODE((data / "label_studio.sqlite3").stat().st_mode) & 0o077 == 0  # created under umask 077
    finally:
        server.stop()


def test_serve_reports_and_records_the_port_label_studio_really_bound(fake_label_studio, tmp_path):
    port = _free_pair()
    creds, data = tmp_path / "creds.json", tmp_path / "data"
    env = {**os.environ, srv.BIN_ENV: str(fake_label_studio)}
    with open(tmp_path / "serve.txt", "wb") as out:
        serve = subprocess.Popen([sys.executable, "-m", "whosaidwhat.cli", "labelstudio", "serve", "--data-dir", str(data),
                                  "--port", str(port), "--config", str(creds), "--no-install"], env=env,
                                 stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not creds.is_file() and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.2)
        record = json.loads(creds.read_text(encoding="utf-8"))
        assert record["url"] == f"http://127.0.0.1:{port + 1}"
        time.sleep(0.3)
        said = (tmp_path / "serve.txt").read_text(encoding="utf-8")
        assert f"running at http://127.0.0.1:{port + 1}" in said and f"port {port} was taken" in said
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
