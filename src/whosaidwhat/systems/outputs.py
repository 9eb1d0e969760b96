"""Writing predictions: JSONL (one line per document) or Parquet (one row per document), atomically.

Both go to a temporary file beside the target that replaces it only when every document was
predicted (whosaidwhat.core.atomic), so an error or an interrupt leaves the old file or none, never
half a file. The bytes depend only on the lines: JSON with a fixed key order and no spaces;
Parquet with one fixed schema, no timestamps and no compression dictionary that depends on
threads.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.atomic import atomic_open
from ..core.problems import fail

FORMATS = {".jsonl": "jsonl", ".parquet": "parquet"}
TOP_KEYS = ("id", "text_sha256", "entities", "mentions", "quotes", "claims")


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        fail("PRED-OUT-FORMAT", "--out: unknown format; give a .jsonl or .parquet file", file=str(path),
             found=path.suffix or "(no suffix)", expected=".jsonl or .parquet")
    return fmt


def ordered(line: dict) -> dict:
    """The line with its top-level keys in the submission order (absent keys stay absent)."""
    return {key: line[key] for key in TOP_KEYS if key in line}


def jsonl_bytes(line: dict) -> bytes:
    return (json.dumps(ordered(line), ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def parquet_schema():
    import pyarrow as pa

    span = pa.struct([("start", pa.int64()), ("end", pa.int64())])
    attribution = pa.struct([("kind", pa.string()), ("mention", pa.string()), ("entity", pa.string())])
    return pa.schema([
        ("id", pa.string()),
        ("text_sha256", pa.string()),
        ("entities", pa.list_(pa.struct([("id", pa.string()), ("type", pa.string())]))),
        ("mentions", pa.list_(pa.struct([("id", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                                         ("type", pa.string()), ("kind", pa.string()), ("entity", pa.string())]))),
        ("quotes", pa.list_(pa.struct([("id", pa.string()), ("fragments", pa.list_(span)), ("cue", span),
                                       ("speaker", attribution), ("type", pa.string())]))),
        ("claims", pa.list_(pa.struct([("id", pa.string()), ("fragments", pa.list_(span)), ("claimant", attribution),
                                       ("quote", pa.string()), ("check_worthy", pa.bool_())]))),
    ])


def _parquet_row(line: dict) -> dict:
    """A line as a row of `parquet_schema()`: spans without surface text, attributions with all three fields."""
    def span(s):
        return None if s is None else {"start": s["start"], "end": s["end"]}

    def who(a):
        return {"kind": a["kind"], "mention": a.get("mention"), "entity": a.get("entity")}

    row = {"id": line["id"], "text_sha256": line.get("text_sha256")}
    row["entities"] = [{"id": e["id"], "type": e.get("type")} for e in line.get("entities", [])]
    row["mentions"] = [{"id": m["id"], "start": m["start"], "end": m["end"], "type": m["type"], "kind": m.get("kind"),
                        "entity": m.get("entity")} for m in line.get("mentions", [])]
    row["quotes"] = [{"id": q["id"], "fragments": [span(f) for f in q["fragments"]], "cue": span(q.get("cue")),
                      "speaker": who(q["speaker"]), "type": q["type"]} for q in line.get("quotes", [])]
    row["claims"] = [{"id": c["id"], "fragments": [span(f) for f in c["fragments"]], "claimant": who(c["claimant"]),
                      "quote": c.get("quote"), "check_worthy": c["check_worthy"]} for c in line.get("claims", [])]
    return row


class PredictionWriter:
    """Context manager: `write(line)` per document; the file appears only if the block succeeds."""

    ROWS_PER_GROUP = 512

    def __init__(self, path: Path):
        self.path = Path(path)
        self.format = output_format(self.path)
        self.count = 0

    def __enter__(self):
        self._context = atomic_open(self.path, "wb")
        self._fh = self._context.__enter__()
        self._rows: list[dict] = []
        self._parquet = None
        if self.format == "parquet":
            import pyarrow.parquet as pq

            self._schema = parquet_schema()
            self._parquet = pq.ParquetWriter(self._fh, self._schema, compression="zstd", use_dictionary=True,
                                             write_statistics=True, store_schema=True)
        return self

    def write(self, line: dict) -> None:
        self.count += 1
        if self._parquet is None:
            self._fh.write(jsonl_bytes(line))
            return
        self._rows.append(_parquet_row(line))
        if len(self._rows) >= self.ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            self._parquet.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def __exit__(self, exc_type, exc, tb):
        try:
            if self._parquet is not None:
                if exc_type is None:
                    self._flush()
                self._parquet.close()
        except BaseException as error:  # closing failed: the temporary file must go too
            self._context.__exit__(type(error), error, error.__traceback__)
            raise
        return self._context.__exit__(exc_type, exc, tb)
