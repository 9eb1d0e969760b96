"""Rules of `wsw predict`, `wsw train` and `wsw stats`: systems, their inputs and outputs, the Dask engine."""

from ..problems import ERROR, Rule

_S = "predict"
RULES: list[Rule] = [
    # how predict/train/stats are called
    Rule("PRED-ARGUMENT-MISSING", ERROR, _S, "a required option or argument is missing (--system, --out, an INPUT)", usage=True),
    Rule("PRED-OUT-FORMAT", ERROR, _S, "--out must end in .jsonl or .parquet (the predictions format)", usage=True),
    Rule("PRED-OUT-PATH", ERROR, _S, "--out is a folder, or a folder on its way is a file", usage=True),
    Rule("PRED-OUT-PATTERN", ERROR, _S, "a shard pattern for --out must hold exactly one `*` (replaced by the shard number)",
         usage=True),
    Rule("PRED-SPLIT-UNKNOWN", ERROR, _S, "--split names a split the corpus's splits.json or the release does not have",
         usage=True),
    Rule("PRED-SPLIT-NEEDS-CORPUS", ERROR, _S, "--split needs a corpus folder with splits.json or a release folder", usage=True),
    Rule("PRED-NO-DOCUMENTS", ERROR, _S, "the inputs hold no document at all: nothing was written", usage=True),
    Rule("PRED-DOCUMENTS-NEED-CANONICAL", ERROR, _S,
         "--documents writes canonical documents, so its inputs must be documents (files, folders, JSONL), not release rows",
         usage=True),
    # the documents predict reads
    Rule("PRED-INPUT-ID", ERROR, _S, "an input document has no valid document id (run `wsw validate` on it)"),
    Rule("PRED-INPUT-TEXT", ERROR, _S, "an input document's text is neither a string nor null (run `wsw validate` on it)"),
    Rule("PRED-DOC-DUPLICATE", ERROR, _S, "two inputs of one run hold the same document id; a predictions file has one line each"),
    Rule("PRED-ALL-WITHHELD", ERROR, _S, "every input document's text is withheld (null): restore them with `wsw rehydrate`"),
    Rule("PRED-PARQUET", ERROR, _S, "a release's documents file cannot be read as Parquet, or lacks the documents columns"),
    Rule("PRED-OUT-WRITE", ERROR, _S, "the predictions (or --documents) cannot be written: nothing was written"),
    # systems and their models
    Rule("SYS-UNKNOWN", ERROR, _S, "no system is installed under that name (`wsw predict --list` lists them)", usage=True),
    Rule("SYS-OPTION", ERROR, _S, "the system does not take that --option", usage=True),
    Rule("SYS-BROKEN", ERROR, _S, "an installed entry point is not a system (no predict/card, or an unknown kind)"),
    Rule("SYS-LINE", ERROR, _S, "a system returned a line that `wsw score` would refuse, or a line for another document"),
    Rule("SYS-MODEL-MISSING", ERROR, _S, "no trained model (meta.json) at the given path: train one with `wsw train`",
         usage=True),
    Rule("SYS-MODEL-FORMAT", ERROR, _S, "a model or gazetteer file is not of this version's format: retrain it with `wsw train`"),
    Rule("SYS-TRAIN-SPLIT", ERROR, _S, "the corpus's splits.json has no such split to train on"),
    Rule("SYS-TRAIN-EMPTY", ERROR, _S, "the train split has no annotated document with a text: nothing to train on"),
    Rule("SYS-README-TABLE", ERROR, _S, "the README has no baseline table markers to replace"),
    # stats and the release loader (whosaidwhat.data)
    Rule("STATS-NO-DOCUMENTS", ERROR, _S, "the corpus folder holds no documents to count", usage=True),
    Rule("STATS-NOT-DOCUMENT", ERROR, _S, "a file in documents/ is not a canonical document (an object with an id)"),
    Rule("DATA-UNKNOWN", ERROR, _S, "`whosaidwhat.data`: the config or split asked for does not exist in a release"),
    Rule("DATA-NOT-VERIFIED", ERROR, _S, "`whosaidwhat.data`: the release folder does not verify, so it is not loaded"),
    Rule("DATA-NOT-RELEASE", ERROR, _S, "`whosaidwhat.data`: the folder is neither a release folder nor a corpus folder"),
    # the Dask engine (--engine dask)
    Rule("ENGINE-DASK-MISSING", ERROR, _S, "--engine dask needs `pip install 'whosaidwhat[dask]'` here and on every worker",
         usage=True),
    Rule("ENGINE-URL", ERROR, _S, "a path is a URL whose scheme the engine cannot read (local paths and file:// work)",
         usage=True),
    Rule("ENGINE-CONNECT", ERROR, _S, "the scheduler cannot be reached, or no worker joined it in time"),
    Rule("ENGINE-WORKER-SETUP", ERROR, _S, "whosaidwhat cannot run on a worker, or a worker runs another version of it"),
    Rule("ENGINE-WORKER-DIED", ERROR, _S, "a worker died running a task more often than the scheduler allows; nothing was presented as complete"),
    Rule("ENGINE-LOST", ERROR, _S, "a task was cancelled or the scheduler was lost mid-run; nothing was presented as complete"),
    Rule("ENGINE-MERGE", ERROR, _S, "the shards' results do not fit together (workers with different versions?): nothing was scored"),
]
