"""Finding the systems: `eval/submissions/<system-id>/` folders, their cards and prediction files.

Each argument of `wsw leaderboard build` is a system folder (it holds `card.json`) or a folder
of system folders. A system folder's name is the system id: it names the system's page and
files in the site, so it must be a safe, URL-safe id (`SYSTEM_ID`), never a path. Everything
about a folder that is wrong refuses that system alone, with the reason; nothing here raises
for one bad folder.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        """The folder as safe text (folder names are untrusted)."""
        return visible(str(self.folder), 300)

    def refuse(self, *reasons: str) -> Entry:
        self.status = "refused"
        self.reasons.extend(reasons)
        return self


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


def discover(paths: list[Path], split: str, strict_cards: bool = False,
             max_bytes: int = MAX_SUBMISSION_BYTES) -> list[Entry]:
    """Every system folder under `paths`, with its card read and its predictions file for `split` chosen."""
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for path in paths:
        for folder, has_card in _system_folders(path):
            name = folder.name
            entry = Entry(visible(name, 80), folder)
            entries.append(entry)
            if folder.is_symlink():
                entry.refuse("the system folder is a symbolic link; submit a plain folder")
                continue
            if not has_card:
                entry.status = "skipped"
                entry.reasons.append(f"no {CARD_FILE}: not a system folder")
                continue
            if not valid_id(name):
                entry.refuse(f"the folder name is not a valid system id (found '{visible(name, 80)}', expected "
                             "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most "
                             "64 characters, no '..')")
                continue
            if name in seen:
                entry.refuse(f"system id {name!r} is already used by {seen[name].where}; system ids must be unique")
                continue
            seen[name] = entry
            try:
                entry.card = read_card(folder, strict=strict_cards)
            except CardError as exc:
                entry.refuse(*exc.lines)
                continue
            entry.warnings.extend(entry.card.warnings)
            _choose_submission(entry, split, max_bytes)
    return entries


def _split_words(name: str) -> set[str]:
    stem = name.rsplit(".", 1)[0]
    return {w for w in re.split(r"[._-]+", stem.lower()) if w}


def _choose_submission(entry: Entry, split: str, max_bytes: int) -> None:
    folder, card = entry.folder, entry.card
    if card.predictions:
        if split not in card.predictions:
            entry.refuse(f"{CARD_FILE}: $.predictions names files for split(s) {', '.join(sorted(card.predictions))} "
                         f"but not for {split!r}")
            return
        named = PurePosixPath(card.predictions[split])
        if len(named.parts) > 1 and named.parts[-2] != folder.name:
            entry.refuse(f"{CARD_FILE}: $.predictions.{split}: {visible(str(named), 200)!r} is not a file in the system's "
                         f"folder (expected a file name, or a path ending in {visible(folder.name, 80)}/<file name>)")
            return
        chosen = folder / named.name
    else:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUBMISSION_SUFFIXES
                       and not p.name.startswith("."))
        if len(files) > 1:
            files = [p for p in files if split in _split_words(p.name)]
        if not files:
            entry.refuse(f"no predictions file for split {split!r}: expected one .jsonl or .parquet file in the folder, "
                         f"or one named after the split (e.g. {split}.jsonl), or $.predictions.{split} in {CARD_FILE}")
            return
        if len(files) > 1:
            names = ", ".join(visible(p.name, 60) for p in files[:5])
            entry.refuse(f"several predictions files could be for split {split!r} ({names}); name one in "
                         f"$.predictions.{split} of {CARD_FILE}")
            return
        chosen = files[0]
    try:
        info = chosen.lstat()
    except FileNotFoundError:
        entry.refuse(f"the predictions file {visible(chosen.name, 100)} does not exist")
        return
    except OSError as exc:
        entry.refuse(f"the predictions file {visible(chosen.name, 100)} cannot be read ({exc.strerror or exc})")
        return
    if stat.S_ISLNK(info.st_mode):
        entry.refuse(f"the predictions file {visible(chosen.name, 100)} is a symbolic link; submit a plain file")
        return
    if not stat.S_ISREG(info.st_mode):
        entry.refuse(f"the predictions file {visible(chosen.name, 100)} is not a regular file")
        return
    if info.st_size > max_bytes:
        entry.refuse(f"the predictions file {visible(chosen.name, 100)} is {info.st_size:,} bytes; the limit is "
                     f"{max_bytes:,} bytes")
        return
    entry.submission, entry.size = chosen, info.st_size
