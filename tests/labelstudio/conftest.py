"""One real Label Studio server per test session, started through `wsw labelstudio serve`.

The server binary comes from $WSW_LABEL_STUDIO_BIN (CI's .ci/run installs label-studio==1.23.2 in
its own venv and sets it) or the per-user cache venv. Tests never install it: if it is missing,
every test that needs the server FAILS with instructions. The server gets a free 127.0.0.1 port
and a fresh data dir, and is stopped by PID at the end of the session. It serves at most
TASK_PAGE_MAX tasks per page (TASK_API_PAGE_SIZE_MAX), so listings are tested past the first page.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from whosaidwhat.core.errors import UserError
from whosaidwhat.labelstudio import server as srv
from whosaidwhat.labelstudio.client import Client, Credentials, RetryPolicy

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = FIXTURES / "documents"
TASK_PAGE_MAX = 100


def _stop_group(pid: int, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """A running Label Studio: {url, token, creds, serve_output, log, pid}."""
    try:
        binary = srv.find_binary()
    except UserError as exc:
        pytest.fail(f"Label Studio server not usable: {exc}", pytrace=False)
    if binary is None:
        pytest.fail(f"Label Studio {srv.LS_VERSION} not found ({srv.BIN_ENV} unset, no {srv.default_venv()}); "
                    f"{srv.INSTALL_HINT}", pytrace=False)
    base = tmp_path_factory.mktemp("label-studio")
    data_dir, creds, output = base / "data", base / "credentials.json", base / "serve-output.txt"
    port = srv.free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("WSW_LABEL_STUDIO_URL", "WSW_LABEL_STUDIO_TOKEN", "LABEL_STUDIO_API_KEY")}
    env[srv.BIN_ENV] = str(binary)
    # as production servers often do: at most 100 tasks per page, whatever page_size a client asks for,
    # so that every listing is tested past its first page (Label Studio reads the bare name too)
    env["LABEL_STUDIO_TASK_API_PAGE_SIZE_MAX"] = str(TASK_PAGE_MAX)
    with open(output, "wb") as out:
        serve = subprocess.Popen(
            [sys.executable, "-m", "whosaidwhat.cli", "labelstudio", "serve", "--data-dir", str(data_dir),
             "--port", str(port), "--config", str(creds), "--no-install"],
            env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    record = None
    try:
        deadline = time.monotonic() + 240
        while record is None:
            if serve.poll() is not None:
                pytest.fail(f"`wsw labelstudio serve` exited ({serve.returncode}):\n{output.read_text()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"Label Studio not ready after 240 s:\n{output.read_text()}", pytrace=False)
            if creds.is_file():
                record = json.loads(creds.read_text())
            else:
                time.sleep(0.25)
        yield {"url": record["url"], "token": record["token"], "creds": creds, "record": record,
               "serve_output": output, "log": data_dir / "server.log", "pid": record["pid"], "serve_pid": serve.pid}
    finally:
        _stop_group(serve.pid, signal.SIGTERM)  # serve stops its server on SIGTERM (and Ctrl-C)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _stop_group(serve.pid, signal.SIGKILL)
            serve.wait()
        if record is not None:  # belt and braces: the server's own process group
            _stop_group(record["pid"], signal.SIGKILL)


@pytest.fixture(scope="session")
def client(label_studio) -> Client:
    return Client(Credentials(label_studio["url"], label_studio["token"]), RetryPolicy(attempts=3, timeout=60))


_counter = itertools.count(1)


@pytest.fixture
def project_title(request) -> str:
    """A project title unique in the session."""
    return f"t{next(_counter):02d}-{request.node.name[:40]}"


def load_doc(name: str) -> dict:
    return json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))
