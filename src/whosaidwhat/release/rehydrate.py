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
import json
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..core.document import text_sha256
from ..core.errors import UserError
from .build import check_target, install, write_generated_files
from .features import CONFIGS, SCHEMAS, SPLITS
from .parquet import WRITER_OPTIONS
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
            raise UserError(f"{source}: no such file or folder")
    return files


def _reingest(raw: bytes, entry: Withheld, path: Path) -> str:
    from ..ingest import build_document, decode_raw

    try:
        text, had_bom = decode_raw(raw, str(path))
        return build_document(text, doc_id=entry.doc_id, metadata=entry.metadata, raw_file=None, raw_sha256=None,
                              pre_cleaning=["UTF-8 byte-order mark removed"] if had_bom else [])["text"]
    except ValueError as exc:
        raise UserError(f"{path}: {entry.doc_id}: the raw file matches provenance.source.raw_sha256 but cannot be "
                        f"ingested ({exc})") from None


def match_copies(sources: list[Path], withheld: dict[str, Withheld]) -> dict[str, str]:
    """doc id -> restored text, for every supplied copy; refuses (UserError) if any copy does not match."""
    by_text = {w.text_sha256: w for w in withheld.values()}
    by_raw = {w.raw_sha256: w for w in withheld.values() if w.raw_sha256}
    texts: dict[str, str] = {}
    refused: list[str] = []
    for path in _copies(sources):
        data = path.read_bytes()
        claimed: str | None = path.stem if path.stem in withheld else None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            refused.append(f"{path}: not UTF-8 (byte {exc.start}); supply the text as UTF-8")
            continue
        if path.suffix == ".json":
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as exc:
                refused.append(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}); a .json copy must be a "
                               "canonical document, e.g. from `wsw ingest --stdout`")
                continue
            if not (isinstance(doc, dict) and isinstance(doc.get("text"), str)):
                refused.append(f"{path}: a .json copy must be a canonical document with a text")
                continue
            text, claimed = doc["text"], doc.get("id") if doc.get("id") in withheld else claimed
        digest = text_sha256(text)
        if digest in by_text:
            texts[by_text[digest].doc_id] = text
            continue
        raw_digest = hashlib.sha256(data).hexdigest()
        if raw_digest in by_raw and path.suffix != ".json":
            entry = by_raw[raw_digest]
            derived = _reingest(data, entry, path)
            if text_sha256(derived) == entry.text_sha256:
                texts[entry.doc_id] = derived
            else:
                refused.append(f"{path}: {entry.doc_id}: text_sha256: this is the raw file the document was made from, "
                               f"but this version of `wsw ingest` derives a different text from it (sha256 "
                               f"{text_sha256(derived)}, expected {entry.text_sha256}); supply the exact text instead")
            continue
        if claimed is not None:
            refused.append(f"{path}: {claimed}: text_sha256: the copy's SHA-256 is {digest}, expected "
                           f"{withheld[claimed].text_sha256}; it is not the text the annotations were made on"
                           + _hint(text, withheld[claimed].text_sha256))
        else:
            refused.append(f"{path}: matches no withheld document of the release (neither a text_sha256 nor a "
                           f"raw_sha256; withheld: {', '.join(sorted(withheld)) or 'none'})")
    if refused:
        raise UserError(f"{len(refused)} cop{'y' if len(refused) == 1 else 'ies'} refused; nothing was written:\n"
                        + "\n".join(refused))
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
    if config == "documents":
        return {**row, "text": text,
                "mentions": [_fill_span(m, text) for m in row["mentions"]],
                "quotes": [{**q, "fragments": [_fill_span(f, text) for f in q["fragments"]], "cue": _fill_span(q["cue"], text)}
                           for q in row["quotes"]],
                "claims": [{**c, "fragments": [_fill_span(f, text) for f in c["fragments"]]} for c in row["claims"]]}
    if config == "mentions":
        return _fill_span(row, text)
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


def rehydrate_release(release: str | Path, sources: list[str | Path], out: str | Path, force: bool = False) -> list[str]:
    """Write a copy of `release` at `out` with the supplied texts restored; returns the restored ids."""
    release, out = Path(release), Path(out).absolute()
    problems = verify_release(release, deep=False)
    if problems:
        raise UserError(f"{release}: the release does not verify, so it is not rehydrated:\n" + "\n".join(problems))
    manifest, _ = load_manifest(release)
    withheld = withheld_documents(release, manifest)
    if not withheld:
        raise UserError(f"{release}: no document of this release has its text withheld; nothing to rehydrate")
    texts = match_copies([Path(s) for s in sources], withheld)
    if not texts:
        raise UserError("no copies given (--texts): nothing to rehydrate")
    check_target(out, force)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
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
        problems = verify_release(tmp, deep=True)
        if problems:
            raise UserError("the rehydrated release failed verification; nothing was installed:\n" + "\n".join(problems))
        install(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(texts)
