"""Text of an HTML article: block elements become paragraphs, page furniture is skipped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .text import Extracted, extract_body


class _ArticleHTML(HTMLParser):
    """Collects block-level text, title and meta tags of an HTML page, skipping page furniture."""

    SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "iframe", "template"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "div", "section", "article", "td", "dd", "dt", "br"}

    def __init__(self) -> None:
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

    def _flush(self) -> None:
        block = " ".join("".join(self.current).split())
        if block:
            self.blocks.append(block)
            if self.in_article:
                self.article_blocks.append(block)
        self.current = []

    def _head(self, tag: str, attrs: dict) -> None:
        """What the page says about itself: language, meta tags, canonical link."""
        if tag == "html" and attrs.get("lang"):
            self.lang = attrs["lang"]
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key and attrs.get("content"):
                self.meta.setdefault(key.lower(), attrs["content"])
        if tag == "link" and (attrs.get("rel") or "").lower() == "canonical" and attrs.get("href"):
            self.canonical = attrs["href"]

    def handle_starttag(self, tag, attrs):
        self._head(tag, dict(attrs))
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


def _page_metadata(parser: _ArticleHTML, title: str | None) -> dict:
    """Title, outlet, URL, publication date, language and author as the page states them (empty values left out)."""
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
    return {k: v for k, v in page.items() if v}


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
    return Extracted(text=body.text, title=body.title, cleaning=cleaning + body.cleaning,
                     page_metadata=_page_metadata(parser, title))


__all__ = ["html_to_text"]
