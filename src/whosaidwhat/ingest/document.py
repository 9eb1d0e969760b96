"""Raw article bytes -> canonical document with no annotations yet (metadata merged, cleaning logged)."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Literal

from .. import __version__
from ..core.document import Document, Metadata, new_document
from ..core.problems import Problem
from .html import html_to_text
from .text import extract_body

IMPORTER = f"wsw ingest {__version__}"


class IngestError(ValueError):
    """A raw article that cannot be ingested; `problem` says why under a registered rule (a ValueError for old callers)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def slugify(name: str) -> str:
    """A URL-safe document id from a file name or title ('' when nothing Latin is left: ask for --id)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:128]


def looks_like_html(raw: str) -> bool:
    head = raw.lstrip()[:1000].lower()
    return head.startswith("<!doctype html") or "<html" in head or ("<p>" in head and "</p>" in raw.lower())


def _metadata(page: dict, given: Metadata, title: str | None, doc_id: str) -> Metadata:
    """Page metadata overridden by the caller's, in a fixed key order for byte-stable output."""
    merged: dict = {**page}
    merged.update({k: v for k, v in given.items() if v not in (None, [], "")})
    merged.setdefault("title", title or doc_id)
    ordered: Metadata = {
        "title": merged["title"],
        "outlet": merged.get("outlet"),
        "url": merged.get("url"),
        "published": merged.get("published"),
        "language": merged.get("language") or "en",
    }
    if merged.get("authors"):
        ordered["authors"] = list(merged["authors"])
    ordered["license"] = merged["license"]
    return ordered


def build_document(raw: str, *, doc_id: str, metadata: Metadata, raw_file: str | None, raw_sha256: str | None,
                   fmt: Literal["auto", "text", "html"] = "auto", pre_cleaning: list[str] | None = None) -> Document:
    """The canonical document for a raw article; metadata given by the caller wins over page metadata.

    Raises IngestError (INGEST-NO-TEXT) when nothing of the article is left.
    """
    kind = ("html" if looks_like_html(raw) else "text") if fmt == "auto" else fmt
    extracted = html_to_text(raw) if kind == "html" else extract_body(raw)
    if not extracted.text.strip():
        raise IngestError(Problem("INGEST-NO-TEXT", "no article text left after removing boilerplate", file=raw_file,
                                  doc_id=doc_id, expected="at least one paragraph of article text"))
    ordered = _metadata(extracted.page_metadata, metadata, extracted.title, doc_id)
    source = {"raw_file": raw_file, "raw_sha256": raw_sha256, "importer": IMPORTER,
              "cleaning": list(pre_cleaning or []) + extracted.cleaning, "derived_from": None}
    return new_document(doc_id, extracted.text, ordered, source)


def decode_raw(data: bytes, name: str) -> tuple[str, bool]:
    """Raw bytes as text, and whether a byte-order mark was removed: UTF-8 only, nothing guessed (IngestError)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(Problem("INGEST-NOT-UTF8", f"not UTF-8 (byte {exc.start}); convert it to UTF-8 first, "
                                  "e.g. with iconv", file=name, found=repr(data[exc.start:exc.start + 4]),
                                  expected="UTF-8")) from None
    if text.startswith("\ufeff"):
        return text[1:], True
    return text, False


def unescape(text: str) -> str:
    """Decode HTML character references (exposed for tests)."""
    return html.unescape(text)


__all__ = ["IMPORTER", "IngestError", "build_document", "decode_raw", "looks_like_html", "slugify", "unescape"]
