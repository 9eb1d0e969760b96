"""The output folder of `wsw release --out` and `wsw rehydrate --out`: checked, locked, installed safely.

A release is built in a temporary folder `.<name>.XXXX.partial` beside the target and moved into place
only when it verifies. Around that:

* `open_target` refuses a target that is, holds or lies inside one of the inputs (the corpus folder,
  the metadata file, the annotation campaign, the release being rehydrated), and a target that is not a
  folder or, without --force, exists;
* `target_lock` holds an exclusive lock (`.<name>.lock` beside the target) for the whole run, so
  a second run on the same target is refused at once instead of both finishing and one being lost;
* under the lock, `recover` finishes an install that a kill interrupted between its two renames (the
  journal `.<name>.install` names the verified new folder and the old one) and removes the
  `.partial` and `.old` folders that killed runs left behind;
* `install` swaps the folders: journal written, old release renamed aside, new folder renamed into
  place, old one removed, journal removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..core.atomic import write_text
from ..core.paths import overlap
from ..core.problems import fail

MANIFEST = "release.json"


def _journal(out: Path) -> Path:
    return out.parent / f".{out.name}.install"


def check_overlap(out: Path, inputs: dict[str, Path | None]) -> None:
    """OUT-OVERLAPS-INPUT when `out` is, holds or lies inside one of the named inputs."""
    for what, path in inputs.items():
        if path is None:
            continue
        relation = overlap(out, path)
        if relation is not None:
            fail("OUT-OVERLAPS-INPUT", f"the output folder {relation} {what} {path}: building there would destroy "
                 "it; choose a folder outside it", file=str(out), found=f"--out {relation} {path}",
                 expected="a folder apart from every input")


def check_target(out: Path, force: bool) -> None:
    """The target may be written: a new folder (its parents are created), or with `force` an earlier release
    or an empty folder."""
    if not out.exists():
        if out.parent.exists() and not out.parent.is_dir():
            fail("OUT-EXISTS", "the parent of the output folder is not a folder", file=str(out),
                 found=str(out.parent), expected="a folder")
        out.parent.mkdir(parents=True, exist_ok=True)  # like `mkdir -p`: releases/<name> works on a fresh clone
        return
    if not out.is_dir():
        fail("OUT-EXISTS", "exists and is not a folder", file=str(out), expected="a new folder")
    if not force:
        fail("OUT-EXISTS", "already exists; choose a new folder or pass --force to replace that release", file=str(out))
    if any(out.iterdir()) and not (out / MANIFEST).is_file():
        fail("OUT-EXISTS", f"--force replaces only an earlier release (a folder with {MANIFEST}) or an empty folder; "
             "this one is neither, so nothing was touched", file=str(out))


@contextlib.contextmanager
def target_lock(out: Path) -> Iterator[None]:
    """Hold the target's lock for the block; REL-OUT-BUSY at once when another run holds it.

    The lock file `.<name>.lock` is removed when the block ends (while still locked); a run that opened it
    just before checks, once it holds a lock, that the path is still the file it locked, and starts over if not.
    """
    if not out.parent.is_dir():
        if out.parent.exists() or any(parent.exists() and not parent.is_dir() for parent in out.parents):
            fail("OUT-EXISTS", "the parent of the output folder is not a folder", file=str(out),
                 found=str(out.parent), expected="a folder")
        out.parent.mkdir(parents=True, exist_ok=True)  # like `mkdir -p`: releases/<name> works on a fresh clone
    path = out.parent / f".{out.name}.lock"
    while True:
        handle = open(path, "a+b")  # noqa: SIM115  (held open for the whole block)
        if not _try_lock(handle):
            handle.close()
            fail("REL-OUT-BUSY", "another `wsw release` or `wsw rehydrate` is writing this folder right now; wait "
                 "for it to finish (nothing was touched)", file=str(out), found=f"{path} locked")
        if _same_file(path, handle):
            break
        handle.close()  # the holder before us removed it: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        handle.close()


def _same_file(path: Path, handle) -> bool:
    try:
        return os.path.samestat(os.stat(path), os.fstat(handle.fileno()))
    except OSError:
        return False


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            getattr(msvcrt, "locking")(handle.fileno(), getattr(msvcrt, "LK_NBLCK"), 1)  # noqa: B009 (Windows only)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _finish_install(out: Path, journal: Path) -> str | None:
    """Complete (or undo) the swap a journal records: the verified new folder goes into place if it is still
    there, else the old release comes back."""
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        names = [str(record["new"]), str(record["old"])]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(Path(name).name == name and name.startswith(f".{out.name}.") for name in names):
        return None  # only folders beside the target, named as this module names them
    new, old = out.parent / names[0], out.parent / names[1]
    if out.exists():
        return None
    for folder, what in ((new, "finished the install that an interrupted run had verified"),
                         (old, "put back the release that an interrupted run had moved aside")):
        if folder.is_dir():
            os.rename(folder, out)
            return f"{out}: {what}"
    return None


def recover(out: Path) -> list[str]:
    """Under the lock: finish an install a kill interrupted, and remove what killed runs left behind.

    Returns what was done, one line each."""
    done = []
    journal = _journal(out)
    if journal.is_file():
        line = _finish_install(out, journal)
        if line:
            done.append(line)
        journal.unlink()
    for stale in sorted(out.parent.glob(f".{out.name}.*.partial")) + sorted(out.parent.glob(f".{out.name}.*.old")):
        shutil.rmtree(stale, ignore_errors=True)
        done.append(f"{stale}: removed (left behind by an interrupted run)")
    return done


def new_build_folder(out: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))


def _open_permissions(root: Path) -> None:
    """Temporary files and folders are private (0600/0700); a release is for sharing: use the umask."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [root, *root.rglob("*")]:
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)


def install(tmp: Path, out: Path) -> None:
    """Move a finished release folder into place, replacing an earlier one only at the very end.

    The journal written first lets the next run finish the swap if this process is killed between the
    two renames (`recover`)."""
    _open_permissions(tmp)
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rmdir(old)
    write_text(_journal(out), json.dumps({"new": tmp.name, "old": old.name}) + "\n")
    os.rename(out, old)
    os.rename(tmp, out)
    _journal(out).unlink()
    shutil.rmtree(old, ignore_errors=True)
