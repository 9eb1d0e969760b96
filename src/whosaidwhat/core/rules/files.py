"""Rules of reading any file the user gives: existence, kind, encoding, strict JSON."""

from ..problems import ERROR, Rule

_S = "files"
RULES = [
    Rule("FILE-READ", ERROR, _S, "the file cannot be read (missing, a dangling link, no permission)"),
    Rule("FILE-NOT-REGULAR", ERROR, _S, "the path is a FIFO, socket or device, not a regular file: it is not read (it could block forever)"),
    Rule("FILE-BINARY", ERROR, _S, "the file is binary (a zip, gzip, Parquet or other archive) where text is expected"),
    Rule("FILE-ENCODING", ERROR, _S, "the file is not valid UTF-8, or a string holds a lone surrogate (a \\ud800-\\udfff escape without its pair)"),
    Rule("JSON-SYNTAX", ERROR, _S, "the file (or JSONL line) is not valid JSON, e.g. truncated, or nested too deeply to read"),
    Rule("JSON-DUPLICATE-KEY", ERROR, _S, "an object gives the same key twice (JSON readers would silently keep one of the values)"),
    Rule("JSON-CONSTANT", ERROR, _S, "NaN, Infinity or -Infinity, or an integer of thousands of digits: not a JSON number"),
    Rule("JSON-NOT-OBJECT", ERROR, _S, "the file (or line) must hold a JSON object"),
]
