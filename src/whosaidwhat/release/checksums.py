"""SHA256SUMS: one `<hex>  <path>` line per file, sorted, readable by `sha256sum -c`."""

from __future__ import annotations

import hashlib
from pathlib import Path

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


def parse_sums(data: bytes | str, where: str) -> tuple[dict[str, str], list[str]]:
    """{path: hex} and the problems of malformed lines (each line is decoded on its own, so one
    stray byte is one problem, not an unreadable file)."""
    listed: dict[str, str] = {}
    problems = []
    raw = data.encode("utf-8") if isinstance(data, str) else data
    for number, raw_line in enumerate(raw.splitlines(), start=1):
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{where}: line {number}: not UTF-8 (byte {exc.start} of the line), found {raw_line[:80]!r}")
            continue
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not rel:
            problems.append(f"{where}: line {number}: expected '<64 hex digits>  <path>', found {line[:80]!r}")
            continue
        listed[rel] = digest
    return listed, problems


def check_sums(root: Path) -> list[str]:
    """Problems of a release's checksums: missing, unlisted or changed files, each named."""
    sums_path = root / SUMS
    if not sums_path.is_file():
        return [f"{sums_path}: missing (every release lists the SHA-256 of each file)"]
    try:
        data = sums_path.read_bytes()
    except OSError as exc:
        return [f"{sums_path}: cannot be read ({exc.strerror or exc})"]
    listed, problems = parse_sums(data, str(sums_path))
    present = set(release_files(root))
    for rel in sorted(set(listed) - present):
        problems.append(f"{root / rel}: listed in {SUMS} but missing")
    for rel in sorted(present - set(listed)):
        problems.append(f"{root / rel}: not listed in {SUMS} (a file added after the build?)")
    for rel in sorted(set(listed) & present):
        actual = file_sha256(root / rel)
        if actual != listed[rel]:
            problems.append(f"{root / rel}: checksum mismatch: {SUMS} says {listed[rel]}, the file has {actual} "
                            "(corrupted or edited after the build)")
    return problems
