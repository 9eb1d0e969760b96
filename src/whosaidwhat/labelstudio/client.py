"""Talking to a Label Studio server: credentials, bounded retries with backoff, the few calls we need.

All traffic goes through label-studio-sdk over HTTP. The SDK's own retries are switched off so
that one policy applies everywhere: connection failures, timeouts, 429 and 5xx are retried with
exponential backoff a bounded number of times, then reported as one clear problem (LS-SERVER-...). Calls that
create things (project, import) are retried only when the request cannot have reached the server.
The token never appears in a message.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UserError
from ..core.jsonfile import read_json_object
from ..core.problems import fail

CONFIG_ENV = "WSW_LABEL_STUDIO_CONFIG"
URL_ENVS = ("WSW_LABEL_STUDIO_URL", "LABEL_STUDIO_URL")
TOKEN_ENVS = ("WSW_LABEL_STUDIO_TOKEN", "LABEL_STUDIO_API_KEY")


def config_path() -> Path:
    """Where `serve` writes and every command reads the server URL and token."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "whosaidwhat" / "labelstudio.json"


def read_config(path: Path) -> dict:
    """The credentials file; refuses one that other users can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        fail("LS-CREDENTIALS-OPEN", f"credentials file is readable by other users (mode {stat.S_IMODE(mode):o}); "
             f"run `chmod 600 {path}`", file=str(path), found=f"{stat.S_IMODE(mode):o}", expected="600")
    return read_json_object(path, "the Label Studio credentials file", "expected a JSON object with url and token")


@dataclass(frozen=True)
class Credentials:
    url: str
    token: str = ""

    def __repr__(self) -> str:  # never show the token
        return f"Credentials(url={self.url!r}, token=***)"


def resolve_credentials(url: str | None = None, token: str | None = None,
                        config: str | Path | None = None) -> Credentials:
    """URL and token from the options, else the environment, else the credentials file."""
    path = Path(config).expanduser() if config else config_path()
    stored: dict | None = None

    def from_file(key):
        nonlocal stored
        if stored is None:
            stored = read_config(path)
        return stored.get(key)

    url = url or next((os.environ[e] for e in URL_ENVS if os.environ.get(e)), None) or from_file("url")
    token = token or next((os.environ[e] for e in TOKEN_ENVS if os.environ.get(e)), None) or from_file("token")
    if not url or not token:
        missing = "URL" if not url else "API token"
        fail("LS-CREDENTIALS-MISSING", f"no Label Studio {missing}: pass --url and --token, set {URL_ENVS[0]} and "
             f"{TOKEN_ENVS[0]}, or start a local server with `wsw labelstudio serve` (it writes {path})")
    return Credentials(url.rstrip("/"), token)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: `attempts` tries, waiting base_delay * 2**n (at most max_delay) between them."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 60.0

    def delay(self, attempt: int) -> float:
        return min(self.base_delay * (2 ** attempt), self.max_delay)


class Client:
    """A Label Studio connection with the retry policy applied to every call."""

    def __init__(self, credentials: Credentials, policy: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], None] = time.sleep):
        self.credentials = credentials
        self.policy = policy
        self.sleep = sleep
        self._sdk = None

    # -- the retry loop ----------------------------------------------------------------------
    def _make_sdk(self):
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.credentials.url, api_key=self.credentials.token,
                           timeout=self.policy.timeout, max_retries=0)

    def _redact(self, text: str) -> str:
        token = self.credentials.token
        return text.replace(token, "***") if token else text

    def call(self, what: str, fn: Callable, *, creates: bool = False):
        """Run `fn(sdk)`; retry transient failures; turn everything else into one problem about `what`."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        started = time.monotonic()
        last = "did not answer"
        for attempt in range(self.policy.attempts):
            if attempt:
                self.sleep(self.policy.delay(attempt - 1))
            try:
                if self._sdk is None:
                    self._sdk = self._make_sdk()
                return fn(self._sdk)
            except ApiError as exc:
                last = self._api_error(exc, what, creates)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                last = f"could not be reached ({type(exc).__name__}: {self._redact(str(exc)) or 'connection failed'})"
                self._sdk = None
            except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                last = f"did not answer in time ({type(exc).__name__}, timeout {self.policy.timeout:g} s)"
                if creates:
                    fail("LS-SERVER-UNCERTAIN", f"Label Studio at {self.credentials.url} {last} while {what}. It may or "
                         "may not have been applied; running the command again is safe (push imports only what is missing)")
        elapsed = time.monotonic() - started
        fail("LS-SERVER-UNREACHABLE", f"Label Studio at {self.credentials.url} {last} while {what}; gave up after "
             f"{self.policy.attempts} attempts in {elapsed:.1f} s. Is the server running (`wsw labelstudio serve`) and "
             "the URL right?")

    def _api_error(self, exc, what: str, creates: bool) -> str:
        """What a retryable error answer was (for the final message); any other answer is raised as its problem."""
        url, status = self.credentials.url, exc.status_code or 0
        detail = self._redact(_detail(exc.body))
        if status in (401, 403):
            self._sdk = None
            fail("LS-SERVER-TOKEN", f"Label Studio at {url} refused the API token ({status}) while {what}: {detail}. "
                 "Check --token / WSW_LABEL_STUDIO_TOKEN (a legacy token or a personal access token)", found=str(status))
        if status == 429 or status >= 500:
            if creates and status not in (429, 502, 503, 504):
                fail("LS-SERVER-UNCERTAIN", f"Label Studio at {url} failed while {what}: {status} {detail}. "
                     "It may or may not have been applied; running the command again is safe", found=str(status))
            return f"answered {status} ({detail})"
        fail("LS-SERVER-REFUSED", f"Label Studio at {url} refused {what}: {status} {detail}", found=str(status))

    # -- the calls ---------------------------------------------------------------------------
    def _page(self, what: str, fetch: Callable, page: int) -> list:
        """The items of one page; past the last page Label Studio answers 404 "Invalid page", which ends the list."""
        return self._page_and_total(what, fetch, page)[0]

    def _page_and_total(self, what: str, fetch: Callable, page: int) -> tuple[list, int | None]:
        """(items of one page, the total the server reports or None); past the last page: ([], None)."""
        from label_studio_sdk.core.api_error import ApiError

        def one(ls):
            try:
                pager = fetch(ls)
            except ApiError as exc:
                if exc.status_code == 404 and page > 1:
                    return [], None
                raise
            response = getattr(pager, "response", None)
            total = getattr(response, "total", None)  # tasks say total, projects say count
            total = getattr(response, "count", None) if total is None else total
            return list(pager.items or []), total if isinstance(total, int) else None

        return self.call(what, one)

    def iter_tasks(self, project_id: int, include: str = "id,data", page_size: int = 500, fields: str = "task_only"):
        """Every task of a project, page by page (`fields="all"` brings each task's annotations along).

        The server may serve fewer tasks per page than asked for (TASK_API_PAGE_SIZE_MAX caps a page,
        e.g. at 100), so a short page does not mean the last one: the listing goes on until the
        server's reported total is reached or a page comes back empty.
        """
        page, seen = 1, 0
        while True:
            items, total = self._page_and_total(
                f"listing tasks of project {project_id} (page {page})", lambda ls, p=page: ls.tasks.list(
                    project=project_id, page=p, page_size=page_size, fields=fields,
                    **({"include": include} if fields == "task_only" else {})), page)
            yield from items
            seen += len(items)
            if not items or (total is not None and seen >= total) or (total is None and len(items) < page_size):
                return
            page += 1

    def whoami(self):
        return self.call("checking the token", lambda ls: ls.users.whoami())

    def find_project(self, title: str):
        """The project with exactly this title, None if there is none; an error if there are several."""
        found: list = []
        page, seen = 1, 0
        while True:  # like tasks, a page may be cut short by the server: go on until the total or an empty page
            items, total = self._page_and_total(
                f"listing projects (page {page})", lambda ls, p=page: ls.projects.list(title=title, page=p, page_size=100),
                page)
            found.extend(p for p in items if p.title == title)
            seen += len(items)
            if not items or (total is not None and seen >= total) or (total is None and len(items) < 100):
                break
            page += 1
        if len(found) > 1:
            fail("LS-PROJECT-AMBIGUOUS", f"{len(found)} Label Studio projects are titled {title!r} (ids "
                 f"{', '.join(str(p.id) for p in found)}); rename all but one", found=str(len(found)), expected="one")
        return found[0] if found else None

    def create_project(self, title: str, label_config: str, description: str):
        return self.call(f"creating project {title!r}", lambda ls: ls.projects.create(
            title=title, label_config=label_config, description=description), creates=True)

    def project(self, project_id: int):
        return self.call(f"reading project {project_id}", lambda ls: ls.projects.get(id=project_id))

    def update_config(self, project_id: int, label_config: str):
        return self.call(f"updating the labeling config of project {project_id}",
                         lambda ls: ls.projects.update(id=project_id, label_config=label_config))

    def task_doc_ids(self, project_id: int, page_size: int = 500) -> dict[str, list[int]]:
        """doc_id -> ids of the tasks carrying it (more than one means duplicates)."""
        out: dict[str, list[int]] = {}
        for task in self.iter_tasks(project_id, "id,data", page_size):
            data = task.data if isinstance(task.data, dict) else {}
            doc_id = data.get("doc_id")
            if isinstance(doc_id, str):
                out.setdefault(doc_id, []).append(task.id)
        return out

    def import_tasks(self, project_id: int, tasks: list) -> int:
        return self.import_tasks_counted(project_id, tasks)[0]

    def import_tasks_counted(self, project_id: int, tasks: list) -> tuple[int, int]:
        """Import tasks (with their annotations, if any) in one request; (tasks, annotations) created."""
        response = self.call(f"importing {len(tasks)} task(s) into project {project_id}",
                             lambda ls: ls.projects.import_tasks(id=project_id, request=tasks, return_task_ids=True),
                             creates=True)
        return int(getattr(response, "task_count", 0) or 0), int(getattr(response, "annotation_count", 0) or 0)

    def users(self) -> list:
        """The users of the token's organization (ids, e-mail addresses, names)."""
        return self.call("listing users", lambda ls: list(ls.users.list()))

    def create_user(self, email: str, first_name: str):
        """A user without a password (it cannot log in): the owner of annotations made elsewhere."""
        return self.call(f"creating user {email}", lambda ls: ls.users.create(
            username=email, email=email, first_name=first_name), creates=True)

    def create_annotation(self, task_id: int, result: list, completed_by: int, lead_time: float | None,
                          unique_id: str, import_id: int | None = None) -> int | None:
        """Create an annotation for `completed_by`; None if one with this unique_id exists already (409).

        `unique_id` makes the creation idempotent on the server: a retried or repeated call cannot
        add a second annotation.
        """
        from label_studio_sdk.core.api_error import ApiError

        def create(ls):
            extra = {} if lead_time is None else {"lead_time": lead_time}
            if import_id is not None:
                extra["import_id"] = import_id
            try:
                return ls.annotations.create(id=task_id, result=result, completed_by=completed_by,
                                             unique_id=unique_id, **extra).id
            except ApiError as exc:
                if exc.status_code == 409:
                    return None
                raise

        # safe to retry even after a timeout: the unique_id turns a repeat into a 409
        return self.call(f"creating an annotation of task {task_id} for user {completed_by}", create)

    def set_task_meta(self, task_id: int, meta: dict):
        return self.call(f"writing the meta data of task {task_id}",
                         lambda ls: ls.tasks.update(id=str(task_id), meta=meta))

    def export_snapshot(self, project_id: int, poll_seconds: float = 0.5, max_wait: float = 600.0) -> bytes:
        """A full JSON export: every task, every annotation (cancelled ones too), drafts and full predictions."""
        export = self.call(f"creating an export of project {project_id}", lambda ls: ls.projects.exports.create(
            id=project_id, title="wsw pull",
            serialization_options={"drafts": {"only_id": False}, "predictions": {"only_id": False},
                                   "annotations__completed_by": {"only_id": True}},
            annotation_filter_options={"usual": True, "ground_truth": True, "skipped": True}), creates=True)
        deadline = time.monotonic() + max_wait
        while True:
            state = self.call(f"waiting for export {export.id} of project {project_id}",
                              lambda ls: ls.projects.exports.get(id=project_id, export_pk=export.id))
            status = str(getattr(state, "status", "") or "")
            if status == "completed":
                break
            if status == "failed":
                fail("LS-EXPORT-FAILED", f"Label Studio could not build export {export.id} of project {project_id} "
                     "(status failed)", found=status, expected="completed")
            if time.monotonic() > deadline:
                fail("LS-EXPORT-FAILED", f"export {export.id} of project {project_id} was not ready after {max_wait:g} s",
                     found=status or "no status", expected="completed")
            self.sleep(poll_seconds)
        data = self.call(f"downloading export {export.id} of project {project_id}", lambda ls: b"".join(
            ls.projects.exports.download(id=project_id, export_pk=export.id, export_type="JSON")))
        try:  # the server keeps every snapshot file; ours is no longer needed once downloaded
            self.call(f"deleting export {export.id}", lambda ls: ls.projects.exports.delete(id=project_id, export_pk=export.id))
        except UserError:
            pass
        return data

    def export_sync(self, project_id: int) -> bytes:
        """The synchronous JSON export of all tasks (what the UI's Export button gives)."""
        return self.call(f"exporting project {project_id}", lambda ls: b"".join(
            ls.projects.exports.download_sync(id=project_id, export_type="JSON", download_all_tasks=True)))


def _detail(body) -> str:
    if isinstance(body, dict):
        for key in ("detail", "validation_errors", "message", "error"):
            if key in body:
                return str(body[key])[:300]
        return json.dumps(body)[:300]
    return str(body)[:300] if body else "no detail"
