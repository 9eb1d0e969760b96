"""Untrusted text made safe to show: made visible, clipped, then escaped for where it goes.

Everything a submitter controls (system cards, folder and file names, submission contents) is
untrusted. It reaches three kinds of output, each with its own escaping, always after
`visible` and a length limit:

* HTML (`html_text`): `html.escape` with quotes, so no tag, attribute or entity can be formed;
* Markdown (`md_text`): HTML-escaped as well (Markdown renderers pass HTML through) and every
  character with a Markdown meaning backslash-escaped, so a name cannot open a link, an image,
  a table cell or a code span;
* the terminal (`visible`): control characters, bidirectional overrides and undecodable bytes
  are shown as escapes, so a name cannot move the cursor, recolour the terminal or reorder text.

URLs are linked only when `safe_url` accepts them: absolute http(s) with a host, nothing else
(`javascript:`, `data:`, relative paths and anything with spaces or quotes are refused).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

#: C0/C1 controls (but tab and newline), line/paragraph separators, bidi marks and overrides, BOM
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: characters with an inline Markdown meaning (GFM: emphasis, code, links, images, tables, strike-through,
#: autolinks of URLs and e-mail addresses); `<`, `>` and `&` are HTML-escaped before
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()!|~:@])")
ELLIPSIS = "…"


def _escape_char(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_surrogate(match: re.Match) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape (file names)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def visible(text: str, limit: int | None = None, *, newlines: bool = False) -> str:
    """`text` with every invisible or unrepresentable character shown as an escape, clipped to `limit`.

    Newlines and tabs become spaces unless `newlines` is true. The result is always valid UTF-8.
    """
    text = _SURROGATE.sub(_escape_surrogate, str(text))
    text = _INVISIBLE.sub(_escape_char, text)
    if not newlines:
        text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return clip(text, limit)[0] if limit is not None else text


def clip(text: str, limit: int) -> tuple[str, bool]:
    """(text cut to at most `limit` characters with an ellipsis, whether it was cut)."""
    if len(text) <= limit:
        return text, False
    return text[: max(0, limit - 1)] + ELLIPSIS, True


def html_text(text, limit: int = 500, *, newlines: bool = False) -> str:
    """Untrusted text as HTML element content or a quoted attribute value."""
    return html.escape(visible("" if text is None else text, limit, newlines=newlines), quote=True)


def md_text(text, limit: int = 200) -> str:
    """Untrusted text as inline Markdown: no markup, no HTML, no table cell breaks."""
    shown = visible("" if text is None else text, limit)
    return _MARKDOWN.sub(r"\\\1", html.escape(shown, quote=True))


def safe_url(url) -> str | None:
    """`url` if it is an absolute http(s) URL with a host and nothing that could break out; else None."""
    if not isinstance(url, str) or len(url) > 2000 or url != url.strip():
        return None
    if _INVISIBLE.search(url) or _SURROGATE.search(url) or any(c in url for c in " \"'<>`\\"):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def short_hash(digest: str | None, length: int = 12) -> str:
    """The first characters of a hex digest (for tables); the full one goes in titles and JSON."""
    return "" if not digest else digest[:length]
