"""`wsw rehydrate`: put withheld article texts back into a release from the user's own copies.

A copy is accepted only if it reproduces the document exactly: its SHA-256 must equal the
release's `text_sha256`. Copies may be the exact text (any file, e.g. `<id>.txt`), a canonical
document (`.json`, e.g. from `wsw ingest --stdout`), or the raw page whose SHA-256 the document
records in `provenance.source.raw_sha256`, which is re-ingested with `wsw ingest`'s rules. Any
copy that does not match is refused with the reason, and nothing is written. The result is a
new release folder whose files, card and checksums describe the restored texts.
"""

from __future__ import annotations

import hashlib
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.parquet as pq

from ..core.document import text_sha256
from ..core.jsonfile import parse_json, read_bytes
from ..core.problems import Problem, ProblemError, fail
from .build import write_generated_files
from .features import CONFIGS, SCHEMAS, SPLITS, STUDY_CONFIGS
from .parquet import WRITER_OPTIONS
from .target import check_overlap, check_target, install, new_build_folder, recover, target_lock
from .verify import load_manifest, verify_release


@dataclass(frozen=True)
class Withheld:
    """What the release says about a document whose text it withholds."""

    doc_id: str
    text_sha256: str
    raw_sha256: str | None
    metadata: dict


def withheld_documents(root: Path, manifest: dict) -> dict[str, Withheld]:
    """Documents of the release whose text is null, read column-wise (no texts are loaded)."""
    found: dict[str, Withheld] = {}
    for split in SPLITS:
        for item in manifest["configs"]["documents"][split]["files"]:
            table = pq.read_table(root / item["path"], columns=["id", "text", "text_sha256", "metadata", "provenance"])
            nulls = table.column("text").is_null().to_pylist()
            for index in (i for i, is_null in enumerate(nulls) if is_null):
                row = table.slice(index, 1).to_pylist()[0]
                found[row["id"]] = Withheld(row["id"], row["text_sha256"], row["provenance"]["source"]["raw_sha256"],
                                            row["metadata"])
    return found


def _hint(text: str, expected: str) -> str:
    """Why a near-miss copy does not match, when a common transformation explains it."""
    variants = {
        "its line breaks are LF where the original has CRLF": text.replace("\r\n", "\n").replace("\n", "\r\n"),
        "its line breaks are CRLF where the original has LF": text.replace("\r\n", "\n"),
        "it is in Unicode NFC where the original is not normalised that way": unicodedata.normalize("NFD", text),
        "it is in Unicode NFD where the original is not normalised that way": unicodedata.normalize("NFC", text),
        "it has an extra trailing newline": text.rstrip("\r\n"),
        "it lacks the original's trailing newline": text + "\n",
        "it starts with a byte-order mark": text.lstrip("\ufeff"),
    }
    for reason, variant in variants.items():
        if variant != text and text_sha256(variant) == expected:
            return f"; the copy differs only because {reason} (supply the exact text, nothing is repaired silently)"
    return ""


def _copies(sources: list[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif source.is_file():
            files.append(source)
        else:
            fail("PATH-MISSING", "--texts: no such file or folder", file=str(source))
    return files


def _reingest(raw: bytes, entry: Withheld, path: Path) -> str:
    from ..ingest import build_document, decode_raw

    try:
        text, had_bom = decode_raw(raw, str(path))
        doc = build_document(text, doc_id=entry.doc_id, metadata=cast(Any, entry.metadata), raw_file=None,
                             raw_sha256=None, pre_cleaning=["UTF-8 byte-order mark removed"] if had_bom else [])
        return doc["text"] or ""
    except ValueError as exc:
        fail("REL-REHYDRATE-COPY", "the raw file matches provenance.source.raw_sha256 but cannot be ingested",
             file=str(path), doc_id=entry.doc_id, found=str(exc))


def _copy_text(path: Path, data: bytes, withheld: dict[str, Withheld]) -> tuple[str | None, str | None, Problem | None]:
    """(text, the document id the copy names or None, None), or (None, None, why the copy is not a text)."""
    claimed: str | None = path.stem if path.stem in withheld else None
    if path.suffix != ".json":
        try:
            return data.decode("utf-8"), claimed, None
        except UnicodeDecodeError as exc:
            return None, None, Problem("FILE-ENCODING", f"not UTF-8 (byte {exc.start}); supply the text as UTF-8",
                                       file=str(path), expected="UTF-8")
    doc, problem = parse_json(data, file=str(path))
    if problem is not None:
        return None, None, problem
    if not (isinstance(doc, dict) and isinstance(doc.get("text"), str)):
        return None, None, Problem("REL-REHYDRATE-COPY", "a .json copy must be a canonical document with a text, "
                                   "e.g. from `wsw ingest --stdout`", file=str(path), path="$.text")
    return doc["text"], doc.get("id") if doc.get("id") in withheld else claimed, None


def _match_raw(path: Path, data: bytes, entry: Withheld) -> tuple[str | None, Problem | None]:
    derived = _reingest(data, entry, path)
    if text_sha256(derived) == entry.text_sha256:
        return derived, None
    return None, Problem("REL-REHYDRATE-COPY", "this is the raw file the document was made from, but this version of "
                         "`wsw ingest` derives a different text from it; supply the exact text instead", file=str(path),
                         doc_id=entry.doc_id, path="text_sha256", found=text_sha256(derived), expected=entry.text_sha256)


def _unmatched(path: Path, text: str, claimed: str | None, withheld: dict[str, Withheld]) -> Problem:
    if claimed is not None:
        expected = withheld[claimed].text_sha256
        return Problem("REL-REHYDRATE-COPY", "the copy's SHA-256 differs: it is not the text the annotations were made "
                       "on" + _hint(text, expected), file=str(path), doc_id=claimed, path="text_sha256",
                       found=text_sha256(text), expected=expected)
    return Problem("REL-REHYDRATE-COPY", "matches no withheld document of the release (neither a text_sha256 nor a "
                   "raw_sha256)", file=str(path), expected="one of " + (", ".join(sorted(withheld)) or "none"))


def match_copies(sources: list[Path], withheld: dict[str, Withheld]) -> dict[str, str]:
    """doc id -> restored text, for every supplied copy; refuses (ProblemError) if any copy does not match."""
    by_text = {w.text_sha256: w for w in withheld.values()}
    by_raw = {w.raw_sha256: w for w in withheld.values() if w.raw_sha256}
    texts: dict[str, str] = {}
    refused: list[Problem] = []
    for path in _copies(sources):
        data = read_bytes(path)
        text, claimed, problem = _copy_text(path, data, withheld)
        if text is None:
            refused.append(problem)  # type: ignore[arg-type]
            continue
        digest = text_sha256(text)
        raw_digest = hashlib.sha256(data).hexdigest()
        if digest in by_text:
            texts[by_text[digest].doc_id] = text
        elif raw_digest in by_raw and path.suffix != ".json":
            derived, problem = _match_raw(path, data, by_raw[raw_digest])
            if derived is not None:
                texts[by_raw[raw_digest].doc_id] = derived
            else:
                refused.append(problem)  # type: ignore[arg-type]
        else:
            refused.append(_unmatched(path, text, claimed, withheld))
    if refused:
        raise ProblemError(refused)
    return texts


def _fill_span(span: dict | None, text: str) -> dict | None:
    if span is None:
        return None
    return {**span, "text": text[span["start"]:span["end"]]}


def fill_row(config: str, row: dict, texts: dict[str, str]) -> dict:
    """The row with its document's text and every span's surface text restored (unchanged if not restored)."""
    doc_id = row["id"] if config == "documents" else row["doc_id"]
    text = texts.get(doc_id)
    if text is None or config in ("entities", "producers"):  # no span text in these configs
        return row
    if config in STUDY_CONFIGS:  # the disagreement configs stay withheld: only the gold documents are rehydrated
        return row
    if config == "documents":
        return {**row, "text": text,
                "mentions": [_fill_span(m, text) for m in row["mentions"]],
                "quotes": [{**q, "fragments": [_fill_span(f, text) for f in q["fragments"]], "cue": _fill_span(q["cue"], text)}
                           for q in row["quotes"]],
                "claims": [{**c, "fragments": [_fill_span(f, text) for f in c["fragments"]]} for c in row["claims"]]}
    if config == "mentions":
        return {**row, "text": text[row["start"]:row["end"]]}
    filled = {**row, "fragments": [_fill_span(f, text) for f in row["fragments"]]}
    if config == "quotes":
        filled["cue"] = _fill_span(row["cue"], text)
    return filled


def _rewrite(source: Path, target: Path, config: str, texts: dict[str, str]) -> int:
    """Copy one Parquet file row group by row group, restoring texts; returns the new Arrow size."""
    handle = pq.ParquetFile(source)
    nbytes = 0
    with pq.ParquetWriter(target, SCHEMAS[config], **WRITER_OPTIONS) as writer:
        for index in range(handle.num_row_groups):
            rows = [fill_row(config, row, texts) for row in handle.read_row_group(index).to_pylist()]
            table = pa.Table.from_pylist(rows, schema=SCHEMAS[config])
            writer.write_table(table, row_group_size=max(1, len(rows)))
            nbytes += table.nbytes
    return nbytes


def _write_rehydrated(release: Path, tmp: Path, manifest: dict, texts: dict[str, str]) -> None:
    for config in CONFIGS:
        for split in SPLITS:
            entry = manifest["configs"][config][split]
            nbytes = 0
            for item in entry["files"]:
                source, target = release / item["path"], tmp / item["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                nbytes += _rewrite(source, target, config, texts)
                item["size"] = target.stat().st_size
            entry["num_bytes"] = nbytes
    manifest["rehydrated"] = sorted(set(manifest.get("rehydrated") or []) | set(texts))
    write_generated_files(tmp, manifest)


def rehydrate_release(release: str | Path, sources: list[str | Path], out: str | Path, force: bool = False) -> list[str]:
    """Write a copy of `release` at `out` with the supplied texts restored; returns the restored ids.

    The release must verify (its own problems are raised otherwise); `out` is handled as `wsw release --out`
    handles it (no overlap with the release or the copies, locked, interrupted installs recovered)."""
    release, out = Path(release), Path(out).absolute()
    check_overlap(out, {"the release": release, **{f"the copy {s}": Path(s) for s in sources}})
    problems = verify_release(release, deep=False)
    if problems:
        raise ProblemError(problems)
    manifest, _ = load_manifest(release)
    assert manifest is not None  # it verified
    withheld = withheld_documents(release, manifest)
    if not withheld:
        fail("REL-REHYDRATE-NOTHING", "no document of this release has its text withheld; nothing to rehydrate",
             file=str(release))
    texts = match_copies([Path(s) for s in sources], withheld)
    if not texts:
        fail("REL-REHYDRATE-NOTHING", "no copies given (--texts): nothing to rehydrate", file=str(release))
    with target_lock(out):
        recover(out)
        check_target(out, force)
        tmp = new_build_folder(out)
        try:
            _write_rehydrated(release, tmp, manifest, texts)
            problems = verify_release(tmp, deep=True)
            if problems:
                raise ProblemError(problems)
            install(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return sorted(texts)
