"""What the card, Croissant and DATASHEET.md say about the data, accumulated one document at a time.

Counts per document come from `whosaidwhat.stats.document_counts`, the same function behind
`wsw stats`, so every published number is the one `wsw stats` prints. Summaries of parts of
the corpus (shards built in parallel) merge by addition. Memory grows only with the number of
distinct licenses, attributions and withheld documents, not with the text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from ..stats import corpus_stats, document_counts
from .features import SPLITS
from .rows import is_redistributable
from .sources import sources_of

#: what a layer's provenance says when Label Studio was used: `wsw labelstudio pull` writes the annotation's
#: place in Label Studio into the producer's `workspace` and a "Label Studio: ... pulled from ..." line into
#: `changes`; `wsw labelstudio convert` writes "Label Studio task T, ..." into `notes`
_LABEL_STUDIO = re.compile(r"Label Studio|/projects/[0-9]+/data\?task=")


#: producer kinds whose ids are pseudonyms of annotators (counted, never listed, in published facts)
PSEUDONYMOUS = ("human", "agent")


def platforms_of(doc: dict) -> set[str]:
    """Annotation platforms a document's provenance records it was annotated in (today only Label Studio)."""
    for record in doc["provenance"]["layers"].values():
        texts = [p.get("workspace") or "" for p in record["producers"]]
        texts += [line for line in record.get("changes") or [] if isinstance(line, str)]
        texts.append(record.get("notes") or "")
        if any(_LABEL_STUDIO.search(text) for text in texts):
            return {"Label Studio"}
    return set()


class CorpusSummary:
    """Accumulates statistics and composition facts over (split, document) pairs."""

    def __init__(self) -> None:
        self.splits: dict[str, Counter] = {split: Counter() for split in SPLITS}
        self.licenses: dict[str, dict] = {}
        self.attributions: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.withheld: list[str] = []
        self.outlets: Counter = Counter()
        self.languages: Counter = Counter()
        self.importers: Counter = Counter()
        self.first_date: str | None = None
        self.last_date: str | None = None
        self.unknown_dates = 0
        self.producers: dict[str, set] = defaultdict(set)
        self.guidelines: set = set()
        # (kind, model as recorded or None) -> producer ids, versions, roles and documents
        self.models: dict[tuple, dict] = {}
        self.platforms: Counter = Counter()
        self.workspaces = 0  # documents whose provenance records where some producer worked
        self.sources: Counter = Counter()

    def add(self, split: str, doc: dict) -> None:
        self.splits.setdefault(split, Counter()).update(document_counts(doc))
        meta = doc["metadata"]
        lic = meta["license"]
        entry = self.licenses.setdefault(lic["id"], {"id": lic["id"], "url": lic.get("url"),
                                                     "redistributable": lic["redistributable"], "documents": 0})
        entry["documents"] += 1
        if lic.get("attribution"):
            self.attributions[(lic["attribution"], lic["id"])].append(doc["id"])
        if not is_redistributable(doc):
            self.withheld.append(doc["id"])
        self.outlets[meta.get("outlet") or "unknown"] += 1
        self.languages[meta["language"]] += 1
        self.importers[doc["provenance"]["source"]["importer"]] += 1
        self._dates(meta.get("published"), meta.get("published"), 0 if meta.get("published") else 1)
        for record in doc["provenance"]["layers"].values():
            if record.get("guidelines_version"):
                self.guidelines.add(record["guidelines_version"])
            for producer in record["producers"]:
                self.producers[producer["kind"]].add(producer["id"])
        self._producer_facts(doc)
        self.platforms.update(platforms_of(doc))
        self.sources.update(sources_of(doc))

    def _producer_facts(self, doc: dict) -> None:
        seen = set()
        workspace = False
        for record in doc["provenance"]["layers"].values():
            for producer in record["producers"]:
                key = (producer["kind"], producer.get("model") or None)
                entry = self.models.setdefault(key, {"ids": set(), "versions": set(), "roles": set(), "documents": 0})
                entry["ids"].add(producer["id"])
                entry["versions"].add(producer.get("version") or None)
                entry["roles"].add(str(producer.get("role") or "").split(" (")[0] or None)
                seen.add(key)
                workspace = workspace or bool(producer.get("workspace"))
        for key in seen:
            self.models[key]["documents"] += 1
        self.workspaces += workspace

    def _dates(self, first: str | None, last: str | None, unknown: int) -> None:
        if first:
            self.first_date = first if self.first_date is None else min(self.first_date, first)
        if last:
            self.last_date = last if self.last_date is None else max(self.last_date, last)
        self.unknown_dates += unknown

    def merge(self, other: CorpusSummary) -> None:
        """Add another part's facts to this one."""
        for split, counts in other.splits.items():
            self.splits.setdefault(split, Counter()).update(counts)
        for license_key, lic in other.licenses.items():
            mine = self.licenses.setdefault(license_key, {**lic, "documents": 0})
            mine["documents"] += lic["documents"]
        for attribution_key, attributed in other.attributions.items():
            self.attributions[attribution_key].extend(attributed)
        self.withheld.extend(other.withheld)
        self.outlets.update(other.outlets)
        self.languages.update(other.languages)
        self.importers.update(other.importers)
        self._dates(other.first_date, other.last_date, other.unknown_dates)
        for kind, producer_ids in other.producers.items():
            self.producers[kind] |= producer_ids
        self.guidelines |= other.guidelines
        for model_key, entry in other.models.items():
            model = self.models.setdefault(model_key, {"ids": set(), "versions": set(), "roles": set(), "documents": 0})
            for part in ("ids", "versions", "roles"):
                model[part] |= entry[part]
            model["documents"] += entry["documents"]
        self.platforms.update(other.platforms)
        self.workspaces += other.workspaces
        self.sources.update(other.sources)

    def result(self) -> dict:
        """Plain, JSON-ready facts; the key order of every count table is fixed by the inventory."""
        keys = list(corpus_stats(Path("."), docs=())["overall"])

        def complete(counts: Counter) -> dict[str, int]:
            table = {key: int(counts.get(key, 0)) for key in keys}
            table.update({key: int(counts[key]) for key in sorted(counts) if key not in table})
            return table

        overall: Counter = Counter()
        for counts in self.splits.values():
            overall.update(counts)
        return {
            "stats": {"overall": complete(overall), "splits": {s: complete(c) for s, c in self.splits.items()}},
            "licenses": [self.licenses[k] for k in sorted(self.licenses)],
            "attributions": [{"attribution": text, "license": lic, "documents": sorted(ids)}
                             for (text, lic), ids in sorted(self.attributions.items())],
            "withheld": sorted(self.withheld),
            "outlets": dict(sorted(self.outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
            "languages": dict(sorted(self.languages.items())),
            "importers": dict(sorted(self.importers.items())),
            "published": {"first": self.first_date, "last": self.last_date, "unknown": self.unknown_dates},
            "producers": {kind: len(ids) for kind, ids in sorted(self.producers.items())},
            "guidelines_versions": sorted(self.guidelines),
            "producer_models": [
                {"kind": kind, "model": model, "ids": len(entry["ids"]), "documents": entry["documents"],
                 "versions": sorted(v for v in entry["versions"] if v), "roles": sorted(r for r in entry["roles"] if r),
                 # programs are named by their ids; people and agents have pseudonyms, counted only
                 **({} if kind in PSEUDONYMOUS else {"names": sorted(entry["ids"])})}
                for (kind, model), entry in sorted(self.models.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))],
            "platforms": dict(sorted(self.platforms.items())),
            "workspaces_recorded": self.workspaces,
            "sources": dict(sorted(self.sources.items())),
        }
