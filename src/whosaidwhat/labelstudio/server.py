"""A local Label Studio server: find or install it, start it on 127.0.0.1, wait for it, stop it.

Label Studio pins old pyarrow/pytz/Django versions, so it lives in its own virtual environment
(`WSW_LABEL_STUDIO_BIN` names its `label-studio` executable; otherwise a per-user cache venv).
The server is started with telemetry, version checks and Sentry off, a bootstrapped admin and a
fixed API token, in its own process group so it can be stopped by PID. Readiness is checked with
an authenticated call using our token, because Label Studio silently moves to port+1 when the
requested port is busy and a foreign server could answer. The port it really bound is read from
its log ("Trying to start at N") and the server's URL follows it. The data folder is made private
(0700, files created with umask 077): its SQLite database holds the API token.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.atomic import atomic_open
from ..core.problems import fail

LS_VERSION = "1.23.2"
BIN_ENV = "WSW_LABEL_STUDIO_BIN"
#: environment variables Label Studio also reads under their bare names; never pass ours through
_LEAKY_ENV = ("PORT", "HOST", "USERNAME", "PASSWORD", "DEBUG", "LOG_LEVEL", "DATABASE_NAME", "DJANGO_SETTINGS_MODULE",
              "DJANGO_DB", "LABEL_STUDIO_API_KEY")
INSTALL_HINT = (f"install it with `python3 -m venv ls-venv && ls-venv/bin/pip install label-studio=={LS_VERSION}` "
                f"and set {BIN_ENV}=$PWD/ls-venv/bin/label-studio (or run `wsw labelstudio serve`, which installs it)")


def default_venv() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "whosaidwhat" / f"label-studio-{LS_VERSION}"


def find_binary() -> Path | None:
    """The label-studio executable: $WSW_LABEL_STUDIO_BIN, else the cache venv's, else None."""
    configured = os.environ.get(BIN_ENV)
    if configured:
        path = Path(configured).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            fail("LS-BINARY-MISSING", f"{BIN_ENV}={configured}: no executable there; {INSTALL_HINT}", file=configured)
        return path
    candidate = default_venv() / "bin" / "label-studio"
    return candidate if candidate.is_file() else None


def install(venv: Path, echo: Callable[[str], None]) -> Path:
    """Create `venv` with label-studio==LS_VERSION; return its label-studio executable."""
    echo(f"Label Studio {LS_VERSION} not found: installing it into {venv} (its own virtual environment, "
         "about 1 GB, 1-2 minutes) ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"label-studio=={LS_VERSION}"],
                       check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        fail("LS-BINARY-MISSING", f"could not install Label Studio into {venv}: {exc}; {INSTALL_HINT}", file=str(venv))
    echo(f"installed Label Studio {LS_VERSION} into {venv}")
    return venv / "bin" / "label-studio"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def server_env(data_dir: Path, username: str, password: str, token: str) -> dict:
    """The environment of the server process: bootstrap admin and token, nothing outbound."""
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_ENV}
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": username,
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
    })
    return env


@dataclass
class Server:
    """A running server started by us."""

    process: subprocess.Popen
    url: str
    token: str
    username: str
    password: str
    data_dir: Path
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the server's own process group, SIGKILL if it does not stop."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _answers_with_our_token(url: str, token: str) -> bool:
    request = urllib.request.Request(url + "/api/current-user/whoami", headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


#: what Label Studio prints when the requested port is busy and it moves on (to port+1, port+2, ...)
_MOVED = re.compile(rb"Trying to start at (\d+)")
PRIVATE_DIR = 0o700


def private_data_dir(data_dir: Path) -> None:
    """Create the data folder readable by the user only, and make an existing one (and its database) so."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(data_dir, PRIVATE_DIR)
    for name in ("label_studio.sqlite3", "label_studio.sqlite3-journal", "label_studio.sqlite3-wal"):
        if (data_dir / name).is_file():
            os.chmod(data_dir / name, 0o600)


def bound_port(log_path: Path, offset: int, requested: int) -> int:
    """The port Label Studio bound: the last "Trying to start at N" it logged after `offset`, else the one requested."""
    try:
        with open(log_path, "rb") as fh:
            fh.seek(offset)
            found = _MOVED.findall(fh.read())
    except OSError:
        return requested
    return int(found[-1]) if found else requested


def start(binary: Path, data_dir: Path, port: int, *, username: str, password: str, token: str,
          ready_timeout: float = 180.0, log_path: Path | None = None) -> Server:
    """Start label-studio on 127.0.0.1:port and wait until it accepts our token (on the port it really bound)."""
    data_dir = Path(data_dir)
    private_data_dir(data_dir)
    if port_in_use(port):
        fail("LS-PORT-IN-USE", f"port {port} on 127.0.0.1 is already in use; choose another with --port", found=str(port))
    log_path = Path(log_path or data_dir / "server.log")
    offset = log_path.stat().st_size if log_path.is_file() else 0
    log = open(log_path, "ab")
    try:
        process = subprocess.Popen(
            [str(binary), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
             "--data-dir", str(data_dir)],
            env=server_env(data_dir, username, password, token), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True, umask=0o077)
    except OSError as exc:
        fail("LS-SERVER-START", f"could not start {binary}: {exc}; {INSTALL_HINT}", file=str(binary))
    finally:
        log.close()
    server = Server(process, f"http://127.0.0.1:{port}", token, username, password, data_dir, log_path)
    try:
        _wait_ready(server, port, offset, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: Server, port: int, offset: int, ready_timeout: float) -> None:
    """Poll until the server accepts our token; follow it when its log says it moved to another port."""
    deadline = time.monotonic() + ready_timeout
    while True:
        server.url = f"http://127.0.0.1:{bound_port(server.log_path, offset, port)}"
        if _answers_with_our_token(server.url, server.token):
            return
        if server.process.poll() is not None:
            fail("LS-SERVER-START", f"label-studio exited with status {server.process.returncode} before it was ready; "
                 f"its log ({server.log_path}) ends with:\n{server.log_tail()}", file=str(server.log_path))
        if time.monotonic() > deadline:
            fail("LS-SERVER-START", f"label-studio did not accept our token on {server.url} within {ready_timeout:g} s; "
                 f"see {server.log_path}", file=str(server.log_path))
        time.sleep(0.25)


def write_credentials(path: Path, record: dict) -> None:
    """Write the credentials file readable by the user only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "w") as fh:  # mkstemp creates the file 0600; chmod again to be explicit
        os.chmod(fh.name, 0o600)
        fh.write(json.dumps(record, indent=1) + "\n")
    os.chmod(path, 0o600)


def new_secret(nbytes: int = 20) -> str:
    return secrets.token_hex(nbytes)
