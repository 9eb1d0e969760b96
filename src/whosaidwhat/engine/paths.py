"""Paths on a cluster: workers open absolute paths, messages show the paths the user gave.

A worker on another machine has another working directory, so every file a task opens is sent
as an absolute path; on a real cluster it must be on storage every worker mounts at the same
place (README: "Beyond one machine"). Whatever a task reports names the file as the local engine
would (`corpus/documents/x.json:3`, not `/home/me/corpus/...`), so messages stay identical.
"""

from __future__ import annotations

import dataclasses
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


def shown_problem(problem, ref: FileRef):
    """A validation `Problem` whose file names the shown path."""
    fixed = ref.show(problem.file)
    return problem if fixed == problem.file else dataclasses.replace(problem, file=fixed)
