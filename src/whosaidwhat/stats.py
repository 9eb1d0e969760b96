"""Corpus statistics computed from the documents themselves (never typed by hand).

`corpus_stats` streams the documents once and returns plain nested dicts of counts, overall
and per split, so DATASHEET.md, the dataset card and `wsw stats` all print the same numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .core.inventory import load_inventory
from .core.jsonfile import read_json_object
from .core.problems import fail
from .splits import read_splits

#: Tokens for statistics: runs of word characters, or single other non-space characters.
TOKEN_RE = re.compile(r"\w+|[^\w\s]")

SPLIT_ORDER = ("train", "validation", "test")


def count_tokens(text: str) -> int:
    """Number of tokens by TOKEN_RE (words and punctuation marks); a stable, tool-free count."""
    return sum(1 for _ in TOKEN_RE.finditer(text))


def load_splits(corpus_dir: Path) -> dict[str, str]:
    """doc id -> split name, from CORPUS/splits.json; empty if the file does not exist."""
    path = Path(corpus_dir) / "splits.json"
    return read_splits(path).owner() if path.exists() else {}


def iter_corpus_documents(corpus_dir: Path) -> Iterator[dict]:
    """Documents of CORPUS/documents/*.json in id order, one at a time."""
    for path in sorted((Path(corpus_dir) / "documents").glob("*.json")):
        doc = read_json_object(path, "the document", "run `wsw validate` on it")
        if not isinstance(doc.get("id"), str):
            fail("STATS-NOT-DOCUMENT", "not a canonical document (no id); run `wsw validate` on it", file=str(path),
                 path="$.id", found=type(doc.get("id")).__name__, expected="a string")
        yield doc


def document_counts(doc: dict) -> Counter:
    """The additive counts of one document (merge documents by summing Counters)."""
    counts: Counter = Counter()
    counts["documents"] = 1
    text = doc.get("text")
    if isinstance(text, str):
        counts["tokens"] = count_tokens(text)
        counts["characters"] = len(text)
    counts["entities"] = len(doc.get("entities", []))
    for mention in doc.get("mentions", []):
        counts["mentions"] += 1
        counts[f"mentions.type.{mention['type']}"] += 1
        counts[f"mentions.kind.{mention['kind']}"] += 1
        if mention["kind"] == "name":
            counts[f"names.type.{mention['type']}"] += 1
    for quote in doc.get("quotes", []):
        counts["quotes"] += 1
        counts[f"quotes.type.{quote['type']}"] += 1
        counts[f"quotes.speaker.{quote['speaker']['kind']}"] += 1
        if len(quote["fragments"]) > 1:
            counts["quotes.interrupted"] += 1
    for claim in doc.get("claims", []):
        counts["claims"] += 1
        counts[f"claims.claimant.{claim['claimant']['kind']}"] += 1
        if claim.get("check_worthy"):
            counts["claims.check_worthy"] += 1
        if claim.get("quote"):
            counts["claims.in_quote"] += 1
    for layer, record in doc.get("provenance", {}).get("layers", {}).items():
        counts[f"layers.{layer}.{record.get('status')}"] += 1
    if not doc.get("metadata", {}).get("license", {}).get("redistributable", True):
        counts["documents.withheld"] = 1
    return counts


def corpus_stats(corpus_dir: str | Path, docs: Iterable[dict] | None = None) -> dict:
    """Counts overall and per split: {"overall": {...}, "splits": {name: {...}}, "documents": [...]}.

    Every count is present (0 when absent), in inventory order, so tables have stable rows.
    """
    corpus_dir = Path(corpus_dir)
    splits = load_splits(corpus_dir)
    overall: Counter = Counter()
    per_split: dict[str, Counter] = {}
    per_document = []
    for doc in (docs if docs is not None else iter_corpus_documents(corpus_dir)):
        counts = document_counts(doc)
        split = splits.get(doc["id"], "unassigned")
        overall.update(counts)
        per_split.setdefault(split, Counter()).update(counts)
        per_document.append({"id": doc["id"], "split": split, "title": doc.get("metadata", {}).get("title"),
                             "tokens": counts["tokens"], "mentions": counts["mentions"], "entities": counts["entities"],
                             "quotes": counts["quotes"], "claims": counts["claims"],
                             "withheld": bool(counts["documents.withheld"])})
    keys = _stat_keys()
    order = [s for s in SPLIT_ORDER if s in per_split] + sorted(s for s in per_split if s not in SPLIT_ORDER)
    return {
        "overall": _complete(overall, keys),
        "splits": {name: _complete(per_split[name], keys) for name in order},
        "documents": per_document,
    }


def _stat_keys() -> list[str]:
    inv = load_inventory()
    keys = ["documents", "documents.withheld", "tokens", "characters", "entities", "mentions"]
    keys += [f"mentions.type.{t}" for t in inv.entity_types]
    keys += [f"mentions.kind.{k}" for k in inv.mention_kinds]
    keys += [f"names.type.{t}" for t in inv.entity_types]
    keys += ["quotes"] + [f"quotes.type.{t}" for t in inv.quote_types] + ["quotes.interrupted"]
    keys += [f"quotes.speaker.{k}" for k in inv.attribution_kinds_for("speaker")]
    keys += ["claims", "claims.check_worthy", "claims.in_quote"]
    keys += [f"claims.claimant.{k}" for k in inv.attribution_kinds_for("claimant")]
    return keys


def _complete(counts: Counter, keys: list[str]) -> dict[str, int]:
    result = {key: int(counts.get(key, 0)) for key in keys}
    for key in sorted(counts):
        if key not in result:
            result[key] = int(counts[key])
    return result


def format_table(stats: dict, keys: list[str] | None = None) -> str:
    """A fixed-width table: one row per statistic, one column per split plus the total."""
    columns = list(stats["splits"]) + ["total"]
    rows = keys or [k for k in stats["overall"] if not k.startswith("layers.")]
    width = max(len(k) for k in rows) + 2
    lines = ["statistic".ljust(width) + "".join(c.rjust(12) for c in columns)]
    for key in rows:
        values = [stats["splits"][s].get(key, 0) for s in stats["splits"]] + [stats["overall"].get(key, 0)]
        lines.append(key.ljust(width) + "".join(f"{v:>12,}" for v in values))
    return "\n".join(lines)


def format_markdown(stats: dict, keys: list[str] | None = None) -> str:
    """The same table in Markdown, for DATASHEET.md and the dataset card."""
    columns = list(stats["splits"]) + ["total"]
    rows = keys or [k for k in stats["overall"] if not k.startswith("layers.")]
    lines = ["| statistic | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for key in rows:
        values = [stats["splits"][s].get(key, 0) for s in stats["splits"]] + [stats["overall"].get(key, 0)]
        lines.append(f"| {key} | " + " | ".join(f"{v:,}" for v in values) + " |")
    return "\n".join(lines)


def format_documents(stats: dict) -> str:
    """One line per document: id, split, layer counts (the main job's summary)."""
    header = f"{'document':<40} {'split':<11} {'tokens':>7} {'mentions':>9} {'entities':>9} {'quotes':>7} {'claims':>7}"
    lines = [header]
    for d in stats["documents"]:
        mark = " (text withheld in releases)" if d["withheld"] else ""
        lines.append(f"{d['id']:<40} {d['split']:<11} {d['tokens']:>7,} {d['mentions']:>9,} {d['entities']:>9,} "
                     f"{d['quotes']:>7,} {d['claims']:>7,}{mark}")
    return "\n".join(lines)
