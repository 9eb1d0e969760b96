"""Raw article (plain text or HTML) -> canonical document with no annotations yet.

The body is separated from page boilerplate by named line rules (`BOILERPLATE_RULES`), applied
to blank-line separated blocks. Kept blocks are copied verbatim (no Unicode or newline
normalisation) and joined with one blank line in the raw file's own newline convention.
Every removal is written to `provenance.source.cleaning`, so the text can be re-derived and
audited, and the same input always gives the same bytes.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

from . import __version__
from .core.document import Document, Metadata, new_document

IMPORTER = f"wsw ingest {__version__}"


@dataclass(frozen=True)
class BoilerplateRule:
    """A page-furniture pattern: `drop` removes the matching line, `cut` removes it and all after it.

    A rule only fires on lines of at most `max_length` characters: page furniture is short, and
    a long line that happens to match is article prose, which must never be lost.
    """

    name: str
    pattern: re.Pattern
    action: Literal["drop", "cut"]
    max_length: int


def _rule(name: str, regex: str, action: Literal["drop", "cut"], max_length: int) -> BoilerplateRule:
    return BoilerplateRule(name, re.compile(regex, re.IGNORECASE), action, max_length)


#: Ordered; the first rule matching a stripped line decides. Patterns match the whole line.
BOILERPLATE_RULES: tuple[BoilerplateRule, ...] = (
    _rule("publication-line", r"(published|updated|last updated|posted)\s*:.{0,60}", "drop", 80),
    _rule("reader-controls", r"(read mode|\d{1,3}\s*%\s*font size|font size|text size|listen( to this article)?|print|share( this article)?|copy link)", "drop", 40),
    _rule("newsletter-promotion", r".*\b(follow (us|our \w+( \w+)? channel)|sign up (for|to) our .*newsletter|subscribe to our .*(newsletter|channel)|download our app)\b.*", "drop", 160),
    _rule("read-more-links", r"(read more|related( articles| stories)?|more from [^.!?]{1,40}|also read|recommended( for you)?|you may also like)\s*:?", "cut", 60),
    _rule("trending-box", r"(top content( trending)?|trending( now)?|most (read|popular|viewed))", "cut", 40),
    _rule("copyright-footer", r"(©|\(c\)|copyright\s+(©|\(c\)|\d{4})).{0,120}", "cut", 160),
)


@dataclass
class Extracted:
    """The result of body extraction: kept text plus what was removed and found on the page."""

    text: str
    title: str | None
    cleaning: list[str] = field(default_factory=list)
    page_metadata: dict = field(default_factory=dict)


def _newline_of(raw: str) -> str:
    """The raw file's newline convention: CRLF if it uses CRLF, else LF."""
    return "\r\n" if "\r\n" in raw else "\n"


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Blank-line separated blocks as (first line index, last line index + 1)."""
    blocks, start = [], None
    for i, line in enumerate(lines):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            blocks.append((start, i))
            start = None
    if start is not None:
        blocks.append((start, len(lines)))
    return blocks


def _match(line: str) -> BoilerplateRule | None:
    stripped = line.strip()
    for rule in BOILERPLATE_RULES:
        if len(stripped) <= rule.max_length and rule.pattern.fullmatch(stripped):
            return rule
    return None


def extract_body(raw: str, source_kind: str = "text") -> Extracted:
    """Body of a plain-text page: drop boilerplate lines, cut at link lists, keep the rest verbatim."""
    newline = _newline_of(raw)
    lines = raw.split(newline)
    if newline == "\r\n":
        # a lone LF inside a CRLF file stays inside its line: nothing is rewritten
        pass
    kept_blocks: list[list[str]] = []
    cleaning: list[str] = []
    cut_at: int | None = None
    for first, last in _blocks(lines):
        kept: list[str] = []
        for i in range(first, last):
            rule = _match(lines[i])
            if rule is None:
                kept.append(lines[i])
                continue
            if rule.action == "cut":
                cut_at = i
                break
            cleaning.append(f"{source_kind} line {i + 1}: dropped by rule {rule.name}: {lines[i].strip()!r}")
        if kept:
            kept_blocks.append(kept)
        if cut_at is not None:
            remaining = [ln for ln in lines[cut_at:] if ln.strip()]
            rule = _match(lines[cut_at])
            cleaning.append(f"{source_kind} lines {cut_at + 1}-{len(lines)}: cut by rule {rule.name if rule else '?'} "
                            f"at {lines[cut_at].strip()!r} ({len(remaining)} non-blank line(s) removed)")
            break
    paragraphs = [newline.join(block) for block in kept_blocks]
    text = (newline * 2).join(paragraphs)
    if paragraphs:
        cleaning.append(f"kept {len(paragraphs)} paragraph(s) verbatim, joined by one blank line ({'CRLF' if newline == chr(13) + chr(10) else 'LF'} as in the raw file)")
    title = kept_blocks[0][0].strip() if kept_blocks else None
    return Extracted(text=text, title=title, cleaning=cleaning)


class _ArticleHTML(HTMLParser):
    """Collects block-level text, title and meta tags of an HTML page, skipping page furniture."""

    SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "iframe", "template"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "div", "section", "article", "td", "dd", "dt", "br"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.title_parts: list[str] = []
        self.h1: str | None = None
        self.in_h1 = False
        self.h1_parts: list[str] = []
        self.in_article = 0
        self.article_blocks: list[str] = []
        self.lang: str | None = None
        self.canonical: str | None = None

    def _flush(self):
        block = " ".join("".join(self.current).split())
        if block:
            self.blocks.append(block)
            if self.in_article:
                self.article_blocks.append(block)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html" and attrs.get("lang"):
            self.lang = attrs["lang"]
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key and attrs.get("content"):
                self.meta.setdefault(key.lower(), attrs["content"])
        if tag == "link" and (attrs.get("rel") or "").lower() == "canonical" and attrs.get("href"):
            self.canonical = attrs["href"]
        if tag in self.SKIP:
            self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
        if tag == "article":
            self.in_article += 1
        if tag in self.BLOCK:
            self._flush()
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self._flush()
        if tag == "h1" and self.in_h1:
            self.in_h1 = False
            if self.h1 is None:
                self.h1 = " ".join("".join(self.h1_parts).split()) or None
        if tag == "article":
            self.in_article = max(0, self.in_article - 1)

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self.current.append(data)

    def close(self):
        super().close()
        self._flush()


def html_to_text(raw_html: str) -> Extracted:
    """Text of an HTML article: block elements become paragraphs, page furniture is skipped.

    HTML has no 'exact text' to preserve: whitespace inside a block is collapsed as a browser
    would, and character references are decoded. Both are recorded in the cleaning log.
    """
    parser = _ArticleHTML()
    parser.feed(raw_html)
    parser.close()
    blocks = parser.article_blocks or parser.blocks
    cleaning = ["HTML converted to text: script/style/nav/header/footer/aside/form skipped, "
                "one paragraph per block element, whitespace inside a block collapsed, character references decoded"
                + ("; only the <article> element kept" if parser.article_blocks else "")]
    title = parser.h1 or parser.meta.get("og:title") or (" ".join("".join(parser.title_parts).split()) or None)
    if title and (not blocks or blocks[0] != title):
        blocks = [title] + blocks
        cleaning.append("headline taken from <h1>/og:title and placed as the first paragraph")
    body = extract_body("\n\n".join(blocks), source_kind="extracted-html")
    meta = parser.meta
    published = meta.get("article:published_time") or meta.get("date") or meta.get("pubdate")
    page = {
        "title": title,
        "outlet": meta.get("og:site_name"),
        "url": meta.get("og:url") or parser.canonical,
        "published": published[:10] if published and re.match(r"\d{4}-\d{2}-\d{2}", published) else None,
        "language": (parser.lang or "").split("-")[0].lower() or None,
        "authors": [meta["author"]] if meta.get("author") else [],
    }
    return Extracted(text=body.text, title=body.title, cleaning=cleaning + body.cleaning,
                     page_metadata={k: v for k, v in page.items() if v})


def slugify(name: str) -> str:
    """A URL-safe document id from a file name or title ('' when nothing Latin is left: ask for --id)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:128]


def looks_like_html(raw: str) -> bool:
    head = raw.lstrip()[:1000].lower()
    return head.startswith("<!doctype html") or "<html" in head or ("<p>" in head and "</p>" in raw.lower())


def build_document(raw: str, *, doc_id: str, metadata: Metadata, raw_file: str | None, raw_sha256: str | None,
                   fmt: Literal["auto", "text", "html"] = "auto", pre_cleaning: list[str] | None = None) -> Document:
    """The canonical document for a raw article; metadata given by the caller wins over page metadata."""
    kind = ("html" if looks_like_html(raw) else "text") if fmt == "auto" else fmt
    extracted = html_to_text(raw) if kind == "html" else extract_body(raw)
    if not extracted.text.strip():
        raise ValueError("no article text left after removing boilerplate")
    merged: dict = {**extracted.page_metadata}
    merged.update({k: v for k, v in metadata.items() if v not in (None, [], "")})
    merged.setdefault("title", extracted.title or doc_id)
    ordered: Metadata = {  # fixed key order for byte-stable output
        "title": merged["title"],
        "outlet": merged.get("outlet"),
        "url": merged.get("url"),
        "published": merged.get("published"),
        "language": merged.get("language") or "en",
    }
    if merged.get("authors"):
        ordered["authors"] = list(merged["authors"])
    ordered["license"] = merged["license"]
    source = {"raw_file": raw_file, "raw_sha256": raw_sha256, "importer": IMPORTER,
              "cleaning": list(pre_cleaning or []) + extracted.cleaning, "derived_from": None}
    return new_document(doc_id, extracted.text, ordered, source)


def decode_raw(data: bytes, name: str) -> tuple[str, bool]:
    """Raw bytes as text, and whether a byte-order mark was removed: UTF-8 only, nothing guessed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name}: not UTF-8 (byte {exc.start}); convert it to UTF-8 first, e.g. with iconv") from None
    if text.startswith("\ufeff"):
        return text[1:], True
    return text, False


def unescape(text: str) -> str:
    """Decode HTML character references (exposed for tests)."""
    return html.unescape(text)
