"""Finding the systems: `eval/submissions/<system-id>/` folders, their cards and prediction files.

Each argument of `wsw leaderboard build` is a system folder (it holds `card.json`) or a folder
of system folders. A system folder's name is the system id: it names the system's page and
files in the site, so it must be a safe, URL-safe id (`SYSTEM_ID`), never a path. Everything
about a folder that is wrong refuses that system alone, with the reason; nothing here raises
for one bad folder.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..core.problems import Problem
from .cards import CARD_FILE, CardError, SystemCard, read_card
from .safe import visible

#: a system id: the folder name, lower-case, URL-safe, no path (".." is refused separately)
SYSTEM_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SUBMISSION_SUFFIXES = (".jsonl", ".parquet")
#: submissions larger than this are refused unread (the corpus's test split is well under 1 MB)
MAX_SUBMISSION_BYTES = 1 << 30


@dataclass
class Entry:
    """One system folder and what became of it: a candidate to score, refused, or skipped."""

    id: str                    # the system id (display-safe text when the folder name is not a valid id)
    folder: Path
    status: str = "candidate"  # candidate | refused | skipped
    card: SystemCard | None = None
    submission: Path | None = None
    size: int = 0              # bytes of the predictions file when it was chosen
    problems: list[Problem] = field(default_factory=list)   # why it was refused or skipped, and its warnings
    reasons: list[str] = field(default_factory=list)        # the refusing problems as lines (safe text)
    warnings: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """The folder as safe text (folder names are untrusted)."""
        return visible(str(self.folder), 300)

    def refuse(self, *problems: Problem, more: tuple[str, ...] = ()) -> Entry:
        """Refuse the system for `problems` (`more`: further lines to show, e.g. the submission's next problems)."""
        self.status = "refused"
        self.problems.extend(problems)
        self.reasons.extend(p.line() for p in problems)
        self.reasons.extend(more)
        return self

    def warn(self, *problems: Problem) -> None:
        self.problems.extend(problems)
        self.warnings.extend(p.line() for p in problems)

    @property
    def rules(self) -> list[str]:
        return [p.rule for p in self.problems]


def valid_id(name: str) -> bool:
    return bool(SYSTEM_ID.match(name)) and ".." not in name and not name.endswith(".")


def _system_folders(path: Path) -> list[tuple[Path, bool]]:
    """(folder, has a card) for a system folder itself or for each child of a folder of them."""
    if (path / CARD_FILE).exists() or (path / CARD_FILE).is_symlink():
        return [(path, True)]
    found = []
    for child in sorted(path.iterdir(), key=lambda p: p.name.encode("utf-8", "surrogateescape")):
        if child.name.startswith("."):
            continue  # hidden folders (.cache, .git) are not systems
        if child.is_symlink() or child.is_dir():
            found.append((child, (child / CARD_FILE).exists() or (child / CARD_FILE).is_symlink()))
    return found


def _folder_problem(folder: Path, has_card: bool, seen: dict[str, Entry]) -> Problem | None:
    """Why a system folder is not read (LB-NO-CARD skips it, the others refuse it), or None."""
    name = folder.name
    if folder.is_symlink():
        return Problem("LB-SYMLINK", "the system folder is a symbolic link; submit a plain folder", file=visible(name, 80))
    if not has_card:
        return Problem("LB-NO-CARD", f"no {CARD_FILE}: not a system folder", file=visible(name, 80))
    if not valid_id(name):
        return Problem("LB-SYSTEM-ID", "the folder name is not a valid system id", found=visible(name, 80),
                       expected="lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at "
                                "most 64 characters, no '..'")
    if name in seen:
        return Problem("LB-SYSTEM-ID-DUPLICATE", "system ids must be unique", found=name,
                       expected=f"not also {seen[name].where}")
    return None


def discover(paths: list[Path], split: str, strict_cards: bool = False,
             max_bytes: int = MAX_SUBMISSION_BYTES) -> list[Entry]:
    """Every system folder under `paths`, with its card read and its predictions file for `split` chosen."""
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for path in paths:
        for folder, has_card in _system_folders(path):
            entry = Entry(visible(folder.name, 80), folder)
            entries.append(entry)
            problem = _folder_problem(folder, has_card, seen)
            if problem is not None and problem.rule == "LB-NO-CARD":
                entry.status = "skipped"
                entry.problems.append(problem)
                entry.reasons.append(problem.line())
                continue
            if problem is not None:
                entry.refuse(problem)
                continue
            seen[folder.name] = entry
            try:
                entry.card = read_card(folder, strict=strict_cards)
            except CardError as exc:
                entry.refuse(*exc.problems)
                continue
            entry.warn(*entry.card.warnings)
            _choose_submission(entry, split, max_bytes)
    return entries


def _split_words(name: str) -> set[str]:
    stem = name.rsplit(".", 1)[0]
    return {w for w in re.split(r"[._-]+", stem.lower()) if w}


def _named_file(entry: Entry, card: SystemCard, split: str) -> Path | Problem:
    """The predictions file the card names for `split`, or the problem with it."""
    if split not in card.predictions:
        return Problem("LB-PRED-SPLIT", "$.predictions names no file for the split", file=CARD_FILE, path="$.predictions",
                       found=", ".join(sorted(card.predictions)), expected=split)
    named = PurePosixPath(card.predictions[split])
    if len(named.parts) > 1 and named.parts[-2] != entry.folder.name:
        return Problem("LB-PRED-OUTSIDE", "is not a file in the system's folder", file=CARD_FILE,
                       path=f"$.predictions.{split}", found=visible(str(named), 200),
                       expected=f"a file name, or a path ending in {visible(entry.folder.name, 80)}/<file name>")
    return entry.folder / named.name


def _found_file(entry: Entry, split: str) -> Path | Problem:
    """The one predictions file of the folder (for `split` when there are several), or the problem."""
    files = sorted(p for p in entry.folder.iterdir() if p.suffix.lower() in SUBMISSION_SUFFIXES
                   and not p.name.startswith("."))
    if len(files) > 1:
        files = [p for p in files if split in _split_words(p.name)]
    if not files:
        return Problem("LB-PRED-NONE", f"no predictions file for split {split!r}", expected=(
            f"one .jsonl or .parquet file in the folder, or one named after the split (e.g. {split}.jsonl), "
            f"or $.predictions.{split} in {CARD_FILE}"))
    if len(files) > 1:
        return Problem("LB-PRED-AMBIGUOUS", f"several predictions files could be for split {split!r}",
                       found=", ".join(visible(p.name, 60) for p in files[:5]),
                       expected=f"one named in $.predictions.{split} of {CARD_FILE}")
    return files[0]


def _file_problem(chosen: Path, max_bytes: int) -> tuple[os.stat_result | None, Problem | None]:
    name = visible(chosen.name, 100)
    try:
        info = chosen.lstat()
    except FileNotFoundError:
        return None, Problem("FILE-READ", "the predictions file does not exist", file=name)
    except OSError as exc:
        return None, Problem("FILE-READ", f"the predictions file cannot be read ({exc.strerror or exc})", file=name)
    if stat.S_ISLNK(info.st_mode):
        return None, Problem("LB-SYMLINK", "the predictions file is a symbolic link; submit a plain file", file=name)
    if not stat.S_ISREG(info.st_mode):
        return None, Problem("FILE-NOT-REGULAR", "the predictions file is not a regular file", file=name)
    if info.st_size > max_bytes:
        return None, Problem("LB-PRED-TOO-BIG", "the predictions file is too large", file=name,
                             found=f"{info.st_size:,} bytes", expected=f"at most {max_bytes:,} bytes")
    return info, None


def _choose_submission(entry: Entry, split: str, max_bytes: int) -> None:
    assert entry.card is not None
    chosen = _named_file(entry, entry.card, split) if entry.card.predictions else _found_file(entry, split)
    if isinstance(chosen, Problem):
        entry.refuse(chosen)
        return
    info, problem = _file_problem(chosen, max_bytes)
    if problem is not None or info is None:
        entry.refuse(*([problem] if problem else []))
        return
    entry.submission, entry.size = chosen, info.st_size
