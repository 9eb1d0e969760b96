"""Rules of `wsw ingest`: turning a raw text or HTML article into a canonical document."""

from ..problems import ERROR, Rule

_S = "ingest"
RULES: list[Rule] = [
    Rule("INGEST-NO-ID", ERROR, _S, "no document id can be made from the raw file's name (no Latin letters or digits): give --id",
         usage=True),
    Rule("INGEST-ID-INVALID", ERROR, _S, "--id is not URL-safe (lower-case letters, digits, '.', '_', '-'; at most 128)",
         usage=True),
    Rule("INGEST-LICENSE-UNDECIDED", ERROR, _S, "--license names a known license but not whether the text may be "
         "redistributed (--redistributable or --not-redistributable)", usage=True),
    Rule("INGEST-NOT-UTF8", ERROR, _S, "the raw file is not UTF-8 (nothing is guessed: convert it first)"),
    Rule("INGEST-NO-TEXT", ERROR, _S, "no article text is left after removing the page boilerplate"),
    Rule("INGEST-RAW-CHANGED", ERROR, _S, "the document id was ingested from a different raw file (use another --id, or --force)"),
    Rule("INGEST-TEXT-CHANGED", ERROR, _S, "the new text differs from an annotated document's: its annotations would no longer "
         "fit (use another --id, or --force)"),
]
