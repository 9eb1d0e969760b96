"""Raw article (plain text or HTML) -> canonical document with no annotations yet.

`text` removes page boilerplate from plain text by named line rules and keeps the rest
verbatim; `html` turns an HTML page into such text; `document` builds the canonical document
(metadata merged, every removal written to `provenance.source.cleaning`), so the text can be
re-derived and audited, and the same input always gives the same bytes.
"""

from __future__ import annotations

from .document import IMPORTER, IngestError, build_document, decode_raw, looks_like_html, slugify, unescape
from .html import html_to_text
from .text import BOILERPLATE_RULES, BoilerplateRule, Extracted, extract_body

__all__ = ["BOILERPLATE_RULES", "IMPORTER", "BoilerplateRule", "Extracted", "IngestError", "build_document",
           "decode_raw", "extract_body", "html_to_text", "looks_like_html", "slugify", "unescape"]
