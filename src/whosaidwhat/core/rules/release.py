"""Rules of `wsw release`: building, verifying and rehydrating a dataset release."""

from ..problems import ERROR, Rule

_S = "release"
RULES: list[Rule] = [
    # the corpus a release is built from
    Rule("REL-CORPUS-LAYOUT", ERROR, _S, "the corpus folder lacks documents/ or splits.json, which a release needs"),
    Rule("REL-SPLITS-SHAPE", ERROR, _S, "splits.json is not {\"splits\": {split name: [document ids]}}, or names a split "
         "other than train, validation and test"),
    Rule("REL-SPLITS-DUPLICATE", ERROR, _S, "a document id is listed in more than one split (or twice in one)"),
    Rule("REL-SPLITS-NO-FILE", ERROR, _S, "splits.json lists a document id that has no file in documents/"),
    Rule("REL-SPLITS-UNASSIGNED", ERROR, _S, "a document of documents/ is in no split of splits.json"),
    Rule("REL-METADATA", ERROR, _S, "dataset.json (the dataset's name, version, card and Croissant metadata) does not "
         "follow its schema or lacks the release notes of its version"),
    Rule("REL-VERSION-MISMATCH", ERROR, _S, "--version differs from the version dataset.json gives", usage=True),
    Rule("REL-UNSTORABLE", ERROR, _S, "a document value does not fit the release's Parquet column type"),
    Rule("REL-STUDY-UNKNOWN-DOC", ERROR, _S, "an annotation pass, decision file or correction names a document that is "
         "in no split of the corpus, so the disagreement configs could not place it"),
    Rule("REL-STUDY-MALFORMED", ERROR, _S, "a decision file or corrections.json of the annotation campaign is not in "
         "its documented shape, or an annotation's file name is not its document id"),
    Rule("REL-STUDY-DUPLICATE", ERROR, _S, "corrections.json corrects the same item and field twice"),
    # the output folder
    Rule("REL-OUT-BUSY", ERROR, _S, "another `wsw release` or `wsw rehydrate` is writing the same output folder "
         "(it holds the folder's lock); the second run is refused, nothing is touched"),
    Rule("REL-DATASHEET-STALE", ERROR, _S, "DATASHEET.md differs from what `wsw release --datasheet` generates "
         "from the corpus (--check)"),
    # a release folder (`wsw release --verify`)
    Rule("REL-NOT-RELEASE", ERROR, _S, "the folder has no release.json: it is not a release built by `wsw release`"),
    Rule("REL-FORMAT-VERSION", ERROR, _S, "release.json's format_version is a major this wsw does not read"),
    Rule("REL-MANIFEST-SHAPE", ERROR, _S, "release.json lacks a field readers rely on, or holds a value of the "
         "wrong type (file lists, row counts, label inventory)"),
    Rule("REL-CONFIG-MISSING", ERROR, _S, "a config of the release layout is missing from release.json (a release "
         "built by an older wsw)"),
    Rule("REL-SUMS", ERROR, _S, "SHA256SUMS is missing, unreadable or has a malformed line"),
    Rule("REL-SUMS-MISMATCH", ERROR, _S, "a file's SHA-256 differs from SHA256SUMS (corrupted or edited after "
         "the build)"),
    Rule("REL-FILE-MISSING", ERROR, _S, "a file listed in SHA256SUMS or release.json is missing"),
    Rule("REL-FILE-UNLISTED", ERROR, _S, "a file is in the release folder but not in SHA256SUMS or release.json "
         "(`datasets` would load a stray data file)"),
    Rule("REL-SHARD-NAME", ERROR, _S, "a data file's name does not follow <split>-NNNNN-of-MMMMM.parquet"),
    Rule("REL-PARQUET-UNREADABLE", ERROR, _S, "a data file is not readable Parquet, or a page fails to decode or "
         "its checksum"),
    Rule("REL-PARQUET-SCHEMA", ERROR, _S, "a data file's columns or types differ from its config's schema"),
    Rule("REL-ROW-COUNT", ERROR, _S, "a data file or split holds another number of rows than release.json states"),
    Rule("REL-CARD", ERROR, _S, "the dataset card (README.md) is missing, or its YAML header does not parse"),
    Rule("REL-CARD-CONFIG", ERROR, _S, "the card's configs or dataset_info do not declare a config, its features "
         "or its row counts as the files hold them"),
    Rule("REL-CROISSANT", ERROR, _S, "croissant.json is missing or mlcroissant reports it invalid"),
    Rule("REL-CROISSANT-RECORDS", ERROR, _S, "mlcroissant cannot read a record set through croissant.json, or reads "
         "other records than the Parquet files hold"),
    Rule("REL-ROW-MALFORMED", ERROR, _S, "a row has nulls where a struct or list must be: not a document row"),
    Rule("REL-ROW-DUPLICATE", ERROR, _S, "a document id, or a row's uid, appears twice in the release"),
    Rule("REL-ROW-SPLIT", ERROR, _S, "a row's split column differs from its file's split or its document's split"),
    Rule("REL-TEXT-WITHHELD", ERROR, _S, "a text is present that the license forbids redistributing, or withheld "
         "though the document is redistributable"),
    Rule("REL-FLAT-MISMATCH", ERROR, _S, "a row of a flat config differs from what the documents config implies, or "
         "is missing or extra"),
    Rule("REL-STUDY-ROW", ERROR, _S, "a row of the annotations, decisions or corrections config names no document "
         "of the release, or its uid is not its key"),
    # `wsw rehydrate`
    Rule("REL-REHYDRATE-NOTHING", ERROR, _S, "nothing to rehydrate: the release withholds no text, or no copy was given"),
    Rule("REL-REHYDRATE-COPY", ERROR, _S, "a supplied copy does not reproduce a withheld text exactly (its SHA-256 "
         "differs from text_sha256), or matches no withheld document"),
]
