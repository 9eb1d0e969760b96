"""Body of a plain-text page: page furniture removed by named line rules, the rest kept verbatim.

The body is separated from page boilerplate by named line rules (`BOILERPLATE_RULES`), applied
to blank-line separated blocks. Kept blocks are copied verbatim (no Unicode or newline
normalisation) and joined with one blank line in the raw file's own newline convention.
Every removal is logged, so the text can be re-derived and audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal


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
    _rule("reader-controls", r"(read mode|\d{1,3}\s*%\s*font size|font size|text size|listen( to this article)?|print"
          r"|share( this article)?|copy link)", "drop", 40),
    _rule("newsletter-promotion", r".*\b(follow (us|our \w+( \w+)? channel)|sign up (for|to) our .*newsletter"
          r"|subscribe to our .*(newsletter|channel)|download our app)\b.*", "drop", 160),
    _rule("read-more-links", r"(read more|related( articles| stories)?|more from [^.!?]{1,40}|also read"
          r"|recommended( for you)?|you may also like)\s*:?", "cut", 60),
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


def newline_of(raw: str) -> str:
    """The raw file's newline convention: CRLF if it uses CRLF, else LF (a lone LF in a CRLF file stays in its line)."""
    return "\r\n" if "\r\n" in raw else "\n"


def blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Blank-line separated blocks as (first line index, last line index + 1)."""
    found, start = [], None
    for i, line in enumerate(lines):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            found.append((start, i))
            start = None
    if start is not None:
        found.append((start, len(lines)))
    return found


def match(line: str) -> BoilerplateRule | None:
    """The first boilerplate rule matching the stripped line, or None."""
    stripped = line.strip()
    for rule in BOILERPLATE_RULES:
        if len(stripped) <= rule.max_length and rule.pattern.fullmatch(stripped):
            return rule
    return None


def _block(lines: list[str], first: int, last: int, source_kind: str, cleaning: list[str]) -> tuple[list[str], int | None]:
    """(kept lines of one block, index of the line a `cut` rule fired on or None); drops are logged."""
    kept: list[str] = []
    for i in range(first, last):
        rule = match(lines[i])
        if rule is None:
            kept.append(lines[i])
        elif rule.action == "cut":
            return kept, i
        else:
            cleaning.append(f"{source_kind} line {i + 1}: dropped by rule {rule.name}: {lines[i].strip()!r}")
    return kept, None


def _cut_note(lines: list[str], cut_at: int, source_kind: str) -> str:
    remaining = [ln for ln in lines[cut_at:] if ln.strip()]
    rule = match(lines[cut_at])
    return (f"{source_kind} lines {cut_at + 1}-{len(lines)}: cut by rule {rule.name if rule else '?'} "
            f"at {lines[cut_at].strip()!r} ({len(remaining)} non-blank line(s) removed)")


def extract_body(raw: str, source_kind: str = "text") -> Extracted:
    """Body of a plain-text page: drop boilerplate lines, cut at link lists, keep the rest verbatim."""
    newline = newline_of(raw)
    lines = raw.split(newline)
    kept_blocks: list[list[str]] = []
    cleaning: list[str] = []
    for first, last in blocks(lines):
        kept, cut_at = _block(lines, first, last, source_kind, cleaning)
        if kept:
            kept_blocks.append(kept)
        if cut_at is not None:
            cleaning.append(_cut_note(lines, cut_at, source_kind))
            break
    paragraphs = [newline.join(block) for block in kept_blocks]
    text = (newline * 2).join(paragraphs)
    if paragraphs:
        cleaning.append(f"kept {len(paragraphs)} paragraph(s) verbatim, joined by one blank line "
                        f"({'CRLF' if newline == chr(13) + chr(10) else 'LF'} as in the raw file)")
    title = kept_blocks[0][0].strip() if kept_blocks else None
    return Extracted(text=text, title=title, cleaning=cleaning)


__all__ = ["BOILERPLATE_RULES", "BoilerplateRule", "Extracted", "extract_body"]
