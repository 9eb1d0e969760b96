"""Triggers of the `labelstudio` rules: the smallest bad input for each, run through the real checker.

None needs a Label Studio server: connection rules use a loopback HTTP stand-in or a closed
port, project and export rules a stand-in SDK object behind the real `Client`, decoding and
conversion rules in-memory exports built from a fixture document.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

from whosaidwhat.core.inventory import load_inventory
from whosaidwhat.core.problems import ProblemError

FIXTURES = Path(__file__).parents[1] / "labelstudio" / "fixtures"
MINI = "ls-mini-unicode"
TEXT = "Zoe said so."


def _raised(fn, *args, **kwargs) -> list[str]:
    try:
        fn(*args, **kwargs)
    except ProblemError as exc:
        return exc.rules
    return []


def _cli(request, *argv) -> list[str]:
    from whosaidwhat.cli import main

    capsys = request.getfixturevalue("capsys")
    main([str(a) for a in argv])
    return re.findall(r"\[([A-Z0-9-]+)\]", capsys.readouterr().err)


def _doc() -> dict:
    return json.loads((FIXTURES / "documents" / f"{MINI}.json").read_text(encoding="utf-8"))


# -- conversion of in-memory exports -------------------------------------------------------------------
def _task(annotations=(), **change) -> dict:
    from whosaidwhat.labelstudio.encode import document_to_task

    task = document_to_task(_doc(), None)
    task.update(id=1, project=1, annotations=list(annotations), predictions=[], drafts=[], meta={})
    for key, value in change.items():
        task["data"][key] = value
    return task


def _converted(tasks, **options) -> list[str]:
    from whosaidwhat.labelstudio.convert import convert_export

    report = convert_export(tasks, **options).report
    return [p["rule"] for p in report["problems"] + report["warnings"]]


def _annotation(**fields) -> dict:
    return {"id": 7, "completed_by": 1, "result": [], "created_at": "2026-12-01T00:00:00Z", **fields}


# -- decoding one result list ------------------------------------------------------------------------------
def _region(rid, start, end, text, label, group="mention"):
    return {"id": rid, "from_name": group, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def _kind(rid, start, end, text, kind="name"):
    return {"id": rid, "from_name": "mention_kind", "to_name": "text", "type": "choices",
            "value": {"start": start, "end": end, "text": text, "choices": [kind]}}


def _key(rid, start, end, key):
    return {"id": rid, "from_name": "entity", "to_name": "text", "type": "textarea",
            "value": {"start": start, "end": end, "text": [key]}}


def _decoded(result, text=TEXT, region=None) -> list[str]:
    from whosaidwhat.labelstudio.decode import decode_result

    problems = decode_result(text, result, load_inventory()).problems
    return [p.rule for p in problems if region is None or p.region == region]


def _depends(tmp_path, request):
    """A quote whose speaker mention was left out for its own error: the quote's problems are LS-ITEM-DEPENDS."""
    result = [_region("m1", 0, 3, "Xoe", "PER"), _kind("m1", 0, 3, "Xoe"),
              _region("q1", 9, 11, "so", "Quote", "attribution"),
              {"id": "q1", "from_name": "quote_type", "to_name": "text", "type": "choices",
               "value": {"start": 9, "end": 11, "text": "so", "choices": ["direct"]}},
              {"from_id": "q1", "to_id": "m1", "type": "relation", "labels": ["said_by"]}]
    return _decoded(result, region="q1")


# -- the server, through the real Client -------------------------------------------------------------------
class _Answering:
    """A loopback HTTP server that answers every request with one status."""

    def __init__(self, status: int):
        outer = self
        self.status = status

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = json.dumps({"detail": f"status {outer.status}"}).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def client(self):
        return _client(self.url)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _client(url: str, sdk=None):
    from whosaidwhat.labelstudio.client import Client, Credentials, RetryPolicy

    client = Client(Credentials(url, "t" * 20), RetryPolicy(attempts=1, base_delay=0, timeout=5), sleep=lambda s: None)
    client._sdk = sdk
    return client


def _served(status: int, call) -> list[str]:
    server = _Answering(status)
    try:
        return _raised(call, server.client())
    finally:
        server.close()


def _pager(items, total=None):
    return SimpleNamespace(items=items, response=SimpleNamespace(total=total if total is not None else len(items)))


def _sdk(projects=(), export_status="completed"):
    exports = SimpleNamespace(create=lambda **kw: SimpleNamespace(id=1),
                              get=lambda **kw: SimpleNamespace(status=export_status),
                              download=lambda **kw: [b"[]"], delete=lambda **kw: None)
    return SimpleNamespace(projects=SimpleNamespace(list=lambda **kw: _pager(list(projects) if kw.get("page", 1) == 1 else []),
                                                    get=lambda **kw: SimpleNamespace(label_config=""),
                                                    exports=exports),
                           users=SimpleNamespace(list=lambda: []))


def _pull_missing(tmp_path, request):
    from whosaidwhat.labelstudio.pull import pull

    return _raised(pull, _client("http://127.0.0.1:9", _sdk()), "campaign", tmp_path / "out")


def _ambiguous(tmp_path, request):
    twins = [SimpleNamespace(id=1, title="campaign"), SimpleNamespace(id=2, title="campaign")]
    return _raised(_client("http://127.0.0.1:9", _sdk(twins)).find_project, "campaign")


def _export_failed(tmp_path, request):
    return _raised(_client("http://127.0.0.1:9", _sdk(export_status="failed")).export_snapshot, 1)


def _short_title(tmp_path, request):
    from whosaidwhat.labelstudio.push import ensure_project

    return _raised(ensure_project, _client("http://127.0.0.1:9"), "ab")  # refused before any request


def _no_credentials(tmp_path, request):
    from whosaidwhat.labelstudio.client import resolve_credentials

    monkeypatch = request.getfixturevalue("monkeypatch")
    for name in ("WSW_LABEL_STUDIO_URL", "LABEL_STUDIO_URL", "WSW_LABEL_STUDIO_TOKEN", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return _raised(resolve_credentials, config=tmp_path / "none.json")


def _open_credentials(tmp_path, request):
    from whosaidwhat.labelstudio.client import read_config

    path = tmp_path / "labelstudio.json"
    path.write_text('{"url": "http://127.0.0.1:9", "token": "x"}')
    path.chmod(0o644)
    return _raised(read_config, path)


def _unreachable(tmp_path, request):
    from whosaidwhat.labelstudio.server import free_port

    return _raised(_client(f"http://127.0.0.1:{free_port()}").whoami)


# -- a local server ----------------------------------------------------------------------------------------
def _missing_binary(tmp_path, request):
    from whosaidwhat.labelstudio import server as srv

    request.getfixturevalue("monkeypatch").setenv(srv.BIN_ENV, str(tmp_path / "no" / "label-studio"))
    return _raised(srv.find_binary)


def _start(tmp_path, port, binary=None):
    from whosaidwhat.labelstudio import server as srv

    if binary is None:
        binary = tmp_path / "label-studio"
        binary.write_text("#!/bin/sh\nexit 3\n")
        binary.chmod(0o755)
    return _raised(srv.start, binary, tmp_path / "data", port, username="a@b.c", password="p", token="t",
                   ready_timeout=20)


def _start_fails(tmp_path, request):
    from whosaidwhat.labelstudio.server import free_port

    return _start(tmp_path, free_port())


def _port_in_use(tmp_path, request):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        return _start(tmp_path, sock.getsockname()[1])


def _foreign_data_dir(tmp_path, request):
    data = tmp_path / "data"
    data.mkdir()
    (data / "label_studio.sqlite3").write_bytes(b"")
    request.getfixturevalue("monkeypatch").setenv("WSW_LABEL_STUDIO_BIN", "/bin/true")
    return _cli(request, "labelstudio", "serve", "--data-dir", data, "--config", tmp_path / "creds.json", "--no-install")


def _stale_config(tmp_path, request):
    path = tmp_path / "config.xml"
    path.write_text("<View/>\n")
    return _cli(request, "labelstudio", "config", "--check", path)


# -- push ------------------------------------------------------------------------------------------------------
def _withheld(tmp_path, request):
    from whosaidwhat.labelstudio.encode import document_to_task

    doc = _doc()
    doc["text"] = None
    return _raised(document_to_task, doc)


def _pushed_twice(tmp_path, request):
    from whosaidwhat.labelstudio.push import read_documents

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{MINI}.json").write_text(json.dumps(_doc(), ensure_ascii=False), encoding="utf-8")
    return _raised(list, read_documents([tmp_path / "a", tmp_path / "b"]))


def _text_differs(tmp_path, request):
    from whosaidwhat.labelstudio.push_annotators import Item, _check_texts

    task = SimpleNamespace(id=4, data={"text": "another text"})
    return _raised(_check_texts, [Item("a.json", _doc(), "ann-x")], {MINI: [task]}, "campaign")


def _no_documents(tmp_path, request):
    (tmp_path / "empty").mkdir()
    return _cli(request, "labelstudio", "push", "--project", "campaign", "--url", "http://127.0.0.1:9", "--token", "t",
                tmp_path / "empty")


def _producer(tmp_path, request):
    from whosaidwhat.labelstudio.annotators import annotator_of

    doc = {"provenance": {"layers": {"mentions": {"producers": [{"id": "not an id!"}]}}}}
    return _raised(annotator_of, doc, "a.json")


def _user_conflict(tmp_path, request):
    from whosaidwhat.labelstudio.annotators import ensure_users

    someone = SimpleNamespace(id=3, email="ann-x@annotators.invalid", first_name="somebody")
    client = SimpleNamespace(users=lambda: [someone], create_user=lambda *a: None)
    return _raised(ensure_users, client, ["ann-x"])


def _pipe(tmp_path, request):
    from whosaidwhat.labelstudio.encode import document_to_results

    doc = _doc()
    doc["entities"].append({"id": "e-alone", "type": "PER", "name": "A | B", "kb_id": None})
    return _raised(document_to_results, doc)


# -- who is who ---------------------------------------------------------------------------------------------
def _case(tmp_path, request):
    from whosaidwhat.labelstudio.annotators import check_case_collisions

    return _raised(check_case_collisions, ["Ann-1", "ann-1"])


def _collision(tmp_path, request):
    from whosaidwhat.labelstudio.convert import Annotators

    tasks = [_task([_annotation(id=1, completed_by=1), _annotation(id=2, completed_by=2)])]
    return _raised(_converted, tasks, annotators=Annotators({"1": "ann:1", "2": "ann_1"}))


def _map_invalid(tmp_path, request):
    from whosaidwhat.labelstudio.annotators import check_map

    return _raised(check_map, ["not", "an", "object"], "map.json")


def _map_unused(tmp_path, request):
    from whosaidwhat.labelstudio.convert import Annotators

    return _converted([_task([_annotation()])], annotators=Annotators({"2": "annotator-02"}))


# -- reading an export ----------------------------------------------------------------------------------------
def _export_format(tmp_path, request):
    from whosaidwhat.labelstudio.convert import parse_export

    return _raised(parse_export, b"id,annotation_id,text\n1,2,Zoe said so.\n", "project.csv")


def _export_shape(tmp_path, request):
    from whosaidwhat.labelstudio.convert import check_export_shape

    return _raised(check_export_shape, {"not": "tasks"}, "x.json")


def _foreign(tmp_path, request):
    result = [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": 0, "end": 3, "text": "Zoe", "labels": ["PERSON"]}}]
    return _converted([{"id": 1, "data": {"text": TEXT}, "annotations": [_annotation(result=result)]}])


def _unwritable(tmp_path, request):
    ticked = {"id": "l", "from_name": "annotated_layers", "to_name": "text", "type": "choices",
              "value": {"choices": ["mentions"]}}  # an annotated layer, whose record carries the time
    return _converted([_task([_annotation(result=[ticked], created_at="2026-12-01\ud800")])])


def _malformed_record(tmp_path, request):
    task = _task([_annotation(import_id=5)])
    task["meta"] = {"wsw": {"annotations": {"5": {"annotator": 1}}}}
    return _converted([task])


TRIGGERS = {
    "LS-CREDENTIALS-MISSING": _no_credentials,
    "LS-CREDENTIALS-OPEN": _open_credentials,
    "LS-SERVER-UNREACHABLE": _unreachable,
    "LS-SERVER-TOKEN": lambda tmp_path, request: _served(401, lambda client: client.whoami()),
    "LS-SERVER-REFUSED": lambda tmp_path, request: _served(404, lambda client: client.whoami()),
    "LS-SERVER-UNCERTAIN": lambda tmp_path, request: _served(500, lambda client: client.import_tasks(1, [{"data": {}}])),
    "LS-EXPORT-FAILED": _export_failed,
    "LS-PROJECT-MISSING": _pull_missing,
    "LS-PROJECT-AMBIGUOUS": _ambiguous,
    "LS-PROJECT-TITLE": _short_title,
    "LS-BINARY-MISSING": _missing_binary,
    "LS-SERVER-START": _start_fails,
    "LS-PORT-IN-USE": _port_in_use,
    "LS-DATA-DIR-FOREIGN": _foreign_data_dir,
    "LS-CONFIG-STALE": _stale_config,
    "LS-PUSH-TEXT-WITHHELD": _withheld,
    "LS-PUSH-DUPLICATE-DOC": _pushed_twice,
    "LS-PUSH-TEXT-DIFFERS": _text_differs,
    "LS-PUSH-NO-DOCUMENTS": _no_documents,
    "LS-PRODUCER-ID": _producer,
    "LS-USER-CONFLICT": _user_conflict,
    "LS-UNMENTIONED-PIPE": _pipe,
    "LS-ANNOTATOR-CASE": _case,
    "LS-ANNOTATOR-COLLISION": _collision,
    "LS-ANNOTATOR-UNKNOWN": lambda tmp_path, request: _converted([_task([_annotation(completed_by="somebody")])]),
    "LS-MAP-INVALID": _map_invalid,
    "LS-MAP-UNUSED": _map_unused,
    "LS-EXPORT-FORMAT": _export_format,
    "LS-EXPORT-SHAPE": _export_shape,
    "LS-CONFIG-FOREIGN": _foreign,
    "LS-TASK-NOT-WSW": lambda tmp_path, request: _converted([{"id": 1, "data": {"text": TEXT}, "annotations": []}]),
    "LS-TASK-TEXT": lambda tmp_path, request: _converted([_task(text="")]),
    "LS-TASK-TEXT-CHANGED": lambda tmp_path, request: _converted([_task(text=_doc()["text"] + " edited")]),
    "LS-ANNOTATION-SHAPE": lambda tmp_path, request: _converted([_task(["not an annotation"])]),
    "LS-PUSH-RECORD": _malformed_record,
    "LS-LEAD-TIME": lambda tmp_path, request: _converted([_task([_annotation(lead_time=-1)])]),
    "LS-VALUE-UNWRITABLE": _unwritable,
    "LS-RESULT-SHAPE": lambda tmp_path, request: _decoded("not a list"),
    "LS-REGION-LABEL": lambda tmp_path, request: _decoded([_region("m1", 0, 3, "Zoe", "NOBODY")]),
    "LS-REGION-OFFSETS": lambda tmp_path, request: _decoded([_region("m1", 0, 3, "xyz", "PER")]),
    "LS-OFFSETS-UTF16": lambda tmp_path, request: _decoded([_region("m1", 3, 6, "Zoe", "PER"), _kind("m1", 3, 6, "Zoe")],
                                                           text="\U0001F600 Zoe said so."),
    "LS-REGION-VALUE": lambda tmp_path, request: _decoded([_kind("nowhere", 0, 3, "Zoe")]),
    "LS-RELATION": lambda tmp_path, request: _decoded([{"from_id": "a", "to_id": "b", "type": "relation", "labels": []}]),
    "LS-ENTITY-CONFLICT": lambda tmp_path, request: _decoded([
        _region("m1", 0, 3, "Zoe", "PER"), _kind("m1", 0, 3, "Zoe"), _key("m1", 0, 3, "k1"),
        _region("m2", 9, 11, "so", "PER"), _kind("m2", 9, 11, "so", "pronoun"), _key("m2", 9, 11, "k2"),
        {"from_id": "m1", "to_id": "m2", "type": "relation", "labels": ["coref"]}]),
    "LS-UNMENTIONED": lambda tmp_path, request: _decoded([{"id": "u", "from_name": "unmentioned_entities", "to_name": "text",
                                                          "type": "textarea", "value": {"text": ["not a line"]}}]),
    "LS-ITEM-INCOMPLETE": lambda tmp_path, request: _decoded([_region("m1", 0, 3, "Zoe", "PER")]),
    "LS-ITEM-DEPENDS": _depends,
    "LS-LAYERS-UNKNOWN": lambda tmp_path, request: _decoded([{"id": "l", "from_name": "annotated_layers", "to_name": "text",
                                                             "type": "choices", "value": {"choices": ["nope"]}}]),
}
