"""Quotations by their marks: straight, curly, single, guillemets, nested, over several paragraphs.

`quotations(text)` pairs opening and closing marks paragraph by paragraph and returns the
outermost quotations with their content fragments (marks and the whitespace just inside them
excluded, guidelines 3.3):

* `“…”`, `„…“`, `«…»` and `‘…’` pair by shape; a straight `"` or `'` opens after a space, an
  opening bracket or the start of the paragraph and closes otherwise;
* an apostrophe is not a mark: a `'` or `’` between two letters (`don’t`, `Ford's`), before a
  digit (`'90s`), or after an `s` when no single quotation is open (`players’ union`);
* marks of the other family inside a quotation are nested quotations and stay inside it;
* a quotation still open at the end of a paragraph continues when the next paragraph starts with
  an opening mark of the same family (one fragment per paragraph); otherwise it ends with its
  paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import paragraphs, trim

DOUBLE = {"“": "”", "„": "“", "«": "»", '"': '"'}
SINGLE = {"‘": "’", "'": "'", "‹": "›"}
_OPEN_CONTEXT = set("([{—–-/:;,")
_CLOSE_CONTEXT = set(".,;:!?)]}—–-…")
ALL_MARKS = set(DOUBLE) | set(DOUBLE.values()) | set(SINGLE) | set(SINGLE.values())
_MARK = re.compile("[" + re.escape("".join(sorted(ALL_MARKS))) + "]")


@dataclass(frozen=True)
class Quotation:
    """A run of quoted text: content fragments (one per paragraph) and where its marks are."""

    fragments: tuple[tuple[int, int], ...]
    open_mark: int             # offset of the first opening mark
    close_mark: int | None     # offset of the last closing mark, None if it ends with its paragraph
    family: str                # "double" or "single"

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    @property
    def outer_end(self) -> int:
        """Just after the closing mark (or the content when unclosed)."""
        return self.close_mark + 1 if self.close_mark is not None else self.end


def _opening(text: str, i: int, ps: int, pe: int) -> bool:
    prev = text[i - 1] if i > ps else " "
    nxt = text[i + 1] if i + 1 < pe else " "
    return (i == ps or prev.isspace() or prev in _OPEN_CONTEXT or prev in ALL_MARKS) and not nxt.isspace()


def _closing(text: str, i: int, ps: int, pe: int) -> bool:
    prev = text[i - 1] if i > ps else " "
    nxt = text[i + 1] if i + 1 < pe else " "
    return not prev.isspace() and (i + 1 == pe or nxt.isspace() or nxt in _CLOSE_CONTEXT or nxt in ALL_MARKS)


def _apostrophe(text: str, i: int, ps: int, pe: int, single_open: bool) -> bool:
    prev = text[i - 1] if i > ps else " "
    nxt = text[i + 1] if i + 1 < pe else " "
    if prev.isalnum() and nxt.isalpha():
        return True
    if nxt.isdigit() and (prev.isspace() or i == ps):
        return True
    if prev in "sS" and not single_open:
        return True
    return False


_Run = tuple[int, int, int, "int | None", str]
_State = tuple[str, str, int, int]  # (family, expected close, content start, open mark)


def _opening_state(text: str, i: int, ps: int, pe: int) -> _State | None:
    """The quotation the mark at i opens, or None."""
    ch = text[i]
    if ch in DOUBLE and (ch != '"' or _opening(text, i, ps, pe)) and ch not in "”»":
        return ("double", DOUBLE[ch], i + 1, i)
    if ch in SINGLE and _opening(text, i, ps, pe) and not _apostrophe(text, i, ps, pe, False):
        return ("single", SINGLE[ch], i + 1, i)
    return None


def _nested_open(text: str, i: int, ps: int, pe: int, family: str) -> bool:
    """The mark at i opens a quotation of the same family inside the open one (`"A "B" C"`)."""
    ch = text[i]
    return (ch in (DOUBLE if family == "double" else SINGLE) and ch not in "”»’›"
            and _opening(text, i, ps, pe) and not _closing(text, i, ps, pe)
            and not (family == "single" and _apostrophe(text, i, ps, pe, True)))


def _closes(text: str, i: int, ps: int, pe: int, family: str, close: str) -> bool:
    """The mark at i closes the open quotation (an apostrophe does not close a single-quoted one)."""
    ch = text[i]
    closes = (ch == close or (family == "double" and ch in "”\"»") or (family == "single" and ch in "’'›"))
    if closes and family == "single" and _apostrophe(text, i, ps, pe, True) and not _closing(text, i, ps, pe):
        return False
    return closes and (ch in "”»’›" or _closing(text, i, ps, pe))


def _scan_paragraph(text: str, ps: int, pe: int, carry: tuple[str, str] | None):
    """Quoted runs of one paragraph: (content start, content end, open mark, close mark or None, family).

    `carry` is (family, closing mark) of a quotation left open by the previous paragraph; it
    continues only if this paragraph starts with an opening mark of that family.
    """
    runs: list[_Run] = []
    depth = 0  # same-family quotations nested inside the open one (`"A "B" C"`)
    state: _State | None = None
    if carry is not None and text[ps] in (DOUBLE if carry[0] == "double" else SINGLE):
        state = (carry[0], carry[1], ps + 1, ps)
    first = ps + 1 if state else ps
    for mark in _MARK.finditer(text, first, pe):  # only marks can change the state
        i = mark.start()
        if state is None:
            state = _opening_state(text, i, ps, pe)
            continue
        family, close, start, open_mark = state
        if _nested_open(text, i, ps, pe, family):
            depth += 1
        elif _closes(text, i, ps, pe, family, close):
            if depth:
                depth -= 1
            else:
                runs.append((start, i, open_mark, i, family))
                state = None
    if state is not None:
        family, close, start, open_mark = state
        runs.append((start, pe, open_mark, None, family))
        return runs, (family, close)
    return runs, None


def quotations(text: str) -> list[Quotation]:
    """The outermost quotations of `text`, in text order."""
    out: list[Quotation] = []
    pending: list | None = None   # fragments of a quotation continuing over paragraphs
    carry = None
    for ps, pe in paragraphs(text):
        runs, next_carry = _scan_paragraph(text, ps, pe, carry)
        for k, (start, end, open_mark, close_mark, family) in enumerate(runs):
            s, e = trim(text, start, end)
            continues = pending is not None and k == 0 and open_mark == ps
            if pending is not None and not continues:
                out.append(_finish(pending))
                pending = None
            if s >= e:
                continue
            if continues:
                assert pending is not None
                pending[0].append((s, e))
                pending[2] = close_mark
            else:
                pending = [[(s, e)], open_mark, close_mark, family]
            if close_mark is not None:
                out.append(_finish(pending))
                pending = None
        if pending is not None and next_carry is None:
            out.append(_finish(pending))
            pending = None
        carry = next_carry
    if pending is not None:
        out.append(_finish(pending))
    return out


def _finish(pending) -> Quotation:
    fragments, open_mark, close_mark, family = pending
    return Quotation(tuple(fragments), open_mark, close_mark, family)
