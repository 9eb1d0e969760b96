"""Rules of `wsw agreement`: the folders of independent annotations it compares."""

from ..problems import ERROR, Rule

_S = "agreement"
RULES: list[Rule] = [
    Rule("AGREE-SAME-FOLDER", ERROR, _S, "the same folder of annotations is given twice: it would be compared with itself",
         usage=True),
    Rule("AGREE-FOLDER-EMPTY", ERROR, _S, "a folder of annotations holds no <id>.json document", usage=True),
    Rule("AGREE-TOO-FEW", ERROR, _S, "agreement needs at least two folders of annotations", usage=True),
    Rule("AGREE-TEXT-DIFFERS", ERROR, _S, "two annotations of one document are of different texts (text_sha256 differs)"),
    Rule("AGREE-NOTHING-SHARED", ERROR, _S, "no pair of annotations shares an (independently annotated) document"),
]
