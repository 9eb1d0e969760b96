"""Rules of canonical documents (gold, pulls, imports) and, those not needing the text, of submissions.

Shape comes from the JSON Schemas; the rest is `whosaidwhat.validation.Checker` (document or submission mode).
"""

from ..problems import ERROR, WARNING, Rule

_S = "document"
RULES = [
    Rule("SCHEMA", ERROR, _S, "the document (or submission line) does not match schema/document.schema.json "
         "(schema/submission.schema.json); patterns are read as JSON Schema defines them ($ is the end of the string)"),
    Rule("FILE-NAME", ERROR, _S, "a document file's name must be <id>.json"),
    Rule("DOC-ID-DUPLICATE", ERROR, _S, "two documents in the same folder or JSONL file (two lines of a submission) share an id"),
    Rule("TEXT-HASH", ERROR, _S, "text_sha256 is not the SHA-256 of the text"),
    Rule("TEXT-MISSING", ERROR, _S, "only a text that may not be redistributed can be withheld (null)"),
    Rule("DATE-INVALID", ERROR, _S, "a date must exist in the calendar"),
    Rule("SPAN-OFFSET-TYPE", ERROR, _S, "offsets must be JSON integers (5.0, \"5\" and true are refused)"),
    Rule("SPAN-EMPTY", ERROR, _S, "a span must have start < end"),
    Rule("SPAN-RANGE", ERROR, _S, "a span must lie inside the text (the gold text for a submission): offsets >= 0, end <= its length"),
    Rule("SPAN-TEXT", ERROR, _S, "a span's surface text must equal text[start:end]"),
    Rule("SPAN-SPLITS-CHAR", WARNING, _S, "a span boundary falls inside a grapheme cluster (UAX #29): a letter and its "
         "combining mark, CR LF, an emoji ZWJ sequence, a flag, an emoji and its skin tone, a Hangul syllable"),
    Rule("SPAN-WHITESPACE", WARNING, _S, "a span starts or ends with whitespace"),
    Rule("SPAN-SPLITS-WORD", WARNING, _S, "a span starts or ends inside a word (a letter or digit on both sides of the boundary)"),
    Rule("FRAGMENT-ORDER", ERROR, _S, "fragments must be in text order and must not overlap"),
    Rule("ID-DUPLICATE", ERROR, _S, "ids of entities, mentions, quotes and claims must be unique within a document (or submission line)"),
    Rule("REF-DANGLING", ERROR, _S, "a reference must name an existing item of a kind its relation in schema/labels.json "
         "(links) allows, and a required relation must be given"),
    Rule("REF-SHAPE", ERROR, _S, "an attribution's fields must fit its kind"),
    Rule("LABEL-UNKNOWN", ERROR, _S, "a label must exist in schema/labels.json (an attribution kind: one its relation allows for the role)"),
    Rule("MENTION-TYPE", ERROR, _S, "a mention's type must equal its entity's type"),
    Rule("ENTITY-UNUSED", WARNING, _S, "an entity has no mention"),
    Rule("KB-ID-FORMAT", WARNING, _S, "an entity's kb_id is not `wikipedia:<English Wikipedia title>` (guidelines 2.5)"),
    Rule("LAYER-ABSENT", ERROR, _S, "a layer marked absent must be empty"),
]
