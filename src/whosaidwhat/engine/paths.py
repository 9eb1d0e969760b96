"""Paths on a cluster: workers open absolute paths, messages show the paths the user gave.

A worker on another machine has another working directory, so every file a task opens is sent
as an absolute path; on a real cluster it must be on storage every worker mounts at the same
place (README: "Beyond one machine"). Whatever a task reports names the file as the local engine
would (`corpus/documents/x.json:3`, not `/home/me/corpus/...`), so messages stay identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileRef:
    shown: str   # as the local engine names it in messages (the path as given, joined as it walks folders)
    path: str    # absolute: what a worker opens

    @classmethod
    def of(cls, path: str | Path) -> FileRef:
        path = Path(path)
        return cls(str(path), str(path.absolute()))

    def show(self, text: str) -> str:
        """`text` with a leading absolute path replaced by the shown one."""
        return self.shown + text[len(self.path):] if text.startswith(self.path) else text


#: URL schemes `fsspec` knows that the engine does not read (yet): refused with ENGINE-URL, not taken for a file name
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def local_path(given: str | Path, option: str = "INPUT") -> Path:
    """The local path of a command-line path: a plain path as it is, `file://` URLs decoded; other URLs refused.

    `file:///shared/crawl` and `file://localhost/shared/crawl` name /shared/crawl; `s3://`, `gs://`,
    `http://` and other fsspec schemes get one ENGINE-URL line (mount the storage on every worker
    and give its local path instead).
    """
    from urllib.parse import unquote, urlsplit

    from ..core.problems import fail

    text = str(given)  # give the string as typed: pathlib would fold file:///x into file:/x
    match = _URL.match(text)
    if match is None:
        return Path(given)
    scheme = match.group(1).lower()
    if scheme != "file":
        fail("ENGINE-URL", f"{option}: {scheme}:// URLs are not read; mount the storage on this machine and every "
             "worker and give its local path (or a file:// URL)", file=text, found=f"{scheme}://",
             expected="a local path or file:// URL")
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        fail("ENGINE-URL", f"{option}: a file:// URL names a file on this machine (file:///path)", file=text,
             found=f"host {parts.netloc}", expected="file:///path or file://localhost/path")
    return Path(unquote(parts.path))
