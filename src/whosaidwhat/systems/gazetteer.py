"""The rules baseline's gazetteer, built from the train split only.

What it holds, all counted over the train split of a corpus:
* `names`: every gold name mention's surface string -> {entity type: count};
* `tokens`: every word of those names -> {type: count} (the evidence for a name not seen whole);
* `lower`: words seen in lower case in the train texts -> count (a capitalised sentence opener
  that is usually lower case, such as `Shares`, is not a name).

Only documents of the train split are read, and only layers that were annotated (not `absent`)
contribute names. The file records which documents it was built from and the splits version, so
a baseline's card can say what it was trained on.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import fail
from .text import tokens

FORMAT = "whosaidwhat-gazetteer/1"
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json"
#: words seen in lower case fewer times than this do not make a capitalised word common
MIN_LOWER = 1


@dataclass
class Gazetteer:
    names: dict[str, dict[str, int]] = field(default_factory=dict)
    tokens: dict[str, dict[str, int]] = field(default_factory=dict)
    lower: dict[str, int] = field(default_factory=dict)
    source: dict = field(default_factory=dict)

    def name_type(self, surface: str) -> str | None:
        """The most frequent type of a name seen whole in train (ties: alphabetical), or None."""
        counts = self.names.get(surface)
        return _majority(counts) if counts else None

    def token_types(self, word: str) -> dict[str, int]:
        return self.tokens.get(word, {})

    def is_common_word(self, word: str) -> bool:
        """Seen in lower case in train at least MIN_LOWER times and never as a whole name."""
        return self.lower.get(word.lower(), 0) >= MIN_LOWER and word not in self.names

    def to_json(self) -> str:
        data = {"format": FORMAT, "source": self.source,
                "names": {k: dict(sorted(v.items())) for k, v in sorted(self.names.items())},
                "tokens": {k: dict(sorted(v.items())) for k, v in sorted(self.tokens.items())},
                "lower": dict(sorted(self.lower.items()))}
        return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def _majority(counts: dict[str, int]) -> str:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _count_names(text: str, mentions: list[dict], names: dict[str, Counter], token_counts: dict[str, Counter]) -> None:
    """Count the type of each name mention's string and of each of its words."""
    for mention in mentions:
        if mention.get("kind") != "name":
            continue
        surface = text[mention["start"]:mention["end"]]
        names[surface][mention["type"]] += 1
        for token in tokens(surface):
            if token.is_word:
                token_counts[token.text][mention["type"]] += 1


def build_gazetteer(documents, source: dict | None = None) -> Gazetteer:
    """A gazetteer from canonical training documents (an iterable of dicts)."""
    names: dict[str, Counter] = defaultdict(Counter)
    token_counts: dict[str, Counter] = defaultdict(Counter)
    lower: Counter = Counter()
    ids = []
    for doc in documents:
        text = doc.get("text")
        if text is None:
            continue
        ids.append(doc["id"])
        for token in tokens(text):
            if token.text.isalpha() and token.text.islower():
                lower[token.text] += 1
        layers = doc.get("provenance", {}).get("layers", {})
        if layers.get("mentions", {}).get("status") != "absent":
            _count_names(text, doc.get("mentions", []), names, token_counts)
    record = dict(source or {})
    record["documents"] = sorted(ids)
    return Gazetteer({k: dict(v) for k, v in names.items()}, {k: dict(v) for k, v in token_counts.items()},
                     {k: v for k, v in lower.items() if v >= MIN_LOWER}, record)


def build_from_corpus(corpus: Path, split: str = "train", max_documents: int | None = None) -> Gazetteer:
    """The gazetteer of one split (train) of a corpus folder (documents/, splits.json); optionally its first N documents."""
    from ..core.jsonfile import read_json_object
    from ..splits import read_splits

    splits = read_splits(corpus / "splits.json")
    if split not in splits.members:
        fail("SYS-TRAIN-SPLIT", "no such split to train on", file=str(corpus / "splits.json"), found=split,
             expected=f"one of {', '.join(splits.members)}")
    ids = splits.members[split][:max_documents]

    def documents():
        for doc_id in ids:
            yield read_json_object(corpus / "documents" / f"{doc_id}.json", "a corpus document")

    return build_gazetteer(documents(), {"corpus": corpus_label(corpus), "split": split, "splits_version": splits.version})


def corpus_label(corpus: Path) -> str:
    """How a training record names its corpus: relative to the checkout when inside it, so that the same
    corpus gives the same bytes on every machine (`corpus`, not `/home/someone/whosaidwhat/corpus`)."""
    from ..core.resources import repo_root

    root = repo_root()
    try:
        if root is not None:
            return Path(corpus).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    return str(corpus)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    path = Path(path) if path is not None else DEFAULT_PATH
    if not path.is_file():
        return Gazetteer(source={"missing": str(path)})
    from ..core.jsonfile import read_json_object

    data = read_json_object(path, "a gazetteer", "rebuild it with `wsw train --system rules`")
    if data.get("format") != FORMAT:
        fail("SYS-MODEL-FORMAT", f"not a {FORMAT} file; rebuild it with `wsw train --system rules`", file=str(path),
             path="$.format", found=repr(data.get("format")), expected=FORMAT)
    return Gazetteer(data["names"], data["tokens"], data["lower"], data.get("source", {}))
