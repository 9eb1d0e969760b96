"""Rules of `wsw import gum|wikinews`: reading record folders, converting them, where the output goes."""

from ..problems import ERROR, NOTE, WARNING, Rule

_S = "import"
RULES = [
    Rule("IMPORT-RECORD-FIELD", ERROR, _S, "a field the importer reads is missing, has the wrong type or an impossible value"),
    Rule("IMPORT-RECORD-LICENSE", ERROR, _S, "the record's text license is not one the importer knows how to record"),
    Rule("IMPORT-CONVERT", ERROR, _S, "the record cannot be converted (e.g. a hand correction no longer fits the record)"),
    Rule("IMPORT-INVALID", ERROR, _S, "the converted document does not pass `wsw validate`"),
    Rule("IMPORT-ID-DUPLICATE", ERROR, _S, "two records give the same document id"),
    Rule("IMPORT-DATA-INVALID", ERROR, _S, "the importer's hand-made data (annotation/gum entity_types.json, overrides.json) has a wrong shape"),
    Rule("IMPORT-NO-RECORDS", ERROR, _S, "the record folder holds no record files of the kind the importer reads", usage=True),
    Rule("IMPORT-NOTICE-MISSING", ERROR, _S, "no license notice travels with a record (no README.md, no license in the record)"),
    Rule("IMPORT-NOTICE-FROM-RECORD", NOTE, _S, "the folder has no README.md; each record's own license field is its notice"),
    Rule("IMPORT-DATELINE-DEFAULT", NOTE, _S, "the record has no dateline (null): published is the page creation date"),
    Rule("IMPORT-PATHS", ERROR, _S, "the document folder and the raw folder are one folder or nest (raw records would be read as documents)"),
    Rule("IMPORT-TARGET-FOREIGN", ERROR, _S, "a file the import would write was made by another import or for another source"),
    Rule("IMPORT-TARGET-UNREADABLE", ERROR, _S, "an existing document cannot be read, so it is neither compared nor overwritten"),
    Rule("IMPORT-REVIEWED-BASE", WARNING, _S, "a reviewed document was made on another text or raw record than the import gives"),
    Rule("GUM-QUOTE-MARK-UNMATCHED", WARNING, _S, "a double quotation mark pairs with no other mark in its paragraph"),
    Rule("GUM-CUE-UNKNOWN", WARNING, _S, "an attribution's cue word is in neither verb list: the attribution is dropped"),
    Rule("GUM-TURN-SPEAKER-UNNAMED", NOTE, _S, "a speaker of turns is not named in the text: its turns are not quotes"),
]
