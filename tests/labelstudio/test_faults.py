"""Dead, slow and failing servers: bounded retries with backoff, then one clear error; nothing half-written."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from whosaidwhat.core.problems import ProblemError
from whosaidwhat.labelstudio.client import Client, Credentials, RetryPolicy, resolve_credentials
from whosaidwhat.labelstudio.convert import convert_export
from whosaidwhat.labelstudio.output import write_output
from whosaidwhat.labelstudio.pull import pull
from whosaidwhat.labelstudio.server import free_port

from .campaign import FIXTURES

TOKEN = "secret-token-0123456789"
WHOAMI = {"id": 1, "email": "admin@example.com", "username": "admin", "first_name": "", "last_name": ""}


class FakeServer:
    """A loopback HTTP server that answers every request by a scripted list of behaviours."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append((self.command, self.path))
                action = outer.script.pop(0) if len(outer.script) > 1 else outer.script[0]
                if action == "slow":
                    time.sleep(1.5)
                    action = 200
                body = json.dumps(WHOAMI if action == 200 else {"detail": f"status {action}"}).encode()
                try:
                    self.send_response(action)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def client_for(url, attempts=3, timeout=5.0):
    sleeps = []
    client = Client(Credentials(url, TOKEN), RetryPolicy(attempts=attempts, base_delay=0.01, max_delay=0.04, timeout=timeout),
                    sleep=sleeps.append)
    return client, sleeps


def test_5xx_is_retried_with_backoff_then_reported():
    with FakeServer([503]) as server:
        client, sleeps = client_for(server.url, attempts=4)
        with pytest.raises(ProblemError) as err:
            client.whoami()
    assert len(server.requests) == 4
    assert sleeps == [0.01, 0.02, 0.04]
    message = str(err.value)
    assert err.value.rules == ["LS-SERVER-UNREACHABLE"]
    assert "answered 503" in message and "gave up after 4 attempts" in message and server.url in message
    assert TOKEN not in message


def test_transient_5xx_then_success_returns_the_answer():
    with FakeServer([502, 500, 200]) as server:
        client, sleeps = client_for(server.url)
        assert client.whoami().id == 1
    assert len(server.requests) == 3 and len(sleeps) == 2


def test_dead_server_is_reported_after_bounded_retries():
    client, sleeps = client_for(f"http://127.0.0.1:{free_port()}", attempts=3)
    with pytest.raises(ProblemError, match=r"could not be reached .* gave up after 3 attempts.*wsw labelstudio serve") as err:
        client.whoami()
    assert len(sleeps) == 2 and err.value.rules == ["LS-SERVER-UNREACHABLE"]


def test_slow_server_times_out_and_is_retried():
    with FakeServer(["slow"]) as server:
        client, _ = client_for(server.url, attempts=2, timeout=0.3)
        with pytest.raises(ProblemError, match="did not answer in time"):
            client.whoami()
    assert len(server.requests) == 2


def test_a_call_that_creates_something_is_not_repeated_after_a_timeout():
    with FakeServer(["slow"]) as server:
        client, _ = client_for(server.url, attempts=3, timeout=0.3)
        with pytest.raises(ProblemError, match="may or may not have been applied; running the command again is safe") as err:
            client.import_tasks(1, [{"data": {"text": "x", "doc_id": "x"}}])
    assert len(server.requests) == 1 and err.value.rules == ["LS-SERVER-UNCERTAIN"]


def test_rejected_token_fails_at_once_without_showing_it():
    with FakeServer([401]) as server:
        client, sleeps = client_for(server.url)
        with pytest.raises(ProblemError, match="refused the API token") as err:
            client.whoami()
    assert len(server.requests) == 1 and sleeps == [] and TOKEN not in str(err.value)
    assert err.value.rules == ["LS-SERVER-TOKEN"]


def test_pull_from_a_dead_server_leaves_the_previous_output_intact(tmp_path):
    out = tmp_path / "pull"
    export = json.loads((FIXTURES / "export-sync.json").read_text(encoding="utf-8"))
    write_output(out, convert_export(export))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    client, _ = client_for(f"http://127.0.0.1:{free_port()}", attempts=2)
    with pytest.raises(ProblemError, match="could not be reached"):
        pull(client, "any-project", out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_cli_push_to_a_dead_server_is_one_clear_line(wsw):
    port = free_port()
    result = wsw("labelstudio", "push", "--project", "nowhere", "--url", f"http://127.0.0.1:{port}",
                 "--retries", "2", "--timeout", "2", FIXTURES / "documents",
                 env={"WSW_LABEL_STUDIO_TOKEN": TOKEN})
    assert result.returncode == 1
    assert result.stderr.startswith("wsw: error: [LS-SERVER-UNREACHABLE] Label Studio at http://127.0.0.1:")
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stdout + result.stderr


# -- credentials ------------------------------------------------------------------------------
def test_credentials_come_from_the_file_serve_writes(tmp_path, monkeypatch):
    for name in ("WSW_LABEL_STUDIO_URL", "LABEL_STUDIO_URL", "WSW_LABEL_STUDIO_TOKEN", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "labelstudio.json"
    path.write_text(json.dumps({"url": "http://127.0.0.1:9/", "token": TOKEN}))
    path.chmod(0o600)
    credentials = resolve_credentials(config=path)
    assert (credentials.url, credentials.token) == ("http://127.0.0.1:9", TOKEN)
    assert TOKEN not in repr(credentials)
    monkeypatch.setenv("WSW_LABEL_STUDIO_URL", "http://127.0.0.1:10")
    assert resolve_credentials(config=path).url == "http://127.0.0.1:10"  # environment before the file
    assert resolve_credentials(url="http://h:1", config=path).url == "http://h:1"  # options before both


def test_a_credentials_file_others_can_read_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("WSW_LABEL_STUDIO_TOKEN", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    path = tmp_path / "labelstudio.json"
    path.write_text(json.dumps({"url": "http://127.0.0.1:9", "token": TOKEN}))
    path.chmod(0o644)
    with pytest.raises(ProblemError, match="readable by other users.*chmod 600") as err:
        resolve_credentials(config=path)
    assert err.value.rules == ["LS-CREDENTIALS-OPEN"] and err.value.problems[0].file == str(path)


def test_missing_credentials_say_where_to_get_them(tmp_path, monkeypatch):
    for name in ("WSW_LABEL_STUDIO_URL", "LABEL_STUDIO_URL", "WSW_LABEL_STUDIO_TOKEN", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ProblemError, match="wsw labelstudio serve") as err:
        resolve_credentials(config=tmp_path / "none.json")
    assert err.value.rules == ["LS-CREDENTIALS-MISSING"] and err.value.exit_code == 2


def test_serve_without_label_studio_and_without_install_says_how_to_get_it(wsw, tmp_path):
    result = wsw("labelstudio", "serve", "--no-install", "--data-dir", tmp_path / "d", "--config", tmp_path / "c.json",
                 env={"WSW_LABEL_STUDIO_BIN": str(tmp_path / "missing" / "label-studio")})
    assert result.returncode == 1
    assert "[LS-BINARY-MISSING]" in result.stderr and "pip install label-studio==1.23.2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "c.json").exists()


def test_credentials_file_is_private(tmp_path):
    from whosaidwhat.labelstudio.server import write_credentials

    path = tmp_path / "sub" / "labelstudio.json"
    write_credentials(path, {"url": "u", "token": TOKEN})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
