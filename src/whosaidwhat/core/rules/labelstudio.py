"""Rules of Label Studio: the server, push, pull and convert (exports and tasks)."""

from ..problems import ERROR, WARNING, Rule

_S = "labelstudio"
RULES: list[Rule] = [
    # -- the server and the connection ----------------------------------------------------------------------
    Rule("LS-CREDENTIALS-MISSING", ERROR, _S, "no Label Studio URL or API token: pass --url/--token, set the environment, "
         "or start a server with `wsw labelstudio serve`", usage=True),
    Rule("LS-CREDENTIALS-OPEN", ERROR, _S, "the credentials file is readable by other users (it holds the API token)"),
    Rule("LS-SERVER-UNREACHABLE", ERROR, _S, "the server could not be reached, timed out or answered 429/5xx on every "
         "attempt of the bounded retries"),
    Rule("LS-SERVER-TOKEN", ERROR, _S, "the server refused the API token (401/403)"),
    Rule("LS-SERVER-REFUSED", ERROR, _S, "the server refused a request (a 4xx answer other than 401/403/429)"),
    Rule("LS-SERVER-UNCERTAIN", ERROR, _S, "a call that creates something failed after it may have reached the server; "
         "running the command again is safe"),
    Rule("LS-EXPORT-FAILED", ERROR, _S, "the server could not build the project export, or not in time"),
    Rule("LS-PROJECT-MISSING", ERROR, _S, "no project has this title on the server"),
    Rule("LS-PROJECT-AMBIGUOUS", ERROR, _S, "several projects have this title"),
    Rule("LS-PROJECT-TITLE", ERROR, _S, "the project title is too short for Label Studio (at least 3 characters)", usage=True),
    Rule("LS-BINARY-MISSING", ERROR, _S, "the label-studio executable is not found or not executable, or could not be installed"),
    Rule("LS-SERVER-START", ERROR, _S, "the local server could not be started, exited, or did not accept our token in time"),
    Rule("LS-PORT-IN-USE", ERROR, _S, "the requested port on 127.0.0.1 is already in use", usage=True),
    Rule("LS-DATA-DIR-FOREIGN", ERROR, _S, "the data folder holds a Label Studio database whose credentials are not in the "
         "credentials file", usage=True),
    Rule("LS-CONFIG-STALE", ERROR, _S, "a labeling config file differs from the one generated from schema/labels.json"),
    # -- push ------------------------------------------------------------------------------------------------
    Rule("LS-PUSH-TEXT-WITHHELD", ERROR, _S, "a document's text is withheld (null): rehydrate it before pushing"),
    Rule("LS-PUSH-DUPLICATE-DOC", ERROR, _S, "the same document id (of the same annotator) is given twice"),
    Rule("LS-PUSH-TEXT-DIFFERS", ERROR, _S, "an annotation's document text differs from the text of the project's task"),
    Rule("LS-PUSH-NO-DOCUMENTS", ERROR, _S, "no documents were found under the given paths", usage=True),
    Rule("LS-PRODUCER-ID", ERROR, _S, "--annotator-from-provenance: a document names no producer, or one that cannot be "
         "an annotator id"),
    Rule("LS-USER-CONFLICT", ERROR, _S, "a Label Studio user with an annotator's placeholder address stands for somebody else"),
    Rule("LS-UNMENTIONED-PIPE", ERROR, _S, "an entity without a mention has '|' in its name or kb_id, which the "
         "unmentioned_entities field cannot carry"),
    # -- who is who ------------------------------------------------------------------------------------------
    Rule("LS-ANNOTATOR-CASE", ERROR, _S, "two annotator ids differ only by case: they collide on case-insensitive file "
         "systems (per-annotator folders) and in e-mail addresses"),
    Rule("LS-ANNOTATOR-COLLISION", ERROR, _S, "two annotator ids (or model versions) would share one output folder or one "
         "placeholder user"),
    Rule("LS-ANNOTATOR-UNKNOWN", ERROR, _S, "an annotation's user cannot be turned into an annotator id (completed_by is "
         "not a user id, the map gives an invalid id, or its e-mail keys cannot be applied)"),
    Rule("LS-MAP-INVALID", ERROR, _S, "the --annotators map is not an object of user ids or e-mail addresses to ids"),
    Rule("LS-MAP-UNUSED", WARNING, _S, "a key of the --annotators map matched no user of the export: it was not applied"),
    # -- reading an export -----------------------------------------------------------------------------------
    Rule("LS-EXPORT-FORMAT", ERROR, _S, "the file is another export format of Label Studio (CSV, TSV, CONLL, JSON_MIN): "
         "export as JSON"),
    Rule("LS-EXPORT-SHAPE", ERROR, _S, "the JSON is not a Label Studio JSON export (a list of tasks)"),
    Rule("LS-CONFIG-FOREIGN", ERROR, _S, "the project's labeling config is not the one wsw generates: its tasks or "
         "results use other fields or controls"),
    Rule("LS-TASK-NOT-WSW", ERROR, _S, "a task lacks data.doc_id or data.wsw: it was not imported by `wsw labelstudio push`"),
    Rule("LS-TASK-TEXT", ERROR, _S, "a task's data.text is missing, empty or not Unicode text"),
    Rule("LS-TASK-TEXT-CHANGED", ERROR, _S, "a task's text was changed in Label Studio after the push"),
    Rule("LS-ANNOTATION-SHAPE", ERROR, _S, "an annotation or prediction is malformed, or listed by id only"),
    Rule("LS-PUSH-RECORD", WARNING, _S, "an annotation's push record cannot be used: converted as made in Label Studio"),
    Rule("LS-LEAD-TIME", WARNING, _S, "an annotation's lead_time is not a finite, non-negative number: recorded as null"),
    Rule("LS-VALUE-UNWRITABLE", ERROR, _S, "a value from the export cannot be written as JSON (a lone surrogate, NaN)"),
    # -- decoding one annotation's results -------------------------------------------------------------------
    Rule("LS-RESULT-SHAPE", ERROR, _S, "a result list or result item is malformed (not an object, no control name, no "
         "region id, another object than the text)"),
    Rule("LS-REGION-LABEL", ERROR, _S, "a region has no label, several labels or a label the inventory does not know"),
    Rule("LS-REGION-OFFSETS", ERROR, _S, "a region's offsets are not integers, lie outside the text, or do not give its text"),
    Rule("LS-OFFSETS-UTF16", ERROR, _S, "a region's offsets are UTF-16 code units (exports before Label Studio 1.4): "
         "convert with --offsets utf16 or auto"),
    Rule("LS-REGION-VALUE", ERROR, _S, "a per-region value (choice or text) is malformed, unknown, repeated or on the "
         "wrong region"),
    Rule("LS-RELATION", ERROR, _S, "a relation points to a missing region, joins regions no relation joins, or has "
         "the wrong label"),
    Rule("LS-ENTITY-CONFLICT", ERROR, _S, "mentions of one entity disagree (keys, types, names, kb ids) or its key is not "
         "a valid, unique id"),
    Rule("LS-UNMENTIONED", ERROR, _S, "a line of unmentioned_entities is not 'key | TYPE | name | kb_id' with a known type "
         "and a new key"),
    Rule("LS-ITEM-INCOMPLETE", ERROR, _S, "a mention, quote, cue or claim lacks what it needs (kind, type, exactly one "
         "speaker or claimant, a quote for its cue)"),
    Rule("LS-ITEM-DEPENDS", ERROR, _S, "an item depends on a region or item that was left out for its own error"),
    Rule("LS-LAYERS-UNKNOWN", ERROR, _S, "annotated_layers names a layer that does not exist"),
]
