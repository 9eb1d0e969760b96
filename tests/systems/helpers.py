"""Helpers for the system tests: a canonical document from a text, spans by their surface text."""

from __future__ import annotations

from whosaidwhat.core.document import text_sha256


def document(text: str, doc_id: str = "doc") -> dict:
    """A minimal canonical document with no annotations (what a system reads)."""
    absent = {"status": "absent", "producers": []}
    return {"schema_version": "1.0", "id": doc_id, "text": text, "text_sha256": text_sha256(text),
            "metadata": {"title": "t", "language": "en"},
            "provenance": {"layers": {"mentions": absent, "quotes": absent, "claims": absent}},
            "entities": [], "mentions": [], "quotes": [], "claims": []}


def surfaces(text: str, spans) -> list[str]:
    return [text[s:e] for s, e in spans]


def span_of(text: str, surface: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(surface, start + 1)
    return start, start + len(surface)
