"""Rules of annotation sheets, adjudication decision files and corrections, campaign status."""

from ..problems import ERROR, WARNING, Rule

_S = "annotation"
RULES: list[Rule] = [
    # annotation sheets (wsw sheets, GUIDELINES.md Appendix A)
    Rule("SHEET-NONE", ERROR, _S, "no annotation sheet (*.json) was found in the inputs", usage=True),
    Rule("SHEET-IS-DOCUMENT", ERROR, _S, "a canonical document was given where an annotation sheet is expected"),
    Rule("SHEET-KEY-UNKNOWN", ERROR, _S, "the sheet has a top-level key Appendix A does not define (a typo loses data)"),
    Rule("SHEET-DOC-ID", ERROR, _S, "the sheet's doc_id is missing, not a document id, or not the id of its document"),
    Rule("SHEET-DOC-MISSING", ERROR, _S, "no document of --documents has the sheet's doc_id"),
    Rule("SHEET-DOC-INVALID", ERROR, _S, "the document the sheet annotates does not validate, has no text or no layer "
         "provenance: the sheet cannot be checked against it"),
    Rule("SHEET-DUPLICATE", ERROR, _S, "a second sheet for the same document in one run"),
    Rule("SHEET-TEXT-HASH", ERROR, _S, "the sheet's text_sha256 is not the document's: it was made on another text"),
    Rule("SHEET-FIELD", ERROR, _S, "a field of the sheet is missing or of the wrong type"),
    Rule("SHEET-TIME", ERROR, _S, "started/finished is not an ISO 8601 time with a time zone, not in the calendar, or "
         "finished is before started"),
    Rule("SHEET-SPAN", ERROR, _S, "a span's offsets are not integers, not a non-empty range inside the text, or its text is "
         "not text[start:end]"),
    Rule("SHEET-REF", ERROR, _S, "a mention names an entity the sheet does not have"),
    Rule("SHEET-ENTITY-UNUSED", ERROR, _S, "an entity has no mention, which Appendix A of the guidelines forbids"),
    Rule("ANNOTATOR-ID-CASE", ERROR, _S, "two annotator ids differ only by letter case: they name one folder or file on a "
         "case-insensitive file system, and perhaps one person"),
    # adjudication (wsw adjudicate)
    Rule("ADJ-FOLDERS", ERROR, _S, "wrong number of annotation folders for the mode of wsw adjudicate", usage=True),
    Rule("ADJ-NO-SHARED", ERROR, _S, "the two annotation folders share no document id"),
    Rule("ADJ-NO-DECISIONS", ERROR, _S, "the --apply folder holds no decision file (*.json)", usage=True),
    Rule("ADJ-TEXT-MISMATCH", ERROR, _S, "the two annotations of one document id are of different texts (text_sha256)"),
    Rule("ADJ-NOT-INDEPENDENT", ERROR, _S, "the two annotations are not independent (same producer, or one was shown the other)"),
    Rule("ADJ-OVER-GOLD", ERROR, _S, "--accept-single would replace a document that is already gold from adjudication"),
    Rule("ADJ-INCONSISTENT", ERROR, _S, "the decisions give inconsistent gold (a reference to a dropped item, a claim outside "
         "its quote or with another claimant than its quote's speaker)"),
    Rule("DECISION-FORMAT", ERROR, _S, "the decision file's format is not whosaidwhat-decisions/1"),
    Rule("DECISION-FIELD", ERROR, _S, "a field of the decision file is missing or of the wrong type"),
    Rule("DECISION-ANNOTATION", ERROR, _S, "an annotation the decision file names is missing, changed since the file was "
         "made, or of another document"),
    Rule("DECISION-CONFLICT-UNKNOWN", ERROR, _S, "the decision file names a conflict (or item) that does not exist between "
         "these annotations, or describes it differently"),
    Rule("DECISION-CONFLICT-TWICE", ERROR, _S, "a conflict is listed twice in the decision file"),
    Rule("DECISION-CONFLICT-MISSING", ERROR, _S, "a conflict between the annotations is missing from the decision file"),
    Rule("DECISION-UNDECIDED", ERROR, _S, "a conflict is undecided, or its decision is not one of its choices"),
    # corrections after adjudication
    Rule("CORRECTION-FORMAT", ERROR, _S, "the corrections file's format is not whosaidwhat-corrections/1"),
    Rule("CORRECTION-FIELD", ERROR, _S, "a field of the corrections file is missing, of the wrong type, or not correctable"),
    Rule("CORRECTION-MISMATCH", ERROR, _S, "a correction names an item the document does not have, or a 'from' value that "
         "is not the item's current value"),
    # campaign status
    Rule("CAMPAIGN-EXPORT-SHAPE", ERROR, _S, "a Label Studio export's tasks or annotations do not have the expected shape"),
    Rule("CAMPAIGN-NOTHING", ERROR, _S, "a campaign source holds nothing to count (no source, an empty export, no annotated "
         "canonical document)", usage=True),
    Rule("CAMPAIGN-SKIPPED", WARNING, _S, "a JSON file of a document folder is not an annotated canonical document: skipped"),
    # editing helpers (scripts that annotate by surface strings)
    Rule("EDIT-ANCHOR", ERROR, _S, "an anchor or occurrence of a surface string is not in the text"),
    Rule("EDIT-ITEM", ERROR, _S, "an edit names an item that does not exist, or adds a mention where one already is"),
]
