"""Reading and checking a submission: JSONL or Parquet, one document's predictions per line or row.

The shape is schema/submission.schema.json (the canonical layers without the text); every other
rule is the document rule that does not need the article text, checked by the same checker as
gold documents (`whosaidwhat.validation.Checker` in submission mode), plus the submission-only
rules (SUB-DOC-UNKNOWN, SUB-TEXT-HASH, SUB-FILE). Problems are `core.problems.Problem` (rule id,
file and line, document id, JSON path, found vs expected); nothing is scored when there is any.
Two paths check the same rules:

* the per-line path: `parse_line` (the strict JSON reader, `core.jsonfile.parse_json`: no NaN, no
  key twice, no lone surrogate) and `LineChecker` (the JSON Schema, then the shared checker). It
  is the only code that writes problems;
* the fast path: blocks of lines parsed by pyarrow.json with an explicit schema (Parquet:
  record batches) and every rule checked at once with pyarrow compute and numpy
  (`arrow_submission`), without a Python object per span. Each line it cannot vouch for goes
  through the per-line path, in file order, so the problems, their order and the cap are the
  per-line path's (tests/scoring/test_fast_path.py checks both paths against each other).

Checked documents of the scored split become numpy columns (`Layers`); the parsed lines are
never kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.inventory import Inventory
from ..core.jsonfile import binary_kind, parse_json, regular_file_problem
from ..core.problems import Problem, ProblemError
from ..validation import Checker
from ..validation.checker import shown_id
from ..validation.schemas import SUBMISSION, schema_problems
from .gold import GoldSet
from .layers import MAX_VALUE, Layers, LayersBuilder

if TYPE_CHECKING:
    from .arrow_submission import ArrowSubmissionBuilder

TOP_KEYS = ("id", "text_sha256", "entities", "mentions", "quotes", "claims")
LAYER_KEYS = ("entities", "mentions", "quotes", "claims")
_NO_TEXT_HINT = {"text": "submissions carry no article text", "metadata": "submissions carry no metadata",
                 "provenance": "submissions carry no provenance", "schema_version": "submissions carry no schema_version"}


@dataclass
class SubmissionInfo:
    """What was read, for the record of a score."""

    path: str
    format: str
    sha256: str = ""
    lines: int = 0   # lines (rows) read, blank lines not counted: 0 for an empty file
    scored: int = 0  # documents of the scored split predicted
    missing: list[str] = field(default_factory=list)
    other_split: list[str] = field(default_factory=list)
    layers: dict[str, bool] = field(default_factory=lambda: {layer: False for layer in ("mentions", "quotes", "claims")})
    unchecked_ranges: int = 0  # scored documents whose gold text is withheld: offsets not range-checked

    @property
    def empty(self) -> bool:
        """No document of the scored split is predicted (the score command refuses it: SUB-EMPTY)."""
        return self.scored == 0


class SubmissionError(ProblemError):
    """The submission has problems (up to the cap, and how many in all); nothing was scored."""

    def __init__(self, problems: list[Problem], total: int):
        super().__init__(problems, total)


Where = dict[str, Any]


def _where(where: str | Where) -> Where:
    return {"file": where} if isinstance(where, str) else dict(where)


class LineChecker:
    """Checks one parsed line: its shape (the JSON Schema), then the document rules in submission mode."""

    def __init__(self, inventory: Inventory):
        self.checker = Checker(inventory, submission=True, max_offset=MAX_VALUE)
        self.where: Where = {}
        self.text: Any = None

    def check(self, obj: Any, where: str | Where, text: Any = None) -> tuple[str, list[Problem]]:
        """(document id or '?', problems of the line's shape); `text`: the gold text, None if not known."""
        self.where, self.text = _where(where), text
        doc_id = obj.get("id") if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None
        self.where["doc_id"] = shown_id(doc_id)
        return doc_id or "?", schema_problems(obj, SUBMISSION, _NO_TEXT_HINT, **self.where)

    def check_layers(self, obj: dict[str, Any], gold_sha: str | None) -> list[Problem]:
        """Everything below the shape (call after `check` found no problem)."""
        return self.checker.submission_line(obj, self.text, gold_sha, **self.where)


class _LazyText:
    """A gold text whose length is known and whose characters are read only if a span's text is checked."""

    __slots__ = ("length", "gold", "index", "value")

    def __init__(self, length: int, gold: GoldSet, index: int):
        self.length, self.gold, self.index = length, gold, index
        self.value: str | None = None

    def _text(self) -> str:
        if self.value is None:
            self.value = self.gold.text(self.index)
        return self.value or ""

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key):
        return self._text()[key]

    def find(self, *args) -> int:
        return self._text().find(*args)


# -- reading files ---------------------------------------------------------------------------------
#
# Two paths, one set of messages. The per-line path (`_Reading.take`) parses a line with the
# strict parser (`parse_line`) and checks it with `LineChecker`: it is the only code that writes
# problems. The fast path parses a block of lines with pyarrow.json (or a Parquet record batch)
# into Arrow and checks every rule at once (`arrow_submission.check_batch`); every line it cannot
# vouch for (one with a problem, or anything unusual) goes through the per-line path, in file
# order, so the problems, their order and the cap are exactly the per-line path's, while a
# clean file never touches it. `read_submission(..., fast=False)` is the per-line path alone.

def parse_line(raw: bytes, where: str | Where) -> tuple[object | None, Problem | None]:
    """One JSONL line (with its newline) through the strict reader: (value, None) or (None, the problem)."""
    place = _where(where)
    value, problem = parse_json(raw, file=place.get("file"), lineno=place.get("lineno"))
    if problem is not None and problem.path is None:
        problem = Problem(problem.rule, problem.message, file=problem.file, lineno=problem.lineno, doc_id=problem.doc_id,
                          path="$", found=problem.found, expected=problem.expected)
    return value, problem

class _Restart(Exception):
    """The fast path met something only the per-line path places exactly (a damaged Parquet file)."""


class _Reading:
    """One reading of a submission: problems so far, the first line of each document, what was built."""

    def __init__(self, path: Path, gold: GoldSet, inventory: Inventory, max_problems: int):
        self.path, self.gold, self.inventory, self.max_problems = path, gold, inventory, max_problems
        self.info = SubmissionInfo(str(path), path.suffix.lower()[1:])
        self.jsonl = self.info.format == "jsonl"
        self.checker = LineChecker(inventory)
        self.builder = LayersBuilder(inventory, len(gold.doc_ids))  # documents of the per-line path
        self.slow_docs = 0
        self.fast_builder: ArrowSubmissionBuilder | None = None       # documents of the fast path
        self.order = np.zeros(len(gold.doc_ids), dtype=np.int64)       # gold index -> its line number
        self.problems: list[Problem] = []
        self.total = 0
        self.first_line: dict[str, int] = {}
        self.other_split: set[str] = set()

    def shown(self, number: int) -> str:
        return f"{self.path}:{number}" if self.jsonl else f"{self.path}:row {number}"

    def where_of(self, number: int) -> Where:
        """The location of line (JSONL) or row (Parquet) `number`."""
        return {"file": str(self.path), "lineno": number} if self.jsonl else {"file": self.shown(number), "lineno": None}

    def duplicate(self, number: int, doc_id: str) -> Problem:
        return Problem("DOC-ID-DUPLICATE", "document already predicted", **self.where_of(number), doc_id=shown_id(doc_id), path="$.id",
                       found=f"also on {self.shown(self.first_line[doc_id])}", expected="one line per document")

    def report(self, found: list[Problem]) -> None:
        self.total += len(found)
        self.problems.extend(found[: max(0, self.max_problems - len(self.problems))])

    def take(self, number: int, obj: Any, problem: Problem | None) -> None:
        """The per-line path: check one parsed line, report its problems or keep its layers."""
        self.info.lines += 1
        if problem is not None:
            self.report([problem])
            return
        raw_id = obj.get("id") if isinstance(obj, dict) else None
        index = self.gold.index.get(raw_id) if isinstance(raw_id, str) else None
        length = int(self.gold.text_length[index]) if index is not None else -1
        text = _LazyText(length, self.gold, index) if index is not None and length >= 0 else None
        found = self.problems_of(number, obj, index, text)
        if found:
            self.report(found)
        else:
            self.keep(number, obj, index, text)

    def problems_of(self, number: int, obj: Any, index: int | None, text: Any) -> list[Problem]:
        """The line's problems, in the order of the checks: shape, DOC-ID-DUPLICATE, SUB-DOC-UNKNOWN, the layers."""
        gold, where = self.gold, self.where_of(number)
        doc_id, found = self.checker.check(obj, where, text)
        if found:
            return found
        if doc_id in self.first_line:
            return [self.duplicate(number, doc_id)]
        self.first_line[doc_id] = number
        if index is None and doc_id not in gold.other_ids:
            return [Problem("SUB-DOC-UNKNOWN", "no gold document has this id", **where, doc_id=shown_id(doc_id), path="$.id",
                            found=repr(doc_id), expected=f"an id of {gold.info.kind} {gold.info.path}")]
        return self.checker.check_layers(obj, gold.text_sha256[index] if index is not None else None)

    def keep(self, number: int, obj: dict[str, Any], index: int | None, text: Any) -> None:
        """A clean line of the per-line path: its layers are kept when its document is of the scored split."""
        info = self.info
        for layer in info.layers:
            info.layers[layer] = info.layers[layer] or layer in obj
        if index is None:
            self.other_split.add(obj["id"])
            return
        if text is None:
            info.unchecked_ranges += 1
        self.builder.add(index, obj)
        self.order[index] = number
        self.slow_docs += 1
        info.scored += 1

    def take_clean(self, number: int, doc_id: str) -> None:
        """A line the fast path found clean: only the rule across lines is left to check."""
        if doc_id in self.first_line:
            self.report([self.duplicate(number, doc_id)])
        else:
            self.first_line[doc_id] = number

    def take_all_clean(self, first: int, ids: list[str]) -> None:
        """`take_clean` for consecutive clean lines from line `first` on."""
        numbers = dict(zip(ids, range(first, first + len(ids))))
        if len(numbers) == len(ids) and self.first_line.keys().isdisjoint(numbers):
            self.first_line.update(numbers)
        else:
            for number, doc_id in enumerate(ids, start=first):
                self.take_clean(number, doc_id)

    def keep_clean(self, checked, numbers: np.ndarray, ids: list, batch, ctx) -> None:
        """Record the clean rows of a checked batch (`checked.ok`) and keep their layers."""
        from .arrow_layers import bool_array
        from .arrow_submission import ArrowSubmissionBuilder, check_batch

        if self.total:
            return  # nothing will be scored: no need to keep anything
        info, ok = self.info, checked.ok
        index = checked.index[ok]
        scored = index >= 0
        info.lines += int(ok.sum())
        for layer in info.layers:
            info.layers[layer] = info.layers[layer] or bool((checked.present[layer] & ok).any())
        other = checked.other & ok
        if other.any():
            self.other_split.update(ids[r] for r in np.flatnonzero(other).tolist())
        if not scored.any():
            return
        info.scored += int(scored.sum())
        info.unchecked_ranges += int((self.gold.text_length[index[scored]] < 0).sum())
        self.order[index[scored]] = numbers[ok][scored]
        keep = ok & (checked.index >= 0)
        if not keep.all():  # build from the clean rows of the scored split alone
            checked = check_batch(batch.filter(bool_array(keep)), ctx)
            assert checked.ok.all(), "the checks of a row depend on that row only"
        if self.fast_builder is None:
            self.fast_builder = ArrowSubmissionBuilder(len(self.gold.doc_ids))
        self.fast_builder.add(checked)

    def finish(self) -> tuple[Layers, SubmissionInfo]:
        from .arrow_submission import merge_layers

        info = self.info
        if self.total:
            raise SubmissionError(self.problems, self.total)
        # no problem, so every line of the scored split was kept and has its line number in `order`
        info.missing = [self.gold.doc_ids[i] for i in np.flatnonzero(self.order == 0).tolist()]
        info.other_split = sorted(self.other_split)
        self.first_line = {}
        slow = self.builder.finish()
        if self.fast_builder is None:
            layers = slow
        elif self.slow_docs == 0:
            layers = self.fast_builder.finish()
        else:  # documents from both paths: in line order, as one LayersBuilder would have them
            layers = merge_layers(self.fast_builder.finish(), slow, self.order)
        del self.builder, slow  # free the parts before handing memory back
        self.fast_builder = None
        return layers, info


# -- JSONL ---------------------------------------------------------------------------------------

_BLOCK = 1 << 22     # bytes of JSONL parsed at once (whole lines): larger blocks are hardly faster but
                     # raise the peak memory of `wsw score` (it must stay far below nervaluate's)
_LONG_LINE = 8192    # a longer line is looked at before pyarrow sees it, and with more than
_MAX_OPENINGS = 4096  # this many `{` and `[` it goes to the per-line path: pyarrow's parser
                      # recurses, and nesting ~10,000 levels deep overflows its stack


def _blocks(path: Path, digest) -> Iterator[tuple[int, bytes, list[bytes], bytes]]:
    """(number of the first line, the block, its lines without their newline, the newline of the
    last one) over the file, about _BLOCK bytes at a time; blocks hold whole lines."""
    with path.open("rb") as fh:
        first, rest = 1, b""
        while True:
            chunk = fh.read(_BLOCK)
            if not chunk:
                if rest:
                    yield first, rest, [rest], b""  # the file's last line has no newline
                return
            digest.update(chunk)
            data = rest + chunk if rest else chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                rest = data
                continue
            block, rest = (data, b"") if cut == len(data) else (data[:cut], data[cut:])
            lines = block.split(b"\n")
            lines.pop()  # the empty string after the last newline
            yield first, block, lines, b"\n"
            first += len(lines)


def _fast_lines(block: bytes, lines: list[bytes]) -> np.ndarray:
    """Lines pyarrow may see: they start with `{`, hold no CR but a final one, decode as UTF-8 and
    are not deeply nested; the others go to the per-line path.

    These guards are enough because pyarrow parses with the explicit schema: it refuses NaN,
    Infinity, non-integer offsets, unknown fields, a key twice in one object, lone surrogates and
    control characters in strings, and then the whole block goes line by line. What it would
    get wrong is kept from it: invalid UTF-8 (it lets that through into strings), a line that is
    not an object (`null` first in a block crashes it), a lone CR (it splits the line there) and
    nesting thousands deep (its parser recurses).
    """
    n = len(lines)
    arr = np.frombuffer(block, dtype=np.uint8)
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    if n > 1:
        np.cumsum(lengths[:-1] + 1, out=starts[1:])
    fast = lengths > 0
    fast[fast] = arr[starts[fast]] == 0x7B  # "{"
    if b"\r" in block:
        cr = np.flatnonzero(arr == 0x0D)
        line = np.searchsorted(starts, cr, side="right") - 1
        lone = cr != starts[line] + lengths[line] - 1
        fast[line[lone]] = False
    for k in np.flatnonzero(fast & (lengths > _LONG_LINE)).tolist():
        if lines[k].count(b"{") + lines[k].count(b"[") > _MAX_OPENINGS:
            fast[k] = False
    if not block.isascii():  # pyarrow lets invalid UTF-8 through into strings
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            high = np.flatnonzero(arr >= 0x80)
            for k in np.unique(np.searchsorted(starts, high, side="right") - 1).tolist():
                try:
                    lines[k].decode("utf-8")
                except UnicodeDecodeError:
                    fast[k] = False
    return fast


def _parse_jsonl(buffer: bytes, rows: int):
    """`rows` lines as one Arrow record batch of SCHEMA, or None when pyarrow refuses any of them."""
    import pyarrow as pa
    import pyarrow.json as pj

    from .arrow_submission import SCHEMA

    if len(buffer) >= 2**31 - 2:
        return None
    try:
        table = pj.read_json(pa.BufferReader(buffer),
                             read_options=pj.ReadOptions(use_threads=False, block_size=len(buffer) + 1),
                             parse_options=pj.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="error"))
    except Exception:  # ArrowInvalid mostly; a message quoting invalid UTF-8 even raises UnicodeDecodeError
        return None
    if table.num_rows != rows:  # two objects on one line
        return None
    return table.combine_chunks().to_batches()[0]


def _refuse_explicit_nulls(checked: Any, ok: np.ndarray, block: bytes, lines: list[bytes], rows: np.ndarray) -> None:
    """Clear `ok` for rows whose missing layer may be an explicit `null` (Arrow shows both as null; null is refused)."""
    from .arrow_submission import LAYERS

    for layer in LAYERS:
        key = f'"{layer}"'.encode()
        suspect = ok & ~checked.present[layer]
        if suspect.any() and (key in block or b"\\" in block):
            for r in np.flatnonzero(suspect).tolist():
                if key in lines[rows[r]] or b"\\" in lines[rows[r]]:
                    ok[r] = False


def _take_lines(reading: _Reading, first: int, lines: list[bytes], last_newline: bytes, rows: np.ndarray,
                ok: np.ndarray, ids: list[str]) -> None:
    """A block with lines the fast path did not vouch for: those go through the per-line path, in order."""
    row_of_line = [-1] * len(lines)
    for r, k in enumerate(rows.tolist()):
        if ok[r]:
            row_of_line[k] = r
    for k, line in enumerate(lines):
        number = first + k
        r = row_of_line[k]
        if r >= 0:
            reading.take_clean(number, ids[r])
        elif line.strip():
            raw = line + (b"\n" if k < len(lines) - 1 else last_newline)
            reading.take(number, *parse_line(raw, reading.where_of(number)))


def _read_jsonl(reading: _Reading, digest: Any, fast: bool) -> None:
    from .arrow_submission import Context, check_batch

    ctx = Context(reading.gold, reading.inventory) if fast else None
    for first, block, lines, last_newline in _blocks(reading.path, digest):
        rows = np.flatnonzero(_fast_lines(block, lines)) if fast else np.zeros(0, dtype=np.int64)
        batch = _parse_jsonl(block if len(rows) == len(lines) else b"\n".join([lines[k] for k in rows.tolist()]),
                             len(rows)) if len(rows) else None
        ids: list[str] = []
        ok = np.zeros(len(rows), dtype=bool)
        if batch is not None:
            assert ctx is not None  # rows are only given to pyarrow on the fast path
            checked = check_batch(batch, ctx)
            ok = checked.ok
            _refuse_explicit_nulls(checked, ok, block, lines, rows)
            ids = checked.ids
        if len(rows) == len(lines) and ok.all():
            reading.take_all_clean(first, ids)  # the usual block: every line clean
        else:
            _take_lines(reading, first, lines, last_newline, rows, ok, ids)
        if ok.any():
            reading.keep_clean(checked, first + rows, ids, batch, ctx)


# -- Parquet -------------------------------------------------------------------------------------

_PARQUET_BATCH = 4096  # rows per Parquet record batch (decoded one at a time, on one thread)


def _hash_file(path: Path, digest) -> None:
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)


def _parquet_rows(path: Path, digest) -> Iterator[tuple[int, object | None, Problem | None]]:
    """The per-line path's rows: (row number, row as a dict without null fields, problem)."""
    import pyarrow.parquet as pq

    _hash_file(path, digest)
    try:
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
    except Exception as exc:  # pyarrow raises several types for damaged files
        yield 0, None, Problem("SUB-FILE", f"cannot read Parquet ({exc})", file=str(path), path="$",
                               expected="a Parquet file")
        return
    unknown = [n for n in names if n not in TOP_KEYS]
    if unknown or "id" not in names:
        yield 0, None, Problem("SCHEMA", "unexpected Parquet columns", file=str(path), path="$", found=", ".join(names),
                               expected="an `id` column and any of " + ", ".join(TOP_KEYS[1:]))
        return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                number += 1
                yield number, {k: v for k, v in row.items() if v is not None}, None
    except Exception as exc:
        yield number + 1, None, Problem("SUB-FILE", f"cannot read Parquet ({exc})", file=f"{path}:row {number + 1}", path="$",
                                        expected="a Parquet file")


def _parquet_batches(reading: _Reading, digest: Any) -> Iterator[Any]:
    """The record batches of a Parquet submission; _Restart where only the per-line path can say what is wrong."""
    import pyarrow.parquet as pq

    _hash_file(reading.path, digest)
    try:
        parquet = pq.ParquetFile(reading.path)
        names = parquet.schema_arrow.names
        batches = parquet.iter_batches(batch_size=_PARQUET_BATCH, use_threads=False)
    except Exception:
        raise _Restart from None
    if "id" not in names or any(n not in TOP_KEYS for n in names):
        raise _Restart
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception:  # a damaged file: the per-line path says at which row
            raise _Restart from None
        yield batch


def _take_rows(reading: _Reading, batch: Any, number: int, ok: np.ndarray, ids: list[str]) -> None:
    """Rows `number + 1`... of a batch: clean ones recorded, the others through the per-line path."""
    if len(ok) and ok.all():
        reading.take_all_clean(number + 1, ids)  # the usual batch: every row clean
        return
    rows = None
    for r, good in enumerate(ok.tolist()):
        number += 1
        if good:
            reading.take_clean(number, ids[r])
            continue
        try:
            rows = rows or batch.to_pylist()
        except Exception:
            raise _Restart from None
        reading.take(number, {k: v for k, v in rows[r].items() if v is not None}, None)


def _read_parquet_fast(reading: _Reading, digest: Any) -> None:
    """Record batches checked whole; rows with a problem go through the per-line path."""
    from .arrow_submission import Context, check_batch, conform_batch

    ctx = Context(reading.gold, reading.inventory)
    number = 0
    for batch in _parquet_batches(reading, digest):
        conformed = conform_batch(batch)
        checked = check_batch(conformed, ctx) if conformed is not None else None
        ok = checked.ok if checked is not None else np.zeros(batch.num_rows, dtype=bool)
        ids = checked.ids if checked is not None else []
        numbers = np.arange(number + 1, number + 1 + batch.num_rows)
        _take_rows(reading, batch, number, ok, ids)
        number += batch.num_rows
        if ok.any():
            reading.keep_clean(checked, numbers, ids, conformed, ctx)


def _refuse_unreadable(path: Path, suffix: str) -> None:
    """FileNotFoundError for a missing file; SubmissionError for a FIFO or device, or an archive named .jsonl."""
    if not path.exists():
        raise FileNotFoundError(path)
    problem = regular_file_problem(path)
    if problem is None and suffix == ".jsonl":
        with path.open("rb") as fh:
            kind = binary_kind(fh.read(4096))
        if kind is not None:
            problem = Problem("FILE-BINARY", f"this is {kind}, not JSON lines", file=str(path), found=kind,
                              expected="UTF-8 text, one JSON object per line (.jsonl)")
    if problem is not None:
        raise SubmissionError([problem], 1)


def read_submission(path: str | Path, gold: GoldSet, inventory: Inventory,
                    max_problems: int = 50, fast: bool = True) -> tuple[Layers, SubmissionInfo]:
    """Check a submission against the gold split and return its predictions as `Layers`.

    Raises `SubmissionError` (with up to `max_problems` problems and the total) when anything
    is wrong, and `FileNotFoundError` for a missing file. `fast=False` checks every line with
    the per-line path alone (same result, for tests and as the reference).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise SubmissionError([Problem("SUB-FILE", "unknown submission format", file=str(path), path="$",
                                       found=path.suffix or "no suffix",
                                       expected=".jsonl (one JSON object per line) or .parquet")], 1)
    _refuse_unreadable(path, suffix)
    reading = _Reading(path, gold, inventory, max_problems)
    digest = hashlib.sha256()
    if suffix == ".jsonl":
        _read_jsonl(reading, digest, fast)
    else:
        try:
            if not fast:
                raise _Restart
            _read_parquet_fast(reading, digest)
        except _Restart:
            reading = _Reading(path, gold, inventory, max_problems)
            digest = hashlib.sha256()
            for number, obj, problem in _parquet_rows(path, digest):
                reading.take(number, obj, problem)
    reading.info.sha256 = digest.hexdigest()
    return reading.finish()


def submission_line(doc: dict) -> dict:
    """A canonical document reduced to a submission line: its layers without any surface text."""
    def span(s):
        return None if s is None else {"start": s["start"], "end": s["end"]}

    def source(a):
        return {k: v for k, v in a.items() if v is not None}

    return {
        "id": doc["id"],
        "text_sha256": doc.get("text_sha256"),
        "entities": [{"id": e["id"], "type": e.get("type")} for e in doc.get("entities") or ()],
        "mentions": [{"id": m["id"], "start": m["start"], "end": m["end"], "type": m["type"], "kind": m.get("kind"),
                      "entity": m.get("entity")} for m in doc.get("mentions") or ()],
        "quotes": [{"id": q["id"], "fragments": [span(f) for f in q["fragments"]], "cue": span(q.get("cue")),
                    "speaker": source(q["speaker"]), "type": q["type"]} for q in doc.get("quotes") or ()],
        "claims": [{"id": c["id"], "fragments": [span(f) for f in c["fragments"]], "claimant": source(c["claimant"]),
                    "quote": c.get("quote"), "check_worthy": c["check_worthy"]} for c in doc.get("claims") or ()],
    }
