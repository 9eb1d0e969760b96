"""The disagreement configs of a release: `annotations`, `decisions` and `corrections`.

So that others can study disagreement, a release carries, beside the adjudicated documents:

* `annotations`: every independent annotation kept with the corpus (CORPUS/annotations/<pass>/<id>.json,
  canonical documents whose provenance names their producers), one row per (document, pass), in the
  layout of the `documents` config plus `pass`, `annotators` and `uid` (`<doc_id>/<pass>`);
* `decisions`: every conflict of the adjudication's decision files (CAMPAIGN/decisions/<id>.json, the
  files `wsw adjudicate` writes and adjudicators fill in), one row per conflict with both versions, the
  decision, its reason and who decided;
* `corrections`: every correction applied after adjudication (CAMPAIGN/corrections.json, then any
  CAMPAIGN/corrections-<guidelines version>.json, in the order they are applied), one row each.

CAMPAIGN is the annotation campaign folder of the corpus version (by default
annotation/campaigns/corpus-<major>.<minor>/ beside the corpus folder, as in the repository). A corpus
without passes or a campaign gets these configs empty. Texts that may not be redistributed stay withheld
here too: an annotation of a withheld document loses its text and span texts as the `documents` row does,
and a decision or correction of one has its quoting columns (`version_a`, `version_b`, `context`,
`text`) null, the span texts inside a correction's `from` and `to` null, and `text_withheld` true.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..core.inventory import Inventory
from ..core.jsonfile import load_json
from ..core.problems import Problem
from ..validation import validate_document
from .features import LAYERS, SCHEMAS, SPLITS, STUDY_CONFIGS
from .parquet import DEFAULT_ROW_GROUP_SIZE, ShardFile, shard_name
from .rows import document_row, is_redistributable

#: the columns of `decisions` and `corrections` that quote the text (null when it is withheld)
QUOTING = {"decisions": ("version_a", "version_b", "context"), "corrections": ("text",)}
PASSES = "annotations"
DECISIONS = "decisions"
CORRECTIONS = "corrections.json"


def default_campaign(corpus_dir: Path, version: str) -> Path | None:
    """The campaign whose annotations the corpus version is built from, beside the corpus folder.

    annotation/campaigns/corpus-<major>.<minor>/ for version <major>.<minor>.<patch>, else the newest earlier one
    that exists (a later version built by correcting or re-adjudicating the same annotations keeps the campaign
    whose records it extends), else None.
    """
    wanted = _major_minor(str(version))
    campaigns = Path(corpus_dir).absolute().parent / "annotation" / "campaigns"
    if wanted is None or not campaigns.is_dir():
        return None
    found = [(key, folder) for folder in campaigns.glob("corpus-*")
             if folder.is_dir() and (key := _major_minor(folder.name.removeprefix("corpus-"))) is not None and key <= wanted]
    return max(found)[1] if found else None


def _major_minor(version: str) -> tuple[int, int] | None:
    parts = version.split(".")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    return int(parts[0]), int(parts[1])


@dataclass
class StudySources:
    """Where the disagreement data of a corpus is, and what the release knows of its documents."""

    corpus_dir: Path
    campaign: Path | None
    owner: dict[str, str]  # document id -> split
    withheld: frozenset[str]  # ids of the documents whose text is withheld
    problems: list[Problem] = field(default_factory=list)

    def passes(self) -> list[Path]:
        folder = self.corpus_dir / PASSES
        return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []

    def decision_files(self) -> list[Path]:
        folder = self.campaign / DECISIONS if self.campaign else None
        return sorted(folder.glob("*.json")) if folder and folder.is_dir() else []

    def corrections_files(self) -> list[Path]:
        """The campaign's corrections files in the order they are applied: corrections.json, then
        corrections-<guidelines version>.json by version."""
        if self.campaign is None:
            return []
        first = [self.campaign / CORRECTIONS] if (self.campaign / CORRECTIONS).is_file() else []
        return first + sorted(self.campaign.glob("corrections-*.json"), key=lambda p: _version_key(p.stem))

    def split_of(self, doc_id: object, file: Path, path: str) -> str | None:
        split = self.owner.get(doc_id) if isinstance(doc_id, str) else None
        if split is None:
            self.problems.append(Problem("REL-STUDY-UNKNOWN-DOC", "names a document that is in no split of the corpus",
                                         file=str(file), doc_id=str(doc_id), path=path,
                                         expected="the id of a document of CORPUS/documents/ listed in splits.json"))
        return split

    def read_object(self, path: Path) -> dict | None:
        value, problem = load_json(path)
        if problem is None and isinstance(value, dict):
            return value
        self.problems.append(problem or Problem("JSON-NOT-OBJECT", "expected a JSON object", file=str(path), path="$",
                                                found=type(value).__name__, expected="object"))
        return None

    def malformed(self, path: Path, doc_id: str | None, json_path: str, what: str) -> None:
        self.problems.append(Problem("REL-STUDY-MALFORMED", f"not in the documented shape: {what}", file=str(path),
                                     doc_id=doc_id, path=json_path))


def _version_key(stem: str) -> tuple:
    """corrections-1.10 after corrections-1.3, and corrections-1.4-kb right after corrections-1.4: the guidelines
    version compared number by number, then the file's own suffix (none first)."""
    version, _, suffix = stem.split("-", 1)[-1].partition("-")
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.split(".")), suffix


def without_text(value: object) -> object:
    """A value with the `text` of every span (object) in it null: what a correction shows of a withheld text."""
    if isinstance(value, dict):
        return {key: None if key == "text" else without_text(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [without_text(inner) for inner in value]
    return value


def _as_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _adjudicator(record: object) -> dict | None:
    if not isinstance(record, dict):
        return None
    return {key: None if record.get(key) is None else str(record.get(key)) for key in ("kind", "id", "model", "version")}


# -- annotations ---------------------------------------------------------------------------------------

def annotators(doc: dict) -> list[str]:
    """The producer ids of a document's layers, each once, in layer order."""
    ids: list[str] = []
    for layer in LAYERS:
        for producer in doc["provenance"]["layers"][layer]["producers"]:
            if producer.get("id") not in ids:
                ids.append(producer["id"])
    return ids


def _annotation_index(sources: StudySources) -> dict[str, list[tuple[str, str, Path]]]:
    """split -> (doc_id, pass, file) of every kept annotation, in release order."""
    index: dict[str, list[tuple[str, str, Path]]] = {split: [] for split in SPLITS}
    for folder in sources.passes():
        for path in sorted(folder.glob("*.json")):
            split = sources.split_of(path.stem, path, "$.id")
            if split is not None:
                index[split].append((path.stem, folder.name, path))
    for entries in index.values():
        entries.sort(key=lambda entry: (entry[0], entry[1]))
    return index


def annotation_row(doc: dict, pass_name: str, split: str, withhold: bool) -> dict:
    row = document_row(doc, withhold)
    return {**row, "doc_id": doc["id"], "pass": pass_name, "uid": f"{doc['id']}/{pass_name}",
            "annotators": annotators(doc), "split": split}


def _annotation_rows(sources: StudySources, inventory: Inventory, entries: list[tuple[str, str, Path]],
                     split: str) -> Iterator[dict]:
    for doc_id, pass_name, path in entries:
        doc = sources.read_object(path)
        if doc is None:
            continue
        errors = [p for p in validate_document(doc, str(path), inventory) if p.is_error]
        if doc.get("id") != doc_id:
            errors.append(Problem("REL-STUDY-MALFORMED", "the file name does not match the document id", file=str(path),
                                  doc_id=str(doc.get("id")), path="$.id", found=str(doc.get("id")),
                                  expected=doc_id))
        if errors:
            sources.problems.extend(errors)
            continue
        withhold = doc_id in sources.withheld or not is_redistributable(doc)
        yield annotation_row(doc, pass_name, split, withhold)


# -- decisions and corrections -------------------------------------------------------------------------

def _pass_name(record: object) -> str | None:
    path = record.get("path") if isinstance(record, dict) else None
    return Path(path).parent.name if isinstance(path, str) and path else None


def _followed(record: object) -> str | None:
    version = record.get("guidelines_version") if isinstance(record, dict) else None
    return version if isinstance(version, str) else None


def decision_rows(data: dict, split: str, withhold: bool) -> list[dict]:
    """The `decisions` rows of one parsed decision file (KeyError, TypeError or AttributeError if malformed)."""
    doc_id = data["doc_id"]
    adjudicator = _adjudicator(data.get("adjudicator"))
    sides = data.get("annotations") or {}
    rows = []
    for conflict in data["conflicts"]:
        versions = conflict.get("versions") or {}
        row = {"doc_id": doc_id, "id": str(conflict["id"]), "uid": f"{doc_id}/{conflict['id']}",
               "kind": conflict["kind"], "pass_a": _pass_name(sides.get("A")), "pass_b": _pass_name(sides.get("B")),
               "a": conflict.get("a"), "b": conflict.get("b"), "choices": list(conflict.get("choices") or []),
               "version_a": _as_json(versions.get("A")), "version_b": _as_json(versions.get("B")),
               "context": conflict.get("context"), "decision": conflict.get("decision"),
               "reason": conflict.get("reason"),
               "decided_by": conflict.get("decided_by") or (adjudicator or {}).get("id"),
               "adjudicator": adjudicator, "guidelines_version": _followed(data.get("adjudicator")),
               "text_withheld": withhold, "split": split}
        if withhold:
            row.update({column: None for column in QUOTING["decisions"]})
        rows.append(row)
    return rows


def _decision_rows(sources: StudySources) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {split: [] for split in SPLITS}
    for path in sources.decision_files():
        data = sources.read_object(path)
        if data is None:
            continue
        split = sources.split_of(data.get("doc_id"), path, "$.doc_id")
        if split is None:
            continue
        try:
            table = pa.Table.from_pylist(decision_rows(data, split, data["doc_id"] in sources.withheld),
                                         schema=SCHEMAS["decisions"])
        except (KeyError, TypeError, AttributeError, pa.ArrowException) as exc:
            sources.malformed(path, data.get("doc_id"), "$.conflicts",
                              f"each conflict needs id, kind, versions and decision ({type(exc).__name__}: {exc})")
            continue
        rows[split].extend(table.to_pylist())
    for split_rows in rows.values():
        split_rows.sort(key=lambda row: row["doc_id"])  # stable: conflicts keep their order in the file
    return rows


def correction_row(entry: dict, data: dict, step: int, file: str, split: str, withhold: bool) -> dict:
    doc_id = entry["doc_id"]
    shown = without_text if withhold else (lambda value: value)
    return {"doc_id": doc_id, "item": entry["item"], "field": entry["field"], "step": step,
            "uid": f"{doc_id}/{entry['item']}/{entry['field']}/{step}", "file": file,
            "from": _as_json(shown(entry.get("from"))), "to": _as_json(shown(entry.get("to"))),
            "rule": entry.get("rule"), "reason": entry.get("reason"), "text": None if withhold else entry.get("text"),
            "second_review": entry.get("second_review"), "decided_by": entry.get("decided_by"),
            "by": _adjudicator(data.get("by")), "guidelines_version": data.get("guidelines_version"),
            "text_withheld": withhold, "split": split}


def _corrections_of(sources: StudySources, path: Path, step: int, seen: set[str]) -> list[dict]:
    """The rows of one corrections file (its problems go to `sources.problems`)."""
    data = sources.read_object(path)
    if data is None:
        return []
    entries = data.get("corrections")
    if not isinstance(entries, list):
        sources.malformed(path, None, "$.corrections", "expected a list of corrections")
        return []
    rows = []
    for i, entry in enumerate(entries):
        doc_id = entry.get("doc_id") if isinstance(entry, dict) else None
        split = sources.split_of(doc_id, path, f"$.corrections[{i}].doc_id")
        if split is None:
            continue
        try:
            row = pa.Table.from_pylist([correction_row(entry, data, step, path.name, split, doc_id in sources.withheld)],
                                       schema=SCHEMAS["corrections"]).to_pylist()[0]
        except (KeyError, TypeError, pa.ArrowException) as exc:
            sources.malformed(path, doc_id, f"$.corrections[{i}]", f"needs doc_id, item and field ({exc})")
            continue
        if row["uid"] in seen:
            sources.problems.append(Problem("REL-STUDY-DUPLICATE", "the same item and field are corrected twice in "
                                            "one file", file=str(path), doc_id=doc_id, path=f"$.corrections[{i}]",
                                            found=row["uid"]))
            continue
        seen.add(row["uid"])
        rows.append(row)
    return rows


def _correction_rows(sources: StudySources) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {split: [] for split in SPLITS}
    seen: set[str] = set()
    for step, path in enumerate(sources.corrections_files()):
        for row in _corrections_of(sources, path, step, seen):
            rows[row["split"]].append(row)
    for split_rows in rows.values():
        split_rows.sort(key=lambda row: row["doc_id"])  # stable: file order within a document
    return rows


# -- writing -------------------------------------------------------------------------------------------

def _write(root: Path, config: str, split: str, rows: Iterator[dict] | list[dict]) -> dict:
    """One shard (the only one of the split) of a disagreement config; returns its manifest entry."""
    size = DEFAULT_ROW_GROUP_SIZE[config]
    writer = ShardFile(root / "data" / config / shard_name(split, 0, 1), SCHEMAS[config], size)
    try:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                writer.add(pa.Table.from_pylist(batch, schema=SCHEMAS[config]))
                batch = []
        writer.add(pa.Table.from_pylist(batch, schema=SCHEMAS[config]))
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return {"path": writer.path.relative_to(root).as_posix(), "num_rows": writer.num_rows,
            "num_bytes": writer.num_bytes, "size": writer.path.stat().st_size}


def build_study(root: Path, sources: StudySources, inventory: Inventory) -> tuple[dict[str, dict[str, list[dict]]], dict]:
    """Write the disagreement configs into the release folder `root`.

    Returns (config -> split -> [file entry]) and the facts the card states about them; the problems found
    (unknown documents, invalid annotations, malformed decision files) are collected in `sources.problems`,
    and the caller must not install the release when there are any.
    """
    files: dict[str, dict[str, list[dict]]] = {config: {} for config in STUDY_CONFIGS}
    index = _annotation_index(sources)
    decisions, corrections = _decision_rows(sources), _correction_rows(sources)
    for split in SPLITS:
        files["annotations"][split] = [_write(root, "annotations", split,
                                              _annotation_rows(sources, inventory, index[split], split))]
        files["decisions"][split] = [_write(root, "decisions", split, decisions[split])]
        files["corrections"][split] = [_write(root, "corrections", split, corrections[split])]
    facts = {
        "passes": {folder.name: sum(1 for entries in index.values() for entry in entries if entry[1] == folder.name)
                   for folder in sources.passes()},
        "campaign": _shown(sources.campaign, sources.corpus_dir),
        "decision_files": len(sources.decision_files()),
        "conflicts": sum(len(rows) for rows in decisions.values()),
        "corrections": sum(len(rows) for rows in corrections.values()),
        "corrections_files": [path.name for path in sources.corrections_files()],
    }
    return files, facts


def _shown(campaign: Path | None, corpus_dir: Path) -> str | None:
    """The campaign folder as the card names it: relative to the corpus folder's parent when inside it."""
    if campaign is None:
        return None
    try:
        return campaign.absolute().relative_to(corpus_dir.absolute().parent).as_posix()
    except ValueError:
        return campaign.name
