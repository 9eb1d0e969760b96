"""SHA256SUMS: one `<hex>  <path>` line per file, sorted, readable by `sha256sum -c`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..core.problems import Problem

SUMS = "SHA256SUMS"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(root: Path) -> list[str]:
    """Every file of a release except SHA256SUMS itself, as sorted POSIX paths relative to `root`."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != SUMS)


def render_sums(root: Path) -> str:
    return "".join(f"{file_sha256(root / rel)}  {rel}\n" for rel in release_files(root))


def parse_sums(data: bytes | str, where: str) -> tuple[dict[str, str], list[Problem]]:
    """{path: hex} and the problems of malformed lines (each line is decoded on its own, so one
    stray byte is one problem, not an unreadable file)."""
    listed: dict[str, str] = {}
    problems = []
    raw = data.encode("utf-8") if isinstance(data, str) else data
    for number, raw_line in enumerate(raw.splitlines(), start=1):
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem("REL-SUMS", f"not UTF-8 (byte {exc.start} of the line)", file=where, lineno=number,
                                    found=repr(raw_line[:80])))
            continue
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not rel:
            problems.append(Problem("REL-SUMS", "malformed line", file=where, lineno=number, found=repr(line[:80]),
                                    expected="'<64 hex digits>  <path>'"))
            continue
        listed[rel] = digest
    return listed, problems


def check_sums(root: Path) -> list[Problem]:
    """Problems of a release's checksums: missing, unlisted or changed files, each named."""
    sums_path = root / SUMS
    if not sums_path.is_file():
        return [Problem("REL-SUMS", "missing (every release lists the SHA-256 of each file)", file=str(sums_path))]
    try:
        data = sums_path.read_bytes()
    except OSError as exc:
        return [Problem("REL-SUMS", f"cannot be read ({exc.strerror or exc})", file=str(sums_path))]
    listed, problems = parse_sums(data, str(sums_path))
    present = set(release_files(root))
    for rel in sorted(set(listed) - present):
        problems.append(Problem("REL-FILE-MISSING", f"listed in {SUMS} but missing", file=str(root / rel)))
    for rel in sorted(present - set(listed)):
        problems.append(Problem("REL-FILE-UNLISTED", f"not listed in {SUMS} (a file added after the build?)",
                                file=str(root / rel)))
    for rel in sorted(set(listed) & present):
        actual = file_sha256(root / rel)
        if actual != listed[rel]:
            problems.append(Problem("REL-SUMS-MISMATCH", "checksum mismatch (corrupted or edited after the build)",
                                    file=str(root / rel), found=actual, expected=f"{listed[rel]} ({SUMS})"))
    return problems
