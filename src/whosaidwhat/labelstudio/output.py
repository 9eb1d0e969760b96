"""Write a conversion's output folder as a whole: all of the new output, or the previous one intact.

Everything is written into a staging folder beside the target, which then replaces the target
by two renames. An interrupted run leaves the previous output (or, if it stopped between the two
renames, a `.previous-*` folder that the next run restores) and can simply be run again.

A failed run (problems, and no --partial) does not touch the output folder at all: its report
(and, for a pull, the export it converted) goes to the sibling folder `<out>.failed/`, and the
last good output stays as it was. The next successful run removes `<out>.failed/`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..core.document import dumps
from ..core.jsonfile import parse_json
from ..core.problems import fail
from .convert import REPORT_KIND, Converted

REPORT_NAME = "report.json"
EXPORT_NAME = "labelstudio-export.json"
FAILED_SUFFIX = ".failed"


def failed_folder(out_dir: str | os.PathLike) -> Path:
    """Where a failed run puts its report: `<out>.failed/` beside the output folder."""
    out_dir = Path(out_dir).absolute()  # `.` has no name of its own: take the folder's
    return out_dir.with_name(out_dir.name + FAILED_SUFFIX)


def _is_our_output(path: Path) -> bool:
    report = path / REPORT_NAME
    if not report.is_file():
        return False
    try:
        value, problem = parse_json(report.read_bytes(), file=str(report))
    except OSError:
        return False
    return problem is None and isinstance(value, dict) and value.get("kind") == REPORT_KIND


def _recover(out_dir: Path) -> None:
    """Restore the output of a run that stopped between its two renames; drop stale staging folders."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    previous = sorted(parent.glob(f".{out_dir.name}.previous-*"))
    if previous and not out_dir.exists():
        os.rename(previous[-1], out_dir)
        previous = previous[:-1]
    for stale in previous + sorted(parent.glob(f".{out_dir.name}.partial-*")):
        shutil.rmtree(stale, ignore_errors=True)


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(path, "wb") as fh:  # bytes: no newline translation, text exactly as stored
        fh.write(data)


def write_output(out_dir: str | os.PathLike, converted: Converted, raw_export: bytes | None = None) -> Path:
    """Replace `out_dir` with the converted documents, the report and (if given) the raw export."""
    out_dir = Path(out_dir)
    _recover(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not _is_our_output(out_dir))):
        fail("OUT-EXISTS", f"exists and is not the output of an earlier pull or convert (no {REPORT_NAME}); choose a "
             "new or empty folder", file=str(out_dir), expected="a new or empty folder, or an earlier output")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    old = None
    try:
        # the staging folder is invisible until renamed, so its files need no rename of their own;
        # one sync before the renames makes them durable (an fsync per file costs ~7 ms each)
        for relpath, doc in converted.documents.items():
            _write(staging / relpath, dumps(doc))
        if raw_export is not None:
            _write(staging / EXPORT_NAME, raw_export)
        _write(staging / REPORT_NAME, json.dumps(converted.report, ensure_ascii=False, indent=1) + "\n")
        os.sync()
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.previous-{os.getpid()}"
            os.rename(out_dir, old)
        os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and old.exists() and not out_dir.exists():
            os.rename(old, out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out_dir


def write_result(out_dir: str | os.PathLike, converted: Converted, raw_export: bytes | None = None) -> Path:
    """Write a run where it belongs and return the path of its report.

    A successful run (or one with --partial) replaces `out_dir` and removes a stale `<out>.failed/`;
    a failed run leaves `out_dir` as it was and writes its report (and raw export) to `<out>.failed/`.
    """
    out_dir = Path(out_dir)
    failed = failed_folder(out_dir)
    if converted.ok or converted.report.get("partial"):
        write_output(out_dir, converted, raw_export)
        if failed.is_dir() and _is_our_output(failed):
            shutil.rmtree(failed, ignore_errors=True)
        return out_dir / REPORT_NAME
    write_output(failed, Converted({}, converted.report), raw_export)
    return failed / REPORT_NAME
